// Tasks (回访 reminders): a follow-up owed to a customer, with a due time, an
// assignee and a status open → done (a stage; reopening starts a new
// generation). Stored in the synced `task` entity; a task made by a visit's
// check-out carries origin_visit.
#pragma once

#include "base/Result.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fieldsync::replica {
class Replica;
}

namespace fieldsync::domain {

struct Task {
    std::string id, customer, customerName, assignee, title, status, originVisit, notes;
    std::optional<int64_t> due;
    bool archived = false;

    bool open() const { return status != "done" && !archived; }
    nlohmann::json toJson() const;
};

struct NewTask {
    std::string customer;
    std::string title;
    std::optional<int64_t> due;
    std::string assignee;  // empty: the acting user
    std::string notes;
};

// NotFound for an unknown customer; InvalidArgument for an empty title.
Result<std::string> addTask(replica::Replica& replica, const NewTask& task);
// FailedPrecondition if the task is already done or archived.
Status completeTask(replica::Replica& replica, const std::string& taskId);

struct TaskFilter {
    std::optional<std::string> assignee;
    std::optional<std::string> customer;
    bool openOnly = false;
    std::optional<int64_t> dueBefore;  // only tasks with a due time before this
};

// Tasks by due time (no due time last), then id. Archived tasks are left out.
std::vector<Task> listTasks(replica::Replica& replica, const TaskFilter& filter);

} // namespace fieldsync::domain
