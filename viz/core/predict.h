// predict.h - epviz's predict mode as pure logic: where playback stops for a question, which
// question is open, the session's score.
//
// A scenario step written `== ?` is a question (scn::Step::question). In predict mode the
// cursor may not pass a question the student has not answered: any forward move (a key, the
// player, a click on the timeline) that would cross the step's first event stops right before
// it -- the state the student reasons from -- and opens the question. After the answer is
// revealed, playback runs through the step's events and pauses at its end (run_until), so the
// reveal is animated; the cursor waits there until the panel is closed. An answered question is never asked again when the cursor goes back and
// forth over it; reset() forgets the answers and the score.
//
// Positions are event indices, as the Cursor's (viz/core/timeline.h). Pure: no ImGui.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "runner/quiz.h"
#include "runner/trace.h"
#include "sim/event_log.h"

namespace epsim::viz {

struct PredictSlot {
    int step = -1;                 // index into trace.steps
    std::size_t first = 0, end = 0;  // its events [first, end)
    bool answered = false;
    bool right = false;
};

class PredictGate {
public:
    enum class Phase { Idle, Asking, Revealed };

    bool enabled = false;

    // The questions of a run of `events` events (call again after a reload; answers are
    // forgotten).
    // An rb_cases question stops before the rb.link (or rb.erase.unlink) of the change it asks
    // about, not after it: the fixed-up tree would show the answer. Its reveal then plays the
    // link and the fix-up.
    void load(const scn::Trace& trace, std::size_t events);
    // Where a move from `from` to `to` may land. Backward moves always pass. A forward move that
    // would cross the first event of an unanswered question stops right before it and opens the
    // question; while a question is open the cursor cannot pass that point; after a reveal it
    // may run to run_until (the step's last event) and waits there until close(). Sets
    // pause_requested when it stopped a move.
    std::size_t gate(std::size_t from, std::size_t to);
    // Opens question `slot` by hand (e.g. --question K); returns the position to seek to.
    std::size_t open(std::size_t slot);

    // The open or just revealed question (-1 none).
    int current() const { return current_; }
    const PredictSlot* current_slot() const;
    Phase phase() const { return phase_; }
    // The student's answer was graded: counts it, marks the question answered, and lets the
    // cursor run through the step (run_until = its last event).
    void record(bool right);
    // Closes a revealed question (the panel's Continue).
    void close();
    void reset();

    int right() const { return right_; }
    int asked() const { return asked_; }
    const std::vector<PredictSlot>& slots() const { return slots_; }
    std::size_t stop_point(const PredictSlot& s) const;  // where the cursor waits: first - 1
    bool pause_requested = false;  // the App pauses the player and clears this
    std::size_t run_until = SIZE_MAX;

private:
    std::vector<PredictSlot> slots_;
    std::size_t events_ = 0;
    int current_ = -1;
    Phase phase_ = Phase::Idle;
    int right_ = 0, asked_ = 0;
};

// ---------------------------------------------------------------------------------------
// The student's answer as the Predict panel edits it, turned into a quiz::Answer for the
// grader (runner/quiz.h; epviz grades nothing itself).
//
// The form is chosen from the call, not from the model's result, so the widgets do not give
// the answer away: an epoll_wait may return events or fail, a write may return a count or fail.
struct AnswerDraft {
    enum class Form { Value, Errno, Events, Interest, RbCases };
    Form form = Form::Value;
    bool events_call = false;    // epoll_wait family, poll, join: Events or Errno
    bool interest_call = false;  // fdinfo: Interest only
    bool rb_call = false;        // rb_cases: RbCases only
    std::int64_t value = 0;      // Value
    int errno_value = 0;         // Errno (EEXIST, ...)
    std::vector<std::string> rows;     // fd names (Events, Interest)
    std::vector<std::uint32_t> masks;  // per row
    std::vector<int> order;            // Events: rows with a mask, in the order reported
    std::vector<std::string> cases;    // RbCases: fix-up step names, in order (rb_cases)

    // Sets or clears `bit` of row `r`; a row that gets its first bit joins the end of the
    // order, a row that loses its last bit leaves it.
    void toggle(std::size_t r, std::uint32_t bit);
    // Moves the order's entry at `pos` one place up (-1) or down (+1).
    void move(std::size_t pos, int dir);
    quiz::Answer to_answer() const;
    // Fills the widgets from a parsed answer (epviz --answer); names not in `rows` are added.
    void set(const quiz::Answer& a);
    std::string text() const;  // the answer in expectation syntax ("1 [p.r: EPOLLIN]")
};

// The fds a student can name for question `q` before its answer: the draft's rows. They come
// from the scenario's steps before the question, never from its result (a row only the result
// would add gives the answer away):
//   - epoll_wait / epoll_pwait / epoll_pwait2 (or the join of one) and fdinfo: the fds
//     registered on that instance, in ADD order: each successful epoll_ctl(EP, ADD, X) on it
//     adds a registration named X, a DEL removes one (X may name two, after a dup2). A close()
//     removes none: whether the registration outlived it is itself a question.
//   - poll (or its join): the fds of its pollfd array.
// The instance is the one the call's first argument names; `d = dup(ep)` (dup, dup2, fcntl
// F_DUPFD) names the same instance, and binding the name again (`ep = epoll_create1(0)`) makes
// it a new one. Other calls: none.
std::vector<std::string> candidate_fds(const scn::Trace& trace, const quiz::Question& q);
// A fresh draft for `q`, its rows the `candidates` (candidate_fds). The form follows the call.
AnswerDraft make_draft(const quiz::Question& q, const std::vector<std::string>& candidates);
// The step names the Predict panel offers for an rb_cases question, in the kernel's order: an
// insert's (root_black, parent_black, case1.recolor, case2.rotate_*, case3.rotate_*) when the
// tree change it asks about is an insert (rb.link in `log`), an erase's when it is an erase,
// both when unknown. Chosen by the call (ADD or DEL), so it gives nothing away.
std::vector<std::string> rb_case_choices(const quiz::Question& q, epsim::EventSpan log);
// The errnos the scenario language knows, in numeric order.
const std::vector<int>& known_errnos();
// The mask bits the grid offers: events (IN OUT ERR HUP RDHUP PRI, plus the poll/norm bits
// when `more`) or an interest list (adds ET, ONESHOT, EXCLUSIVE, WAKEUP).
std::vector<std::uint32_t> grid_bits(AnswerDraft::Form form, bool more);

// ---------------------------------------------------------------------------------------
// Predict mode for one opened scenario: the questions, the gate, the open question's draft,
// and after Reveal the grader's verdict, the model's answer and the explanation.
class PredictMode {
public:
    PredictGate gate;

    void load(const scn::Trace& trace, std::size_t events);
    const std::vector<quiz::Question>& questions() const { return questions_; }
    // The question of gate slot `slot` (nullptr if none).
    const quiz::Question* question_of(int slot) const;
    const quiz::Question* current() const { return question_of(gate.current()); }
    // Call when the gate opened a question (a fresh draft).
    void begin();
    AnswerDraft draft;
    int draft_for = -1;  // the slot the draft belongs to
    // Grades the draft with quiz::grade, explains it from `model`'s log, counts the score,
    // and lets the cursor run through the step. Then (the answer is out) the grid gains a row
    // for any fd the model reported that the student could not name, so it shows every part
    // of the model's answer.
    void reveal(const Kernel& model);

    // After reveal:
    quiz::Verdict verdict;
    std::string model_answer;               // quiz::answer_text
    std::string given;                      // the draft's text
    std::vector<std::string> explanation;   // quiz::explain

private:
    std::vector<quiz::Question> questions_;
    std::vector<std::vector<std::string>> candidates_;  // per question: candidate_fds
};

}  // namespace epsim::viz
