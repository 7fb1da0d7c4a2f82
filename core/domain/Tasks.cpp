#include "domain/Tasks.h"

#include "domain/ActivityRows.h"
#include "domain/Actor.h"
#include "replica/Replica.h"
#include "storage/Database.h"

#include <algorithm>
#include <set>

namespace fieldsync::domain {
namespace {

using nlohmann::json;

json textJson(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

std::vector<Task> query(replica::Replica& replica, const std::string& where, const std::vector<rows::Bind>& binds)
{
    auto& db = replica.database();
    storage::Statement st(db, "SELECT id, customer, assignee, title, status, origin_visit, notes, due, archived FROM task"
                                  + where);
    rows::bindAll(st, binds);
    std::vector<Task> out;
    std::set<std::string> ids;
    while (st.step()) {
        Task t;
        t.id = rows::text(st, 0);
        t.customer = rows::text(st, 1);
        t.assignee = rows::text(st, 2);
        t.title = rows::text(st, 3);
        t.status = rows::text(st, 4);
        t.originVisit = rows::text(st, 5);
        t.notes = rows::text(st, 6);
        t.due = rows::integer(st, 7);
        t.archived = rows::flag(st, 8);
        ids.insert(t.customer);
        out.push_back(std::move(t));
    }
    auto customers = rows::customerLabels(db, ids);
    for (auto& t : out)
        if (auto it = customers.find(t.customer); it != customers.end()) t.customerName = it->second.name;
    return out;
}

} // namespace

json Task::toJson() const
{
    return {{"id", id},
            {"customer", customer},
            {"customer_name", textJson(customerName)},
            {"assignee", textJson(assignee)},
            {"title", title},
            {"status", textJson(status)},
            {"due", due ? json(*due) : json(nullptr)},
            {"origin_visit", textJson(originVisit)},
            {"notes", textJson(notes)}};
}

Result<std::string> addTask(replica::Replica& replica, const NewTask& task)
{
    auto customer = rows::customer(replica.database(), task.customer);
    if (!customer) return notFound("no customer with id " + task.customer);
    if (task.title.find_first_not_of(" \t\r\n") == std::string::npos) return invalidArgument("a task needs a title");
    std::string assignee = task.assignee.empty() ? Actor::of(replica).user : task.assignee;
    replica::Write w;
    w.set("customer", task.customer).set("title", task.title).set("status", std::string("open"));
    if (task.due) w.set("due", *task.due);
    if (!assignee.empty()) w.set("assignee", assignee);
    if (!task.notes.empty()) w.set("notes", task.notes);
    return replica.create("task", w);
}

Status completeTask(replica::Replica& replica, const std::string& taskId)
{
    auto found = query(replica, " WHERE id = ?", {taskId});
    if (found.empty()) return notFound("no task with id " + taskId);
    if (found.front().archived) return failedPrecondition("task " + taskId + " is archived");
    if (found.front().status == "done") return failedPrecondition("task " + taskId + " is already done");
    return replica.update("task", taskId, replica::Write().set("status", std::string("done")));
}

std::vector<Task> listTasks(replica::Replica& replica, const TaskFilter& filter)
{
    // The filters narrow the scan in SQL; archived rows never leave it.
    std::string where = " WHERE COALESCE(archived, 0) = 0";
    std::vector<rows::Bind> binds;
    if (filter.openOnly) where += " AND COALESCE(status, '') != 'done'";
    if (filter.assignee) {
        where += " AND assignee = ?";
        binds.emplace_back(*filter.assignee);
    }
    if (filter.customer) {
        where += " AND customer = ?";
        binds.emplace_back(*filter.customer);
    }
    if (filter.dueBefore) {
        where += " AND due < ?";
        binds.emplace_back(*filter.dueBefore);
    }
    auto tasks = query(replica, where, binds);
    std::sort(tasks.begin(), tasks.end(), [](const Task& a, const Task& b) {
        if (a.due.has_value() != b.due.has_value()) return a.due.has_value();
        if (a.due && *a.due != *b.due) return *a.due < *b.due;
        return a.id < b.id;
    });
    return tasks;
}

} // namespace fieldsync::domain
