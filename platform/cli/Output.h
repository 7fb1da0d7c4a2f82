// Output: how the shell prints — aligned plain-text tables and key/value
// blocks for people, JSON for scripts (`--json`: one JSON value on stdout and
// nothing else). Text is UTF-8 throughout and passes through untouched; column
// widths count East Asian wide characters (中文) as two columns.
#pragma once

#include "schema/Schema.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fieldsync::cli {

class Table {
public:
    explicit Table(std::vector<std::string> headers);

    // Cells are cleaned (control characters become spaces) and cut to
    // `maxCellWidth` columns with an ellipsis.
    void addRow(std::vector<std::string> cells);
    bool empty() const { return m_rows.empty(); }
    size_t size() const { return m_rows.size(); }
    void setMaxCellWidth(size_t columns) { m_maxCellWidth = columns; }
    void print(std::ostream& out) const;

private:
    std::vector<std::string> m_headers;
    std::vector<std::vector<std::string>> m_rows;
    size_t m_maxCellWidth = 40;
};

// Prints "key  value" lines with the values aligned.
void printPairs(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& pairs);

// `--json` output: the value, indented, and a newline.
void printJson(std::ostream& out, const nlohmann::json& value);

// Columns a UTF-8 string takes on a terminal.
size_t displayWidth(std::string_view text);
bool isValidUtf8(std::string_view text);

// Human forms. Null is "-"; times are ISO 8601 in the local time zone (TZ),
// with the offset ("2026-11-22T09:30:00+08:00", or "...Z" for UTC), which
// `FIELD=VALUE` reads back; tag sets are comma-separated.
std::string formatTime(int64_t unixMillis);
std::string formatValue(const schema::FieldDef& field, const nlohmann::json& value);
std::string formatJsonValue(const nlohmann::json& value);

} // namespace fieldsync::cli
