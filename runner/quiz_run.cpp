// quiz_run.cpp - finding the questions of a run, confirming them on the real kernel, the
// answer key, and grading a student's copy (`epsim check`). See quiz.h.
#include <sys/utsname.h>

#include <algorithm>
#include <map>
#include <set>

#include "runner/host_backend.h"
#include "runner/interp.h"
#include "runner/mirror.h"
#include "runner/quiz.h"
#include "runner/sim_backend.h"

namespace epsim::quiz {
namespace {

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::string cur;
    for (char c : text) {
        if (c == '\n') {
            if (!cur.empty() && cur.back() == '\r') cur.pop_back();
            lines.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) lines.push_back(cur);
    return lines;
}

// The code of a line: without its comment (a '#' outside a string) and trailing blanks.
std::string code_of(const std::string& line) {
    bool in_str = false;
    std::size_t end = line.size();
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (in_str && line[i] == '\\') {
            ++i;
        } else if (line[i] == '"') {
            in_str = !in_str;
        } else if (!in_str && line[i] == '#') {
            end = i;
            break;
        }
    }
    std::string s = line.substr(0, end);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
    return s;
}

// The arguments of a symbolic call text "x = fn(a, b, c, data=7)".
std::vector<std::string> call_args(const std::string& call) {
    std::vector<std::string> args;
    std::size_t open = call.find('('), close = call.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close <= open) return args;
    std::string cur;
    int depth = 0;
    for (std::size_t i = open + 1; i < close; ++i) {
        char c = call[i];
        if (c == '(' || c == '[' || c == '{') ++depth;
        if (c == ')' || c == ']' || c == '}') --depth;
        if (c == ',' && depth == 0) {
            args.push_back(cur);
            cur.clear();
            continue;
        }
        if (!(c == ' ' && cur.empty())) cur += c;
    }
    args.push_back(cur);
    return args;
}

bool is_ctl(const scn::Step& s, const char* op) {
    auto a = call_args(s.call);
    return s.call.find("epoll_ctl(") != std::string::npos && a.size() >= 3 &&
           (a[1] == op || a[1] == std::string("EPOLL_CTL_") + op);
}

std::string data_arg(const std::vector<std::string>& args) {
    for (const std::string& a : args)
        if (a.rfind("data=", 0) == 0) return a.substr(5);
    return "";
}

std::string kernel_release() {
    struct utsname u {};
    return uname(&u) == 0 ? u.release : "?";
}

}  // namespace

QuizRun::QuizRun() = default;
QuizRun::~QuizRun() = default;
QuizRun::QuizRun(QuizRun&&) noexcept = default;
QuizRun& QuizRun::operator=(QuizRun&&) noexcept = default;
const Kernel& QuizRun::kernel() const { return sim->kernel(); }

std::vector<Question> collect_questions(const scn::Trace& model) {
    std::vector<Question> qs;
    std::vector<Registration> regs;
    std::vector<std::pair<std::string, std::string>> aliases;
    std::string last_say;
    for (std::size_t i = 0; i < model.steps.size(); ++i) {
        const scn::Step& s = model.steps[i];
        if (s.kind == scn::StepKind::Say) last_say = s.text;
        if (s.kind == scn::StepKind::Call && !s.err && !s.blocked && (is_ctl(s, "ADD") || is_ctl(s, "MOD"))) {
            auto args = call_args(s.call);
            std::string data = data_arg(args);
            if (is_ctl(s, "ADD")) regs.push_back(Registration{s.first_event, s.end_event, args[2], data});
            if (!data.empty()) aliases.emplace_back(data, args[2]);
        }
        if (!s.question) continue;
        Question q;
        q.number = static_cast<int>(qs.size()) + 1;
        q.step = i;
        q.line = s.expect_line ? s.expect_line : s.line;
        q.col = s.expect_col;
        q.key = s.key;
        q.thread = s.thread;
        q.call = s.call;
        q.context = last_say;
        q.model = s;
        q.call_first_event = s.first_event;
        if (s.kind == scn::StepKind::Join) {  // the harvest ran in the blocked call, earlier
            // "join t1 (epoll_wait(...))": the thread is the word after "join "
            const std::string joined = s.call.substr(5, s.call.find(' ', 5) - 5);
            for (std::size_t j = i; j-- > 0;)
                if (model.steps[j].kind == scn::StepKind::Call && model.steps[j].thread == joined) {
                    q.call_first_event = model.steps[j].first_event;
                    break;
                }
        }
        q.kind = s.err                                ? AnswerKind::Errno
                 : s.has_cases                        ? AnswerKind::RbCases
                 : s.call.rfind("fdinfo(", 0) == 0    ? AnswerKind::Interest
                 : s.has_events                       ? AnswerKind::Events
                                                      : AnswerKind::Value;
        q.host = s.model_only ? HostStatus::ModelOnly : HostStatus::NotRun;
        if (s.model_only)
            q.host_note = s.has_cases ? "the rb tree is kernel-internal: no syscall shows it, so Linux cannot confirm"
                                      : "this step runs only on the model (inside model_only)";
        q.registrations = regs;
        q.aliases = aliases;
        qs.push_back(std::move(q));
    }
    return qs;
}

QuizRun run_quiz(const scn::Script& script, const QuizOptions& opt) {
    QuizRun run;
    run.sim = std::make_unique<scn::SimBackend>();
    run.model = scn::run_script(script, *run.sim);
    run.questions = collect_questions(run.model);
    if (!opt.host) return run;
    {
        scn::HostOptions ho;
        ho.watchdog_ms = opt.watchdog_ms;
        scn::HostBackend host(ho);
        run.host = scn::run_script(script, host);
    }
    run.host_ran = true;
    run.kernel_release = kernel_release();
    confirm_on_host(run.questions, run.model, run.host, run.kernel_release);
    return run;
}

void confirm_on_host(std::vector<Question>& qs, const scn::Trace& model, const scn::Trace& host,
                     const std::string& release) {
    std::map<const scn::Step*, const scn::Step*> host_of;
    std::vector<scn::MirrorRow> rows = scn::align(model, host);
    for (const scn::MirrorRow& r : rows)
        if (r.model && r.host) host_of[r.model] = r.host;
    for (Question& q : qs) {
        if (q.host == HostStatus::ModelOnly) continue;  // its note says why
        auto it = host_of.find(&model.steps[q.step]);
        if (it == host_of.end()) {
            q.host = HostStatus::Unavailable;
            q.host_note = host.error.empty() ? "the real kernel did not run this step" : host.error;
            continue;
        }
        std::string why;
        if (scn::steps_agree(*it->second, model.steps[q.step], why)) {
            q.host = HostStatus::Confirmed;
            q.host_note = "Linux " + release;
        } else {
            q.host = HostStatus::Diverged;
            q.host_note = "Linux " + release + " says " + it->second->result_text();
        }
    }
}

std::string fill_answers(const std::string& source, const std::vector<Question>& qs, std::vector<int>* unfilled) {
    std::vector<std::string> lines = split_lines(source);
    // (line, col) -> the answers of every question written there (one per loop iteration)
    std::map<std::pair<int, int>, std::vector<const Question*>> at;
    for (const Question& q : qs) at[{q.line, q.col}].push_back(&q);
    for (const auto& [pos, list] : at) {
        const auto [line, col] = pos;
        std::string answer = answer_text(*list.front());
        bool same = true;
        for (const Question* q : list) same = same && answer_text(*q) == answer;
        bool ok = same && line >= 1 && line <= static_cast<int>(lines.size()) && col >= 1 &&
                  col <= static_cast<int>(lines[line - 1].size()) && lines[line - 1][col - 1] == '?';
        if (!ok) {
            if (unfilled)
                for (const Question* q : list) unfilled->push_back(q->number);
            continue;
        }
        lines[line - 1].replace(col - 1, 1, answer);
    }
    std::string out;
    for (const std::string& l : lines) out += l + "\n";
    return out;
}

int CheckResult::correct() const {
    int n = 0;
    for (const CheckEntry& e : entries) n += e.verdict.correct ? 1 : 0;
    return n;
}

CheckResult grade_answers(const std::string& original_source, const std::string& student_source,
                          const std::string& student_file, const std::vector<Question>& qs) {
    CheckResult res;
    const std::vector<std::string> orig = split_lines(original_source), mine = split_lines(student_source);
    std::map<int, int> question_col;  // line -> column of its `?`
    for (const Question& q : qs) question_col[q.line] = q.col;
    // Trailing blank lines do not matter; every other line must match (comments aside).
    auto last_code = [](const std::vector<std::string>& v) {
        std::size_t n = v.size();
        while (n && code_of(v[n - 1]).empty()) --n;
        return n;
    };
    const std::size_t n = std::max(last_code(orig), last_code(mine));
    std::map<int, std::string> answers;  // line -> the student's answer text
    for (std::size_t i = 0; i < n; ++i) {
        const int line = static_cast<int>(i) + 1;
        const std::string o = i < orig.size() ? orig[i] : "", m = i < mine.size() ? mine[i] : "";
        auto q = question_col.find(line);
        if (q == question_col.end()) {
            if (code_of(o) != code_of(m)) {
                res.error = student_file + ":" + std::to_string(line) +
                            ": error: this line differs from the original; only the '?' answers may change\n"
                            "  original: " + o + "\n  yours:    " + m;
                return res;
            }
            continue;
        }
        const std::size_t prefix = static_cast<std::size_t>(q->second - 1);
        if (m.size() < prefix || m.compare(0, prefix, o, 0, prefix) != 0) {
            res.error = student_file + ":" + std::to_string(line) +
                        ": error: write the answer in place of the '?', leaving the call as it is\n"
                        "  original: " + o + "\n  yours:    " + m;
            return res;
        }
        // What follows the '?' (" }" closing a one-line model_only block) must follow the answer.
        std::string answer = code_of(m.substr(prefix));
        const std::string after = code_of(o).substr(std::min(o.size(), prefix + 1));
        const std::size_t tail = after.find_first_not_of(" \t");
        if (tail != std::string::npos) {
            const std::string must_end = after.substr(tail);
            if (answer.size() < must_end.size() ||
                answer.compare(answer.size() - must_end.size(), must_end.size(), must_end) != 0) {
                res.error = student_file + ":" + std::to_string(line) + ": error: keep '" + must_end +
                            "' after your answer, as in the original\n  original: " + o + "\n  yours:    " + m;
                return res;
            }
            answer = code_of(answer.substr(0, answer.size() - must_end.size()));
        }
        answers[line] = answer;
    }
    for (const Question& q : qs) {
        CheckEntry e;
        e.q = &q;
        e.given = answers.count(q.line) ? answers[q.line] : "?";
        while (!e.given.empty() && (e.given.front() == ' ' || e.given.front() == '\t')) e.given.erase(0, 1);
        if (e.given.empty() || e.given == "?") {
            e.given = "?";
            e.verdict = Verdict{false, "not answered"};
        } else {
            e.verdict = grade_text(q, e.given);
        }
        res.entries.push_back(std::move(e));
    }
    return res;
}

}  // namespace epsim::quiz
