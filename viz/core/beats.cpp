// beats.cpp - tree beats and their captions (see beats.h).
#include "viz/core/beats.h"

namespace epsim::viz {

bool is_tree_beat(const Event& e) {
    // The walk down (rb.find.visit) changes nothing: it stays a step of its own for the
    // arrow keys, but a syscall step does not stop at every node it passes.
    const char* n = event_type_name(e.type);
    return n[0] == 'r' && n[1] == 'b' && n[2] == '.' && e.type != EventType::RbFindVisit;
}

std::string beat_caption(const Event& e, const FdNames* names) {
    auto epi = [names](ObjId id) { return names ? names->epitem(id) : "epitem#" + std::to_string(id); };
    // rb.*: a = ep, b = the subject epitem, c = the other one (the parent for rb.link).
    switch (e.type) {
        case EventType::RbFindVisit:
            return std::string(e.fn == KFn::ep_find ? "ep_find" : "insert: walk down") + ": at " + epi(e.b) +
                   (e.x == 1 ? ", go left" : e.x == 2 ? ", go right" : ", found");
        case EventType::RbLink:
            return e.c ? "insert: " + epi(e.b) + " appears red at its leaf, " + (e.x ? "left" : "right") + " child of " + epi(e.c)
                       : "insert: " + epi(e.b) + " appears red as the root";
        case EventType::RbInsertRootBlack: return "insert: " + epi(e.b) + " is the root, painted black";
        case EventType::RbInsertParentBlack: return "insert: the parent of " + epi(e.b) + " is black, nothing to fix";
        case EventType::RbInsertCase1:
            return "insert case 1: the uncle is red: recolour, grandparent " + epi(e.b) + " red, parent and uncle black";
        case EventType::RbInsertCase2Left: return "insert case 2: rotate left at the parent (" + epi(e.b) + ")";
        case EventType::RbInsertCase2Right: return "insert case 2: rotate right at the parent (" + epi(e.b) + ")";
        case EventType::RbInsertCase3Right: return "insert case 3: rotate right at the grandparent (" + epi(e.b) + ")";
        case EventType::RbInsertCase3Left: return "insert case 3: rotate left at the grandparent (" + epi(e.b) + ")";
        case EventType::RbEraseUnlink:
            return "erase: unlink " + epi(e.b) + (e.c ? ", its successor " + epi(e.c) + " takes its place" : "");
        case EventType::RbEraseRecolorBlack: return "erase: recolour " + epi(e.b) + " black";
        case EventType::RbEraseCase1Left: return "erase case 1: the sibling is red, rotate left at the parent (" + epi(e.b) + ")";
        case EventType::RbEraseCase1Right: return "erase case 1: the sibling is red, rotate right at the parent (" + epi(e.b) + ")";
        case EventType::RbEraseCase2: return "erase case 2: recolour the sibling (" + epi(e.b) + ") red";
        case EventType::RbEraseCase3Right: return "erase case 3: rotate right at the sibling (" + epi(e.b) + ")";
        case EventType::RbEraseCase3Left: return "erase case 3: rotate left at the sibling (" + epi(e.b) + ")";
        case EventType::RbEraseCase4Left: return "erase case 4: rotate left at the parent (" + epi(e.b) + ")";
        case EventType::RbEraseCase4Right: return "erase case 4: rotate right at the parent (" + epi(e.b) + ")";
        default: return "";
    }
}

std::vector<Beat> tree_beats(EventSpan events, std::size_t from, std::size_t to, const FdNames* names) {
    std::vector<Beat> beats;
    for (std::size_t i = from + 1; i <= to && i < events.size(); ++i)
        if (is_tree_beat(events[i])) beats.push_back({i, beat_caption(events[i], names)});
    return beats;
}

std::size_t BeatPlayer::start(EventSpan events, std::size_t from, std::size_t to) {
    cancel();
    if (to <= from + 1) return to;
    std::size_t n = 0;
    for (std::size_t i = from + 1; i < to && i < events.size(); ++i)
        if (is_tree_beat(events[i]) && ++n > kMaxBeats) return to;
    if (n == 0) return to;
    for (std::size_t i = from + 1; i < to && i < events.size(); ++i)
        if (is_tree_beat(events[i])) stops_.push_back(i);
    stops_.push_back(to);
    return next();
}

std::size_t BeatPlayer::next() {
    if (next_ >= stops_.size()) return target();
    return stops_[next_++];
}

}  // namespace epsim::viz
