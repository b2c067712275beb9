// host_backend.cpp - HostBackend: posting calls to workers, settling on /proc, cleanup.
//
// Settling. The model runs every woken task to completion before the next step. On the host,
// a syscall that wakes a sleeper (write -> ep_poll_callback -> try_to_wake_up) sets the
// sleeper's state to running before it returns, so right after a call, every thread that
// still shows 'S' in its call's syscall really sleeps there and every thread it woke shows
// 'R' (or 'W'aking) until it finishes or sleeps again. call() therefore waits until its own
// thread finished or sleeps, and then until every thread with a call in flight is finished or
// asleep ("quiet"); only then does the next step run.
//
// Asleep = the call's syscall number, written by the worker right before the raw syscall, is
// the one /proc/TID/syscall shows (the kernel prints it only while the task is off the CPU),
// and /proc/TID/stat says 'S'. The worker's own futex waits never match a call's number.
#include "host_backend.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <set>
#include <thread>

#include "host_exec.h"
#include "host_fork.h"
#include "host_proc.h"
#include "host_worker.h"

namespace epsim::scn {

using namespace std::chrono_literals;
using hostexec::Worker;

// State the workers touch. Shared (not owned by the backend alone) so that a worker that
// cannot be unstuck at destruction can be leaked safely instead of hanging the destructor.
struct HostBackend::Shared {
    std::mutex mu;  // progress: a worker finished a call
    std::condition_variable cv;
    std::uint64_t gen = 0;

    std::mutex fd_mu;  // fds of process 0 the backend believes open
    std::set<int> fds;

    void progress() {
        {
            std::lock_guard lk(mu);
            ++gen;
        }
        cv.notify_all();
    }

    // Remembers the fds a call in process 0 created and forgets the ones it closed.
    void track(const CallSpec& c, const CallResult& r) {
        auto arg = [&](std::size_t i) -> int { return i < c.args.size() ? static_cast<int>(c.args[i]) : 0; };
        std::lock_guard lk(fd_mu);
        switch (c.kind) {
            case CallKind::EpollCreate:
            case CallKind::EpollCreate1:
            case CallKind::Eventfd:
            case CallKind::Socket:
            case CallKind::Accept:
            case CallKind::OpenFile:
            case CallKind::Dup:
                if (r.ret >= 0) fds.insert(static_cast<int>(r.ret));
                break;
            case CallKind::Pipe:
            case CallKind::Socketpair:
                if (r.ret == 0) fds.insert({r.fds[0], r.fds[1]});
                break;
            case CallKind::Dup2:  // newfd now holds the scenario's file (closed first if open)
                if (r.ret >= 0 && arg(0) != arg(1)) fds.insert(static_cast<int>(r.ret));
                break;
            case CallKind::Fcntl:
                if (r.ret >= 0 && (arg(1) == F_DUPFD || arg(1) == F_DUPFD_CLOEXEC)) fds.insert(static_cast<int>(r.ret));
                break;
            case CallKind::Close:  // the number is free again (even on EINTR/EIO), whoever reuses it
                fds.erase(arg(0));
                break;
            default: break;
        }
    }
};

struct HostBackend::Proc {
    pid_t pid = 0;  // 0: this process
    int sock = -1;  // the channel to a child
    hostexec::ChildShared* child = nullptr;
    int main_thread = -1;
    std::atomic<bool> gone{false};  // the child's channel closed under a call
};

struct HostBackend::Thread {
    int proc = 0;
    pid_t pid = 0;  // whose /proc: 0 = /proc/self
    pid_t tid = 0;  // the task that runs the calls
    const std::atomic<int>* in_syscall = nullptr;
    std::unique_ptr<hostexec::ExecContext> ctx;  // process 0 only; outlives the worker
    std::unique_ptr<Worker> worker;
};

namespace {

void on_sigusr1(int) {}

void install_process_handlers() {
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction sa{};
        sa.sa_handler = on_sigusr1;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = 0;  // no SA_RESTART: a signalled sleep returns EINTR
        ::sigaction(SIGUSR1, &sa, nullptr);
        struct sigaction ign{};
        ign.sa_handler = SIG_IGN;
        sigemptyset(&ign.sa_mask);
        ::sigaction(SIGPIPE, &ign, nullptr);
    });
}

std::atomic<unsigned> g_instances{0};

CallResult stuck(int err = ETIMEDOUT) {
    CallResult r;
    r.ret = -1;
    r.err = err;
    return r;
}

}  // namespace

// =============================================================================================
// lifetime
// =============================================================================================
HostBackend::HostBackend(HostOptions opt) : opt_(opt), shared_(std::make_shared<Shared>()) {
    install_process_handlers();
    prefix_ = "epsim." + std::to_string(::getpid()) + "." + std::to_string(g_instances.fetch_add(1)) + ".";
    auto p0 = std::make_unique<Proc>();
    procs_.push_back(std::move(p0));
    procs_[0]->main_thread = add_local_thread();
}

HostBackend::~HostBackend() {
    // 1. Every call still in flight is interrupted (SIGUSR1, no SA_RESTART) until it returns.
    for (std::size_t i = 0; i < threads_.size(); ++i) {
        Thread& t = *threads_[i];
        if (!t.worker->in_flight() || unstick(t, 5000ms)) continue;
        if (t.proc != 0) {
            ::kill(procs_[static_cast<std::size_t>(t.proc)]->pid, SIGKILL);  // the forwarder sees EOF
            if (unstick(t, 2000ms)) continue;
        }
        std::fprintf(stderr, "epsim: HostBackend: %s cannot be interrupted; leaking its thread\n",
                     label(static_cast<int>(i)).c_str());
        (void)threads_[i].release();  // it keeps its context and the Shared state alive
    }
    // 2. Children: quit, then reap (SIGKILL if one does not exit).
    for (std::size_t i = 1; i < procs_.size(); ++i) {
        Proc& p = *procs_[i];
        if (p.sock >= 0) {
            hostexec::send_quit(p.sock);
            ::close(p.sock);
            p.sock = -1;
        }
        if (p.pid > 0) {
            int status = 0;
            const auto limit = Clock::now() + 2s;
            pid_t r;
            while ((r = ::waitpid(p.pid, &status, WNOHANG)) == 0 && Clock::now() < limit)
                std::this_thread::sleep_for(200us);
            if (r == 0) {
                ::kill(p.pid, SIGKILL);
                while (::waitpid(p.pid, &status, 0) < 0 && errno == EINTR) {
                }
            }
        }
    }
    // 3. Stop the workers (all idle now).
    threads_.clear();
    for (auto& p : procs_) hostexec::unmap_shared(p->child);
    // 4. Close what the scenario left open in process 0 (not what it closed itself: that number
    // may belong to someone else by now).
    std::set<int> fds;
    {
        std::lock_guard lk(shared_->fd_mu);
        fds.swap(shared_->fds);
    }
    for (int fd : fds) ::close(fd);
}

int HostBackend::add_local_thread() {
    auto t = std::make_unique<Thread>();
    t->ctx = std::make_unique<hostexec::ExecContext>();
    t->ctx->name_prefix = prefix_;
    hostexec::ExecContext* ctx = t->ctx.get();
    std::shared_ptr<Shared> sh = shared_;
    t->worker = std::make_unique<Worker>(
        [ctx, sh](const CallSpec& c) {
            CallResult r = hostexec::execute(c, *ctx);
            sh->track(c, r);
            return r;
        },
        [sh] { sh->progress(); });
    ctx->in_syscall = &t->worker->in_syscall;
    t->in_syscall = &t->worker->in_syscall;
    t->proc = 0;
    t->pid = 0;
    t->tid = t->worker->tid();
    threads_.push_back(std::move(t));
    return static_cast<int>(threads_.size() - 1);
}

int HostBackend::new_thread(int proc) {
    if (proc == 0) return add_local_thread();
    if (proc > 0 && static_cast<std::size_t>(proc) < procs_.size()) {
        problem = "threads in a forked process are not supported on the host backend";
    } else {
        problem = "new_thread: no process " + std::to_string(proc);
    }
    return -1;
}

int HostBackend::fork_process() {
    std::vector<int> other_channels;
    for (const auto& p : procs_)
        if (p->sock >= 0) other_channels.push_back(p->sock);
    hostexec::ChildHandle h = hostexec::spawn_child(prefix_, other_channels);
    if (h.pid < 0) {
        problem = std::string("fork failed: ") + std::strerror(h.err);
        return -1;
    }
    auto p = std::make_unique<Proc>();
    p->pid = h.pid;
    p->sock = h.sock;
    p->child = h.shared;
    Proc* raw = p.get();
    const int proc = static_cast<int>(procs_.size());
    procs_.push_back(std::move(p));

    auto t = std::make_unique<Thread>();
    std::shared_ptr<Shared> sh = shared_;
    t->worker = std::make_unique<Worker>(
        [raw](const CallSpec& c) {
            std::optional<CallResult> r = hostexec::remote_call(raw->sock, c);
            if (r) return *r;
            raw->gone.store(true);
            return stuck(EPIPE);
        },
        [sh] { sh->progress(); });
    t->proc = proc;
    t->pid = h.pid;
    t->tid = h.pid;  // the child's only thread
    t->in_syscall = &h.shared->in_syscall;
    threads_.push_back(std::move(t));
    raw->main_thread = static_cast<int>(threads_.size() - 1);
    return proc;
}

int HostBackend::main_thread(int proc) const {
    if (proc < 0 || static_cast<std::size_t>(proc) >= procs_.size()) return -1;
    return procs_[static_cast<std::size_t>(proc)]->main_thread;
}

// =============================================================================================
// waiting
// =============================================================================================
HostBackend::Thread* HostBackend::thread_at(int thread) const {
    if (thread < 0 || static_cast<std::size_t>(thread) >= threads_.size()) return nullptr;
    return threads_[static_cast<std::size_t>(thread)].get();
}

HostBackend::Clock::time_point HostBackend::deadline() const {
    return Clock::now() + std::chrono::milliseconds(opt_.watchdog_ms);
}

std::string HostBackend::label(int thread) const {
    const Thread* t = thread_at(thread);
    return "thread " + std::to_string(thread) + " (" + (t ? call_kind_name(t->worker->kind()) : "?") + ")";
}

bool HostBackend::sleeping(const Thread& t) const {
    const int nr = t.in_syscall->load(std::memory_order_seq_cst);
    return nr >= 0 && hostproc::sleeping_in(t.pid, t.tid, nr);
}

bool HostBackend::quiet(const Thread& t) const { return !t.worker->in_flight() || sleeping(t); }

// Polls pred() until it holds or the deadline passes. Wakes at once when a worker finishes a
// call; polls /proc (for sleepers) every 25 us at first, backing off to 1 ms.
template <class Pred>
bool HostBackend::wait_until(Clock::time_point limit, Pred pred) const {
    auto interval = std::chrono::microseconds(25);
    for (;;) {
        std::uint64_t seen;
        {
            std::lock_guard lk(shared_->mu);
            seen = shared_->gen;
        }
        if (pred()) return true;
        const auto now = Clock::now();
        if (now >= limit) return false;
        std::unique_lock lk(shared_->mu);
        shared_->cv.wait_for(lk, std::min<Clock::duration>(interval, limit - now), [&] { return shared_->gen != seen; });
        interval = std::min<std::chrono::microseconds>(interval * 2, 1000us);
    }
}

bool HostBackend::settle(Clock::time_point limit) {
    int laggard = -1;
    bool ok = wait_until(limit, [&] {
        for (std::size_t i = 0; i < threads_.size(); ++i)
            if (threads_[i] && !quiet(*threads_[i])) {
                laggard = static_cast<int>(i);
                return false;
            }
        return true;
    });
    if (!ok)
        problem = label(laggard) + " neither finished nor slept within " + std::to_string(opt_.watchdog_ms) + " ms";
    return ok;
}

void HostBackend::kick(const Thread& t) const {
    if (t.proc == 0)
        ::pthread_kill(t.worker->handle(), SIGUSR1);
    else
        ::syscall(SYS_tgkill, t.pid, t.tid, SIGUSR1);
}

// SIGUSR1 every 10 ms until the call returns (one sent just before the thread entered the
// syscall would be lost: the handler runs, then the syscall sleeps).
bool HostBackend::unstick(const Thread& t, std::chrono::milliseconds limit) const {
    const auto end = Clock::now() + limit;
    while (t.worker->in_flight()) {
        if (Clock::now() >= end) return false;
        kick(t);
        wait_until(std::min(end, Clock::now() + 10ms), [&] { return !t.worker->in_flight(); });
    }
    return true;
}

CallResult HostBackend::finished_result(const Thread& t) {
    CallResult r = t.worker->result();
    if (t.proc != 0 && procs_[static_cast<std::size_t>(t.proc)]->gone.load() && problem.empty())
        problem = "process " + std::to_string(t.proc) + " (pid " + std::to_string(t.pid) + ") exited";
    return r;
}

// =============================================================================================
// the Backend interface
// =============================================================================================
CallResult HostBackend::call(int thread, const CallSpec& c) {
    Thread* t = thread_at(thread);
    if (!t) {
        problem = "call: no thread " + std::to_string(thread);
        return stuck(ESRCH);
    }
    if (t->worker->in_flight()) {
        problem = label(thread) + " is still in its previous call";
        return stuck(EBUSY);
    }
    const auto limit = deadline();
    t->worker->post(c);
    const bool must_finish = thread == 0;
    if (!wait_until(limit, [&] { return !t->worker->in_flight() || (!must_finish && sleeping(*t)); })) {
        problem = label(thread) + (must_finish ? " did not finish" : " neither finished nor slept") + " within " +
                  std::to_string(opt_.watchdog_ms) + " ms";
        return stuck();
    }
    if (!settle(limit)) return stuck();
    if (t->worker->in_flight()) {
        CallResult r;
        r.blocked = true;
        return r;
    }
    return finished_result(*t);
}

bool HostBackend::is_blocked(int thread) {
    const Thread* t = thread_at(thread);
    return t && t->worker->in_flight() && hostproc::blocked_in_epoll_wait(t->pid, t->tid);
}

CallResult HostBackend::join(int thread) {
    Thread* t = thread_at(thread);
    if (!t) {
        problem = "join: no thread " + std::to_string(thread);
        return stuck(ESRCH);
    }
    if (t->worker->in_flight()) {
        if (!wait_until(deadline(), [&] { return !t->worker->in_flight(); })) {
            problem = label(thread) + " did not finish within " + std::to_string(opt_.watchdog_ms) + " ms";
            unstick(*t, 2000ms);  // so that the rest (and the cleanup) can proceed
            return stuck();
        }
        // Timers may have fired elsewhere meanwhile: hand back a quiet system, as call() does.
        if (!settle(deadline())) return stuck();
    }
    return finished_result(*t);
}

void HostBackend::signal(int thread) {
    const Thread* t = thread_at(thread);
    if (!t) {
        problem = "signal: no thread " + std::to_string(thread);
        return;
    }
    kick(*t);  // the kernel makes the sleeper runnable before tgkill returns
    settle(deadline());
}

void HostBackend::sleep_ms(std::int64_t ms) {
    if (ms > 0) {
        timespec ts{static_cast<time_t>(ms / 1000), static_cast<long>(ms % 1000) * 1000000L};
        while (::nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
    }
    settle(deadline());
}

std::optional<std::vector<FdinfoItem>> HostBackend::fdinfo(int thread, int epfd) {
    const Thread* t = thread_at(thread);
    if (!t) {
        problem = "fdinfo: no thread " + std::to_string(thread);
        return std::nullopt;
    }
    return hostproc::fdinfo(t->pid, epfd);
}

// =============================================================================================
// introspection
// =============================================================================================
std::size_t HostBackend::tracked_fds() const {
    std::lock_guard lk(shared_->fd_mu);
    return shared_->fds.size();
}

pid_t HostBackend::process_pid(int proc) const {
    if (proc == 0) return ::getpid();
    if (proc < 0 || static_cast<std::size_t>(proc) >= procs_.size()) return -1;
    return procs_[static_cast<std::size_t>(proc)]->pid;
}

pid_t HostBackend::thread_tid(int thread) const {
    const Thread* t = thread_at(thread);
    return t ? t->tid : -1;
}

}  // namespace epsim::scn
