// rb_drill.h - the rb-tree insert drill: the student performs an insert's fix-up step by step.
//
// The model already did every insert of a run and logged each fix-up step (rb.link, then
// rb.insert.root_black | parent_black | case1.recolor | case2.rotate_* | case3.rotate_*; see
// sim/rbtree.h for the cases). A drill replays one insert: it shows the tree right after the
// new red node was linked, asks for one move at a time, and judges each move against the
// model's logged sequence -- the expected moves come from the event log, never from a second
// implementation of the fix-up. When a move is wrong, the reason names the case that applies,
// read off the tree as it stands (uncle red -> recolour; uncle black and inner child -> rotate
// at the parent; uncle black and outer child -> rotate at the grandparent).
//
// Moves and the model's steps:
//   Recolour at G       rb.insert.case1.recolor (G = grandparent: parent, uncle black, G red)
//   Recolour at R       rb.insert.root_black    (R = the root, red: paint it black)
//   Rotate left/right   rb.insert.case2.rotate_* at the parent, case3.rotate_* at the
//                       grandparent (case 3 also swaps the parent's and grandparent's colours)
//   Done                rb.insert.parent_black, or the end of the loop after case 3 or
//                       root_black: the student says the tree is valid again.
//
// Pure: no ImGui. Trees are snapshots of the model's state (Kernel::replay_to), keyed by
// epitem id. Nodes are named as the scenario names their fds ("e[3]"; FdNames), else "fd 7".
//
// Nothing shown before a move may give the fix-up away: the picker lists each insert by its
// scenario line and the fd it adds, and says which cases ran and how many steps it took only
// once the student has finished that insert (DrillSession::entry_text).
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/event_log.h"
#include "viz/core/names.h"

namespace epsim {
class Kernel;
}

namespace epsim::viz {

enum class DrillAction : std::uint8_t { Recolour, RotateLeft, RotateRight, Done };
const char* drill_action_name(DrillAction);  // "recolour", "rotate left", ...

struct DrillMove {
    DrillAction action = DrillAction::Done;
    ObjId at = 0;  // the epitem the move is at (0 for Done)
    bool operator==(const DrillMove&) const = default;
};

// One eventpoll's interest tree at one moment.
struct DrillNode {
    ObjId parent = 0, left = 0, right = 0;
    bool red = false;
    int fd = -1;
    std::string name;  // the scenario's name of the fd ("e[3]"), "" if none
    bool operator==(const DrillNode&) const = default;
};
struct DrillTree {
    ObjId root = 0;
    std::map<ObjId, DrillNode> nodes;
    const DrillNode* find(ObjId id) const;
    bool red(ObjId id) const;   // NIL (0) is black
    std::string name(ObjId id) const;  // "e[3]", "fd 7" when unnamed, or "NIL" for 0
    bool operator==(const DrillTree&) const = default;
};
// The tree of eventpoll `ep` in `k`'s current state; `names` (optional) names the nodes.
DrillTree drill_tree(const Kernel& k, ObjId ep, const FdNames* names = nullptr);

// The situation of the node of concern: what decides the case.
struct DrillCase {
    ObjId node = 0, parent = 0, grand = 0, uncle = 0;
    bool node_is_root = false;
    bool parent_black = false;
    bool uncle_red = false;
    bool inner = false;        // node is the inner child (right of a left parent, or mirrored)
    bool parent_is_left = false;
    DrillMove move;            // the move the textbook rule gives
    std::string rule;          // "the uncle fd 9 is red: case 1 ..."
};
// Reads the case at `node` off `tree`. Used for the reasons; the expected moves come from the log.
DrillCase classify(const DrillTree& tree, ObjId node);

struct DrillStep {
    DrillMove move;
    EventType type = EventType::RbLink;  // the model's event (RbLink for an implied Done)
    std::size_t event = 0;               // its index in the log (for an implied Done: the last fix-up event)
    ObjId node = 0;                      // the node of concern before the step
    DrillTree before, after;             // the model's tree before and after the step
};

// One insert of the run.
struct DrillInsert {
    ObjId ep = 0, epi = 0;
    std::size_t link_event = 0;  // rb.link
    std::vector<DrillStep> steps;  // ends with a Done
    int fixups() const;            // steps that change the tree (recolours and rotations)
    std::string label;             // the inserted node: "e[3] (fd 7)", "fd 7"; no hint of its cases
    std::string cases() const;     // "case2.rotate_right, case3.rotate_left", or "no fix-up": the answer
};

// Every insert (rb.link) in the run's log, up to the first kMaxDrillInserts, with its expected
// moves and the model's trees at each step (from the run's snapshots). `names` (optional): the
// scenario's names for the nodes.
inline constexpr std::size_t kMaxDrillInserts = 256;  // the first ones of a bigger run
std::vector<DrillInsert> find_inserts(const Kernel& run, const FdNames* names = nullptr);

// The judgement of one move.
struct DrillVerdict {
    bool ok = false;
    bool shown = false;   // done for the student (Show me), not played by them
    std::string reason;   // why it is right, or why it is wrong and what applies instead
    DrillMove expected;
    std::string expected_text;  // "rotate left at fd 5 (rb.insert.case2.rotate_left)"
};

// Text of a move with node names from `tree`: "rotate left at e[2]", "done".
std::string move_text(const DrillMove& m, const DrillTree& tree);

// Judges `student` as step `i` of `ins`.
DrillVerdict judge(const DrillInsert& ins, std::size_t i, const DrillMove& student);

// A drill in progress: which step is next, the mistakes so far.
class Drill {
public:
    Drill() = default;
    explicit Drill(DrillInsert ins) : ins_(std::move(ins)) {}
    const DrillInsert& insert() const { return ins_; }
    std::size_t step() const { return step_; }
    bool finished() const { return step_ >= ins_.steps.size(); }
    int mistakes() const { return mistakes_; }  // wrong moves played
    int shown() const { return shown_; }        // steps done for the student (Show me)
    // The tree as the student sees it: before the next step (after the last one when finished).
    const DrillTree& tree() const;
    // Judges the move; a right move advances, a wrong one counts a mistake and does not.
    DrillVerdict play(const DrillMove& m);
    // Performs the expected step for the student. Counted apart from mistakes: asking is not
    // a wrong move, but the final tally says how much was the student's own.
    DrillVerdict show_step();
    const std::optional<DrillVerdict>& last() const { return last_; }

private:
    DrillInsert ins_;
    std::size_t step_ = 0;
    int mistakes_ = 0;
    int shown_ = 0;
    std::optional<DrillVerdict> last_;
};

// A drill scenario from a seed: `n` eventfds created first (their file addresses fix the key
// order), then added to one epoll instance in an order the seed shuffles, so each seed gives
// its own insert sequence and fix-up cases. Deterministic per seed.
std::string drill_scenario(std::uint64_t seed, int n = 9);

}  // namespace epsim::viz

namespace epsim::viz {

// The drill panel's state for one opened run: the inserts found, the one being drilled, the
// node the student clicked. Pure; the panel (viz/app/ui_drill.cpp) draws it.
// How the student did on one insert, once finished (the picker shows it then).
struct DrillOutcome {
    bool finished = false;
    int mistakes = 0, shown = 0;
};

class DrillSession {
public:
    // Finds the inserts (replays the model: call when opened); `names` names the nodes.
    void load(const Kernel& run, const FdNames* names = nullptr);
    void clear() { *this = {}; }
    bool loaded() const { return loaded_; }
    const std::vector<DrillInsert>& inserts() const { return inserts_; }
    // The picker's entry for insert i, given its scenario line and call text:
    //   "#5  line 12: epoll_ctl(ep, ADD, e[4], EPOLLIN)"
    // and once the student finished it (first finish counts):
    //   "#5  line 12: epoll_ctl(ep, ADD, e[4], EPOLLIN)  -  done: 2 fix-up steps
    //    (case2.rotate_right, case3.rotate_left), 1 mistake"
    // Before that it says nothing of the cases or the number of steps: that is the question.
    // `brief` (the closed picker's one line): "  -  done" instead of the tally.
    std::string entry_text(int i, int line, const std::string& call, bool brief = false) const;
    const DrillOutcome& outcome(int i) const;
    // The first insert with a case 2, else a case 3, else a case 1, else the first (-1: none).
    int interesting() const;
    void start(int i);  // drill insert i from its link
    int index() const { return index_; }
    Drill& drill() { return drill_; }
    const Drill& drill() const { return drill_; }
    ObjId selected = 0;  // the clicked node (the "X" of the action buttons)
    // Plays `a` at the selected node (Done needs none). A right move clears the selection.
    DrillVerdict play(DrillAction a);
    // Show me: the model's next step, done for the student; clears the selection.
    DrillVerdict show();
    // The epitem of `fd` in the tree the student sees (0 if none).
    ObjId node_of_fd(int fd) const;
    // The epitem named `name` ("e[3]") or, for a number, of that fd (0 if none).
    ObjId node_named(const std::string& name) const;

private:
    void note_outcome();  // records the drill's result the first time it is finished
    bool loaded_ = false;
    std::vector<DrillInsert> inserts_;
    std::vector<DrillOutcome> outcomes_;  // parallel to inserts_
    int index_ = -1;
    Drill drill_;
};

}  // namespace epsim::viz
