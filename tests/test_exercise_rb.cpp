// test_exercise_rb.cpp - the rb-tree exercises (rb-insert, rb-erase): what they state (the key
// order, the tree after the inserts) is the model's tree whatever the model's file-address seed,
// each answer is the logged fix-up of its epoll_ctl, and the solved forms run and grade.
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <set>

#include "exercise_helpers.h"
#include "runner/exercise.h"
#include "runner/interp.h"
#include "runner/parser.h"
#include "runner/quiz.h"
#include "runner/sim_backend.h"
#include "sim/kernel.h"

using namespace epsim;

namespace {

quiz::QuizRun quiz_run(const std::string& topic, std::uint64_t seed, bool host) {
    return test::exercise_quiz_run(topic, seed, host);
}

// `text` run on the model whose file addresses come from `model_seed` (KernelConfig::seed).
struct ModelRun {
    explicit ModelRun(KernelConfig cfg) : sim(cfg) {}
    scn::SimBackend sim;
    scn::Trace trace;
};
std::unique_ptr<ModelRun> run_model(const std::string& text, std::uint64_t model_seed) {
    KernelConfig cfg = scn::SimBackend::default_config();
    cfg.seed = model_seed;
    auto m = std::make_unique<ModelRun>(cfg);
    scn::ParseResult p = scn::parse_scenario("rb.scn", text);
    INFO(text);
    if (!p.script) FAIL(p.error->render());
    m->trace = scn::run_script(*p.script, m->sim);
    REQUIRE(m->trace.error == "");
    CHECK(m->trace.failures() == 0);
    return m;
}

// fd -> name, from the trace: "c = dup(a)" returned 6.
std::map<int, std::string> fd_names(const scn::Trace& t) {
    std::map<int, std::string> names;
    for (const scn::Step& st : t.steps)
        for (const char* call : {" = eventfd(", " = dup("})
            if (const std::size_t eq = st.call.find(call); eq != std::string::npos) names[static_cast<int>(st.ret)] = st.call.substr(0, eq);
    return names;
}

const Eventpoll& the_ep(ModelRun& m) {
    REQUIRE(m.sim.kernel().eventpolls().size() == 1);
    return *m.sim.kernel().eventpolls()[0];
}

// ep's items in key order, as "a < c < b".
std::string walked(ModelRun& m) {
    const auto names = fd_names(m.trace);
    std::string s;
    for (const Epitem* epi : m.sim.kernel().rb_items(the_ep(m))) s += (s.empty() ? "" : " < ") + names.at(epi->ffd.fd);
    return s;
}

// The text between `marker` and the next `end` ("... the keys sort " ... ".\"").
std::string stated(const std::string& text, const std::string& marker, const std::string& end) {
    const std::size_t at = text.find(marker);
    REQUIRE(at != std::string::npos);
    const std::size_t from = at + marker.size();
    return text.substr(from, text.find(end, from) - from);
}

// The scenario's lines before the first line that contains `marker`.
std::string lines_before(const std::string& text, const std::string& marker) {
    const std::size_t at = text.find(marker);
    REQUIRE(at != std::string::npos);
    return text.substr(0, text.rfind('\n', at) + 1);
}

// A tree as an rb-erase exercise states it: "[d]{(b){[a], [c]}, [f]{(e), -}}"
// ([x] black, (x) red, {left, right}, - none). Read here on its own, so the test does not
// reuse the generator's printer.
struct StatedNode {
    std::string name;
    bool black = false;
    std::unique_ptr<StatedNode> left, right;
};
std::unique_ptr<StatedNode> read_tree(const std::string& s, std::size_t& i) {
    if (s.compare(i, 1, "-") == 0) {
        ++i;
        return nullptr;
    }
    REQUIRE(i < s.size());
    REQUIRE((s[i] == '[' || s[i] == '('));
    auto n = std::make_unique<StatedNode>();
    n->black = s[i] == '[';
    const std::size_t close = s.find(n->black ? ']' : ')', i);
    REQUIRE(close != std::string::npos);
    n->name = s.substr(i + 1, close - i - 1);
    i = close + 1;
    if (i < s.size() && s[i] == '{') {
        ++i;
        n->left = read_tree(s, i);
        REQUIRE(s.compare(i, 2, ", ") == 0);
        i += 2;
        n->right = read_tree(s, i);
        REQUIRE(s.compare(i, 1, "}") == 0);
        ++i;
    }
    return n;
}

// Same names, colours and shape as the model's tree? (Returns where they first differ.)
std::string tree_diff(const StatedNode* st, const RbNode* rb, const std::map<int, std::string>& names) {
    if (!st || !rb) return !st && !rb ? "" : std::string("a child is missing at ") + (st ? st->name : "?");
    const std::string name = names.at(epi_of_rbn(rb)->ffd.fd);
    if (st->name != name) return "stated " + st->name + ", the model has " + name;
    if (st->black != (rb->color == RbColor::Black)) return name + ": the colour differs";
    const std::string l = tree_diff(st->left.get(), rb->left, names);
    return !l.empty() ? l : tree_diff(st->right.get(), rb->right, names);
}

void in_order(const StatedNode* n, std::string& out) {
    if (!n) return;
    in_order(n->left.get(), out);
    out += (out.empty() ? "" : " < ") + n->name;
    in_order(n->right.get(), out);
}

const char* const kKeysMarker = "the keys sort ";
const char* const kTreeMarker = "After these inserts the tree is ";

// rb-erase: the stated tree matches the model's after the inserts, run with `model_seed`;
// its in-order walk is the stated key order.
void check_stated_tree(const std::string& text, std::uint64_t model_seed) {
    const std::string tree = stated(text, kTreeMarker, "   (");
    std::size_t i = 0;
    const std::unique_ptr<StatedNode> root = read_tree(tree, i);
    CHECK(i == tree.size());
    std::string order;
    in_order(root.get(), order);
    CHECK(order == stated(text, kKeysMarker, ".\""));
    auto m = run_model(lines_before(text, kTreeMarker), model_seed);
    CHECK(tree_diff(root.get(), the_ep(*m).rbr.root, fd_names(m->trace)) == "");
}

std::vector<std::vector<std::string>> answers(const scn::Trace& t) {
    std::vector<std::vector<std::string>> a;
    for (const scn::Step& st : t.steps)
        if (st.has_cases) a.push_back(st.cases);
    return a;
}

// The rb.<prefix>* steps logged by the call at `step`, without the prefix and without the unlink.
std::vector<std::string> logged_steps(const quiz::QuizRun& r, const scn::Step& ctl, const std::string& prefix) {
    std::vector<std::string> out;
    for (std::size_t j = ctl.first_event; j < ctl.end_event; ++j) {
        const std::string n = event_type_name(r.kernel().log.events[j].type);
        if (n.rfind(prefix, 0) == 0 && n != "rb.erase.unlink") out.push_back(n.substr(prefix.size()));
    }
    return out;
}

}  // namespace

TEST_CASE("[model][exercise] rb-insert: the stated key order is the tree's, the answers its logged cases", "[model][exercise]") {
    std::set<std::string> kinds;
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
        INFO("seed " << seed);
        const std::string text = *exercise::generate("rb-insert", seed);
        quiz::QuizRun r = quiz_run("rb-insert", seed, false);
        // "... the keys sort a < b < c." is the in-order walk of the final tree.
        auto m = run_model(text, KernelConfig{}.seed);
        CHECK(walked(*m) == stated(text, kKeysMarker, ".\""));
        // One question per insert; its answer is the rb.insert.* events of that epoll_ctl.
        REQUIRE(r.questions.size() >= 5);
        for (const quiz::Question& q : r.questions) {
            CHECK(q.kind == quiz::AnswerKind::RbCases);
            const scn::Step& ctl = r.model.steps[q.step - 1];
            REQUIRE(ctl.call.rfind("epoll_ctl(ep, ADD, ", 0) == 0);
            const std::vector<std::string> logged = logged_steps(r, ctl, "rb.insert.");
            CHECK(q.model.cases == logged);
            for (const std::string& c : logged) kinds.insert(c.substr(0, c.find('.')));
        }
        CHECK(r.questions[0].model.cases == std::vector<std::string>{"root_black"});
    }
    // Across seeds the exercise shows every kind of step.
    CHECK(kinds == std::set<std::string>{"root_black", "parent_black", "case1", "case2", "case3"});
}

TEST_CASE("[model][exercise] rb-erase: the stated tree is the model's, the answers its logged erase steps", "[model][exercise]") {
    std::set<std::string> kinds;
    int successors = 0;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        INFO("seed " << seed);
        const std::string text = *exercise::generate("rb-erase", seed);
        check_stated_tree(text, KernelConfig{}.seed);
        quiz::QuizRun r = quiz_run("rb-erase", seed, false);
        // One question per DEL; its answer is the rb.erase.* events of that epoll_ctl.
        REQUIRE(r.questions.size() >= 3);
        int rotations = 0, none = 0;
        for (const quiz::Question& q : r.questions) {
            CHECK(q.kind == quiz::AnswerKind::RbCases);
            const scn::Step& ctl = r.model.steps[q.step - 1];
            REQUIRE(ctl.call.rfind("epoll_ctl(ep, DEL, ", 0) == 0);
            const std::vector<std::string> logged = logged_steps(r, ctl, "rb.erase.");
            CHECK(q.model.cases == logged);
            for (const std::string& c : logged) {
                kinds.insert(c.substr(0, c.find('.')));
                rotations += c.find("rotate") != std::string::npos ? 1 : 0;
            }
            none += logged.empty() ? 1 : 0;
            const Event& unlink = r.kernel().log.events.at(q.model.rb_op_event);
            REQUIRE(unlink.type == EventType::RbEraseUnlink);
            successors += unlink.c != 0 ? 1 : 0;  // a node with two children: its successor moved
        }
        // The deletions are chosen to rebalance: a rotation in every exercise, and at most one
        // erase of a red node (nothing to fix).
        CHECK(rotations >= 1);
        CHECK(none <= 1);
    }
    // Across seeds every kind of erase step shows up, and successors take nodes' places.
    CHECK(kinds == std::set<std::string>{"recolor_black", "case1", "case2", "case3", "case4"});
    CHECK(successors >= 5);
}

// The model's file addresses depend on KernelConfig::seed. The exercises put every fd on one
// file, so what they state (and every answer) is the same whatever that seed is.
TEST_CASE("[model][exercise] rb exercises: the stated keys and tree hold for every model seed", "[model][exercise]") {
    const std::uint64_t model_seeds[] = {2, 3, 1000, (std::uint64_t{1} << 32) + 7};
    for (const char* topic : {"rb-insert", "rb-erase"}) {
        for (std::uint64_t seed = 1; seed <= 8; ++seed) {
            const std::string text = *exercise::generate(topic, seed);
            auto base = run_model(text, KernelConfig{}.seed);
            for (std::uint64_t model_seed : model_seeds) {
                INFO(topic << " seed " << seed << " model seed " << model_seed);
                auto m = run_model(text, model_seed);
                CHECK(answers(m->trace) == answers(base->trace));
                if (std::string(topic) == "rb-insert")
                    CHECK(walked(*m) == stated(text, kKeysMarker, ".\""));
                else
                    check_stated_tree(text, model_seed);
            }
        }
    }
}

TEST_CASE("[model][exercise] rb-erase: seeds 1-20 solve, and the answer key runs and grades right", "[model][exercise]") {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        INFO("seed " << seed);
        const std::string text = *exercise::generate("rb-erase", seed);
        quiz::QuizRun r = quiz_run("rb-erase", seed, false);
        CHECK(r.model.failures() == 0);
        std::vector<int> unfilled;
        const std::string key = quiz::fill_answers(text, r.questions, &unfilled);
        CHECK(unfilled.empty());
        // `epsim run KEY`: every answer is an expectation that holds, no `?` is left.
        auto m = run_model(key, KernelConfig{}.seed);
        CHECK(m->trace.questions() == 0);
        int checked = 0;
        for (const scn::Step& st : m->trace.steps) checked += st.has_cases && st.checked && st.ok ? 1 : 0;
        CHECK(checked == static_cast<int>(r.questions.size()));
        // `epsim check KEY --against FILE`: all right.
        quiz::CheckResult res = quiz::grade_answers(text, key, "key", r.questions);
        REQUIRE(res.error == "");
        CHECK(res.correct() == static_cast<int>(r.questions.size()));
    }
}

TEST_CASE("[host][exercise] rb exercises run on the real kernel: their questions are model only", "[host][exercise]") {
    for (const char* topic : {"rb-insert", "rb-erase"}) {
        for (std::uint64_t seed = 1; seed <= 3; ++seed) {
            INFO(topic << " seed " << seed);
            quiz::QuizRun r = quiz_run(topic, seed, true);
            CHECK(r.host.error == "");
            CHECK(r.host.failures() == 0);  // every dup, epoll_ctl ADD and DEL == 0 holds on Linux
            for (const quiz::Question& q : r.questions) CHECK(q.host == quiz::HostStatus::ModelOnly);
        }
    }
}
