// rb_drill.cpp - the rb-tree insert drill (see rb_drill.h).
#include "viz/core/rb_drill.h"

#include <algorithm>
#include <utility>

#include "sim/checkpoints.h"
#include "sim/kernel.h"

namespace epsim::viz {

const char* drill_action_name(DrillAction a) {
    switch (a) {
        case DrillAction::Recolour: return "recolour";
        case DrillAction::RotateLeft: return "rotate left";
        case DrillAction::RotateRight: return "rotate right";
        case DrillAction::Done: return "done";
    }
    return "?";
}

// ---------------------------------------------------------------------------------------
// [SECTION] trees

const DrillNode* DrillTree::find(ObjId id) const {
    auto it = nodes.find(id);
    return it == nodes.end() ? nullptr : &it->second;
}

bool DrillTree::red(ObjId id) const {
    const DrillNode* n = find(id);
    return n && n->red;
}

std::string DrillTree::name(ObjId id) const {
    if (id == 0) return "NIL";
    const DrillNode* n = find(id);
    if (!n) return "epitem#" + std::to_string(id);
    return n->name.empty() ? "fd " + std::to_string(n->fd) : n->name;
}

static ObjId read_node(const RbNode* n, ObjId parent, DrillTree& t, const FdNames* names, int depth) {
    if (!n || depth > 128) return 0;  // the rb height is <= 2 log2 n; a deeper walk is a broken tree
    const Epitem* e = epi_of_rbn(n);
    DrillNode d;
    d.parent = parent;
    d.red = n->color == RbColor::Red;
    d.fd = e->ffd.fd;
    if (names && e->ffd.file) d.name = names->of(e->ffd.fd, e->ffd.file->id);
    t.nodes[e->id] = d;
    const ObjId l = read_node(n->left, e->id, t, names, depth + 1);
    const ObjId r = read_node(n->right, e->id, t, names, depth + 1);
    t.nodes[e->id].left = l;
    t.nodes[e->id].right = r;
    return e->id;
}

DrillTree drill_tree(const Kernel& k, ObjId ep, const FdNames* names) {
    DrillTree t;
    for (const auto& p : k.eventpolls())
        if (p && p->id == ep) t.root = read_node(p->rbr.root, 0, t, names, 0);
    return t;
}

// ---------------------------------------------------------------------------------------
// [SECTION] the case at the node of concern (the rules of sim/rbtree.h, in words)

DrillCase classify(const DrillTree& t, ObjId node) {
    DrillCase c;
    c.node = node;
    const DrillNode* n = t.find(node);
    const std::string N = t.name(node);
    if (!n) {
        c.move = {DrillAction::Done, 0};
        c.rule = "no node to fix";
        return c;
    }
    if (n->parent == 0) {
        c.node_is_root = true;
        if (n->red) {
            c.move = {DrillAction::Recolour, node};
            c.rule = N + " is the root and it is red: recolour at " + N + ", painting it black (the root is always black; "
                         "that adds one black to every path, so the black heights stay equal).";
        } else {
            c.move = {DrillAction::Done, 0};
            c.rule = "The root " + N + " is black and no red node has a red child: the tree is valid, done.";
        }
        return c;
    }
    c.parent = n->parent;
    const DrillNode* p = t.find(c.parent);
    const std::string P = t.name(c.parent);
    if (!n->red || !p || !p->red) {
        c.parent_black = p && !p->red;
        c.move = {DrillAction::Done, 0};
        c.rule = n->red ? "The parent " + P + " of the red node " + N +
                              " is black: a red child under a black parent breaks no rule, done."
                        : N + " is black: no red node has a red child here, done.";
        return c;
    }
    c.grand = p->parent;  // a red parent is never the root of a valid tree
    const DrillNode* g = t.find(c.grand);
    if (!g) {
        c.move = {DrillAction::Recolour, c.parent};
        c.rule = "The parent " + P + " is a red root: paint it black.";
        return c;
    }
    const std::string G = t.name(c.grand);
    c.parent_is_left = g->left == c.parent;
    c.uncle = c.parent_is_left ? g->right : g->left;
    c.uncle_red = t.red(c.uncle);
    const std::string U = c.uncle ? "the uncle " + t.name(c.uncle) : "the uncle (NIL, which counts as black)";
    if (c.uncle_red) {
        c.move = {DrillAction::Recolour, c.grand};
        c.rule = N + " and its parent " + P + " are both red, and " + U + " is red: case 1, recolour at the "
                 "grandparent " + G + ". " + P + " and the uncle turn black, " + G +
                 " turns red (every path keeps its black count), and the check continues at " + G + ".";
        return c;
    }
    c.inner = c.parent_is_left ? p->right == node : p->left == node;
    const char* side = c.parent_is_left ? "left" : "right";
    const char* other = c.parent_is_left ? "right" : "left";
    if (c.inner) {
        c.move = {c.parent_is_left ? DrillAction::RotateLeft : DrillAction::RotateRight, c.parent};
        c.rule = N + " and its parent " + P + " are both red, " + U + " is black, and " + N +
                 " is the inner child (the " + other + " child of a " + side + " child): case 2, rotate " +
                 side + " at the parent " + P + ". Now " + P + " is the outer child and case 3 follows.";
    } else {
        c.move = {c.parent_is_left ? DrillAction::RotateRight : DrillAction::RotateLeft, c.grand};
        c.rule = N + " and its parent " + P + " are both red, " + U + " is black, and " + N +
                 " is the outer child (the " + side + " child of a " + side + " child): case 3, rotate " + other +
                 " at the grandparent " + G + " and swap the colours of " + P + " and " + G + ". " + P +
                 " becomes the black top of the subtree: done after this.";
    }
    return c;
}

// ---------------------------------------------------------------------------------------
// [SECTION] the expected steps, from the log

static bool is_insert_fixup(EventType t) {
    switch (t) {
        case EventType::RbInsertRootBlack:
        case EventType::RbInsertParentBlack:
        case EventType::RbInsertCase1:
        case EventType::RbInsertCase2Left:
        case EventType::RbInsertCase2Right:
        case EventType::RbInsertCase3Right:
        case EventType::RbInsertCase3Left: return true;
        default: return false;
    }
}

static DrillMove move_of(const Event& e) {
    switch (e.type) {
        case EventType::RbInsertRootBlack: return {DrillAction::Recolour, e.b};
        case EventType::RbInsertCase1: return {DrillAction::Recolour, e.b};
        case EventType::RbInsertCase2Left:
        case EventType::RbInsertCase3Left: return {DrillAction::RotateLeft, e.b};
        case EventType::RbInsertCase2Right:
        case EventType::RbInsertCase3Right: return {DrillAction::RotateRight, e.b};
        default: return {DrillAction::Done, 0};
    }
}

int DrillInsert::fixups() const {
    int n = 0;
    for (const DrillStep& s : steps) n += s.move.action != DrillAction::Done;
    return n;
}

std::string DrillInsert::cases() const {
    std::string s;
    for (const DrillStep& st : steps) {
        if (st.move.action == DrillAction::Done) continue;
        const char* n = event_type_name(st.type);  // "rb.insert.case1.recolor" -> "case1.recolor"
        std::string name = n;
        if (name.rfind("rb.insert.", 0) == 0) name = name.substr(10);
        s += (s.empty() ? "" : ", ") + name;
    }
    return s.empty() ? "no fix-up" : s;
}

std::vector<DrillInsert> find_inserts(const Kernel& run, const FdNames* names) {
    std::vector<DrillInsert> out;
    EventSpan ev = run.log.events;
    for (std::size_t i = 0; i < ev.size(); ++i) {
        if (ev[i].type != EventType::RbLink) continue;
        DrillInsert ins;
        ins.ep = ev[i].a;
        ins.epi = ev[i].b;
        ins.link_event = i;
        // The node of concern moves as the fix-up climbs: to the grandparent after case 1, to
        // the old parent (now the lower node) after case 2, to the subtree's new top after case 3.
        ObjId node = ins.epi;
        std::size_t j = i + 1;
        bool ended_by_done = false;
        for (; j < ev.size() && is_insert_fixup(ev[j].type); ++j) {
            DrillStep s;
            s.type = ev[j].type;
            s.event = j;
            s.node = node;
            s.move = move_of(ev[j]);
            ins.steps.push_back(s);
            switch (ev[j].type) {
                case EventType::RbInsertParentBlack: ended_by_done = true; break;
                case EventType::RbInsertCase1: node = ev[j].b; break;
                case EventType::RbInsertCase2Left:
                case EventType::RbInsertCase2Right: node = ev[j].b; break;
                case EventType::RbInsertCase3Left:
                case EventType::RbInsertCase3Right: node = ev[j].c; break;
                default: break;
            }
        }
        if (!ended_by_done) {  // root_black or case 3 ended the loop: the student still says done
            DrillStep s;
            s.type = EventType::RbLink;
            s.event = j - 1;
            s.node = node;
            s.move = {DrillAction::Done, 0};
            ins.steps.push_back(s);
        }
        out.push_back(std::move(ins));
        i = j - 1;
    }
    // A drill is a lesson, not a survey: a run with thousands of inserts (scale scenarios)
    // offers its first kMaxDrillInserts, so opening the drill stays quick.
    if (out.size() > kMaxDrillInserts) out.resize(kMaxDrillInserts);
    if (out.empty()) return out;
    // Trees: the model's state at each step, from the run's snapshots (exact, never re-derived).
    const Checkpoints points(run);
    for (DrillInsert& ins : out) {
        DrillTree prev = drill_tree(*points.seek_state(ins.link_event), ins.ep, names);
        for (DrillStep& s : ins.steps) {
            s.before = prev;
            s.after = s.move.action == DrillAction::Done ? prev : drill_tree(*points.seek_state(s.event), ins.ep, names);
            prev = s.after;
        }
        // The node only: its cases (cases()) are what the drill asks for.
        const DrillNode* n = prev.find(ins.epi);
        ins.label = !n ? prev.name(ins.epi) : n->name.empty() ? "fd " + std::to_string(n->fd)
                                                               : n->name + " (fd " + std::to_string(n->fd) + ")";
    }
    return out;
}

// ---------------------------------------------------------------------------------------
// [SECTION] judging

std::string move_text(const DrillMove& m, const DrillTree& t) {
    if (m.action == DrillAction::Done) return "done";
    return std::string(drill_action_name(m.action)) + " at " + t.name(m.at);
}


DrillVerdict judge(const DrillInsert& ins, std::size_t i, const DrillMove& student) {
    DrillVerdict v;
    if (i >= ins.steps.size()) {
        v.reason = "The insert is finished.";
        return v;
    }
    const DrillStep& s = ins.steps[i];
    const DrillTree& t = s.before;
    const DrillCase c = classify(t, s.node);
    v.expected = s.move;
    v.expected_text = move_text(s.move, t);
    if (s.move.action != DrillAction::Done || s.type != EventType::RbLink)
        v.expected_text += std::string(" (") + event_type_name(s.type) + ")";
    if (student == s.move) {
        v.ok = true;
        v.reason = c.rule;
        return v;
    }
    const std::string N = t.name(c.node), P = t.name(c.parent);
    std::string why;
    if (student.action == DrillAction::Done) {
        why = c.node_is_root ? "Not done: the root " + N + " is red."
                             : "Not done: " + N + " is red and so is its parent " + P +
                                   ", and a red node may not have a red child.";
    } else if (s.move.action == DrillAction::Done) {
        why = "Nothing is left to fix.";
    } else if (student.action == s.move.action) {
        why = "Right move, wrong node: " + std::string(drill_action_name(student.action)) + " at " +
              t.name(s.move.at) + ", not at " + t.name(student.at) + ".";
    } else if (student.action == DrillAction::Recolour) {
        why = c.uncle ? "Not a recolour: the uncle " + t.name(c.uncle) + " is black."
                      : "Not a recolour: the uncle is NIL, which counts as black.";
        why += " Making the parent black and the grandparent red would leave the uncle's paths one black short.";
    } else if (s.move.action == DrillAction::Recolour) {
        why = c.uncle_red ? "No rotation: the uncle " + t.name(c.uncle) + " is red, so recolouring fixes this level."
                          : "No rotation: only a colour is wrong.";
    } else if (student.at == s.move.at) {
        why = "Wrong direction.";
    } else if (c.inner && student.at == c.grand) {
        why = "Not yet at the grandparent: " + N + " is the inner child, so rotating at " + t.name(c.grand) +
              " would leave it red under a red node in the middle.";
    } else {
        why = "That rotation does not apply here.";
    }
    v.reason = why + " " + c.rule;
    return v;
}

const DrillTree& Drill::tree() const {
    static const DrillTree empty;
    if (ins_.steps.empty()) return empty;
    if (finished()) return ins_.steps.back().after;
    return ins_.steps[step_].before;
}

DrillVerdict Drill::play(const DrillMove& m) {
    DrillVerdict v = judge(ins_, step_, m);
    if (finished()) {
        last_ = v;
        return v;
    }
    if (v.ok) ++step_;
    else ++mistakes_;
    last_ = v;
    return v;
}

DrillVerdict Drill::show_step() {
    if (finished()) return play({});
    DrillVerdict v = judge(ins_, step_, ins_.steps[step_].move);
    v.shown = true;  // the panel says it was shown; the reason explains the step
    ++shown_;
    ++step_;
    last_ = v;
    return v;
}

// ---------------------------------------------------------------------------------------
// [SECTION] a drill scenario from a seed

static std::uint64_t splitmix64(std::uint64_t& s) {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::string drill_scenario(std::uint64_t seed, int n) {
    n = std::max(2, std::min(n, 40));
    std::vector<int> order(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
    std::uint64_t st = seed;
    for (std::size_t i = order.size() - 1; i > 0; --i)  // Fisher-Yates: same seed, same order
        std::swap(order[i], order[splitmix64(st) % (i + 1)]);
    std::string s;
    s += "title \"rb-tree insert drill, seed " + std::to_string(seed) + "\"\n";
    s += "tags rb, drill\n";
    s += "say \"" + std::to_string(n) +
         " eventfds are added to one epoll instance in a shuffled order. Each ADD links a red node "
         "(ep_rbtree_insert) and rb_insert_color fixes the tree up. Open the drill to do the fix-ups yourself.\"\n";
    s += "ep = epoll_create1(0)\n";
    s += "repeat " + std::to_string(n) + " as i {\n    e[i] = eventfd(0, EFD_NONBLOCK)\n}\n";
    for (int k : order) s += "epoll_ctl(ep, ADD, e[" + std::to_string(k) + "], EPOLLIN) == 0\n";
    return s;
}

}  // namespace epsim::viz

namespace epsim::viz {

void DrillSession::load(const Kernel& run, const FdNames* names) {
    inserts_ = find_inserts(run, names);
    outcomes_.assign(inserts_.size(), {});
    loaded_ = true;
    index_ = -1;
    selected = 0;
    drill_ = {};
}

int DrillSession::interesting() const {
    for (EventType want : {EventType::RbInsertCase2Left, EventType::RbInsertCase3Left, EventType::RbInsertCase1}) {
        for (std::size_t i = 0; i < inserts_.size(); ++i)
            for (const DrillStep& s : inserts_[i].steps) {
                const bool match = s.type == want || (want == EventType::RbInsertCase2Left && s.type == EventType::RbInsertCase2Right) ||
                                   (want == EventType::RbInsertCase3Left && s.type == EventType::RbInsertCase3Right);
                if (match) return static_cast<int>(i);
            }
    }
    return inserts_.empty() ? -1 : 0;
}

void DrillSession::start(int i) {
    selected = 0;
    if (i < 0 || static_cast<std::size_t>(i) >= inserts_.size()) {
        index_ = -1;
        drill_ = {};
        return;
    }
    index_ = i;
    drill_ = Drill(inserts_[static_cast<std::size_t>(i)]);
}

DrillVerdict DrillSession::play(DrillAction a) {
    DrillMove m{a, a == DrillAction::Done ? ObjId{0} : selected};
    DrillVerdict v = drill_.play(m);
    if (v.ok) selected = 0;
    note_outcome();
    return v;
}

DrillVerdict DrillSession::show() {
    DrillVerdict v = drill_.show_step();
    selected = 0;
    note_outcome();
    return v;
}

void DrillSession::note_outcome() {
    if (index_ < 0 || !drill_.finished()) return;
    DrillOutcome& o = outcomes_[static_cast<std::size_t>(index_)];
    if (o.finished) return;  // the first finish counts: a restart is practice
    o = {true, drill_.mistakes(), drill_.shown()};
}

const DrillOutcome& DrillSession::outcome(int i) const {
    static const DrillOutcome none;
    return i >= 0 && static_cast<std::size_t>(i) < outcomes_.size() ? outcomes_[static_cast<std::size_t>(i)] : none;
}

std::string DrillSession::entry_text(int i, int line, const std::string& call, bool brief) const {
    std::string s = "#" + std::to_string(i + 1) + "  line " + std::to_string(line) + ": " + call;
    const DrillOutcome& o = outcome(i);
    if (!o.finished || i < 0 || static_cast<std::size_t>(i) >= inserts_.size()) return s;
    if (brief) return s + "  -  done";
    const DrillInsert& ins = inserts_[static_cast<std::size_t>(i)];
    const int n = ins.fixups();
    s += "  -  done: " + std::to_string(n) + " fix-up step" + (n == 1 ? "" : "s");
    if (n) s += " (" + ins.cases() + ")";
    s += ", " + std::to_string(o.mistakes) + " mistake" + (o.mistakes == 1 ? "" : "s");
    if (o.shown) s += ", " + std::to_string(o.shown) + " shown";
    return s;
}

ObjId DrillSession::node_of_fd(int fd) const {
    for (const auto& [id, n] : drill_.tree().nodes)
        if (n.fd == fd) return id;
    return 0;
}

ObjId DrillSession::node_named(const std::string& name) const {
    for (const auto& [id, n] : drill_.tree().nodes)
        if (!n.name.empty() && n.name == name) return id;
    if (!name.empty() && name.find_first_not_of("0123456789") == std::string::npos && name.size() < 10)
        return node_of_fd(std::stoi(name));
    return 0;
}

}  // namespace epsim::viz
