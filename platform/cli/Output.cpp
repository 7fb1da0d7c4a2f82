#include "Output.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <ostream>

namespace fieldsync::cli {

using nlohmann::json;

namespace {

// Decodes one UTF-8 sequence at `pos`; returns the code point and advances
// `pos`, or returns -1 for an invalid sequence (advancing one byte).
int32_t decodeUtf8(std::string_view s, size_t& pos)
{
    auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
    unsigned char c = byte(pos);
    int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (len == 0 || pos + static_cast<size_t>(len) > s.size()) {
        ++pos;
        return -1;
    }
    int32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
    for (int i = 1; i < len; ++i) {
        unsigned char cc = byte(pos + static_cast<size_t>(i));
        if ((cc >> 6) != 0x2) {
            ++pos;
            return -1;
        }
        cp = (cp << 6) | (cc & 0x3f);
    }
    static constexpr int32_t minimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < minimum[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        ++pos;
        return -1;
    }
    pos += static_cast<size_t>(len);
    return cp;
}

void pad(std::ostream& out, const std::string& text, size_t width)
{
    out << text;
    for (size_t w = displayWidth(text); w < width; ++w) out << ' ';
}

} // namespace

void printPairs(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& pairs)
{
    size_t width = 0;
    for (const auto& [key, value] : pairs) width = std::max(width, displayWidth(key));
    for (const auto& [key, value] : pairs) {
        pad(out, key, width);
        out << "  " << value << '\n';
    }
}

void printJson(std::ostream& out, const json& value)
{
    out << value.dump(2) << '\n';
}

// ---------------------------------------------------------------- text

bool isValidUtf8(std::string_view text)
{
    size_t pos = 0;
    while (pos < text.size())
        if (decodeUtf8(text, pos) < 0) return false;
    return true;
}

std::string formatTime(int64_t unixMillis)
{
    std::time_t seconds = static_cast<std::time_t>(unixMillis / 1000 - (unixMillis % 1000 < 0 ? 1 : 0));
    std::tm tm{};
    localtime_r(&seconds, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    std::string out = buf;
    const int offset = static_cast<int>(tm.tm_gmtoff / 60);
    if (offset == 0) return out + "Z";
    const int hours = std::abs(offset) / 60 % 100, minutes = std::abs(offset) % 60;
    char zone[8];
    std::snprintf(zone, sizeof zone, "%c%02d:%02d", offset < 0 ? '-' : '+', hours, minutes);
    return out + zone;
}

std::string formatJsonValue(const json& value)
{
    if (value.is_null()) return "-";
    if (value.is_string()) return value.get<std::string>();
    if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
    if (value.is_array()) {
        std::string out;
        for (const auto& v : value) out += (out.empty() ? "" : ", ") + formatJsonValue(v);
        return out.empty() ? "-" : out;
    }
    return value.dump();
}

std::string formatValue(const schema::FieldDef& field, const json& value)
{
    if (field.type == schema::FieldType::Time && value.is_number_integer()) return formatTime(value.get<int64_t>());
    return formatJsonValue(value);
}

} // namespace fieldsync::cli
