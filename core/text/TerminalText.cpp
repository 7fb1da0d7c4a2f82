#include "text/TerminalText.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <ostream>

namespace fieldsync::text {

namespace {

// Calls fn(code point or -1 for an invalid sequence, its bytes) for each
// character of `text`.
template <typename Fn>
void forEachChar(std::string_view text, Fn&& fn)
{
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    const auto length = static_cast<int32_t>(text.size());
    for (int32_t i = 0; i < length;) {
        const int32_t start = i;
        UChar32 c = 0;
        U8_NEXT(s, i, length, c);
        fn(c, text.substr(static_cast<size_t>(start), static_cast<size_t>(i - start)));
    }
}

int columnsOf(UChar32 c)
{
    if (c < 0) return 1;
    const int8_t type = u_charType(c);
    if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK) return 0;
    const int width = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
    return width == U_EA_WIDE || width == U_EA_FULLWIDTH ? 2 : 1;
}

} // namespace

std::string cleaned(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    forEachChar(text, [&](UChar32 c, std::string_view bytes) {
        if (c < 0) {
            out += "\xEF\xBF\xBD";
            return;
        }
        const int8_t type = u_charType(c);
        if (type == U_CONTROL_CHAR || type == U_FORMAT_CHAR || type == U_LINE_SEPARATOR || type == U_PARAGRAPH_SEPARATOR)
            out += ' ';
        else
            out += bytes;
    });
    return out;
}

size_t displayWidth(std::string_view text)
{
    size_t columns = 0;
    forEachChar(text, [&](UChar32 c, std::string_view) { columns += static_cast<size_t>(columnsOf(c)); });
    return columns;
}

std::string fitted(std::string_view text, size_t maxColumns)
{
    std::string clean = cleaned(text);
    if (maxColumns == 0 || displayWidth(clean) <= maxColumns) return clean;
    std::string out;
    size_t columns = 0;
    bool cut = false;
    forEachChar(clean, [&](UChar32 c, std::string_view bytes) {
        if (cut) return;
        columns += static_cast<size_t>(columnsOf(c));
        if (columns > maxColumns - 1) cut = true;
        else out += bytes;
    });
    return out + "…";
}

Table::Table(std::vector<std::string> headers) : m_headers(std::move(headers)) {}

void Table::addRow(std::vector<std::string> cells)
{
    cells.resize(m_headers.size());
    for (auto& c : cells) c = fitted(c, m_maxCellWidth);
    m_rows.push_back(std::move(cells));
}

void Table::print(std::ostream& out) const
{
    std::vector<size_t> widths(m_headers.size());
    for (size_t i = 0; i < m_headers.size(); ++i) widths[i] = displayWidth(m_headers[i]);
    for (const auto& row : m_rows)
        for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], displayWidth(row[i]));
    auto line = [&](const std::vector<std::string>& cells) {
        std::string text;
        for (size_t i = 0; i < cells.size(); ++i) {
            text += cells[i];
            if (i + 1 == cells.size()) break;
            text.append(widths[i] - displayWidth(cells[i]) + 2, ' ');
        }
        while (!text.empty() && text.back() == ' ') text.pop_back();
        out << text << '\n';
    };
    line(m_headers);
    for (const auto& row : m_rows) line(row);
}

} // namespace fieldsync::text
