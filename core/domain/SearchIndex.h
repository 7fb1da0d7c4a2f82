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
#pragma once

#include "domain/Pinyin.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

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

    replica::Replica& replica() { return m_replica; }

private:
    void reindex(const std::string& customer);

    replica::Replica& m_replica;
    Pinyin& m_pinyin;
};

} // namespace fieldsync::domain
