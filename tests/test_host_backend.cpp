// test_host_backend.cpp - HostBackend against the real kernel: calls, blocking, settling,
// signals, the watchdog, fork, fdinfo, errors, and cleanup (no leaked fds, threads, children).
#include <catch2/catch.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "runner/host_backend.h"
#include "runner/host_exec.h"
#include "runner/host_fork.h"
#include "runner/fdinfo_parse.h"
#include "runner/host_proc.h"

using namespace epsim::scn;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::uint32_t kErrHup = EPOLLERR | EPOLLHUP;  // epoll_ctl adds them to every mask

CallSpec mk(CallKind k, std::vector<std::int64_t> args = {}) {
    CallSpec c;
    c.kind = k;
    c.args = std::move(args);
    return c;
}

CallSpec ctl(int ep, int op, int fd, std::uint32_t events, std::uint64_t data) {
    CallSpec c = mk(CallKind::EpollCtl, {ep, op, fd});
    c.has_event = true;
    c.events = events;
    c.data = data;
    return c;
}

CallSpec named(CallKind k, int fd, std::string name) {
    CallSpec c = mk(k, {fd});
    c.name = std::move(name);
    return c;
}

long ms_since(Clock::time_point t) {
    return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count());
}

int open_fds() { return hostproc::count_fds(0); }

// Threads of this process (entries in /proc/self/task).
int task_count() {
    DIR* d = ::opendir("/proc/self/task");
    if (!d) return -1;
    int n = 0;
    while (dirent* e = ::readdir(d))
        if (e->d_name[0] != '.') ++n;
    ::closedir(d);
    return n;
}

// Runs a call that must succeed on `thread` and returns its result.
CallResult ok(HostBackend& b, int thread, const CallSpec& c) {
    CallResult r = b.call(thread, c);
    INFO(call_kind_name(c.kind) << " errno " << r.err << " problem '" << b.problem << "'");
    REQUIRE(b.problem.empty());
    REQUIRE(r.err == 0);
    REQUIRE_FALSE(r.blocked);
    return r;
}

int fd_of(HostBackend& b, const CallSpec& c) {
    CallResult r = ok(b, 0, c);
    REQUIRE(r.ret >= 0);
    return static_cast<int>(r.ret);
}

struct Pair {
    int a = -1, b = -1;
};

Pair pair_of(HostBackend& b, const CallSpec& c) {
    CallResult r = ok(b, 0, c);
    REQUIRE(r.ret == 0);
    return {r.fds[0], r.fds[1]};
}

CallResult wait0(HostBackend& b, int ep, int thread = 0, int max = 8) {
    return b.call(thread, mk(CallKind::EpollWait, {ep, max, 0}));
}

}  // namespace

TEST_CASE("HostBackend: pipe and epoll in level- and edge-triggered mode", "[host]") {
    HostBackend b;
    CHECK(std::string(b.name()) == "host");
    CHECK(b.main_thread(0) == 0);
    const int ep = fd_of(b, mk(CallKind::EpollCreate1, {0}));
    const Pair p = pair_of(b, mk(CallKind::Pipe, {O_NONBLOCK}));
    CHECK(ok(b, 0, ctl(ep, EPOLL_CTL_ADD, p.a, EPOLLIN, 7)).ret == 0);

    CallResult r = wait0(b, ep);
    CHECK(r.ret == 0);
    CHECK(r.events.empty());
    CHECK(ok(b, 0, mk(CallKind::Write, {p.b, 3})).ret == 3);

    // Level-triggered: reported again and again while data is there.
    for (int i = 0; i < 2; ++i) {
        r = wait0(b, ep);
        REQUIRE(r.ret == 1);
        CHECK(r.events == std::vector<Ev>{{EPOLLIN, 7}});
    }
    CHECK(ok(b, 0, mk(CallKind::Read, {p.a, 100})).ret == 3);
    CHECK(wait0(b, ep).ret == 0);

    // Edge-triggered: once per write.
    CHECK(ok(b, 0, ctl(ep, EPOLL_CTL_MOD, p.a, EPOLLIN | EPOLLET, 8)).ret == 0);
    CHECK(ok(b, 0, mk(CallKind::Write, {p.b, 1})).ret == 1);
    r = wait0(b, ep);
    CHECK(r.events == std::vector<Ev>{{EPOLLIN, 8}});
    CHECK(wait0(b, ep).ret == 0);
    CHECK(ok(b, 0, mk(CallKind::Write, {p.b, 1})).ret == 1);
    CHECK(wait0(b, ep).events == std::vector<Ev>{{EPOLLIN, 8}});

    // The write end: EPOLLOUT; maxevents 1 returns one of the two ready items.
    CHECK(ok(b, 0, ctl(ep, EPOLL_CTL_ADD, p.b, EPOLLOUT, 9)).ret == 0);
    CHECK(wait0(b, ep, 0, 1).ret == 1);

    // The writer goes away: the reader sees EPOLLIN|EPOLLHUP (edge: a new event).
    CHECK(ok(b, 0, ctl(ep, EPOLL_CTL_DEL, p.b, 0, 0)).ret == 0);
    CHECK(ok(b, 0, mk(CallKind::Close, {p.b})).ret == 0);
    r = wait0(b, ep);
    CHECK(r.events == std::vector<Ev>{{EPOLLIN | EPOLLHUP, 8}});

    // epoll_pwait and epoll_pwait2 (NULL timespec = forever, but data is there).
    CHECK(ok(b, 0, ctl(ep, EPOLL_CTL_MOD, p.a, EPOLLIN, 10)).ret == 0);
    CHECK(ok(b, 0, mk(CallKind::EpollPwait, {ep, 4, 0})).events == std::vector<Ev>{{EPOLLIN | EPOLLHUP, 10}});
    CallSpec pw2 = mk(CallKind::EpollPwait2, {ep, 4});
    CHECK(ok(b, 0, pw2).ret == 1);
    pw2.has_timespec = true;
    CHECK(ok(b, 0, pw2).ret == 1);

    // poll() on the same fds.
    CallSpec pl = mk(CallKind::Poll, {0});
    pl.pollfds = {{p.a, POLLIN}, {ep, POLLIN}, {-1, POLLIN}};
    r = ok(b, 0, pl);
    CHECK(r.ret == 2);
    CHECK(r.revents == std::vector<std::uint32_t>{POLLIN | POLLHUP, POLLIN, 0});
}

TEST_CASE("HostBackend: eventfd sockets and a regular file", "[host]") {
    HostBackend b;
    const int efd = fd_of(b, mk(CallKind::Eventfd, {0, EFD_NONBLOCK}));
    CHECK(b.call(0, mk(CallKind::Read, {efd, 8})).err == EAGAIN);
    CHECK(ok(b, 0, mk(CallKind::Write, {efd, 8, 5})).ret == 8);
    CHECK(b.call(0, mk(CallKind::Write, {efd, 4, 5})).err == EINVAL);
    CHECK(ok(b, 0, mk(CallKind::Read, {efd, 8})).ret == 8);
    CHECK(b.call(0, mk(CallKind::Read, {efd, 8})).err == EAGAIN);

    // A pipe takes 64 KiB; a read larger than the heap cap still works.
    const Pair p = pair_of(b, mk(CallKind::Pipe, {O_NONBLOCK}));
    CHECK(ok(b, 0, mk(CallKind::Write, {p.b, 1 << 20})).ret == 65536);
    CHECK(ok(b, 0, mk(CallKind::Read, {p.a, std::int64_t{100} << 20})).ret == 65536);
    CHECK(b.call(0, mk(CallKind::Read, {p.a, std::int64_t{1} << 40})).err == EAGAIN);

    // Regular file: epoll refuses it.
    const int ep = fd_of(b, mk(CallKind::EpollCreate, {1}));
    const int f = fd_of(b, mk(CallKind::OpenFile));
    CHECK(ok(b, 0, mk(CallKind::Write, {f, 10, 0})).ret == 10);
    CHECK(b.call(0, ctl(ep, EPOLL_CTL_ADD, f, EPOLLIN, 0)).err == EPERM);

    // Socketpair, shutdown, dup, dup2, fcntl.
    const Pair s = pair_of(b, mk(CallKind::Socketpair, {SOCK_NONBLOCK}));
    CHECK(ok(b, 0, ctl(ep, EPOLL_CTL_ADD, s.a, EPOLLIN | EPOLLRDHUP, 1)).ret == 0);
    CHECK(ok(b, 0, mk(CallKind::Shutdown, {s.b, SHUT_WR})).ret == 0);
    CHECK(wait0(b, ep).events == std::vector<Ev>{{EPOLLIN | EPOLLRDHUP, 1}});
    const int d = fd_of(b, mk(CallKind::Dup, {s.a}));
    CHECK(ok(b, 0, mk(CallKind::Fcntl, {d, F_GETFL})).ret & O_NONBLOCK);
    CHECK(ok(b, 0, mk(CallKind::Dup2, {s.a, d})).ret == d);
    const int d2 = fd_of(b, mk(CallKind::Fcntl, {s.a, F_DUPFD_CLOEXEC, 0}));
    CHECK(ok(b, 0, mk(CallKind::Fcntl, {d2, F_GETFD})).ret == FD_CLOEXEC);
    CHECK(b.tracked_fds() == 9);  // efd, pipe, ep, file, socketpair, dup, F_DUPFD (dup2 reused d)
    CHECK(ok(b, 0, mk(CallKind::Close, {d2})).ret == 0);
    CHECK(b.tracked_fds() == 8);
}

TEST_CASE("HostBackend: abstract socket names are unique per backend", "[host]") {
    HostBackend b1, b2;
    CHECK(b1.name_prefix() != b2.name_prefix());
    for (HostBackend* b : {&b1, &b2}) {
        const int l = fd_of(*b, mk(CallKind::Socket, {SOCK_NONBLOCK}));
        CHECK(ok(*b, 0, named(CallKind::Bind, l, "srv")).ret == 0);  // no collision between backends
        CHECK(ok(*b, 0, mk(CallKind::Listen, {l, 4})).ret == 0);
        const int c = fd_of(*b, mk(CallKind::Socket, {0}));
        CHECK(ok(*b, 0, named(CallKind::Connect, c, "srv")).ret == 0);
        CHECK(fd_of(*b, mk(CallKind::Accept, {l, SOCK_NONBLOCK})) >= 0);
        CHECK(b->call(0, mk(CallKind::Accept, {l, 0})).err == EAGAIN);  // the listener is O_NONBLOCK
        const int other = fd_of(*b, mk(CallKind::Socket, {0}));
        CHECK(b->call(0, named(CallKind::Bind, other, "srv")).err == EADDRINUSE);
        CHECK(ok(*b, 0, named(CallKind::Bind, other, "")).ret == 0);  // autobind
        const int c2 = fd_of(*b, mk(CallKind::Socket, {0}));
        CHECK(b->call(0, named(CallKind::Connect, c2, "")).err == EINVAL);
        CHECK(b->call(0, named(CallKind::Connect, c2, "nobody")).err == ECONNREFUSED);
        // 107 characters still fit in sun_path (mapped to a hashed name), 108 do not.
        const int s107 = fd_of(*b, mk(CallKind::Socket, {0}));
        CHECK(ok(*b, 0, named(CallKind::Bind, s107, std::string(107, 'x'))).ret == 0);
        CHECK(b->call(0, named(CallKind::Bind, c2, std::string(108, 'x'))).err == EINVAL);
    }
    CHECK(hostexec::abstract_name(b1.name_prefix(), "a") == b1.name_prefix() + "a");
    CHECK(hostexec::abstract_name(b1.name_prefix(), std::string(107, 'x')).size() <= 107);
}

TEST_CASE("HostBackend: a write wakes only the last thread to block (edge-triggered)", "[host]") {
    HostBackend b;
    const int ep = fd_of(b, mk(CallKind::EpollCreate1, {0}));
    const Pair p = pair_of(b, mk(CallKind::Pipe, {O_NONBLOCK}));
    CHECK(ok(b, 0, ctl(ep, EPOLL_CTL_ADD, p.a, EPOLLIN | EPOLLET, 42)).ret == 0);
    const int t1 = b.new_thread(0), t2 = b.new_thread(0);
    REQUIRE(t1 > 0);
    REQUIRE(t2 > t1);
    CHECK(b.call(t1, mk(CallKind::EpollWait, {ep, 1, -1})).blocked);
    CHECK(b.call(t2, mk(CallKind::EpollWait, {ep, 1, -1})).blocked);
    CHECK(b.is_blocked(t1));
    CHECK(b.is_blocked(t2));
    CHECK_FALSE(b.is_blocked(0));

    // The write returns once the woken thread has finished: no waiting in join.
    CHECK(ok(b, 0, mk(CallKind::Write, {p.b, 1})).ret == 1);
    CHECK_FALSE(b.is_blocked(t2));
    CHECK(b.is_blocked(t1));
    auto t0 = Clock::now();
    CallResult r = b.join(t2);
    CHECK(ms_since(t0) < 50);
    CHECK(r.ret == 1);
    CHECK(r.events == std::vector<Ev>{{EPOLLIN, 42}});

    CHECK(ok(b, 0, mk(CallKind::Write, {p.b, 1})).ret == 1);
    CHECK_FALSE(b.is_blocked(t1));
    r = b.join(t1);
    CHECK(b.problem.empty());
    CHECK(r.ret == 1);
    CHECK(r.events == std::vector<Ev>{{EPOLLIN, 42}});
}

TEST_CASE("HostBackend: EPOLLONESHOT wakes the last thread to block and the other waits for a re-arm", "[host]") {
    HostBackend b;
    const int ep = fd_of(b, mk(CallKind::EpollCreate1, {0}));
    const Pair p = pair_of(b, mk(CallKind::Pipe, {O_NONBLOCK}));
    CHECK(ok(b, 0, ctl(ep, EPOLL_CTL_ADD, p.a, EPOLLIN | EPOLLONESHOT, 5)).ret == 0);
    const int t1 = b.new_thread(0), t2 = b.new_thread(0);
    CHECK(b.call(t1, mk(CallKind::EpollWait, {ep, 1, -1})).blocked);
    CHECK(b.call(t2, mk(CallKind::EpollWait, {ep, 1, -1})).blocked);
    CHECK(ok(b, 0, mk(CallKind::Write, {p.b, 1})).ret == 1);
    CHECK_FALSE(b.is_blocked(t2));
    CHECK(b.is_blocked(t1));
    CHECK(b.join(t2).events == std::vector<Ev>{{EPOLLIN, 5}});
    // Disarmed: fdinfo shows only the private bits; a second write wakes nobody.
    CHECK(b.fdinfo(0, ep) == std::vector<FdinfoItem>{{p.a, EPOLLONESHOT, 5}});
    CHECK(ok(b, 0, mk(CallKind::Write, {p.b, 1})).ret == 1);
    CHECK(b.is_blocked(t1));
    // Re-arming with data in the pipe queues the item and wakes the remaining waiter.
    CHECK(ok(b, 0, ctl(ep, EPOLL_CTL_MOD, p.a, EPOLLIN | EPOLLONESHOT, 6)).ret == 0);
    CHECK_FALSE(b.is_blocked(t1));
    CallResult r = b.join(t1);
    CHECK(r.ret == 1);
    CHECK(r.events == std::vector<Ev>{{EPOLLIN, 6}});
}

TEST_CASE("HostBackend: level-triggered wakes every waiter", "[host]") {
    HostBackend b;
    const int ep = fd_of(b, mk(CallKind::EpollCreate1, {0}));
    const Pair p = pair_of(b, mk(CallKind::Pipe, {O_NONBLOCK}));
    CHECK(ok(b, 0, ctl(ep, EPOLL_CTL_ADD, p.a, EPOLLIN, 3)).ret == 0);
    const int t1 = b.new_thread(0), t2 = b.new_thread(0);
    CHECK(b.call(t1, mk(CallKind::EpollWait, {ep, 1, -1})).blocked);
    CHECK(b.call(t2, mk(CallKind::EpollWait, {ep, 1, -1})).blocked);
    CHECK(ok(b, 0, mk(CallKind::Write, {p.b, 1})).ret == 1);
    // The first woken thread re-queues the LT item and wakes the next (ep_done_scan).
    CHECK_FALSE(b.is_blocked(t1));
    CHECK_FALSE(b.is_blocked(t2));
    CHECK(b.join(t1).ret == 1);
    CHECK(b.join(t2).ret == 1);
}

TEST_CASE("HostBackend: epoll_wait with a 100 ms timeout in a thread", "[host]") {
    HostBackend b;
    const int ep = fd_of(b, mk(CallKind::EpollCreate1, {0}));
    const int t = b.new_thread(0);
    const auto t0 = Clock::now();
    CallResult r = b.call(t, mk(CallKind::EpollWait, {ep, 4, 100}));
    CHECK(r.blocked);
    CHECK(b.is_blocked(t));
    r = b.join(t);
    const long ms = ms_since(t0);
    CHECK(b.problem.empty());
    CHECK_FALSE(r.blocked);
    CHECK(r.ret == 0);
    CHECK(r.err == 0);
    CHECK(ms >= 95);
    CHECK(ms < 1000);
    CHECK_FALSE(b.is_blocked(t));
    CHECK(b.join(t).ret == 0);  // nothing in flight: the last result again

    // The main thread waits for its own call: no blocked result.
    const auto t1 = Clock::now();
    r = b.call(0, mk(CallKind::EpollPwait, {ep, 4, 50}));
    CHECK_FALSE(r.blocked);
    CHECK(r.ret == 0);
    CHECK(ms_since(t1) >= 45);

    // epoll_pwait2 with a 60 ms timespec.
    CallSpec pw2 = mk(CallKind::EpollPwait2, {ep, 4});
    pw2.has_timespec = true;
    pw2.nsec = 60'000'000;
    const auto t2 = Clock::now();
    CHECK(b.call(t, pw2).blocked);
    CHECK(b.join(t).ret == 0);
    CHECK(ms_since(t2) >= 55);
}

TEST_CASE("HostBackend: signal makes a blocked epoll_wait return EINTR", "[host]") {
    HostBackend b;
    const int ep = fd_of(b, mk(CallKind::EpollCreate1, {0}));
    const int t = b.new_thread(0);
    CHECK(b.call(t, mk(CallKind::EpollWait, {ep, 4, -1})).blocked);
    CHECK(b.is_blocked(t));
    b.signal(t);
    CHECK(b.problem.empty());
    CHECK_FALSE(b.is_blocked(t));
    CallResult r = b.join(t);
    CHECK(r.ret == -1);
    CHECK(r.err == EINTR);

    // Signalling an idle thread is harmless; sleep_ms really sleeps.
    b.signal(t);
    const auto t0 = Clock::now();
    b.sleep_ms(20);
    CHECK(ms_since(t0) >= 19);
    CHECK(b.problem.empty());
    CHECK(b.call(t, mk(CallKind::EpollWait, {ep, 4, 0})).ret == 0);
}

TEST_CASE("HostBackend: the watchdog stops a main-thread read that never returns", "[host]") {
    const int before = open_fds();
    const int tasks = task_count();
    auto t0 = Clock::now();
    {
        HostBackend b(HostOptions{300});
        const Pair p = pair_of(b, mk(CallKind::Pipe, {0}));  // blocking
        t0 = Clock::now();
        CallResult r = b.call(0, mk(CallKind::Read, {p.a, 1}));
        const long ms = ms_since(t0);
        CHECK(r.err == ETIMEDOUT);
        CHECK(r.ret == -1);
        CHECK_FALSE(b.problem.empty());
        CHECK(b.problem.find("thread 0 (read)") != std::string::npos);
        CHECK(ms >= 290);
        CHECK(ms < 1000);
        b.problem.clear();
        // The thread is busy: another call is refused, not queued.
        CHECK(b.call(0, mk(CallKind::Close, {p.b})).err == EBUSY);
        CHECK_FALSE(b.problem.empty());
        t0 = Clock::now();
    }  // the destructor interrupts the read and closes the pipe
    CHECK(ms_since(t0) < 1000);
    CHECK(open_fds() == before);
    CHECK(task_count() == tasks);  // the stuck worker was interrupted and joined
}

TEST_CASE("HostBackend: the join watchdog interrupts the thread", "[host]") {
    HostBackend b(HostOptions{200});
    const int ep = fd_of(b, mk(CallKind::EpollCreate1, {0}));
    const int t = b.new_thread(0);
    CHECK(b.call(t, mk(CallKind::EpollWait, {ep, 4, -1})).blocked);
    const auto t0 = Clock::now();
    CallResult r = b.join(t);
    CHECK(ms_since(t0) < 1000);
    CHECK(r.err == ETIMEDOUT);
    CHECK(b.problem.find("did not finish within 200 ms") != std::string::npos);
    b.problem.clear();
    // Unstuck: its real result is EINTR.
    CHECK_FALSE(b.is_blocked(t));
    CHECK(b.join(t).err == EINTR);
    // A thread blocked in a pipe read counts as asleep (blocked) but not as blocked in epoll_wait.
    const Pair p = pair_of(b, mk(CallKind::Pipe, {0}));
    CHECK(b.call(t, mk(CallKind::Read, {p.a, 4})).blocked);
    CHECK_FALSE(b.is_blocked(t));
    CHECK(ok(b, 0, mk(CallKind::Write, {p.b, 3})).ret == 3);
    CHECK(b.join(t).ret == 3);
}

TEST_CASE("HostBackend: fork shares the epoll fd and the child closes only its own copy", "[host]") {
    pid_t child_pid = -1;
    const int before = open_fds();
    const int tasks = task_count();
    {
        HostBackend b;
        const int ep = fd_of(b, mk(CallKind::EpollCreate1, {0}));
        const Pair p = pair_of(b, mk(CallKind::Pipe, {O_NONBLOCK}));
        CHECK(ok(b, 0, ctl(ep, EPOLL_CTL_ADD, p.a, EPOLLIN, 77)).ret == 0);
        const int child = b.fork_process();
        REQUIRE(child > 0);
        CHECK(b.problem.empty());
        const int ct = b.main_thread(child);
        REQUIRE(ct > 0);
        child_pid = b.process_pid(child);
        CHECK(child_pid > 0);
        CHECK(child_pid != getpid());
        CHECK(b.thread_tid(ct) == child_pid);
        CHECK(b.new_thread(child) == -1);
        CHECK(b.problem == "threads in a forked process are not supported on the host backend");
        b.problem.clear();

        // The child's epoll_wait blocks, the parent's write wakes it.
        CHECK(b.call(ct, mk(CallKind::EpollWait, {ep, 8, -1})).blocked);
        CHECK(b.is_blocked(ct));
        CHECK(ok(b, 0, mk(CallKind::Write, {p.b, 1})).ret == 1);
        CHECK_FALSE(b.is_blocked(ct));
        CallResult r = b.join(ct);
        CHECK(r.ret == 1);
        CHECK(r.events == std::vector<Ev>{{EPOLLIN, 77}});
        CHECK(b.fdinfo(ct, ep) == b.fdinfo(0, ep));

        // Closing in the child leaves the parent's fd (and the interest) alone.
        CHECK(ok(b, ct, mk(CallKind::Close, {p.a})).ret == 0);
        CHECK(b.call(ct, mk(CallKind::Fcntl, {p.a, F_GETFD})).err == EBADF);
        CHECK(ok(b, 0, mk(CallKind::Fcntl, {p.a, F_GETFD})).ret == 0);
        CHECK(wait0(b, ep).events == std::vector<Ev>{{EPOLLIN, 77}});
        CHECK(wait0(b, ep, ct).events == std::vector<Ev>{{EPOLLIN, 77}});  // the same epoll instance
        CHECK(b.fdinfo(ct, p.a) == std::nullopt);

        // Socket names agree between parent and child; new fds in the child stay there.
        const int l = fd_of(b, mk(CallKind::Socket, {0}));
        CHECK(ok(b, 0, named(CallKind::Bind, l, "srv")).ret == 0);
        CHECK(ok(b, 0, mk(CallKind::Listen, {l, 1})).ret == 0);
        CallResult s = ok(b, ct, mk(CallKind::Socket, {0}));
        CHECK(ok(b, ct, named(CallKind::Connect, static_cast<int>(s.ret), "srv")).ret == 0);
        CHECK(fd_of(b, mk(CallKind::Accept, {l, 0})) >= 0);

        // A second child, blocked at destruction: interrupted, told to quit, reaped.
        const int ep3 = fd_of(b, mk(CallKind::EpollCreate1, {0}));
        const int child2 = b.fork_process();
        REQUIRE(child2 > child);
        const int ct2 = b.main_thread(child2);
        CHECK(b.call(ct2, mk(CallKind::EpollWait, {ep, 8, 0})).ret == 1);
        CHECK(b.call(ct2, mk(CallKind::Read, {p.a, 10})).ret == 1);
        CHECK(b.call(ct2, mk(CallKind::Read, {p.a, 10})).err == EAGAIN);
        CHECK(b.call(ct2, mk(CallKind::EpollWait, {ep3, 1, -1})).blocked);
        CHECK(b.is_blocked(ct2));
        b.signal(ct2);
        CHECK(b.join(ct2).err == EINTR);
        CHECK(b.call(ct2, mk(CallKind::EpollWait, {ep3, 1, -1})).blocked);
        CHECK(b.problem.empty());
    }
    CHECK(::kill(child_pid, 0) == -1);  // reaped, not a zombie
    CHECK(errno == ESRCH);
    CHECK(open_fds() == before);
    CHECK(task_count() == tasks);
}

TEST_CASE("HostBackend: fdinfo items are parsed exactly", "[host]") {
    HostBackend b;
    const int ep = fd_of(b, mk(CallKind::EpollCreate1, {0}));
    const Pair p = pair_of(b, mk(CallKind::Pipe, {O_NONBLOCK}));
    const int efd = fd_of(b, mk(CallKind::Eventfd, {0, 0}));
    CHECK(b.fdinfo(0, ep) == std::vector<FdinfoItem>{});
    CHECK(ok(b, 0, ctl(ep, EPOLL_CTL_ADD, p.a, EPOLLIN, 0x1122334455667788ull)).ret == 0);
    CHECK(ok(b, 0, ctl(ep, EPOLL_CTL_ADD, p.b, EPOLLOUT | EPOLLET, 5)).ret == 0);
    // EPOLLEXCLUSIVE takes only IN, OUT, ERR, HUP, WAKEUP and ET besides itself.
    CHECK(b.call(0, ctl(ep, EPOLL_CTL_ADD, efd, EPOLLIN | EPOLLRDHUP | EPOLLEXCLUSIVE, 1)).err == EINVAL);
    CHECK(ok(b, 0, ctl(ep, EPOLL_CTL_ADD, efd, EPOLLIN | EPOLLEXCLUSIVE, 0xffffffffffffffffull)).ret == 0);

    auto items = b.fdinfo(0, ep);
    REQUIRE(items);
    // The kernel lists the rb tree in order of (file address, fd): compare as a set, and check
    // the order against the raw text.
    std::vector<FdinfoItem> got = *items;
    std::sort(got.begin(), got.end(), [](const FdinfoItem& x, const FdinfoItem& y) { return x.tfd < y.tfd; });
    std::vector<FdinfoItem> want = {{p.a, EPOLLIN | kErrHup, 0x1122334455667788ull},
                                    {p.b, EPOLLOUT | EPOLLET | kErrHup, 5},
                                    {efd, EPOLLIN | EPOLLEXCLUSIVE | kErrHup, 0xffffffffffffffffull}};
    std::sort(want.begin(), want.end(), [](const FdinfoItem& x, const FdinfoItem& y) { return x.tfd < y.tfd; });
    CHECK(got == want);
    auto text = hostproc::read_text("/proc/self/fdinfo/" + std::to_string(ep));
    REQUIRE(text);
    CHECK(parse_fdinfo_items(*text) == *items);

    CHECK(b.fdinfo(0, p.a) == std::vector<FdinfoItem>{});  // open, not an epoll
    CHECK(b.fdinfo(0, 19999) == std::nullopt);              // not open
    CHECK(b.fdinfo(0, -1) == std::nullopt);

    // The parser on a literal text.
    const std::string lit =
        "pos:\t0\nflags:\t02\nmnt_id:\t17\nino:\t1038\n"
        "tfd:        4 events:       19 data:                7  pos:0 ino:1179d sdev:f\n"
        "tfd:       12 events: 80000004 data: ffffffffffffffff  pos:0 ino:2 sdev:f\n";
    CHECK(parse_fdinfo_items(lit) ==
          std::vector<FdinfoItem>{{4, 0x19, 7}, {12, 0x80000004u, 0xffffffffffffffffull}});
    CHECK(hostproc::parse_stat_state("123 (a) b) c) S 1 2 3") == 'S');
    CHECK(hostproc::parse_syscall_nr("232 0x3 0x7ff") == 232);
    CHECK(hostproc::parse_syscall_nr("running") == -1);
}

TEST_CASE("HostBackend: EBADF and EINVAL come back as errno", "[host]") {
    HostBackend b;
    const int ep = fd_of(b, mk(CallKind::EpollCreate1, {0}));
    const Pair p = pair_of(b, mk(CallKind::Pipe, {O_NONBLOCK}));
    auto err = [&](const CallSpec& c) {
        CallResult r = b.call(0, c);
        CHECK(b.problem.empty());
        CHECK_FALSE(r.blocked);
        CHECK(r.ret == -1);
        return r.err;
    };
    CHECK(err(mk(CallKind::Close, {-1})) == EBADF);
    CHECK(err(mk(CallKind::Close, {19999})) == EBADF);
    CHECK(err(mk(CallKind::Read, {19999, 1})) == EBADF);
    CHECK(err(ctl(19999, EPOLL_CTL_ADD, p.a, EPOLLIN, 0)) == EBADF);
    CHECK(err(ctl(ep, EPOLL_CTL_ADD, 19999, EPOLLIN, 0)) == EBADF);
    CHECK(err(ctl(p.a, EPOLL_CTL_ADD, p.b, EPOLLIN, 0)) == EINVAL);  // not an epoll fd
    CHECK(err(ctl(ep, EPOLL_CTL_ADD, ep, EPOLLIN, 0)) == EINVAL);    // itself
    CHECK(err(ctl(ep, 99, p.a, EPOLLIN, 0)) == EINVAL);
    CHECK(err(ctl(ep, EPOLL_CTL_MOD, p.a, EPOLLIN, 0)) == ENOENT);
    CHECK(err(mk(CallKind::EpollCtl, {ep, EPOLL_CTL_ADD, p.a})) == EFAULT);  // NULL event
    CHECK(err(mk(CallKind::EpollCreate, {0})) == EINVAL);
    CHECK(err(mk(CallKind::EpollCreate, {-1})) == EINVAL);
    CHECK(err(mk(CallKind::EpollCreate1, {1})) == EINVAL);
    CHECK(err(mk(CallKind::EpollWait, {ep, 0, 0})) == EINVAL);
    CHECK(err(mk(CallKind::EpollWait, {ep, -1, 0})) == EINVAL);
    CHECK(err(mk(CallKind::EpollWait, {ep, INT_MAX, 0})) == EINVAL);
    CHECK(err(mk(CallKind::EpollWait, {ep, INT_MAX / 12 + 1, 0})) == EINVAL);
    CHECK(err(mk(CallKind::EpollWait, {p.a, 1, 0})) == EINVAL);
    CHECK(err(mk(CallKind::EpollWait, {19999, 1, 0})) == EBADF);
    CHECK(err(mk(CallKind::Pipe, {-1})) == EINVAL);
    CHECK(err(mk(CallKind::Read, {p.a, -1})) == EFAULT);  // a count no buffer can hold
    CHECK(err(mk(CallKind::Dup2, {19999, 5})) == EBADF);
    CHECK(err(mk(CallKind::Fcntl, {p.a, 9999})) == EINVAL);
    CallSpec pw2 = mk(CallKind::EpollPwait2, {ep, 1});
    pw2.has_timespec = true;
    pw2.nsec = 1'000'000'000;
    CHECK(err(pw2) == EINVAL);
    // A huge but valid maxevents: accepted (the kernel checks it, then waits).
    CHECK(b.call(0, mk(CallKind::EpollWait, {ep, INT_MAX / 12, 0})).ret == 0);
    CHECK(b.call(0, mk(CallKind::EpollWait, {ep, 2'000'000, 0})).ret == 0);
    // Calls on handles that do not exist are problems, not kernel errors.
    CHECK(b.call(42, mk(CallKind::Close, {0})).err != 0);
    CHECK_FALSE(b.problem.empty());
    b.problem.clear();
    CHECK(b.main_thread(7) == -1);
    CHECK(b.new_thread(7) == -1);
    b.problem.clear();
}

TEST_CASE("HostBackend: the child wire format round-trips", "[host]") {
    CallSpec c = mk(CallKind::Poll, {1, -2, INT64_MIN, INT64_MAX});
    c.has_event = true;
    c.events = 0x80000001u;
    c.data = ~0ull;
    c.has_timespec = true;
    c.sec = -3;
    c.nsec = 999;
    c.name = std::string("a\0b", 3);
    c.pollfds = {{3, POLLIN}, {-1, 0xffffffffu}};
    auto d = hostexec::decode_call(hostexec::encode_call(c));
    REQUIRE(d);
    CHECK(d->kind == c.kind);
    CHECK(d->args == c.args);
    CHECK(d->has_event);
    CHECK(d->events == c.events);
    CHECK(d->data == c.data);
    CHECK(d->has_timespec);
    CHECK(d->sec == -3);
    CHECK(d->nsec == 999);
    CHECK(d->name == c.name);
    REQUIRE(d->pollfds.size() == 2);
    CHECK(d->pollfds[1].events == 0xffffffffu);

    CallResult r;
    r.ret = -1;
    r.err = EINTR;
    r.events = {{1, 2}, {0xffffffffu, ~0ull}};
    r.revents = {4, 5};
    r.fds[0] = 7;
    r.fds[1] = 8;
    auto e = hostexec::decode_result(hostexec::encode_result(r));
    REQUIRE(e);
    CHECK(e->ret == -1);
    CHECK(e->err == EINTR);
    CHECK(e->events == r.events);
    CHECK(e->revents == r.revents);
    CHECK(e->fds[1] == 8);
    auto bad = hostexec::encode_result(r);
    bad.pop_back();
    CHECK_FALSE(hostexec::decode_result(bad));
    CHECK_FALSE(hostexec::decode_call(bad));
}

TEST_CASE("HostBackend: 1000 backend lifetimes leak no fds", "[host]") {
    const int before = open_fds();
    const int tasks = task_count();
    REQUIRE(before > 0);
    const auto t0 = Clock::now();
    for (int i = 0; i < 1000; ++i) {
        HostBackend b;
        const int ep = fd_of(b, mk(CallKind::EpollCreate1, {0}));
        const Pair p1 = pair_of(b, mk(CallKind::Pipe, {O_NONBLOCK}));
        const Pair p2 = pair_of(b, mk(CallKind::Pipe, {0}));
        const int efd = fd_of(b, mk(CallKind::Eventfd, {0, EFD_NONBLOCK}));
        const Pair s = pair_of(b, mk(CallKind::Socketpair, {0}));
        CHECK(ok(b, 0, ctl(ep, EPOLL_CTL_ADD, p1.a, EPOLLIN, 1)).ret == 0);
        CHECK(ok(b, 0, ctl(ep, EPOLL_CTL_ADD, efd, EPOLLIN, 2)).ret == 0);
        const int t = b.new_thread(0);
        REQUIRE(b.call(t, mk(CallKind::EpollWait, {ep, 4, -1})).blocked);
        REQUIRE(b.is_blocked(t));
        CHECK(ok(b, 0, mk(CallKind::Write, {efd, 8, 1})).ret == 8);
        CallResult r = b.join(t);
        REQUIRE(r.ret == 1);
        CHECK(r.events == std::vector<Ev>{{EPOLLIN, 2}});
        // Some closes by the scenario itself, so the backend must not close them again.
        CHECK(ok(b, 0, mk(CallKind::Close, {p2.a})).ret == 0);
        CHECK(ok(b, 0, mk(CallKind::Close, {s.b})).ret == 0);
        if (i % 100 == 0) {  // now and then a thread still blocked at destruction
            const Pair p3 = pair_of(b, mk(CallKind::Pipe, {0}));
            const int t2 = b.new_thread(0);
            REQUIRE(b.call(t2, mk(CallKind::Read, {p3.a, 1})).blocked);
        }
    }
    const long ms = ms_since(t0);
    WARN("1000 backend lifetimes: " << ms << " ms");
    CHECK(open_fds() == before);
    CHECK(task_count() == tasks);
}
