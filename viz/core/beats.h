// beats.h - the visible beats of an rb-tree change, read from the event log (pure, no GUI).
//
// One epoll_ctl(ADD) is one syscall but many tree changes: ep_rbtree_insert links the new node
// red at its leaf (rb.link), then rb_insert_color recolours and rotates case by case
// (rb.insert.*); an erase unlinks and rebalances (rb.erase.*). Each of those events is a beat:
// a state of the tree worth showing on its own, with a caption that names the case ("insert
// case 2: rotate left at the parent").
//
// When the GUI moves the cursor forward over several events at once (Shift+Right: one
// syscall), it plays the beats in between one by one (BeatPlayer), each for one animation,
// before landing on the target; the cursor really is at each beat, so what is shown is always
// the model's state at the cursor.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "sim/event_log.h"
#include "viz/core/names.h"

namespace epsim::viz {

struct Beat {
    std::size_t index = 0;  // the event
    std::string caption;    // "insert case 2: rotate left at the parent (b.r)"
};

// True for the events that are tree beats: rb.link, rb.insert.*, rb.erase.* (the walk down,
// rb.find.visit, changes nothing and is not a beat; it still has a caption).
bool is_tree_beat(const Event& e);
// The caption of a tree-beat event ("" for any other event). Epitems are named as the scenario
// names them ("b.r"; "fd 5" when it gives no name: FdNames::epitem); without `names`, by id
// ("epitem#3").
std::string beat_caption(const Event& e, const FdNames* names = nullptr);
// The beats in (from, to], in order.
std::vector<Beat> tree_beats(EventSpan events, std::size_t from, std::size_t to, const FdNames* names = nullptr);

// Plays the beats of a forward move. start() takes the move (from, to]: if it holds beats, the
// cursor should go to the first; each next() (called when the previous beat's animation is
// over) gives the following stop, the target last. A move with no beats, or more than
// `max_beats` (a long jump: no one wants to watch 500 rotations), has no stops.
class BeatPlayer {
public:
    static constexpr std::size_t kMaxBeats = 40;
    // Returns the first stop, or `to` itself if the move is played as one jump.
    std::size_t start(EventSpan events, std::size_t from, std::size_t to);
    bool active() const { return next_ < stops_.size(); }
    std::size_t next();     // the next stop (the target once the beats are done)
    std::size_t target() const { return stops_.empty() ? 0 : stops_.back(); }
    void cancel() { stops_.clear(), next_ = 0; }
    std::size_t beats() const { return stops_.empty() ? 0 : stops_.size() - 1; }  // beats in the move
    std::size_t shown() const { return next_; }  // stops handed out so far

private:
    std::vector<std::size_t> stops_;  // beat indices, then the target
    std::size_t next_ = 0;
};

}  // namespace epsim::viz
