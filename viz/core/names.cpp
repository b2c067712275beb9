// names.cpp - the scenario's names for fds and epitems (see names.h).
#include "viz/core/names.h"

#include <cctype>

namespace epsim::viz {
namespace {

// "b = eventfd(0, 0)" -> ("b", "eventfd"); "e[2] = eventfd(...)" -> ("e[2]", "eventfd");
// a call that binds no name -> ("", "").
std::pair<std::string, std::string> binding(const std::string& call) {
    const std::size_t eq = call.find(" = ");
    const std::size_t open = call.find('(');
    if (eq == std::string::npos || open == std::string::npos || eq > open) return {};
    std::string name = call.substr(0, eq);
    std::size_t f = eq + 3;
    while (f < open && call[f] == ' ') ++f;
    std::string fn = call.substr(f, open - f);
    // A threaded call is written "t1: x = f(...)": the name is after the colon.
    if (const std::size_t colon = name.find(": "); colon != std::string::npos) name = name.substr(colon + 2);
    if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return {};
    return {name, fn};
}

}  // namespace

FdNames::FdNames(const scn::Trace& trace, EventSpan log) {
    for (const Event& e : log) {
        if (e.type != EventType::EpiAlloc) continue;
        if (e.b >= epi_keys_.size()) epi_keys_.resize(e.b + 1, {-1, 0});
        epi_keys_[e.b] = {static_cast<int>(e.x), e.c};
    }
    for (const scn::Step& s : trace.steps) {
        if (s.kind != scn::StepKind::Call || s.err || s.blocked || s.end_event <= s.first_event) continue;
        const auto [name, fn] = binding(s.call);
        if (name.empty()) continue;
        std::vector<const Event*> installs;
        for (std::size_t i = s.first_event; i < s.end_event && i < log.size(); ++i)
            if (log[i].type == EventType::FdInstall) installs.push_back(&log[i]);
        auto put = [&](const Event& e, std::string n) {
            any_proc_.emplace(std::pair{static_cast<int>(e.x), e.b}, n);
            names_[{e.a, static_cast<int>(e.x), e.b}] = std::move(n);
        };
        if (installs.size() == 1) {
            put(*installs[0], name);
        } else if (installs.size() == 2 && (fn == "pipe" || fn == "pipe2" || fn == "socketpair")) {
            const bool pair_ab = fn == "socketpair";
            put(*installs[0], name + (pair_ab ? ".a" : ".r"));
            put(*installs[1], name + (pair_ab ? ".b" : ".w"));
        }
    }
}

std::string FdNames::of(int fd, ObjId file, ObjId proc) const {
    if (proc) {
        const auto it = names_.find({proc, fd, file});
        if (it != names_.end()) return it->second;
    }
    // Any process: a forked child's copy, or a caller that does not know the process.
    const auto it = any_proc_.find({fd, file});
    return it != any_proc_.end() ? it->second : "";
}

std::string FdNames::label(int fd, ObjId file, ObjId proc) const {
    const std::string n = of(fd, file, proc);
    return n.empty() ? "fd " + std::to_string(fd) : n + " (fd " + std::to_string(fd) + ")";
}

std::string FdNames::epitem(ObjId epi) const {
    if (epi >= epi_keys_.size() || epi_keys_[epi].first < 0) return "epitem#" + std::to_string(epi);
    const auto [fd, file] = epi_keys_[epi];
    const std::string n = of(fd, file);
    return n.empty() ? "fd " + std::to_string(fd) : n;
}

}  // namespace epsim::viz
