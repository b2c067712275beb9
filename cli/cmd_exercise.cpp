// cmd_exercise.cpp - `epsim exercise --topic T --seed S [--solve] [-o FILE]`: a fresh exercise
// scenario per (topic, seed), the same bytes for the same seed; --solve prints the answers.
#include <fstream>
#include <algorithm>
#include <iostream>

#include "commands.h"
#include "options.h"
#include "runner/exercise.h"
#include "runner/parser.h"
#include "runner/quiz.h"

namespace epsim::cli {

static const char* const kExerciseUsage =
    "usage: epsim exercise --topic T --seed S [--solve] [-o FILE]\n"
    "       epsim exercise --list\n"
    "  Writes a fresh scenario whose interesting results are questions (`== ?`). The same topic\n"
    "  and seed always give the same file. Then: epsim quiz FILE, or epsim check COPY --against FILE.\n"
    "  --solve    print the answers instead (one line per question, from the model)\n"
    "  --key      print the scenario with every ? answered (an answer key for epsim check)\n"
    "  -o FILE    write there instead of stdout\n"
    "  --list     the topics\n"
    "  exit: 0 ok, 2 usage error (unknown topic, bad seed)\n";

int cmd_exercise(int argc, char** argv) {
    Args a(argc, argv);
    if (a.flag("--help") || a.flag("-h")) {
        std::cout << kExerciseUsage;
        return 0;
    }
    if (a.flag("--list")) {
        for (const exercise::Topic& t : exercise::topics())
            std::cout << t.name << std::string(std::max<std::size_t>(12, std::string(t.name).size() + 1) - std::string(t.name).size(), ' ') << t.summary
                      << (t.host ? "" : " (model only)") << "\n";
        return 0;
    }
    std::string topic, seed_text, out_path;
    a.value("--topic", topic);
    a.value("--seed", seed_text);
    a.value("-o", out_path);
    const bool solve = a.flag("--solve"), key = a.flag("--key");
    std::string unknown;
    std::uint64_t seed = 0;
    bool seed_ok = !seed_text.empty() && seed_text.find_first_not_of("0123456789") == std::string::npos &&
                   seed_text.size() <= 19;
    if (seed_ok) seed = std::stoull(seed_text);
    if (!a.error.empty() || a.unknown_options(unknown) || !a.positional().empty() || topic.empty() || !seed_ok ||
        !exercise::find_topic(topic) || (solve && key)) {
        std::cerr << "epsim exercise: "
                  << (!a.error.empty() ? a.error
                      : !unknown.empty() ? "unknown option " + unknown
                      : topic.empty() ? "--topic is required (see --list)"
                      : !exercise::find_topic(topic) ? "unknown topic '" + topic + "' (see --list)"
                      : !seed_ok ? "--seed needs a decimal number"
                      : solve && key ? "--solve or --key, not both"
                                     : "unexpected argument")
                  << "\n" << kExerciseUsage;
        return 2;
    }
    std::string text = *exercise::generate(topic, seed);
    std::string file = "exercise-" + topic + "-" + std::to_string(seed) + ".scn";
    if (solve || key) {
        scn::ParseResult p = scn::parse_scenario(file, text);
        if (!p.script) {  // a generator bug: say so plainly
            std::cerr << "epsim exercise: internal error, the generated scenario does not parse:\n" << p.error->render() << "\n";
            return 2;
        }
        quiz::QuizOptions opt;
        opt.host = false;
        quiz::QuizRun run = quiz::run_quiz(*p.script, opt);
        if (!run.model.error.empty()) {
            std::cerr << "epsim exercise: internal error: " << run.model.error << "\n";
            return 2;
        }
        if (key) {
            text = quiz::fill_answers(text, run.questions);
        } else {
            text.clear();
            for (const quiz::Question& q : run.questions)
                text += "Q" + std::to_string(q.number) + "  line " + std::to_string(q.line) + "  " +
                        (q.thread.empty() ? "" : q.thread + ": ") + q.call + " == " + quiz::answer_text(q) + "\n";
        }
    }
    if (out_path.empty()) {
        std::cout << text;
        return 0;
    }
    std::ofstream out(out_path, std::ios::binary);
    if (!out || !(out << text)) {
        std::cerr << "epsim exercise: cannot write " << out_path << "\n";
        return 2;
    }
    return 0;
}

}  // namespace epsim::cli
