// bench_model.cpp - the model's hot paths at 1k-1M epitems, recording off and on:
// EPOLL_CTL_ADD+DEL, EPOLL_CTL_MOD, harvesting 100 ready items (LT, so they stay ready),
// seeking in a 100,000-event run (checkpoints vs replay_to), and the memory of 1M watched fds.
// Each watched fd is an eventfd, as in the performance issue.
//
// "record:0" = recording off (no events, no commands); "record:1" = recording on: the event
// log, the syscall records and the commands replay needs.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <memory>
#include <random>
#include <vector>

#include "runner/log_memory.h"
#include "sim/checkpoints.h"
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
        k->config.record_commands = record;
    }
    // Keep a recording from growing without bound across millions of iterations.
    void trim(benchmark::State& state) {
        if (k->log.events.size() < (1u << 22)) return;
        state.PauseTiming();
        k->clear_recording();
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
    for (long n : {1000L, 10000L, 100000L, 1000000L})
        for (long rec : {0L, 1L}) b->Args({n, rec});
    b->ArgNames({"epitems", "record"})->Unit(benchmark::kMicrosecond);
}

// A recorded run of about 100,000 events: 1,000 watched eventfds, rounds of writes, harvests
// and MODs, with a thread that sleeps and is woken now and then.
const Kernel& run_100k() {
    static std::unique_ptr<Kernel> k = [] {
        KernelConfig cfg;
        cfg.nofile = 2048;
        auto kk = std::make_unique<Kernel>(cfg);
        int ep = static_cast<int>(kk->epoll_create1(1, 0).ret);
        std::vector<int> fds;
        for (int i = 0; i < 1000; ++i) {
            int fd = static_cast<int>(kk->eventfd(1, 0, EFD_NONBLOCK).ret);
            EpollEvent ev{i % 2 ? EPOLLIN : EPOLLIN | EPOLLET, static_cast<std::uint64_t>(i)};
            kk->epoll_ctl(1, ep, EPOLL_CTL_ADD, fd, &ev);
            fds.push_back(fd);
        }
        ObjId t2 = kk->spawn_thread(1);
        for (int round = 0; kk->log.size() < 100000; ++round) {
            kk->epoll_wait(t2, ep, 8, -1);
            for (int j = 0; j < 20; ++j) kk->write(1, fds[static_cast<std::size_t>((round * 37 + j * 11) % 1000)], 8, 1);
            for (int j = 0; j < 20; ++j) kk->read(1, fds[static_cast<std::size_t>((round * 37 + j * 11) % 1000)], 8);
            kk->epoll_wait(1, ep, 16, 0);
            EpollEvent ev{EPOLLIN, 7};
            kk->epoll_ctl(1, ep, EPOLL_CTL_MOD, fds[static_cast<std::size_t>(round % 1000)], &ev);
        }
        return kk;
    }();
    return *k;
}

void BM_Seek100k_Checkpoints(benchmark::State& state) {
    const Kernel& k = run_100k();
    static Checkpoints cps(k);
    std::mt19937_64 rng(42);
    for (auto _ : state) benchmark::DoNotOptimize(cps.seek(rng() % k.log.size()));
    state.counters["events"] = static_cast<double>(k.log.size());
    state.counters["checkpoints"] = static_cast<double>(cps.count());
    state.counters["cp_MB"] = static_cast<double>(cps.bytes()) / 1e6;
}

void BM_Seek100k_Replay(benchmark::State& state) {
    const Kernel& k = run_100k();
    std::mt19937_64 rng(42);
    for (auto _ : state) benchmark::DoNotOptimize(k.replay_to(rng() % k.log.size()));
    state.counters["events"] = static_cast<double>(k.log.size());
}

// 1,000,000 watched eventfds (file, fd slot, epitem, hook each), recording off: peak RSS
// and bytes per watched fd. Run it alone (--benchmark_filter=Memory): peak RSS is per process.
void BM_Memory1M(benchmark::State& state) {
    const int n = static_cast<int>(state.range(0));
    rusage before{};
    getrusage(RUSAGE_SELF, &before);
    for (auto _ : state) {
        World w(n, false, 100);
        benchmark::DoNotOptimize(w.k->epoll_wait(w.t, w.ep, 128, 0));
        rusage after{};
        getrusage(RUSAGE_SELF, &after);
        state.counters["peak_RSS_MB"] = static_cast<double>(after.ru_maxrss) / 1024.0;
        state.counters["B_per_fd"] = static_cast<double>(after.ru_maxrss - before.ru_maxrss) * 1024.0 / n;
    }
}

}  // namespace

BENCHMARK(BM_AddDel)->Apply(Sizes);
BENCHMARK(BM_Mod)->Apply(Sizes);
BENCHMARK(BM_Harvest100)->Apply(Sizes);
BENCHMARK(BM_Seek100k_Checkpoints)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Seek100k_Replay)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Memory1M)->Arg(1000000)->Iterations(1)->Unit(benchmark::kMillisecond);
// BENCHMARK_MAIN, with the event-log memory the epsim command uses.
int main(int argc, char** argv) {
    epsim::install_log_memory();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
