#include "domain/Duplicates.h"

#include "domain/Pinyin.h"
#include "domain/SearchIndex.h"

#include "replica/Replica.h"
#include "storage/Database.h"
#include "storage/Statement.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <map>

namespace fieldsync::domain {

using storage::UsingStatement;

namespace {

// Company forms, longest first: stripped from the end, repeatedly
// ("…科技有限公司" loses "有限公司", not just "公司").
const std::vector<std::u16string>& companySuffixes()
{
    static const std::vector<std::u16string> list = {
        u"股份有限公司", u"有限责任公司", u"有限公司", u"分公司", u"总公司", u"公司",
        u"集团", u"工作室", u"事务所", u"co ltd", u"ltd", u"inc",
    };
    return list;
}

int rank(const std::string& reason)
{
    if (reason == "same_phone") return 0;
    if (reason == "same_name") return 1;
    if (reason == "same_pinyin") return 2;
    return 3;
}

size_t charCount(std::string_view utf8)
{
    size_t n = 0;
    for (char c : utf8)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

} // namespace

std::string normalizePhone(std::string_view phone)
{
    std::string digits;
    bool plus = false;
    for (char c : phone) {
        if (c >= '0' && c <= '9') digits += c;
        else if (c == '+' && digits.empty()) plus = true;
    }
    if (plus && digits.rfind("86", 0) == 0) digits.erase(0, 2);
    else if (digits.rfind("0086", 0) == 0) digits.erase(0, 4);
    else if (digits.size() == 13 && digits.rfind("861", 0) == 0) digits.erase(0, 2);
    if (!digits.empty() && digits[0] == '0') digits.erase(0, 1);  // a landline's trunk prefix
    return digits.size() >= 7 ? digits : std::string();
}

std::string coreName(std::string_view name)
{
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
    // Bracketed parts name a branch or a city: "昭智（北京）教育" → "昭智教育".
    icu::UnicodeString kept;
    int depth = 0;
    for (int32_t i = 0; i < u.length();) {
        const UChar32 c = u.char32At(i);
        i += U16_LENGTH(c);
        if (c == '(' || c == 0xFF08 || c == '[' || c == 0x3010) ++depth;
        else if ((c == ')' || c == 0xFF09 || c == ']' || c == 0x3011) && depth > 0) --depth;
        else if (depth == 0) kept.append(c);
    }
    kept.toLower();
    // Letters and digits only, single spaces between Latin words for the
    // suffix match, then no spaces at all.
    icu::UnicodeString clean;
    for (int32_t i = 0; i < kept.length();) {
        const UChar32 c = kept.char32At(i);
        i += U16_LENGTH(c);
        if (u_isalnum(c)) clean.append(c);
        else if (!clean.isEmpty() && clean.charAt(clean.length() - 1) != ' ') clean.append(static_cast<UChar>(' '));
    }
    clean.trim();
    for (bool stripped = true; stripped;) {
        stripped = false;
        for (const auto& suffix : companySuffixes()) {
            icu::UnicodeString s(reinterpret_cast<const UChar*>(suffix.data()), static_cast<int32_t>(suffix.size()));
            if (clean.length() > s.length() && clean.endsWith(s)) {
                clean.truncate(clean.length() - s.length());
                clean.trim();
                stripped = true;
            }
        }
    }
    clean.findAndReplace(icu::UnicodeString(static_cast<UChar>(' ')), icu::UnicodeString());
    std::string out;
    clean.toUTF8String(out);
    return out;
}

nlohmann::json DuplicateSuggestion::toJson() const
{
    return {{"id", id},
            {"name", name},
            {"owner", owner ? nlohmann::json(*owner) : nlohmann::json(nullptr)},
            {"reason", reason},
            {"detail", detail}};
}

std::vector<DuplicateSuggestion> findDuplicates(SearchIndex& index, const DuplicateCandidate& candidate)
{
    index.refresh();
    auto& db = index.replica().database();
    std::map<std::string, DuplicateSuggestion> found;  // by id: the strongest reason wins
    auto offer = [&](DuplicateSuggestion s) {
        if (s.id == candidate.excludeId) return;
        auto it = found.find(s.id);
        if (it == found.end()) found.emplace(s.id, std::move(s));
        else if (rank(s.reason) < rank(it->second.reason)) it->second = std::move(s);
    };
    constexpr const char* kColumns = "SELECT c.id, c.name, c.owner";
    auto suggestion = [](storage::Statement& st, const char* reason, std::string detail) {
        DuplicateSuggestion s;
        s.id = st.getText(0);
        s.name = st.getText(1);
        if (!st.isNull(2)) s.owner = st.getText(2);
        s.reason = reason;
        s.detail = std::move(detail);
        return s;
    };

    for (const auto& raw : candidate.phones) {
        const std::string phone = normalizePhone(raw);
        if (phone.empty()) continue;
        UsingStatement st(db, std::string(kColumns) + " FROM search_phone p JOIN customer c ON c.id = p.customer "
                              "WHERE p.phone = ? AND coalesce(c.archived, 0) = 0");
        st->bind(1, phone);
        while (st->step()) offer(suggestion(*st, "same_phone", raw));
    }

    const std::string core = coreName(candidate.name);
    if (!core.empty()) {
        {
            UsingStatement st(db, std::string(kColumns) + " FROM search_source s JOIN search_doc d ON d.docid = s.docid "
                                  "JOIN customer c ON c.id = d.customer WHERE s.core_name = ? AND coalesce(c.archived, 0) = 0");
            st->bind(1, core);
            while (st->step()) offer(suggestion(*st, "same_name", st->getText(1)));
        }
        const auto syllables = Pinyin::forThisThread().syllables(core);
        if (syllables.size() >= 2) {
            std::string full;
            for (const auto& s : syllables) full += s;
            UsingStatement st(db, std::string(kColumns) + " FROM search_source s JOIN search_doc d ON d.docid = s.docid "
                                  "JOIN customer c ON c.id = d.customer WHERE s.core_pinyin = ? AND coalesce(c.archived, 0) = 0");
            st->bind(1, full);
            while (st->step()) offer(suggestion(*st, "same_pinyin", full));
        }
        if (charCount(core) >= 2) {
            // One core name inside the other; the shorter one has at least
            // two characters, so a one-character name matches nothing.
            UsingStatement st(db, std::string(kColumns) + " FROM search_source s JOIN search_doc d ON d.docid = s.docid "
                                  "JOIN customer c ON c.id = d.customer WHERE coalesce(c.archived, 0) = 0 "
                                  "AND ((instr(s.core_name, ?1) > 0) OR (length(s.core_name) >= 2 AND instr(?1, s.core_name) > 0))");
            st->bind(1, core);
            while (st->step()) offer(suggestion(*st, "name_contains", st->getText(1)));
        }
    }

    std::vector<DuplicateSuggestion> out;
    for (auto& [id, s] : found) out.push_back(std::move(s));
    Pinyin& pinyin = Pinyin::forThisThread();
    std::stable_sort(out.begin(), out.end(), [&](const DuplicateSuggestion& a, const DuplicateSuggestion& b) {
        if (rank(a.reason) != rank(b.reason)) return rank(a.reason) < rank(b.reason);
        const auto ka = pinyin.sortKey(a.name), kb = pinyin.sortKey(b.name);
        return ka != kb ? ka < kb : a.id < b.id;
    });
    return out;
}

Result<std::vector<DuplicateSuggestion>> duplicatesOf(SearchIndex& index, std::string_view customerId)
{
    auto row = index.replica().get("customer", customerId);
    if (!row) return row.error();
    DuplicateCandidate c;
    c.excludeId = std::string(customerId);
    c.name = (*row)["name"].is_string() ? (*row)["name"].get<std::string>() : std::string();
    if ((*row)["phone"].is_string()) c.phones.push_back((*row)["phone"].get<std::string>());
    UsingStatement st(index.replica().database(),
                      "SELECT phone FROM contact WHERE customer = ? AND phone IS NOT NULL AND coalesce(archived, 0) = 0");
    st->bind(1, customerId);
    while (st->step()) c.phones.push_back(st->getText(0));
    return findDuplicates(index, c);
}

} // namespace fieldsync::domain
