// rb_cases.cpp - reading an insert's or an erase's fix-up steps out of the model's log.
// See rb_cases.h.
#include "runner/rb_cases.h"

#include <algorithm>
#include <cstring>

namespace epsim::scn {
namespace {

constexpr const char* kPrefixes[] = {"rb.insert.", "rb.erase."};

// The fix-up events are the rb.* types after rb.link, minus rb.erase.unlink (event_log.h keeps
// them contiguous: RbInsertRootBlack .. RbEraseCase4Right).
bool is_fixup(EventType t) {
    return t >= EventType::RbInsertRootBlack && t <= EventType::RbEraseCase4Right && t != EventType::RbEraseUnlink;
}

}  // namespace

std::string rb_case_name(EventType t) {
    if (!is_fixup(t)) return "";
    const std::string full = event_type_name(t);
    for (const char* p : kPrefixes)
        if (full.rfind(p, 0) == 0) return full.substr(std::strlen(p));
    return "";
}

const std::vector<std::string>& rb_case_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (int t = static_cast<int>(EventType::RbInsertRootBlack); t <= static_cast<int>(EventType::RbEraseCase4Right); ++t) {
            std::string n = rb_case_name(static_cast<EventType>(t));
            if (!n.empty() && std::find(v.begin(), v.end(), n) == v.end()) v.push_back(n);
        }
        return v;
    }();
    return names;
}

std::string rb_case_canonical(const std::string& written) {
    std::string n = written;
    for (const char* p : kPrefixes)
        if (n.rfind(p, 0) == 0) n = n.substr(std::strlen(p));
    const auto& all = rb_case_names();
    return std::find(all.begin(), all.end(), n) != all.end() ? n : "";
}

RbCasesResult rb_cases_of(const EventLog& log, ObjId ep) {
    RbCasesResult r;
    EventSpan ev = log.events;
    std::size_t op = ev.size();
    for (std::size_t i = ev.size(); i-- > 0;)
        if (ev[i].a == ep && (ev[i].type == EventType::RbLink || ev[i].type == EventType::RbEraseUnlink)) {
            op = i;
            break;
        }
    if (op == ev.size()) return r;
    r.has_op = true;
    r.op_event = op;
    // rb_link_node is followed at once by rb_insert_color, the unlink by the rebalance: the
    // steps are the events right after it, up to the first one that is not a fix-up of ep.
    for (std::size_t i = op + 1; i < ev.size() && ev[i].a == ep && is_fixup(ev[i].type); ++i)
        r.cases.push_back(rb_case_name(ev[i].type));
    return r;
}

}  // namespace epsim::scn
