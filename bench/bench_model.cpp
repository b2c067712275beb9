// bench_model.cpp - the model's hot paths at 1k, 100k and 1M epitems, recording on and off:
// EPOLL_CTL_ADD+DEL, EPOLL_CTL_MOD, and harvesting 100 ready items (LT, so they stay ready).
// Each watched fd is an eventfd, as in the performance issue.
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "sim/kernel.h"

using namespace epsim;

namespace {

// A kernel with n eventfds registered in one epoll; `ready` of them made readable (LT).
struct World {
    std::unique_ptr<Kernel> k;
    ObjId t = 1;
    int ep = -1;
    std::vector<int> fds;

    World(int n, bool record, int ready) {
        KernelConfig cfg;
        cfg.record = false;  // setup is not measured
        cfg.record_commands = false;
        cfg.nofile = n + 16;
        cfg.max_user_watches = n + 16;
        k = std::make_unique<Kernel>(cfg);
        ep = static_cast<int>(k->epoll_create1(t, 0).ret);
        fds.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            int fd = static_cast<int>(k->eventfd(t, 0, EFD_NONBLOCK).ret);
            EpollEvent ev{EPOLLIN, static_cast<std::uint64_t>(fd)};
            k->epoll_ctl(t, ep, EPOLL_CTL_ADD, fd, &ev);
            fds.push_back(fd);
        }
        for (int i = 0; i < ready; ++i) k->write(t, fds[static_cast<std::size_t>(i) * fds.size() / ready], 8, 1);
        k->log.enabled = record;
    }
    // Keep a recording log from growing without bound across millions of iterations.
    void trim(benchmark::State& state) {
        if (k->log.events.size() < (1u << 22)) return;
        state.PauseTiming();
        k->log.events.clear();
        k->log.syscalls.clear();
        state.ResumeTiming();
    }
};

void BM_AddDel(benchmark::State& state) {
    World w(static_cast<int>(state.range(0)), state.range(1) != 0, 0);
    std::size_t i = 0;
    for (auto _ : state) {
        int fd = w.fds[i++ % w.fds.size()];
        w.k->epoll_ctl(w.t, w.ep, EPOLL_CTL_DEL, fd, nullptr);
        EpollEvent ev{EPOLLIN, static_cast<std::uint64_t>(fd)};
        benchmark::DoNotOptimize(w.k->epoll_ctl(w.t, w.ep, EPOLL_CTL_ADD, fd, &ev));
        w.trim(state);
    }
    state.SetItemsProcessed(state.iterations());
}

void BM_Mod(benchmark::State& state) {
    World w(static_cast<int>(state.range(0)), state.range(1) != 0, 0);
    std::size_t i = 0;
    for (auto _ : state) {
        int fd = w.fds[i++ % w.fds.size()];
        EpollEvent ev{EPOLLIN | ((i & 1) ? EPOLLET : 0u), static_cast<std::uint64_t>(fd)};
        benchmark::DoNotOptimize(w.k->epoll_ctl(w.t, w.ep, EPOLL_CTL_MOD, fd, &ev));
        w.trim(state);
    }
    state.SetItemsProcessed(state.iterations());
}

void BM_Harvest100(benchmark::State& state) {
    World w(static_cast<int>(state.range(0)), state.range(1) != 0, 100);
    for (auto _ : state) {
        benchmark::DoNotOptimize(w.k->epoll_wait(w.t, w.ep, 128, 0));
        w.trim(state);
    }
    state.SetItemsProcessed(state.iterations() * 100);
}

void Sizes(benchmark::internal::Benchmark* b) {
    for (long n : {1000L, 100000L, 1000000L})
        for (long rec : {0L, 1L}) b->Args({n, rec});
    b->ArgNames({"epitems", "record"})->Unit(benchmark::kMicrosecond);
}

}  // namespace

BENCHMARK(BM_AddDel)->Apply(Sizes);
BENCHMARK(BM_Mod)->Apply(Sizes);
BENCHMARK(BM_Harvest100)->Apply(Sizes);
BENCHMARK_MAIN();
