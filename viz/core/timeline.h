// timeline.h - the cursor over the event log, as pure logic (no GUI).
//
// Positions are event indices 0..size()-1: "at i" means "right after event i was logged",
// which is exactly the state Kernel::replay_to(i) rebuilds (StateCache below caches it).
//
//   step(+-1)          one event
//   step_syscall(+-1)  to the next/previous boundary: a syscall.exit or syscall.block event,
//                      or the last event of a scenario step (where the run settled)
//   home() / end()     first / last event
//   marker(+-1)        to the next/previous marker: syscalls (syscall.enter), wake-ups
//                      (wq.wake), rb rotations, ovflist activity, divergences (added by the
//                      mirror) -- optionally only some kinds
//
// Player turns wall time into events: at `speed` events per second, tick(dt) says how many
// events to advance; it stops at the end.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/event_log.h"

namespace epsim {
class Kernel;
class Checkpoints;
}

namespace epsim::viz {

enum class MarkerKind : std::uint8_t { Syscall, Wakeup, Rotation, Ovflist, Divergence, Count_ };
const char* marker_kind_name(MarkerKind);
constexpr unsigned marker_bit(MarkerKind k) { return 1u << static_cast<unsigned>(k); }
constexpr unsigned kAllMarkers = (1u << static_cast<unsigned>(MarkerKind::Count_)) - 1;

struct Marker {
    std::size_t index = 0;
    MarkerKind kind = MarkerKind::Syscall;
    bool operator==(const Marker&) const = default;
};

// One scenario step's events: [first, end). Steps without events (say, thread) have first == end.
struct StepSpan {
    std::size_t first = 0, end = 0;
    int line = 0;
};

// The classification of one event (which marker it is, if any).
bool marker_of(const Event& e, MarkerKind& kind);

class Timeline {
public:
    Timeline() = default;
    Timeline(EventSpan events, std::vector<StepSpan> steps);

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    const std::vector<Marker>& markers() const { return markers_; }
    const std::vector<std::size_t>& boundaries() const { return boundaries_; }
    const std::vector<StepSpan>& steps() const { return steps_; }
    void add_marker(std::size_t index, MarkerKind kind);  // divergences; keeps markers sorted

    // Each returns the new position (the same one if there is nowhere to go).
    std::size_t next_boundary(std::size_t from) const;
    std::size_t prev_boundary(std::size_t from) const;
    std::size_t next_marker(std::size_t from, unsigned kinds = kAllMarkers) const;
    std::size_t prev_marker(std::size_t from, unsigned kinds = kAllMarkers) const;

    // The scenario step whose events contain `index` (the last one, if nested); -1 if none.
    int step_at(std::size_t index) const;
    // The step index at which event `index` is reached: step_at, or for an index no step
    // covers, the last step that started before it; -1 before the first step.
    int step_reached(std::size_t index) const;
    // The first event of step `s` that is "interesting" to land on: its last event (the state
    // after the whole step ran), or -1 for a step without events.
    long step_end_event(int s) const;

private:
    std::size_t size_ = 0;
    std::vector<Marker> markers_;
    std::vector<std::size_t> boundaries_;
    std::vector<StepSpan> steps_;
};

// The scrubber's picture, per pixel column of a bar `width` columns wide (event i sits at
// column round(i * (width - 1) / (size - 1))): which marker kinds fall in each column (bit
// marker_bit(kind)), and bit 7 for "an odd scenario step covers it" (the shaded bands).
// O(markers + steps) once; drawing is then O(width) a frame, whatever the run's length.
constexpr std::uint8_t kOddStepBit = 0x80;
std::vector<std::uint8_t> scrub_columns(const Timeline& tl, int width);

class Cursor {
public:
    explicit Cursor(const Timeline* tl = nullptr) : tl_(tl) {}
    void attach(const Timeline* tl);  // keeps the position, clamped
    std::size_t pos() const { return pos_; }
    bool valid() const { return tl_ && !tl_->empty(); }

    void seek(std::size_t i);
    void step(int dir);
    void step_syscall(int dir);
    void home();
    void end();
    void marker(int dir, unsigned kinds = kAllMarkers);
    bool at_end() const { return !valid() || pos_ + 1 >= tl_->size(); }

private:
    const Timeline* tl_ = nullptr;
    std::size_t pos_ = 0;
};

class Player {
public:
    bool playing = false;
    double speed = 8.0;  // events per second
    // Returns the number of events to advance after `dt` seconds (0 when paused).
    int tick(double dt);
    void toggle() { playing = !playing; acc_ = 0; }
    // Speeds offered by the GUI, slowest first.
    static const std::vector<double>& speeds();
    void faster();
    void slower();

private:
    double acc_ = 0;
};

// The model's state at event i. Holds the kernel of the last index asked for, so asking again
// costs nothing; any other index is rebuilt from the run's snapshots (sim/checkpoints.h: the
// nearest clone at or before i, then only the calls after it), exact in both directions.
// The snapshots are taken on the first seek. A source that kept no calls (recording off) has
// one state, its own. All seeking in epviz goes through at().
// The kernel at() returns is for its state (Checkpoints::seek_state): its log holds only the
// events since the snapshot (work counters and log.size() are whole) and no commands; the
// events themselves are read from the source, the Session's kernel.
class StateCache {
public:
    explicit StateCache(const Kernel* source = nullptr);
    ~StateCache();
    StateCache(const StateCache&) = delete;
    StateCache& operator=(const StateCache&) = delete;
    void reset(const Kernel* source);
    const Kernel* at(std::size_t i);  // nullptr without a source
    std::size_t replays() const { return replays_; }

private:
    const Kernel* src_ = nullptr;
    std::unique_ptr<Checkpoints> points_;
    std::unique_ptr<Kernel> k_;
    std::size_t idx_ = SIZE_MAX;
    std::size_t replays_ = 0;
};

}  // namespace epsim::viz
