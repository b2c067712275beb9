// quiz.h - predict-then-reveal: the questions of a scenario, the student's answers, grading,
// and explanations drawn from the model's event log. No terminal, no GUI: `epsim quiz`,
// `epsim check`, `epsim exercise` and epviz's predict mode are all built on this API.
//
// CONTRACT
//   A question is a call or join written `== ?` in a scenario (Expectation::Kind::Question).
//   1. run_quiz(script, opt) runs the scenario on the model (and, unless opt.host is false,
//      on the real kernel) and returns a QuizRun: the model trace, the model kernel (alive, for
//      explanations and replay), and one Question per executed question step, in trace order.
//      A `?` inside `repeat` gives one Question per iteration (same line/col, different key).
//   2. Each Question holds the model's result (the correct answer) and its host status:
//      Confirmed (the real kernel gave the same result at the same step), Diverged (it did
//      not: a model bug, report it), ModelOnly (the step runs inside model_only), NotRun
//      (host run skipped) or Unavailable (the host run stopped with an error; host_note says why).
//   3. parse_answer(text) reads an answer written in the scenario's own expectation syntax:
//        "3"  "-1 EEXIST"  "1 [p.r: EPOLLIN]"  "2 {a.r: EPOLLIN, 7: EPOLLIN|EPOLLOUT}"
//        "{p.r: EPOLLIN|EPOLLERR|EPOLLHUP data=1}"  "{}"   (fdinfo interest lists)
//        "[case1.recolor, root_black]"  "[]"   (rb_cases: fix-up step names, runner/rb_cases.h)
//      `who` is a name as the trace shows it (p.r, e[2], ep) or a data number; masks are
//      constant names joined by '|' or numbers. Errors are returned, never thrown.
//   4. grade(question, answer) compares an answer with the model's result:
//        - a failing call: only `-1 ERRNO` with the same errno is right;
//        - a value: the number must match (for an epoll_wait/poll, the count);
//        - events: `[...]` is compared in order, `{...}` as a set; a data number and the
//          name registered with that data are the same `who`; an answer without a list is
//          right only when no event was returned;
//        - fdinfo: compared as a set; data is compared only where the answer gives data=.
//        - rb_cases: the step names, in order ("rb.insert.case1.recolor" = "case1.recolor").
//      The Verdict says why a wrong answer is wrong ("order differs", "p.r: you said EPOLLIN,
//      it was EPOLLIN|EPOLLHUP").
//   5. answer_text(question) is the correct answer in expectation syntax; parse_answer of it
//      grades as correct (tested). fill_answers(source, questions) writes the answer key: the
//      scenario text with every `?` replaced by its answer (questions inside repeat must agree
//      across iterations, or the `?` is left and reported).
//   6. explain(question, model_kernel) gives a few short lines on why, from the model's event
//      log over the question's step ("p.r was not reported: ET, and no new wake-up since the
//      last harvest"; "c.r reported once: EPOLLONESHOT disarmed it"; "maxevents 1: 2 ready
//      items stay on rdllist for the next call"; for rb_cases, which case applied at which
//      node and why: uncle red -> recolour; uncle black, inner child -> rotate at the parent,
//      then the outer rotation at the grandparent). It may replay the model to the step.
//   7. grade_answers(original, student, questions) is `epsim check`: the student's copy must be
//      the original with only the `?`s replaced, each answer on the `?`'s line; every question
//      gets a verdict, a wrong or unparsable one never stops the others.
//   8. rb_cases questions are always ModelOnly: no syscall shows the rb tree, so the real
//      kernel has no answer to confirm (the parser keeps rb_cases inside model_only).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runner/ast.h"
#include "runner/trace.h"

namespace epsim {
class Kernel;
}

namespace epsim::scn {
class SimBackend;
}

namespace epsim::quiz {

// What the model's result looks like, so a UI knows which input to offer.
enum class AnswerKind {
    Value,     // a number (a byte count, 0, an fd)
    Errno,     // -1 and an errno
    Events,    // a count and the events in order (epoll_wait family, poll, join)
    Interest,  // fdinfo: the interest list, as a set
    RbCases,   // rb_cases(ep): fix-up step names, in order (model only)
};
const char* answer_kind_name(AnswerKind);

enum class HostStatus { NotRun, Confirmed, Diverged, ModelOnly, Unavailable };
const char* host_status_name(HostStatus);

// An epoll_ctl ADD seen in the trace: lets explanations name epitems ("p.r", not "epitem #3").
struct Registration {
    std::size_t first_event = 0, end_event = 0;  // the ADD step's model events
    std::string name;                            // the fd as written ("p.r", "e[2]")
    std::string data;                            // "7" when data= was given, else ""
};

struct Question {
    int number = 0;          // 1-based, in trace order
    std::size_t step = 0;    // index into QuizRun::model.steps
    int line = 0, col = 0;   // where the `?` is written (1-based)
    std::string key;         // the step's key (line + loop iterations), aligns with the host
    std::string thread;      // "" = main thread
    std::string call;        // symbolic call text: "epoll_wait(ep, 8, 0)", "join t1 (...)"
    std::string context;     // the last `say` before the question, if any
    AnswerKind kind = AnswerKind::Value;
    scn::Step model;         // the model's step: the correct answer
    HostStatus host = HostStatus::NotRun;
    std::string host_note;   // Confirmed: "Linux 6.18.0"; Diverged: the host's result; ...
    std::size_t call_first_event = 0;  // the model events of the call that gave the result
                                       // (for a join: the blocked call's step, not the join's)
    std::vector<Registration> registrations;  // every ADD before the question
    // data number (as text) -> registered name, for answers that name events by data
    std::vector<std::pair<std::string, std::string>> aliases;
};

struct AnswerEvent {
    std::string who;  // "p.r", "e[2]" or a data number "7"
    std::uint32_t mask = 0;
};
struct AnswerInterest {
    std::string fd;
    std::uint32_t mask = 0;
    std::optional<std::uint64_t> data;
};

struct Answer {
    AnswerKind kind = AnswerKind::Value;
    std::int64_t value = 0;            // Value, Events (the count)
    std::string errno_name;            // Errno
    bool has_events = false;           // Events: a list was given
    bool unordered = false;            // Events: {...} instead of [...]
    std::vector<AnswerEvent> events;   // Events
    std::vector<AnswerInterest> interest;  // Interest
    std::vector<std::string> cases;    // RbCases: canonical names ("case1.recolor")
};

struct ParsedAnswer {
    std::optional<Answer> answer;
    std::string error;  // why the text is not an answer ("unknown errno 'EEXISTS'")
};
ParsedAnswer parse_answer(const std::string& text);

struct Verdict {
    bool correct = false;
    std::string why;  // empty when correct
};
Verdict grade(const Question& q, const Answer& a);
Verdict grade_text(const Question& q, const std::string& text);  // parse + grade

std::string answer_text(const Question& q);  // the correct answer, expectation syntax
std::vector<std::string> explain(const Question& q, const Kernel& model);
// The registration an event's `who` stands for: a data number becomes the name it was last
// registered under (q.aliases); a name stays as it is.
std::string canonical_who(const Question& q, const std::string& who);

struct QuizOptions {
    bool host = true;       // also run the real kernel and confirm each answer
    int watchdog_ms = 5000;
};

struct QuizRun {
    scn::Trace model;
    std::unique_ptr<scn::SimBackend> sim;  // the model after the run (kernel(), replay)
    std::vector<Question> questions;
    bool host_ran = false;
    scn::Trace host;
    std::string kernel_release;  // uname -r, when the host ran
    QuizRun();
    ~QuizRun();
    QuizRun(QuizRun&&) noexcept;
    QuizRun& operator=(QuizRun&&) noexcept;
    const Kernel& kernel() const;
};

// Questions of an already-run model trace (host status NotRun).
std::vector<Question> collect_questions(const scn::Trace& model);
QuizRun run_quiz(const scn::Script& script, const QuizOptions& opt = {});
// Sets each question's host status from the host's trace of the same scenario (run_quiz does
// it after the host run): Confirmed, Diverged (host_note: what Linux said) or Unavailable
// (host_note: the host's error, or that it did not run the step); ModelOnly stays.
void confirm_on_host(std::vector<Question>& qs, const scn::Trace& model, const scn::Trace& host,
                     const std::string& release);

// The answer key: `source` with each question's `?` replaced by its answer. `unfilled` gets
// the questions that could not be filled (answers differing across loop iterations).
std::string fill_answers(const std::string& source, const std::vector<Question>& qs,
                         std::vector<int>* unfilled = nullptr);

// `epsim check`: one graded entry per question (same order as `qs`).
struct CheckEntry {
    const Question* q = nullptr;
    std::string given;  // the student's answer text ("?" if left unanswered)
    Verdict verdict;
};
struct CheckResult {
    std::vector<CheckEntry> entries;
    std::string error;  // the student's file does not match the original (file:line: ...)
    int correct() const;
};
CheckResult grade_answers(const std::string& original_source, const std::string& student_source,
                          const std::string& student_file, const std::vector<Question>& qs);

}  // namespace epsim::quiz
