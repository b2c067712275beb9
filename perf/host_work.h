// host_work.h - workloads on the real kernel, by direct syscalls (no scenario backend, no
// threads): the reference the model is compared with, and the poll/select/epoll growth curves.
//
// Every watched fd is an eventfd: one fd per watched object, so N can go up to the fd limit.
#pragma once
#include <cstdint>
#include <vector>

namespace epsim::perf {

// How many more fds this process may open (RLIMIT_NOFILE minus those open, minus a margin).
int host_fd_budget();

// One epoll instance watching n eventfds (EPOLLIN, plus EPOLLET if `edge`), data = index.
// Closes everything when destroyed. ok() is false if an fd could not be opened.
class HostWatchSet {
public:
    HostWatchSet(int n, bool edge);
    ~HostWatchSet();
    HostWatchSet(const HostWatchSet&) = delete;
    HostWatchSet& operator=(const HostWatchSet&) = delete;
    bool ok() const { return ok_; }
    int epfd = -1;
    std::vector<int> fds;
    bool edge = false;

private:
    bool ok_ = true;
};

// The index of the j-th of k fds spread evenly over n (so ready items are not neighbours).
inline std::size_t spread_index(int j, int k, std::size_t n) {
    return static_cast<std::size_t>(j) * n / static_cast<std::size_t>(k);
}

// Each returns nanoseconds per operation for one run.
double host_add_del(HostWatchSet& s, int ops);          // EPOLL_CTL_DEL then ADD of the same fd
double host_mod(HostWatchSet& s, int ops);              // EPOLL_CTL_MOD
// Storm: k of n fds are written (not timed), then one epoll_wait drains them (timed).
// The set must be edge-triggered, so a drained item stays off the ready list.
// k spread fds written (shifted by `offset` places: another ready set), then one epoll_wait.
double host_harvest(HostWatchSet& s, int k, int rounds, std::size_t offset = 0);

// Growth: k fds are made ready once and stay ready (level-triggered set).
void host_make_ready(HostWatchSet& s, int k);
// Reads the k fds back to 0 and lets one epoll_wait drop their stale ready-list entries.
void host_make_unready(HostWatchSet& s, int k);
double host_epoll_wait_scan(HostWatchSet& s, int k, int rounds);  // epoll_wait(maxevents = k)
double host_poll_scan(const HostWatchSet& s, int rounds);         // poll over all n fds
double host_select_scan(const HostWatchSet& s, int rounds);       // needs every fd < FD_SETSIZE

}  // namespace epsim::perf
