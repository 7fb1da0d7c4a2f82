// SearchIndex: the customer search index of one replica file (the tables are
// specified in DomainMigrations.h) — kept fresh, and queried.
//
// Freshness: triggers mark a customer dirty whenever its row, one of its
// contacts or one of its visits changes, whichever path changed it (local
// write, pull, bundle import, rejection, eviction) and whichever connection.
// refresh() re-indexes the dirty customers in one transaction; every query
// of the domain layer calls it first, so a result never misses a change
// committed before the query started. A refresh after a single edit costs
// one customer (~0.1 ms); after a bulk import, one pass over what changed.
//
// Matching what a user types (matchExpression): the text is split at
// whitespace into terms, all of which must match (AND); each term into runs:
//   Chinese characters  a phrase of single characters in search_text (name,
//                        contacts, address): 1-, 2- and longer substrings
//                        all match (昭, 昭智, 北京昭智), in order and adjacent
//   letters and digits  a prefix of a search_keys token: initials (bjzz),
//                        full pinyin from any syllable on (beijing, zhaozhi,
//                        beij…), Latin words of names (abc), and — for digits
//                        — any run of digits of the customer's or contacts'
//                        phones
// Punctuation separates runs; it never reaches FTS5 query syntax. Latin
// words and numbers of addresses are not searched (only their Chinese text).
//
// Facts (facts()): what a search filters and sorts its matches by, for every
// indexed customer, in memory, by docid — its place in name order, level,
// archived flag and last visit. Two typed letters ("zh") match half the
// company; reading a search_doc row per match costs ~1 µs, an entry of this
// array a few ns. search_state.generation counts the refreshes that changed
// anything (DomainMigrations.h); the array is reloaded when the file's
// generation is not the one it was built at, and kept in step without a
// reload by this object's own refreshes unless they changed the name order
// (a customer added or renamed). 24 bytes a customer.
//
// One-character runs (keyHeads): "b" is a prefix of a fifth of the company's
// keys, and even stepping through that many FTS matches costs more than a
// keystroke may. search_doc.key_heads (and the facts) hold, per customer,
// the set of first characters of its search_keys tokens; a query whose runs
// are all single letters or digits (and no Chinese) matches exactly the
// customers whose key_heads hold them all.
#pragma once

#include "domain/Pinyin.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fieldsync::replica {
class Replica;
}

namespace fieldsync::domain {

class SearchIndex {
public:
    // Migrates the domain tables if needed.
    explicit SearchIndex(replica::Replica& replica);

    // Re-indexes every dirty customer, in one transaction; returns how many.
    // Must not be called inside Replica::batch (it opens a transaction).
    size_t refresh();

    // The FTS5 MATCH expressions for what a user typed, for search_text and
    // for search_keys (an empty one puts no condition); nullopt when the text
    // holds nothing searchable (only spaces or punctuation).
    struct Match {
        std::string text, keys;
        bool operator==(const Match&) const = default;
    };
    static std::optional<Match> matchExpression(std::string_view typed);

    // The key_heads bits a query must all find when every run of what was
    // typed is one letter or digit and none is Chinese ("b", "b j", "5");
    // nullopt for any other query (it goes through FTS).
    static std::optional<int64_t> keyHeads(std::string_view typed);
    // The key_heads of a search_keys text: bits 0-25 for a token starting
    // with a-z, 26-35 for 0-9.
    static int64_t keyHeadsOf(std::string_view keys);

    replica::Replica& replica() { return m_replica; }

    struct Facts {
        static constexpr int64_t kNever = INT64_MIN;  // lastVisit: never visited
        int32_t nameRank = -1;  // position in name order (sort_key, then customer id); -1: no such docid
        int8_t levelRank = 4;   // 0-3 for A-D, 4 for none (search_doc.level_rank)
        bool archived = false;
        int64_t lastVisit = kNever;
        int64_t keyHeads = 0;   // search_doc.key_heads
    };
    // The facts of the index as of the caller's read snapshot (call inside a
    // storage::ReadTransaction, after refresh()); indexed by docid.
    const std::vector<Facts>& facts();

private:
    struct Reindexed {
        std::optional<int64_t> docid;  // its entry (before removal, for a removed one)
        bool removed = false;
        bool orderChanged = false;     // added, or its sort key changed
    };
    Reindexed reindex(const std::string& customer);
    int64_t generation();
    void loadFacts(int64_t docid);  // one entry, from search_doc (absent: cleared)

    replica::Replica& m_replica;
    Pinyin& m_pinyin;
    std::vector<Facts> m_facts;
    int64_t m_factsGeneration = -1;  // the generation m_facts reflects; -1: none
};

} // namespace fieldsync::domain
