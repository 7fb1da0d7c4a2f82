// Pinyin: how a Chinese name is read (for search as you type: `bjzz`,
// `beijing` and `zhaozhi` all find 北京昭智教育) and how names are ordered
// (pinyin order, the way Chinese customer lists are sorted).
//
// Readings come from ICU's "Han-Latin; Latin-ASCII" transliterator, one
// toneless lower-case syllable per Chinese character. ICU reads each
// character alone, so polyphones come out wrong in common words (银行 →
// "yin xing"); a small table of words with their right reading overrides it
// (kReadingOverrides in Pinyin.cpp, docs/domain.md "Search").
//
// Cost: creating the transliterator takes ~100-300 ms; each character is
// then transliterated once per object and cached, so a name costs a few
// hash lookups.
// Keep one object per thread (forThisThread()) and compute a name's reading
// once, when it is indexed — never per query.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fieldsync::domain {

class Pinyin {
public:
    Pinyin();
    ~Pinyin();
    Pinyin(const Pinyin&) = delete;
    Pinyin& operator=(const Pinyin&) = delete;

    // One object per thread, created on first use.
    static Pinyin& forThisThread();

    // The reading of `text`, token by token: one syllable per Chinese
    // character ("bei", "jing"), one lower-case ASCII word per run of other
    // letters and digits ("abc", "88"); everything else only separates.
    std::vector<std::string> syllables(std::string_view text);
    // Syllables concatenated: "beijingzhaozhijiaoyu".
    std::string full(std::string_view text);
    // First letter of each syllable: "bjzzjy".
    std::string initials(std::string_view text);

    // A byte string whose memcmp order is pinyin order: the ICU zh collation
    // of the reading (syllables(), overrides included), then of the text
    // itself for equal readings. Latin names file under their letters
    // (ABC科技 under A). Stored, and sorted by SQLite.
    std::string sortKey(std::string_view text);

private:
    struct Icu;  // the ICU objects, kept out of this header
    std::unique_ptr<Icu> m_icu;
};

} // namespace fieldsync::domain
