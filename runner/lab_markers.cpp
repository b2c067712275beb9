// lab_markers.cpp - reading the `// @lab(NAME) begin|stub|end` markers (see lab_markers.h).
#include "runner/lab_markers.h"

#include <sstream>

namespace epsim::lab {

namespace {

enum class LineKind { Code, Begin, Stub, End, StubText };

struct Line {
    LineKind kind = LineKind::Code;
    std::string lab;   // for markers
    std::string rest;  // goal (Begin), the handout text (StubText)
};

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    return lines;
}

// Classifies one line. A marker is "// @lab(NAME) WORD..." after indentation; anything else that
// mentions "@lab(" in a comment is reported, so a typo never leaks a solution into a handout.
Line classify(const std::string& l, std::string& error) {
    Line out;
    const std::size_t ind = l.find_first_not_of(" \t");
    if (ind == std::string::npos) return out;
    const std::string t = l.substr(ind);
    if (t.rfind("//|", 0) == 0) {
        out.kind = LineKind::StubText;
        std::string rest = t.substr(3);
        if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
        out.rest = rest.empty() ? "" : l.substr(0, ind) + rest;
        return out;
    }
    if (t.rfind("// @lab(", 0) != 0) return out;
    const std::size_t close = t.find(')');
    if (close == std::string::npos) {
        error = "marker without ')'";
        return out;
    }
    out.lab = t.substr(8, close - 8);
    std::string word = t.substr(close + 1);
    if (word.rfind(" begin:", 0) == 0) {
        out.kind = LineKind::Begin;
        out.rest = word.substr(7);
        if (!out.rest.empty() && out.rest[0] == ' ') out.rest.erase(0, 1);
    } else if (word == " stub") {
        out.kind = LineKind::Stub;
    } else if (word == " end") {
        out.kind = LineKind::End;
    } else {
        error = "unknown marker '" + t + "' (expected begin: GOAL, stub or end)";
    }
    if (out.lab.empty()) error = "marker without a lab name";
    return out;
}

}  // namespace

MarkedFile scan_regions(const std::string& text) {
    MarkedFile mf;
    const std::vector<std::string> lines = split_lines(text);
    enum class State { Outside, Reference, Stub } st = State::Outside;
    Region cur;
    auto fail = [&](std::size_t i, const std::string& msg) {
        mf.error = std::to_string(i + 1) + ": " + msg;
        return mf;
    };
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string err;
        Line ln = classify(lines[i], err);
        if (!err.empty()) return fail(i, err);
        switch (ln.kind) {
            case LineKind::Code:
                if (st == State::Stub) return fail(i, "code line inside the stub of lab '" + cur.lab + "' (stub lines start with //|)");
                break;
            case LineKind::StubText:
                if (st != State::Stub) return fail(i, "stub line (//|) outside a stub");
                break;
            case LineKind::Begin:
                if (st != State::Outside) return fail(i, "region of lab '" + ln.lab + "' begins inside the region of lab '" + cur.lab + "' (regions do not nest)");
                if (ln.rest.empty()) return fail(i, "begin marker without a goal");
                cur = Region{ln.lab, ln.rest, static_cast<int>(i + 1), 0};
                st = State::Reference;
                break;
            case LineKind::Stub:
                if (st != State::Reference || ln.lab != cur.lab) return fail(i, "stub marker of lab '" + ln.lab + "' without its begin");
                st = State::Stub;
                break;
            case LineKind::End:
                if (st != State::Stub || ln.lab != cur.lab) return fail(i, "end marker of lab '" + ln.lab + "' without its begin and stub");
                cur.end_line = static_cast<int>(i + 1);
                mf.regions.push_back(cur);
                st = State::Outside;
                break;
        }
    }
    if (st != State::Outside) return fail(lines.size() - 1, "region of lab '" + cur.lab + "' is not closed (missing end marker)");
    return mf;
}

std::string apply_lab(const std::string& text, const std::string& stub_lab) {
    std::string out;
    std::string unused;
    bool in_region = false;
    bool stubbed = false;  // the current region is stub_lab's
    for (const std::string& l : split_lines(text)) {
        Line ln = classify(l, unused);
        switch (ln.kind) {
            case LineKind::Begin:
                in_region = true;
                stubbed = !stub_lab.empty() && ln.lab == stub_lab;
                continue;
            case LineKind::Stub:
            case LineKind::End:
                if (ln.kind == LineKind::End) in_region = false;
                continue;
            case LineKind::StubText:
                if (stubbed) out += ln.rest + "\n";
                continue;
            case LineKind::Code:
                if (in_region && stubbed) continue;  // reference code of the lab being handed out
                out += l + "\n";
                continue;
        }
    }
    return out;
}

}  // namespace epsim::lab
