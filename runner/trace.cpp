// trace.cpp - rendering traces as text and JSON.
#include "trace.h"

#include <cstdio>

#include "sim/uapi.h"

namespace epsim::scn {

int Trace::failures() const {
    int n = 0;
    for (const Step& s : steps)
        if (s.checked && !s.ok) ++n;
    return n;
}

int Trace::questions() const {
    int n = 0;
    for (const Step& s : steps) n += s.question ? 1 : 0;
    return n;
}

static std::string events_text(const std::vector<TraceEvent>& evs) {
    std::string s = "[";
    for (std::size_t i = 0; i < evs.size(); ++i) s += (i ? ", " : "") + evs[i].who + ": " + epoll_mask_str(evs[i].events);
    return s + "]";
}

static std::string cases_text(const std::vector<std::string>& cases) {
    std::string s = "[";
    for (std::size_t i = 0; i < cases.size(); ++i) s += (i ? ", " : "") + cases[i];
    return s + "]";
}

std::string Step::result_text() const {
    switch (kind) {
        case StepKind::Say: return "";
        case StepKind::Thread:
        case StepKind::Sleep:
        case StepKind::Pause:
        case StepKind::Resume:
        case StepKind::Signal: return "";
        case StepKind::WaitBlocked: return blocked ? "= blocked" : "= not blocked";
        default: break;
    }
    if (blocked) return "<blocked>";
    if (kind == StepKind::Call && call.rfind("fdinfo(", 0) == 0) {
        std::string s = "= {";
        for (std::size_t i = 0; i < interest.size(); ++i)
            s += (i ? ", " : "") + interest[i].fd + ": " + epoll_mask_str(interest[i].events) + " data=" + interest[i].data;
        return s + "}";
    }
    std::string s = "= ";
    if (err) return s + std::to_string(ret) + " " + errno_name(err);
    if (has_cases) return s + cases_text(cases);
    s += std::to_string(ret);  // fd numbers too: the mirror compares fd results by success only
    if (has_events && !events.empty()) s += " " + events_text(events);
    return s;
}

std::string render_text(const Trace& t, bool with_expectations) {
    std::string out;
    for (const Step& s : t.steps) {
        if (s.kind == StepKind::Say) {
            out += "  # " + s.text + "\n";
            continue;
        }
        char prefix[32];
        std::snprintf(prefix, sizeof prefix, "%4d  ", s.line);
        std::string line = prefix;
        if (!s.thread.empty()) line += s.thread + ": ";
        line += s.call;
        std::string r = s.result_text();
        if (!r.empty()) line += " " + r;
        if (s.model_only) line += "   (model only)";
        if (s.host_only) line += "   (host only)";
        if (with_expectations && s.checked && !s.ok) line += "\n        FAILED: " + s.failure;
        if (with_expectations && s.question) line += "   (prediction: ?)";
        out += line + "\n";
    }
    if (!t.error.empty()) out += t.error + "\n";
    return out;
}

std::string json_escape(const std::string& s) {
    std::string o;
    for (char c : s) {
        switch (c) {
            case '"': o += "\\\""; break;
            case '\\': o += "\\\\"; break;
            case '\n': o += "\\n"; break;
            case '\t': o += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char b[8];
                    std::snprintf(b, sizeof b, "\\u%04x", c);
                    o += b;
                } else {
                    o += c;
                }
        }
    }
    return o;
}

static const char* kind_name(StepKind k) {
    switch (k) {
        case StepKind::Call: return "call";
        case StepKind::Join: return "join";
        case StepKind::WaitBlocked: return "wait_blocked";
        case StepKind::Signal: return "signal";
        case StepKind::Sleep: return "sleep";
        case StepKind::Pause: return "pause";
        case StepKind::Resume: return "resume";
        case StepKind::Fork: return "fork";
        case StepKind::Thread: return "thread";
        case StepKind::Say: return "say";
    }
    return "?";
}

std::string render_json(const Trace& t) {
    std::string o = "{\"schema\":\"epsim.trace\",\"version\":1,\"file\":\"" + json_escape(t.file) + "\",\"title\":\"" +
                    json_escape(t.title) + "\",\"backend\":\"" + t.backend + "\",\"steps\":[";
    for (std::size_t i = 0; i < t.steps.size(); ++i) {
        const Step& s = t.steps[i];
        o += i ? "," : "";
        o += "{\"line\":" + std::to_string(s.line) + ",\"key\":\"" + s.key + "\",\"kind\":\"" + kind_name(s.kind) +
             "\",\"thread\":\"" + json_escape(s.thread) + "\",\"call\":\"" + json_escape(s.call) + "\"";
        if (s.kind == StepKind::Say) o += ",\"text\":\"" + json_escape(s.text) + "\"";
        o += ",\"ret\":" + std::to_string(s.ret) + ",\"errno\":\"" + (s.err ? errno_name(s.err) : "") + "\"";
        o += std::string(",\"blocked\":") + (s.blocked ? "true" : "false");
        o += ",\"result\":\"" + json_escape(s.result_text()) + "\"";
        if (s.has_events) {
            o += ",\"events\":[";
            for (std::size_t j = 0; j < s.events.size(); ++j)
                o += (j ? "," : "") + std::string("{\"who\":\"") + json_escape(s.events[j].who) + "\",\"events\":\"" +
                     epoll_mask_str(s.events[j].events) + "\"}";
            o += "]";
        }
        if (s.has_interest) {
            o += ",\"interest\":[";
            for (std::size_t j = 0; j < s.interest.size(); ++j)
                o += (j ? "," : "") + std::string("{\"fd\":\"") + json_escape(s.interest[j].fd) + "\",\"events\":\"" +
                     epoll_mask_str(s.interest[j].events) + "\",\"data\":\"" + json_escape(s.interest[j].data) + "\"}";
            o += "]";
        }
        if (s.has_cases) {
            o += ",\"cases\":[";
            for (std::size_t j = 0; j < s.cases.size(); ++j) o += (j ? ",\"" : "\"") + json_escape(s.cases[j]) + "\"";
            o += "]";
        }
        if (s.model_only) o += ",\"model_only\":true";
        if (s.host_only) o += ",\"host_only\":true";
        if (s.checked) o += std::string(",\"check\":{\"ok\":") + (s.ok ? "true" : "false") + ",\"expected\":\"" +
                            json_escape(s.expected) + "\",\"failure\":\"" + json_escape(s.failure) + "\"}";
        if (s.question) o += ",\"question\":true";
        o += "}";
    }
    o += "],\"failures\":" + std::to_string(t.failures()) + ",\"error\":\"" + json_escape(t.error) + "\"}";
    return o;
}

}  // namespace epsim::scn
