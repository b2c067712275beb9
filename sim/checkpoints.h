// checkpoints.h - fast seeking in a recorded run: snapshots (Kernel::clone) every so often.
//
// Kernel::replay_to(i) rebuilds the state after event i by re-running every recorded call
// from a fresh kernel: O(i). Checkpoints replays the run once, keeps a clone at a call
// boundary every `spacing` events, and seek(i) clones the last checkpoint at or before i and
// re-runs only the calls after it, stopping right after event i. The result is the same
// kernel replay_to(i) returns: same state, same log (events 0..i), same commands.
//
// Checkpoints sit between calls because a kernel stopped inside a call (StopReplay) cannot
// go on; a single call that logs many events (closing an epoll with a million items) is
// replayed from its start.
//
// Memory policy: a checkpoint is taken once at least
//     max(min_spacing, state_bytes / bytes_per_event)
// events have passed since the previous one. A checkpoint of S bytes is thus "paid for" by
// S / bytes_per_event events of log, so all checkpoints together cost at most about
// bytes_per_event bytes per event of the run (plus one state), and a seek re-runs at most
// that many events plus the rest of one call. Checkpoints hold no log of their own.
//
// Two seeks:
//   seek_state(i)  the state only: a clone of the checkpoint plus the calls after it. Its cost
//                  is one clone and at most one spacing of events, whatever the run's length.
//                  The kernel's log starts late (EventLog::first, SyscallTable::first): it
//                  holds only the events and syscall records from the checkpoint to i, but
//                  counts all of them, so log.size() == i + 1 and every id matches the full
//                  run. It keeps no commands and cannot be replayed (command_count() == 0,
//                  config.record_commands off). For viewers that read the log from the
//                  recorded kernel itself (epviz, the bench).
//   seek(i)        all of replay_to(i): the state and the whole log prefix and commands,
//                  copied from the one full log kept here. O(i) in copying: for callers that
//                  need the seeked kernel's own log (exports, replaying on from it).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "kernel.h"

namespace epsim {

class Checkpoints {
public:
    struct Options {
        std::size_t min_spacing = 2000;     // events between checkpoints, at least
        std::size_t bytes_per_event = 64;   // checkpoint memory allowed per event of the run
    };
    // Replays `recorded`'s commands once (it must have been run with record_commands).
    explicit Checkpoints(const Kernel& recorded) : Checkpoints(recorded, Options{}) {}
    Checkpoints(const Kernel& recorded, Options opt);

    // The state right after event `index` (the whole run if index is past the end); equal to
    // recorded.replay_to(index), log and commands included.
    std::unique_ptr<Kernel> seek(std::uint64_t index) const;
    // The same state, without the log before the checkpoint and without commands (see above).
    std::unique_ptr<Kernel> seek_state(std::uint64_t index) const;

    std::size_t count() const { return points_.size(); }
    std::uint64_t events() const { return full_->log.size(); }  // events in the run
    std::size_t bytes() const;  // checkpoints' state (approximate), without the shared log
    // The event index the checkpoint used by seek(index) stands at (for tests and benches).
    std::uint64_t checkpoint_before(std::uint64_t index) const { return find(index).events; }

private:
    struct Point {
        std::uint64_t events = 0;    // log size when it was taken
        std::size_t syscalls = 0;    // log.syscalls size
        std::size_t notes = 0;       // log.notes size
        std::size_t commands = 0;    // commands run so far
        std::size_t bytes = 0;       // its state_bytes()
        std::unique_ptr<Kernel> k;   // clone without recording
    };
    const Point& find(std::uint64_t index) const;
    // Runs the calls after checkpoint `p` on `k` (a clone of it), stopped right after `index`.
    void run_after(const Point& p, Kernel& k, std::uint64_t index) const;

    std::unique_ptr<Kernel> full_;   // the replayed run: the full log and all commands
    std::vector<Point> points_;      // by events, ascending; points_[0] is the fresh kernel
};

}  // namespace epsim
