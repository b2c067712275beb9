// host_work.cpp - see host_work.h. Errors of the workload calls themselves are not expected
// (the fds are ours and valid); a failing call makes the run's result negative.
#include "host_work.h"

#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <unistd.h>

#include <algorithm>
#include <dirent.h>
#include <vector>

#include "timing.h"

namespace epsim::perf {

int host_fd_budget() {
    rlimit rl{};
    getrlimit(RLIMIT_NOFILE, &rl);
    int open_now = 0;
    if (DIR* d = opendir("/proc/self/fd")) {
        while (readdir(d)) ++open_now;
        closedir(d);
    }
    return static_cast<int>(rl.rlim_cur) - open_now - 16;
}

HostWatchSet::HostWatchSet(int n, bool edge_) : edge(edge_) {
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) {
        ok_ = false;
        return;
    }
    fds.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (fd < 0) {
            ok_ = false;
            return;
        }
        fds.push_back(fd);
        epoll_event ev{};
        ev.events = EPOLLIN | (edge ? EPOLLET : 0u);
        ev.data.u64 = static_cast<std::uint64_t>(i);
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) != 0) ok_ = false;
    }
}

HostWatchSet::~HostWatchSet() {
    for (int fd : fds) close(fd);
    if (epfd >= 0) close(epfd);
}

double host_add_del(HostWatchSet& s, int ops) {
    bool bad = false;
    const double t0 = now_ns();
    for (int i = 0; i < ops; ++i) {
        const int idx = i % static_cast<int>(s.fds.size());
        const int fd = s.fds[static_cast<std::size_t>(idx)];
        epoll_event ev{};
        ev.events = EPOLLIN | (s.edge ? EPOLLET : 0u);
        ev.data.u64 = static_cast<std::uint64_t>(idx);
        bad |= epoll_ctl(s.epfd, EPOLL_CTL_DEL, fd, nullptr) != 0;
        bad |= epoll_ctl(s.epfd, EPOLL_CTL_ADD, fd, &ev) != 0;
    }
    const double dt = now_ns() - t0;
    return bad ? -1 : dt / ops;
}

double host_mod(HostWatchSet& s, int ops) {
    bool bad = false;
    const double t0 = now_ns();
    for (int i = 0; i < ops; ++i) {
        const int idx = i % static_cast<int>(s.fds.size());
        epoll_event ev{};
        ev.events = EPOLLIN | (s.edge ? EPOLLET : 0u) | ((i & 1) ? EPOLLRDHUP : 0u);
        ev.data.u64 = static_cast<std::uint64_t>(idx);
        bad |= epoll_ctl(s.epfd, EPOLL_CTL_MOD, s.fds[static_cast<std::size_t>(idx)], &ev) != 0;
    }
    const double dt = now_ns() - t0;
    return bad ? -1 : dt / ops;
}

double host_harvest(HostWatchSet& s, int k, int rounds, std::size_t offset) {
    std::vector<epoll_event> out(static_cast<std::size_t>(k));
    const std::uint64_t one = 1;
    double waited = 0;
    bool bad = false;
    for (int r = 0; r < rounds; ++r) {
        for (int j = 0; j < k; ++j)
            bad |= write(s.fds[(spread_index(j, k, s.fds.size()) + offset) % s.fds.size()], &one, sizeof one) != sizeof one;
        const double t0 = now_ns();
        const int got = epoll_wait(s.epfd, out.data(), k, 0);
        waited += now_ns() - t0;
        bad |= got != k;
    }
    return bad ? -1 : waited / rounds;
}

void host_make_ready(HostWatchSet& s, int k) {
    const std::uint64_t one = 1;
    for (int j = 0; j < k; ++j)
        if (write(s.fds[spread_index(j, k, s.fds.size())], &one, sizeof one) != sizeof one) return;
}

void host_make_unready(HostWatchSet& s, int k) {
    std::uint64_t v = 0;
    for (int j = 0; j < k; ++j)
        if (read(s.fds[spread_index(j, k, s.fds.size())], &v, sizeof v) != sizeof v) return;
    std::vector<epoll_event> out(static_cast<std::size_t>(k));
    epoll_wait(s.epfd, out.data(), k, 0);
}

double host_epoll_wait_scan(HostWatchSet& s, int k, int rounds) {
    std::vector<epoll_event> out(static_cast<std::size_t>(k));
    bool bad = false;
    const double t0 = now_ns();
    for (int r = 0; r < rounds; ++r) bad |= epoll_wait(s.epfd, out.data(), k, 0) != k;
    const double dt = now_ns() - t0;
    return bad ? -1 : dt / rounds;
}

double host_poll_scan(const HostWatchSet& s, int rounds) {
    std::vector<pollfd> pf(s.fds.size());
    for (std::size_t i = 0; i < pf.size(); ++i) pf[i] = pollfd{s.fds[i], POLLIN, 0};
    bool bad = false;
    const double t0 = now_ns();
    for (int r = 0; r < rounds; ++r) bad |= poll(pf.data(), pf.size(), 0) <= 0;
    const double dt = now_ns() - t0;
    return bad ? -1 : dt / rounds;
}

double host_select_scan(const HostWatchSet& s, int rounds) {
    int maxfd = -1;
    for (int fd : s.fds) maxfd = std::max(maxfd, fd);
    if (maxfd >= FD_SETSIZE) return -1;
    fd_set want;
    FD_ZERO(&want);
    for (int fd : s.fds) FD_SET(fd, &want);
    bool bad = false;
    double dt = 0;
    for (int r = 0; r < rounds; ++r) {
        fd_set rd = want;  // select overwrites its sets: refill (not timed)
        timeval tv{0, 0};
        const double t0 = now_ns();
        bad |= select(maxfd + 1, &rd, nullptr, nullptr, &tv) <= 0;
        dt += now_ns() - t0;
    }
    return bad ? -1 : dt / rounds;
}

}  // namespace epsim::perf
