// Tests for viz/core/rb_drill: the rb-tree insert drill. Expected moves come from the model's
// event log; these tests pin them for known insert orders, check that the reasons for wrong
// moves name the case that applies, and that the textbook classification agrees with the
// model for every insert of the scenario library and of many drill seeds.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "runner/parser.h"
#include "runner/interp.h"
#include "runner/sim_backend.h"
#include "sim/kernel.h"
#include "viz/core/rb_drill.h"
#include "viz/core/session.h"

using namespace epsim;
using namespace epsim::viz;

namespace {

// A kernel with one epoll instance and `n` eventfds; adds them in the order of `ranks`
// (rank 0 = the smallest key, i.e. the lowest file address). Returns the fds by rank.
struct Fixture {
    Kernel k;
    ObjId t = k.init_task();
    int ep = -1;
    std::vector<int> by_rank;  // fd of the eventfd with each key rank
    std::vector<ObjId> epi_by_rank;

    Fixture(int n, const std::vector<int>& ranks) {
        ep = static_cast<int>(k.epoll_create1(t, 0).ret);
        std::vector<int> fds;
        for (int i = 0; i < n; ++i) fds.push_back(static_cast<int>(k.eventfd(t, 0, 0).ret));
        std::sort(fds.begin(), fds.end(), [&](int a, int b) { return k.fget(t, a)->addr < k.fget(t, b)->addr; });
        by_rank = fds;
        epi_by_rank.assign(static_cast<std::size_t>(n), 0);
        for (int r : ranks) {
            EpollEvent ev{EPOLLIN, 0};
            REQUIRE(k.epoll_ctl(t, ep, EPOLL_CTL_ADD, by_rank[static_cast<std::size_t>(r)], &ev).ret == 0);
        }
        REQUIRE(k.check_invariants() == "");
    }
    // The epitem id watching the fd of rank r (read from the inserts' rb.link events).
    ObjId epi(const std::vector<DrillInsert>& ins, int r) const {
        for (const DrillInsert& i : ins) {
            const DrillNode* n = i.steps.back().after.find(i.epi);
            if (n && n->fd == by_rank[static_cast<std::size_t>(r)]) return i.epi;
        }
        return 0;
    }
};

std::vector<DrillMove> moves(const DrillInsert& ins) {
    std::vector<DrillMove> m;
    for (const DrillStep& s : ins.steps) m.push_back(s.move);
    return m;
}

const DrillMove kDone{DrillAction::Done, 0};

}  // namespace

TEST_CASE("rb drill: ascending keys give root_black, parent_black, then case 3", "[gui][drill]") {
    Fixture f(3, {0, 1, 2});
    const auto ins = find_inserts(f.k);
    REQUIRE(ins.size() == 3);
    const ObjId e0 = f.epi(ins, 0);
    REQUIRE(e0 != 0);
    // First insert: the red root is painted black, then done.
    REQUIRE(moves(ins[0]) == std::vector<DrillMove>{{DrillAction::Recolour, e0}, kDone});
    REQUIRE(ins[0].steps[0].type == EventType::RbInsertRootBlack);
    REQUIRE(ins[0].steps[0].before.red(e0));
    REQUIRE_FALSE(ins[0].steps[0].after.red(e0));
    // Second: a red child under the black root: nothing to do.
    REQUIRE(moves(ins[1]) == std::vector<DrillMove>{kDone});
    REQUIRE(ins[1].steps[0].type == EventType::RbInsertParentBlack);
    REQUIRE(ins[1].fixups() == 0);
    // Third: right child of a right child, no uncle: case 3, rotate left at the grandparent.
    REQUIRE(moves(ins[2]) == std::vector<DrillMove>{{DrillAction::RotateLeft, e0}, kDone});
    REQUIRE(ins[2].steps[0].type == EventType::RbInsertCase3Left);
    const ObjId e1 = f.epi(ins, 1);
    REQUIRE(ins[2].steps[0].after.root == e1);  // the model's tree after the rotation
    REQUIRE(ins[2].steps[0].before.root == e0);
    REQUIRE(ins[2].cases() == "case3.rotate_left");
}

TEST_CASE("rb drill: an inner child takes case 2 at the parent, then case 3", "[gui][drill]") {
    Fixture f(3, {0, 2, 1});
    const auto ins = find_inserts(f.k);
    REQUIRE(ins.size() == 3);
    const ObjId e0 = f.epi(ins, 0), e2 = f.epi(ins, 2);
    REQUIRE(moves(ins[2]) ==
            std::vector<DrillMove>{{DrillAction::RotateRight, e2}, {DrillAction::RotateLeft, e0}, kDone});
    REQUIRE(ins[2].steps[0].type == EventType::RbInsertCase2Right);
    REQUIRE(ins[2].steps[1].type == EventType::RbInsertCase3Left);
    REQUIRE(ins[2].fixups() == 2);

    // Wrong moves and their reasons.
    SECTION("rotating at the grandparent first") {
        DrillVerdict v = judge(ins[2], 0, {DrillAction::RotateLeft, e0});
        REQUIRE_FALSE(v.ok);
        REQUIRE(v.expected == DrillMove{DrillAction::RotateRight, e2});
        REQUIRE(v.reason.find("Not yet at the grandparent") != std::string::npos);
        REQUIRE(v.reason.find("inner child") != std::string::npos);
        REQUIRE(v.reason.find("case 2") != std::string::npos);
        REQUIRE(v.expected_text.find("rotate right at fd") != std::string::npos);
        REQUIRE(v.expected_text.find("rb.insert.case2.rotate_right") != std::string::npos);
    }
    SECTION("recolouring under a NIL uncle") {
        DrillVerdict v = judge(ins[2], 0, {DrillAction::Recolour, e0});
        REQUIRE_FALSE(v.ok);
        REQUIRE(v.reason.find("uncle is NIL, which counts as black") != std::string::npos);
    }
    SECTION("saying done while red is under red") {
        DrillVerdict v = judge(ins[2], 0, kDone);
        REQUIRE_FALSE(v.ok);
        REQUIRE(v.reason.find("Not done") != std::string::npos);
    }
    SECTION("the wrong direction at the right node") {
        DrillVerdict v = judge(ins[2], 0, {DrillAction::RotateLeft, e2});
        REQUIRE_FALSE(v.ok);
        REQUIRE(v.reason.find("Wrong direction") != std::string::npos);
    }
    SECTION("a whole drill: mistakes count, right moves advance") {
        Drill d(ins[2]);
        REQUIRE(d.tree() == ins[2].steps[0].before);
        REQUIRE_FALSE(d.play({DrillAction::RotateLeft, e0}).ok);
        REQUIRE(d.step() == 0);
        REQUIRE(d.mistakes() == 1);
        REQUIRE(d.play({DrillAction::RotateRight, e2}).ok);
        REQUIRE(d.tree() == ins[2].steps[0].after);
        REQUIRE(d.play({DrillAction::RotateLeft, e0}).ok);
        REQUIRE_FALSE(d.finished());
        REQUIRE(d.play(kDone).ok);
        REQUIRE(d.finished());
        REQUIRE(d.mistakes() == 1);
        REQUIRE(d.shown() == 0);
        REQUIRE(d.tree().root == f.epi(ins, 1));  // the middle key ends at the top
    }
    SECTION("Show me does the step and is counted as shown, not as a mistake") {
        Drill d(ins[2]);
        const DrillVerdict v = d.show_step();
        REQUIRE(v.ok);
        REQUIRE(v.shown);
        REQUIRE(v.expected == ins[2].steps[0].move);
        REQUIRE(d.step() == 1);
        REQUIRE(d.tree() == ins[2].steps[0].after);
        REQUIRE(d.mistakes() == 0);
        REQUIRE(d.shown() == 1);
        REQUIRE(d.last()->shown);
        // A move played by the student afterwards is theirs again.
        REQUIRE(d.play({DrillAction::RotateLeft, e0}).ok);
        REQUIRE_FALSE(d.last()->shown);
        REQUIRE(d.shown() == 1);
        REQUIRE(d.mistakes() == 0);
    }
}

TEST_CASE("rb drill: a red uncle takes case 1 and the climb paints the root black", "[gui][drill]") {
    Fixture f(4, {1, 0, 2, 3});
    const auto ins = find_inserts(f.k);
    REQUIRE(ins.size() == 4);
    const ObjId e1 = f.epi(ins, 1), e3 = f.epi(ins, 3), e2 = f.epi(ins, 2);
    REQUIRE(moves(ins[3]) ==
            std::vector<DrillMove>{{DrillAction::Recolour, e1}, {DrillAction::Recolour, e1}, kDone});
    REQUIRE(ins[3].steps[0].type == EventType::RbInsertCase1);
    REQUIRE(ins[3].steps[1].type == EventType::RbInsertRootBlack);
    REQUIRE(ins[3].steps[0].node == e3);
    REQUIRE(ins[3].steps[1].node == e1);  // the check moved up to the grandparent
    DrillVerdict v = judge(ins[3], 0, {DrillAction::RotateLeft, e1});
    REQUIRE_FALSE(v.ok);
    REQUIRE(v.reason.find("No rotation") != std::string::npos);
    REQUIRE(v.reason.find("case 1") != std::string::npos);
    v = judge(ins[3], 0, {DrillAction::Recolour, e2});
    REQUIRE_FALSE(v.ok);
    REQUIRE(v.reason.find("Right move, wrong node") != std::string::npos);
    // After case 1 the only red-red is gone; the red root remains: "done" is still wrong.
    v = judge(ins[3], 1, kDone);
    REQUIRE_FALSE(v.ok);
    REQUIRE(v.reason.find("root") != std::string::npos);
    // Done when nothing is left.
    v = judge(ins[1], 0, {DrillAction::Recolour, e1});
    REQUIRE_FALSE(v.ok);
    REQUIRE(v.reason.find("Nothing is left to fix") != std::string::npos);
}

TEST_CASE("rb drill: the textbook case agrees with the model for every insert", "[gui][drill]") {
    std::vector<std::string> texts;
    for (std::uint64_t seed = 1; seed <= 25; ++seed) texts.push_back(drill_scenario(seed, 12));
    std::size_t checked = 0, cases = 0;
    auto check_run = [&](const Kernel& k) {
        for (const DrillInsert& ins : find_inserts(k)) {
            REQUIRE_FALSE(ins.steps.empty());
            REQUIRE(ins.steps.back().move.action == DrillAction::Done);
            for (std::size_t i = 0; i < ins.steps.size(); ++i) {
                const DrillStep& s = ins.steps[i];
                const DrillCase c = classify(s.before, s.node);
                INFO(ins.label << " step " << i);
                REQUIRE(c.move == s.move);
                // The words name the same move: "rotate left at fd 5", "recolour at the grandparent".
                if (s.move.action != DrillAction::Done)
                    REQUIRE(c.rule.find(std::string(drill_action_name(s.move.action)) + " at") != std::string::npos);
                REQUIRE(judge(ins, i, s.move).ok);
                if (i + 1 < ins.steps.size()) REQUIRE(ins.steps[i + 1].before == s.after);
                ++checked;
                cases += s.move.action != DrillAction::Done;
            }
        }
    };
    for (const std::string& text : texts) {
        scn::ParseResult r = scn::parse_scenario("drill.scn", text);
        REQUIRE(r.script);
        scn::SimBackend sim;
        scn::Trace tr = scn::run_script(*r.script, sim);
        REQUIRE(tr.error.empty());
        REQUIRE(tr.failures() == 0);
        check_run(sim.kernel());
    }
    for (const auto& [topic, path] : list_scenarios(std::string(EPSIM_SOURCE_DIR) + "/scenarios")) {
        if (topic == "scale") continue;  // a million inserts: the seeds above cover the cases
        Session s;
        if (!s.load(path) || !s.kernel()) continue;
        check_run(*s.kernel());
    }
    REQUIRE(checked > 300);
    REQUIRE(cases > 100);
}

TEST_CASE("rb drill: a seed always gives the same scenario and seeds differ", "[gui][drill]") {
    REQUIRE(drill_scenario(7) == drill_scenario(7));
    REQUIRE(drill_scenario(7) != drill_scenario(8));
    scn::ParseResult r = scn::parse_scenario("drill.scn", drill_scenario(7, 9));
    REQUIRE(r.script);
    scn::SimBackend sim;
    scn::Trace tr = scn::run_script(*r.script, sim);
    REQUIRE(tr.failures() == 0);
    REQUIRE(find_inserts(sim.kernel()).size() == 9);
}

TEST_CASE("rb drill: the picker hides an insert's cases and step count until the student finished it",
          "[gui][drill]") {
    // A seeded drill scenario as epviz opens it: named eventfds e[0]..e[8].
    const std::string path =
        (std::filesystem::temp_directory_path() / ("epsim-drill-picker-" + std::to_string(::getpid()) + ".scn")).string();
    {
        std::ofstream(path) << drill_scenario(3, 9);
    }
    Session s;
    REQUIRE(s.load(path));
    DrillSession ds;
    ds.load(*s.kernel(), &s.names);
    REQUIRE(ds.inserts().size() == 9);
    auto entry = [&](int i) {
        const DrillInsert& in = ds.inserts()[static_cast<std::size_t>(i)];
        const int step = s.timeline.step_at(in.link_event);
        REQUIRE(step >= 0);
        const scn::Step& st = s.trace.steps[static_cast<std::size_t>(step)];
        return std::make_pair(ds.entry_text(i, st.line, st.call), "#" + std::to_string(i + 1) + "  line " +
                                                                      std::to_string(st.line) + ": " + st.call);
    };
    // Before: the scenario line and nothing else -- no case, no fix-up count.
    for (int i = 0; i < 9; ++i) {
        const auto [text, plain] = entry(i);
        INFO(text);
        REQUIRE(text == plain);
        REQUIRE(text.find("epoll_ctl(ep, ADD, e[") != std::string::npos);
        for (const char* hint : {"case", "root_black", "parent_black", "fix-up", "step", "recolor"})
            REQUIRE(text.find(hint) == std::string::npos);
    }
    // The nodes carry the scenario's names, and so do the texts about them.
    const int i = ds.interesting();
    REQUIRE(i >= 0);
    const DrillInsert& ins = ds.inserts()[static_cast<std::size_t>(i)];
    REQUIRE(ins.fixups() == 2);  // seed 3's most instructive insert: case 2 then case 3
    const DrillTree& t0 = ins.steps[0].before;
    for (const auto& [id, n] : t0.nodes) {
        REQUIRE(n.name.rfind("e[", 0) == 0);
        REQUIRE(t0.name(id) == n.name);
    }
    REQUIRE(ins.label == t0.name(ins.epi) + " (fd " + std::to_string(t0.find(ins.epi)->fd) + ")");
    ds.start(i);
    // One wrong "done", then the model's moves.
    REQUIRE_FALSE(ds.play(DrillAction::Done).ok);
    REQUIRE(ds.drill().last()->reason.find("Not done: " + t0.name(ins.epi) + " is red") != std::string::npos);
    REQUIRE(ds.drill().last()->expected_text.find("at e[") != std::string::npos);
    REQUIRE(entry(i).first == entry(i).second);  // not finished: still nothing
    for (const DrillStep& st : ins.steps) {
        if (st.move.action == DrillAction::Done) {
            REQUIRE(ds.play(DrillAction::Done).ok);
            continue;
        }
        ds.selected = st.move.at;
        REQUIRE(ds.node_named(st.before.name(st.move.at)) == st.move.at);
        REQUIRE(ds.play(st.move.action).ok);
    }
    REQUIRE(ds.drill().finished());
    // After: the count, the cases and the student's tally.
    const std::string done = entry(i).first;
    REQUIRE(done == entry(i).second + "  -  done: 2 fix-up steps (" + ins.cases() + "), 1 mistake");
    REQUIRE(ds.entry_text(i, 1, "x") == "#" + std::to_string(i + 1) + "  line 1: x  -  done: 2 fix-up steps (" +
                                            ins.cases() + "), 1 mistake");
    REQUIRE(ds.entry_text(i, 1, "x", true) == "#" + std::to_string(i + 1) + "  line 1: x  -  done");
    REQUIRE(ins.cases().find("case2.rotate_") == 0);
    // Other inserts still say nothing; a clean second try does not rewrite the first result.
    for (int j = 0; j < 9; ++j)
        if (j != i) REQUIRE(entry(j).first == entry(j).second);
    ds.start(i);
    while (!ds.drill().finished()) ds.show();
    REQUIRE(entry(i).first == done);
    REQUIRE(ds.outcome(i).mistakes == 1);
    REQUIRE(ds.outcome(i).shown == 0);
    std::filesystem::remove(path);
}
