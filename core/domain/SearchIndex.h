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
//   Chinese characters  a phrase of single characters in name/other: 1-, 2-
//                        and longer substrings all match (昭, 昭智, 北京昭智)
//   letters (+digits)   a prefix of a pinyin token, or of a word of name/other:
//                        initials (bjzz), full pinyin from any syllable on
//                        (beijing, zhaozhi, beij…), Latin words (abc)
//   digits only         ≥ 3: a prefix of a phone suffix token — any run of
//                        digits of any of the customer's or contacts' phones —
//                        or of a number in name/other; shorter: name/other
// Punctuation separates runs; it never reaches FTS5 query syntax.
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

    // The FTS5 MATCH expression for what a user typed; nullopt when it holds
    // nothing searchable (only spaces or punctuation).
    static std::optional<std::string> matchExpression(std::string_view typed);

    replica::Replica& replica() { return m_replica; }

private:
    void reindex(const std::string& customer);

    replica::Replica& m_replica;
    Pinyin& m_pinyin;
};

} // namespace fieldsync::domain
