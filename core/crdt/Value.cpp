#include "crdt/Value.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace fieldsync::crdt {

nlohmann::json toJson(const Value& v)
{
    return std::visit(
        [](const auto& x) -> nlohmann::json {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>)
                return nullptr;
            else
                return x;
        },
        v);
}

Value valueFromJson(const nlohmann::json& j)
{
    switch (j.type()) {
    case nlohmann::json::value_t::null: return std::monostate{};
    case nlohmann::json::value_t::boolean: return j.get<bool>();
    case nlohmann::json::value_t::number_integer: return j.get<int64_t>();
    case nlohmann::json::value_t::number_unsigned: {
        auto u = j.get<uint64_t>();
        if (u > static_cast<uint64_t>(INT64_MAX)) throw std::invalid_argument("integer out of range");
        return static_cast<int64_t>(u);
    }
    case nlohmann::json::value_t::number_float: return j.get<double>();
    case nlohmann::json::value_t::string: return j.get<std::string>();
    default: throw std::invalid_argument("expected a plain value, got " + std::string(j.type_name()));
    }
}

std::string describe(const Value& v)
{
    // Messages quote what was sent, not all of it: a long value is cut (at a
    // UTF-8 character boundary) so an error stays one readable line.
    constexpr size_t kMax = 80;
    std::string text = toJson(v).dump();
    if (text.size() <= kMax) return text;
    size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return text.substr(0, cut) + "…";
}

} // namespace fieldsync::crdt
