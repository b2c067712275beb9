// Tests for AF_UNIX SOCK_STREAM sockets (sim/unix_socket.cpp) as epoll sees them.
//
// Expected values are what Linux 6.18 on the reference machine gave: the fact check
// (/tmp/factcheck/REPORT.md item 11 and D6; its strings are "epoll_wait -> n {ev=.. data=..}")
// and the programs in /tmp/unixfacts (u1..u5.c), written for this file. Each test names the
// observation it reproduces. After every step the model's invariants must hold.

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "sim/kernel.h"
#include "sim/unix_socket.h"

using namespace epsim;

namespace {

std::string hexs(std::uint64_t v) {
    char b[32];
    std::snprintf(b, sizeof b, "%llx", static_cast<unsigned long long>(v));
    return b;
}

std::string errs(int e) { return e ? errno_name(e) : "OK"; }

#define UINV(k)                                           \
    do {                                                  \
        REQUIRE((k).check_invariants() == "");            \
    } while (0)
#define U_OK(k, value, ...)                                    \
    do {                                                       \
        const ::epsim::SysResult r_ = (__VA_ARGS__);           \
        INFO(#__VA_ARGS__);                                    \
        CHECK(errs(r_.err) == "OK");                           \
        CHECK_FALSE(r_.blocked);                               \
        REQUIRE(r_.ret == static_cast<std::int64_t>(value));   \
        UINV(k);                                               \
    } while (0)
#define U_FAILS(k, e, ...)                                     \
    do {                                                       \
        const ::epsim::SysResult r_ = (__VA_ARGS__);           \
        INFO(#__VA_ARGS__);                                    \
        CHECK(r_.ret == -1);                                   \
        CHECK_FALSE(r_.blocked);                               \
        REQUIRE(errs(r_.err) == errs(e));                      \
        UINV(k);                                               \
    } while (0)

// What the fact-check programs request: EPOLLIN|EPOLLOUT|EPOLLRDHUP.
constexpr std::uint32_t kM = EPOLLIN | EPOLLOUT | EPOLLRDHUP;

void add(Kernel& k, ObjId t, int ep, int fd, std::uint32_t events, std::uint64_t data) {
    const EpollEvent ev{events, data};
    U_OK(k, 0, k.epoll_ctl(t, ep, EPOLL_CTL_ADD, fd, &ev));
}

// A non-blocking epoll_wait, printed the way the fact-check programs print it.
std::string wait_str(Kernel& k, ObjId t, int ep, int maxevents = 8) {
    const SysResult r = k.epoll_wait(t, ep, maxevents, 0);
    REQUIRE_FALSE(r.blocked);
    REQUIRE(errs(r.err) == "OK");
    UINV(k);
    const auto& evs = k.task(t).events;
    REQUIRE(static_cast<std::size_t>(r.ret) == evs.size());
    std::string s = "epoll_wait -> " + std::to_string(r.ret);
    for (const auto& e : evs) s += " {ev=0x" + hexs(e.events) + " data=0x" + hexs(e.data) + "}";
    return s;
}

// poll(2) asking for every bit: the raw unix_poll mask (what the u*.c programs print).
std::uint32_t pollm(Kernel& k, ObjId t, int fd) {
    std::vector<PollFd> v{PollFd{fd, 0x7fff, 0}};
    const SysResult r = k.poll(t, v, 0);
    REQUIRE(errs(r.err) == "OK");
    UINV(k);
    return v[0].revents;
}

struct Pair {
    int a = -1, b = -1;
};

Pair make_pair(Kernel& k, ObjId t, int flags = SOCK_NONBLOCK) {
    int sv[2] = {-1, -1};
    const SysResult r = k.socketpair(t, sv, flags);
    REQUIRE(errs(r.err) == "OK");
    REQUIRE(r.ret == 0);
    UINV(k);
    return {sv[0], sv[1]};
}

// The fact check's pair(): a socketpair and an epoll watching A (data 0xA) and B (0xB), LT.
struct PairEp {
    Pair p;
    int ep = -1;
};
PairEp pair_ep(Kernel& k, ObjId t, std::uint32_t events = kM) {
    PairEp pe;
    pe.p = make_pair(k, t);
    const SysResult r = k.epoll_create1(t, 0);
    REQUIRE(r.ret >= 3);
    pe.ep = static_cast<int>(r.ret);
    add(k, t, pe.ep, pe.p.a, events, 0xA);
    add(k, t, pe.ep, pe.p.b, events, 0xB);
    return pe;
}

const UnixSock& sock_at(const Kernel& k, ObjId t, int fd) {
    const auto& fds = k.process_of(t).fds;
    REQUIRE(fd >= 0);
    REQUIRE(static_cast<std::size_t>(fd) < fds.size());
    const UnixSock* s = unix_sock_of(fds[static_cast<std::size_t>(fd)].file);
    REQUIRE(s != nullptr);
    return *s;
}

std::string describe_fd(const Kernel& k, ObjId t, int fd) {
    return k.process_of(t).fds[static_cast<std::size_t>(fd)].file->describe();
}

int new_socket(Kernel& k, ObjId t, int flags = SOCK_NONBLOCK) {
    const SysResult r = k.socket(t, flags);
    REQUIRE(errs(r.err) == "OK");
    REQUIRE(r.ret >= 3);
    UINV(k);
    return static_cast<int>(r.ret);
}

int new_listener(Kernel& k, ObjId t, const std::string& name, int backlog, int flags = SOCK_NONBLOCK) {
    const int l = new_socket(k, t, flags);
    U_OK(k, 0, k.bind(t, l, name));
    U_OK(k, 0, k.listen(t, l, backlog));
    return l;
}

// The wq.wake events logged from index `from` on, as "key/nr_exclusive@kernel_function".
std::vector<std::string> wakes_since(const Kernel& k, std::size_t from) {
    std::vector<std::string> v;
    for (std::size_t i = from; i < k.log.events.size(); ++i) {
        const Event& e = k.log.events[i];
        if (e.type == EventType::WakeBegin)
            v.push_back("0x" + hexs(e.x) + "/" + std::to_string(e.y) + "@" + kfn_name(e.fn));
    }
    return v;
}

}  // namespace

// =======================================================================================
// socketpair: the fact check's item 11, mask by mask
// =======================================================================================

TEST_CASE("unix socketpair: initial OUT, IN after the peer writes, RDHUP after the peer's SHUT_WR", "[model][unix]") {
    Kernel k;
    const ObjId t = k.init_task();
    auto [p, ep] = pair_ep(k, t);
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 2 {ev=0x4 data=0xa} {ev=0x4 data=0xb}");
    U_OK(k, 10, k.write(t, p.b, 10));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 2 {ev=0x5 data=0xa} {ev=0x4 data=0xb}");
    U_OK(k, 0, k.shutdown(t, p.b, SHUT_WR));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 2 {ev=0x2005 data=0xa} {ev=0x4 data=0xb}");
    U_OK(k, 10, k.read(t, p.a, 64));
    U_OK(k, 0, k.read(t, p.a, 64));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 2 {ev=0x2005 data=0xa} {ev=0x4 data=0xb}");
    U_FAILS(k, EPIPE, k.write(t, p.b, 1));
}

TEST_CASE("unix socketpair: SHUT_RD makes the shutting side report IN|RDHUP, the peer only OUT", "[model][unix]") {
    Kernel k;
    const ObjId t = k.init_task();
    auto [p, ep] = pair_ep(k, t);
    U_OK(k, 0, k.shutdown(t, p.b, SHUT_RD));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 2 {ev=0x4 data=0xa} {ev=0x2005 data=0xb}");
    U_FAILS(k, EPIPE, k.write(t, p.a, 1));
    U_OK(k, 0, k.read(t, p.b, 64));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 2 {ev=0x4 data=0xa} {ev=0x2005 data=0xb}");
    // u2: the shutting side can still write, and its own queued data is still read first.
    U_OK(k, 1, k.write(t, p.b, 1));
    U_OK(k, 1, k.read(t, p.a, 64));
}

TEST_CASE("unix socketpair: both SHUT_WR, or one SHUT_RDWR, is HUP on both - how=3 is EINVAL", "[model][unix]") {
    Kernel k;
    const ObjId t = k.init_task();
    {
        auto [p, ep] = pair_ep(k, t);
        U_OK(k, 0, k.shutdown(t, p.a, SHUT_WR));
        U_OK(k, 0, k.shutdown(t, p.b, SHUT_WR));
        REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 2 {ev=0x2015 data=0xa} {ev=0x2015 data=0xb}");
    }
    {
        auto [p, ep] = pair_ep(k, t);
        U_OK(k, 0, k.shutdown(t, p.b, SHUT_RDWR));
        REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 2 {ev=0x2015 data=0xa} {ev=0x2015 data=0xb}");
        U_FAILS(k, EINVAL, k.shutdown(t, p.b, 3));
        U_FAILS(k, EINVAL, k.shutdown(t, p.b, -1));
    }
}

TEST_CASE("unix socketpair: peer close is HUP|RDHUP|IN|OUT - read 0, write EPIPE", "[model][unix]") {
    Kernel k;
    const ObjId t = k.init_task();
    auto [p, ep] = pair_ep(k, t);
    U_OK(k, 0, k.close(t, p.b));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 1 {ev=0x2015 data=0xa}");
    U_OK(k, 0, k.read(t, p.a, 64));
    U_FAILS(k, EPIPE, k.write(t, p.a, 1));
}

TEST_CASE("unix socketpair: peer closed with unread data is ERR until a read returns ECONNRESET", "[model][unix]") {
    Kernel k;
    const ObjId t = k.init_task();
    auto [p, ep] = pair_ep(k, t);
    U_OK(k, 3, k.write(t, p.a, 3));
    U_OK(k, 0, k.close(t, p.b));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 1 {ev=0x201d data=0xa}");
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 1 {ev=0x201d data=0xa}");
    REQUIRE(sock_at(k, t, p.a).sk_err == ECONNRESET);
    // u2: a write meanwhile is EPIPE and leaves the error pending.
    U_FAILS(k, EPIPE, k.write(t, p.a, 1));
    REQUIRE(pollm(k, t, p.a) == 0x235d);
    U_FAILS(k, ECONNRESET, k.read(t, p.a, 64));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 1 {ev=0x2015 data=0xa}");
    U_OK(k, 0, k.read(t, p.a, 64));
    // The closing side's unread skb was freed: A's memory is back.
    REQUIRE(sock_at(k, t, p.a).wmem_alloc == 1);
}

TEST_CASE("unix socketpair: D6 - data first, then ECONNRESET, then end of file", "[model][unix]") {
    Kernel k;
    const ObjId t = k.init_task();
    auto [p, ep] = pair_ep(k, t);
    U_OK(k, 3, k.write(t, p.a, 3));
    U_OK(k, 2, k.write(t, p.b, 2));
    U_OK(k, 0, k.close(t, p.b));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 1 {ev=0x201d data=0xa}");
    U_OK(k, 2, k.read(t, p.a, 64));
    U_FAILS(k, ECONNRESET, k.read(t, p.a, 64));
    U_OK(k, 0, k.read(t, p.a, 64));
    // The dead sender's skb was consumed: nothing is left charged anywhere.
    REQUIRE(sock_at(k, t, p.a).queued_bytes() == 0);
}

// =======================================================================================
// Unconnected sockets, listeners, connect, accept
// =======================================================================================

TEST_CASE("unix socket: a fresh socket is OUT|HUP - reads EINVAL, writes ENOTCONN, shutdown 0", "[model][unix]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int s = new_socket(k, t);
    U_OK(k, 4, k.epoll_create1(t, 0));
    U_OK(k, 5, k.epoll_create1(t, 0));
    add(k, t, 4, s, kM, 0xC);
    add(k, t, 5, s, EPOLLIN, 0xC);
    REQUIRE(wait_str(k, t, 4) == "epoll_wait -> 1 {ev=0x14 data=0xc}");
    REQUIRE(wait_str(k, t, 5) == "epoll_wait -> 1 {ev=0x10 data=0xc}");
    // u1: zero-length ops, and shutdown on an unconnected socket.
    U_FAILS(k, ENOTCONN, k.write(t, s, 0));
    U_FAILS(k, ENOTCONN, k.write(t, s, 1));
    U_OK(k, 0, k.read(t, s, 0));
    U_FAILS(k, EINVAL, k.read(t, s, 1));
    REQUIRE(pollm(k, t, s) == 0x314);
    U_OK(k, 0, k.shutdown(t, s, SHUT_WR));
    REQUIRE(pollm(k, t, s) == 0x314);
    U_FAILS(k, ENOTCONN, k.write(t, s, 1));
    U_OK(k, 0, k.shutdown(t, s, SHUT_RD));
    REQUIRE(pollm(k, t, s) == 0x2355);
    REQUIRE(wait_str(k, t, 4) == "epoll_wait -> 1 {ev=0x2015 data=0xc}");
    U_FAILS(k, EINVAL, k.shutdown(t, s, 5));
    REQUIRE(describe_fd(k, t, s) == "unix stream unconnected, shutdown RCV|SEND");
}

TEST_CASE("unix socket: flags are checked - SOCK_NONBLOCK and SOCK_CLOEXEC land where they belong", "[model][unix]") {
    Kernel k;
    const ObjId t = k.init_task();
    U_FAILS(k, EINVAL, k.socket(t, 0x1000));
    int sv[2];
    U_FAILS(k, EINVAL, k.socketpair(t, sv, 0x1000));
    const int s = new_socket(k, t, SOCK_NONBLOCK | SOCK_CLOEXEC);
    REQUIRE(k.process_of(t).fds[static_cast<std::size_t>(s)].cloexec);
    U_OK(k, O_RDWR | O_NONBLOCK, k.fcntl(t, s, F_GETFL));
    const Pair p = make_pair(k, t, 0);
    U_OK(k, O_RDWR, k.fcntl(t, p.a, F_GETFL));
    REQUIRE_FALSE(k.process_of(t).fds[static_cast<std::size_t>(p.a)].cloexec);
    // Non-socket fds and bad fds.
    U_FAILS(k, EBADF, k.shutdown(t, 99, SHUT_RD));
    const int ep = static_cast<int>(k.epoll_create1(t, 0).ret);
    U_FAILS(k, ENOTSOCK, k.shutdown(t, ep, SHUT_RD));
    U_FAILS(k, ENOTSOCK, k.shutdown(t, ep, 7));
    U_FAILS(k, ENOTSOCK, k.bind(t, ep, "x"));
    U_FAILS(k, ENOTSOCK, k.listen(t, ep, 1));
    U_FAILS(k, ENOTSOCK, k.connect(t, ep, "x"));
    U_FAILS(k, ENOTSOCK, k.accept4(t, ep, 0));
    // u5: accept4 looks at the fd before the flags, and at the flags before the file type.
    U_FAILS(k, EBADF, k.accept4(t, 99, 0x1234));
    U_FAILS(k, EINVAL, k.accept4(t, ep, 0x1234));
}

TEST_CASE("unix listener: silent until a connection is pending, IN|RDNORM then - accept gives OUT|IN", "[model][unix]") {
    // Fact check item 11, "listener" part.
    Kernel k;
    const ObjId t = k.init_task();
    const int l = new_socket(k, t);
    const int ep = static_cast<int>(k.epoll_create1(t, 0).ret);
    add(k, t, ep, l, kM, 0x1);
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 1 {ev=0x14 data=0x1}");
    U_OK(k, 0, k.bind(t, l, "fcheck_epoll_t11"));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 1 {ev=0x14 data=0x1}");
    U_OK(k, 0, k.listen(t, l, 5));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 0");
    U_FAILS(k, EAGAIN, k.accept4(t, l, SOCK_NONBLOCK));
    const int c = new_socket(k, t);
    add(k, t, ep, c, kM, 0x2);
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 1 {ev=0x14 data=0x2}");
    U_OK(k, 0, k.connect(t, c, "fcheck_epoll_t11"));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 2 {ev=0x4 data=0x2} {ev=0x1 data=0x1}");
    REQUIRE(describe_fd(k, t, l) == "unix stream listening on @fcheck_epoll_t11, 1 pending (backlog 5)");
    U_OK(k, 2, k.write(t, c, 2));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 2 {ev=0x4 data=0x2} {ev=0x1 data=0x1}");
    const SysResult r = k.accept4(t, l, SOCK_NONBLOCK);
    REQUIRE(errs(r.err) == "OK");
    UINV(k);
    const int s = static_cast<int>(r.ret);
    add(k, t, ep, s, kM, 0x3);
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 2 {ev=0x4 data=0x2} {ev=0x5 data=0x3}");
    REQUIRE(describe_fd(k, t, s) == "unix stream established, 2 bytes queued, @fcheck_epoll_t11");
    U_FAILS(k, EAGAIN, k.accept4(t, l, SOCK_NONBLOCK));
    U_OK(k, 0, k.close(t, c));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 1 {ev=0x2015 data=0x3}");
    U_OK(k, 2, k.read(t, s, 64));
    U_OK(k, 0, k.read(t, s, 64));
}

TEST_CASE("unix connect and accept: errors and their order, as the 6.18 kernel checks them", "[model][unix]") {
    // u1, u2, u5.
    Kernel k;
    const ObjId t = k.init_task();
    const int l = new_socket(k, t);
    U_FAILS(k, EINVAL, k.listen(t, l, 5));  // unbound
    U_OK(k, 0, k.bind(t, l, "ufacts_l1"));
    U_FAILS(k, EINVAL, k.bind(t, l, "ufacts_l1"));
    U_FAILS(k, EINVAL, k.bind(t, l, "ufacts_other"));
    const int l2 = new_socket(k, t);
    U_FAILS(k, EADDRINUSE, k.bind(t, l2, "ufacts_l1"));
    U_FAILS(k, ECONNREFUSED, k.connect(t, l2, "ufacts_l1"));  // bound, not listening
    U_FAILS(k, ECONNREFUSED, k.connect(t, l2, "ufacts_none"));
    U_FAILS(k, EINVAL, k.connect(t, l2, ""));
    U_OK(k, 0, k.listen(t, l, 0));
    U_OK(k, 0, k.listen(t, l, 0));  // again: fine
    U_FAILS(k, EINVAL, k.read(t, l, 1));
    U_OK(k, 0, k.read(t, l, 0));
    U_FAILS(k, ENOTCONN, k.write(t, l, 1));
    U_FAILS(k, ENOTCONN, k.write(t, l, 0));
    REQUIRE(pollm(k, t, l) == 0);

    // Backlog 0 admits one pending connection.
    const int c1 = new_socket(k, t), c2 = new_socket(k, t), c3 = new_socket(k, t);
    U_OK(k, 0, k.connect(t, c1, "ufacts_l1"));
    U_FAILS(k, EAGAIN, k.connect(t, c2, "ufacts_l1"));
    U_FAILS(k, EAGAIN, k.connect(t, c3, "ufacts_l1"));
    REQUIRE(pollm(k, t, c1) == 0x304);
    REQUIRE(pollm(k, t, c2) == 0x314);
    REQUIRE(pollm(k, t, l) == 0x41);
    // Lookup, then the listener's state, then its queue, and only then our own state.
    U_FAILS(k, EAGAIN, k.connect(t, c1, "ufacts_l1"));
    U_FAILS(k, ECONNREFUSED, k.connect(t, c1, "ufacts_none"));
    U_FAILS(k, ECONNREFUSED, k.connect(t, l, "ufacts_none"));
    U_FAILS(k, EAGAIN, k.connect(t, l, "ufacts_l1"));
    const Pair sp = make_pair(k, t);
    U_FAILS(k, EAGAIN, k.connect(t, sp.a, "ufacts_l1"));

    // accept4: bad flags, not a listener.
    const int u = new_socket(k, t);
    U_FAILS(k, EINVAL, k.accept4(t, l, 0x1234));
    U_FAILS(k, EINVAL, k.accept4(t, sp.a, 0));
    U_FAILS(k, EINVAL, k.accept4(t, u, 0));
    const SysResult r = k.accept4(t, l, SOCK_NONBLOCK);
    REQUIRE(errs(r.err) == "OK");
    UINV(k);
    const int s1 = static_cast<int>(r.ret);
    REQUIRE(pollm(k, t, s1) == 0x304);
    // The accepted socket has its listener's address: bind is EINVAL on it.
    U_FAILS(k, EINVAL, k.bind(t, s1, "ufacts_l1"));
    U_FAILS(k, EINVAL, k.bind(t, s1, "ufacts_x"));
    U_OK(k, 0, k.bind(t, sp.a, "ufacts_x"));
    U_FAILS(k, EINVAL, k.listen(t, sp.a, 1));  // bound but connected
    U_FAILS(k, EAGAIN, k.accept4(t, l, SOCK_NONBLOCK));

    // Now there is room: our own state decides.
    const int m = new_listener(k, t, "ufacts2_m", 3);
    U_FAILS(k, EISCONN, k.connect(t, c1, "ufacts2_m"));
    U_FAILS(k, EISCONN, k.connect(t, sp.a, "ufacts2_m"));
    U_FAILS(k, EINVAL, k.connect(t, l, "ufacts2_m"));
    U_FAILS(k, EINVAL, k.connect(t, m, "ufacts2_m"));

    // A listener with RCV_SHUTDOWN reports IN|RDHUP and refuses connections.
    U_OK(k, 0, k.shutdown(t, l, SHUT_RD));
    REQUIRE(pollm(k, t, l) == 0x2041);
    const int c4 = new_socket(k, t);
    U_FAILS(k, ECONNREFUSED, k.connect(t, c4, "ufacts_l1"));
    U_FAILS(k, EAGAIN, k.accept4(t, l, SOCK_NONBLOCK));

    // u2: SEND_SHUTDOWN alone leaves a listener silent; SHUT_RDWR adds HUP. It still accepts
    // what is queued, and listen() again is fine.
    {
        const int w = new_listener(k, t, "ufacts2_r", 1);
        U_OK(k, 0, k.shutdown(t, w, SHUT_WR));
        REQUIRE(pollm(k, t, w) == 0);
        U_OK(k, 0, k.connect(t, new_socket(k, t), "ufacts2_r"));
        U_OK(k, 0, k.shutdown(t, w, SHUT_RDWR));
        REQUIRE(pollm(k, t, w) == 0x2051);
        REQUIRE(k.accept4(t, w, 0).ret >= 3);
        UINV(k);
        U_OK(k, 0, k.listen(t, w, 2));
    }
    // u2: an unconnected socket's own SHUT_WR survives connect and is not mirrored.
    {
        const int w = new_listener(k, t, "ufacts2_s", 1);
        const int x = new_socket(k, t);
        U_OK(k, 0, k.shutdown(t, x, SHUT_WR));
        U_OK(k, 0, k.connect(t, x, "ufacts2_s"));
        REQUIRE(pollm(k, t, x) == 0x304);
        U_FAILS(k, EPIPE, k.write(t, x, 1));
        const SysResult ra = k.accept4(t, w, 0);
        REQUIRE(ra.ret >= 3);
        UINV(k);
        REQUIRE(pollm(k, t, static_cast<int>(ra.ret)) == 0x304);
    }

    // The name is free again once its socket is closed.
    U_OK(k, 0, k.close(t, l));
    const int l3 = new_socket(k, t);
    U_OK(k, 0, k.bind(t, l3, "ufacts_l1"));
}

TEST_CASE("unix listen: the backlog is clamped to somaxconn, and backlog N admits N+1", "[model][unix]") {
    // u5.
    Kernel k;
    const ObjId t = k.init_task();
    const int l = new_listener(k, t, "ufacts5_m", 2);
    int ok = 0;
    for (int i = 0; i < 10; ++i)
        if (k.connect(t, new_socket(k, t), "ufacts5_m").ret == 0) ++ok;
    UINV(k);
    REQUIRE(ok == 3);
    U_OK(k, 0, k.listen(t, l, 5));
    ok = 0;
    for (int i = 0; i < 10; ++i)
        if (k.connect(t, new_socket(k, t), "ufacts5_m").ret == 0) ++ok;
    REQUIRE(ok == 3);
    const int n = new_listener(k, t, "ufacts5_l", -1);
    REQUIRE(sock_at(k, t, n).max_ack_backlog == 4096);
}

TEST_CASE("unix bind: an empty name autobinds (5 hex digits), a no-op once bound", "[model][unix]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int a = new_socket(k, t), b = new_socket(k, t), c = new_socket(k, t);
    U_OK(k, 0, k.bind(t, a, "00000"));
    U_OK(k, 0, k.bind(t, b, ""));
    REQUIRE(sock_at(k, t, b).name == "00001");
    U_OK(k, 0, k.bind(t, b, ""));
    REQUIRE(sock_at(k, t, b).name == "00001");
    U_OK(k, 0, k.bind(t, c, "named"));
    U_OK(k, 0, k.bind(t, c, ""));
    REQUIRE(sock_at(k, t, c).name == "named");
    U_FAILS(k, EINVAL, k.bind(t, a, std::string(108, 'x')));
    // Names are per kernel: another kernel has its own namespace.
    Kernel k2;
    const int d = static_cast<int>(k2.socket(k2.init_task(), 0).ret);
    U_OK(k2, 0, k2.bind(k2.init_task(), d, "named"));
}

TEST_CASE("unix listener closed with pending connections: each client gets ECONNRESET and HUP", "[model][unix]") {
    // u2: the client that had sent data to its embryo gets its memory back as well.
    Kernel k;
    const ObjId t = k.init_task();
    const int p = new_listener(k, t, "ufacts2_p", 5);
    const int x = new_socket(k, t), y = new_socket(k, t);
    U_OK(k, 0, k.connect(t, x, "ufacts2_p"));
    U_OK(k, 0, k.connect(t, y, "ufacts2_p"));
    U_OK(k, 5, k.write(t, x, 5));
    REQUIRE(sock_at(k, t, x).wmem_alloc == 1 + 5 + k.config.unix_skb_overhead);
    const int ep = static_cast<int>(k.epoll_create1(t, 0).ret);
    add(k, t, ep, x, kM | EPOLLET, 0x1);
    add(k, t, ep, y, kM | EPOLLET, 0x2);
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 2 {ev=0x4 data=0x1} {ev=0x4 data=0x2}");
    U_OK(k, 0, k.close(t, p));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 2 {ev=0x201d data=0x1} {ev=0x201d data=0x2}");
    REQUIRE(pollm(k, t, x) == 0x235d);
    REQUIRE(pollm(k, t, y) == 0x235d);
    REQUIRE(sock_at(k, t, x).wmem_alloc == 1);
    U_FAILS(k, ECONNRESET, k.read(t, x, 10));
    U_OK(k, 0, k.read(t, x, 10));
    U_FAILS(k, EPIPE, k.write(t, x, 1));
    U_FAILS(k, ECONNRESET, k.read(t, y, 10));
    U_OK(k, 0, k.read(t, y, 10));
    const int q = new_socket(k, t);
    U_FAILS(k, ECONNREFUSED, k.connect(t, q, "ufacts2_p"));
    U_FAILS(k, ECONNREFUSED, k.connect(t, x, "ufacts2_p"));
}

TEST_CASE("unix client closed before accept: the accepted socket has the data, then EOF", "[model][unix]") {
    // u2.
    Kernel k;
    const ObjId t = k.init_task();
    const int p = new_listener(k, t, "ufacts2_q", 5);
    const int x = new_socket(k, t);
    U_OK(k, 0, k.connect(t, x, "ufacts2_q"));
    U_OK(k, 3, k.write(t, x, 3));
    U_OK(k, 0, k.close(t, x));
    REQUIRE(pollm(k, t, p) == 0x41);
    SysResult r = k.accept4(t, p, SOCK_NONBLOCK);
    REQUIRE(errs(r.err) == "OK");
    UINV(k);
    const int s = static_cast<int>(r.ret);
    REQUIRE(pollm(k, t, s) == 0x2355);
    U_OK(k, 3, k.read(t, s, 10));
    U_OK(k, 0, k.read(t, s, 10));
    U_FAILS(k, EPIPE, k.write(t, s, 1));
    const int y = new_socket(k, t);
    U_OK(k, 0, k.connect(t, y, "ufacts2_q"));
    U_OK(k, 0, k.close(t, y));
    r = k.accept4(t, p, SOCK_NONBLOCK);
    REQUIRE(errs(r.err) == "OK");
    UINV(k);
    REQUIRE(pollm(k, t, static_cast<int>(r.ret)) == 0x2355);
    U_OK(k, 0, k.read(t, static_cast<int>(r.ret), 10));
}

// =======================================================================================
// Wake-ups: keys, edges, write space
// =======================================================================================

TEST_CASE("unix ET: one edge per send, none for a zero-length send, none for the sender", "[model][unix]") {
    Kernel k;
    const ObjId t = k.init_task();
    auto [p, ep] = pair_ep(k, t, kM | EPOLLET);
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 2 {ev=0x4 data=0xa} {ev=0x4 data=0xb}");
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 0");
    U_OK(k, 3, k.write(t, p.a, 3));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 1 {ev=0x5 data=0xb}");
    U_OK(k, 3, k.write(t, p.a, 3));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 1 {ev=0x5 data=0xb}");
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 0");
    // u1: write(fd, buf, 0) -> 0 and no wake-up.
    const std::size_t mark = k.log.size();
    U_OK(k, 0, k.write(t, p.a, 0));
    REQUIRE(wakes_since(k, mark).empty());
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 0");
    U_OK(k, 0, k.read(t, p.b, 0));
}

TEST_CASE("unix wake-up keys: data IN|PRI|RDNORM|RDBAND, space OUT|WRNORM|WRBAND, state changes none", "[model][unix]") {
    Kernel k;
    const ObjId t = k.init_task();
    auto [p, ep] = pair_ep(k, t);
    std::size_t mark = k.log.size();
    U_OK(k, 3, k.write(t, p.a, 3));
    REQUIRE(wakes_since(k, mark) == std::vector<std::string>{"0xc3/1@sock_def_readable"});
    mark = k.log.size();
    U_OK(k, 1, k.read(t, p.b, 1));  // a partial read frees nothing
    REQUIRE(wakes_since(k, mark).empty());
    U_OK(k, 2, k.read(t, p.b, 64));
    REQUIRE(wakes_since(k, mark) == std::vector<std::string>{"0x304/1@unix_write_space"});
    mark = k.log.size();
    U_OK(k, 0, k.shutdown(t, p.a, SHUT_WR));
    REQUIRE(wakes_since(k, mark) ==
            std::vector<std::string>{"0x0/0@sock_def_wakeup", "0x0/0@sock_def_wakeup"});
    // close with unread data: the peer's wake-all, then write space for the peer's freed skb.
    U_OK(k, 4, k.write(t, p.b, 4));
    mark = k.log.size();
    U_OK(k, 0, k.close(t, p.a));
    REQUIRE(wakes_since(k, mark) ==
            std::vector<std::string>{"0x0/0@sock_def_wakeup", "0x304/1@unix_write_space"});
    // A socket nobody watches is not woken at all (skwq_has_sleeper).
    const Pair q = make_pair(k, t);
    mark = k.log.size();
    U_OK(k, 1, k.write(t, q.a, 1));
    U_OK(k, 0, k.shutdown(t, q.a, SHUT_RDWR));
    REQUIRE(wakes_since(k, mark).empty());
}

TEST_CASE("unix connect wakes the listener only - the client and the embryo get nothing", "[model][unix]") {
    // u4: listener ET gets one edge at connect; data sent to the embryo wakes nobody; the
    // accepted socket's read frees the client's skb: an ET OUT edge for the client.
    Kernel k;
    const ObjId t = k.init_task();
    const int l = new_listener(k, t, "ufacts4_l", 5);
    const int ep = static_cast<int>(k.epoll_create1(t, 0).ret);
    add(k, t, ep, l, kM | EPOLLET, 0x1);
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 0");
    const int c = new_socket(k, t);
    add(k, t, ep, c, kM | EPOLLET, 0x2);
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 1 {ev=0x14 data=0x2}");
    U_OK(k, 0, k.connect(t, c, "ufacts4_l"));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 1 {ev=0x1 data=0x1}");
    U_OK(k, 2, k.write(t, c, 2));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 0");
    const SysResult r = k.accept4(t, l, SOCK_NONBLOCK);
    REQUIRE(errs(r.err) == "OK");
    UINV(k);
    const int s = static_cast<int>(r.ret);
    add(k, t, ep, s, kM | EPOLLET, 0x3);
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 1 {ev=0x5 data=0x3}");
    U_OK(k, 2, k.read(t, s, 64));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 1 {ev=0x4 data=0x2}");
}

TEST_CASE("unix shutdown: every call wakes both sides, even when nothing changes", "[model][unix]") {
    // u4.
    Kernel k;
    const ObjId t = k.init_task();
    auto [p, ep] = pair_ep(k, t, kM | EPOLLET);
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 2 {ev=0x4 data=0xa} {ev=0x4 data=0xb}");
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 0");
    U_OK(k, 0, k.shutdown(t, p.a, SHUT_WR));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 2 {ev=0x4 data=0xa} {ev=0x2005 data=0xb}");
    U_OK(k, 0, k.shutdown(t, p.a, SHUT_WR));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 2 {ev=0x4 data=0xa} {ev=0x2005 data=0xb}");
    U_FAILS(k, EINVAL, k.shutdown(t, p.a, 9));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 0");
    U_OK(k, 1, k.write(t, p.b, 1));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 1 {ev=0x5 data=0xa}");
    U_OK(k, 1, k.read(t, p.a, 64));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 1 {ev=0x2005 data=0xb}");
    U_OK(k, 0, k.close(t, p.b));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 1 {ev=0x2015 data=0xa}");
}

TEST_CASE("unix write space: OUT goes when 4*wmem > sndbuf - each freed skb is an ET OUT edge", "[model][unix]") {
    KernelConfig cfg;
    cfg.unix_sndbuf = 4096;
    cfg.unix_skb_overhead = 768;
    Kernel k(cfg);
    const ObjId t = k.init_task();
    const Pair p = make_pair(k, t);
    const int ep = static_cast<int>(k.epoll_create1(t, 0).ret);
    add(k, t, ep, p.a, EPOLLOUT | EPOLLET, 0xA);
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 1 {ev=0x4 data=0xa}");
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 0");
    // 1 + 868 = 869: 4 * 869 = 3476 <= 4096, still writable.
    U_OK(k, 100, k.write(t, p.a, 100));
    REQUIRE(sock_at(k, t, p.a).wmem_alloc == 869);
    REQUIRE(pollm(k, t, p.a) == 0x304);
    // 1737: 6948 > 4096, not writable; sends go on while wmem_alloc - 1 < sndbuf.
    U_OK(k, 100, k.write(t, p.a, 100));
    REQUIRE(pollm(k, t, p.a) == 0);
    U_OK(k, 100, k.write(t, p.a, 100));
    U_OK(k, 100, k.write(t, p.a, 100));
    U_OK(k, 100, k.write(t, p.a, 100));  // 4340 - 1 >= 4096 from now on
    REQUIRE(sock_at(k, t, p.a).wmem_alloc == 4341);
    U_FAILS(k, EAGAIN, k.write(t, p.a, 100));
    U_FAILS(k, EAGAIN, k.write(t, p.a, 1));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 0");
    // Partial reads free nothing; freeing skbs while still not writable wakes nobody.
    U_OK(k, 50, k.read(t, p.b, 50));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 0");
    U_OK(k, 50, k.read(t, p.b, 50));  // frees one skb: 3473, 4 * 3474 > 4096
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 0");
    U_OK(k, 300, k.read(t, p.b, 300));  // frees three: the last leaves 869, writable again
    REQUIRE(pollm(k, t, p.a) == 0x304);
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 1 {ev=0x4 data=0xa}");
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 0");
    // While writable, every freed skb is an edge (u3: "after B read rest").
    U_OK(k, 100, k.read(t, p.b, 100));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 1 {ev=0x4 data=0xa}");
    U_FAILS(k, EAGAIN, k.read(t, p.b, 100));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 0");
    REQUIRE(sock_at(k, t, p.a).wmem_alloc == 1);
}

TEST_CASE("unix send: large sends split into 36544-byte skbs, one wake each - partial when full", "[model][unix]") {
    // u3: a 100000-byte send frees its memory in steps of 36544, 36544, 26912 bytes read; at
    // the default sndbuf a nonblocking 300000-byte send returns 219264 (6 skbs), then EAGAIN.
    Kernel k;
    const ObjId t = k.init_task();
    auto [p, ep] = pair_ep(k, t);
    std::size_t mark = k.log.size();
    U_OK(k, 100000, k.write(t, p.a, 100000));
    REQUIRE(wakes_since(k, mark).size() == 3);
    const std::uint64_t ov = k.config.unix_skb_overhead;
    REQUIRE(sock_at(k, t, p.a).wmem_alloc == 1 + 100000 + 3 * ov);
    U_OK(k, 36543, k.read(t, p.b, 36543));
    REQUIRE(sock_at(k, t, p.a).wmem_alloc == 1 + 100000 + 3 * ov);
    U_OK(k, 1, k.read(t, p.b, 1));
    REQUIRE(sock_at(k, t, p.a).wmem_alloc == 1 + 100000 - 36544 + 2 * ov);
    U_OK(k, 100000 - 36544, k.read(t, p.b, 1000000));
    REQUIRE(sock_at(k, t, p.a).wmem_alloc == 1);

    mark = k.log.size();
    U_OK(k, 219264, k.write(t, p.a, 300000));
    REQUIRE(wakes_since(k, mark).size() == 6);
    U_FAILS(k, EAGAIN, k.write(t, p.a, 1));
    REQUIRE(pollm(k, t, p.a) == 0);
    REQUIRE(unix_skb_payload(100000, 4096) == 1984);  // sndbuf/2 - 64 when that is smaller
}

TEST_CASE("unix blocking calls that would sleep are model errors, checked before any change", "[model][unix]") {
    KernelConfig cfg;
    cfg.unix_sndbuf = 4096;
    Kernel k(cfg);
    const ObjId t = k.init_task();
    const Pair p = make_pair(k, t, 0);
    REQUIRE_THROWS_AS(k.read(t, p.a, 1), ModelError);
    U_OK(k, 3000, k.write(t, p.a, 3000));  // two skbs of 1984 and 1016
    REQUIRE(sock_at(k, t, p.a).wmem_alloc == 1 + 3000 + 2 * k.config.unix_skb_overhead);
    const std::uint64_t before = sock_at(k, t, p.a).wmem_alloc;
    REQUIRE_THROWS_AS(k.write(t, p.a, 5000), ModelError);
    REQUIRE(sock_at(k, t, p.a).wmem_alloc == before);
    REQUIRE(sock_at(k, t, p.b).queued_bytes() == 3000);
    const int l = new_listener(k, t, "blk", 0, 0);
    REQUIRE_THROWS_AS(k.accept4(t, l, SOCK_NONBLOCK), ModelError);  // the listener decides
    U_OK(k, 0, k.connect(t, new_socket(k, t, 0), "blk"));
    REQUIRE_THROWS_AS(k.connect(t, new_socket(k, t, 0), "blk"), ModelError);
    // A blocking listener with RCV_SHUTDOWN and nothing queued: EINVAL, not a sleep.
    const int l2 = new_listener(k, t, "blk2", 1, 0);
    U_OK(k, 0, k.shutdown(t, l2, SHUT_RD));
    U_FAILS(k, EINVAL, k.accept4(t, l2, 0));
    // O_NONBLOCK set later through fcntl is honoured.
    U_OK(k, 0, k.fcntl(t, p.b, F_SETFL, O_NONBLOCK));
    U_OK(k, 3000, k.read(t, p.b, 5000));
    U_FAILS(k, EAGAIN, k.read(t, p.b, 1));
}

TEST_CASE("unix socketpair and accept4 reserve their fds first: EMFILE leaves nothing behind", "[model][unix]") {
    KernelConfig cfg;
    cfg.nofile = 5;
    Kernel k(cfg);
    const ObjId t = k.init_task();
    const int l = new_listener(k, t, "emfile", 4);  // fd 3
    const int c = new_socket(k, t);                  // fd 4: the table is full
    int sv[2];
    U_FAILS(k, EMFILE, k.socketpair(t, sv, 0));
    U_FAILS(k, EMFILE, k.socket(t, 0));
    U_OK(k, 0, k.connect(t, c, "emfile"));
    U_FAILS(k, EMFILE, k.accept4(t, l, 0));
    // u6: the fd is reserved before unix_accept looks at the socket, after the flags check.
    U_FAILS(k, EMFILE, k.accept4(t, c, 0));
    U_FAILS(k, EINVAL, k.accept4(t, l, 0x1234));
    REQUIRE(sock_at(k, t, l).accept_q.size() == 1);  // still queued
    U_OK(k, 0, k.close(t, c));
    const SysResult r = k.accept4(t, l, 0);
    REQUIRE(r.ret == 4);
    UINV(k);
}

TEST_CASE("unix sockets: the log carries sock.* state, and replay reproduces it exactly", "[model][unix]") {
    Kernel k;
    const ObjId t = k.init_task();
    auto [p, ep] = pair_ep(k, t, kM | EPOLLET);
    const int l = new_listener(k, t, "replay", 2);
    const int c = new_socket(k, t);
    U_OK(k, 0, k.connect(t, c, "replay"));
    U_OK(k, 7, k.write(t, p.a, 7));
    U_OK(k, 0, k.shutdown(t, p.b, SHUT_WR));
    const SysResult r = k.accept4(t, l, SOCK_CLOEXEC);
    REQUIRE(r.ret >= 3);
    U_OK(k, 7, k.read(t, p.b, 100));
    U_OK(k, 0, k.close(t, p.a));
    U_OK(k, 0, k.close(t, l));
    REQUIRE(wait_str(k, t, ep) == "epoll_wait -> 1 {ev=0x2015 data=0xb}");

    bool saw_recv = false, saw_shut = false, saw_wmem = false;
    for (const Event& e : k.log.events) {
        if (e.type != EventType::FileState) continue;
        const auto what = static_cast<FileStateWhat>(e.y);
        saw_recv |= what == FileStateWhat::SockRecvBytes && e.fn == KFn::unix_stream_sendmsg && e.x == 7;
        saw_shut |= what == FileStateWhat::SockShutdown && e.fn == KFn::unix_shutdown;
        saw_wmem |= what == FileStateWhat::SockWmem && e.fn == KFn::unix_stream_recvmsg && e.x == 1;
    }
    REQUIRE(saw_recv);
    REQUIRE(saw_shut);
    REQUIRE(saw_wmem);

    auto again = k.replay_to(UINT64_MAX);
    REQUIRE(again->log.events.size() == k.log.events.size());
    for (std::size_t i = 0; i < k.log.events.size(); ++i) {
        const Event& a = k.log.events[i];
        const Event& b = again->log.events[i];
        INFO("event " << i << ": " << k.describe(a));
        REQUIRE((a.type == b.type && a.fn == b.fn && a.a == b.a && a.b == b.b && a.c == b.c &&
                 a.x == b.x && a.y == b.y));
    }
    REQUIRE(again->check_invariants() == "");
    // Every intermediate state replays without breaking memory safety.
    for (std::uint64_t i = 0; i < k.log.events.size(); i += 7) {
        auto part = k.replay_to(i);
        REQUIRE(part->log.events.size() == i + 1);
    }
}

TEST_CASE("unix invariants: wmem accounting and peer links are checked per socket file", "[model][unix]") {
    Kernel k;
    const ObjId t = k.init_task();
    const Pair p = make_pair(k, t);
    const int l = new_listener(k, t, "inv", 3);
    const int c = new_socket(k, t);
    U_OK(k, 0, k.connect(t, c, "inv"));
    U_OK(k, 5, k.write(t, c, 5));
    U_OK(k, 9, k.write(t, p.a, 9));
    for (int fd : {p.a, p.b, l, c}) {
        const File* f = k.process_of(t).fds[static_cast<std::size_t>(fd)].file;
        REQUIRE(check_unix_sock_invariants(*f) == "");
    }
    const UnixSock& ls = sock_at(k, t, l);
    REQUIRE(ls.accept_q.size() == 1);
    const UnixSock& embryo = *ls.accept_q.front();
    REQUIRE(embryo.file_id == 0);
    REQUIRE(embryo.queued_bytes() == 5);
    REQUIRE(embryo.peer.get() == &sock_at(k, t, c));
    REQUIRE(embryo.wmem_alloc == 1 + 1 + k.config.unix_skb_overhead);  // its connect skb
    REQUIRE(describe_fd(k, t, p.a) == "unix stream established, 0 bytes queued, wmem " +
                                          std::to_string(1 + 9 + k.config.unix_skb_overhead));
}
