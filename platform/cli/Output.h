// Output: how the shell prints — aligned plain-text tables and key/value
// blocks for people, JSON for scripts (`--json`: one JSON value on stdout and
// nothing else). Text is UTF-8 throughout; table cells are cleaned so typed
// text cannot steer the terminal, and column widths count East Asian wide
// characters (中文) as two columns (core/text/TerminalText.h).
#pragma once

#include "schema/Schema.h"
#include "text/TerminalText.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fieldsync::cli {

// Aligned tables of cleaned cells, cut at 40 columns by default (core/text).
using text::Table;

// Prints "key  value" lines with the values aligned.
void printPairs(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& pairs);

// `--json` output: the value, indented, and a newline.
void printJson(std::ostream& out, const nlohmann::json& value);

using text::displayWidth;
bool isValidUtf8(std::string_view text);

// Human forms. Null is "-"; times are ISO 8601 in the local time zone (TZ),
// with the offset ("2026-11-22T09:30:00+08:00", or "...Z" for UTC), which
// `FIELD=VALUE` reads back; tag sets are comma-separated.
std::string formatTime(int64_t unixMillis);
std::string formatValue(const schema::FieldDef& field, const nlohmann::json& value);
std::string formatJsonValue(const nlohmann::json& value);

} // namespace fieldsync::cli
