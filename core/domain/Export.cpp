#include "domain/Export.h"

#include "domain/ActivityRows.h"
#include "domain/Cadence.h"
#include "domain/LocalTime.h"
#include "domain/Visits.h"
#include "replica/Replica.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <unistd.h>

namespace fieldsync::domain {
namespace {

constexpr const char* kBom = "\xEF\xBB\xBF";

// A text cell Excel would take for a formula gets an apostrophe.
std::string textCell(const std::string& value)
{
    if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@'))
        return csvField("'" + value);
    return csvField(value);
}

// Plain decimal with at most `decimals` places and no trailing zeros:
// money and metres to the cent/centimetre, coordinates to ~0.1 m.
std::string number(std::optional<double> v, int decimals = 2)
{
    if (!v) return {};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, *v);
    std::string s = buf;
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
    }
    return s == "-0" ? "0" : s;
}

void line(std::string& out, const std::vector<std::string>& cells)
{
    for (size_t i = 0; i < cells.size(); ++i) {
        if (i) out += ',';
        out += cells[i];
    }
    out += "\r\n";
}

bool inRange(int64_t t, const ExportRange& r) { return (!r.from || t >= *r.from) && (!r.to || t < *r.to); }

std::vector<Visit> visitsInRange(replica::Replica& replica, const ExportRange& range)
{
    std::vector<Visit> visits;
    for (auto& v : visitsCheckedInBetween(replica, range.from, range.to, teamConfig(replica).checkinRadiusM))
        if (!v.voided) visits.push_back(std::move(v));
    std::sort(visits.begin(), visits.end(), [](const Visit& a, const Visit& b) {
        return *a.checkinAt != *b.checkinAt ? *a.checkinAt < *b.checkinAt : a.id < b.id;
    });
    return visits;
}

// Records in CSV text (header included): line ends outside quotes.
size_t csvRecords(const std::string& csv)
{
    size_t records = 0;
    bool quoted = false;
    for (char c : csv) {
        if (c == '"') quoted = !quoted;
        else if (!quoted && c == '\n') ++records;
    }
    return records;
}

Error ioError(const std::string& what, const std::string& path)
{
    return Error{ErrorCode::Unavailable, what + " " + path + ": " + std::strerror(errno)};
}

} // namespace

std::string csvField(const std::string& value)
{
    if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
    std::string out = "\"";
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string csvTextField(const std::string& value) { return textCell(value); }

std::string visitsCsv(replica::Replica& replica, const LocalTime& time, const ExportRange& range)
{
    std::string out = kBom;
    line(out, {"visit_id", "customer_id", "customer", "rep", "kind", "status", "planned_at", "checkin_at",
               "checkout_at", "checkin_lat", "checkin_lng", "distance_m", "flags", "purpose", "outcome",
               "satisfaction", "order_amount", "next_follow_up", "notes", "verdict", "verdict_reasons",
               "checkin_device_time", "checkin_received_at"});
    auto when = [&](const std::optional<int64_t>& t) { return t ? time.dateTimeText(*t) : std::string(); };
    for (const auto& v : visitsInRange(replica, range)) {
        std::string flags;
        for (const auto& f : v.flags()) flags += (flags.empty() ? "" : " ") + f;
        std::string reasons;
        for (const auto& r : v.verdictReasons) reasons += (reasons.empty() ? "" : " ") + r;
        line(out, {csvField(v.id), csvField(v.customer), textCell(v.customerName), textCell(v.rep), csvField(v.kind),
                   csvField(v.status), when(v.plannedAt), when(v.checkinAt), when(v.checkoutAt),
                   number(v.checkinLat, 6), number(v.checkinLng, 6),
                   number(v.distanceM), csvField(flags), textCell(v.purpose), textCell(v.outcome),
                   v.satisfaction ? std::to_string(*v.satisfaction) : "", number(v.orderAmount),
                   when(v.nextFollowUp), textCell(v.notes),
                   csvField(v.verdict.empty() ? v.verdict : v.verdict + (v.verdictProvisional ? " (provisional)" : "")),
                   csvField(reasons), when(v.checkinDeviceAt), when(v.checkinReceivedAt)});
    }
    return out;
}

std::string customersCsv(replica::Replica& replica, const LocalTime& time, const ExportRange& range)
{
    std::map<std::string, std::pair<int, int64_t>> visits;  // customer -> (in range, last check-in)
    storage::Statement st(replica.database(), "SELECT customer, checkin_at FROM visit WHERE checkin_at IS NOT NULL "
                                              "AND COALESCE(voided, 0) = 0");
    while (st.step()) {
        const int64_t at = st.getInt(1);
        auto& [count, last] = visits[rows::text(st, 0)];
        if (inRange(at, range)) ++count;
        last = std::max(last, at);
    }
    std::vector<rows::Customer> customers;
    for (auto& [id, c] : rows::customers(replica.database())) {
        if (c.archived) continue;
        if ((range.from || range.to) && visits[id].first == 0) continue;
        customers.push_back(c);
    }
    std::sort(customers.begin(), customers.end(),
              [](const rows::Customer& a, const rows::Customer& b) { return a.name != b.name ? a.name < b.name : a.id < b.id; });
    std::string out = kBom;
    line(out, {"customer_id", "name", "level", "lifecycle", "owner", "region", "phone", "annual_sales", "last_visit",
               "visits_in_range"});
    for (const auto& c : customers) {
        auto [count, last] = visits[c.id];
        line(out, {csvField(c.id), textCell(c.name), csvField(c.level), csvField(c.lifecycle), textCell(c.owner),
                   textCell(c.region), textCell(c.phone), number(c.annualSales), last ? time.dateTimeText(last) : "",
                   std::to_string(count)});
    }
    return out;
}

Result<size_t> writeFileAtomically(const std::string& path, const std::string& content, bool overwrite)
{
    if (path.empty()) return invalidArgument("no output file given");
    if (!overwrite && ::access(path.c_str(), F_OK) == 0)
        return failedPrecondition(path + " already exists (--force overwrites it)");
    // O_EXCL with mode 0666: the umask decides the export's permissions, as
    // for any document the user saves (mkstemp would make it 0600).
    std::string tmp;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        static std::atomic<unsigned> counter{0};
        tmp = path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
        fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0) return ioError("cannot create a temporary file beside", path);
    auto cleanup = [&] { ::unlink(tmp.c_str()); };
    size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            Error e = ioError("cannot write", tmp);
            ::close(fd);
            cleanup();
            return e;
        }
        done += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        Error e = ioError("cannot write", tmp);
        cleanup();
        return e;
    }
    if (overwrite) {
        if (::rename(tmp.c_str(), path.c_str()) != 0) {
            Error e = ioError("cannot move the export into", path);
            cleanup();
            return e;
        }
    } else {
        // link() fails if the target appeared meanwhile: never overwritten.
        if (::link(tmp.c_str(), path.c_str()) != 0) {
            Error e = errno == EEXIST ? failedPrecondition(path + " already exists (--force overwrites it)")
                                      : ioError("cannot move the export into", path);
            cleanup();
            return e;
        }
        cleanup();
    }
    return content.size();
}

Result<ExportResult> exportVisits(replica::Replica& replica, const LocalTime& time, const ExportRange& range,
                                  const std::string& path, bool overwrite)
{
    std::string csv = visitsCsv(replica, time, range);
    auto written = writeFileAtomically(path, csv, overwrite);
    if (!written) return written.error();
    return ExportResult{csvRecords(csv) - 1, *written};
}

Result<ExportResult> exportCustomers(replica::Replica& replica, const LocalTime& time, const ExportRange& range,
                                     const std::string& path, bool overwrite)
{
    std::string csv = customersCsv(replica, time, range);
    auto written = writeFileAtomically(path, csv, overwrite);
    if (!written) return written.error();
    return ExportResult{csvRecords(csv) - 1, *written};
}

} // namespace fieldsync::domain
