// checkpoints.cpp - see checkpoints.h for the design and the memory policy.
#include "checkpoints.h"

#include <algorithm>

namespace epsim {

Checkpoints::Checkpoints(const Kernel& recorded, Options opt) {
    if (recorded.recording_cleared_ || !recorded.config.record_commands)
        throw ModelError("Checkpoints: the kernel has no complete command recording");
    KernelConfig cfg = recorded.config;
    cfg.record = true;  // as replay_to: the replayed run logs everything
    cfg.record_commands = true;
    full_ = std::make_unique<Kernel>(cfg);
    auto take = [&](std::size_t commands) {
        Point p;
        p.events = full_->log.size();
        p.syscalls = full_->log.syscalls.size();
        p.notes = full_->log.notes.size();
        p.commands = commands;
        p.k = full_->clone(Kernel::Recording::Drop);
        p.bytes = p.k->state_bytes();
        points_.push_back(std::move(p));
    };
    take(0);
    // The spacing depends on the state size, which changes slowly: after a check that finds
    // the state too big for the events since the last checkpoint, wait for enough events.
    std::uint64_t next_check = opt.min_spacing;
    const std::size_t n = recorded.command_count();
    for (std::size_t j = 0; j < n; ++j) {
        recorded.replay_commands(*full_, j, j + 1);
        const std::uint64_t since = full_->log.size() - points_.back().events;
        if (since < next_check) continue;
        const std::uint64_t need = std::max<std::uint64_t>(opt.min_spacing, full_->state_bytes() / opt.bytes_per_event);
        if (since >= need) {
            take(j + 1);
            next_check = opt.min_spacing;
        } else {
            next_check = need;
        }
    }
}

const Checkpoints::Point& Checkpoints::find(std::uint64_t index) const {
    // The last checkpoint taken before event `index` was logged: events <= index.
    auto it = std::upper_bound(points_.begin(), points_.end(), index,
                               [](std::uint64_t i, const Point& p) { return i < p.events; });
    return *(it - 1);  // points_[0].events == 0 <= index
}

std::unique_ptr<Kernel> Checkpoints::seek(std::uint64_t index) const {
    const Point& p = find(index);
    auto k = p.k->clone(Kernel::Recording::Drop);
    // The recording up to the checkpoint, from the full run.
    const EventLog& full = full_->log;
    k->log.events.assign(full.events.begin(), full.events.begin() + static_cast<std::ptrdiff_t>(p.events));
    k->log.syscalls.assign_prefix(full.syscalls, p.syscalls);
    k->log.notes.assign(full.notes.begin(), full.notes.begin() + static_cast<std::ptrdiff_t>(p.notes));
    k->commands_.assign(full_->commands_.begin(), full_->commands_.begin() + static_cast<std::ptrdiff_t>(p.commands));
    k->recording_cleared_ = false;
    run_after(p, *k, index);
    return k;
}

std::unique_ptr<Kernel> Checkpoints::seek_state(std::uint64_t index) const {
    const Point& p = find(index);
    auto k = p.k->clone(Kernel::Recording::Drop);  // cannot be replayed: recording_cleared_
    k->config.record_commands = false;             // the calls below are not kept either
    // The log starts at the checkpoint but counts what came before, so the ids the calls
    // below log (syscall records) and size()/stop_after are those of the full run.
    k->log.first = p.events;
    k->log.syscalls.start_at(p.syscalls);
    const EventLog& full = full_->log;
    k->log.notes.assign(full.notes.begin(), full.notes.begin() + static_cast<std::ptrdiff_t>(p.notes));  // rare
    run_after(p, *k, index);
    return k;
}

void Checkpoints::run_after(const Point& p, Kernel& k, std::uint64_t index) const {
    // The calls after the checkpoint, stopped right after event `index`, as replay_to does.
    k.log.stop_after = index;
    try {
        full_->replay_commands(k, p.commands, full_->command_count());
    } catch (const StopReplay&) {
    }
    k.log.stop_after = UINT64_MAX;
}

std::size_t Checkpoints::bytes() const {
    std::size_t n = 0;
    for (const Point& p : points_) n += p.bytes;
    return n;
}

}  // namespace epsim
