// test_quiz.cpp - predict-then-reveal: answer parsing, grading (right and wrong answers, event
// order, errno names, interest lists), explanations, `check` grading of a student's copy, and
// the question bank (answer keys grade right on the model; every answer confirmed by Linux).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "runner/parser.h"
#include "runner/quiz.h"
#include "sim/kernel.h"
#include "sim/uapi.h"

using namespace epsim;

namespace {

const char* const kLesson = R"(title "quiz test"
ep = epoll_create1(0)
a = pipe(O_NONBLOCK)
b = pipe(O_NONBLOCK)
epoll_ctl(ep, ADD, a.r, EPOLLIN|EPOLLET) == 0
epoll_ctl(ep, ADD, b.r, EPOLLIN, data=7) == 0
write(b.w, 1) == 1
write(a.w, 1) == 1
epoll_wait(ep, 8, 0) == ?
epoll_wait(ep, 8, 0) == ?
epoll_ctl(ep, ADD, a.r, EPOLLIN) == ?
fdinfo(ep) == ?
read(b.r, 10) == ?
)";

quiz::QuizRun run_text(const std::string& text, bool host = false) {
    scn::ParseResult p = scn::parse_scenario("lesson.scn", text);
    REQUIRE(p.script);
    quiz::QuizOptions opt;
    opt.host = host;
    quiz::QuizRun run = quiz::run_quiz(*p.script, opt);
    REQUIRE(run.model.error == "");
    return run;
}

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::filesystem::path> bank_files() {
    std::vector<std::filesystem::path> v;
    for (const auto& e : std::filesystem::directory_iterator(std::string(EPSIM_SOURCE_DIR) + "/scenarios/coursework"))
        if (e.path().extension() == ".scn") v.push_back(e.path());
    std::sort(v.begin(), v.end());
    return v;
}

}  // namespace

TEST_CASE("[cli][quiz] answers parse in the scenario's expectation syntax", "[cli][quiz]") {
    auto ev = quiz::parse_answer(" 2 [b.r: EPOLLIN, a.r: EPOLLIN|EPOLLOUT] ");
    REQUIRE(ev.answer);
    CHECK(ev.answer->kind == quiz::AnswerKind::Events);
    REQUIRE(ev.answer->events.size() == 2);
    CHECK(ev.answer->events[1].who == "a.r");
    CHECK(ev.answer->events[1].mask == (EPOLLIN | EPOLLOUT));
    CHECK_FALSE(ev.answer->unordered);
    CHECK(quiz::parse_answer("1 {7: EPOLLIN}").answer->unordered);
    auto er = quiz::parse_answer("-1 EEXIST");
    REQUIRE(er.answer);
    CHECK(er.answer->kind == quiz::AnswerKind::Errno);
    CHECK(er.answer->errno_name == "EEXIST");
    auto in = quiz::parse_answer("{a.r: EPOLLIN|EPOLLERR|EPOLLHUP data=3, b.r: 0x19}");
    REQUIRE(in.answer);
    CHECK(in.answer->kind == quiz::AnswerKind::Interest);
    REQUIRE(in.answer->interest.size() == 2);
    CHECK(in.answer->interest[0].data == std::optional<std::uint64_t>(3));
    CHECK(in.answer->interest[1].mask == 0x19u);
    CHECK(quiz::parse_answer("{}").answer->interest.empty());
    CHECK(quiz::parse_answer("-1 EEXISTS").error == "unknown errno name 'EEXISTS'");
    CHECK(quiz::parse_answer("2 [a.r: EPOLLIN]").error == "the count says 2 but the list has 1 event(s)");
    CHECK(quiz::parse_answer("1 [a.r: EPOLLINN]").error == "unknown flag 'EPOLLINN'");
    CHECK(quiz::parse_answer("-1").error.find("errno") != std::string::npos);
    CHECK(quiz::parse_answer("?").error == "no answer");
    // Numbers past 63 bits are not an answer (and never overflow on the way).
    CHECK_FALSE(quiz::parse_answer("99999999999999999999").answer);
    CHECK_FALSE(quiz::parse_answer("1 {a.r: EPOLLIN data=0xffffffffffffffff}").answer);
    CHECK(quiz::parse_answer("9223372036854775807").answer->value == INT64_MAX);
}

TEST_CASE("[cli][quiz] a data number names its latest registration", "[cli][quiz]") {
    quiz::Question q;
    q.aliases = {{"1", "a.r"}, {"1", "b.r"}};  // ADD a.r data=1, DEL a.r, ADD b.r data=1
    CHECK(quiz::canonical_who(q, "1") == "b.r");
    CHECK(quiz::canonical_who(q, "c.r") == "c.r");
}

TEST_CASE("[cli][quiz] grading right and wrong answers", "[cli][quiz]") {
    quiz::QuizRun run = run_text(kLesson);
    REQUIRE(run.questions.size() == 5);
    const auto& q = run.questions;
    CHECK(q[0].kind == quiz::AnswerKind::Events);
    CHECK(q[0].line == 9);
    CHECK(q[0].col == 25);
    CHECK(q[2].kind == quiz::AnswerKind::Errno);
    CHECK(q[3].kind == quiz::AnswerKind::Interest);
    CHECK(q[4].kind == quiz::AnswerKind::Value);
    // b was written first: FIFO order b, a
    CHECK(quiz::answer_text(q[0]) == "2 [b.r: EPOLLIN, a.r: EPOLLIN]");
    CHECK(quiz::grade_text(q[0], "2 [b.r: EPOLLIN, a.r: EPOLLIN]").correct);
    CHECK(quiz::grade_text(q[0], "2 [7: EPOLLIN, a.r: EPOLLIN]").correct);  // data names b.r
    CHECK(quiz::grade_text(q[0], "2 {a.r: EPOLLIN, b.r: EPOLLIN}").correct);  // a set
    quiz::Verdict order = quiz::grade_text(q[0], "2 [a.r: EPOLLIN, b.r: EPOLLIN]");
    CHECK_FALSE(order.correct);
    CHECK(order.why.find("order differs") != std::string::npos);
    quiz::Verdict mask = quiz::grade_text(q[0], "2 [b.r: EPOLLIN|EPOLLHUP, a.r: EPOLLIN]");
    CHECK_FALSE(mask.correct);
    CHECK(mask.why.rfind("b.r: you said", 0) == 0);
    CHECK_FALSE(quiz::grade_text(q[0], "2").correct);   // the events are part of the answer
    CHECK_FALSE(quiz::grade_text(q[0], "1 [b.r: EPOLLIN]").correct);
    // ET a.r is not reported again; LT b.r is
    CHECK(quiz::answer_text(q[1]) == "1 [b.r: EPOLLIN]");
    CHECK(quiz::grade_text(q[1], "1 [b.r: EPOLLIN]").correct);
    CHECK_FALSE(quiz::grade_text(q[1], "2 [b.r: EPOLLIN, a.r: EPOLLIN]").correct);
    // errno by name
    CHECK(quiz::grade_text(q[2], "-1 EEXIST").correct);
    quiz::Verdict wrong_errno = quiz::grade_text(q[2], "-1 EINVAL");
    CHECK_FALSE(wrong_errno.correct);
    CHECK(wrong_errno.why == "right that it fails, but not with EINVAL");
    CHECK_FALSE(quiz::grade_text(q[2], "0").correct);
    // fdinfo: a set, data compared only where given
    CHECK(quiz::answer_text(q[3]) == "{a.r: EPOLLIN|EPOLLERR|EPOLLHUP|EPOLLET, b.r: EPOLLIN|EPOLLERR|EPOLLHUP data=7}");
    CHECK(quiz::grade_text(q[3], "{b.r: EPOLLIN|EPOLLERR|EPOLLHUP, a.r: EPOLLIN|EPOLLERR|EPOLLHUP|EPOLLET}").correct);
    CHECK_FALSE(quiz::grade_text(q[3], "{b.r: EPOLLIN|EPOLLERR|EPOLLHUP data=8, a.r: EPOLLIN|EPOLLERR|EPOLLHUP|EPOLLET}").correct);
    CHECK_FALSE(quiz::grade_text(q[3], "{a.r: EPOLLIN|EPOLLET, b.r: EPOLLIN}").correct);  // ERR|HUP are always added
    CHECK(quiz::grade_text(q[4], "1").correct);
    CHECK_FALSE(quiz::grade_text(q[4], "-1 EAGAIN").correct);
}

TEST_CASE("[cli][quiz] explanations come from the event log", "[cli][quiz]") {
    quiz::QuizRun run = run_text(kLesson);
    auto joined = [&](int i) {
        std::string s;
        for (const std::string& l : quiz::explain(run.questions[static_cast<std::size_t>(i)], run.kernel())) s += l + "\n";
        return s;
    };
    const std::string first = joined(0), second = joined(1);
    CHECK(first.find("b.r reported EPOLLIN") != std::string::npos);
    CHECK(first.find("a.r reported EPOLLIN (its poll now: revents is a fresh snapshot); edge-triggered: not put back") != std::string::npos);
    CHECK(second.find("a.r was not reported: no wake-up queued it since its last report (edge-triggered") != std::string::npos);
    CHECK(joined(2).find("already in the interest list") != std::string::npos);
    CHECK(joined(3).find("EPOLLERR|EPOLLHUP") != std::string::npos);

    quiz::QuizRun os = run_text(R"(ep = epoll_create1(0)
p = pipe(O_NONBLOCK)
q = pipe(O_NONBLOCK)
epoll_ctl(ep, ADD, p.r, EPOLLIN|EPOLLONESHOT) == 0
epoll_ctl(ep, ADD, q.r, EPOLLIN) == 0
write(p.w, 1) == 1
write(q.w, 1) == 1
write(q.w, 1) == 1
epoll_wait(ep, 1, 0) == ?
epoll_wait(ep, 8, 0) == ?
)");
    std::string a, b;
    for (const std::string& l : quiz::explain(os.questions[0], os.kernel())) a += l + "\n";
    for (const std::string& l : quiz::explain(os.questions[1], os.kernel())) b += l + "\n";
    CHECK(a.find("p.r reported EPOLLIN (its poll now: revents is a fresh snapshot); EPOLLONESHOT disarmed it") != std::string::npos);
    CHECK(a.find("maxevents 1: 1 ready item(s) not reached") != std::string::npos);
    CHECK(b.find("p.r was not reported: a disarmed EPOLLONESHOT item") != std::string::npos);
}

TEST_CASE("[cli][quiz] check grades every answer of a student's copy", "[cli][quiz]") {
    quiz::QuizRun run = run_text(kLesson);
    std::string key = quiz::fill_answers(kLesson, run.questions);
    CHECK(key.find("epoll_wait(ep, 8, 0) == 2 [b.r: EPOLLIN, a.r: EPOLLIN]\n") != std::string::npos);
    quiz::CheckResult all = quiz::grade_answers(kLesson, key, "key.scn", run.questions);
    REQUIRE(all.error == "");
    CHECK(all.correct() == 5);

    // Wrong first answer (order), unanswered fourth, a comment added: the rest is still graded.
    std::string student = key;
    student.replace(student.find("2 [b.r: EPOLLIN, a.r: EPOLLIN]"), 30, "2 [a.r: EPOLLIN, b.r: EPOLLIN]  # my guess");
    student.replace(student.find("fdinfo(ep) == {"), std::string::npos, "fdinfo(ep) == ?\nread(b.r, 10) == 1\n");
    quiz::CheckResult some = quiz::grade_answers(kLesson, student, "s.scn", run.questions);
    REQUIRE(some.error == "");
    REQUIRE(some.entries.size() == 5);
    CHECK_FALSE(some.entries[0].verdict.correct);
    CHECK(some.entries[0].given == "2 [a.r: EPOLLIN, b.r: EPOLLIN]");
    CHECK(some.entries[1].verdict.correct);
    CHECK(some.entries[2].verdict.correct);
    CHECK_FALSE(some.entries[3].verdict.correct);
    CHECK(some.entries[3].verdict.why == "not answered");
    CHECK(some.entries[4].verdict.correct);
    CHECK(some.correct() == 3);

    // Changing the scenario itself is refused, with the line.
    std::string cheat = key;
    cheat.replace(cheat.find("write(a.w, 1) == 1"), 18, "write(a.w, 2) == 2");
    CHECK(quiz::grade_answers(kLesson, cheat, "c.scn", run.questions).error.rfind("c.scn:8: error: this line differs", 0) == 0);
}

TEST_CASE("[cli][quiz] the question bank: 30+ questions, tagged, keys grade right on the model", "[cli][quiz]") {
    int questions = 0;
    auto files = bank_files();
    REQUIRE(files.size() >= 8);
    for (const auto& f : files) {
        INFO(f.string());
        const std::string text = slurp(f);
        scn::ParseResult p = scn::parse_scenario(f.string(), text);
        REQUIRE(p.script);
        const auto& tags = p.script->tags;
        CHECK(std::count(tags.begin(), tags.end(), "coursework") == 1);
        const int levels = static_cast<int>(std::count(tags.begin(), tags.end(), "easy") +
                                            std::count(tags.begin(), tags.end(), "medium") +
                                            std::count(tags.begin(), tags.end(), "hard"));
        CHECK(levels == 1);
        quiz::QuizOptions opt;
        opt.host = false;
        quiz::QuizRun run = quiz::run_quiz(*p.script, opt);
        REQUIRE(run.model.error == "");
        REQUIRE_FALSE(run.questions.empty());
        questions += static_cast<int>(run.questions.size());
        std::vector<int> unfilled;
        const std::string key = quiz::fill_answers(text, run.questions, &unfilled);
        CHECK(unfilled.empty());
        quiz::CheckResult res = quiz::grade_answers(text, key, "key", run.questions);
        REQUIRE(res.error == "");
        CHECK(res.correct() == static_cast<int>(run.questions.size()));
        // The key is itself a scenario whose expectations all hold.
        scn::ParseResult kp = scn::parse_scenario("key", key);
        REQUIRE(kp.script);
        quiz::QuizRun kr = quiz::run_quiz(*kp.script, opt);
        CHECK(kr.model.failures() == 0);
        CHECK(kr.questions.empty());
    }
    CHECK(questions >= 30);
}

TEST_CASE("[host][quiz] every bank answer is confirmed by the real kernel", "[host][quiz]") {
    for (const auto& f : bank_files()) {
        INFO(f.string());
        scn::ParseResult p = scn::parse_scenario_file(f.string());
        REQUIRE(p.script);
        quiz::QuizRun run = quiz::run_quiz(*p.script);
        REQUIRE(run.host_ran);
        CHECK(run.host.error == "");
        for (const quiz::Question& q : run.questions) {
            INFO("Q" << q.number << " line " << q.line << ": " << q.host_note);
            CHECK(q.host == quiz::HostStatus::Confirmed);
        }
    }
}

// ---- rb_cases: which red-black fix-up steps an insert or an erase ran ----------------------

namespace {
// Six eventfds whose model keys sort a < c < b < d < e < f (creation order decides the file
// addresses). The answers below were worked out by hand from that order, then compared with
// the model: they are the textbook insert cases, and the erase of a black leaf.
const char* const kRbLesson = R"(title "rb test"
ep = epoll_create1(0)
c = eventfd(0, 0)
d = eventfd(0, 0)
b = eventfd(0, 0)
f = eventfd(0, 0)
a = eventfd(0, 0)
e = eventfd(0, 0)
epoll_ctl(ep, ADD, c, EPOLLIN) == 0
model_only "the rb tree is kernel-internal" { rb_cases(ep) == ? }
epoll_ctl(ep, ADD, a, EPOLLIN) == 0
model_only "the rb tree is kernel-internal" { rb_cases(ep) == ? }
epoll_ctl(ep, ADD, f, EPOLLIN) == 0
model_only "the rb tree is kernel-internal" { rb_cases(ep) == ? }
epoll_ctl(ep, ADD, b, EPOLLIN) == 0
model_only "the rb tree is kernel-internal" { rb_cases(ep) == ? }
epoll_ctl(ep, ADD, d, EPOLLIN) == 0
model_only "the rb tree is kernel-internal" { rb_cases(ep) == ? }
epoll_ctl(ep, ADD, e, EPOLLIN) == 0
model_only "the rb tree is kernel-internal" { rb_cases(ep) == ? }
epoll_ctl(ep, DEL, a) == 0
model_only "the rb tree is kernel-internal" { rb_cases(ep) == ? }
epoll_ctl(ep, ADD, a, EPOLLIN) == ?
)";

std::string explained(const quiz::QuizRun& run, std::size_t i) {
    std::string s;
    for (const std::string& l : quiz::explain(run.questions[i], run.kernel())) s += l + "\n";
    return s;
}
}  // namespace

TEST_CASE("[cli][quiz] rb_cases answers parse as step lists", "[cli][quiz]") {
    auto two = quiz::parse_answer(" [case1.recolor,  root_black] ");
    REQUIRE(two.answer);
    CHECK(two.answer->kind == quiz::AnswerKind::RbCases);
    CHECK(two.answer->cases == std::vector<std::string>{"case1.recolor", "root_black"});
    auto full = quiz::parse_answer("[rb.insert.case2.rotate_left, rb.insert.case3.rotate_right]");
    REQUIRE(full.answer);
    CHECK(full.answer->cases == std::vector<std::string>{"case2.rotate_left", "case3.rotate_right"});
    auto none = quiz::parse_answer("[]");
    REQUIRE(none.answer);
    CHECK(none.answer->kind == quiz::AnswerKind::RbCases);
    CHECK(none.answer->cases.empty());
    CHECK(quiz::parse_answer("[case9.recolor]").error.rfind("unknown fix-up step 'case9.recolor'", 0) == 0);
    CHECK(quiz::parse_answer("[root_black").error == "missing ']'");
}

TEST_CASE("[cli][quiz] rb_cases questions: the model's steps, graded right and wrong, explained", "[cli][quiz]") {
    quiz::QuizRun run = run_text(kRbLesson);
    REQUIRE(run.questions.size() == 8);
    const auto& q = run.questions;
    const std::vector<std::string> want = {
        "[root_black]",
        "[parent_black]",
        "[parent_black]",
        "[case1.recolor, root_black]",               // b under red f, uncle a red
        "[case2.rotate_left, case3.rotate_right]",   // d: right child of red b, a left child, uncle black
        "[case1.recolor, parent_black]",             // e under red f, uncle b red; d's parent c is black
        "[case1.rotate_left, case2.recolor, recolor_black]",  // erase black leaf a: sibling d red
    };
    for (std::size_t i = 0; i < want.size(); ++i) {
        INFO("Q" << i + 1);
        CHECK(q[i].kind == quiz::AnswerKind::RbCases);
        CHECK(q[i].host == quiz::HostStatus::ModelOnly);
        CHECK(q[i].host_note.find("kernel-internal") != std::string::npos);
        CHECK(quiz::answer_text(q[i]) == want[i]);
        CHECK(quiz::grade_text(q[i], want[i]).correct);
        // The answer is exactly the rb fix-up events the model logged for the ctl just before.
        const scn::Step& ctl = run.model.steps[q[i].step - 1];
        REQUIRE(ctl.call.rfind("epoll_ctl(", 0) == 0);
        std::string logged = "[";
        for (std::size_t j = ctl.first_event; j < ctl.end_event; ++j) {
            std::string n = event_type_name(run.kernel().log.events[j].type);
            for (const char* pre : {"rb.insert.", "rb.erase."})
                if (n.rfind(pre, 0) == 0 && n != "rb.erase.unlink") logged += (logged.size() > 1 ? ", " : "") + n.substr(std::string(pre).size());
        }
        CHECK(logged + "]" == want[i]);
    }
    CHECK(q[7].kind == quiz::AnswerKind::Value);  // an ordinary question after them

    // Wrong answers say where, without the answer.
    quiz::Verdict order = quiz::grade_text(q[4], "[case3.rotate_right, case2.rotate_left]");
    CHECK_FALSE(order.correct);
    CHECK(order.why == "step 1 differs: it was not case3.rotate_right");
    quiz::Verdict short_ = quiz::grade_text(q[3], "[case1.recolor]");
    CHECK_FALSE(short_.correct);
    CHECK(short_.why == "right so far, but the fix-up did not stop after case1.recolor");
    CHECK_FALSE(quiz::grade_text(q[1], "[parent_black, root_black]").correct);
    CHECK_FALSE(quiz::grade_text(q[6], "[]").correct);
    CHECK(quiz::grade_text(q[0], "0").why.find("fix-up steps") != std::string::npos);
    CHECK_FALSE(quiz::grade_text(q[7], "[root_black]").correct);

    // Why: the case and its reason, with the nodes named.
    CHECK(explained(run, 0).find("c was linked as the root") != std::string::npos);
    const std::string recolor = explained(run, 3);
    CHECK(recolor.find("b was linked red as the left child of f") != std::string::npos);
    CHECK(recolor.find("case1.recolor at c: the uncle was red") != std::string::npos);
    CHECK(recolor.find("root_black: c is the root") != std::string::npos);
    const std::string rotate = explained(run, 4);
    CHECK(rotate.find("case2.rotate_left at b: the uncle was black and d the inner child (the right child of a left child)") !=
          std::string::npos);
    CHECK(rotate.find("case3.rotate_right at f: the uncle was black") != std::string::npos);
    CHECK(rotate.find("the parent d takes its place") != std::string::npos);
    const std::string erase = explained(run, 6);
    CHECK(erase.find("a was unlinked") != std::string::npos);
    CHECK(erase.find("the sibling d was red") != std::string::npos);

    // The answer key fills the brackets, runs with every expectation holding, and checks 100%.
    std::vector<int> unfilled;
    const std::string key = quiz::fill_answers(kRbLesson, run.questions, &unfilled);
    CHECK(unfilled.empty());
    CHECK(key.find("{ rb_cases(ep) == [case2.rotate_left, case3.rotate_right] }") != std::string::npos);
    quiz::CheckResult all = quiz::grade_answers(kRbLesson, key, "key.scn", run.questions);
    REQUIRE(all.error == "");
    CHECK(all.correct() == 8);
    scn::ParseResult kp = scn::parse_scenario("key.scn", key);
    REQUIRE(kp.script);
    quiz::QuizOptions no_host;
    no_host.host = false;
    CHECK(quiz::run_quiz(*kp.script, no_host).model.failures() == 0);
    // A student who mirrored the rotations.
    std::string student = key;
    student.replace(student.find("[case2.rotate_left, case3.rotate_right]"), 39, "[case2.rotate_right, case3.rotate_left]");
    quiz::CheckResult some = quiz::grade_answers(kRbLesson, student, "s.scn", run.questions);
    REQUIRE(some.error == "");
    CHECK(some.correct() == 7);
    CHECK_FALSE(some.entries[4].verdict.correct);
    CHECK(some.entries[4].verdict.why == "step 1 differs: it was not case2.rotate_right");
    // The '}' after the '?' of a one-line block stays where it was.
    std::string unclosed = key;
    unclosed.replace(unclosed.find("[root_black] }"), 14, "[root_black]");
    CHECK(quiz::grade_answers(kRbLesson, unclosed, "u.scn", run.questions).error.rfind("u.scn:10: error: keep '}' after your answer", 0) == 0);
}

// ---- host statuses, from constructed host traces -------------------------------------------

TEST_CASE("[cli][quiz] host statuses: confirmed, diverged, unavailable, model only", "[cli][quiz]") {
    const std::string text = std::string(kLesson) + "model_only \"only the model\" { epoll_wait(ep, 8, 0) == ? }\n";
    quiz::QuizRun run = run_text(text);
    REQUIRE(run.questions.size() == 6);
    CHECK(run.questions[5].host == quiz::HostStatus::ModelOnly);
    CHECK(run.questions[5].host_note == "this step runs only on the model (inside model_only)");

    // A host that agrees everywhere: every question but the model-only one is confirmed.
    scn::Trace host = run.model;
    host.backend = "host";
    host.steps.pop_back();  // the model_only step is not on the host
    std::vector<quiz::Question> qs = run.questions;
    quiz::confirm_on_host(qs, run.model, host, "6.18.0-test");
    for (std::size_t i = 0; i < 5; ++i) {
        CHECK(qs[i].host == quiz::HostStatus::Confirmed);
        CHECK(qs[i].host_note == "Linux 6.18.0-test");
    }
    CHECK(qs[5].host == quiz::HostStatus::ModelOnly);

    // The host returned something else at Q2: a divergence, with what Linux said.
    scn::Trace diverged = host;
    scn::Step& q2 = diverged.steps[run.questions[1].step];
    q2.ret = 2;
    q2.events.push_back(scn::TraceEvent{"a.r", EPOLLIN});
    qs = run.questions;
    quiz::confirm_on_host(qs, run.model, diverged, "6.18.0-test");
    CHECK(qs[0].host == quiz::HostStatus::Confirmed);
    CHECK(qs[1].host == quiz::HostStatus::Diverged);
    CHECK(qs[1].host_note == "Linux 6.18.0-test says = 2 [b.r: EPOLLIN, a.r: EPOLLIN]");
    CHECK(qs[2].host == quiz::HostStatus::Confirmed);

    // The host stopped before Q3: Q3 on are unavailable, with the host's error.
    scn::Trace stopped = host;
    stopped.steps.resize(run.questions[2].step);
    stopped.error = "lesson.scn:11:1: error: something stopped the host";
    qs = run.questions;
    quiz::confirm_on_host(qs, run.model, stopped, "6.18.0-test");
    CHECK(qs[1].host == quiz::HostStatus::Confirmed);
    for (std::size_t i = 2; i < 5; ++i) {
        CHECK(qs[i].host == quiz::HostStatus::Unavailable);
        CHECK(qs[i].host_note == stopped.error);
    }
    CHECK(qs[5].host == quiz::HostStatus::ModelOnly);
    // Without an error, the note says the step did not run.
    stopped.error.clear();
    qs = run.questions;
    quiz::confirm_on_host(qs, run.model, stopped, "6.18.0-test");
    CHECK(qs[2].host_note == "the real kernel did not run this step");
    // Grading does not depend on the host: the model's answer is still the answer.
    CHECK(quiz::grade_text(qs[2], "-1 EEXIST").correct);
}

TEST_CASE("[host][quiz] a host stopped by its watchdog leaves later questions unavailable", "[host][quiz]") {
    scn::ParseResult p = scn::parse_scenario("wd.scn", R"(ep = epoll_create1(0)
epoll_wait(ep, 8, 0) == ?
thread t1
t1: epoll_wait(ep, 8, 3000)
wait_blocked t1
join t1 == ?
epoll_wait(ep, 8, 0) == ?
)");
    REQUIRE(p.script);
    quiz::QuizOptions opt;
    opt.watchdog_ms = 200;  // the join waits 3 s on Linux: the watchdog stops the host run
    quiz::QuizRun run = quiz::run_quiz(*p.script, opt);
    REQUIRE(run.host_ran);
    REQUIRE(run.questions.size() == 3);
    CHECK(run.host.error.find("did not finish within 200 ms") != std::string::npos);
    CHECK(run.questions[0].host == quiz::HostStatus::Confirmed);
    for (std::size_t i = 1; i < 3; ++i) {
        CHECK(run.questions[i].host == quiz::HostStatus::Unavailable);
        CHECK(run.questions[i].host_note == run.host.error);
        CHECK(quiz::answer_text(run.questions[i]) == "0");  // the model still answers
    }
}

TEST_CASE("[host][quiz] rb_cases questions are model only, the inserts around them confirmed", "[host][quiz]") {
    scn::ParseResult p = scn::parse_scenario("rb.scn", kRbLesson);
    REQUIRE(p.script);
    quiz::QuizRun run = quiz::run_quiz(*p.script);
    REQUIRE(run.host_ran);
    CHECK(run.host.error == "");
    REQUIRE(run.questions.size() == 8);
    for (std::size_t i = 0; i < 7; ++i) CHECK(run.questions[i].host == quiz::HostStatus::ModelOnly);
    CHECK(run.questions[7].host == quiz::HostStatus::Confirmed);  // re-ADD after DEL: 0
    CHECK(scn::render_text(run.host).find("rb_cases") == std::string::npos);  // the host never ran it
}
