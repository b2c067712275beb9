// cmd_quiz.cpp - `epsim quiz FILE`: predict, then reveal. Each `== ?` of the scenario is asked
// on stdin (a pipe works too); the answer comes from the model, confirmed on the real kernel,
// with an explanation from the model's event log; a score at the end.
#include <fstream>
#include <iostream>
#include <sstream>

#include <unistd.h>

#include "commands.h"
#include "options.h"
#include "runner/parser.h"
#include "runner/quiz.h"
#include "runner/sim_backend.h"

namespace epsim::cli {

static const char* const kQuizUsage =
    "usage: epsim quiz FILE [--no-host] [--key] [--watchdog MS]\n"
    "  Asks each question of the scenario (a result written `== ?`): type your prediction in the\n"
    "  scenario's expectation syntax, e.g.  3   -1 EEXIST   1 [p.r: EPOLLIN]   {p.r: EPOLLIN|EPOLLERR|EPOLLHUP}\n"
    "  or, for rb_cases(ep), the fix-up steps in order: [case2.rotate_left, case3.rotate_right]\n"
    "  Then the answer is revealed (from the model, confirmed on the real kernel) with why.\n"
    "  An empty line skips a question. Answers are read from stdin, so a pipe works.\n"
    "  --no-host     do not run the scenario on the real kernel\n"
    "  --key         print the answer key (the scenario with every ? answered) and exit\n"
    "  --watchdog MS host: how long a blocking step may take (default 5000)\n"
    "  exit: 0 every answer right, 1 some wrong or skipped, 2 usage or input error\n";

static std::string read_file(const std::string& path, bool& ok) {
    std::ifstream in(path, std::ios::binary);
    ok = static_cast<bool>(in);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

static std::string host_line(const quiz::Question& q, bool host_ran) {
    switch (q.host) {
        case quiz::HostStatus::Confirmed: return "confirmed by " + q.host_note;
        case quiz::HostStatus::Diverged: return "NOT confirmed: " + q.host_note + " (a model bug: please report it)";
        case quiz::HostStatus::ModelOnly: return "model only: " + q.host_note;
        case quiz::HostStatus::Unavailable: return "not confirmed: " + q.host_note;
        case quiz::HostStatus::NotRun: break;
    }
    return host_ran ? "not confirmed" : "not confirmed (--no-host)";
}

int cmd_quiz(int argc, char** argv) {
    Args a(argc, argv);
    if (a.flag("--help") || a.flag("-h")) {
        std::cout << kQuizUsage;
        return 0;
    }
    std::string wd = "5000";
    a.value("--watchdog", wd);
    const bool no_host = a.flag("--no-host"), key = a.flag("--key");
    auto files = a.positional();
    std::string unknown;
    if (!a.error.empty() || a.unknown_options(unknown) || files.size() != 1) {
        std::cerr << "epsim quiz: "
                  << (!a.error.empty() ? a.error : !unknown.empty() ? "unknown option " + unknown : "give one scenario file")
                  << "\n" << kQuizUsage;
        return 2;
    }
    bool ok = false;
    const std::string source = read_file(files[0], ok);
    scn::ParseResult p = ok ? scn::parse_scenario(files[0], source) : scn::parse_scenario_file(files[0]);
    if (!p.script) {
        std::cerr << p.error->render() << "\n";
        return 2;
    }
    quiz::QuizOptions opt;
    opt.host = !no_host && !key;
    opt.watchdog_ms = std::stoi(wd);
    quiz::QuizRun run = quiz::run_quiz(*p.script, opt);
    if (!run.model.error.empty()) {
        std::cerr << run.model.error << "\n";
        return 2;
    }
    if (run.questions.empty()) {
        std::cerr << "epsim quiz: " << files[0] << " has no question (write `== ?` after a call)\n";
        return 2;
    }
    if (key) {
        std::vector<int> unfilled;
        std::cout << quiz::fill_answers(source, run.questions, &unfilled);
        for (int n : unfilled)
            std::cerr << "epsim quiz: question " << n << " has different answers across loop iterations: left as ?\n";
        return unfilled.empty() ? 0 : 1;
    }
    std::cout << "== " << files[0] << (run.model.title.empty() ? "" : ": " + run.model.title) << "\n"
              << run.questions.size() << " question(s). Answer like the scenario's expectations: 3, -1 EEXIST,\n"
              << "1 [p.r: EPOLLIN] (in order), 2 {a.r: EPOLLIN, b.r: EPOLLIN} (any order), {fd: MASK, ...} for fdinfo,\n"
              << "[case1.recolor, root_black] for rb_cases.\n";
    if (run.host_ran && !run.host.error.empty()) std::cout << "(the real kernel stopped: " << run.host.error << ")\n";
    int right = 0;
    std::size_t next_step = 0;
    bool eof = false;
    for (const quiz::Question& q : run.questions) {
        // The steps before the question, as the trace shows them.
        std::cout << "\n";
        for (; next_step < q.step; ++next_step) {
            const scn::Step& s = run.model.steps[next_step];
            if (s.kind == scn::StepKind::Say) {
                std::cout << "  # " << s.text << "\n";
                continue;
            }
            std::string r = s.question ? "= (question " + std::to_string(&s - &run.model.steps[0]) + ")" : s.result_text();
            if (s.question)
                for (const quiz::Question& o : run.questions)
                    if (o.step == next_step) r = "= " + quiz::answer_text(o);
            std::cout << "  " << s.line << "  " << (s.thread.empty() ? "" : s.thread + ": ") << s.call
                      << (r.empty() ? "" : " " + r) << "\n";
        }
        next_step = q.step + 1;
        std::cout << "Q" << q.number << " (line " << q.line << ", " << quiz::answer_kind_name(q.kind) << "): "
                  << (q.thread.empty() ? "" : q.thread + ": ") << q.call << " == ?\n";
        quiz::Verdict v{false, "skipped"};
        std::string line;
        const bool stdin_is_terminal = isatty(STDIN_FILENO) == 1;
        while (!eof) {
            std::cout << "your answer> " << std::flush;
            if (!std::getline(std::cin, line)) {
                eof = true;
                v.why = "no answer (end of input)";
                std::cout << "\n";
                break;
            }
            if (!stdin_is_terminal) std::cout << line << "\n";  // a piped answer, shown as if typed
            if (line.find_first_not_of(" \t\r") == std::string::npos) break;  // skipped
            quiz::ParsedAnswer pa = quiz::parse_answer(line);
            if (!pa.answer) {
                std::cout << "  cannot read that: " << pa.error << " (try again, or an empty line to skip)\n";
                continue;
            }
            v = quiz::grade(q, *pa.answer);
            break;
        }
        if (v.correct) ++right;
        std::cout << (v.correct ? "  right." : "  wrong: " + v.why) << "\n"
                  << "  answer: " << quiz::answer_text(q) << "   [" << host_line(q, run.host_ran) << "]\n";
        for (const std::string& why : quiz::explain(q, run.kernel())) std::cout << "  why: " << why << "\n";
    }
    std::cout << "\nscore: " << right << "/" << run.questions.size() << "\n";
    return right == static_cast<int>(run.questions.size()) ? 0 : 1;
}

}  // namespace epsim::cli
