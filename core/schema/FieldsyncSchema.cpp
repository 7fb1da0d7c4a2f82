// The fieldsync data model (DESIGN §3). Append fields, never reorder: field
// indices are persisted. Adding a field means a migration that adds its column
// (replica/Migrations.cpp) and a bump of kSchemaVersion.
#include "schema/Schema.h"

#include <cstdint>

namespace fieldsync::schema {
namespace {

using crdt::Rule;
using T = FieldType;

FieldDef f(std::string name, FieldType type, Rule rule = Rule::Lww)
{
    FieldDef d;
    d.name = std::move(name);
    d.type = type;
    d.rule = rule;
    return d;
}

FieldDef required(FieldDef d)
{
    d.required = true;
    return d;
}

FieldDef enumOf(std::string name, std::vector<std::string> options)
{
    FieldDef d = f(std::move(name), T::Enum);
    d.options = std::move(options);
    return d;
}

FieldDef stageOf(std::string name, std::vector<std::string> stages)
{
    FieldDef d = f(std::move(name), T::Stage, Rule::Stage);
    d.options = std::move(stages);
    return d;
}

FieldDef ref(std::string name, std::string entity)
{
    FieldDef d = f(std::move(name), T::Ref);
    d.refEntity = std::move(entity);
    return d;
}

FieldDef bounded(std::string name, int64_t lo, int64_t hi)
{
    FieldDef d = f(std::move(name), T::Integer);
    d.min = lo;
    d.max = hi;
    return d;
}

FieldDef once(FieldDef d)
{
    d.rule = Rule::Once;
    return d;
}

FieldDef captured(FieldDef d)
{
    d.captured = true;
    return d;
}

FieldDef serverOnly(FieldDef d)
{
    d.serverOnly = true;
    return d;
}

FieldDef formatted(FieldDef d, TextFormat format)
{
    d.format = format;
    return d;
}

FieldDef sameRoot(FieldDef d)
{
    d.sameRoot = true;
    return d;
}

// Scope declarations (Schema.h, ScopeKind).
ScopeNames root(std::string owner, std::string team) { return {ScopeKind::Root, std::move(owner), std::move(team)}; }
ScopeNames childOf(std::string parent) { return {ScopeKind::Child, std::move(parent), {}}; }
ScopeNames about(std::string entity, std::string row) { return {ScopeKind::Subject, std::move(entity), std::move(row)}; }
ScopeNames shared() { return {ScopeKind::Shared, {}, {}}; }

std::vector<EntityDef> declare()
{
    return {
        {"customer", "customer",
         {
             required(f("name", T::Text)),
             f("phone", T::Text),
             f("address", T::Text),
             f("lat", T::Real),
             f("lng", T::Real),
             f("region", T::Text),
             f("industry", T::Text),
             enumOf("size", {"micro", "small", "medium", "large", "enterprise"}),
             enumOf("level", {"A", "B", "C", "D"}),
             // 潜在 → 首购 → 复购 → 忠诚, and 流失: a customer can churn and come back,
             // so this is a plain lww field, not a one-way stage.
             enumOf("lifecycle", {"lead", "first_purchase", "repeat", "loyal", "churned"}),
             f("source", T::Text),
             f("annual_sales", T::Real),
             f("owner", T::Text),  // user name of the owning rep; null = public pool
             f("tags", T::TagSet, Rule::Set),
             f("notes", T::Text, Rule::Text),
             f("archived", T::Bool),
             // Whose public pool holds it while it has no owner (null: every
             // team's). Set when the customer is created, never after
             // (sync-server/api/Scope.h), so a pull's visibility of a
             // customer changes only with its owner.
             once(f("team", T::Text)),
         },
         root("owner", "team")},
        {"contact", "contact",
         {
             required(ref("customer", "customer")),
             required(f("name", T::Text)),
             f("title", T::Text),
             f("phone", T::Text),
             f("email", T::Text),
             f("birthday", T::Text),
             f("is_primary", T::Bool),
             f("archived", T::Bool),
         },
         childOf("customer")},
        {"visit", "visit",
         {
             required(ref("customer", "customer")),
             f("rep", T::Text),
             enumOf("kind", {"visit", "follow_up", "complaint", "delivery", "other"}),
             f("planned_at", T::Time),
             // Check-in and check-out are audit facts: written once, in one write
             // (one clock), so a concurrent second check-in loses as a whole.
             once(captured(f("checkin_at", T::Time))),
             once(f("checkin_lat", T::Real)),
             once(f("checkin_lng", T::Real)),
             once(f("checkin_accuracy", T::Real)),
             once(captured(f("checkout_at", T::Time))),
             once(f("checkout_lat", T::Real)),
             once(f("checkout_lng", T::Real)),
             f("distance_m", T::Real),
             f("purpose", T::Text),
             f("notes", T::Text, Rule::Text),
             f("outcome", T::Text),
             bounded("satisfaction", 1, 5),
             f("next_follow_up", T::Time),
             f("order_amount", T::Real),
             stageOf("status", {"planned", "checked_in", "completed"}),
             f("voided", T::Bool),
             f("void_reason", T::Text),
             // Schema 4, evidence of the check-in (docs/time.md): the device
             // clock's own reading when it captured checkin_at (checkin_at is
             // corrected to server time; the difference is the correction),
             // whether the platform reported a mock location provider, and
             // whether the device knew itself offline — written in the
             // check-in's one write.
             once(f("checkin_device_at", T::Time)),
             once(f("checkin_mock", T::Bool)),
             once(f("checkin_offline", T::Bool)),
             // Written by the server when it merges a check-in or check-out
             // (evidence/Verification.h): the verdict, its reasons
             // ("far,short_stay"), and when the check-in reached the server.
             serverOnly(enumOf("verdict", {"verified", "unverified", "suspicious"})),
             serverOnly(f("verdict_reasons", T::Text)),
             serverOnly(f("checkin_received_at", T::Time)),
         },
         childOf("customer")},
        {"task", "task",
         {
             required(ref("customer", "customer")),
             f("assignee", T::Text),
             f("due", T::Time),
             required(f("title", T::Text)),
             stageOf("status", {"open", "done"}),
             ref("origin_visit", "visit"),
             f("notes", T::Text, Rule::Text),
             f("archived", T::Bool),
         },
         childOf("customer")},
        {"complaint", "complaint",
         {
             required(ref("customer", "customer")),
             captured(f("received_at", T::Time)),
             enumOf("channel", {"phone", "visit", "wechat", "email", "other"}),
             f("description", T::Text, Rule::Text),
             enumOf("severity", {"low", "medium", "high"}),
             f("handler", T::Text),
             stageOf("status", {"received", "investigating", "answered", "followed_up"}),
             f("resolution", T::Text, Rule::Text),
             bounded("satisfaction_after", 1, 5),
             f("voided", T::Bool),
         },
         childOf("customer")},
        // The conflict log (DESIGN §3): one row per concurrently overwritten
        // value, written by the hub and synced like any other row. Only
        // `resolved` is written by devices (resolving is a normal write).
        {"conflict", "conflict",
         {
             serverOnly(f("entity", T::Text)),
             serverOnly(f("row", T::Text)),
             serverOnly(f("field", T::Text)),
             serverOnly(f("rule", T::Text)),
             serverOnly(f("loser_value", T::Text)),   // JSON of the losing value
             serverOnly(f("loser_clock", T::Text)),
             serverOnly(f("winner_value", T::Text)),  // JSON of the value that won
             serverOnly(f("winner_clock", T::Text)),
             serverOnly(f("detected_at", T::Time)),
             f("resolved", T::Bool),
         },
         about("entity", "row")},
        // A team's configuration (schema 2): one row per team, its id
        // teamConfigRowId(team), written by the team's managers and read by
        // every device of the team (core/domain/Cadence.h). Each value lww;
        // an unset one keeps the device's fallback.
        {"team_config", "team_config",
         {
             required(once(f("team", T::Text))),
             bounded("cadence_a", 1, 3650),
             bounded("cadence_b", 1, 3650),
             bounded("cadence_c", 1, 3650),
             bounded("cadence_d", 1, 3650),
             f("radius_m", T::Real),
             // Schema 4: check-in verification thresholds (evidence/Verification.h).
             bounded("min_dwell_min", 0, 1440),
             bounded("max_speed_kmh", 1, 2000),
             bounded("max_offset_s", 0, 31'536'000),
         },
         shared()},
        // A photo (schema 5, docs/photos.md): the row says what the picture
        // is; its bytes travel apart, addressed by their SHA-256, uploaded
        // and fetched on their own (/v1/photos), never in a sync. It hangs
        // off the customer (its scope) and, within it, a visit or a
        // complaint (none: a photo of the customer itself). What the picture
        // is never changes: only the caption and archiving are edits.
        {"photo", "photo",
         {
             required(ref("customer", "customer")),
             once(sameRoot(ref("visit", "visit"))),
             once(sameRoot(ref("complaint", "complaint"))),
             required(once(formatted(f("sha256", T::Text), TextFormat::Sha256Hex))),
             required(once(bounded("size", 1, kMaxPhotoBytes))),
             required(once(enumOf("media_type", {"image/jpeg"}))),
             once(bounded("width", 1, 20'000)),
             once(bounded("height", 1, 20'000)),
             once(captured(f("captured_at", T::Time))),
             f("caption", T::Text),
             // A small JPEG (the long side 320 px, about 30 KB) for lists and
             // timelines offline; at most kMaxTextBytes of base64.
             once(formatted(f("thumbnail", T::Text), TextFormat::JpegBase64)),
             f("archived", T::Bool),
             // Written by the server when it holds every byte of the photo
             // (docs/photos.md): until then the bytes are only on the phone
             // that took it.
             serverOnly(f("uploaded_at", T::Time)),
         },
         childOf("customer")},
    };
}

// FNV-1a over the bytes, from a given basis (64 bits).
uint64_t fnv1a(std::string_view text, uint64_t hash)
{
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

} // namespace

std::string teamConfigRowId(std::string_view team)
{
    // 128 bits: two FNV-1a hashes of "team_config:<team>" from different
    // bases. Not a secret and not adversarial (team names are made by
    // admins): only stable across builds and platforms, and distinct.
    const std::string key = "team_config:" + std::string(team);
    const uint64_t hi = fnv1a(key, 0xcbf29ce484222325ULL), lo = fnv1a(key, 0x84222325cbf29ce4ULL);
    uint8_t b[16];
    for (int i = 0; i < 8; ++i) {
        b[i] = static_cast<uint8_t>(hi >> (56 - 8 * i));
        b[8 + i] = static_cast<uint8_t>(lo >> (56 - 8 * i));
    }
    b[6] = static_cast<uint8_t>(0x80 | (b[6] & 0x0f));  // version 8: custom
    b[8] = static_cast<uint8_t>(0x80 | (b[8] & 0x3f));  // RFC 4122 variant
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += hex[b[i] >> 4];
        out += hex[b[i] & 0x0f];
    }
    return out;
}

const Schema& fieldsyncSchema()
{
    static const Schema schema(declare());
    return schema;
}

} // namespace fieldsync::schema
