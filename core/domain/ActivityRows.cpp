#include "domain/ActivityRows.h"

#include "storage/Database.h"

namespace fieldsync::domain::rows {
namespace {

constexpr const char* kSelect =
    "SELECT id, name, level, lifecycle, owner, region, phone, lat, lng, annual_sales, archived FROM customer";

Customer read(storage::Statement& st)
{
    Customer c;
    c.id = text(st, 0);
    c.name = text(st, 1);
    c.level = text(st, 2);
    c.lifecycle = text(st, 3);
    c.owner = text(st, 4);
    c.region = text(st, 5);
    c.phone = text(st, 6);
    c.lat = real(st, 7);
    c.lng = real(st, 8);
    c.annualSales = real(st, 9);
    c.archived = flag(st, 10);
    return c;
}

} // namespace

std::map<std::string, Customer> customers(storage::Database& db)
{
    std::map<std::string, Customer> out;
    storage::Statement st(db, kSelect);
    while (st.step()) {
        Customer c = read(st);
        std::string id = c.id;
        out.emplace(std::move(id), std::move(c));
    }
    return out;
}

std::optional<Customer> customer(storage::Database& db, const std::string& id)
{
    storage::Statement st(db, std::string(kSelect) + " WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return read(st);
}

} // namespace fieldsync::domain::rows
