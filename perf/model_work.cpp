// model_work.cpp - see model_work.h. The model makes no syscalls: a failing model call means
// the workload is wrong, and the run's result is negative.
#include "model_work.h"

#include "host_work.h"  // spread_index
#include "timing.h"

namespace epsim::perf {

namespace {
KernelConfig config_for(int n, bool record) {
    KernelConfig cfg;
    cfg.nofile = n + 64;
    cfg.record = record;
    cfg.record_commands = record;
    return cfg;
}
CounterSnapshot snap(const Kernel& k) { return k.log.counts; }
std::uint64_t at(const CounterSnapshot& c, EventType t) { return c[static_cast<std::size_t>(t)]; }
// The j-th of k fds spread over the set, shifted by `offset` places (another ready set).
int spread_fd(const ModelWatchSet& s, int j, int k, std::size_t offset) {
    return s.fds[(spread_index(j, k, s.fds.size()) + offset) % s.fds.size()];
}
}  // namespace

ModelWatchSet::ModelWatchSet(int n, bool edge_, bool record) : edge(edge_) {
    k = std::make_unique<Kernel>(config_for(n, false));
    epfd = static_cast<int>(k->epoll_create1(t, 0).ret);
    fds.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        const int fd = static_cast<int>(k->eventfd(t, 0, EFD_NONBLOCK).ret);
        EpollEvent ev{EPOLLIN | (edge ? EPOLLET : 0u), static_cast<std::uint64_t>(i)};
        k->epoll_ctl(t, epfd, EPOLL_CTL_ADD, fd, &ev);
        fds.push_back(fd);
    }
    set_recording(record);
}

void ModelWatchSet::set_recording(bool on) {
    k->log.enabled = on;
    k->config.record = on;
    k->config.record_commands = on;
}

std::map<std::string, double> work_per_op(const CounterSnapshot& b, const CounterSnapshot& a, std::uint64_t ops) {
    auto d = [&](EventType t) { return static_cast<double>(at(a, t) - at(b, t)) / static_cast<double>(ops); };
    std::uint64_t all = 0;
    for (std::size_t i = 0; i < a.size(); ++i) all += a[i] - b[i];
    return {
        {"rb_nodes_visited", d(EventType::RbFindVisit)},
        {"rb_rebalance_steps", d(EventType::RbInsertCase1) + d(EventType::RbInsertCase2Left) +
                                   d(EventType::RbInsertCase2Right) + d(EventType::RbInsertCase3Left) +
                                   d(EventType::RbInsertCase3Right) + d(EventType::RbEraseCase1Left) +
                                   d(EventType::RbEraseCase1Right) + d(EventType::RbEraseCase2) +
                                   d(EventType::RbEraseCase3Left) + d(EventType::RbEraseCase3Right) +
                                   d(EventType::RbEraseCase4Left) + d(EventType::RbEraseCase4Right)},
        {"callbacks", d(EventType::Callback)},
        {"list_ops", d(EventType::RdlAddTail) + d(EventType::RdlAddHead) + d(EventType::RdlDel) +
                         d(EventType::TxTake) + d(EventType::LtRequeue)},
        {"items_scanned", d(EventType::TxTake)},
        {"files_polled", d(EventType::Poll)},
        {"events", static_cast<double>(all) / static_cast<double>(ops)},
    };
}

double model_add_del(ModelWatchSet& s, int ops, std::map<std::string, double>* work) {
    Kernel& k = *s.k;
    const CounterSnapshot before = snap(k);
    bool bad = false;
    const double t0 = now_ns();
    for (int i = 0; i < ops; ++i) {
        const int idx = i % static_cast<int>(s.fds.size());
        const int fd = s.fds[static_cast<std::size_t>(idx)];
        EpollEvent ev{EPOLLIN | (s.edge ? EPOLLET : 0u), static_cast<std::uint64_t>(idx)};
        bad |= k.epoll_ctl(s.t, s.epfd, EPOLL_CTL_DEL, fd, nullptr).ret != 0;
        bad |= k.epoll_ctl(s.t, s.epfd, EPOLL_CTL_ADD, fd, &ev).ret != 0;
    }
    const double dt = now_ns() - t0;
    if (work) *work = work_per_op(before, snap(k), static_cast<std::uint64_t>(ops));
    return bad ? -1 : dt / ops;
}

double model_mod(ModelWatchSet& s, int ops, std::map<std::string, double>* work) {
    Kernel& k = *s.k;
    const CounterSnapshot before = snap(k);
    bool bad = false;
    const double t0 = now_ns();
    for (int i = 0; i < ops; ++i) {
        const int idx = i % static_cast<int>(s.fds.size());
        EpollEvent ev{EPOLLIN | (s.edge ? EPOLLET : 0u) | ((i & 1) ? EPOLLRDHUP : 0u), static_cast<std::uint64_t>(idx)};
        bad |= k.epoll_ctl(s.t, s.epfd, EPOLL_CTL_MOD, s.fds[static_cast<std::size_t>(idx)], &ev).ret != 0;
    }
    const double dt = now_ns() - t0;
    if (work) *work = work_per_op(before, snap(k), static_cast<std::uint64_t>(ops));
    return bad ? -1 : dt / ops;
}

double model_harvest(ModelWatchSet& s, int k_ready, int rounds, std::map<std::string, double>* work, std::size_t offset) {
    Kernel& k = *s.k;
    CounterSnapshot wait_work{};  // counters of the timed epoll_wait calls only
    double waited = 0;
    bool bad = false;
    for (int r = 0; r < rounds; ++r) {
        for (int j = 0; j < k_ready; ++j) k.write(s.t, spread_fd(s, j, k_ready, offset), 8, 1);
        const CounterSnapshot before = snap(k);
        const double t0 = now_ns();
        bad |= k.epoll_wait(s.t, s.epfd, k_ready, 0).ret != k_ready;
        waited += now_ns() - t0;
        const CounterSnapshot after = snap(k);
        for (std::size_t i = 0; i < after.size(); ++i) wait_work[i] += after[i] - before[i];
    }
    if (work) *work = work_per_op(CounterSnapshot{}, wait_work, static_cast<std::uint64_t>(rounds));
    return bad ? -1 : waited / rounds;
}

void model_make_ready(ModelWatchSet& s, int k_ready, std::size_t offset) {
    for (int j = 0; j < k_ready; ++j) s.k->write(s.t, spread_fd(s, j, k_ready, offset), 8, 1);
}

void model_make_unready(ModelWatchSet& s, int k_ready, std::size_t offset) {
    for (int j = 0; j < k_ready; ++j) s.k->read(s.t, spread_fd(s, j, k_ready, offset), 8);
    s.k->epoll_wait(s.t, s.epfd, k_ready, 0);
}

double model_epoll_wait_scan(ModelWatchSet& s, int k_ready, int rounds, std::map<std::string, double>* work) {
    Kernel& k = *s.k;
    const CounterSnapshot before = snap(k);
    bool bad = false;
    const double t0 = now_ns();
    for (int r = 0; r < rounds; ++r) bad |= k.epoll_wait(s.t, s.epfd, k_ready, 0).ret != k_ready;
    const double dt = now_ns() - t0;
    if (work) *work = work_per_op(before, snap(k), static_cast<std::uint64_t>(rounds));
    return bad ? -1 : dt / rounds;
}

double model_poll_scan(ModelWatchSet& s, int rounds, std::map<std::string, double>* work) {
    Kernel& k = *s.k;
    std::vector<PollFd> pf(s.fds.size());
    for (std::size_t i = 0; i < pf.size(); ++i) pf[i] = PollFd{s.fds[i], EPOLLIN, 0};
    const CounterSnapshot before = snap(k);
    bool bad = false;
    const double t0 = now_ns();
    for (int r = 0; r < rounds; ++r) bad |= k.poll(s.t, pf, 0).ret <= 0;
    const double dt = now_ns() - t0;
    if (work) *work = work_per_op(before, snap(k), static_cast<std::uint64_t>(rounds));
    return bad ? -1 : dt / rounds;
}

void model_build_watched(int n) { ModelWatchSet s(n, false, false); }

std::uint64_t model_mixed_ops(int ops, bool record) {
    const int per_fd = 4;  // eventfd, ADD, write, DEL
    Kernel k(config_for(ops / per_fd + 1, record));
    const ObjId t = 1;
    const int ep = static_cast<int>(k.epoll_create1(t, 0).ret);
    for (int i = 0; i + per_fd <= ops; i += per_fd) {
        const int fd = static_cast<int>(k.eventfd(t, 0, EFD_NONBLOCK).ret);
        EpollEvent ev{EPOLLIN, static_cast<std::uint64_t>(i)};
        k.epoll_ctl(t, ep, EPOLL_CTL_ADD, fd, &ev);
        k.write(t, fd, 8, 1);
        k.epoll_ctl(t, ep, EPOLL_CTL_DEL, fd, nullptr);
    }
    return k.log.total;
}

std::unique_ptr<Kernel> model_recorded_run(std::uint64_t events) {
    const int batch = 100;
    auto k = std::make_unique<Kernel>(config_for(static_cast<int>(events / 8) + batch, true));
    const ObjId t = 1;
    const int ep = static_cast<int>(k->epoll_create1(t, 0).ret);
    std::vector<int> fds;
    while (k->log.size() < events) {
        for (int j = 0; j < batch; ++j) {
            const int fd = static_cast<int>(k->eventfd(t, 0, EFD_NONBLOCK).ret);
            EpollEvent ev{EPOLLIN | EPOLLET, static_cast<std::uint64_t>(fd)};
            k->epoll_ctl(t, ep, EPOLL_CTL_ADD, fd, &ev);
            fds.push_back(fd);
        }
        for (std::size_t j = fds.size() - batch; j < fds.size(); ++j) k->write(t, fds[j], 8, 1);
        k->epoll_wait(t, ep, batch, 0);
    }
    return k;
}

std::unique_ptr<Kernel> model_steady_run(std::uint64_t events, int watched) {
    auto k = std::make_unique<Kernel>(config_for(watched, true));
    const ObjId t = 1;
    const int ep = static_cast<int>(k->epoll_create1(t, 0).ret);
    std::vector<int> fds;
    for (int i = 0; i < watched; ++i) {
        const int fd = static_cast<int>(k->eventfd(t, 0, EFD_NONBLOCK).ret);
        EpollEvent ev{EPOLLIN | EPOLLET, static_cast<std::uint64_t>(fd)};
        k->epoll_ctl(t, ep, EPOLL_CTL_ADD, fd, &ev);
        fds.push_back(fd);
    }
    const auto n = fds.size();
    for (std::size_t round = 0; k->log.size() < events; ++round) {
        for (std::size_t j = 0; j < 10; ++j) k->write(t, fds[(round * 10 + j * 37) % n], 8, 1);
        k->epoll_wait(t, ep, 16, 0);
        EpollEvent ev{(round & 1) ? EPOLLIN : EPOLLIN | EPOLLET, round};
        k->epoll_ctl(t, ep, EPOLL_CTL_MOD, fds[(round * 7) % n], &ev);
    }
    return k;
}

}  // namespace epsim::perf
