// libFuzzer target: the change-record and bundle codec (core/protocol/ChangeRecord.h).
//
// Input: any bytes, parsed as JSON (invalid JSON is skipped). The value is
// decoded as a record and as a bundle (and, for an array, each element as a
// record). Invariants (a violation prints the input and traps):
//   * decoding never throws: a bad record is an Error, not an exception;
//   * round trip: whatever decodes, encoded with toJson and decoded again —
//     as a json value and through its text (dump, parse) — gives an equal
//     record (bundle: equal device and records).
// Seeds: corpus/record/.
#include "protocol/ChangeRecord.h"
#include "schema/Schema.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

namespace {

using namespace fieldsync;
using nlohmann::json;

[[noreturn]] void fail(const char* what, const json& input, const json& encoded)
{
    std::fprintf(stderr, "\n*** record_fuzz invariant violated: %s\ninput:   %s\nencoded: %s\n", what,
                 input.dump().substr(0, 2000).c_str(), encoded.dump().substr(0, 2000).c_str());
    __builtin_trap();
}

void recordRoundTrip(const json& j)
{
    const auto& schema = schema::fieldsyncSchema();
    auto r = protocol::recordFromJson(j, schema);
    if (!r) return;
    json encoded = protocol::toJson(*r, schema);
    auto again = protocol::recordFromJson(encoded, schema);
    if (!again) fail(("an encoded record does not decode: " + again.error().message).c_str(), j, encoded);
    if (!(*again == *r)) fail("record round trip (json value) changed the record", j, encoded);
    json reparsed = json::parse(encoded.dump(), nullptr, false);
    auto fromText = protocol::recordFromJson(reparsed, schema);
    if (!fromText) fail(("an encoded record's text does not decode: " + fromText.error().message).c_str(), j, encoded);
    if (!(*fromText == *r)) fail("record round trip (text) changed the record", j, encoded);
}

void bundleRoundTrip(const json& j)
{
    const auto& schema = schema::fieldsyncSchema();
    auto b = protocol::bundleFromJson(j, schema);
    if (!b) return;
    json encoded = protocol::toJson(*b, schema);
    json reparsed = json::parse(encoded.dump(), nullptr, false);
    for (const json* e : {&encoded, &reparsed}) {
        auto again = protocol::bundleFromJson(*e, schema);
        if (!again) fail(("an encoded bundle does not decode: " + again.error().message).c_str(), j, encoded);
        if (again->from != b->from || again->records != b->records)
            fail("bundle round trip changed the bundle", j, encoded);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    json j = json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return 0;
    recordRoundTrip(j);
    bundleRoundTrip(j);
    if (j.is_array())
        for (size_t i = 0; i < std::min<size_t>(j.size(), 64); ++i) recordRoundTrip(j[i]);
    return 0;
}
