// host_worker.cpp - the worker pthread behind each HostBackend thread handle.
#include "host_worker.h"

#include <signal.h>
#include <unistd.h>

namespace epsim::scn::hostexec {

Worker::Worker(Runner run, std::function<void()> on_done) : run_(std::move(run)), on_done_(std::move(on_done)) {
    thread_ = std::thread([this] { loop(); });
    std::unique_lock lk(m_);
    cv_.wait(lk, [&] { return started_; });
}

Worker::~Worker() {
    {
        std::lock_guard lk(m_);
        quit_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void Worker::post(const CallSpec& c) {
    {
        std::lock_guard lk(m_);
        posted_ = c;
        kind_.store(c.kind, std::memory_order_relaxed);
        in_flight_.store(true, std::memory_order_release);
    }
    cv_.notify_all();
}

CallResult Worker::result() const {
    std::lock_guard lk(m_);
    return result_;
}

void Worker::loop() {
    // SIGUSR1 must reach this thread (it interrupts a call), whatever mask its creator had.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    {
        std::lock_guard lk(m_);
        tid_ = ::gettid();
        started_ = true;
    }
    cv_.notify_all();
    for (;;) {
        CallSpec spec;
        {
            std::unique_lock lk(m_);
            cv_.wait(lk, [&] { return posted_.has_value() || quit_; });
            if (!posted_) return;  // quit, nothing left to run
            spec = std::move(*posted_);
            posted_.reset();
        }
        CallResult r = run_(spec);
        {
            std::lock_guard lk(m_);
            result_ = std::move(r);
            in_flight_.store(false, std::memory_order_release);
        }
        if (on_done_) on_done_();
    }
}

}  // namespace epsim::scn::hostexec
