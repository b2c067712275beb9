// mirror.h - one scenario on both backends, the two traces aligned step by step.
#pragma once
#include <string>
#include <vector>

#include "trace.h"

namespace epsim::scn {

struct MirrorRow {
    const Step* model = nullptr;  // null: the step ran on the host only
    const Step* host = nullptr;   // null: the step ran on the model only
    bool compared = false;        // both sides ran it and neither is marked model/host only
    bool diverged = false;
    std::string why;              // what differs: "result", "interest list"
};

struct Mirror {
    Trace model, host;
    std::vector<MirrorRow> rows;
    int divergences() const;
    int compared() const;
};

// Aligns the steps by key (line plus loop iterations) and compares results and interest lists.
std::vector<MirrorRow> align(const Trace& model, const Trace& host);
// Two steps agree if they show the same result (fd results: both succeeded, or the same errno)
// and, where both captured one, the same interest list as a set.
bool steps_agree(const Step& a, const Step& b, std::string& why);

std::string render_mirror_text(const Mirror& m, bool color);
std::string render_mirror_json(const Mirror& m);

}  // namespace epsim::scn
