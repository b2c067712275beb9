// exercise_rb.cpp - the rb-tree topics: rb-insert (which fix-up steps each insert runs) and
// rb-erase (which rebalancing steps each delete runs). See exercise.h.
//
// The interest tree orders epitems by (struct file address, fd) (ep_cmp_ffd). The model's
// file addresses come from a seeded generator (KernelConfig::seed), so with several files a
// stated key order would hold for one model seed only. Here every fd is a dup of one eventfd:
// one struct file, so the fd alone decides, and fds are handed out lowest-free-first, in
// creation order. The stated order a < b < c ... holds for every model seed, and on Linux.
//
// The answers are the model's: each generator runs its candidate scenarios once to choose one
// that shows the interesting steps (the draws stay deterministic per seed).
#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "runner/exercise_gen.h"
#include "runner/interp.h"
#include "runner/parser.h"
#include "runner/sim_backend.h"

namespace epsim::exercise::gen {
namespace {

const char* const kRbNames[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i"};
const char* const kRbQuestion = "model_only \"the rb tree is kernel-internal: no syscall shows it\" { rb_cases(ep) == ? }";

std::string joined(const std::vector<std::string>& v, const std::string& sep) {
    std::string s;
    for (const std::string& x : v) s += (s.empty() ? "" : sep) + x;
    return s;
}

// `a = eventfd(0, 0)`, `b = dup(a)`, ...: n fds on one file. Returns their names, which are
// also their key order.
std::vector<std::string> one_file_fds(Out& o, int n) {
    std::vector<std::string> names(kRbNames, kRbNames + n);
    o.line(names[0] + " = eventfd(0, 0)");
    for (int i = 1; i < n; ++i) o.line(names[i] + " = dup(" + names[0] + ")");
    return names;
}

// The say line that gives the key order.
std::string keys_sentence(const std::vector<std::string>& names) {
    return "The interest tree orders items by (struct file address, fd). " + names[1] + " to " + names.back() +
           " are dups of " + names[0] + ": one file, so the fd decides and the keys sort " + joined(names, " < ") + ".";
}

// One run of a candidate on the model: per rb_cases question, its answer and whether the erase
// before it moved a successor (the unlinked node had two children: rb.erase.unlink names one).
struct RbRun {
    std::vector<std::vector<std::string>> cases;
    std::vector<bool> successor;
    std::string tree;  // ep's tree at the end, as tree_text writes it
};

// "[d]{(b){[a], [c]}, [f]{(e), -}}": [x] black, (x) red, {left, right} children, - none.
std::string tree_text(const RbNode* n, const std::map<int, std::string>& fd_name) {
    if (!n) return "-";
    const auto it = fd_name.find(epi_of_rbn(n)->ffd.fd);
    const std::string name = it == fd_name.end() ? "?" : it->second;
    std::string s = n->color == RbColor::Black ? "[" + name + "]" : "(" + name + ")";
    if (n->left || n->right) s += "{" + tree_text(n->left, fd_name) + ", " + tree_text(n->right, fd_name) + "}";
    return s;
}

RbRun run_rb(const std::string& text) {
    RbRun out;
    scn::ParseResult p = scn::parse_scenario("rb-exercise", text);
    if (!p.script) return out;
    scn::SimBackend sim;
    const scn::Trace t = scn::run_script(*p.script, sim);
    const EventSpan log = sim.kernel().log.events;
    std::map<int, std::string> fd_name;  // from "b = dup(a)" = 5
    for (const scn::Step& st : t.steps) {
        const std::size_t eq = st.call.find(" = ");
        if (st.fd_result && !st.err && eq != std::string::npos) fd_name[static_cast<int>(st.ret)] = st.call.substr(0, eq);
        if (!st.has_cases) continue;
        out.cases.push_back(st.cases);
        const bool op = st.rb_op_event < log.size();
        out.successor.push_back(op && log[st.rb_op_event].type == EventType::RbEraseUnlink && log[st.rb_op_event].c != 0);
    }
    if (sim.kernel().eventpolls().size() == 1) out.tree = tree_text(sim.kernel().eventpolls()[0]->rbr.root, fd_name);
    return out;
}

// How much an erase exercise shows: every kind of step it runs (recolor_black, case1..case4),
// rotations, a successor taking a node's place; an erase of a red node ([]) teaches nothing
// about rebalancing.
int erase_score(const RbRun& run) {
    std::set<std::string> kinds;
    int score = 0;
    bool successor = false;
    for (std::size_t i = 0; i < run.cases.size(); ++i) {
        const std::vector<std::string>& c = run.cases[i];
        const bool rotates = std::any_of(c.begin(), c.end(), [](const std::string& s) { return s.find("rotate") != std::string::npos; });
        score += c.empty() ? -4 : rotates ? 3 : 1;
        for (const std::string& s : c) kinds.insert(s.substr(0, s.find('.')));
        successor = successor || run.successor[i];
    }
    return score + 4 * static_cast<int>(kinds.size()) + (successor ? 2 : 0);
}

}  // namespace

std::string rb_insert(std::uint64_t seed) {
    Rng r(seed);
    Out head;
    header(head, "rb-insert", seed, "Red-black insert: which fix-up cases run?", "rb-insert, rb-tree, model-only, medium");
    const int n = r.in(5, 7);
    const std::vector<std::string> order = one_file_fds(head, n);
    head.say(keys_sentence(order));
    head.say("Each insert links a new red node at a leaf, then fixes the colours up. Name the steps, in order: "
             "root_black, parent_black, case1.recolor, case2.rotate_left/right, case3.rotate_left/right.");
    // A sequence that shows every kind of step is worth more than a lucky ascending one: draw
    // insert orders until one has a recolour and a rotation (a few draws at most, in practice).
    std::string body;
    for (int attempt = 0; attempt < 32; ++attempt) {
        std::vector<std::string> inserts = order;
        r.shuffle(inserts);
        Out o;
        for (const std::string& name : inserts) {
            o.line("epoll_ctl(ep, ADD, " + name + ", EPOLLIN) == 0");
            o.line(kRbQuestion);
        }
        body = o.s;
        std::string all;
        for (const auto& cases : run_rb(head.s + body).cases) all += joined(cases, " ") + " ";
        if (all.find("case1.") != std::string::npos && all.find("case3.") != std::string::npos) break;
    }
    return head.s + body;
}

// rb-erase: n inserts (no questions: the resulting tree is stated), then a few DELs, each a
// question. The inserts and the victims are drawn kCandidates times; the candidate whose
// erases show the most (erase_score) wins, the first one on a tie.
std::string rb_erase(std::uint64_t seed) {
    constexpr int kCandidates = 24;
    Rng r(seed);
    Out head;
    header(head, "rb-erase", seed, "Red-black erase: which rebalancing cases run?", "rb-erase, rb-tree, model-only, hard");
    const int n = r.in(7, 9);
    const int dels = r.in(3, 4);
    const std::vector<std::string> order = one_file_fds(head, n);
    head.say(keys_sentence(order));
    std::string adds, erases;
    int best = 0;
    for (int attempt = 0; attempt < kCandidates; ++attempt) {
        std::vector<std::string> inserts = order;
        r.shuffle(inserts);
        std::vector<std::string> victims = order;
        r.shuffle(victims);
        victims.resize(static_cast<std::size_t>(dels));
        Out a, e;
        for (const std::string& name : inserts) a.line("epoll_ctl(ep, ADD, " + name + ", EPOLLIN) == 0");
        for (const std::string& name : victims) {
            e.line("epoll_ctl(ep, DEL, " + name + ") == 0");
            e.line(kRbQuestion);
        }
        const int score = erase_score(run_rb(head.s + a.s + e.s));
        if (attempt == 0 || score > best) {
            best = score;
            adds = a.s;
            erases = e.s;
        }
    }
    Out o;
    o.s = head.s + adds;
    o.say("After these inserts the tree is " + run_rb(o.s).tree + "   ([x] black, (x) red, {left, right} children, - none)");
    o.say("Each DEL unlinks its node: a node with two children gives its place and colour to its successor (the leftmost "
          "node of its right subtree), which is unlinked from its own spot; a node with one child is replaced by that child.");
    o.say("Then name the rebalancing steps, in order: recolor_black (a red node takes over the missing black: the child "
          "that moved up, or the parent after case2), case1.rotate_left/right (sibling red), case2.recolor (sibling and "
          "both its children black), case3.rotate_left/right (sibling black, near child red, far child black), "
          "case4.rotate_left/right (sibling black, far child red). Removing a red node needs none: [].");
    return o.s + erases;
}

}  // namespace epsim::exercise::gen
