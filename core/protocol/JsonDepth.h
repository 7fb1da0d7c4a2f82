// A bound on JSON nesting, checked before any parser sees the text.
//
// nlohmann::json builds a value for every `[` and `{` it meets: 8 MiB of
// `[[[[…` costs seconds of CPU and over a GiB of memory before it fails. The
// wire format (docs/api.md) nests about 6 deep (request → push → changes →
// record → remove → dots), so every message the server and the devices
// decode — requests, answers, bundles — is checked against kMaxJsonDepth with
// this linear scan first, and anything deeper is refused as
// invalid_argument without being parsed.
//
// The scan counts `[`/`{` against `]`/`}` outside strings (skipping `\`
// escapes inside them). It does not validate: malformed text of acceptable
// depth is left for the parser to refuse. For text the parser accepts, the
// depth is exactly the parsed value's (a scalar is 0, `[]` and `{}` are 1).
#pragma once

#include "base/Result.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace fieldsync::protocol {

inline constexpr size_t kMaxJsonDepth = 32;

// The deepest nesting in `text`; stops scanning once it exceeds `stopAbove`
// (and returns a value above it), so a hostile body costs one pass at most.
inline size_t jsonNestingDepth(std::string_view text, size_t stopAbove = static_cast<size_t>(-1))
{
    size_t depth = 0, deepest = 0;
    bool inString = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\') ++i;  // the escaped character cannot end the string
            else if (c == '"') inString = false;
            continue;
        }
        switch (c) {
        case '"': inString = true; break;
        case '[':
        case '{':
            if (++depth > deepest) {
                deepest = depth;
                if (deepest > stopAbove) return deepest;
            }
            break;
        case ']':
        case '}':
            if (depth > 0) --depth;
            break;
        default: break;
        }
    }
    return deepest;
}

// InvalidArgument naming the limit when `text` nests deeper than `limit`.
inline Status checkJsonDepth(std::string_view text, size_t limit = kMaxJsonDepth)
{
    if (jsonNestingDepth(text, limit) <= limit) return Ok{};
    return invalidArgument("the JSON nests deeper than " + std::to_string(limit) +
                           " levels of arrays and objects (the limit; fieldsync messages need about 6)");
}

} // namespace fieldsync::protocol
