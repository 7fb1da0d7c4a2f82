// Complaints (投诉): received → investigating → answered → followed_up.
//
// `status` is a stage field: it only moves forward (moveComplaint refuses a
// move back or to the same stage, FailedPrecondition); reopenComplaint starts
// a new generation at "received", which outranks every stage of the old one
// on every replica. Moving to "answered" needs a resolution (given with the
// move or already recorded); satisfaction_after (1..5) may come with any move.
// Open = not followed_up and not voided. Age = local calendar days since
// received_at (LocalTime).
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

class LocalTime;

inline constexpr const char* kComplaintStages[] = {"received", "investigating", "answered", "followed_up"};

struct Complaint {
    std::string id, customer, customerName, channel, severity, handler, status, description, resolution;
    std::optional<int64_t> receivedAt;
    std::optional<int> satisfactionAfter;
    int64_t generation = 0;
    bool voided = false;

    bool open() const { return status != "followed_up" && !voided; }
    nlohmann::json toJson() const;
};

struct NewComplaint {
    std::string customer;
    int64_t receivedAt = 0;
    std::string channel;      // phone|visit|wechat|email|other (empty: unset)
    std::string severity;     // low|medium|high (empty: unset)
    std::string description;
    std::string handler;
};

Result<std::string> addComplaint(replica::Replica& replica, const NewComplaint& complaint);

struct ComplaintMove {
    std::string stage;
    std::optional<std::string> resolution, handler;
    std::optional<int> satisfactionAfter;
};

Status moveComplaint(replica::Replica& replica, const std::string& complaintId, const ComplaintMove& move);
Status reopenComplaint(replica::Replica& replica, const std::string& complaintId);

std::optional<Complaint> findComplaint(replica::Replica& replica, const std::string& complaintId);
// Every complaint not voided, oldest received first.
std::vector<Complaint> listComplaints(replica::Replica& replica, bool openOnly);

struct OpenComplaint {
    Complaint complaint;
    int ageDays = 0;
};
// Open complaints by age, oldest first.
std::vector<OpenComplaint> openComplaintsByAge(replica::Replica& replica, const LocalTime& time);

} // namespace fieldsync::domain
