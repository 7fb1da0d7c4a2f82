// Duplicates: 撞单 prevention — before a customer is saved, the customers
// already on this device that are probably the same one. Works offline,
// against the local replica (its search tables, DomainMigrations.h).
//
// A candidate is suggested when (reasons, strongest first):
//   same_phone    a normalized phone number (normalizePhone) of the new
//                 customer equals one of the candidate's or its contacts'
//   same_name     the core names (coreName) are equal
//   same_pinyin   the core names read the same (full pinyin, ≥ 2 syllables):
//                 昭智教育 and 照志教育
//   name_contains one core name contains the other (the shorter has ≥ 2
//                 characters): 北京昭智教育 and 昭智教育有限公司
// Archived customers are not suggested; pool customers are (claim instead).
#pragma once

#include "base/Result.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fieldsync::domain {

class SearchIndex;

// Digits only; a country code (+86, 0086, or 86 before an 11-digit mobile
// number) and then a landline's trunk 0 are dropped, so "+86 138-0013-8000",
// "13800138000" and "0086 13800138000" are equal, and "010-6234 5678" equals
// "+86 10 62345678". Empty when fewer than 7 digits remain (not comparable).
std::string normalizePhone(std::string_view phone);

// The name without company-form suffixes (有限公司, 集团, …), brackets
// and punctuation: "北京昭智教育科技有限公司" → "北京昭智教育科技".
std::string coreName(std::string_view name);

struct DuplicateCandidate {
    std::string name;
    std::vector<std::string> phones;  // the new customer's phones (customer and contacts)
    std::string excludeId;            // the customer itself (on-demand checks of a stored one)
};

struct DuplicateSuggestion {
    std::string id, name;
    std::optional<std::string> owner;  // nullopt: in the public pool
    std::string reason;                // same_phone | same_name | same_pinyin | name_contains
    std::string detail;                // the phone or name that matched

    nlohmann::json toJson() const;
};

// Suggestions, strongest reason first, then by name; one per customer.
std::vector<DuplicateSuggestion> findDuplicates(SearchIndex& index, const DuplicateCandidate& candidate);
// The same for a stored customer (its name, phone and contacts' phones).
Result<std::vector<DuplicateSuggestion>> duplicatesOf(SearchIndex& index, std::string_view customerId);

} // namespace fieldsync::domain
