#include "domain/Customers.h"

#include "domain/Cadence.h"

#include "replica/Replica.h"
#include "schema/Schema.h"
#include "storage/Database.h"
#include "storage/Statement.h"

#include <algorithm>
#include <variant>

namespace fieldsync::domain {

using nlohmann::json;

namespace {

constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;
constexpr int kMaxLimit = 1000;

json optionalJson(const std::optional<std::string>& v)
{
    return v ? json(*v) : json(nullptr);
}

std::optional<std::string> optionalText(storage::Statement& st, int column)
{
    if (st.isNull(column)) return std::nullopt;
    return st.getText(column);
}

// A parameter list built together with the SQL that uses it.
struct Bindings {
    std::vector<std::variant<std::string, int64_t>> values;
    std::string add(std::string v)
    {
        values.emplace_back(std::move(v));
        return "?" + std::to_string(values.size());
    }
    std::string add(int64_t v)
    {
        values.emplace_back(v);
        return "?" + std::to_string(values.size());
    }
    // Binds the first `count` values (all by default).
    void bindTo(storage::Statement& st, size_t count = static_cast<size_t>(-1)) const
    {
        for (size_t i = 0; i < values.size() && i < count; ++i)
            std::visit([&](const auto& v) { st.bind(static_cast<int>(i) + 1, v); }, values[i]);
    }
};

} // namespace

std::optional<CustomerSort> customerSortFromString(std::string_view text)
{
    if (text == "name") return CustomerSort::Name;
    if (text == "last-visit") return CustomerSort::LastVisit;
    if (text == "level") return CustomerSort::Level;
    return std::nullopt;
}

json CustomerRow::toJson() const
{
    return {{"id", id},
            {"name", name},
            {"phone", optionalJson(phone)},
            {"address", optionalJson(address)},
            {"region", optionalJson(region)},
            {"level", optionalJson(level)},
            {"lifecycle", optionalJson(stage)},
            {"owner", optionalJson(owner)},
            {"tags", tags},
            {"archived", archived},
            {"last_visit", lastVisit ? json(*lastVisit) : json(nullptr)},
            {"overdue", overdue}};
}

json CustomerPage::toJson() const
{
    json list = json::array();
    for (const auto& r : rows) list.push_back(r.toJson());
    return {{"total", total}, {"offset", offset}, {"customers", std::move(list)}};
}

Customers::Customers(replica::Replica& replica, Options options)
    : m_replica(replica), m_options(std::move(options)), m_index(replica)
{
}

Result<CustomerPage> Customers::list(const CustomerQuery& q)
{
    const auto& customer = *schema::fieldsyncSchema().entity("customer");
    if (q.level && !levelIndex(*q.level))
        return invalidArgument("unknown level \"" + *q.level + "\" (levels: A, B, C, D)");
    if (q.stage && customer.field("lifecycle")->stageRank(*q.stage) < 0) {
        const auto& options = customer.field("lifecycle")->options;
        if (std::find(options.begin(), options.end(), *q.stage) == options.end()) {
            std::string names;
            for (const auto& o : options) names += (names.empty() ? "" : ", ") + o;
            return invalidArgument("unknown stage \"" + *q.stage + "\" (stages: " + names + ")");
        }
    }
    if (q.limit < 1 || q.limit > kMaxLimit)
        return invalidArgument("limit must be 1.." + std::to_string(kMaxLimit) + ", got " + std::to_string(q.limit));
    if (q.offset < 0) return invalidArgument("offset must not be negative, got " + std::to_string(q.offset));

    m_index.refresh();

    // Overdue: the cutoff per level, from the acting user's team cadence.
    // Its parameters are added where first used, so the count statement
    // binds exactly the parameters of its WHERE clause.
    const TeamConfig config = teamConfig(m_replica);
    const int64_t now = m_options.time();
    Bindings b;
    std::string overdue;
    auto overdueExpr = [&]() -> const std::string& {
        if (!overdue.empty()) return overdue;
        std::string cutoff = "CASE d.level_rank";
        for (size_t i = 0; i < kLevels.size(); ++i)
            cutoff += " WHEN " + std::to_string(i) + " THEN " + b.add(now - config.cadenceDays[i] * kDayMs);
        cutoff += " END";
        overdue = "(d.level_rank < 4 AND (d.last_visit IS NULL OR d.last_visit < " + cutoff + "))";
        return overdue;
    };

    // Everything but the page's own columns is read from search_doc, whose
    // indexes serve the filters and sorts; the FTS tables give the matches.
    std::string where = " WHERE 1";
    if (!q.search.empty()) {
        auto match = SearchIndex::matchExpression(q.search);
        // Only punctuation: nothing can match it.
        if (!match) return CustomerPage{{}, 0, q.offset};
        if (!match->keys.empty())
            where += " AND d.docid IN (SELECT rowid FROM search_keys WHERE search_keys MATCH " + b.add(match->keys) + ")";
        if (!match->text.empty())
            where += " AND d.docid IN (SELECT rowid FROM search_text WHERE search_text MATCH " + b.add(match->text) + ")";
    }
    if (!q.includeArchived) where += " AND d.archived = 0";
    if (q.level) where += " AND d.level = " + b.add(*q.level);
    if (q.region) where += " AND d.region = " + b.add(*q.region);
    if (q.stage) where += " AND d.lifecycle = " + b.add(*q.stage);
    if (q.owner) where += " AND d.owner = " + b.add(*q.owner);
    if (q.poolOnly) where += " AND d.owner IS NULL";
    if (q.tag) where += " AND EXISTS (SELECT 1 FROM json_each(d.tags) WHERE json_each.value = " + b.add(*q.tag) + ")";
    if (q.overdueOnly) where += " AND " + overdueExpr();
    const size_t whereParameters = b.values.size();

    // SQLite sorts nulls first ascending and last descending: "never
    // visited" comes first when the longest unvisited come first.
    const char* dir = q.descending ? " DESC" : "";
    std::vector<std::string> terms;
    switch (q.sort) {
    case CustomerSort::Name: terms = {std::string("sort_key") + dir, std::string("customer") + dir}; break;
    case CustomerSort::LastVisit: terms = {std::string("last_visit") + dir, "sort_key", "customer"}; break;
    case CustomerSort::Level: terms = {std::string("level_rank") + dir, "sort_key", "customer"}; break;
    }
    auto orderBy = [&](const char* prefix) {
        std::string out = " ORDER BY ";
        for (size_t i = 0; i < terms.size(); ++i) out += (i ? ", " : "") + std::string(prefix) + terms[i];
        return out;
    };

    CustomerPage page;
    page.offset = q.offset;
    auto& db = m_replica.database();
    {
        storage::UsingStatement count(db, "SELECT count(*) FROM search_doc d" + where);
        b.bindTo(*count, whereParameters);
        if (count->step()) page.total = count->getInt(0);
    }
    if (page.total <= q.offset) return page;
    const std::string limit = " LIMIT " + b.add(static_cast<int64_t>(q.limit)) + " OFFSET "
                              + b.add(static_cast<int64_t>(q.offset));
    // The page first (LIMIT inside), then its customer rows.
    storage::UsingStatement st(
        db, "SELECT c.id, c.name, c.phone, c.address, p.region, p.level, p.lifecycle, p.owner, p.tags, p.archived, "
            "p.last_visit, p.overdue FROM (SELECT d.customer, d.sort_key, d.last_visit, d.level_rank, d.level, "
            "d.region, d.lifecycle, d.owner, d.tags, d.archived, " + overdueExpr() + " AS overdue FROM search_doc d"
            + where + orderBy("d.") + limit + ") p JOIN customer c ON c.id = p.customer" + orderBy("p."));
    b.bindTo(*st);
    while (st->step()) {
        CustomerRow r;
        r.id = st->getText(0);
        r.name = st->getText(1);
        r.phone = optionalText(*st, 2);
        r.address = optionalText(*st, 3);
        r.region = optionalText(*st, 4);
        r.level = optionalText(*st, 5);
        r.stage = optionalText(*st, 6);
        r.owner = optionalText(*st, 7);
        if (!st->isNull(8)) {
            json tags = json::parse(st->getTextView(8), nullptr, false);
            if (tags.is_array())
                for (const auto& t : tags)
                    if (t.is_string()) r.tags.push_back(t.get<std::string>());
        }
        r.archived = st->getInt(9) != 0;
        if (!st->isNull(10)) r.lastVisit = st->getInt(10);
        r.overdue = st->getInt(11) != 0;
        page.rows.push_back(std::move(r));
    }
    return page;
}

} // namespace fieldsync::domain
