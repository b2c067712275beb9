// quiz_answer.cpp - answers in the scenario's expectation syntax: parsing, grading, and the
// correct answer as text. See quiz.h (points 3-5 of the contract).
#include <algorithm>
#include <cctype>
#include <set>

#include "runner/calls.h"
#include "runner/quiz.h"
#include "runner/rb_cases.h"
#include "sim/uapi.h"

namespace epsim::quiz {
namespace {

std::string trim(const std::string& s) {
    std::size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::string without_spaces(const std::string& s) {
    std::string o;
    for (char c : s)
        if (!std::isspace(static_cast<unsigned char>(c))) o += c;
    return o;
}

bool parse_int(const std::string& t, std::int64_t& out) {
    if (t.empty()) return false;
    std::size_t i = t[0] == '-' ? 1 : 0;
    if (i >= t.size()) return false;
    int base = 10;
    if (t.size() > i + 2 && t[i] == '0' && (t[i + 1] == 'x' || t[i + 1] == 'X')) {
        base = 16;
        i += 2;
    }
    std::int64_t v = 0;
    for (; i < t.size(); ++i) {
        int d = std::isdigit(static_cast<unsigned char>(t[i])) ? t[i] - '0'
                : base == 16 && std::isxdigit(static_cast<unsigned char>(t[i])) ? std::tolower(t[i]) - 'a' + 10
                                                                                 : -1;
        if (d < 0) return false;
        if (__builtin_mul_overflow(v, base, &v) || __builtin_add_overflow(v, d, &v)) return false;  // too big
    }
    out = t[0] == '-' ? -v : v;
    return true;
}

// "EPOLLIN|EPOLLRDNORM", "0x41", "EPOLLIN | 8"
bool parse_mask(const std::string& text, std::uint32_t& out, std::string& err) {
    out = 0;
    std::string t = without_spaces(text);
    if (t.empty()) {
        err = "missing event mask";
        return false;
    }
    std::size_t start = 0;
    while (start <= t.size()) {
        std::size_t bar = t.find('|', start);
        std::string part = t.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
        std::int64_t v = 0;
        if (parse_int(part, v)) {
            out |= static_cast<std::uint32_t>(v);
        } else if (auto c = scn::find_constant(part)) {
            out |= static_cast<std::uint32_t>(*c);
        } else {
            err = "unknown flag '" + part + "'";
            return false;
        }
        if (bar == std::string::npos) break;
        start = bar + 1;
    }
    return true;
}

// Splits "a: X, b: Y" at top-level commas (an index like e[1] has no comma, so plain split works).
std::vector<std::string> split_items(const std::string& body) {
    std::vector<std::string> items;
    std::string cur;
    for (char c : body) {
        if (c == ',') {
            items.push_back(trim(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!trim(cur).empty() || !items.empty()) items.push_back(trim(cur));
    if (!items.empty() && items.back().empty()) items.pop_back();  // a trailing comma
    return items;
}

bool is_interest_call(const scn::Step& s) { return s.call.rfind("fdinfo(", 0) == 0; }


// The name of an event's registration, or its data number when that name was registered with
// several data values (a dup2'd fd number, one fd in two instances): the key must stay exact.
std::string unambiguous_who(const Question& q, std::size_t i) {
    const scn::TraceEvent& e = q.model.events[i];
    std::set<std::string> datas;
    for (const auto& [data, name] : q.aliases)
        if (name == e.who) datas.insert(data);
    if (datas.size() < 2 || i >= q.model.event_data.size()) return e.who;
    return std::to_string(q.model.event_data[i]);
}

std::string events_list(const std::vector<AnswerEvent>& evs) {
    std::string s = "[";
    for (std::size_t i = 0; i < evs.size(); ++i) s += (i ? ", " : "") + evs[i].who + ": " + epoll_mask_str(evs[i].mask);
    return s + "]";
}

}  // namespace

// The model's `who` and the answer's `who` name the same registration: equal names, or a data
// number registered under that name.
std::string canonical_who(const Question& q, const std::string& who) {
    // The latest registration with that data wins: after DEL a, ADD b with the same data, the
    // number names b.
    for (auto it = q.aliases.rbegin(); it != q.aliases.rend(); ++it)
        if (it->first == who) return it->second;
    return who;
}

const char* answer_kind_name(AnswerKind k) {
    switch (k) {
        case AnswerKind::Value: return "value";
        case AnswerKind::Errno: return "errno";
        case AnswerKind::Events: return "events";
        case AnswerKind::Interest: return "interest list";
        case AnswerKind::RbCases: return "rb fix-up steps";
    }
    return "?";
}

const char* host_status_name(HostStatus s) {
    switch (s) {
        case HostStatus::NotRun: return "not run";
        case HostStatus::Confirmed: return "confirmed";
        case HostStatus::Diverged: return "diverged";
        case HostStatus::ModelOnly: return "model only";
        case HostStatus::Unavailable: return "unavailable";
    }
    return "?";
}

ParsedAnswer parse_answer(const std::string& raw) {
    ParsedAnswer out;
    std::string text = trim(raw);
    if (text.empty() || text == "?") {
        out.error = "no answer";
        return out;
    }
    Answer a;
    if (text[0] == '[') {  // rb_cases: [case1.recolor, root_black]
        if (text.back() != ']') {
            out.error = "missing ']'";
            return out;
        }
        a.kind = AnswerKind::RbCases;
        for (const std::string& item : split_items(text.substr(1, text.size() - 2))) {
            std::string name = scn::rb_case_canonical(without_spaces(item));
            if (name.empty()) {
                std::string all;
                for (const std::string& n : scn::rb_case_names()) all += (all.empty() ? "" : ", ") + n;
                out.error = "unknown fix-up step '" + item + "' (the steps are: " + all + ")";
                return out;
            }
            a.cases.push_back(name);
        }
        out.answer = a;
        return out;
    }
    if (text[0] == '{') {  // an fdinfo interest list
        if (text.back() != '}') {
            out.error = "missing '}'";
            return out;
        }
        a.kind = AnswerKind::Interest;
        for (const std::string& item : split_items(text.substr(1, text.size() - 2))) {
            std::size_t colon = item.find(':');
            if (colon == std::string::npos) {
                out.error = "expected 'fd: MASK' in '" + item + "'";
                return out;
            }
            AnswerInterest it;
            it.fd = without_spaces(item.substr(0, colon));
            std::string rest = item.substr(colon + 1);
            std::size_t d = rest.find("data=");
            if (d != std::string::npos) {
                std::int64_t v = 0;
                if (!parse_int(without_spaces(rest.substr(d + 5)), v)) {
                    out.error = "bad data= in '" + item + "'";
                    return out;
                }
                it.data = static_cast<std::uint64_t>(v);
                rest = rest.substr(0, d);
            }
            if (!parse_mask(rest, it.mask, out.error)) return out;
            a.interest.push_back(it);
        }
        out.answer = a;
        return out;
    }
    // VALUE, or -1 ERRNO, then an optional event list
    std::size_t end = 0;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) && text[end] != '[' && text[end] != '{')
        ++end;
    if (!parse_int(text.substr(0, end), a.value)) {
        out.error = "expected a number, found '" + text.substr(0, end) + "'";
        return out;
    }
    std::string rest = trim(text.substr(end));
    if (a.value == -1 && !rest.empty() && std::isalpha(static_cast<unsigned char>(rest[0]))) {
        if (!errno_from_name(rest.c_str())) {
            out.error = "unknown errno name '" + rest + "'";
            return out;
        }
        a.kind = AnswerKind::Errno;
        a.errno_name = rest;
        out.answer = a;
        return out;
    }
    if (rest.empty()) {
        if (a.value == -1) {
            out.error = "a failing call has an errno: write -1 ENAME";
            return out;
        }
        a.kind = AnswerKind::Value;
        out.answer = a;
        return out;
    }
    const char open = rest[0], close = open == '[' ? ']' : '}';
    if ((open != '[' && open != '{') || rest.back() != close) {
        out.error = "expected an event list [who: MASK, ...] after the count, found '" + rest + "'";
        return out;
    }
    a.kind = AnswerKind::Events;
    a.has_events = true;
    a.unordered = open == '{';
    for (const std::string& item : split_items(rest.substr(1, rest.size() - 2))) {
        std::size_t colon = item.find(':');
        if (colon == std::string::npos) {
            out.error = "expected 'who: MASK' in '" + item + "'";
            return out;
        }
        AnswerEvent e;
        e.who = without_spaces(item.substr(0, colon));
        if (e.who.empty()) {
            out.error = "missing fd name before ':' in '" + item + "'";
            return out;
        }
        if (!parse_mask(item.substr(colon + 1), e.mask, out.error)) return out;
        a.events.push_back(e);
    }
    if (static_cast<std::int64_t>(a.events.size()) != a.value) {
        out.error = "the count says " + std::to_string(a.value) + " but the list has " + std::to_string(a.events.size()) +
                    " event(s)";
        return out;
    }
    out.answer = a;
    return out;
}

Verdict grade(const Question& q, const Answer& a) {
    const scn::Step& m = q.model;
    Verdict v;
    auto wrong = [&](std::string why) {
        v.correct = false;
        v.why = std::move(why);
        return v;
    };
    if (m.blocked) return wrong("the call was still blocked: there is no result to predict");
    if (m.err) {
        if (a.kind != AnswerKind::Errno) return wrong("the call fails: it returns -1 with an errno");
        if (errno_from_name(a.errno_name.c_str()) != m.err) return wrong("right that it fails, but not with " + a.errno_name);
        v.correct = true;
        return v;
    }
    if (a.kind == AnswerKind::Errno) return wrong("the call succeeds");
    if (m.has_cases) {
        if (a.kind != AnswerKind::RbCases)
            return wrong("rb_cases gives the fix-up steps, in order: [case1.recolor, root_black]");
        // Say where the first difference is, not what the right step was.
        for (std::size_t i = 0; i < a.cases.size() && i < m.cases.size(); ++i)
            if (a.cases[i] != m.cases[i])
                return wrong("step " + std::to_string(i + 1) + " differs: it was not " + a.cases[i]);
        if (a.cases.size() < m.cases.size())
            return wrong("right so far, but the fix-up did not stop after " +
                         (a.cases.empty() ? std::string("the link") : a.cases.back()));
        if (a.cases.size() > m.cases.size())
            return wrong("too many steps: the fix-up was done after " + std::to_string(m.cases.size()) + " step(s)");
        v.correct = true;
        return v;
    }
    if (a.kind == AnswerKind::RbCases) return wrong("this call does not answer with rb fix-up steps");
    if (is_interest_call(m)) {
        if (a.kind != AnswerKind::Interest) return wrong("fdinfo shows an interest list: answer {fd: MASK, ...}");
        if (a.interest.size() != m.interest.size())
            return wrong("the interest list has " + std::to_string(m.interest.size()) + " item(s), you gave " +
                         std::to_string(a.interest.size()));
        std::vector<bool> used(m.interest.size(), false);
        for (const AnswerInterest& want : a.interest) {
            bool found = false, name_seen = false;
            for (std::size_t i = 0; i < m.interest.size() && !found; ++i) {
                const scn::TraceInterest& got = m.interest[i];
                if (used[i] || got.fd != want.fd) continue;
                name_seen = true;
                if (got.events != want.mask) continue;
                if (want.data && got.data != std::to_string(*want.data)) continue;
                used[i] = found = true;
            }
            if (!found)
                return wrong(name_seen ? want.fd + ": the mask or data differs" : want.fd + " is not in the interest list");
        }
        v.correct = true;
        return v;
    }
    if (a.kind == AnswerKind::Interest) return wrong("this call returns a number, not an interest list");
    if (a.value != m.ret) return wrong(m.has_events ? "the count differs" : "the value differs");
    if (!m.has_events || m.events.empty()) {
        if (a.has_events && !a.events.empty()) return wrong("no events were returned");
        v.correct = true;
        return v;
    }
    if (!a.has_events) return wrong("right count; now say which events: " + std::to_string(m.ret) + " [who: MASK, ...]");
    std::vector<std::pair<std::string, std::uint32_t>> want, got;
    for (const AnswerEvent& e : a.events) want.emplace_back(canonical_who(q, e.who), e.mask);
    for (const scn::TraceEvent& e : m.events) got.emplace_back(canonical_who(q, e.who), e.events);
    if (a.unordered) {
        std::sort(want.begin(), want.end());
        std::sort(got.begin(), got.end());
    }
    if (want == got) {
        v.correct = true;
        return v;
    }
    // Say what is wrong without giving the whole answer away.
    for (const auto& wanted : want) {
        const std::string& who = wanted.first;  // a plain reference: clang 14 cannot capture a binding
        const std::uint32_t mask = wanted.second;
        auto it = std::find_if(got.begin(), got.end(), [&](const auto& g) { return g.first == who; });
        if (it == got.end()) return wrong(who + " was not reported");
        if (it->second != mask) return wrong(who + ": you said " + epoll_mask_str(mask) + ", the mask differs");
    }
    return wrong("the same events, but the order differs (the ready list is FIFO; see the explanation)");
}

Verdict grade_text(const Question& q, const std::string& text) {
    ParsedAnswer p = parse_answer(text);
    if (!p.answer) return Verdict{false, "cannot read the answer: " + p.error};
    return grade(q, *p.answer);
}

std::string answer_text(const Question& q) {
    const scn::Step& m = q.model;
    if (m.err) return "-1 " + std::string(errno_name(m.err));
    if (m.has_cases) {
        std::string s = "[";
        for (std::size_t i = 0; i < m.cases.size(); ++i) s += (i ? ", " : "") + m.cases[i];
        return s + "]";
    }
    if (is_interest_call(m)) {
        std::string s = "{";
        for (std::size_t i = 0; i < m.interest.size(); ++i) {
            const scn::TraceInterest& it = m.interest[i];
            std::int64_t d = 0;
            s += (i ? ", " : "") + it.fd + ": " + epoll_mask_str(it.events) + (parse_int(it.data, d) ? " data=" + it.data : "");
        }
        return s + "}";
    }
    std::string s = std::to_string(m.ret);
    if (m.has_events && !m.events.empty()) {
        std::vector<AnswerEvent> evs;
        for (std::size_t i = 0; i < m.events.size(); ++i) evs.push_back(AnswerEvent{unambiguous_who(q, i), m.events[i].events});
        s += " " + events_list(evs);
    }
    return s;
}

}  // namespace epsim::quiz
