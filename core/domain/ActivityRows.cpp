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

std::map<std::string, CustomerLabel> customerLabels(storage::Database& db, const std::set<std::string>& ids)
{
    std::map<std::string, CustomerLabel> out;
    if (ids.empty()) return out;
    // Past a few hundred ids one scan beats a lookup per id.
    if (ids.size() > 300) {
        storage::Statement st(db, "SELECT id, name, archived FROM customer");
        while (st.step())
            if (auto id = text(st, 0); ids.count(id)) out[id] = {text(st, 1), flag(st, 2)};
        return out;
    }
    storage::Statement st(db, "SELECT name, archived FROM customer WHERE id = ?");
    for (const auto& id : ids) {
        st.reset();
        st.bind(1, id);
        if (st.step()) out[id] = {text(st, 0), flag(st, 1)};
    }
    return out;
}

void bindAll(storage::Statement& st, const std::vector<Bind>& binds)
{
    for (size_t i = 0; i < binds.size(); ++i)
        std::visit([&](const auto& v) { st.bind(static_cast<int>(i + 1), v); }, binds[i]);
}

} // namespace fieldsync::domain::rows
