// Value: one field's value as the merge rules and the wire see it.
// null | integer | real | text | bool. Timestamps are integers (ms since the
// Unix epoch); ids and enums are text. JSON mapping is one to one (null,
// number without/with fraction, string, true/false), so a value survives a
// round trip through a bundle or the wire unchanged.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <variant>

namespace fieldsync::crdt {

using Value = std::variant<std::monostate, int64_t, double, std::string, bool>;

inline bool isNull(const Value& v) { return std::holds_alternative<std::monostate>(v); }

nlohmann::json toJson(const Value& v);
// Throws std::invalid_argument for arrays and objects.
Value valueFromJson(const nlohmann::json& j);
// Short human form for messages ("null", "42", "\"text\""); a long value is cut.
std::string describe(const Value& v);

} // namespace fieldsync::crdt
