// fuzz_gen.h - random scenarios for differential testing (model vs real kernel).
//
// The generator writes scenario *text*, so a divergence is reported as an ordinary .scn file
// anyone can run, read and shrink. It mixes pipes, eventfds and socketpairs, ADD/MOD/DEL with
// LT/ET/ONESHOT masks, dup/close, nested epolls, reads and writes, and waits with various
// maxevents. Everything is non-blocking, and it never uses an fd after closing it (fd numbers
// may be reused differently by the two backends).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace epsim::scn {

struct FuzzOptions {
    int min_ops = 12;
    int max_ops = 40;
};

// The scenario for (seed, index): the same pair always gives the same text.
std::string generate_scenario(std::uint64_t seed, int index, const FuzzOptions& opt = {});

// Removes lines one at a time (last first) while `still_fails(text)` holds; returns the result.
// Title and object-creating lines are candidates too: a removal that breaks the scenario makes
// still_fails false (an input error is not the divergence), so it is kept.
template <class Pred>
std::string minimize_lines(const std::string& text, Pred still_fails) {
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t e = text.find('\n', pos);
        if (e == std::string::npos) e = text.size();
        lines.push_back(text.substr(pos, e - pos));
        pos = e + 1;
    }
    auto join = [](const std::vector<std::string>& v) {
        std::string s;
        for (const auto& l : v) s += l + "\n";
        return s;
    };
    for (std::size_t i = lines.size(); i-- > 1;) {  // keep line 0 (the title)
        std::vector<std::string> trial = lines;
        trial.erase(trial.begin() + static_cast<long>(i));
        if (still_fails(join(trial))) lines = std::move(trial);
    }
    return join(lines);
}

}  // namespace epsim::scn
