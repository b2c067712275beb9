// calls.cpp - the scenario function table and the named constants.
#include "calls.h"

#include <array>
#include <utility>

#include "sim/uapi.h"

namespace epsim::scn {

const std::vector<FnInfo>& scenario_functions() {
    static const std::vector<FnInfo> table = {
        {"epoll_create", CallKind::EpollCreate, 1, 1, {}, Returns::Fd, {}, "epoll_create(SIZE)"},
        {"epoll_create1", CallKind::EpollCreate1, 1, 1, {}, Returns::Fd, {}, "epoll_create1(FLAGS)"},
        {"epoll_ctl", CallKind::EpollCtl, 3, 4, {"data"}, Returns::Value, {}, "epoll_ctl(ep, ADD|MOD|DEL, fd, EVENTS|NULL, data=N)"},
        {"epoll_wait", CallKind::EpollWait, 3, 3, {}, Returns::Events, {}, "epoll_wait(ep, MAXEVENTS, TIMEOUT_MS)"},
        {"epoll_pwait", CallKind::EpollPwait, 3, 3, {}, Returns::Events, {}, "epoll_pwait(ep, MAXEVENTS, TIMEOUT_MS)"},
        {"epoll_pwait2", CallKind::EpollPwait2, 3, 3, {}, Returns::Events, {}, "epoll_pwait2(ep, MAXEVENTS, {SEC, NSEC} | NULL)"},
        {"pipe", CallKind::Pipe, 0, 1, {}, Returns::Pair, {"r", "w"}, "p = pipe(FLAGS)   # p.r, p.w"},
        {"eventfd", CallKind::Eventfd, 1, 2, {}, Returns::Fd, {}, "eventfd(INITVAL, FLAGS)"},
        {"socketpair", CallKind::Socketpair, 0, 1, {}, Returns::Pair, {"a", "b"}, "s = socketpair(FLAGS)   # s.a, s.b"},
        {"socket", CallKind::Socket, 0, 1, {}, Returns::Fd, {}, "socket(FLAGS)   # AF_UNIX, SOCK_STREAM"},
        {"bind", CallKind::Bind, 2, 2, {}, Returns::Value, {}, "bind(fd, \"name\")   # abstract name"},
        {"listen", CallKind::Listen, 2, 2, {}, Returns::Value, {}, "listen(fd, BACKLOG)"},
        {"connect", CallKind::Connect, 2, 2, {}, Returns::Value, {}, "connect(fd, \"name\")"},
        {"accept", CallKind::Accept, 1, 2, {}, Returns::Fd, {}, "accept(fd, FLAGS)"},
        {"open_file", CallKind::OpenFile, 0, 0, {}, Returns::Fd, {}, "open_file()   # a regular file"},
        {"read", CallKind::Read, 2, 2, {}, Returns::Value, {}, "read(fd, LEN)"},
        {"write", CallKind::Write, 2, 2, {"value"}, Returns::Value, {}, "write(fd, LEN)  or  write(efd, 8, value=N)"},
        {"shutdown", CallKind::Shutdown, 2, 2, {}, Returns::Value, {}, "shutdown(fd, SHUT_RD|SHUT_WR|SHUT_RDWR)"},
        {"close", CallKind::Close, 1, 1, {}, Returns::Value, {}, "close(fd)"},
        {"dup", CallKind::Dup, 1, 1, {}, Returns::Fd, {}, "d = dup(fd)"},
        {"dup2", CallKind::Dup2, 2, 2, {}, Returns::Fd, {}, "dup2(OLDFD, NEWFD)"},
        {"fcntl", CallKind::Fcntl, 2, 3, {}, Returns::Value, {}, "fcntl(fd, F_SETFL, O_NONBLOCK)"},
        {"poll", CallKind::Poll, 2, 2, {}, Returns::Revents, {}, "poll([fd: POLLIN, fd2: POLLOUT], TIMEOUT_MS)"},
        {"fork", std::nullopt, 0, 0, {}, Returns::Process, {}, "child = fork()"},
        {"fdinfo", std::nullopt, 1, 1, {}, Returns::Fdinfo, {}, "fdinfo(ep) == {fd: EVENTS data=N, ...}"},
        {"rb_cases", std::nullopt, 1, 1, {}, Returns::RbCases, {}, "rb_cases(ep) == [case1.recolor, root_black]   (inside model_only)"},
    };
    return table;
}

const FnInfo* find_function(std::string_view name) {
    for (const auto& f : scenario_functions())
        if (f.name == name) return &f;
    return nullptr;
}

namespace {
const std::vector<std::pair<std::string_view, std::int64_t>>& constants() {
    static const std::vector<std::pair<std::string_view, std::int64_t>> c = {
        {"ADD", EPOLL_CTL_ADD}, {"DEL", EPOLL_CTL_DEL}, {"MOD", EPOLL_CTL_MOD},
        {"EPOLL_CTL_ADD", EPOLL_CTL_ADD}, {"EPOLL_CTL_DEL", EPOLL_CTL_DEL}, {"EPOLL_CTL_MOD", EPOLL_CTL_MOD},
        {"EPOLLIN", EPOLLIN}, {"EPOLLPRI", EPOLLPRI}, {"EPOLLOUT", EPOLLOUT}, {"EPOLLERR", EPOLLERR},
        {"EPOLLHUP", EPOLLHUP}, {"EPOLLNVAL", EPOLLNVAL}, {"EPOLLRDNORM", EPOLLRDNORM}, {"EPOLLRDBAND", EPOLLRDBAND},
        {"EPOLLWRNORM", EPOLLWRNORM}, {"EPOLLWRBAND", EPOLLWRBAND}, {"EPOLLMSG", EPOLLMSG}, {"EPOLLRDHUP", EPOLLRDHUP},
        {"EPOLLEXCLUSIVE", EPOLLEXCLUSIVE}, {"EPOLLWAKEUP", EPOLLWAKEUP}, {"EPOLLONESHOT", EPOLLONESHOT},
        {"EPOLLET", EPOLLET},
        {"POLLIN", POLLIN}, {"POLLPRI", EPOLLPRI}, {"POLLOUT", POLLOUT}, {"POLLERR", POLLERR}, {"POLLHUP", POLLHUP},
        {"POLLNVAL", POLLNVAL}, {"POLLRDNORM", EPOLLRDNORM}, {"POLLRDBAND", EPOLLRDBAND}, {"POLLWRNORM", EPOLLWRNORM},
        {"POLLWRBAND", EPOLLWRBAND}, {"POLLRDHUP", EPOLLRDHUP},
        {"O_NONBLOCK", O_NONBLOCK}, {"O_CLOEXEC", O_CLOEXEC}, {"EPOLL_CLOEXEC", EPOLL_CLOEXEC},
        {"EFD_SEMAPHORE", EFD_SEMAPHORE}, {"EFD_NONBLOCK", EFD_NONBLOCK}, {"EFD_CLOEXEC", EFD_CLOEXEC},
        {"SOCK_NONBLOCK", SOCK_NONBLOCK}, {"SOCK_CLOEXEC", SOCK_CLOEXEC},
        {"SHUT_RD", SHUT_RD}, {"SHUT_WR", SHUT_WR}, {"SHUT_RDWR", SHUT_RDWR},
        {"F_DUPFD", F_DUPFD}, {"F_GETFD", F_GETFD}, {"F_SETFD", F_SETFD}, {"F_GETFL", F_GETFL},
        {"F_SETFL", F_SETFL}, {"F_DUPFD_CLOEXEC", F_DUPFD_CLOEXEC}, {"FD_CLOEXEC", FD_CLOEXEC},
    };
    return c;
}
}  // namespace

std::optional<std::int64_t> find_constant(std::string_view name) {
    for (const auto& [n, v] : constants())
        if (n == name) return v;
    return std::nullopt;
}

std::vector<std::string_view> constant_names() {
    std::vector<std::string_view> v;
    for (const auto& [n, value] : constants()) v.push_back(n);
    return v;
}

const char* call_kind_name(CallKind k) {
    static const char* const names[] = {"epoll_create", "epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait",
                                        "epoll_pwait2", "pipe2", "eventfd", "socketpair", "socket", "bind", "listen",
                                        "connect", "accept4", "open", "read", "write", "shutdown", "close", "dup",
                                        "dup2", "fcntl", "poll"};
    return names[static_cast<int>(k)];
}

}  // namespace epsim::scn
