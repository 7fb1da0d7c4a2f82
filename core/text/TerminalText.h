// TerminalText: names, notes and values typed by people (a device name at
// sign-in, a customer's name), printed in a terminal. A cell must stay one
// line that shows what it holds and cannot steer the terminal: control
// characters (C0, DEL, C1: escape sequences), bidirectional and other format
// characters and line or paragraph separators become spaces, invalid UTF-8
// becomes U+FFFD. Widths are terminal columns: East Asian wide and fullwidth
// characters (中文) take two, combining marks none (ICU's properties).
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace fieldsync::text {

std::string cleaned(std::string_view text);
// Columns a UTF-8 string takes on a terminal (invalid bytes: one each).
size_t displayWidth(std::string_view text);
// Cleaned, and cut to `maxColumns` with a final "…" when longer (0: not cut).
std::string fitted(std::string_view text, size_t maxColumns);

// An aligned plain-text table: columns two spaces apart, no trailing blanks.
class Table {
public:
    explicit Table(std::vector<std::string> headers);

    // Cells are fitted (above) to the table's maximum cell width.
    void addRow(std::vector<std::string> cells);
    bool empty() const { return m_rows.empty(); }
    size_t size() const { return m_rows.size(); }
    void setMaxCellWidth(size_t columns) { m_maxCellWidth = columns; }  // 0: no limit
    void print(std::ostream& out) const;

private:
    std::vector<std::string> m_headers;
    std::vector<std::vector<std::string>> m_rows;
    size_t m_maxCellWidth = 40;
};

} // namespace fieldsync::text
