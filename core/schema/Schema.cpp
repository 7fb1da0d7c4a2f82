#include "schema/Schema.h"

#include <charconv>
#include <cmath>
#include <ctime>
#include <stdexcept>

namespace fieldsync::schema {

std::string_view typeName(FieldType type)
{
    switch (type) {
    case FieldType::Text: return "text";
    case FieldType::Integer: return "integer";
    case FieldType::Real: return "number";
    case FieldType::Bool: return "true/false";
    case FieldType::Time: return "time";
    case FieldType::Ref: return "row id";
    case FieldType::Enum: return "one of a list";
    case FieldType::Stage: return "stage";
    case FieldType::TagSet: return "tag set";
    }
    return "?";
}

int FieldDef::stageRank(std::string_view stage) const
{
    for (size_t i = 0; i < options.size(); ++i)
        if (options[i] == stage) return static_cast<int>(i);
    return -1;
}

const FieldDef* EntityDef::field(std::string_view fieldName) const
{
    for (const auto& fd : fields)
        if (fd.name == fieldName) return &fd;
    return nullptr;
}

Schema::Schema(std::vector<EntityDef> entities) : m_entities(std::move(entities))
{
    for (size_t e = 0; e < m_entities.size(); ++e) {
        auto& ent = m_entities[e];
        ent.code = static_cast<int>(e);
        if (ent.fields.size() > 64) throw std::logic_error("entity " + ent.name + " has more than 64 fields");
        for (size_t i = 0; i < ent.fields.size(); ++i) ent.fields[i].index = static_cast<int>(i);
    }
    // The scope declarations: resolved to field indices, and checked, so a
    // mistake in the schema fails at start-up, not in a scope decision.
    auto textField = [](const EntityDef& ent, const std::string& name, const char* role) {
        const FieldDef* f = ent.field(name);
        if (!f || (f->type != FieldType::Text && f->type != FieldType::Ref))
            throw std::logic_error("entity " + ent.name + ": its " + role + " field \"" + name + "\" is not a text field");
        return f->index;
    };
    for (auto& ent : m_entities) {
        const auto& n = ent.scopeNames;
        ent.scope.kind = n.kind;
        switch (n.kind) {
        case ScopeKind::Shared: break;
        case ScopeKind::Root:
            if (m_root >= 0) throw std::logic_error("the schema declares two scope roots");
            m_root = ent.code;
            ent.scope.owner = textField(ent, n.a, "owner");
            ent.scope.team = textField(ent, n.b, "team");
            if (ent.fields[static_cast<size_t>(ent.scope.team)].rule != crdt::Rule::Once)
                throw std::logic_error("entity " + ent.name + ": its team field must be write-once");
            break;
        case ScopeKind::Child:
            ent.scope.parent = textField(ent, n.a, "parent");
            break;
        case ScopeKind::Subject:
            if (m_subject >= 0) throw std::logic_error("the schema declares two subject entities");
            m_subject = ent.code;
            ent.scope.subjectEntity = textField(ent, n.a, "subject entity");
            ent.scope.subjectRow = textField(ent, n.b, "subject row");
            break;
        }
    }
    for (auto& ent : m_entities) {
        if (ent.scope.kind != ScopeKind::Child) continue;
        if (m_root < 0) throw std::logic_error("entity " + ent.name + " is a child but the schema has no scope root");
        const auto& p = ent.fields[static_cast<size_t>(ent.scope.parent)];
        if (p.type != FieldType::Ref || p.refEntity != root().name || !p.required)
            throw std::logic_error("entity " + ent.name + ": its parent field " + p.name
                                   + " must be a required reference to " + root().name);
        m_children.push_back(&ent);
    }
    for (const auto& ent : m_entities)
        for (const auto& f : ent.fields) {
            if (f.sameRoot && (f.type != FieldType::Ref || ent.scope.kind != ScopeKind::Child))
                throw std::logic_error("entity " + ent.name + ": " + f.name
                                       + " can name a row of the same root only as a reference of a child");
            if (f.format != TextFormat::Any && f.type != FieldType::Text)
                throw std::logic_error("entity " + ent.name + ": " + f.name + " has a text format but is not text");
        }
}

const EntityDef* Schema::entity(std::string_view entityName) const
{
    for (const auto& e : m_entities)
        if (e.name == entityName) return &e;
    return nullptr;
}

namespace {

std::string where(const EntityDef& e, const FieldDef& f)
{
    return e.name + "." + f.name;
}

std::string joinOptions(const std::vector<std::string>& options)
{
    std::string out;
    for (const auto& o : options) {
        if (!out.empty()) out += ", ";
        out += o;
    }
    return out;
}

} // namespace

bool isRowId(std::string_view id)
{
    if (id.size() != 36) return false;
    for (size_t i = 0; i < id.size(); ++i) {
        char c = id[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

bool isSha256Hex(std::string_view text)
{
    if (text.size() != 64) return false;
    for (char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

bool isJpegBase64(std::string_view text)
{
    // Padded base64 of at least the JPEG start-of-image marker and one more
    // marker byte; no line breaks, no URL-safe alphabet.
    if (text.size() < 8 || text.size() % 4 != 0 || !text.starts_with("/9j/")) return false;
    size_t padding = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '=') {
            if (i + 2 < text.size()) return false;  // only the last two may pad
            ++padding;
            continue;
        }
        if (padding) return false;  // nothing after padding
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'))
            return false;
    }
    return true;
}

Status validate(const EntityDef& entity, const FieldDef& field, const crdt::Value& value)
{
    using crdt::Value;
    if (crdt::isNull(value)) {
        if (field.type == FieldType::TagSet) return invalidArgument(where(entity, field) + " expects a non-empty tag, got null");
        if (field.type == FieldType::Stage)
            return invalidArgument(where(entity, field) + " cannot be cleared; move it forward or reopen it");
        if (field.required) return invalidArgument(where(entity, field) + " is required and cannot be empty");
        return Ok{};
    }
    auto expect = [&](std::string_view what) {
        return invalidArgument(where(entity, field) + " expects " + std::string(what) + ", got "
                               + crdt::describe(value));
    };
    switch (field.type) {
    case FieldType::Text:
        if (!std::holds_alternative<std::string>(value)) return expect("text");
        if (field.required && std::get<std::string>(value).empty())
            return invalidArgument(where(entity, field) + " is required and cannot be empty");
        if (std::get<std::string>(value).size() > kMaxTextBytes)
            return invalidArgument(where(entity, field) + " is longer than " + std::to_string(kMaxTextBytes / 1024)
                                   + " KiB (" + std::to_string(std::get<std::string>(value).size()) + " bytes)");
        if (field.format == TextFormat::Sha256Hex && !isSha256Hex(std::get<std::string>(value)))
            return invalidArgument(where(entity, field) + " expects a SHA-256 as 64 lowercase hexadecimal digits, got "
                                   + crdt::describe(value));
        if (field.format == TextFormat::JpegBase64 && !isJpegBase64(std::get<std::string>(value)))
            return invalidArgument(where(entity, field) + " expects a JPEG image in base64");
        return Ok{};
    case FieldType::Ref:
        // A reference names a row by its id, nothing else (no paths, no names).
        if (!std::holds_alternative<std::string>(value)) return expect("a row id (text)");
        if (field.required && std::get<std::string>(value).empty())
            return invalidArgument(where(entity, field) + " is required and cannot be empty");
        if (!isRowId(std::get<std::string>(value)))
            return invalidArgument(where(entity, field) + " expects a row id like 0193b0a0-5c3e-7d2a-9f10-2b3c4d5e6f70, got "
                                   + crdt::describe(value));
        return Ok{};
    case FieldType::Integer:
    case FieldType::Time: {
        if (!std::holds_alternative<int64_t>(value)) return expect(field.type == FieldType::Time ? "a time" : "an integer");
        int64_t v = std::get<int64_t>(value);
        if ((field.min && v < *field.min) || (field.max && v > *field.max)) {
            std::string range = field.min && field.max
                ? "between " + std::to_string(*field.min) + " and " + std::to_string(*field.max)
                : field.min ? "at least " + std::to_string(*field.min) : "at most " + std::to_string(*field.max);
            return invalidArgument(where(entity, field) + " must be " + range + ", got " + std::to_string(v));
        }
        return Ok{};
    }
    case FieldType::Real:
        if (std::holds_alternative<int64_t>(value)) return Ok{};
        if (!std::holds_alternative<double>(value) || !std::isfinite(std::get<double>(value))) return expect("a number");
        return Ok{};
    case FieldType::Bool:
        if (!std::holds_alternative<bool>(value)) return expect("true or false");
        return Ok{};
    case FieldType::Enum:
    case FieldType::Stage: {
        if (!std::holds_alternative<std::string>(value)) return expect("one of: " + joinOptions(field.options));
        const auto& s = std::get<std::string>(value);
        for (const auto& o : field.options)
            if (o == s) return Ok{};
        return invalidArgument(where(entity, field) + " must be one of: " + joinOptions(field.options) + "; got \"" + s
                               + "\"");
    }
    case FieldType::TagSet:
        if (!std::holds_alternative<std::string>(value) || std::get<std::string>(value).empty())
            return expect("a non-empty tag");
        if (std::get<std::string>(value).size() > kMaxTagBytes)
            return invalidArgument(where(entity, field) + ": a tag is at most " + std::to_string(kMaxTagBytes) + " bytes");
        return Ok{};
    }
    return expect("?");
}

namespace {

// "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" with optional "Z" or "+HH:MM"/"-HH:MM";
// no offset means UTC. Returns ms since the epoch.
std::optional<int64_t> parseIsoTime(std::string_view s)
{
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    auto num = [&](size_t pos, size_t len, int& out) {
        if (pos + len > s.size()) return false;
        for (size_t i = pos; i < pos + len; ++i)
            if (s[i] < '0' || s[i] > '9') return false;  // digits only: no sign, no space
        std::from_chars(s.data() + pos, s.data() + pos + len, out);
        return true;
    };
    if (!num(0, 4, y) || s.size() < 10 || s[4] != '-' || !num(5, 2, mo) || s[7] != '-' || !num(8, 2, d))
        return std::nullopt;
    size_t pos = 10;
    if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
        if (!num(pos + 1, 2, h) || pos + 3 >= s.size() || s[pos + 3] != ':' || !num(pos + 4, 2, mi)) return std::nullopt;
        pos += 6;
        if (pos < s.size() && s[pos] == ':') {
            if (!num(pos + 1, 2, sec)) return std::nullopt;
            pos += 3;
        }
    }
    int offsetMin = 0;
    if (pos < s.size()) {
        if (s[pos] == 'Z' && pos + 1 == s.size()) {
        } else if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() && s[pos + 3] == ':') {
            int oh = 0, om = 0;
            if (!num(pos + 1, 2, oh) || !num(pos + 4, 2, om)) return std::nullopt;
            if (oh > 14 || om > 59) return std::nullopt;
            offsetMin = (s[pos] == '+' ? 1 : -1) * (oh * 60 + om);
        } else {
            return std::nullopt;
        }
    }
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 59) return std::nullopt;
    if (d < 1 || d > kDays[mo - 1] + (mo == 2 && leap ? 1 : 0)) return std::nullopt;
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    time_t t = timegm(&tm);
    return (static_cast<int64_t>(t) - offsetMin * 60) * 1000;
}

} // namespace

Result<crdt::Value> parseValue(const EntityDef& entity, const FieldDef& field, std::string_view text)
{
    using crdt::Value;
    if (text.empty() || text == "null") {
        Value v = std::monostate{};
        if (auto st = validate(entity, field, v); !st) return st.error();
        return v;
    }
    Value v;
    auto bad = [&](std::string_view what) {
        return invalidArgument(where(entity, field) + " expects " + std::string(what) + ", got \"" + std::string(text)
                               + "\"");
    };
    switch (field.type) {
    case FieldType::Text:
    case FieldType::Ref:
    case FieldType::Enum:
    case FieldType::Stage:
    case FieldType::TagSet:
        v = std::string(text);
        break;
    case FieldType::Integer: {
        int64_t n = 0;
        auto r = std::from_chars(text.data(), text.data() + text.size(), n);
        if (r.ec != std::errc() || r.ptr != text.data() + text.size()) return bad("an integer");
        v = n;
        break;
    }
    case FieldType::Time: {
        int64_t n = 0;
        auto r = std::from_chars(text.data(), text.data() + text.size(), n);
        if (r.ec == std::errc() && r.ptr == text.data() + text.size()) {
            v = n;
        } else if (auto t = parseIsoTime(text)) {
            v = *t;
        } else {
            return bad("a time (2026-11-22, 2026-11-22T09:30, 2026-11-22T09:30+08:00 or milliseconds)");
        }
        break;
    }
    case FieldType::Real: {
        std::string s(text);
        char* end = nullptr;
        double d = std::strtod(s.c_str(), &end);
        if (end != s.c_str() + s.size() || !std::isfinite(d)) return bad("a number");
        v = d;
        break;
    }
    case FieldType::Bool:
        if (text == "true" || text == "1" || text == "yes") v = true;
        else if (text == "false" || text == "0" || text == "no") v = false;
        else return bad("true or false");
        break;
    }
    // A typed reference that is not an id names no row: the write that uses
    // it says so ("no customer with id ..."), as for an unknown id.
    if (field.type == FieldType::Ref) return v;
    if (auto st = validate(entity, field, v); !st) return st.error();
    return v;
}

} // namespace fieldsync::schema
