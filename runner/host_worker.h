// host_worker.h - one pthread per scenario thread (HostBackend): the caller posts a call and
// never runs it itself, so a call stuck in the kernel cannot hang the interpreter.
#pragma once
#include <pthread.h>
#include <sys/types.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "backend.h"

namespace epsim::scn::hostexec {

class Worker {
public:
    using Runner = std::function<CallResult(const CallSpec&)>;

    // Starts the thread and waits until it knows its TID. `on_done` runs in the worker after
    // each call, once the result is visible (in_flight() is false).
    Worker(Runner run, std::function<void()> on_done);
    // Stops the thread. A call still in flight must have been unstuck first (see HostBackend).
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    // Hands a call to the thread; in_flight() is true from here until its result is stored.
    void post(const CallSpec& c);
    bool in_flight() const { return in_flight_.load(std::memory_order_acquire); }
    // The result of the last completed call (a default CallResult before the first).
    CallResult result() const;
    // The kind of the call in flight, or of the last one posted.
    CallKind kind() const { return kind_.load(std::memory_order_relaxed); }

    pid_t tid() const { return tid_; }
    pthread_t handle() { return thread_.native_handle(); }

    // The syscall number while the worker is inside a call's syscall, -1 otherwise (for calls
    // it runs itself: the executor writes it).
    std::atomic<int> in_syscall{-1};

private:
    void loop();

    Runner run_;
    std::function<void()> on_done_;
    mutable std::mutex m_;
    std::condition_variable cv_;
    std::optional<CallSpec> posted_;
    bool quit_ = false;
    CallResult result_;
    std::atomic<bool> in_flight_{false};
    std::atomic<CallKind> kind_{CallKind::Close};
    pid_t tid_ = 0;
    bool started_ = false;
    std::thread thread_;
};

}  // namespace epsim::scn::hostexec
