#include "domain/Customers.h"

#include "domain/Cadence.h"

#include "replica/Replica.h"
#include "schema/Schema.h"
#include "storage/Database.h"
#include "storage/Statement.h"
#include "storage/Transaction.h"

#include <algorithm>
#include <array>
#include <functional>
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

// A page row: c.id, c.name, c.phone, c.address, region, level, lifecycle,
// owner, tags, archived, last_visit, overdue.
CustomerRow readRow(storage::Statement& st)
{
    CustomerRow r;
    r.id = st.getText(0);
    r.name = st.getText(1);
    r.phone = optionalText(st, 2);
    r.address = optionalText(st, 3);
    r.region = optionalText(st, 4);
    r.level = optionalText(st, 5);
    r.stage = optionalText(st, 6);
    r.owner = optionalText(st, 7);
    if (!st.isNull(8)) {
        json tags = json::parse(st.getTextView(8), nullptr, false);
        if (tags.is_array())
            for (const auto& t : tags)
                if (t.is_string()) r.tags.push_back(t.get<std::string>());
    }
    r.archived = st.getInt(9) != 0;
    if (!st.isNull(10)) r.lastVisit = st.getInt(10);
    r.overdue = st.getInt(11) != 0;
    return r;
}

constexpr const char* kRowColumns = "c.id, c.name, c.phone, c.address, d.region, d.level, d.lifecycle, d.owner, "
                                    "d.tags, d.archived, d.last_visit, ";

void readPage(CustomerPage& page, const std::vector<int64_t>& docids,
              const std::function<std::string(Bindings&)>& overdueWith, storage::Database& db);

// A search's page in one pass over its matches: their sort columns are read
// once, counted, and the page picked with a partial sort; then only the
// page's rows are read whole. (Counting and paging in SQL would visit every
// match twice — what a one-letter keystroke cannot afford.)
void pageOfMatches(CustomerPage& page, const CustomerQuery& q, const std::string& fromWhere, const Bindings& b,
                   size_t whereParameters, const std::function<std::string(Bindings&)>& overdueWith,
                   storage::Database& db)
{
    struct Hit {
        int64_t docid;
        std::string sortKey, customer;
        std::optional<int64_t> lastVisit;
        int64_t levelRank;
    };
    std::vector<Hit> hits;
    {
        storage::UsingStatement st(db, "SELECT d.docid, d.sort_key, d.customer, d.last_visit, d.level_rank" + fromWhere);
        b.bindTo(*st, whereParameters);
        while (st->step()) {
            Hit h{st->getInt(0), std::string(st->getBlobView(1)), st->getText(2), std::nullopt, st->getInt(4)};
            if (!st->isNull(3)) h.lastVisit = st->getInt(3);
            hits.push_back(std::move(h));
        }
    }
    page.total = static_cast<int64_t>(hits.size());
    if (page.total <= q.offset) return;
    // The same order as the SQL path: nulls first ascending, ties by name, id.
    const bool desc = q.descending;
    auto byName = [](const Hit& x, const Hit& y) {
        return x.sortKey != y.sortKey ? x.sortKey < y.sortKey : x.customer < y.customer;
    };
    std::function<bool(const Hit&, const Hit&)> less;
    switch (q.sort) {
    case CustomerSort::Name: less = [&](const Hit& x, const Hit& y) { return desc ? byName(y, x) : byName(x, y); }; break;
    case CustomerSort::LastVisit:
        less = [&](const Hit& x, const Hit& y) {
            if (x.lastVisit != y.lastVisit) return desc ? y.lastVisit < x.lastVisit : x.lastVisit < y.lastVisit;
            return byName(x, y);
        };
        break;
    case CustomerSort::Level:
        less = [&](const Hit& x, const Hit& y) {
            if (x.levelRank != y.levelRank) return desc ? y.levelRank < x.levelRank : x.levelRank < y.levelRank;
            return byName(x, y);
        };
        break;
    }
    const size_t end = std::min(hits.size(), static_cast<size_t>(q.offset) + static_cast<size_t>(q.limit));
    std::partial_sort(hits.begin(), hits.begin() + static_cast<long>(end), hits.end(), less);
    std::vector<int64_t> docids;
    for (size_t i = static_cast<size_t>(q.offset); i < end; ++i) docids.push_back(hits[i].docid);
    readPage(page, docids, overdueWith, db);
}

// A search answered from the in-memory facts (SearchIndex.h): the FTS
// matches filtered and sorted by their facts, the same rows in the same order
// as pageOfMatches (ranks are the order of (sort_key, customer); "never
// visited" sorts first like a null). Filters the facts do not hold (region,
// stage, owner, pool, tag) take pageOfMatches.
void pageOfFacts(CustomerPage& page, const CustomerQuery& q, const SearchIndex::Match& match,
                 const std::vector<SearchIndex::Facts>& facts, const std::array<int64_t, 4>& cutoffs,
                 const std::function<std::string(Bindings&)>& overdueWith, storage::Database& db)
{
    using Facts = SearchIndex::Facts;
    const int level = q.level ? *levelIndex(*q.level) : -1;
    std::vector<std::pair<int64_t, const Facts*>> hits;
    auto consider = [&](int64_t docid, const Facts& f) {
        if (f.nameRank < 0) return;
        if (!q.includeArchived && f.archived) return;
        if (level >= 0 && f.levelRank != level) return;
        if (q.overdueOnly
            && !(f.levelRank < 4
                 && (f.lastVisit == Facts::kNever || f.lastVisit < cutoffs[static_cast<size_t>(f.levelRank)])))
            return;
        hits.emplace_back(docid, &f);
    };
    if (const auto heads = SearchIndex::keyHeads(q.search)) {
        // One-character terms: every entry's key heads, no FTS.
        for (size_t docid = 0; docid < facts.size(); ++docid)
            if ((facts[docid].keyHeads & *heads) == *heads) consider(static_cast<int64_t>(docid), facts[docid]);
    } else {
        std::string sql = match.keys.empty() ? "SELECT rowid FROM search_text WHERE search_text MATCH ?1"
                                             : "SELECT rowid FROM search_keys WHERE search_keys MATCH ?1";
        if (!match.keys.empty() && !match.text.empty())
            sql += " AND rowid IN (SELECT rowid FROM search_text WHERE search_text MATCH ?2)";
        storage::UsingStatement st(db, sql);
        st->bind(1, match.keys.empty() ? match.text : match.keys);
        if (!match.keys.empty() && !match.text.empty()) st->bind(2, match.text);
        while (st->step()) {
            const auto docid = st->getInt(0);
            if (docid >= 0 && static_cast<size_t>(docid) < facts.size()) consider(docid, facts[static_cast<size_t>(docid)]);
        }
    }
    page.total = static_cast<int64_t>(hits.size());
    if (page.total <= q.offset) return;
    const bool desc = q.descending;
    using Hit = std::pair<int64_t, const Facts*>;
    std::function<bool(const Hit&, const Hit&)> less;
    switch (q.sort) {
    case CustomerSort::Name:
        less = [&](const Hit& x, const Hit& y) {
            return desc ? y.second->nameRank < x.second->nameRank : x.second->nameRank < y.second->nameRank;
        };
        break;
    case CustomerSort::LastVisit:
        less = [&](const Hit& x, const Hit& y) {
            const Facts &a = *x.second, &b = *y.second;
            if (a.lastVisit != b.lastVisit) return desc ? b.lastVisit < a.lastVisit : a.lastVisit < b.lastVisit;
            return a.nameRank < b.nameRank;
        };
        break;
    case CustomerSort::Level:
        less = [&](const Hit& x, const Hit& y) {
            const Facts &a = *x.second, &b = *y.second;
            if (a.levelRank != b.levelRank) return desc ? b.levelRank < a.levelRank : a.levelRank < b.levelRank;
            return a.nameRank < b.nameRank;
        };
        break;
    }
    const size_t end = std::min(hits.size(), static_cast<size_t>(q.offset) + static_cast<size_t>(q.limit));
    std::partial_sort(hits.begin(), hits.begin() + static_cast<long>(end), hits.end(), less);
    std::vector<int64_t> docids;
    for (size_t i = static_cast<size_t>(q.offset); i < end; ++i) docids.push_back(hits[i].first);
    readPage(page, docids, overdueWith, db);
}

// The page's rows, whole, in the order given.
void readPage(CustomerPage& page, const std::vector<int64_t>& docids,
              const std::function<std::string(Bindings&)>& overdueWith, storage::Database& db)
{
    Bindings rowBindings;
    const std::string overdue = overdueWith(rowBindings);
    const std::string docidParam = rowBindings.add(int64_t{0});
    storage::UsingStatement row(db, std::string("SELECT ") + kRowColumns + overdue
                                        + " FROM search_doc d JOIN customer c ON c.id = d.customer WHERE d.docid = "
                                        + docidParam);
    rowBindings.bindTo(*row);
    const int docidIndex = static_cast<int>(rowBindings.values.size());
    for (int64_t docid : docids) {
        row->reset();
        row->bind(docidIndex, docid);
        if (row->step()) page.rows.push_back(readRow(*row));
    }
}

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
    : m_replica(replica), m_options(std::move(options)), m_local([this] {
          if (m_options.zone.empty()) return LocalTime::system(m_options.time);
          auto zone = LocalTime::inZone(m_options.zone, m_options.time);
          if (!zone) throw std::invalid_argument(zone.error().message);
          return *zone;
      }()),
      m_index(replica)
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
    auto overdueWith = [&](Bindings& into) {
        std::string cutoff = "CASE d.level_rank";
        for (size_t i = 0; i < kLevels.size(); ++i)
            cutoff += " WHEN " + std::to_string(i) + " THEN "
                + into.add(m_local.addDays(now, -config.cadenceDays[i]));
        return "(d.level_rank < 4 AND (d.last_visit IS NULL OR d.last_visit < " + cutoff + " END))";
    };
    Bindings b;
    std::string overdue;
    auto overdueExpr = [&]() -> const std::string& {
        if (overdue.empty()) overdue = overdueWith(b);
        return overdue;
    };

    // With a search, the FTS matches drive the query (CROSS JOIN fixes the
    // loop order: SQLite cannot estimate an FTS table's rows and would rather
    // walk a sort index over every customer); without one, the indexes on
    // search_doc do.
    std::string from = " FROM search_doc d";
    std::string where = " WHERE 1";
    std::optional<SearchIndex::Match> match;
    if (!q.search.empty()) {
        match = SearchIndex::matchExpression(q.search);
        // Only punctuation: nothing can match it.
        if (!match) return CustomerPage{{}, 0, q.offset};
        if (!match->keys.empty()) {
            from = " FROM search_keys k CROSS JOIN search_doc d ON d.docid = k.rowid";
            where += " AND search_keys MATCH " + b.add(match->keys);
            if (!match->text.empty())
                where += " AND d.docid IN (SELECT rowid FROM search_text WHERE search_text MATCH " + b.add(match->text)
                         + ")";
        } else {
            from = " FROM search_text t CROSS JOIN search_doc d ON d.docid = t.rowid";
            where += " AND search_text MATCH " + b.add(match->text);
        }
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
    if (match && !q.region && !q.stage && !q.owner && !q.poolOnly && !q.tag) {
        // The facts and the FTS matches as of one snapshot.
        storage::ReadTransaction snapshot(db);
        std::array<int64_t, 4> cutoffs{};
        for (size_t i = 0; i < kLevels.size(); ++i) cutoffs[i] = m_local.addDays(now, -config.cadenceDays[i]);
        pageOfFacts(page, q, *match, m_index.facts(), cutoffs, overdueWith, db);
        return page;
    }
    if (match) {
        pageOfMatches(page, q, from + where, b, whereParameters, overdueWith, db);
        return page;
    }
    {
        storage::UsingStatement count(db, "SELECT count(*)" + from + where);
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
            "d.region, d.lifecycle, d.owner, d.tags, d.archived, " + overdueExpr() + " AS overdue" + from
            + where + orderBy("d.") + limit + ") p JOIN customer c ON c.id = p.customer" + orderBy("p."));
    b.bindTo(*st);
    while (st->step()) page.rows.push_back(readRow(*st));
    return page;
}

} // namespace fieldsync::domain
