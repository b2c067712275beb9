// call_path.cpp - callers rebuilt from the known call structure (see call_path.h).
#include "viz/core/call_path.h"

#include <algorithm>
#include <array>
#include <deque>
#include <utility>

#include "sim/kernel.h"

namespace epsim::viz {

namespace {

using F = KFn;

// Who calls whom (direct calls, or calls through a ->poll / wake function pointer). Facts
// from the kernel sources, written as data; only functions the model logs appear.
constexpr std::pair<F, F> kCalls[] = {
    // epoll_create1 -> do_epoll_create -> ep_alloc, anon_inode_getfile (alloc_file), fd_install
    {F::do_epoll_create, F::alloc_file}, {F::do_epoll_create, F::fd_install},
    // epoll_ctl -> do_epoll_ctl
    {F::do_epoll_ctl, F::ep_find}, {F::do_epoll_ctl, F::ep_loop_check}, {F::do_epoll_ctl, F::ep_insert},
    {F::do_epoll_ctl, F::ep_modify}, {F::do_epoll_ctl, F::ep_remove}, {F::do_epoll_ctl, F::fput},
    {F::ep_loop_check, F::ep_find},
    {F::ep_insert, F::ep_rbtree_insert}, {F::ep_insert, F::attach_epitem}, {F::ep_insert, F::reverse_path_check},
    {F::ep_insert, F::ep_item_poll}, {F::ep_insert, F::wake_up_common}, {F::ep_insert, F::ep_poll_safewake},
    {F::ep_modify, F::ep_item_poll}, {F::ep_modify, F::wake_up_common}, {F::ep_modify, F::ep_poll_safewake},
    {F::ep_remove, F::ep_unregister_pollwait}, {F::ep_remove, F::fput},
    // ep_item_poll -> the file's ->poll (vfs_poll), or __ep_eventpoll_poll for a nested epoll
    {F::ep_item_poll, F::pipe_poll}, {F::ep_item_poll, F::eventfd_poll}, {F::ep_item_poll, F::unix_poll},
    {F::ep_item_poll, F::ep_eventpoll_poll},
    // ->poll -> poll_wait -> the poll table's function (ep_ptable_queue_proc when inserting)
    {F::pipe_poll, F::ep_ptable_queue_proc}, {F::eventfd_poll, F::ep_ptable_queue_proc},
    {F::unix_poll, F::ep_ptable_queue_proc}, {F::ep_eventpoll_poll, F::ep_ptable_queue_proc},
    // __ep_eventpoll_poll scans the nested instance's ready list: start/done scan, item polls
    {F::ep_eventpoll_poll, F::ep_start_scan}, {F::ep_eventpoll_poll, F::ep_item_poll},
    {F::ep_eventpoll_poll, F::ep_done_scan},
    // epoll_wait -> do_epoll_wait -> ep_poll
    {F::ep_poll, F::ep_send_events}, {F::ep_poll, F::schedule_hrtimeout_range}, {F::ep_poll, F::fput},
    {F::ep_poll, F::wake_up_common},
    {F::schedule_hrtimeout_range, F::hrtimer_wakeup},
    {F::ep_send_events, F::ep_start_scan}, {F::ep_send_events, F::ep_item_poll}, {F::ep_send_events, F::ep_done_scan},
    {F::ep_done_scan, F::wake_up_common}, {F::ep_done_scan, F::ep_poll_safewake},
    // wake-ups
    {F::ep_poll_safewake, F::wake_up_common},
    {F::wake_up_common, F::ep_poll_callback}, {F::wake_up_common, F::ep_autoremove_wake_function},
    {F::ep_poll_callback, F::wake_up_common}, {F::ep_poll_callback, F::ep_poll_safewake},
    {F::ep_autoremove_wake_function, F::try_to_wake_up},
    {F::hrtimer_wakeup, F::try_to_wake_up}, {F::signal_wake_up, F::try_to_wake_up},
    // files: writers and readers wake their queues
    {F::pipe_write, F::wake_up_common}, {F::pipe_read, F::wake_up_common},
    {F::eventfd_write, F::wake_up_common}, {F::eventfd_read, F::wake_up_common},
    {F::unix_stream_sendmsg, F::sock_def_readable}, {F::unix_stream_recvmsg, F::unix_write_space},
    {F::unix_stream_connect, F::sock_def_readable}, {F::unix_stream_connect, F::alloc_file},
    {F::unix_shutdown, F::sock_def_wakeup}, {F::unix_release_sock, F::sock_def_wakeup},
    {F::unix_release_sock, F::unix_write_space}, {F::unix_release_sock, F::fput},
    {F::sock_def_readable, F::wake_up_common}, {F::sock_def_wakeup, F::wake_up_common},
    {F::unix_write_space, F::wake_up_common},
    {F::unix_accept, F::alloc_file}, {F::unix_accept, F::fd_install},
    {F::unix_socketpair, F::alloc_file}, {F::unix_socketpair, F::fd_install},
    {F::sys_socket, F::alloc_file}, {F::sys_socket, F::fd_install},
    {F::do_pipe2, F::alloc_file}, {F::do_pipe2, F::fd_install},
    {F::do_eventfd, F::alloc_file}, {F::do_eventfd, F::fd_install},
    // closing: close_fd -> fput -> __fput -> ->release, eventpoll_release_file
    {F::close_fd, F::fput}, {F::fput, F::fput_last},
    {F::fput_last, F::eventpoll_release_file}, {F::fput_last, F::pipe_release}, {F::fput_last, F::eventfd_release},
    {F::fput_last, F::unix_release_sock}, {F::fput_last, F::ep_clear_and_put},
    {F::eventpoll_release_file, F::ep_remove}, {F::eventpoll_release_file, F::ep_unregister_pollwait},
    {F::ep_clear_and_put, F::ep_unregister_pollwait}, {F::ep_clear_and_put, F::ep_remove},
    {F::ep_clear_and_put, F::ep_free}, {F::ep_clear_and_put, F::ep_poll_safewake},
    {F::ep_free, F::fput},
    {F::pipe_release, F::wake_up_common}, {F::eventfd_release, F::wake_up_common},
    // fds
    {F::do_dup2, F::fd_install}, {F::do_dup2, F::fput}, {F::do_fcntl, F::fd_install},
    {F::copy_process, F::fput},
    // poll(2)
    {F::do_sys_poll, F::pipe_poll}, {F::do_sys_poll, F::eventfd_poll}, {F::do_sys_poll, F::unix_poll},
    {F::do_sys_poll, F::ep_eventpoll_poll}, {F::do_sys_poll, F::schedule_hrtimeout_range},
    // fdinfo
    {F::ep_show_fdinfo, F::ep_item_poll},
};

// The entry function of each syscall (what its SYSCALL_DEFINE calls first).
std::vector<F> entries(Sys s) {
    switch (s) {
        case Sys::epoll_create:
        case Sys::epoll_create1: return {F::do_epoll_create};
        case Sys::epoll_ctl: return {F::do_epoll_ctl};
        case Sys::epoll_wait:
        case Sys::epoll_pwait:
        case Sys::epoll_pwait2: return {F::ep_poll};
        case Sys::pipe2: return {F::do_pipe2};
        case Sys::eventfd2: return {F::do_eventfd};
        case Sys::socketpair: return {F::unix_socketpair};
        case Sys::socket: return {F::sys_socket};
        case Sys::bind: return {F::unix_bind};
        case Sys::listen: return {F::unix_listen};
        case Sys::connect: return {F::unix_stream_connect};
        case Sys::accept4: return {F::unix_accept};
        case Sys::open: return {F::alloc_file, F::fd_install};
        case Sys::read: return {F::pipe_read, F::eventfd_read, F::unix_stream_recvmsg};
        case Sys::write: return {F::pipe_write, F::eventfd_write, F::unix_stream_sendmsg};
        case Sys::shutdown: return {F::unix_shutdown};
        case Sys::close: return {F::close_fd};
        case Sys::dup:
        case Sys::dup2: return {F::do_dup2, F::fd_install, F::fput};
        case Sys::fcntl: return {F::do_fcntl};
        case Sys::poll: return {F::do_sys_poll};
        case Sys::fork:
        case Sys::clone: return {F::copy_process};
        case Sys::fdinfo: return {F::ep_show_fdinfo};
        default: return {};
    }
}

constexpr std::size_t kN = static_cast<std::size_t>(F::Count_);

const std::array<std::vector<F>, kN>& callees() {
    static const std::array<std::vector<F>, kN> table = [] {
        std::array<std::vector<F>, kN> t;
        for (const auto& [a, b] : kCalls) t[static_cast<std::size_t>(a)].push_back(b);
        return t;
    }();
    return table;
}

// The shortest chain of calls from `from` (exclusive) down to `to` (inclusive); empty if none.
// A context root (F::none) calls the syscall's entry functions.
std::vector<F> chain(F from, const std::vector<F>& root_calls, F to) {
    std::array<int, kN> prev;
    prev.fill(-2);
    std::deque<F> q;
    auto next_of = [&](F f) -> const std::vector<F>& { return f == F::none ? root_calls : callees()[static_cast<std::size_t>(f)]; };
    prev[static_cast<std::size_t>(from)] = -1;
    q.push_back(from);
    while (!q.empty()) {
        const F f = q.front();
        q.pop_front();
        for (F g : next_of(f)) {
            auto& p = prev[static_cast<std::size_t>(g)];
            if (p != -2) continue;
            p = static_cast<int>(f);
            if (g == to) {
                std::vector<F> out{g};
                for (F c = f; c != from; c = static_cast<F>(prev[static_cast<std::size_t>(c)])) out.push_back(c);
                std::reverse(out.begin(), out.end());
                return out;
            }
            q.push_back(g);
        }
    }
    return {};
}


bool is_rb_event(const Event& e) {
    const char* n = event_type_name(e.type);
    return n[0] == 'r' && n[1] == 'b' && n[2] == '.';
}

// The instance an eventpoll event is about (operand a), 0 for the others.
ObjId ep_of(const Event& e) {
    switch (e.type) {
        case EventType::EpiAlloc:
        case EventType::EpiFree:
        case EventType::EpiSetEvents:
        case EventType::EpiDisarm:
        case EventType::RdlAddTail:
        case EventType::RdlAddHead:
        case EventType::RdlDel:
        case EventType::TxStart:
        case EventType::TxTake:
        case EventType::TxPutBack:
        case EventType::OvfActivate:
        case EventType::OvfPush:
        case EventType::OvfDrain:
        case EventType::OvfDeactivate:
        case EventType::Report:
        case EventType::StaleDrop:
        case EventType::LtRequeue:
        case EventType::EtDone:
        case EventType::Callback: return e.a;
        default: return is_rb_event(e) ? e.a : 0;
    }
}

}  // namespace

// Where a running context begins: a syscall, a paused harvest resumed, a task running again in
// ep_poll after its sleep, a timer expiring, a signal sent by the scenario.
bool starts_context(const Event& e) {
    return e.type == EventType::SyscallEnter || e.type == EventType::Resume || e.type == EventType::Signal ||
           (e.type == EventType::Clock && e.fn == KFn::hrtimer_wakeup) ||
           (e.type == EventType::TaskState && e.fn == KFn::ep_poll && e.x == static_cast<std::uint64_t>(TaskState::Running));
}

bool calls(KFn caller, KFn callee) {
    const auto& v = callees()[static_cast<std::size_t>(caller)];
    return std::find(v.begin(), v.end(), callee) != v.end();
}

std::vector<std::string> call_path(EventSpan events, std::size_t index, int* unplaced) {
    std::vector<std::string> out;
    if (index >= events.size()) return out;
    std::size_t start = index;
    while (start > 0 && !starts_context(events[start])) --start;
    const Event& s = events[start];
    if (!starts_context(s)) return out;
    // A context that ended before `index` (its syscall returned) leaves nothing running.
    for (std::size_t i = start + 1; i < index; ++i)
        if (events[i].type == EventType::SyscallExit) return out;
    std::vector<F> root_calls;
    if (s.type == EventType::SyscallEnter) {
        out.push_back(std::string(sys_name(static_cast<Sys>(s.b))) + "()");
        root_calls = entries(static_cast<Sys>(s.b));
    } else if (s.type == EventType::Signal) {
        out.push_back("signal sent");
        root_calls = {F::signal_wake_up};
    } else if (s.type == EventType::Clock) {
        out.push_back("timer expired");
        root_calls = {F::hrtimer_wakeup};
    } else {
        // The task goes on inside ep_poll, where it slept (or where the harvest paused).
        out.push_back(s.type == EventType::Resume ? "epoll_wait() resumed" : "epoll_wait() woken");
        root_calls = {F::ep_poll};
    }
    // The frames; F::none is the context root. A __wake_up_common frame remembers its queue:
    // walks nest (a callback wakes ep->wq), and wq.wake.entry names the walk it returns to.
    // An eventpoll function's frame remembers its instance: an event about another instance
    // under it is a nested epoll polled through ep_item_poll > ep_eventpoll_poll.
    struct Frame {
        F f;
        ObjId queue = 0;
        ObjId ep = 0;
    };
    // At its syscall.exit the call is returning to user space: only the syscall is left.
    if (events[index].type == EventType::SyscallExit) return out;
    std::vector<Frame> stack{{F::none}};
    auto other_ep = [](const Frame& fr, ObjId ep) { return fr.ep && ep && fr.ep != ep; };
    auto push_chain = [&](const std::vector<F>& c, ObjId ep) {
        for (F g : c) stack.push_back({g, 0, g == c.back() || g == F::ep_eventpoll_poll ? ep : 0});
    };
    auto enter = [&](F f, ObjId ep) {
        if (f == F::none) return;
        if (stack.back().f == f && !other_ep(stack.back(), ep)) {
            if (!stack.back().ep) stack.back().ep = ep;
            return;
        }
        // 1. Called by a frame on the stack directly (the innermost such): what ran above it
        //    has returned. A recursive call (a nested walk's ep_poll_callback) is a new frame.
        for (std::size_t i = stack.size(); i-- > 0;) {
            const bool direct = stack[i].f == F::none ? std::find(root_calls.begin(), root_calls.end(), f) != root_calls.end()
                                                      : calls(stack[i].f, f);
            if (!direct || (other_ep(stack[i], ep) && stack[i].f != F::ep_eventpoll_poll)) continue;
            stack.resize(i + 1);
            stack.push_back({f, 0, ep});
            return;
        }
        // 2. Still running further down: back in it.
        for (std::size_t i = stack.size(); i-- > 1;)
            if (stack[i].f == f && !other_ep(stack[i], ep)) {
                stack.resize(i + 1);
                if (!stack.back().ep) stack.back().ep = ep;
                return;
            }
        // 3. Reached through callers that logged nothing yet: the shortest chain from the
        //    deepest frame that has one (through ep_eventpoll_poll for another instance).
        for (std::size_t i = stack.size(); i-- > 0;) {
            std::vector<F> c;
            if (other_ep(stack[i], ep)) {
                c = chain(stack[i].f, root_calls, F::ep_eventpoll_poll);
                if (!c.empty() && f != F::ep_eventpoll_poll) {
                    std::vector<F> d = chain(F::ep_eventpoll_poll, root_calls, f);
                    if (d.empty()) c.clear();
                    c.insert(c.end(), d.begin(), d.end());
                }
            } else {
                c = chain(stack[i].f, root_calls, f);
            }
            if (c.empty()) continue;
            stack.resize(i + 1);
            push_chain(c, ep);
            return;
        }
        stack.push_back({f, 0, ep});  // not in the table: on top
        if (unplaced) ++*unplaced;
    };
    for (std::size_t i = start; i <= index; ++i) {  // the start event too: it may name a function
        const Event& e = events[i];
        if (e.type == EventType::SyscallExit) break;
        if (e.type == EventType::WakeBegin) {
            // Logged by the caller of __wake_up_common, which starts a walk of queue e.a.
            enter(e.fn, 0);
            stack.push_back({F::wake_up_common, e.a});
            continue;
        }
        if (e.type == EventType::WakeEntry) {
            // An entry of walk e.a returned: back in that walk.
            bool found = false;
            for (std::size_t j = stack.size(); j-- > 1 && !found;)
                if (stack[j].f == F::wake_up_common && stack[j].queue == e.a) {
                    stack.resize(j + 1);
                    found = true;
                }
            if (found) continue;
        }
        enter(e.fn, ep_of(e));
    }
    for (std::size_t i = 1; i < stack.size(); ++i) out.push_back(kfn_name(stack[i].f));
    return out;
}

}  // namespace epsim::viz
