// suite_memory.cpp - the model's memory (peak RSS of N watched eventfds, bytes per event of the
// log) measured in child processes, and the time to seek to an event of a recorded run.
#include <algorithm>
#include <map>
#include <string>

#include "memory_probe.h"
#include "model_work.h"
#include "seek.h"
#include "suite.h"

namespace epsim::perf {

namespace {
constexpr double kMiB = 1024.0 * 1024.0;
}

void run_memory(Report& r, const Plan& p) {
    p.say("memory: " + std::to_string(p.memory_n) + " watched eventfds, recording off (child process)");
    const long n = p.memory_n;
    if (auto rss = peak_rss_of([n] {
            model_build_watched(static_cast<int>(n));
            return std::uint64_t{0};
        })) {
        r.figures.push_back(Figure{"memory.watched_fds", static_cast<double>(n), "fds", "eventfds in one epoll, recording off"});
        r.figures.push_back(Figure{"memory.peak_rss", static_cast<double>(*rss) / kMiB, "MiB",
                                   "child's ru_maxrss minus an idle child's"});
        r.figures.push_back(Figure{"memory.bytes_per_watched_fd", static_cast<double>(*rss) / static_cast<double>(n), "B",
                                   "file + fd slot + epitem + wait-queue hook; the kernel spends ~500 B"});
    }
    p.say("memory: event log at " + std::to_string(p.log_ops) + " syscalls, recording on vs off (child processes)");
    std::uint64_t events_on = 0, events_off = 0;
    auto on = peak_rss_of([&p] { return model_mixed_ops(p.log_ops, true); }, &events_on);
    auto off = peak_rss_of([&p] { return model_mixed_ops(p.log_ops, false); }, &events_off);
    if (on && off && events_on) {
        const double extra = static_cast<double>(*on) - static_cast<double>(*off);
        r.figures.push_back(Figure{"log.events", static_cast<double>(events_on), "events",
                                   std::to_string(p.log_ops) + " syscalls: eventfd, ADD, write, DEL"});
        r.figures.push_back(Figure{"log.extra_rss", extra / kMiB, "MiB", "peak RSS recording on minus recording off"});
        r.figures.push_back(Figure{"log.bytes_per_event", extra / static_cast<double>(events_on), "B/event",
                                   "events, syscall texts and replay commands, per event"});
    }
}

namespace {

struct SeekWorst {
    double seek = 0, full = 0, replay = 0;  // ns: state-only seek, seek with the log, replay_to
};

// Seeks in `k`'s run to the events at 25 %, 50 %, 75 % and the last, three ways, one row each:
// "seek" (ModelSeeker: state only), "seek+log" (Checkpoints::seek, the log prefix copied too)
// and "replay_to" (every call from the start, no snapshots). Returns the slowest of each.
SeekWorst seek_rows(Report& r, const Plan& p, const Kernel& k, const ModelSeeker& seeker) {
    const std::uint64_t last = k.log.size() - 1;
    const long n = static_cast<long>(k.log.size());
    SeekWorst w;
    auto time = [&](int warm, int reps, auto&& fn) {
        return measure(warm, reps, [&] {
            const double t = now_ns();
            auto at = fn();
            return now_ns() - t;  // `at` is freed after the clock stops: not part of a seek
        });
    };
    for (std::uint64_t idx : {last / 4, last / 2, last * 3 / 4, last}) {
        const std::map<std::string, double> where{
            {"target_event", static_cast<double>(idx)},
            {"events_after_checkpoint", static_cast<double>(idx - seeker.checkpoints().checkpoint_before(idx))}};
        Sample s = time(p.quick ? 0 : 1, p.quick ? 1 : 3, [&] { return seeker.seek(idx); });
        w.seek = std::max(w.seek, s.median);
        r.rows.push_back(Row{"seek", "model-on", "seek", n, 0, s, where});
        Sample full = time(0, p.quick ? 1 : 3, [&] { return seeker.checkpoints().seek(idx); });
        w.full = std::max(w.full, full.median);
        r.rows.push_back(Row{"seek", "model-on", "seek+log", n, 0, full, where});
        Sample replay = time(0, 1, [&] { return k.replay_to(idx); });
        w.replay = std::max(w.replay, replay.median);
        r.rows.push_back(Row{"seek", "model-on", "replay_to", n, 0, replay, {{"target_event", static_cast<double>(idx)}}});
    }
    return w;
}

}  // namespace

void run_seek(Report& r, const Plan& p) {
    p.say("seek: a recorded run of " + std::to_string(p.seek_events) + " events");
    {
        auto k = model_recorded_run(p.seek_events);
        const double t0 = now_ns();
        const ModelSeeker seeker(*k);  // snapshots, taken once per run
        const double build_ns = now_ns() - t0;
        const SeekWorst w = seek_rows(r, p, *k, seeker);
        r.figures.push_back(Figure{"seek.run_events", static_cast<double>(k->log.size()), "events",
                                   "the recorded run: 100 more watched eventfds every batch"});
        r.figures.push_back(Figure{"seek.checkpoints", static_cast<double>(seeker.checkpoints().count()), "snapshots",
                                   "Kernel::clone every max(2000, state/64 B) events"});
        r.figures.push_back(Figure{"seek.checkpoints_mib", static_cast<double>(seeker.checkpoints().bytes()) / kMiB,
                                   "MiB", "the snapshots' state, without the shared log"});
        r.figures.push_back(Figure{"seek.build_ms", build_ns / 1e6, "ms", "replaying the run once to take the snapshots"});
        r.figures.push_back(Figure{"seek.worst_ms", w.seek / 1e6, "ms",
                                   "slowest of 4 targets (25 %, 50 %, 75 %, last event), state only"});
        r.figures.push_back(Figure{"seek.with_log_worst_ms", w.full / 1e6, "ms",
                                   "the same targets, the log prefix and commands copied too"});
        r.figures.push_back(Figure{"seek.replay_worst_ms", w.replay / 1e6, "ms",
                                   "the same targets by replay_to from the start, no snapshots"});
    }
    if (p.seek_long_events == 0) return;
    p.say("seek: a recorded run of " + std::to_string(p.seek_long_events) + " events over " +
          std::to_string(p.seek_long_watched) + " watched eventfds");
    auto k = model_steady_run(p.seek_long_events, p.seek_long_watched);
    const ModelSeeker seeker(*k);
    const SeekWorst w = seek_rows(r, p, *k, seeker);
    const std::string run = std::to_string(k->log.size()) + " events, " + std::to_string(p.seek_long_watched) + " fds";
    r.figures.push_back(Figure{"seek.long.run_events", static_cast<double>(k->log.size()), "events",
                               "a steady run: " + std::to_string(p.seek_long_watched) + " watched eventfds written, harvested, modified"});
    r.figures.push_back(Figure{"seek.long.worst_ms", w.seek / 1e6, "ms", "slowest of 4 targets, state only (" + run + ")"});
    r.figures.push_back(Figure{"seek.long.with_log_worst_ms", w.full / 1e6, "ms", "the same, the log prefix copied too"});
    r.figures.push_back(Figure{"seek.long.replay_worst_ms", w.replay / 1e6, "ms", "the same by replay_to from the start"});
}

}  // namespace epsim::perf
