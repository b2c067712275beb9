// timeline.cpp - cursor, markers, player and the replay cache (see timeline.h).
#include "viz/core/timeline.h"

#include <algorithm>

#include "sim/checkpoints.h"
#include "sim/kernel.h"

namespace epsim::viz {

const char* marker_kind_name(MarkerKind k) {
    switch (k) {
        case MarkerKind::Syscall: return "syscall";
        case MarkerKind::Wakeup: return "wake-up";
        case MarkerKind::Rotation: return "rotation";
        case MarkerKind::Ovflist: return "ovflist";
        case MarkerKind::Divergence: return "divergence";
        default: return "?";
    }
}

bool marker_of(const Event& e, MarkerKind& kind) {
    switch (e.type) {
        case EventType::SyscallEnter: kind = MarkerKind::Syscall; return true;
        case EventType::WakeBegin: kind = MarkerKind::Wakeup; return true;
        case EventType::RbInsertCase2Left:
        case EventType::RbInsertCase2Right:
        case EventType::RbInsertCase3Right:
        case EventType::RbInsertCase3Left:
        case EventType::RbEraseCase1Left:
        case EventType::RbEraseCase1Right:
        case EventType::RbEraseCase3Right:
        case EventType::RbEraseCase3Left:
        case EventType::RbEraseCase4Left:
        case EventType::RbEraseCase4Right: kind = MarkerKind::Rotation; return true;
        case EventType::OvfActivate:
        case EventType::OvfPush:
        case EventType::OvfDrain:
        case EventType::OvfDeactivate: kind = MarkerKind::Ovflist; return true;
        default: return false;
    }
}

Timeline::Timeline(EventSpan events, std::vector<StepSpan> steps)
    : size_(events.size()), steps_(std::move(steps)) {
    for (std::size_t i = 0; i < events.size(); ++i) {
        MarkerKind k;
        if (marker_of(events[i], k)) markers_.push_back({i, k});
        if (events[i].type == EventType::SyscallExit || events[i].type == EventType::SyscallBlock)
            boundaries_.push_back(i);
    }
    for (const StepSpan& s : steps_)
        if (s.end > s.first && s.end <= size_) boundaries_.push_back(s.end - 1);
    std::sort(boundaries_.begin(), boundaries_.end());
    boundaries_.erase(std::unique(boundaries_.begin(), boundaries_.end()), boundaries_.end());
}

std::vector<std::uint8_t> scrub_columns(const Timeline& tl, int width) {
    std::vector<std::uint8_t> cols(static_cast<std::size_t>(std::max(0, width)), 0);
    if (width <= 0 || tl.empty()) return cols;
    const std::size_t n = tl.size();
    auto col = [&](std::size_t i) {
        if (n <= 1) return static_cast<std::size_t>(width / 2);
        return static_cast<std::size_t>((static_cast<double>(i) * (width - 1)) / static_cast<double>(n - 1) + 0.5);
    };
    bool odd = false;
    for (const StepSpan& s : tl.steps()) {
        if (s.end <= s.first || s.end > n) continue;
        odd = !odd;
        if (!odd) continue;
        for (std::size_t c = col(s.first), last = col(s.end - 1); c <= last; ++c) cols[c] |= kOddStepBit;
    }
    for (const Marker& m : tl.markers())
        if (m.index < n) cols[col(m.index)] |= static_cast<std::uint8_t>(marker_bit(m.kind));
    return cols;
}

void Timeline::add_marker(std::size_t index, MarkerKind kind) {
    Marker m{index, kind};
    auto it = std::upper_bound(markers_.begin(), markers_.end(), m,
                               [](const Marker& a, const Marker& b) { return a.index < b.index; });
    markers_.insert(it, m);
}

std::size_t Timeline::next_boundary(std::size_t from) const {
    auto it = std::upper_bound(boundaries_.begin(), boundaries_.end(), from);
    if (it != boundaries_.end()) return *it;
    return size_ ? size_ - 1 : 0;  // past the last boundary: the end
}

std::size_t Timeline::prev_boundary(std::size_t from) const {
    auto it = std::lower_bound(boundaries_.begin(), boundaries_.end(), from);
    if (it != boundaries_.begin()) return *std::prev(it);
    return 0;  // before the first boundary: the start
}

std::size_t Timeline::next_marker(std::size_t from, unsigned kinds) const {
    auto it = std::upper_bound(markers_.begin(), markers_.end(), from,
                               [](std::size_t f, const Marker& m) { return f < m.index; });
    for (; it != markers_.end(); ++it)
        if (kinds & marker_bit(it->kind)) return it->index;
    return from;
}

std::size_t Timeline::prev_marker(std::size_t from, unsigned kinds) const {
    auto it = std::lower_bound(markers_.begin(), markers_.end(), from,
                               [](const Marker& m, std::size_t f) { return m.index < f; });
    while (it != markers_.begin()) {
        --it;
        if (kinds & marker_bit(it->kind)) return it->index;
    }
    return from;
}

int Timeline::step_at(std::size_t index) const {
    int found = -1;
    for (std::size_t s = 0; s < steps_.size(); ++s)
        if (steps_[s].first <= index && index < steps_[s].end) found = static_cast<int>(s);
    return found;
}

int Timeline::step_reached(std::size_t index) const {
    int s = step_at(index);
    if (s >= 0) return s;
    int found = -1;
    for (std::size_t i = 0; i < steps_.size(); ++i)
        if (steps_[i].first <= index && steps_[i].end > steps_[i].first) found = static_cast<int>(i);
    return found;
}

long Timeline::step_end_event(int s) const {
    if (s < 0 || s >= static_cast<int>(steps_.size())) return -1;
    const StepSpan& sp = steps_[static_cast<std::size_t>(s)];
    return sp.end > sp.first ? static_cast<long>(sp.end - 1) : -1;
}

// ---- Cursor ----

void Cursor::attach(const Timeline* tl) {
    tl_ = tl;
    seek(pos_);
}

void Cursor::seek(std::size_t i) {
    if (!valid()) {
        pos_ = 0;
        return;
    }
    pos_ = std::min(i, tl_->size() - 1);
}

void Cursor::step(int dir) {
    if (!valid()) return;
    if (dir > 0) seek(pos_ + static_cast<std::size_t>(dir));
    else if (dir < 0) seek(pos_ >= static_cast<std::size_t>(-dir) ? pos_ - static_cast<std::size_t>(-dir) : 0);
}

void Cursor::step_syscall(int dir) {
    if (!valid()) return;
    seek(dir > 0 ? tl_->next_boundary(pos_) : tl_->prev_boundary(pos_));
}

void Cursor::home() { seek(0); }
void Cursor::end() {
    if (valid()) seek(tl_->size() - 1);
}

void Cursor::marker(int dir, unsigned kinds) {
    if (!valid()) return;
    seek(dir > 0 ? tl_->next_marker(pos_, kinds) : tl_->prev_marker(pos_, kinds));
}

// ---- Player ----

const std::vector<double>& Player::speeds() {
    static const std::vector<double> v{0.5, 1, 2, 4, 8, 16, 32, 64, 256};
    return v;
}

void Player::faster() {
    for (double s : speeds())
        if (s > speed) {
            speed = s;
            return;
        }
}

void Player::slower() {
    const auto& v = speeds();
    for (auto it = v.rbegin(); it != v.rend(); ++it)
        if (*it < speed) {
            speed = *it;
            return;
        }
}

int Player::tick(double dt) {
    if (!playing || dt <= 0) return 0;
    acc_ += dt * speed;
    int n = static_cast<int>(acc_);
    acc_ -= n;
    return n;
}

// ---- StateCache ----

StateCache::StateCache(const Kernel* source) : src_(source) {}
StateCache::~StateCache() = default;

void StateCache::reset(const Kernel* source) {
    src_ = source;
    points_.reset();
    k_.reset();
    idx_ = SIZE_MAX;
}

const Kernel* StateCache::at(std::size_t i) {
    if (!src_) return nullptr;
    // A kernel run with recording off has no log to replay: it only has its final state.
    if (!src_->config.record_commands) return src_;
    if (k_ && idx_ == i) return k_.get();
    if (!points_) points_ = std::make_unique<Checkpoints>(*src_);
    k_ = points_->seek_state(i);
    idx_ = i;
    ++replays_;
    return k_.get();
}

}  // namespace epsim::viz
