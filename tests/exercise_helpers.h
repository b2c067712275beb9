// exercise_helpers.h - shared by the exercise tests: generate a topic's exercise for a seed,
// parse it and run it as a quiz (on the model, and on the host too when asked).
#pragma once
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "runner/exercise.h"
#include "runner/parser.h"
#include "runner/quiz.h"

namespace epsim::test {

inline quiz::QuizRun exercise_quiz_run(const std::string& topic, std::uint64_t seed, bool host) {
    auto text = exercise::generate(topic, seed);
    REQUIRE(text);
    scn::ParseResult p = scn::parse_scenario(topic + ".scn", *text);
    INFO(*text);
    if (!p.script) FAIL(p.error->render());
    quiz::QuizOptions opt;
    opt.host = host;
    quiz::QuizRun r = quiz::run_quiz(*p.script, opt);
    REQUIRE(r.model.error == "");
    return r;
}

}  // namespace epsim::test
