// test_bench_report.cpp - `epsim bench --quick` structure: the JSON schema, every bar with its
// limit, and the model's work counters telling the story the curves tell (rb nodes visited
// grow with log N, epoll_wait examines k items, poll examines N). Never a timing verdict.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <set>
#include <vector>

#include "perf/memory_probe.h"
#include "perf/model_work.h"
#include "perf/seek.h"
#include "perf/suite.h"

using namespace epsim;
using namespace epsim::perf;

namespace {

// One quick run shared by the tests (a few seconds).
const Report& quick_report() {
    static const Report r = [] {
        SuiteOptions o;
        o.quick = true;
        return run_suite(o);
    }();
    return r;
}

const Bar* bar(const Report& r, const std::string& name) {
    for (const Bar& b : r.bars)
        if (b.name == name) return &b;
    return nullptr;
}

}  // namespace

TEST_CASE("bench: every bar of the performance issue is reported with its limit", "[cli][bench]") {
    const Report& r = quick_report();
    const std::vector<std::pair<std::string, double>> want = {
        {"model.add_del.recording_off", 0.25}, {"model.add_del.recording_on", 1.0},
        {"model.harvest.recording_off", 0.25}, {"model.harvest.recording_on", 1.0},
        {"model.epoll_wait.flat", 1.2},        {"model.memory.1M_watched", 512},
        {"model.log.bytes_per_event", 64},     {"model.seek.worst", 50},
    };
    REQUIRE(r.bars.size() == want.size());
    for (const auto& [name, limit] : want) {
        const Bar* b = bar(r, name);
        INFO(name);
        REQUIRE(b != nullptr);
        CHECK(b->limit == limit);
        CHECK(b->measured);  // quick sizes fit under the fd limit: everything is measured
        CHECK(b->value > 0);
        CHECK(!b->unit.empty());
    }
    bool all = true;
    for (const Bar& b : r.bars) all = all && b.pass();
    CHECK(r.all_pass() == all);
}

TEST_CASE("bench: the JSON report has the epsim.bench schema, bars, figures and raw rows", "[cli][bench]") {
    const Report& r = quick_report();
    const std::string j = render_json(r);
    CHECK(j.rfind("{\"schema\":\"epsim.bench\",\"version\":1,", 0) == 0);
    CHECK(j.find("\"quick\":true") != std::string::npos);
    for (const Bar& b : r.bars) {
        INFO(b.name);
        const std::size_t at = j.find("{\"name\":\"" + b.name + "\",\"value\":");
        REQUIRE(at != std::string::npos);
        const std::string rec = j.substr(at, j.find('}', at) - at);
        CHECK(rec.find("\"limit\":") != std::string::npos);
        CHECK(rec.find("\"unit\":\"" + b.unit + "\"") != std::string::npos);
        CHECK(rec.find(std::string("\"verdict\":\"") + (b.pass() ? "pass" : "fail") + "\"") != std::string::npos);
    }
    for (const char* key : {"\"figures\":[", "\"rows\":[", "\"study\":\"compare\"", "\"study\":\"kernel-growth\"",
                            "\"study\":\"model-growth\"", "\"ns_median\":", "\"work\":{"})
        CHECK(j.find(key) != std::string::npos);
    const std::string t = render_text(r);
    for (const Bar& b : r.bars) CHECK(t.find(b.name) != std::string::npos);
    CHECK(t.find(" bars pass") != std::string::npos);
}

TEST_CASE("bench: model and kernel sides are measured on the same work", "[cli][bench]") {
    const Report& r = quick_report();
    for (long n : {1000L, 10000L})
        for (const char* side : {"kernel", "model-off", "model-on"})
            for (const char* op : {"add+del", "mod", "harvest"}) {
                INFO(side << " " << op << " N=" << n);
                const Row* row = r.find("compare", side, op, n, std::strcmp(op, "harvest") == 0 ? 100 : 0);
                REQUIRE(row != nullptr);
                CHECK(row->ns.reps == make_plan(SuiteOptions{true, 0, {}}).reps);
                CHECK(row->ns.min <= row->ns.median);
                CHECK(row->ns.median <= row->ns.max);
            }
    // The harvest drains exactly k items per call, recording on or off.
    for (const char* side : {"model-off", "model-on"}) {
        const Row* h = r.find("compare", side, "harvest", 10000, 100);
        CHECK(h->work.at("items_scanned") == 100);
        CHECK(h->work.at("files_polled") == 100);
        CHECK(h->work.at("callbacks") == 0);  // the wakeups happened in the writes, not in epoll_wait
    }
    // poll and select are measured on the kernel; select only below FD_SETSIZE.
    CHECK(r.find("kernel-growth", "kernel", "poll", 1000, 10) != nullptr);
    CHECK(r.find("kernel-growth", "kernel", "select", 100, 1) != nullptr);
    CHECK(r.find("kernel-growth", "kernel", "epoll_wait", 1000, 1) != nullptr);
}

TEST_CASE("bench: the model's counters grow as log N for the rb tree, k for epoll_wait, N for poll", "[cli][bench]") {
    const Report& r = quick_report();
    for (long n : {100L, 1000L, 10000L}) {
        INFO("N=" << n);
        const Row* churn = r.find("model-growth", "model-off", "add+del", n, 0);
        REQUIRE(churn != nullptr);
        // ep_find on DEL plus ep_rbtree_insert on ADD: about two root-to-leaf walks per pair.
        const double per_level = churn->work.at("rb_nodes_visited") / std::log2(static_cast<double>(n));
        CHECK(per_level > 1.5);
        CHECK(per_level < 4.0);
        const Row* one = r.find("model-growth", "model-off", "epoll_wait", n, 1);
        REQUIRE(one != nullptr);
        CHECK(one->work.at("items_scanned") == 1);
        const Row* pct = r.find("model-growth", "model-off", "epoll_wait", n, static_cast<int>(n / 100));
        REQUIRE(pct != nullptr);
        CHECK(pct->work.at("items_scanned") == static_cast<double>(n / 100));
        const Row* poll = r.find("model-growth", "model-off", "poll", n, static_cast<int>(n / 100));
        REQUIRE(poll != nullptr);
        CHECK(poll->work.at("files_polled") == static_cast<double>(n));
    }
    const double small = r.find("model-growth", "model-off", "add+del", 100, 0)->work.at("rb_nodes_visited");
    const double big = r.find("model-growth", "model-off", "add+del", 10000, 0)->work.at("rb_nodes_visited");
    CHECK(big > small * 1.5);  // deeper tree
    CHECK(big < small * 3.0);  // but log, not linear (100x the items)
}

TEST_CASE("bench: the seeker stops right after the requested event, as replay_to does", "[cli][bench]") {
    auto k = model_recorded_run(3000);
    REQUIRE(k->log.size() >= 3000);
    const ModelSeeker seeker(*k);
    for (std::uint64_t idx : {std::uint64_t{0}, std::uint64_t{1234}, k->log.size() - 1}) {
        auto at = seeker.seek(idx);
        CHECK(at->log.size() == idx + 1);
        CHECK(at->log.events.back().type == k->log.events[idx].type);
        CHECK(at->fdinfo(1, 3) == k->replay_to(idx)->fdinfo(1, 3));
    }
}

TEST_CASE("bench: a child's peak RSS counts the memory its work touched", "[cli][bench]") {
    constexpr std::size_t mb = 64;  // constexpr: the lambda reads it without a capture
    std::uint64_t value = 0;
    auto rss = peak_rss_of(
        [] {
            std::vector<char> v(mb << 20, 1);
            return static_cast<std::uint64_t>(v[v.size() / 2]) + 41;
        },
        &value);
    REQUIRE(rss.has_value());
    CHECK(value == 42);
    CHECK(*rss >= (mb - 2) << 20);
    CHECK(*rss < (mb + 32) << 20);
}
