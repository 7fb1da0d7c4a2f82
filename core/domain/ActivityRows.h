// Internal to the visit/task/complaint/report code: the rows of the synced
// entity tables read straight from the replica's SQLite file (one query per
// listing rather than one JSON object per row), and the column helpers.
#pragma once

#include "storage/Statement.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

namespace fieldsync::storage {
class Database;
}

namespace fieldsync::domain::rows {

inline std::string text(storage::Statement& st, int col) { return st.isNull(col) ? std::string() : st.getText(col); }
inline std::optional<int64_t> integer(storage::Statement& st, int col)
{
    return st.isNull(col) ? std::nullopt : std::optional<int64_t>(st.getInt(col));
}
inline std::optional<double> real(storage::Statement& st, int col)
{
    return st.isNull(col) ? std::nullopt : std::optional<double>(st.getDouble(col));
}
inline bool flag(storage::Statement& st, int col) { return !st.isNull(col) && st.getInt(col) != 0; }

// What the activity code needs of a customer.
struct Customer {
    std::string id, name, level, lifecycle, owner, region, phone;
    std::optional<double> lat, lng, annualSales;
    bool archived = false;
};

std::map<std::string, Customer> customers(storage::Database& db);
std::optional<Customer> customer(storage::Database& db, const std::string& id);

// Name and archived flag of the given customers (those not on this replica
// are absent): one lookup each for a page of rows, one scan for many.
struct CustomerLabel {
    std::string name;
    bool archived = false;
};
std::map<std::string, CustomerLabel> customerLabels(storage::Database& db, const std::set<std::string>& ids);

// A statement's parameters, bound in order from 1.
using Bind = std::variant<int64_t, std::string>;
void bindAll(storage::Statement& st, const std::vector<Bind>& binds);

} // namespace fieldsync::domain::rows
