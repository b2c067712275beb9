// model_work.h - the same workloads as host_work.h, on the model (sim::Kernel), with the
// model's work counters (EventLog::counts) per operation beside the times.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/kernel.h"

namespace epsim::perf {

// n eventfds watched by one epoll instance of a fresh model; built with recording off, then
// switched to the requested mode (recording on = event log plus replay commands).
class ModelWatchSet {
public:
    ModelWatchSet(int n, bool edge, bool record);
    std::unique_ptr<Kernel> k;
    ObjId t = 1;
    int epfd = -1;
    std::vector<int> fds;
    bool edge = false;
    void set_recording(bool on);
};

// Work done between two points, per operation, by kind (the names are the report's).
using CounterSnapshot = std::array<std::uint64_t, static_cast<std::size_t>(EventType::Count_)>;
std::map<std::string, double> work_per_op(const CounterSnapshot& before, const CounterSnapshot& after,
                                          std::uint64_t ops);

// Each returns nanoseconds per operation for one run; `work` (if given) gets the counters.
double model_add_del(ModelWatchSet& s, int ops, std::map<std::string, double>* work = nullptr);
double model_mod(ModelWatchSet& s, int ops, std::map<std::string, double>* work = nullptr);
double model_harvest(ModelWatchSet& s, int k, int rounds, std::map<std::string, double>* work = nullptr,
                     std::size_t offset = 0);  // offset: as host_harvest
// k fds spread over the set (spread_index), shifted by `offset` places: another ready set.
void model_make_ready(ModelWatchSet& s, int k, std::size_t offset = 0);
void model_make_unready(ModelWatchSet& s, int k, std::size_t offset = 0);  // as host_make_unready
double model_epoll_wait_scan(ModelWatchSet& s, int k, int rounds, std::map<std::string, double>* work = nullptr);
double model_poll_scan(ModelWatchSet& s, int rounds, std::map<std::string, double>* work = nullptr);

// For the memory children: a model with n watched eventfds, recording off.
void model_build_watched(int n);
// `ops` syscalls (eventfd, ADD, write, DEL in turn) on a model; returns the events logged.
std::uint64_t model_mixed_ops(int ops, bool record);
// A recording run of at least `events` events (eventfds registered, written, harvested).
// Every batch adds 100 watched eventfds: the state grows with the run.
std::unique_ptr<Kernel> model_recorded_run(std::uint64_t events);
// A recording run of at least `events` events over a fixed set of `watched` eventfds (10 of
// them written, one epoll_wait, one EPOLL_CTL_MOD per round): the state stays the same size.
std::unique_ptr<Kernel> model_steady_run(std::uint64_t events, int watched);

}  // namespace epsim::perf
