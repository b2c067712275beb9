// parse_hints.cpp - "did you mean": finds the known name closest to a mistyped one.
#include "runner/parse_hints.h"

#include <algorithm>
#include <cctype>

#include "runner/calls.h"
#include "runner/parse_error.h"
#include "sim/uapi.h"

namespace epsim::scn::parsing {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Optimal string alignment distance: Levenshtein plus swapped neighbours ("thraed"),
// ignoring case (names are case-sensitive, so "epollin" should point at "EPOLLIN").
std::size_t edit_distance(std::string_view a_in, std::string_view b_in) {
    const std::string a = lower(a_in), b = lower(b_in);
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1, 0));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        for (std::size_t j = 1; j <= m; ++j) {
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[n][m];
}

// The closest candidate, or "" when none is close enough to be a likely typo. The limit
// grows with the length: one slip in a short name, more in a long one ("epoll_create1").
// Failing that, a known name the word starts with: "epfd" was probably meant as "ep".
std::string closest(std::string_view name, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_d = 0;
    const std::size_t limit = std::max<std::size_t>(1, name.size() / 4);
    for (const std::string& c : candidates) {
        if (c == name) continue;
        std::size_t d = edit_distance(name, c);
        // A distance equal to the whole length is a different word, not a typo ("x" vs "p").
        if (d > limit || d >= std::max(name.size(), c.size())) continue;
        if (best.empty() || d < best_d) {
            best = c;
            best_d = d;
        }
    }
    if (!best.empty()) return best;
    for (const std::string& c : candidates)
        if (c.size() >= 2 && c.size() < name.size() && name.substr(0, c.size()) == c && c.size() > best.size()) best = c;
    return best;
}

}  // namespace

std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
    std::string c = closest(name, candidates);
    return c.empty() ? std::string() : "did you mean " + in_quotes(c) + "?";
}

std::string join_words(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
    return out;
}

const std::vector<std::string>& keywords() {
    static const std::vector<std::string> k = {"title", "say",   "tags",  "thread", "wait_blocked", "signal", "join",
                                               "sleep", "pause", "resume", "repeat", "model_only", "scale"};
    return k;
}

bool is_keyword(std::string_view w) {
    return std::find(keywords().begin(), keywords().end(), w) != keywords().end();
}

std::vector<std::string> function_names() {
    std::vector<std::string> v;
    for (const FnInfo& f : scenario_functions()) v.emplace_back(f.name);
    return v;
}

std::vector<std::string> errno_names() {
    // uapi.h has no list of its names, so ask errno_name() about every small number.
    std::vector<std::string> v;
    for (int e = 1; e < 256; ++e) {
        std::string n = errno_name(e);
        if (n != "E?") v.push_back(n);
    }
    return v;
}

}  // namespace epsim::scn::parsing
