// call_text.cpp - the hot calls kept as compact CallArgs: their strace-like text, rendered
// only when read (render_call), and their replay (Kernel::replay_call). The other calls keep
// their text and a replay closure (run_syscall in kernel.h).
#include <cstdio>

#include "kernel.h"

namespace epsim {

static std::string ctl_text(int epfd, int op, int fd, const EpollEvent* ev) {
    const char* ops[] = {"?", "EPOLL_CTL_ADD", "EPOLL_CTL_DEL", "EPOLL_CTL_MOD"};
    std::string s = "epoll_ctl(" + std::to_string(epfd) + ", " + (op >= 1 && op <= 3 ? ops[op] : std::to_string(op)) +
                    ", " + std::to_string(fd) + ", ";
    if (!ev) return s + "NULL)";
    char data[32];
    std::snprintf(data, sizeof data, "0x%llx", static_cast<unsigned long long>(ev->data));
    return s + "{" + epoll_mask_str(ev->events) + ", data=" + data + "})";
}

std::string render_call(const CallArgs& c) {
    switch (static_cast<Sys>(c.op)) {
        case Sys::epoll_ctl: {
            EpollEvent ev{c.d, c.w};
            return ctl_text(c.a, c.b, c.c, c.flags & kCallHasEvent ? &ev : nullptr);
        }
        case Sys::epoll_wait:
            return "epoll_wait(" + std::to_string(c.a) + ", [...], " + std::to_string(c.b) + ", " +
                   std::to_string(c.c) + ")";
        case Sys::epoll_pwait:
            return "epoll_pwait(" + std::to_string(c.a) + ", [...], " + std::to_string(c.b) + ", " +
                   std::to_string(c.c) + ", NULL)";
        case Sys::read: return "read(" + std::to_string(c.a) + ", [...], " + std::to_string(c.w) + ")";
        case Sys::write:
            if (c.flags & kCallEventfd)
                return "write(" + std::to_string(c.a) + ", {" + std::to_string(c.v) + "}, " + std::to_string(c.w) + ")";
            return "write(" + std::to_string(c.a) + ", [...], " + std::to_string(c.w) + ")";
        case Sys::close: return "close(" + std::to_string(c.a) + ")";
        default: return sys_name(static_cast<Sys>(c.op)) + std::string("(?)");
    }
}

void Kernel::replay_call(const CallArgs& c) {
    switch (static_cast<Sys>(c.op)) {
        case Sys::epoll_ctl: {
            EpollEvent ev{c.d, c.w};
            epoll_ctl(c.task, c.a, c.b, c.c, c.flags & kCallHasEvent ? &ev : nullptr);
            return;
        }
        case Sys::epoll_wait: epoll_wait(c.task, c.a, c.b, c.c); return;
        case Sys::epoll_pwait: epoll_pwait(c.task, c.a, c.b, c.c); return;
        case Sys::read: read(c.task, c.a, c.w); return;
        case Sys::write: write(c.task, c.a, c.w, c.v); return;
        case Sys::close: close(c.task, c.a); return;
        default: throw ModelError("replay_call: no compact replay for " + std::string(sys_name(static_cast<Sys>(c.op))));
    }
}

}  // namespace epsim
