// host_backend.h - the real kernel as a Backend: every scenario call is a real syscall.
//
// Design (details in host_backend.cpp):
//   - every scenario thread, the main thread of process 0 included, is a worker pthread
//     (host_worker.h); the caller posts a call and waits, so a stuck call never hangs it;
//   - "blocked" and "settled" come from /proc (host_proc.h): a thread with a call in flight
//     is asleep when /proc/.../syscall names the call's own syscall and stat says 'S';
//   - a forked process is a real fork() serving calls over a socketpair (host_fork.h);
//   - the calls themselves are raw syscalls (host_exec.h);
//   - every fd a call creates is remembered and closed with the backend, all threads are
//     stopped (a stuck one gets SIGUSR1 until it returns) and children are reaped.
//
// Process-wide side effects (installed once, by the first HostBackend): a no-op SIGUSR1
// handler without SA_RESTART (a signalled epoll_wait returns EINTR), and SIGPIPE ignored
// (a write to a closed pipe returns EPIPE).
#pragma once
#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "backend.h"

namespace epsim::scn {

struct HostOptions {
    int watchdog_ms = 5000;  // longest wait for a call to finish or sleep, or for a join
};

class HostBackend final : public Backend {
public:
    explicit HostBackend(HostOptions opt = {});
    ~HostBackend() override;
    HostBackend(const HostBackend&) = delete;
    HostBackend& operator=(const HostBackend&) = delete;

    const char* name() const override { return "host"; }
    int new_thread(int proc) override;
    int fork_process() override;
    int main_thread(int proc) const override;
    // The main thread of process 0 (handle 0) waits for its call to finish: a call there that
    // sleeps is joined right away by the interpreter anyway, and one that sleeps forever is
    // what the watchdog is for. Every other thread returns blocked = true once it sleeps.
    CallResult call(int thread, const CallSpec& c) override;
    bool is_blocked(int thread) override;
    CallResult join(int thread) override;
    void signal(int thread) override;
    void sleep_ms(std::int64_t ms) override;
    std::optional<std::vector<FdinfoItem>> fdinfo(int thread, int epfd) override;

    // For tests and diagnostics.
    std::size_t tracked_fds() const;          // fds of process 0 the backend will close
    pid_t process_pid(int proc) const;        // the real pid (proc 0: getpid()); -1 if none
    pid_t thread_tid(int thread) const;       // the task /proc is read for; -1 if none
    const std::string& name_prefix() const { return prefix_; }

private:
    struct Shared;
    struct Proc;
    struct Thread;
    using Clock = std::chrono::steady_clock;

    Thread* thread_at(int thread) const;
    int add_local_thread();
    bool quiet(const Thread& t) const;     // no call in flight, or asleep in its syscall
    bool sleeping(const Thread& t) const;  // asleep in the syscall of its call
    template <class Pred>
    bool wait_until(Clock::time_point deadline, Pred pred) const;
    bool settle(Clock::time_point deadline);
    void kick(const Thread& t) const;      // SIGUSR1 to the thread
    bool unstick(const Thread& t, std::chrono::milliseconds limit) const;
    CallResult finished_result(const Thread& t);
    Clock::time_point deadline() const;
    std::string label(int thread) const;   // "thread 2 (epoll_wait)"

    HostOptions opt_;
    std::string prefix_;
    std::shared_ptr<Shared> shared_;
    std::vector<std::unique_ptr<Proc>> procs_;
    std::vector<std::unique_ptr<Thread>> threads_;
};

}  // namespace epsim::scn
