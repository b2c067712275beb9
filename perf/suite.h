// suite.h - the whole `epsim bench` study: which sizes, how many repetitions, in what order.
//
// Order matters for memory: the child processes that measure peak RSS are forked first,
// while the bench's own heap is still small.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "report.h"

namespace epsim::perf {

struct SuiteOptions {
    bool quick = false;       // small sizes and few repetitions (CI, tests): seconds
    long max_n = 0;           // the model growth curve's largest N (0 = 1,000,000; quick 10,000)
    std::function<void(const std::string&)> progress;  // one line per phase (may be empty)
};

// Sizes and repetition counts derived from the options.
struct Plan {
    bool quick = false;
    int warmups = 3, reps = 21;  // many short runs: the median skips the preempted ones
    std::vector<long> compare_n;       // model vs kernel
    int churn_ops = 2000;            // ADD+DEL pairs and MODs per run
    int harvest_k = 100, harvest_rounds = 50;
    std::vector<long> kernel_growth_n;  // up to the fd budget
    std::vector<long> model_growth_n;   // up to max_n
    long flat_small_n = 1000, flat_k = 100;
    // Ready sets: k items spread over N, shifted by kReadySetShift places each. One set of 100
    // items can land on memory that collides in the CPU caches (1.4-1.8x in some runs here);
    // the compare study's harvest rows rotate over the sets rep by rep, and the flat bar takes
    // the median over them. (The growth curves keep one set: see docs/performance.md.)
    int ready_sets = 7;
    static constexpr std::size_t kReadySetShift = 1237;  // divides none of the N used
    std::size_t ready_set(int i) const { return static_cast<std::size_t>(i % ready_sets) * kReadySetShift; }
    long memory_n = 1000000;            // watched eventfds in the memory child
    int log_ops = 1000000;              // syscalls in the event-log children
    std::uint64_t seek_events = 100000;        // the seek bar's run (its state grows)
    std::uint64_t seek_long_events = 1000000;  // a long steady run (0: skipped)
    int seek_long_watched = 1000;
    std::function<void(const std::string&)> progress;
    void say(const std::string& s) const {
        if (progress) progress(s);
    }
};

Plan make_plan(const SuiteOptions& o);
Report run_suite(const SuiteOptions& o);

// The parts, each appending rows (and figures) to the report.
void run_memory(Report& r, const Plan& p);          // memory.*, log.*
void run_seek(Report& r, const Plan& p);            // seek.*
void run_compare(Report& r, const Plan& p);         // model vs kernel at compare_n
void run_kernel_growth(Report& r, const Plan& p);   // poll/select/epoll_wait on the kernel
void run_model_growth(Report& r, const Plan& p);    // the model up to max_n
void add_bars(Report& r, const Plan& p);            // the verdicts, from the rows and figures

std::string machine_description();

}  // namespace epsim::perf
