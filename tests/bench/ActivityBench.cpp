// Today, the reports and the export at team and company scale: a DemoCompany
// of 10,000 customers and 50,000 visits (a large branch as its manager's
// replica holds it) read by the queries behind the app's today page and the
// manager's team page. Every query rereads the replica (no cache), as the
// app does when a page opens. A rep's replica holds about 1/40 of this.
// Wall time per query in ms; results in docs/benchmarks.md.
#include "BenchCommon.h"

#include "domain/Agenda.h"
#include "domain/DemoCompany.h"
#include "domain/Export.h"
#include "domain/LocalTime.h"
#include "domain/Reports.h"
#include "replica/SettingKeys.h"

#include <memory>

namespace fieldsync::bench {
namespace {

constexpr int kCustomers = 10'000;
constexpr int kVisits = 50'000;
constexpr int64_t kToday = 1'795'305'600'000;  // 2026-11-22 00:00 in Beijing

struct Branch {
    TempDir dir;
    std::unique_ptr<replica::Replica> replica;
    std::unique_ptr<domain::LocalTime> time;
    std::string rep;
};

Branch& branch()
{
    static Branch* b = [] {
        auto* made = new Branch;
        made->replica = replica::Replica::open(made->dir.file("manager.db"));
        domain::DemoOptions options;
        options.customers = kCustomers;
        options.visits = kVisits;
        options.reps = 40;
        options.today = kToday;
        auto demo = domain::DemoCompany::make(options);
        if (!demo) throw std::runtime_error(demo.error().message);
        demo->generate(5000, [&](std::span<const protocol::ChangeRecord> batch) { made->replica->applyRemote(batch); });
        made->replica->setSetting(replica::settings::kUser, std::string("admin"));
        made->replica->setSetting(replica::settings::kRole, std::string("admin"));
        made->rep = demo->users().back().name;
        // 10:00 on the company's "today", in Beijing.
        made->time = std::make_unique<domain::LocalTime>(
            domain::LocalTime::inZone("Asia/Shanghai", [] { return kToday + 10 * 3'600'000; }).value());
        return made;
    }();
    return *b;
}

void counters(benchmark::State& state, size_t rows)
{
    state.counters["rows"] = static_cast<double>(rows);
    state.counters["customers"] = kCustomers;
    state.counters["visits"] = kVisits;
}

// Baseline in the same run: one plain pass over every visit row (the floor
// of any report that has to look at all visits).
void BM_BaselineScanVisits(benchmark::State& state)
{
    Branch& b = branch();
    size_t rows = 0;
    for (auto _ : state) {
        storage::Statement st(b.replica->database(), "SELECT id, customer, checkin_at, voided FROM visit");
        rows = 0;
        while (st.step()) ++rows;
    }
    counters(state, rows);
}

void BM_TodayWholeBranch(benchmark::State& state)
{
    Branch& b = branch();
    size_t rows = 0;
    for (auto _ : state) {
        auto t = domain::today(*b.replica, *b.time, "");
        rows = t.plannedVisits.size() + t.tasks.size() + t.keyCustomers.size();
        benchmark::DoNotOptimize(rows);
    }
    counters(state, rows);
}

void BM_TodayOneRep(benchmark::State& state)
{
    Branch& b = branch();
    size_t rows = 0;
    for (auto _ : state) {
        auto t = domain::today(*b.replica, *b.time, b.rep);
        rows = t.plannedVisits.size() + t.tasks.size() + t.keyCustomers.size();
        benchmark::DoNotOptimize(rows);
    }
    counters(state, rows);
}

void BM_ChurnRisks(benchmark::State& state)
{
    Branch& b = branch();
    size_t rows = 0;
    for (auto _ : state) rows = domain::churnRisks(*b.replica, *b.time).size();
    counters(state, rows);
}

void BM_Abc(benchmark::State& state)
{
    Branch& b = branch();
    size_t rows = 0;
    for (auto _ : state) rows = domain::abcClassification(*b.replica).size();
    counters(state, rows);
}

void BM_Coverage(benchmark::State& state)
{
    Branch& b = branch();
    size_t rows = 0;
    for (auto _ : state) rows = static_cast<size_t>(domain::keyAccountCoverage(*b.replica, *b.time).keyCustomers);
    counters(state, rows);
}

void BM_FeedLastWeek(benchmark::State& state)
{
    Branch& b = branch();
    domain::FeedFilter filter;
    filter.from = b.time->addDays(b.time->now(), -7);
    size_t rows = 0;
    for (auto _ : state) rows = domain::visitFeed(*b.replica, filter).size();
    counters(state, rows);
}

void BM_VisitsPerRepPerDay(benchmark::State& state)
{
    Branch& b = branch();
    size_t rows = 0;
    for (auto _ : state) rows = domain::visitsPerRep(*b.replica, *b.time, domain::Period::Day).size();
    counters(state, rows);
}

void BM_ExportVisitsCsvMonth(benchmark::State& state)
{
    Branch& b = branch();
    domain::ExportRange range{b.time->startOfMonth(b.time->now()), b.time->startOfNextMonth(b.time->now())};
    size_t bytes = 0;
    for (auto _ : state) bytes = domain::visitsCsv(*b.replica, *b.time, range).size();
    counters(state, bytes);
}

BENCHMARK(BM_BaselineScanVisits)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TodayWholeBranch)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TodayOneRep)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ChurnRisks)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Abc)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Coverage)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FeedLastWeek)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_VisitsPerRepPerDay)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExportVisitsCsvMonth)->Unit(benchmark::kMillisecond);

} // namespace
} // namespace fieldsync::bench
