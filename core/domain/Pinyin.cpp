#include "domain/Pinyin.h"

#include <unicode/coll.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/unistr.h>

#include <stdexcept>
#include <unordered_map>

namespace fieldsync::domain {

namespace {

// Words whose characters ICU reads in their other sense. Chosen for what
// field-sales customer names contain: banks, trades, cities. The reading
// replaces ICU's wherever the word appears in a name.
struct Override {
    std::u32string word;
    std::vector<std::string> reading;
};

const std::vector<Override>& readingOverrides()
{
    static const std::vector<Override> table = {
        {U"银行", {"yin", "hang"}},   {U"行业", {"hang", "ye"}},    {U"商行", {"shang", "hang"}},
        {U"车行", {"che", "hang"}},   {U"长沙", {"chang", "sha"}},  {U"长春", {"chang", "chun"}},
        {U"长城", {"chang", "cheng"}}, {U"长江", {"chang", "jiang"}}, {U"长安", {"chang", "an"}},
        {U"长治", {"chang", "zhi"}},  {U"厦门", {"xia", "men"}},    {U"重庆", {"chong", "qing"}},
        {U"会计", {"kuai", "ji"}},    {U"音乐", {"yin", "yue"}},    {U"蚌埠", {"beng", "bu"}},
        {U"六安", {"lu", "an"}},      {U"番禺", {"pan", "yu"}},     {U"分行", {"fen", "hang"}},
    };
    return table;
}

bool isHan(UChar32 c)
{
    UErrorCode status = U_ZERO_ERROR;
    return uscript_getScript(c, &status) == USCRIPT_HAN && U_SUCCESS(status);
}

std::string toUtf8(const icu::UnicodeString& u)
{
    std::string out;
    u.toUTF8String(out);
    return out;
}

// Keeps [a-z0-9] of an already transliterated, lower-cased string.
std::string asciiWord(std::string_view text)
{
    std::string out;
    for (char c : text)
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
    return out;
}

} // namespace

struct Pinyin::Icu {
    std::unique_ptr<icu::Transliterator> latin;
    std::unique_ptr<icu::Collator> collator;
    std::unordered_map<char32_t, std::string> readings;  // per character, "?" for none
};

Pinyin::Pinyin() : m_icu(std::make_unique<Icu>())
{
    UErrorCode status = U_ZERO_ERROR;
    m_icu->latin.reset(icu::Transliterator::createInstance("Han-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !m_icu->latin)
        throw std::runtime_error(std::string("ICU Han-Latin transliterator unavailable: ") + u_errorName(status));
    status = U_ZERO_ERROR;
    m_icu->collator.reset(icu::Collator::createInstance(icu::Locale("zh"), status));
    if (U_FAILURE(status) || !m_icu->collator)
        throw std::runtime_error(std::string("ICU zh collator unavailable: ") + u_errorName(status));
}

Pinyin::~Pinyin() = default;

Pinyin& Pinyin::forThisThread()
{
    thread_local Pinyin instance;
    return instance;
}

std::vector<std::string> Pinyin::syllables(std::string_view text)
{
    const icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    std::vector<std::string> out;
    std::u32string han;           // the current run of Chinese characters
    icu::UnicodeString other;     // the current run of other letters/digits

    auto flushOther = [&] {
        if (other.isEmpty()) return;
        icu::UnicodeString t = other;
        m_icu->latin->transliterate(t);
        std::string word = asciiWord(toUtf8(t));
        if (!word.empty()) out.push_back(std::move(word));
        other.remove();
    };
    auto flushHan = [&] {
        if (han.empty()) return;
        // ICU reads each character alone, so a character's reading is
        // computed once per object and cached: transliterating is ~98% of
        // indexing a customer, and names share most of their characters.
        std::vector<std::string> reading;
        reading.reserve(han.size());
        for (char32_t c : han) {
            auto [it, inserted] = m_icu->readings.try_emplace(c);
            if (inserted) {
                icu::UnicodeString one(static_cast<UChar32>(c));
                m_icu->latin->transliterate(one);
                std::string word = asciiWord(toUtf8(one));
                it->second = word.empty() ? std::string("?") : word;
            }
            reading.push_back(it->second);
        }
        for (const auto& o : readingOverrides()) {
            for (size_t at = han.find(o.word); at != std::u32string::npos; at = han.find(o.word, at + 1))
                for (size_t k = 0; k < o.reading.size(); ++k) reading[at + k] = o.reading[k];
        }
        for (auto& s : reading)
            if (s != "?") out.push_back(std::move(s));
        han.clear();
    };

    for (int32_t i = 0; i < u.length();) {
        const UChar32 c = u.char32At(i);
        i += U16_LENGTH(c);
        if (isHan(c)) {
            flushOther();
            han.push_back(static_cast<char32_t>(c));
        } else if (u_isalnum(c)) {
            flushHan();
            other.append(c);
        } else {
            flushHan();
            flushOther();
        }
    }
    flushHan();
    flushOther();
    return out;
}

std::string Pinyin::full(std::string_view text)
{
    std::string out;
    for (const auto& s : syllables(text)) out += s;
    return out;
}

std::string Pinyin::initials(std::string_view text)
{
    std::string out;
    for (const auto& s : syllables(text)) out += s[0];
    return out;
}

namespace {

// ICU sort keys end with one zero byte and hold no other.
std::string collationKey(icu::Collator& collator, const icu::UnicodeString& u)
{
    std::string key(64, '\0');
    int32_t n = collator.getSortKey(u, reinterpret_cast<uint8_t*>(key.data()), static_cast<int32_t>(key.size()));
    if (n > static_cast<int32_t>(key.size())) {
        key.resize(static_cast<size_t>(n));
        n = collator.getSortKey(u, reinterpret_cast<uint8_t*>(key.data()), n);
    }
    key.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return key;
}

} // namespace

std::string Pinyin::sortKey(std::string_view text)
{
    // The reading first (with the overrides: 长沙 under C, as people file it;
    // ICU's own zh order files 长 under zhang), then the name itself, so
    // homophones are ordered too. The reading key's terminating zero byte
    // separates the two and sorts below any key byte.
    std::string reading;
    for (const auto& s : syllables(text)) reading += (reading.empty() ? "" : " ") + s;
    std::string key = collationKey(*m_icu->collator, icu::UnicodeString::fromUTF8(reading));
    key += collationKey(*m_icu->collator, icu::UnicodeString::fromUTF8(
                                              icu::StringPiece(text.data(), static_cast<int32_t>(text.size()))));
    return key;
}

} // namespace fieldsync::domain
