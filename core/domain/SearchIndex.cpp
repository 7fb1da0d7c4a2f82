#include "domain/SearchIndex.h"

#include "domain/DomainMigrations.h"
#include "domain/Duplicates.h"

#include "replica/Replica.h"
#include "storage/Database.h"
#include "storage/Statement.h"
#include "storage/Transaction.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

namespace fieldsync::domain {

using storage::Statement;
using storage::UsingStatement;

namespace {

// Customers re-indexed in one refresh from which the FTS segments are merged.
constexpr size_t kOptimizeAfter = 1000;

// Decodes one UTF-8 code point at `i` (advancing it); invalid bytes read as
// U+FFFD, one byte each, so no input can stall the loop.
char32_t nextCodePoint(std::string_view s, size_t& i)
{
    const auto b = static_cast<unsigned char>(s[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + static_cast<size_t>(len) > s.size()) {
        ++i;
        return 0xFFFD;
    }
    char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (int k = 1; k < len; ++k) {
        const auto cont = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
        if ((cont >> 6) != 2) {
            ++i;
            return 0xFFFD;
        }
        c = (c << 6) | (cont & 0x3F);
    }
    i += static_cast<size_t>(len);
    return c;
}

// CJK ideographs (the blocks customer names use): basic, extension A,
// compatibility, and the supplementary planes.
bool isHanCodePoint(char32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF)
        || (c >= 0x20000 && c <= 0x3134F);
}

// Chinese characters become tokens of their own ("北京昭智" → "北 京 昭 智");
// everything else is left for unicode61 to split.
std::string spacedHan(std::string_view text)
{
    std::string out;
    out.reserve(text.size() * 2);
    for (size_t i = 0; i < text.size();) {
        const size_t start = i;
        const char32_t c = nextCodePoint(text, i);
        if (isHanCodePoint(c)) {
            out += ' ';
            out.append(text.substr(start, i - start));
            out += ' ';
        } else {
            out.append(text.substr(start, i - start));
        }
    }
    return out;
}

std::string digitsOf(std::string_view text)
{
    std::string out;
    for (char c : text)
        if (c >= '0' && c <= '9') out += c;
    return out;
}

// Every suffix of the full pinyin ("beijingzhaozhi", "jingzhaozhi", ...,
// "zhi") and of the initials of two letters or more ("bjzz", "jzz", "zz"; a
// single initial is a prefix of the last full syllable anyway).
void appendSuffixes(std::string& out, const std::vector<std::string>& syllables)
{
    std::string full, initials;
    for (auto it = syllables.rbegin(); it != syllables.rend(); ++it) {
        full.insert(0, *it);
        initials.insert(initials.begin(), (*it)[0]);
        out += full + ' ';
        if (initials.size() >= 2) out += initials + ' ';
    }
}

void appendPhoneSuffixes(std::string& out, std::string_view phone)
{
    const std::string digits = digitsOf(phone);
    for (size_t i = 0; i + 3 <= digits.size(); ++i) out += digits.substr(i) + ' ';
}

enum class RunKind { Han, Word, Digits };

struct Run {
    RunKind kind;
    std::string text;
};

// A term's runs: Chinese characters, ASCII letters-and-digits, or digits.
std::vector<Run> runsOf(std::string_view term)
{
    std::vector<Run> runs;
    auto add = [&](RunKind kind, std::string_view piece) {
        if (!runs.empty() && runs.back().kind == kind && kind == RunKind::Han) {
            runs.back().text += ' ';
            runs.back().text.append(piece);
            return;
        }
        runs.push_back({kind, std::string(piece)});
    };
    bool joinable = false;  // the previous code point continues an ASCII word
    for (size_t i = 0; i < term.size();) {
        const size_t start = i;
        const char32_t c = nextCodePoint(term, i);
        const std::string_view piece = term.substr(start, i - start);
        if (isHanCodePoint(c)) {
            add(RunKind::Han, piece);
            joinable = false;
        } else if (c < 0x80 && std::isalnum(static_cast<int>(c))) {
            const char lower = static_cast<char>(std::tolower(static_cast<int>(c)));
            if (joinable) {
                runs.back().text += lower;
                if (!(c >= '0' && c <= '9')) runs.back().kind = RunKind::Word;
            } else {
                runs.push_back({c >= '0' && c <= '9' ? RunKind::Digits : RunKind::Word, std::string(1, lower)});
            }
            joinable = true;
        } else {
            // Punctuation, spaces and other scripts separate runs; a Chinese
            // phrase does not continue across them.
            if (!runs.empty() && runs.back().kind == RunKind::Han) runs.push_back({RunKind::Word, ""});
            joinable = false;
        }
    }
    std::vector<Run> out;
    for (auto& r : runs)
        if (!r.text.empty()) out.push_back(std::move(r));
    return out;
}

} // namespace

SearchIndex::SearchIndex(replica::Replica& replica)
    : m_replica(replica), m_pinyin(Pinyin::forThisThread())
{
    ensureDomainSchema(replica);
    // A keystroke's query visits a row of search_doc per match: with tens of
    // thousands of customers the table and its indexes must stay in the
    // connection's page cache (SQLite's default is 2 MB). 16 MB, the same
    // connection as the replica's: the device's one database.
    replica.database().exec("PRAGMA cache_size = -16384");
}

std::optional<SearchIndex::Match> SearchIndex::matchExpression(std::string_view typed)
{
    Match m;
    size_t i = 0;
    while (i < typed.size()) {
        while (i < typed.size() && (typed[i] == ' ' || typed[i] == '\t' || typed[i] == '\n')) ++i;
        size_t end = i;
        while (end < typed.size() && typed[end] != ' ' && typed[end] != '\t' && typed[end] != '\n') ++end;
        for (const auto& run : runsOf(typed.substr(i, end - i))) {
            // Runs hold only ideographs, [a-z0-9] and spaces: nothing to escape.
            std::string& target = run.kind == RunKind::Han ? m.text : m.keys;
            target += (target.empty() ? "\"" : " AND \"") + run.text + (run.kind == RunKind::Han ? "\"" : "\" *");
        }
        i = end;
    }
    if (m.text.empty() && m.keys.empty()) return std::nullopt;
    return m;
}

namespace {

// The key_heads bit of a token's first character; -1 outside [a-z0-9].
int headBit(char c)
{
    if (c >= 'a' && c <= 'z') return c - 'a';
    if (c >= '0' && c <= '9') return 26 + (c - '0');
    return -1;
}

} // namespace

std::optional<int64_t> SearchIndex::keyHeads(std::string_view typed)
{
    int64_t heads = 0;
    size_t i = 0;
    while (i < typed.size()) {
        while (i < typed.size() && (typed[i] == ' ' || typed[i] == '\t' || typed[i] == '\n')) ++i;
        size_t end = i;
        while (end < typed.size() && typed[end] != ' ' && typed[end] != '\t' && typed[end] != '\n') ++end;
        // The same runs matchExpression makes, so the two agree on what matches.
        for (const auto& run : runsOf(typed.substr(i, end - i))) {
            if (run.kind == RunKind::Han || run.text.size() != 1) return std::nullopt;
            heads |= int64_t{1} << headBit(run.text[0]);
        }
        i = end;
    }
    if (heads == 0) return std::nullopt;
    return heads;
}

int64_t SearchIndex::keyHeadsOf(std::string_view keys)
{
    // Tokens are [a-z0-9] runs separated by spaces (appendSuffixes,
    // appendPhoneSuffixes): unicode61 splits them the same way.
    int64_t heads = 0;
    bool atStart = true;
    for (char c : keys) {
        const int bit = headBit(c);
        if (bit < 0) {
            atStart = true;
            continue;
        }
        if (atStart) heads |= int64_t{1} << bit;
        atStart = false;
    }
    return heads;
}

int64_t SearchIndex::generation()
{
    UsingStatement st(m_replica.database(), "SELECT generation FROM search_state");
    return st->step() ? st->getInt(0) : 0;
}

size_t SearchIndex::refresh()
{
    auto& db = m_replica.database();
    std::vector<std::string> dirty;
    {
        UsingStatement st(db, "SELECT customer FROM search_dirty");
        while (st->step()) dirty.push_back(st->getText(0));
    }
    if (dirty.empty()) return 0;
    storage::Transaction tx(db);
    const int64_t before = generation();
    std::vector<Reindexed> done;
    done.reserve(dirty.size());
    bool orderChanged = false;
    for (const auto& id : dirty) {
        done.push_back(reindex(id));
        orderChanged = orderChanged || done.back().orderChanged;
    }
    db.exec("DELETE FROM search_dirty");
    db.exec("UPDATE search_state SET generation = generation + 1");
    // After a bulk change (a first sync, an upgrade) the FTS tables hold many
    // small segments; merged, a query reads one doclist per term.
    if (dirty.size() >= kOptimizeAfter) {
        db.exec("INSERT INTO search_text (search_text) VALUES ('optimize')");
        db.exec("INSERT INTO search_keys (search_keys) VALUES ('optimize')");
    }
    // Facts that were current stay current: the entries this refresh
    // touched are read again, unless the name order moved (then ranks are
    // recomputed by the next facts()).
    if (m_factsGeneration == before && !orderChanged) {
        for (const auto& r : done)
            if (r.docid) loadFacts(*r.docid);
        m_factsGeneration = before + 1;
    } else {
        m_factsGeneration = -1;
    }
    tx.commit();
    return dirty.size();
}

void SearchIndex::loadFacts(int64_t docid)
{
    const auto at = static_cast<size_t>(docid);
    if (at >= m_facts.size()) m_facts.resize(at + 1);
    UsingStatement st(m_replica.database(),
                      "SELECT level_rank, archived, last_visit, key_heads FROM search_doc WHERE docid = ?");
    st->bind(1, docid);
    if (!st->step()) {
        m_facts[at] = Facts{};
        return;
    }
    // Only called for an entry whose sort key did not change: its rank stands.
    m_facts[at].levelRank = static_cast<int8_t>(st->getInt(0));
    m_facts[at].archived = st->getInt(1) != 0;
    m_facts[at].lastVisit = st->isNull(2) ? Facts::kNever : st->getInt(2);
    m_facts[at].keyHeads = st->getInt(3);
}

const std::vector<SearchIndex::Facts>& SearchIndex::facts()
{
    const int64_t now = generation();
    if (now == m_factsGeneration) return m_facts;
    // Read in name order (the search_doc_sort index): the row number is the rank.
    m_facts.clear();
    UsingStatement st(m_replica.database(), "SELECT docid, level_rank, archived, last_visit, key_heads FROM search_doc "
                                            "ORDER BY sort_key, customer");
    int32_t rank = 0;
    while (st->step()) {
        const auto docid = static_cast<size_t>(st->getInt(0));
        if (docid >= m_facts.size()) m_facts.resize(std::max(docid + 1, m_facts.size() * 2));
        m_facts[docid] = Facts{rank++, static_cast<int8_t>(st->getInt(1)), st->getInt(2) != 0,
                               st->isNull(3) ? Facts::kNever : st->getInt(3), st->getInt(4)};
    }
    m_factsGeneration = now;
    return m_facts;
}

SearchIndex::Reindexed SearchIndex::reindex(const std::string& customer)
{
    auto& db = m_replica.database();
    std::optional<int64_t> docid;
    std::string oldSource, oldSortKey;
    {
        UsingStatement st(db, "SELECT d.docid, s.source, d.sort_key FROM search_doc d "
                              "JOIN search_source s ON s.docid = d.docid WHERE d.customer = ?");
        st->bind(1, customer);
        if (st->step()) {
            docid = st->getInt(0);
            oldSource = st->getText(1);
            oldSortKey = std::string(st->getBlobView(2));
        }
    }
    std::string name, phone, address;
    std::optional<std::string> level, region, lifecycle, owner, tags;
    bool exists = false, archived = false;
    {
        UsingStatement st(db, "SELECT name, phone, address, level, region, lifecycle, owner, tags, "
                              "coalesce(archived, 0) FROM customer WHERE id = ?");
        st->bind(1, customer);
        if (st->step()) {
            exists = true;
            name = st->getText(0);
            phone = st->getText(1);
            address = st->getText(2);
            auto optional = [&](int column) {
                return st->isNull(column) ? std::nullopt : std::optional<std::string>(st->getText(column));
            };
            level = optional(3);
            region = optional(4);
            lifecycle = optional(5);
            owner = optional(6);
            tags = optional(7);
            archived = st->getInt(8) != 0;
        }
    }
    if (!exists) {  // evicted or a refused creation: drop its entry
        if (docid) {
            UsingStatement text(db, "DELETE FROM search_text WHERE rowid = ?");
            text->bind(1, *docid).run();
            UsingStatement keys(db, "DELETE FROM search_keys WHERE rowid = ?");
            keys->bind(1, *docid).run();
            UsingStatement doc(db, "DELETE FROM search_doc WHERE docid = ?");
            doc->bind(1, *docid).run();
            UsingStatement source(db, "DELETE FROM search_source WHERE docid = ?");
            source->bind(1, *docid).run();
        }
        UsingStatement phones(db, "DELETE FROM search_phone WHERE customer = ?");
        phones->bind(1, customer).run();
        return {docid, true, false};
    }

    std::optional<int64_t> lastVisit;
    {
        UsingStatement st(db, "SELECT max(checkin_at) FROM visit WHERE customer = ? AND checkin_at IS NOT NULL "
                              "AND coalesce(voided, 0) = 0");
        st->bind(1, customer);
        if (st->step() && !st->isNull(0)) lastVisit = st->getInt(0);
    }
    std::vector<std::pair<std::string, std::string>> contacts;  // name, phone
    {
        UsingStatement st(db, "SELECT name, phone FROM contact WHERE customer = ? AND coalesce(archived, 0) = 0 "
                              "ORDER BY id");
        st->bind(1, customer);
        while (st->step()) contacts.emplace_back(st->getText(0), st->getText(1));
    }
    int levelRank = 4;  // no level: last
    if (level && level->size() == 1 && (*level)[0] >= 'A' && (*level)[0] <= 'D') levelRank = (*level)[0] - 'A';

    // The columns every refresh rewrites (cheap); the texts only when changed.
    auto bindColumns = [&](storage::Statement& st, int from) {
        st.bind(from, lastVisit).bind(from + 1, level).bind(from + 2, levelRank).bind(from + 3, region)
            .bind(from + 4, lifecycle).bind(from + 5, owner).bind(from + 6, tags).bind(from + 7, archived);
    };
    std::string source = name + '\x1f' + phone + '\x1f' + address;
    for (const auto& [n, p] : contacts) source += '\x1e' + n + '\x1f' + p;
    if (docid && source == oldSource) {
        UsingStatement st(db, "UPDATE search_doc SET last_visit = ?, level = ?, level_rank = ?, region = ?, "
                              "lifecycle = ?, owner = ?, tags = ?, archived = ? WHERE docid = ?");
        bindColumns(*st, 1);
        st->bind(9, *docid);
        st->run();
        return {docid, false, false};
    }

    std::string other, keys;
    appendSuffixes(keys, m_pinyin.syllables(name));
    for (const auto& [n, p] : contacts) {
        other += spacedHan(n) + " , ";
        appendSuffixes(keys, m_pinyin.syllables(n));
    }
    other += spacedHan(address);
    std::set<std::string> normalized;
    appendPhoneSuffixes(keys, phone);
    if (auto n = normalizePhone(phone); !n.empty()) normalized.insert(n);
    for (const auto& [n, p] : contacts) {
        appendPhoneSuffixes(keys, p);
        if (auto np = normalizePhone(p); !np.empty()) normalized.insert(np);
    }
    const std::string core = coreName(name);
    const std::string corePinyin = m_pinyin.full(core);
    const std::string sortKey = m_pinyin.sortKey(name);
    const bool orderChanged = !docid || sortKey != oldSortKey;

    const int64_t heads = keyHeadsOf(keys);
    if (docid) {
        UsingStatement st(db, "UPDATE search_doc SET sort_key = ?, last_visit = ?, level = ?, level_rank = ?, "
                              "region = ?, lifecycle = ?, owner = ?, tags = ?, archived = ?, key_heads = ? "
                              "WHERE docid = ?");
        st->bind(1, storage::Blob{sortKey});
        bindColumns(*st, 2);
        st->bind(10, heads).bind(11, *docid);
        st->run();
        UsingStatement text(db, "DELETE FROM search_text WHERE rowid = ?");
        text->bind(1, *docid).run();
        UsingStatement k(db, "DELETE FROM search_keys WHERE rowid = ?");
        k->bind(1, *docid).run();
    } else {
        UsingStatement st(db, "INSERT INTO search_doc (customer, sort_key, last_visit, level, level_rank, region, "
                              "lifecycle, owner, tags, archived, key_heads) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        st->bind(1, customer).bind(2, storage::Blob{sortKey});
        bindColumns(*st, 3);
        st->bind(11, heads);
        st->run();
        docid = db.lastInsertRowid();
    }
    UsingStatement src(db, "INSERT OR REPLACE INTO search_source (docid, source, core_name, core_pinyin) "
                           "VALUES (?, ?, ?, ?)");
    src->bind(1, *docid).bind(2, source).bind(3, core).bind(4, corePinyin).run();
    UsingStatement text(db, "INSERT INTO search_text (rowid, name, other) VALUES (?, ?, ?)");
    text->bind(1, *docid).bind(2, spacedHan(name)).bind(3, other).run();
    UsingStatement k(db, "INSERT INTO search_keys (rowid, keys) VALUES (?, ?)");
    k->bind(1, *docid).bind(2, keys).run();

    UsingStatement delPhones(db, "DELETE FROM search_phone WHERE customer = ?");
    delPhones->bind(1, customer).run();
    for (const auto& p : normalized) {
        UsingStatement st(db, "INSERT OR IGNORE INTO search_phone (phone, customer) VALUES (?, ?)");
        st->bind(1, p).bind(2, customer).run();
    }
    return {docid, false, orderChanged};
}

} // namespace fieldsync::domain
