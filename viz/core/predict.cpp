// predict.cpp - predict mode's logic: the gate, the answer draft, grading through runner/quiz.h.
#include "viz/core/predict.h"

#include <algorithm>
#include <cstring>
#include <map>

#include "runner/rb_cases.h"
#include "sim/kernel.h"
#include "sim/uapi.h"

namespace epsim::viz {

// ---------------------------------------------------------------------------------------
// [SECTION] the gate

void PredictGate::load(const scn::Trace& trace, std::size_t events) {
    slots_.clear();
    events_ = events;
    current_ = -1;
    phase_ = Phase::Idle;
    right_ = asked_ = 0;
    run_until = SIZE_MAX;
    pause_requested = false;
    for (std::size_t i = 0; i < trace.steps.size(); ++i) {
        const scn::Step& s = trace.steps[i];
        if (!s.question) continue;
        PredictSlot slot;
        slot.step = static_cast<int>(i);
        // A step without events (first == end) is reached where the next events begin.
        slot.first = s.first_event;
        slot.end = s.end_event;
        // rb_cases(ep): ask from the tree before the change, reveal through the fix-up up to
        // the question (the rest of the changing call).
        if (s.has_cases && s.rb_op_event != SIZE_MAX && s.rb_op_event < s.first_event) {
            slot.first = s.rb_op_event;
            slot.end = s.first_event;
        }
        slots_.push_back(slot);
    }
}

std::size_t PredictGate::stop_point(const PredictSlot& s) const {
    if (events_ == 0) return 0;
    return std::min(s.first, events_) == 0 ? 0 : std::min(s.first, events_) - 1;
}

const PredictSlot* PredictGate::current_slot() const {
    return current_ >= 0 && static_cast<std::size_t>(current_) < slots_.size() ? &slots_[static_cast<std::size_t>(current_)]
                                                                               : nullptr;
}

std::size_t PredictGate::gate(std::size_t from, std::size_t to) {
    if (!enabled || to <= from) return to;
    // An open question pins the cursor at its stop point.
    if (phase_ == Phase::Asking) {
        const std::size_t stop = stop_point(slots_[static_cast<std::size_t>(current_)]);
        if (to > stop) {
            pause_requested = true;
            return from > stop ? from : stop;  // (from > stop only if a seek jumped past it)
        }
        return to;
    }
    // A revealed question: the cursor runs through the step and waits at its end until the
    // panel is closed (Continue), so the next question cannot hide the reveal.
    if (phase_ == Phase::Revealed) {
        const std::size_t limit = run_until != SIZE_MAX ? run_until : stop_point(slots_[static_cast<std::size_t>(current_)]);
        if (to > limit) {
            pause_requested = true;
            return from > limit ? from : limit;
        }
        return to;
    }
    // The first unanswered question this move would cross. A question whose step starts past
    // the last event is "crossed" by reaching the end.
    const std::size_t last = events_ ? events_ - 1 : 0;
    for (std::size_t i = 0; i < slots_.size(); ++i) {
        const PredictSlot& s = slots_[i];
        if (s.answered) continue;
        const bool crosses = s.first < events_ ? (from < s.first && to >= s.first) : (from < last && to >= last);
        if (!crosses) continue;
        current_ = static_cast<int>(i);
        phase_ = Phase::Asking;
        run_until = SIZE_MAX;
        pause_requested = true;
        return stop_point(s);
    }
    return to;
}

std::size_t PredictGate::open(std::size_t slot) {
    if (slot >= slots_.size()) return 0;
    current_ = static_cast<int>(slot);
    phase_ = Phase::Asking;
    run_until = SIZE_MAX;
    return stop_point(slots_[slot]);
}

void PredictGate::record(bool right) {
    if (phase_ != Phase::Asking || current_ < 0) return;
    PredictSlot& s = slots_[static_cast<std::size_t>(current_)];
    s.answered = true;
    s.right = right;
    ++asked_;
    right_ += right ? 1 : 0;
    phase_ = Phase::Revealed;
    run_until = s.end > s.first ? s.end - 1 : SIZE_MAX;
}

void PredictGate::close() {
    if (phase_ == Phase::Revealed) {
        phase_ = Phase::Idle;
        current_ = -1;
        run_until = SIZE_MAX;
    }
}

void PredictGate::reset() {
    for (PredictSlot& s : slots_) s.answered = s.right = false;
    right_ = asked_ = 0;
    current_ = -1;
    phase_ = Phase::Idle;
    run_until = SIZE_MAX;
}

// ---------------------------------------------------------------------------------------
// [SECTION] the answer draft

void AnswerDraft::toggle(std::size_t r, std::uint32_t bit) {
    if (r >= rows.size()) return;
    const bool had = masks[r] != 0;
    masks[r] ^= bit;
    const int ri = static_cast<int>(r);
    if (!had && masks[r] != 0) order.push_back(ri);
    if (had && masks[r] == 0) order.erase(std::remove(order.begin(), order.end(), ri), order.end());
}

void AnswerDraft::move(std::size_t pos, int dir) {
    if (pos >= order.size()) return;
    const long to = static_cast<long>(pos) + dir;
    if (to < 0 || to >= static_cast<long>(order.size())) return;
    std::swap(order[pos], order[static_cast<std::size_t>(to)]);
}

quiz::Answer AnswerDraft::to_answer() const {
    quiz::Answer a;
    switch (form) {
        case Form::Value:
            a.kind = quiz::AnswerKind::Value;
            a.value = value;
            break;
        case Form::Errno:
            a.kind = quiz::AnswerKind::Errno;
            a.value = -1;
            a.errno_name = errno_name(errno_value);
            break;
        case Form::Events:
            a.kind = quiz::AnswerKind::Events;
            a.value = static_cast<std::int64_t>(order.size());
            a.has_events = !order.empty();
            for (int r : order) a.events.push_back({rows[static_cast<std::size_t>(r)], masks[static_cast<std::size_t>(r)]});
            break;
        case Form::Interest:
            a.kind = quiz::AnswerKind::Interest;
            for (std::size_t r = 0; r < rows.size(); ++r)
                if (masks[r]) a.interest.push_back({rows[r], masks[r], std::nullopt});
            break;
        case Form::RbCases:
            a.kind = quiz::AnswerKind::RbCases;
            a.cases = cases;
            break;
    }
    return a;
}

void AnswerDraft::set(const quiz::Answer& a) {
    std::fill(masks.begin(), masks.end(), 0u);
    order.clear();
    auto row_of = [&](const std::string& name) {
        auto it = std::find(rows.begin(), rows.end(), name);
        if (it != rows.end()) return static_cast<std::size_t>(it - rows.begin());
        rows.push_back(name);
        masks.push_back(0);
        return rows.size() - 1;
    };
    switch (a.kind) {
        case quiz::AnswerKind::Value:  // "0" on an epoll_wait: no events
            form = events_call ? Form::Events : Form::Value;
            value = a.value;
            break;
        case quiz::AnswerKind::Errno:
            form = Form::Errno;
            errno_value = errno_from_name(a.errno_name.c_str());
            break;
        case quiz::AnswerKind::Events:
            if (!events_call) {  // "3" parses as events with no list: a plain value here
                form = Form::Value;
                value = a.value;
                break;
            }
            form = Form::Events;
            for (const quiz::AnswerEvent& e : a.events) {
                const std::size_t r = row_of(e.who);
                if (masks[r] == 0 && e.mask) order.push_back(static_cast<int>(r));
                masks[r] |= e.mask;
            }
            break;
        case quiz::AnswerKind::Interest:
            form = Form::Interest;
            for (const quiz::AnswerInterest& i : a.interest) masks[row_of(i.fd)] |= i.mask;
            break;
        case quiz::AnswerKind::RbCases:
            form = Form::RbCases;
            cases = a.cases;
            break;
    }
}

std::string AnswerDraft::text() const {
    switch (form) {
        case Form::Value: return std::to_string(value);
        case Form::Errno: return std::string("-1 ") + errno_name(errno_value);
        case Form::Events: {
            std::string s = std::to_string(order.size());
            if (order.empty()) return s;
            s += " [";
            for (std::size_t i = 0; i < order.size(); ++i) {
                const auto r = static_cast<std::size_t>(order[i]);
                s += (i ? ", " : "") + rows[r] + ": " + epoll_mask_str(masks[r]);
            }
            return s + "]";
        }
        case Form::Interest: {
            std::string s = "{";
            bool first = true;
            for (std::size_t r = 0; r < rows.size(); ++r) {
                if (!masks[r]) continue;
                s += (first ? "" : ", ") + rows[r] + ": " + epoll_mask_str(masks[r]);
                first = false;
            }
            return s + "}";
        }
        case Form::RbCases: {
            std::string s = "[";
            for (std::size_t i = 0; i < cases.size(); ++i) s += (i ? ", " : "") + cases[i];
            return s + "]";
        }
    }
    return "";
}

static bool starts_with(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

namespace {

// A step's symbolic call text, split: "d = dup(ep)" -> target "d", fn "dup", args {"ep"}.
// "join t1 (epoll_wait(ep, 8, -1))" is read as the call it joins.
struct CallText {
    std::string target, fn;
    std::vector<std::string> args;  // top-level, trimmed
};

std::string trim(const std::string& s) {
    const std::size_t a = s.find_first_not_of(' '), b = s.find_last_not_of(' ');
    return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

CallText parse_call(std::string t) {
    CallText c;
    if (starts_with(t, "join ")) {
        const std::size_t open = t.find('('), close = t.rfind(')');
        if (open == std::string::npos || close == std::string::npos || close <= open) return c;
        t = t.substr(open + 1, close - open - 1);
    }
    const std::size_t open = t.find('('), close = t.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close <= open) return c;
    std::string head = t.substr(0, open);
    // A thread's call may be written "t1: x = f(...)": the thread is not part of the call.
    if (const std::size_t colon = head.find(": "); colon != std::string::npos) head = head.substr(colon + 2);
    if (const std::size_t eq = head.find(" = "); eq != std::string::npos) {
        c.target = trim(head.substr(0, eq));
        head = head.substr(eq + 3);
    }
    c.fn = trim(head);
    std::string cur;
    int depth = 0;
    for (std::size_t i = open + 1; i < close; ++i) {
        const char ch = t[i];
        if (ch == '(' || ch == '[' || ch == '{') ++depth;
        if (ch == ')' || ch == ']' || ch == '}') --depth;
        if (ch == ',' && depth == 0) {
            c.args.push_back(trim(cur));
            cur.clear();
        } else {
            cur += ch;
        }
    }
    if (!trim(cur).empty() || !c.args.empty()) c.args.push_back(trim(cur));
    return c;
}

bool is_wait_fn(const std::string& fn) { return fn == "epoll_wait" || fn == "epoll_pwait" || fn == "epoll_pwait2"; }

}  // namespace

// The fd names of a poll call's list: "poll([a.r: POLLIN, b.w: POLLOUT], 0)" -> a.r, b.w.
static std::vector<std::string> poll_names(const std::string& call) {
    std::vector<std::string> out;
    const std::size_t open = call.find('['), close = call.find(']');
    if (open == std::string::npos || close == std::string::npos || close < open) return out;
    std::size_t i = open + 1;
    while (i < close) {
        std::size_t colon = call.find(':', i);
        if (colon == std::string::npos || colon > close) break;
        std::string name = call.substr(i, colon - i);
        name.erase(0, name.find_first_not_of(' '));
        out.push_back(name);
        const std::size_t comma = call.find(',', colon);
        if (comma == std::string::npos || comma > close) break;
        i = comma + 1;
    }
    return out;
}

std::vector<std::string> candidate_fds(const scn::Trace& trace, const quiz::Question& q) {
    const CallText asked = parse_call(q.call);
    if (asked.fn == "poll") return poll_names(q.call);
    if (!(is_wait_fn(asked.fn) || asked.fn == "fdinfo") || asked.args.empty()) return {};
    // Which open file each name stands for, as far as the steps tell: a name gets its own
    // identity when bound, and shares one through dup.
    std::map<std::string, int> object_of;
    int objects = 0;
    auto object = [&](const std::string& name) {
        auto [it, fresh] = object_of.emplace(name, objects);
        if (fresh) ++objects;
        return it->second;
    };
    // instance -> one name per registration, in ADD order. A name may stand for two
    // registrations (the same fd number on two files, after a dup2), and a DEL removes one.
    std::map<int, std::vector<std::string>> registered;
    for (std::size_t i = 0; i < q.step && i < trace.steps.size(); ++i) {
        const scn::Step& s = trace.steps[i];
        if (s.kind != scn::StepKind::Call || s.err || s.blocked) continue;
        const CallText c = parse_call(s.call);
        if (!c.target.empty()) {
            const bool dup = (c.fn == "dup" || c.fn == "dup2" || c.fn == "dup3" ||
                              (c.fn == "fcntl" && c.args.size() >= 2 && starts_with(c.args[1], "F_DUPFD"))) &&
                             !c.args.empty();
            if (dup) object_of[c.target] = object(c.args[0]);
            else object_of.erase(c.target);  // a new object under that name (rebound)
        }
        if (c.fn != "epoll_ctl" || c.args.size() < 3) continue;
        std::vector<std::string>& names = registered[object(c.args[0])];
        const std::string& op = c.args[1];
        const std::string& fd = c.args[2];
        if (op == "ADD" || op == "EPOLL_CTL_ADD") {
            names.push_back(fd);
        } else if (op == "DEL" || op == "EPOLL_CTL_DEL") {
            if (auto at = std::find(names.begin(), names.end(), fd); at != names.end()) names.erase(at);
        }
    }
    std::vector<std::string> out;
    for (const std::string& n : registered[object(asked.args[0])])
        if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
    return out;
}

AnswerDraft make_draft(const quiz::Question& q, const std::vector<std::string>& candidates) {
    AnswerDraft d;
    const std::string& c = q.call;
    d.events_call = starts_with(c, "epoll_wait") || starts_with(c, "epoll_pwait") || starts_with(c, "poll(") ||
                    starts_with(c, "join");
    d.interest_call = starts_with(c, "fdinfo");
    d.rb_call = q.kind == quiz::AnswerKind::RbCases;
    if (d.rb_call) {  // no fds to tick: an ordered list of step names
        d.form = AnswerDraft::Form::RbCases;
        return d;
    }
    d.form = d.interest_call ? AnswerDraft::Form::Interest
             : d.events_call ? AnswerDraft::Form::Events
                             : AnswerDraft::Form::Value;
    auto add_row = [&](const std::string& name) {
        if (name.empty() || std::find(d.rows.begin(), d.rows.end(), name) != d.rows.end()) return;
        d.rows.push_back(name);
    };
    // Only what the student knows before the answer: never q.model (candidate_fds).
    for (const std::string& n : candidates) add_row(n);
    d.masks.assign(d.rows.size(), 0);
    d.errno_value = EBADF;
    return d;
}

std::vector<std::string> rb_case_choices(const quiz::Question& q, EventSpan log) {
    static const EventType insert[] = {EventType::RbInsertRootBlack, EventType::RbInsertParentBlack,
                                       EventType::RbInsertCase1,     EventType::RbInsertCase2Left,
                                       EventType::RbInsertCase2Right, EventType::RbInsertCase3Left,
                                       EventType::RbInsertCase3Right};
    static const EventType erase[] = {EventType::RbEraseRecolorBlack, EventType::RbEraseCase1Left,
                                      EventType::RbEraseCase1Right,   EventType::RbEraseCase2,
                                      EventType::RbEraseCase3Left,    EventType::RbEraseCase3Right,
                                      EventType::RbEraseCase4Left,    EventType::RbEraseCase4Right};
    const std::size_t op = q.model.rb_op_event;
    const bool known = op < log.size();
    const bool is_insert = known && log[op].type == EventType::RbLink;
    const bool is_erase = known && log[op].type == EventType::RbEraseUnlink;
    std::vector<std::string> out;
    auto add = [&](EventType t) {
        const std::string n = scn::rb_case_name(t);
        if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
    };
    if (!is_erase)
        for (EventType t : insert) add(t);
    if (!is_insert)
        for (EventType t : erase) add(t);
    return out;
}

const std::vector<int>& known_errnos() {
    static const std::vector<int> list = [] {
        std::vector<int> v;
        for (int e = 1; e < 200; ++e)
            if (std::strcmp(errno_name(e), "E?") != 0) v.push_back(e);
        return v;
    }();
    return list;
}

std::vector<std::uint32_t> grid_bits(AnswerDraft::Form form, bool more) {
    std::vector<std::uint32_t> b{EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP, EPOLLRDHUP, EPOLLPRI};
    if (more) b.insert(b.end(), {EPOLLRDNORM, EPOLLRDBAND, EPOLLWRNORM, EPOLLWRBAND, EPOLLMSG});
    if (form == AnswerDraft::Form::Interest) b.insert(b.end(), {EPOLLET, EPOLLONESHOT, EPOLLEXCLUSIVE, EPOLLWAKEUP});
    return b;
}

// ---------------------------------------------------------------------------------------
// [SECTION] predict mode

void PredictMode::load(const scn::Trace& trace, std::size_t events) {
    const bool on = gate.enabled;
    gate = PredictGate{};
    gate.enabled = on;
    gate.load(trace, events);
    questions_ = quiz::collect_questions(trace);
    candidates_.clear();
    for (const quiz::Question& q : questions_) candidates_.push_back(candidate_fds(trace, q));
    draft = {};
    draft_for = -1;
    verdict = {};
    model_answer.clear();
    given.clear();
    explanation.clear();
}

const quiz::Question* PredictMode::question_of(int slot) const {
    if (slot < 0 || static_cast<std::size_t>(slot) >= gate.slots().size()) return nullptr;
    const int step = gate.slots()[static_cast<std::size_t>(slot)].step;
    for (const quiz::Question& q : questions_)
        if (static_cast<int>(q.step) == step) return &q;
    return nullptr;
}

void PredictMode::begin() {
    const quiz::Question* q = current();
    draft = q ? make_draft(*q, candidates_[static_cast<std::size_t>(q - questions_.data())]) : AnswerDraft{};
    draft_for = gate.current();
    verdict = {};
    model_answer.clear();
    given.clear();
    explanation.clear();
}

void PredictMode::reveal(const Kernel& model) {
    const quiz::Question* q = current();
    if (!q || gate.phase() != PredictGate::Phase::Asking) return;
    verdict = quiz::grade(*q, draft.to_answer());
    given = draft.text();
    model_answer = quiz::answer_text(*q);
    explanation = quiz::explain(*q, model);
    gate.record(verdict.correct);
    // The answer is out: rows for what the model reported that the student could not name
    // (an fd the call's text does not show), so the grid's model column is complete.
    if (draft.form == AnswerDraft::Form::Events || draft.form == AnswerDraft::Form::Interest) {
        auto add = [&](const std::string& name) {
            if (name.empty() || std::find(draft.rows.begin(), draft.rows.end(), name) != draft.rows.end()) return;
            draft.rows.push_back(name);
            draft.masks.push_back(0);
        };
        for (const scn::TraceEvent& e : q->model.events) add(quiz::canonical_who(*q, e.who));
        for (const scn::TraceInterest& i : q->model.interest) add(i.fd);
    }
}

}  // namespace epsim::viz
