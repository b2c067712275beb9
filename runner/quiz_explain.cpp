// quiz_explain.cpp - why the answer is what it is, from the model's event log.
//
// For an epoll_wait the harvest of the call is found in the log (ep_start_scan .. the call's
// syscall exit); what happened to each item there (reported and requeued, ET done, ONESHOT
// disarmed, stale and dropped, left on the list by maxevents) and why the other items of the
// interest list were not reported (disarmed, no wake-up since their last report) is said in a
// line each. Errors get the kernel's reason for that errno; fdinfo gets what its masks show.
#include <cstdlib>
#include <map>
#include <set>

#include "runner/quiz.h"
#include "runner/rb_cases.h"
#include "sim/kernel.h"
#include "sim/uapi.h"

namespace epsim::quiz {
namespace {

using Events = EventVector;

bool is_wait_call(const std::string& call) {
    return call.find("epoll_wait(") != std::string::npos || call.find("epoll_pwait(") != std::string::npos ||
           call.find("epoll_pwait2(") != std::string::npos;
}

// epitem id -> the name it was registered under
std::map<ObjId, std::string> epitem_names(const Question& q, const Events& log) {
    std::map<ObjId, std::string> names;
    for (const Registration& r : q.registrations)
        for (std::size_t i = r.first_event; i < r.end_event && i < log.size(); ++i)
            if (log[i].type == EventType::EpiAlloc) names[log[i].b] = r.name;
    return names;
}

std::string name_of(const std::map<ObjId, std::string>& names, ObjId epi, const Kernel& k) {
    auto it = names.find(epi);
    if (it != names.end()) return it->second;
    const Epitem* e = k.epitem(epi);
    return e ? "fd " + std::to_string(e->ffd.fd) : "epitem #" + std::to_string(epi);
}

std::string error_reason(const std::string& call, int err) {
    const bool ctl = call.find("epoll_ctl(") != std::string::npos;
    const bool wait = is_wait_call(call);
    switch (err) {
        case EEXIST: return "this (file, fd) pair is already in the interest list: ep_find found it";
        case ENOENT:
            return ctl ? "no registration has this (file, fd) key: ep_find found nothing (a dup'd fd is a different key)"
                       : "no such entry";
        case EBADF: return "the fd is not open (closed, or never opened): fdget fails before anything else";
        case ELOOP:
            return "the add would close a loop of epoll instances, or nest them more than 4 levels deep (ep_loop_check)";
        case EPERM: return "the target does not support poll (a regular file or a directory), so epoll refuses it";
        case EINVAL:
            return ctl ? "EINVAL: an epoll cannot watch itself, EPOLLEXCLUSIVE is refused with MOD and on an epoll "
                         "target, and epfd must be an epoll"
                 : wait ? "EINVAL: maxevents must be between 1 and INT_MAX / sizeof(struct epoll_event), and epfd an epoll"
                        : "the arguments are invalid";
        case EAGAIN: return "nothing there right now and the fd is non-blocking: it would block, so EAGAIN";
        case EINTR: return "a signal interrupted the sleep; epoll_wait is never restarted after a handler";
        case EPIPE: return "no reader is left on the pipe: the write fails with EPIPE (and SIGPIPE, ignored here)";
        case ENOTCONN: return "the socket is not connected";
        case ECONNRESET: return "the peer closed with unread data: the connection was reset";
        default: return std::string("the call fails with ") + errno_name(err);
    }
}

struct CallSpan {
    ObjId task = 0;
    std::string record;            // "epoll_wait(3, [...], 8, 0)"
    std::size_t exit = SIZE_MAX;   // index of the call's syscall.exit
    std::size_t scan = SIZE_MAX;   // index of its ep_start_scan (txlist.start_scan)
    ObjId ep = 0;
};

CallSpan find_call(const Question& q, const Kernel& k) {
    const Events& log = k.log.events;
    CallSpan c;
    std::size_t i = q.call_first_event;
    for (; i < log.size() && log[i].type != EventType::SyscallEnter; ++i) {}
    if (i >= log.size()) return c;
    c.task = log[i].a;
    if (k.log.syscalls.held(log[i].c)) c.record = k.log.syscalls[log[i].c].text;
    for (std::size_t j = i + 1; j < log.size(); ++j)
        if (log[j].type == EventType::SyscallExit && log[j].a == c.task) {
            c.exit = j;
            break;
        }
    if (c.exit == SIZE_MAX) return c;
    for (std::size_t j = c.exit; j-- > i;) {
        if (log[j].type == EventType::TxStart) {
            c.scan = j;
            c.ep = log[j].a;
            break;
        }
    }
    return c;
}

int record_arg(const std::string& rec, int n) {  // "epoll_wait(3, [...], 8, 0)" -> arg n as a number
    std::size_t p = rec.find('(');
    for (int i = 0; i < n && p != std::string::npos; ++i) p = rec.find(',', p + 1);
    return p == std::string::npos ? -1 : std::atoi(rec.c_str() + p + 1);
}

void explain_wait(const Question& q, const Kernel& k, std::vector<std::string>& out) {
    const Events& log = k.log.events;
    const auto names = epitem_names(q, log);
    CallSpan c = find_call(q, k);
    if (c.exit == SIZE_MAX) return;
    const int maxevents = record_arg(c.record, 2);
    if (c.scan == SIZE_MAX) {
        out.push_back(q.model.ret == 0 ? "nothing was on the ready list, so there was nothing to harvest: 0 events"
                                       : "the call returned without a harvest");
        if (q.model.ret == 0 && log[c.exit].x == 0) {
            bool slept = false;
            for (std::size_t j = q.call_first_event; j < c.exit; ++j)
                slept = slept || (log[j].type == EventType::SyscallBlock && log[j].a == c.task);
            if (slept) out.push_back("it slept until the timeout expired; no wake-up queued an item before that");
        }
        return;
    }
    std::set<ObjId> seen;
    int reported = 0;
    for (std::size_t j = c.scan; j < c.exit; ++j) {
        const Event& e = log[j];
        if (e.a != c.ep) continue;
        const std::string who = name_of(names, e.b, k);
        switch (e.type) {
            case EventType::Report: {
                ++reported;
                seen.insert(e.b);
                std::string then;
                for (std::size_t n = j + 1; n < c.exit; ++n) {
                    const Event& f = log[n];
                    if (f.b != e.b || f.a != c.ep) continue;
                    if (f.type == EventType::LtRequeue) then = "level-triggered: put back on the ready list, so it is polled again next time";
                    else if (f.type == EventType::EtDone) then = "edge-triggered: not put back; the next report needs a new wake-up";
                    else if (f.type == EventType::EpiDisarm) then = "EPOLLONESHOT disarmed it: silent until EPOLL_CTL_MOD re-arms it";
                    else continue;
                    break;
                }
                out.push_back(who + " reported " + epoll_mask_str(static_cast<std::uint32_t>(e.x)) +
                              " (its poll now: revents is a fresh snapshot)" + (then.empty() ? "" : "; " + then));
                break;
            }
            case EventType::StaleDrop:
                seen.insert(e.b);
                out.push_back(who + " was on the ready list but its poll found nothing it asks for: dropped without a "
                                    "report (a stale entry)");
                break;
            case EventType::TxPutBack:
                if (e.x > 0)
                    out.push_back("maxevents " + std::to_string(maxevents) + ": " + std::to_string(e.x) +
                                  " ready item(s) not reached were put back at the head of the ready list, first in "
                                  "line for the next call");
                break;
            case EventType::OvfDrain:
                out.push_back(who + " was woken during the scan: it waited on ovflist and went to the head of the ready "
                                    "list when the scan ended");
                break;
            default: break;
        }
    }
    if (reported > 1)
        out.push_back("the order is the ready list's: items are queued at its tail as their wake-ups arrive; LT items "
                      "reported earlier were requeued at the tail");
    // The other items of this instance: why were they not reported?
    std::map<ObjId, std::uint32_t> alive;  // epitem -> its events, as of the call
    for (std::size_t j = 0; j < c.exit; ++j) {
        const Event& e = log[j];
        if (e.a != c.ep) continue;
        if (e.type == EventType::EpiAlloc) alive[e.b] = static_cast<std::uint32_t>(e.y);
        if (e.type == EventType::EpiSetEvents && alive.count(e.b)) alive[e.b] = static_cast<std::uint32_t>(e.x);
        if (e.type == EventType::EpiDisarm && alive.count(e.b)) alive[e.b] = static_cast<std::uint32_t>(e.x);
        if (e.type == EventType::EpiFree) alive.erase(e.b);
    }
    for (const auto& [epi, events] : alive) {
        if (seen.count(epi)) continue;
        const std::string who = name_of(names, epi, k);
        if ((events & ~EP_PRIVATE_BITS) == 0) {
            out.push_back(who + " was not reported: a disarmed EPOLLONESHOT item ignores every wake-up until "
                                "EPOLL_CTL_MOD re-arms it");
            continue;
        }
        // Since its last report (or its registration): was it queued, or did a wake-up miss its mask?
        std::size_t since = 0;
        for (std::size_t j = c.scan; j-- > 0;)
            if (log[j].a == c.ep && log[j].b == epi && (log[j].type == EventType::Report || log[j].type == EventType::EpiAlloc)) {
                since = j;
                break;
            }
        const bool had_report = log[since].type == EventType::Report;
        bool queued = false, masked = false;
        for (std::size_t j = since; j < c.scan; ++j) {
            const Event& e = log[j];
            if (e.a != c.ep || e.b != epi) continue;
            if (e.type == EventType::RdlAddTail || e.type == EventType::RdlAddHead) queued = true;
            if (e.type == EventType::Callback && e.y == static_cast<std::uint64_t>(CallbackDecision::IgnoredMask))
                masked = true;
        }
        if (queued) {
            out.push_back(who + " was queued but not reached: maxevents " + std::to_string(maxevents) +
                          " stopped the harvest first");
        } else if (masked) {
            out.push_back(who + " was not reported: a wake-up came, but its key shares no bit with the interest mask");
        } else {
            out.push_back(who + " was not reported: no wake-up queued it since " +
                          (had_report ? "its last report" : "it was added") +
                          ((events & EPOLLET) ? " (edge-triggered: being ready is not enough, a new wake-up is needed)"
                                              : " (epoll_wait only polls items on the ready list)"));
        }
    }
}

void explain_fdinfo(const Question& q, std::vector<std::string>& out) {
    out.push_back("the kernel adds EPOLLERR|EPOLLHUP to every interest mask: they cannot be masked out");
    for (const scn::TraceInterest& it : q.model.interest) {
        if ((it.events & ~EP_PRIVATE_BITS) == 0)
            out.push_back(it.fd + " shows only private bits (" + epoll_mask_str(it.events) +
                          "): a disarmed EPOLLONESHOT item");
    }
    out.push_back("fdinfo lists items in rb-tree order (by file address, not by fd): compare it as a set");
}

// rb_cases: replay the insert's or erase's fix-up from the log, one line per step, naming the
// nodes (epitems) by their registrations. Operands per step: see sim/rbtree.h's RbStep.
void explain_rb_cases(const Question& q, const Kernel& k, std::vector<std::string>& out) {
    const Events& log = k.log.events;
    const std::size_t op = q.model.rb_op_event;
    if (op >= log.size()) {
        out.push_back("the tree has not changed since the instance was created: no fix-up to report");
        return;
    }
    const auto names = epitem_names(q, log);
    auto name = [&](ObjId epi) { return name_of(names, epi, k); };
    const Event& head = log[op];
    if (head.type == EventType::RbLink) {
        out.push_back(head.c == 0 ? name(head.b) + " was linked as the root of an empty tree (new nodes are red)"
                                  : name(head.b) + " was linked red as the " + (head.x ? "left" : "right") +
                                        " child of " + name(head.c) + ": keys compare by (file address, fd)");
    } else {
        out.push_back(name(head.b) + " was unlinked" +
                      (head.c ? "; it had two children, so its successor " + name(head.c) + " took its place and colour"
                              : ""));
    }
    // The fix-up steps follow the link (or unlink) at once; see rb_cases_of.
    for (std::size_t i = op + 1; i < log.size() && log[i].a == head.a && !scn::rb_case_name(log[i].type).empty(); ++i) {
        const Event& e = log[i];
        const std::string s = name(e.b), o = e.c ? name(e.c) : "";
        switch (e.type) {
            case EventType::RbInsertRootBlack:
                out.push_back("root_black: " + s + " is the root, so it is painted black (the root is always black)");
                break;
            case EventType::RbInsertParentBlack:
                out.push_back("parent_black: " + s + "'s parent is black; a red child under a black parent breaks no rule: done");
                break;
            case EventType::RbInsertCase1:
                out.push_back("case1.recolor at " + s + ": the uncle was red, so the parent and the uncle turn black and "
                              "the grandparent " + s + " red; " + s + " may now clash with its own parent, so the fix-up "
                              "continues there");
                break;
            case EventType::RbInsertCase2Left:
            case EventType::RbInsertCase2Right: {
                const bool left = e.type == EventType::RbInsertCase2Left;
                out.push_back(std::string(left ? "case2.rotate_left" : "case2.rotate_right") + " at " + s +
                              ": the uncle was black and " + o + " the inner child (the " + (left ? "right" : "left") +
                              " child of a " + (left ? "left" : "right") + " child), so rotate at the parent " + s +
                              ": " + o + " moves up and " + s + " becomes the outer child, ready for case 3");
                break;
            }
            case EventType::RbInsertCase3Left:
            case EventType::RbInsertCase3Right: {
                const bool right = e.type == EventType::RbInsertCase3Right;
                out.push_back(std::string(right ? "case3.rotate_right" : "case3.rotate_left") + " at " + s +
                              ": the uncle was black and the red pair is on the outside (" + (right ? "left of left" : "right of right") +
                              "), so rotate at the grandparent " + s + ": the parent " + o +
                              " takes its place, painted black, and " + s + " turns red: done");
                break;
            }
            case EventType::RbEraseRecolorBlack:
                out.push_back("recolor_black: " + s + " was red; painting it black restores the missing black: done");
                break;
            case EventType::RbEraseCase1Left:
            case EventType::RbEraseCase1Right:
                out.push_back(scn::rb_case_name(e.type) + " at " + s + ": the sibling " + o + " was red; rotate at the "
                              "parent so the short side gets a black sibling, then go on");
                break;
            case EventType::RbEraseCase2:
                out.push_back("case2.recolor: the sibling " + s + " and both its children were black; " + s +
                              " turns red and the missing black moves up to the parent");
                break;
            case EventType::RbEraseCase3Left:
            case EventType::RbEraseCase3Right:
                out.push_back(scn::rb_case_name(e.type) + " at " + s + ": the sibling was black with a red near child " + o +
                              " and a black far one; rotate at the sibling so the red child is on the far side");
                break;
            case EventType::RbEraseCase4Left:
            case EventType::RbEraseCase4Right:
                out.push_back(scn::rb_case_name(e.type) + " at " + s + ": the sibling " + o + " was black with a red far "
                              "child; rotate at the parent and recolour: the short side gains a black node: done");
                break;
            default: break;
        }
    }
}

void explain_rb(const Question& q, const Kernel& k, std::vector<std::string>& out) {
    std::string cases;
    for (std::size_t j = q.call_first_event; j < q.model.end_event && j < k.log.events.size(); ++j) {
        EventType t = k.log.events[j].type;
        if (t >= EventType::RbInsertRootBlack && t <= EventType::RbEraseCase4Right)
            cases += (cases.empty() ? "" : ", ") + std::string(event_type_name(t));
    }
    if (!cases.empty()) out.push_back("rb tree: " + cases);
}

}  // namespace

std::vector<std::string> explain(const Question& q, const Kernel& model) {
    std::vector<std::string> out;
    const scn::Step& m = q.model;
    if (m.err) {
        out.push_back(error_reason(m.call, m.err));
    } else if (q.kind == AnswerKind::RbCases) {
        explain_rb_cases(q, model, out);
    } else if (q.kind == AnswerKind::Interest) {
        explain_fdinfo(q, out);
    } else if (is_wait_call(m.call)) {
        explain_wait(q, model, out);
    } else if (m.call.find("poll(") != std::string::npos) {
        out.push_back("poll asks each file now (vfs_poll): revents is its current state, no ready list involved");
    }
    explain_rb(q, model, out);
    return out;
}

}  // namespace epsim::quiz
