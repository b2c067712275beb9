// exercise.h - seeded exercises: a fresh scenario with questions (`== ?`) per topic and seed.
//
// The same (topic, seed) always gives the same text, byte for byte, on every platform: the
// generator uses its own splitmix64 and integer arithmetic, no <random> distributions. Every
// generated scenario runs on the model and, except where a topic says model_only, on the real
// kernel with the same results (the tests mirror them). `epsim exercise --solve` answers the
// questions with the model (quiz::run_quiz + fill_answers).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace epsim::exercise {

struct Topic {
    const char* name;     // "lt-et"
    const char* summary;  // one line for --list
    bool host;            // false: its questions are model_only (the host cannot run them)
};
const std::vector<Topic>& topics();
const Topic* find_topic(const std::string& name);

// The scenario text for (topic, seed); nullopt for an unknown topic.
std::optional<std::string> generate(const std::string& topic, std::uint64_t seed);

}  // namespace epsim::exercise
