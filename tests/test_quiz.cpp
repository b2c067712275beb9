// test_quiz.cpp - predict-then-reveal: answer parsing, grading (right and wrong answers, event
// order, errno names, interest lists), explanations, `check` grading of a student's copy, and
// the question bank (answer keys grade right on the model; every answer confirmed by Linux).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "runner/parser.h"
#include "runner/quiz.h"
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
