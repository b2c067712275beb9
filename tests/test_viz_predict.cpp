// Tests for viz/core/predict: where predict mode stops the cursor, the score, not asking an
// answered question again, and the answer draft the Predict panel edits (graded by runner/quiz).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "runner/interp.h"
#include "runner/parser.h"
#include "runner/sim_backend.h"
#include "sim/kernel.h"
#include "sim/uapi.h"
#include "viz/core/predict.h"
#include "viz/core/session.h"

using namespace epsim;
using namespace epsim::viz;

namespace {

// Steps: [0,10) call, [10,20) question, [20,30) call, [30,40) question; 40 events.
scn::Trace sample() {
    scn::Trace t;
    auto step = [&](std::size_t a, std::size_t b, bool q) {
        scn::Step s;
        s.first_event = a;
        s.end_event = b;
        s.question = q;
        t.steps.push_back(s);
    };
    step(0, 10, false);
    step(10, 20, true);
    step(20, 30, false);
    step(30, 40, true);
    return t;
}

// A scenario run on the model and loaded into predict mode (enabled): the trace and the model
// run stay alive as long as the predict state that refers to them.
struct PredictRun {
    scn::SimBackend sim;
    scn::Trace tr;
    PredictMode pm;
    explicit PredictRun(const char* text) {
        scn::ParseResult r = scn::parse_scenario("q.scn", text);
        REQUIRE(r.script);
        tr = scn::run_script(*r.script, sim);
        pm.gate.enabled = true;
        pm.load(tr, sim.kernel().log.events.size());
    }
};

}  // namespace

TEST_CASE("viz predict: the gate stops before a question and pins the cursor while asking", "[gui][predict]") {
    PredictGate g;
    g.load(sample(), 40);
    REQUIRE(g.slots().size() == 2);
    // Off: nothing is stopped.
    REQUIRE(g.gate(0, 39) == 39);
    g.enabled = true;
    REQUIRE(g.gate(0, 5) == 5);
    REQUIRE(g.phase() == PredictGate::Phase::Idle);
    // Crossing event 10 (question 1's first event) stops at 9: the state before the call.
    REQUIRE(g.gate(5, 39) == 9);
    REQUIRE(g.pause_requested);
    REQUIRE(g.phase() == PredictGate::Phase::Asking);
    REQUIRE(g.current() == 0);
    g.pause_requested = false;
    REQUIRE(g.gate(9, 12) == 9);  // pinned
    REQUIRE(g.gate(9, 3) == 3);   // looking back is allowed
    REQUIRE(g.gate(3, 30) == 9);
    // Reveal: the cursor runs through the step, waits at its end (19) until closed.
    g.record(true);
    REQUIRE(g.phase() == PredictGate::Phase::Revealed);
    REQUIRE(g.run_until == 19);
    REQUIRE(g.gate(9, 15) == 15);
    REQUIRE(g.gate(15, 25) == 19);
    REQUIRE(g.gate(19, 39) == 19);
    g.close();
    REQUIRE(g.phase() == PredictGate::Phase::Idle);
    // On to question 2.
    REQUIRE(g.gate(19, 39) == 29);
    REQUIRE(g.current() == 1);
    g.record(false);
    REQUIRE(g.right() == 1);
    REQUIRE(g.asked() == 2);
    g.close();
    // Answered questions are not asked again, in either direction.
    REQUIRE(g.gate(39, 0) == 0);
    REQUIRE(g.gate(0, 39) == 39);
    REQUIRE(g.phase() == PredictGate::Phase::Idle);
    REQUIRE(g.asked() == 2);
    // Reset forgets them.
    g.reset();
    REQUIRE(g.asked() == 0);
    REQUIRE(g.gate(0, 39) == 9);
    REQUIRE(g.current() == 0);
    // A question can be opened by hand (--question K).
    g.reset();
    REQUIRE(g.open(1) == 29);
    REQUIRE(g.current() == 1);
    REQUIRE(g.phase() == PredictGate::Phase::Asking);
    // record() outside a question counts nothing.
    g.record(true);
    g.close();
    g.record(true);
    REQUIRE(g.asked() == 1);
}

TEST_CASE("viz predict: a question past the last event is asked at the end", "[gui][predict]") {
    scn::Trace t = sample();
    scn::Step s;
    s.first_event = s.end_event = 40;  // a step without events at the very end
    s.question = true;
    t.steps.push_back(s);
    PredictGate g;
    g.enabled = true;
    g.load(t, 40);
    REQUIRE(g.gate(0, 5) == 5);
    g.gate(5, 39);
    g.record(true);
    g.close();
    g.gate(19, 39);
    g.record(true);
    g.close();
    REQUIRE(g.gate(29, 39) == 39);
    REQUIRE(g.current() == 2);
    REQUIRE(g.phase() == PredictGate::Phase::Asking);
}

TEST_CASE("viz predict: the answer draft keeps the order fds are ticked in", "[gui][predict]") {
    AnswerDraft d;
    d.form = AnswerDraft::Form::Events;
    d.events_call = true;
    d.rows = {"a.r", "b.r", "c.r"};
    d.masks = {0, 0, 0};
    d.toggle(2, EPOLLIN);
    d.toggle(0, EPOLLIN);
    d.toggle(0, EPOLLHUP);  // a second bit does not move a.r
    REQUIRE(d.order == std::vector<int>{2, 0});
    REQUIRE(d.text() == "2 [c.r: EPOLLIN, a.r: EPOLLIN|EPOLLHUP]");
    d.move(1, -1);
    REQUIRE(d.text() == "2 [a.r: EPOLLIN|EPOLLHUP, c.r: EPOLLIN]");
    d.move(0, -1);  // nowhere to go
    REQUIRE(d.order == std::vector<int>{0, 2});
    d.toggle(2, EPOLLIN);  // c.r loses its last bit: out of the list
    REQUIRE(d.order == std::vector<int>{0});
    const quiz::Answer a = d.to_answer();
    REQUIRE(a.kind == quiz::AnswerKind::Events);
    REQUIRE(a.value == 1);
    REQUIRE(a.events.size() == 1);
    REQUIRE(a.events[0].who == "a.r");
    REQUIRE(a.events[0].mask == (EPOLLIN | EPOLLHUP));
    // set() reads a parsed answer back into the widgets.
    AnswerDraft e = d;
    e.set(*quiz::parse_answer("2 [c.r: EPOLLOUT, x.w: EPOLLIN]").answer);
    REQUIRE(e.text() == "2 [c.r: EPOLLOUT, x.w: EPOLLIN]");
    e.set(*quiz::parse_answer("-1 EEXIST").answer);
    REQUIRE(e.form == AnswerDraft::Form::Errno);
    REQUIRE(e.text() == "-1 EEXIST");
    // The errno combo offers the scenario language's names.
    const auto& errs = known_errnos();
    REQUIRE(std::find(errs.begin(), errs.end(), EEXIST) != errs.end());
    REQUIRE(std::find(errs.begin(), errs.end(), ELOOP) != errs.end());
    REQUIRE(std::is_sorted(errs.begin(), errs.end()));
}

TEST_CASE("viz predict: drafts for real questions, graded by the quiz core", "[gui][predict]") {
    const char* text = R"(ep = epoll_create1(0)
a = pipe(O_NONBLOCK)
b = pipe(O_NONBLOCK)
epoll_ctl(ep, ADD, a.r, EPOLLIN)
epoll_ctl(ep, ADD, b.r, EPOLLIN, data=7)
write(b.w, 1) == 1
epoll_wait(ep, 8, 0) == ?
epoll_ctl(ep, ADD, a.r, EPOLLIN) == ?
fdinfo(ep) == ?
poll([a.r: POLLIN, b.r: POLLIN], 0) == ?
)";
    PredictRun run(text);
    scn::SimBackend& sim = run.sim;
    PredictMode& pm = run.pm;
    REQUIRE(pm.questions().size() == 4);
    REQUIRE(pm.gate.slots().size() == 4);

    // 1: epoll_wait -> the event grid, every registered fd offered (not only the answer).
    pm.gate.open(0);
    pm.begin();
    REQUIRE(pm.draft.form == AnswerDraft::Form::Events);
    REQUIRE(pm.draft.rows == std::vector<std::string>{"a.r", "b.r"});
    pm.draft.toggle(1, EPOLLIN);
    pm.reveal(sim.kernel());
    REQUIRE(pm.verdict.correct);
    REQUIRE(pm.gate.right() == 1);
    pm.gate.close();

    // 2: epoll_ctl -> a value by default; 0 is wrong, the model says EEXIST.
    pm.gate.open(1);
    pm.begin();
    REQUIRE(pm.draft.form == AnswerDraft::Form::Value);
    pm.reveal(sim.kernel());
    REQUIRE_FALSE(pm.verdict.correct);
    REQUIRE(pm.model_answer == "-1 EEXIST");
    REQUIRE(pm.given == "0");
    pm.gate.close();

    // 3: fdinfo -> the interest grid.
    pm.gate.open(2);
    pm.begin();
    REQUIRE(pm.draft.form == AnswerDraft::Form::Interest);
    for (std::size_t row = 0; row < 2; ++row)
        for (std::uint32_t bit : {EPOLLIN, EPOLLERR, EPOLLHUP}) pm.draft.toggle(row, bit);
    pm.reveal(sim.kernel());
    INFO(pm.verdict.why);
    REQUIRE(pm.verdict.correct);
    pm.gate.close();

    // 4: poll -> rows are the poll's own fds.
    pm.gate.open(3);
    pm.begin();
    REQUIRE(pm.draft.form == AnswerDraft::Form::Events);
    REQUIRE(pm.draft.rows == std::vector<std::string>{"a.r", "b.r"});
    REQUIRE(pm.gate.asked() == 3);
}

TEST_CASE("viz predict: an rb_cases question is an ordered list of fix-up steps", "[gui][predict]") {
    // The rb order depends on the model's seeded file addresses, so the test takes the model's
    // answer from the reveal and checks a wrong list and the right one against it.
    const char* text = R"(ep = epoll_create1(0)
a = eventfd(0, EFD_NONBLOCK)
b = eventfd(0, EFD_NONBLOCK)
c = eventfd(0, EFD_NONBLOCK)
epoll_ctl(ep, ADD, a, EPOLLIN) == 0
epoll_ctl(ep, ADD, b, EPOLLIN) == 0
epoll_ctl(ep, ADD, c, EPOLLIN) == 0
model_only "the rb tree is kernel-internal" { rb_cases(ep) == ? }
)";
    PredictRun run(text);
    scn::SimBackend& sim = run.sim;
    PredictMode& pm = run.pm;
    REQUIRE(pm.questions().size() == 1);
    pm.gate.open(0);
    pm.begin();
    REQUIRE(pm.draft.form == AnswerDraft::Form::RbCases);
    REQUIRE(pm.draft.rows.empty());
    REQUIRE(pm.draft.text() == "[]");
    // The third insert into a two-node tree always needs a fix-up: an empty list is wrong.
    pm.reveal(sim.kernel());
    REQUIRE_FALSE(pm.verdict.correct);
    REQUIRE(pm.model_answer != "[]");
    // The model's own answer, entered through the draft, is right.
    const std::string model_answer = pm.model_answer;
    pm.gate.reset();
    pm.gate.open(0);
    pm.begin();
    quiz::ParsedAnswer parsed = quiz::parse_answer(model_answer);
    REQUIRE(parsed.answer);
    pm.draft.set(*parsed.answer);
    REQUIRE(pm.draft.text() == model_answer);
    pm.reveal(sim.kernel());
    REQUIRE(pm.verdict.correct);
}

TEST_CASE("viz predict: an rb_cases question asks from the tree before the change, and offers only its kind of steps",
          "[gui][predict]") {
    const char* text = R"(ep = epoll_create1(0)
a = eventfd(0, EFD_NONBLOCK)
b = eventfd(0, EFD_NONBLOCK)
c = eventfd(0, EFD_NONBLOCK)
epoll_ctl(ep, ADD, a, EPOLLIN) == 0
epoll_ctl(ep, ADD, b, EPOLLIN) == 0
epoll_ctl(ep, ADD, c, EPOLLIN) == 0
model_only "the rb tree is kernel-internal" { rb_cases(ep) == ? }
epoll_ctl(ep, DEL, a, NULL) == 0
model_only "the rb tree is kernel-internal" { rb_cases(ep) == ? }
)";
    PredictRun run(text);
    const scn::Trace& tr = run.tr;
    const auto& log = run.sim.kernel().log.events;
    PredictMode& pm = run.pm;
    REQUIRE(pm.questions().size() == 2);
    const std::size_t link = pm.questions()[0].model.rb_op_event;
    REQUIRE(link < log.size());
    REQUIRE(log[link].type == EventType::RbLink);
    // Playing forward stops right before c's rb.link: the tree still has two nodes, so the
    // fixed-up shape (the answer) is not on screen yet.
    REQUIRE(pm.gate.gate(0, log.size() - 1) == link - 1);
    REQUIRE(pm.gate.current() == 0);
    // The reveal runs through the link and the fix-up, to the end of the ADD call.
    pm.gate.record(true);
    const std::size_t rb_step_first = tr.steps[static_cast<std::size_t>(pm.gate.slots()[0].step)].first_event;
    REQUIRE(pm.gate.run_until == rb_step_first - 1);
    REQUIRE(log[pm.gate.run_until].type == EventType::SyscallExit);
    // The choices follow the call: insert steps for the ADD, erase steps for the DEL.
    const std::vector<std::string> ins = rb_case_choices(pm.questions()[0], log);
    REQUIRE(ins == std::vector<std::string>{"root_black", "parent_black", "case1.recolor", "case2.rotate_left",
                                            "case2.rotate_right", "case3.rotate_left", "case3.rotate_right"});
    const std::vector<std::string> del = rb_case_choices(pm.questions()[1], log);
    REQUIRE(log[pm.questions()[1].model.rb_op_event].type == EventType::RbEraseUnlink);
    REQUIRE(del.size() == 8);
    REQUIRE(std::find(del.begin(), del.end(), "recolor_black") != del.end());
    REQUIRE(std::find(del.begin(), del.end(), "root_black") == del.end());
    // The model's answer is always among the choices.
    for (const quiz::Question& q : pm.questions())
        for (const std::string& c : q.model.cases) {
            const auto choices = rb_case_choices(q, log);
            REQUIRE(std::find(choices.begin(), choices.end(), c) != choices.end());
        }
}

TEST_CASE("viz predict: the draft offers the instance's registered fds, never the model's result", "[gui][predict]") {
    // Two instances; c.r was registered on ep1 and removed again; b.r is ready but on ep2.
    const char* text = R"(ep1 = epoll_create1(0)
ep2 = epoll_create1(0)
a = pipe(O_NONBLOCK)
b = pipe(O_NONBLOCK)
c = pipe(O_NONBLOCK)
epoll_ctl(ep1, ADD, a.r, EPOLLIN) == 0
epoll_ctl(ep1, ADD, c.r, EPOLLIN) == 0
epoll_ctl(ep2, ADD, b.r, EPOLLIN) == 0
epoll_ctl(ep1, DEL, c.r) == 0
epoll_ctl(ep1, ADD, b.w, EPOLLOUT) == 0
write(b.w, 1) == 1
epoll_wait(ep2, 8, 0) == ?
epoll_wait(ep1, 8, 0) == ?
fdinfo(ep1) == ?
d = dup(ep1)
epoll_wait(d, 8, 0) == ?
thread t1
t1: epoll_wait(ep2, 8, -1)
join t1 == ?
poll([c.r: POLLIN, b.r: POLLIN], 0) == ?
ep1 = epoll_create1(0)
epoll_wait(ep1, 8, 0) == ?
)";
    PredictRun run(text);
    PredictMode& pm = run.pm;
    REQUIRE(pm.questions().size() == 7);
    auto rows_of = [&](int slot) {
        pm.gate.open(static_cast<std::size_t>(slot));
        pm.begin();
        return pm.draft.rows;
    };
    using V = std::vector<std::string>;
    // ep2 watches only b.r: ep1's fds are not candidates (before, every registration of the
    // run was offered, and every fd the model reported was added on top).
    REQUIRE(rows_of(0) == V{"b.r"});
    // ep1: a.r (not ready: still offered) and b.w; c.r was DELeted.
    REQUIRE(rows_of(1) == V{"a.r", "b.w"});
    REQUIRE(pm.questions()[1].model.events.size() == 1);  // only b.w is reported: the rows are not the answer
    REQUIRE(rows_of(2) == V{"a.r", "b.w"});
    REQUIRE(pm.draft.form == AnswerDraft::Form::Interest);
    REQUIRE(rows_of(3) == V{"a.r", "b.w"});  // d = dup(ep1): the same instance
    REQUIRE(rows_of(4) == V{"b.r"});         // join t1: the epoll_wait(ep2) it joins
    REQUIRE(pm.draft.form == AnswerDraft::Form::Events);
    REQUIRE(rows_of(5) == V{"c.r", "b.r"});  // poll: its own pollfd array, in order
    REQUIRE(rows_of(6).empty());             // ep1 bound again: a new instance, nothing registered
    REQUIRE(pm.draft.form == AnswerDraft::Form::Events);

    // A right answer can still be given from the rows, and after the reveal the grid has a
    // row for everything the model reported.
    pm.gate.reset();
    REQUIRE(rows_of(1) == V{"a.r", "b.w"});
    pm.draft.toggle(1, EPOLLOUT);
    pm.reveal(run.sim.kernel());
    INFO(pm.verdict.why);
    REQUIRE(pm.verdict.correct);
    REQUIRE(pm.draft.rows == V{"a.r", "b.w"});
}

TEST_CASE("viz predict: every reported fd in the scenario library is among the draft's rows", "[gui][predict]") {
    // Each epoll_wait/poll/join of every scenario, asked as a question: the rows built from what
    // precedes it must let the student name everything the model reports (and, by the test
    // above, nothing is taken from the report itself).
    std::size_t asked = 0;
    for (const auto& [topic, path] : list_scenarios(std::string(EPSIM_SOURCE_DIR) + "/scenarios")) {
        if (topic == "scale") continue;
        Session s;
        if (!s.load(path) || !s.kernel()) continue;
        scn::Trace tr = s.trace;
        for (scn::Step& st : tr.steps) st.question = st.has_events && !st.has_cases;
        for (const quiz::Question& q : quiz::collect_questions(tr)) {
            if (q.kind != quiz::AnswerKind::Events && q.kind != quiz::AnswerKind::Interest) continue;
            const std::vector<std::string> rows = candidate_fds(tr, q);
            for (const scn::TraceEvent& e : q.model.events) {
                const std::string who = quiz::canonical_who(q, e.who);
                INFO(path << " line " << q.line << ": " << q.call << " reports " << who);
                REQUIRE(std::find(rows.begin(), rows.end(), who) != rows.end());
            }
            ++asked;
        }
    }
    REQUIRE(asked > 150);
}
