// kernel.h - the simulated machine: processes, tasks, files, epoll instances, a clock.
//
// Every syscall of the model is a method taking the calling task's id and returning a
// SysResult with the errno the Linux 6.18 kernel returns. Every mutation is logged in `log`.
// The implementation is split by kernel area:
//   kernel.cpp         object pools, fd tables, fork/threads, fput, clock, scheduler, replay
//   waitqueue.cpp      add/remove wait entries and the __wake_up_common walk
//   ep_ctl.cpp         epoll_create, epoll_ctl: ep_insert, ep_modify, ep_remove, rb tree
//   ep_loopcheck.cpp   ep_loop_check, reverse_path_check
//   ep_callback.cpp    ep_poll_callback, ep_ptable_queue_proc, ep_item_poll, nested poll
//   ep_wait.cpp        epoll_wait family: ep_poll, ep_send_events, ep_start/done_scan
//   ep_release.cpp     eventpoll_release_file, ep_clear_and_put, fdinfo
//   sys_io.cpp         read/write/close/dup/dup2/fcntl/shutdown/poll and file creation
//   pipe.cpp, eventfd.cpp, unix_socket.cpp: the file types
//   invariants.cpp     check_invariants()
//
// Determinism: ids come from per-kind counters, file addresses from a seeded generator, time
// from the simulated clock; the same calls give the same log, byte for byte.
#pragma once
#include <cassert>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "event_log.h"
#include "spare.h"
#include "eventpoll.h"
#include "file.h"
#include "task.h"
#include "uapi.h"

namespace epsim {

struct KernelConfig {
    std::uint64_t seed = 1;            // file "addresses" for rb ordering
    long max_user_watches = 5491511;   // /proc/sys/fs/epoll/max_user_watches (host value)
    int nofile = 1024;                 // RLIMIT_NOFILE soft limit of new processes
    bool record = true;                // event log on
    bool record_commands = true;       // keep the call list so any step can be replayed
    bool cap_block_suspend = false;    // the first process's CAP_BLOCK_SUSPEND
    bool config_pm_sleep = false;      // CONFIG_PM_SLEEP (off on the 6.18 host); EPOLLWAKEUP is
                                       // kept only with it and the capability
    std::uint64_t unix_sndbuf = 212992;      // net.core.wmem_default
    std::uint64_t unix_skb_overhead = 768;   // truesize beyond the payload, per skb (approx.)
};

// The syscalls of the model, for the log (syscall.enter b=Sys).
#define EPSIM_SYSCALLS(X)                                                                     \
    X(epoll_create) X(epoll_create1) X(epoll_ctl) X(epoll_wait) X(epoll_pwait) X(epoll_pwait2) \
    X(pipe2) X(eventfd2) X(socketpair) X(socket) X(bind) X(listen) X(connect) X(accept4)      \
    X(open) X(read) X(write) X(shutdown) X(close) X(dup) X(dup2) X(fcntl) X(poll) X(fork)     \
    X(clone) X(fdinfo)
enum class Sys : std::uint8_t {
#define EPSIM_X(s) s,
    EPSIM_SYSCALLS(EPSIM_X)
#undef EPSIM_X
};
const char* sys_name(Sys);

struct UnixSock;
// A bound abstract AF_UNIX name (net/unix's hash table of bound sockets).
struct UnixNameEntry {
    std::weak_ptr<UnixSock> sock;
    const UnixSock* raw = nullptr;
};

struct PollFd {
    int fd = -1;
    std::uint32_t events = 0;
    std::uint32_t revents = 0;
};

struct Timespec {
    std::int64_t sec = 0;
    std::int64_t nsec = 0;
};

// A programmer's misuse of the model API (not a syscall error): unknown task, a call on a
// sleeping task, an operation that would sleep on a mutex held by a paused harvest.
struct ModelError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Kernel {
public:
    explicit Kernel(KernelConfig cfg = {});
    ~Kernel();
    Kernel(const Kernel&) = delete;
    Kernel& operator=(const Kernel&) = delete;

    KernelConfig config;
    EventLog log;
    // The abstract socket namespace. Declared before the object pools so that it outlives
    // every socket (a socket unbinds itself when it is destroyed).
    std::map<std::string, UnixNameEntry> unix_names;

    // ---- processes and tasks ----
    ObjId init_task() const { return 1; }
    ObjId spawn_thread(ObjId task);          // a new thread sharing the caller's fd table
    SysResult fork(ObjId task);              // returns the child's pid; child_task() its task
    ObjId child_task(int pid) const;
    const Task& task(ObjId id) const;
    const Process& process_of(ObjId task) const;
    int pid_of(ObjId task) const;

    // ---- files ----
    SysResult pipe2(ObjId t, int out_fds[2], int flags = 0);
    SysResult eventfd(ObjId t, std::uint64_t initval, int flags = 0);
    SysResult socketpair(ObjId t, int out_fds[2], int flags = 0);  // AF_UNIX, SOCK_STREAM
    SysResult socket(ObjId t, int flags = 0);                      // AF_UNIX, SOCK_STREAM
    SysResult bind(ObjId t, int fd, const std::string& abstract_name);
    SysResult listen(ObjId t, int fd, int backlog);
    SysResult connect(ObjId t, int fd, const std::string& abstract_name);
    SysResult accept4(ObjId t, int fd, int flags = 0);
    SysResult open_regular(ObjId t, int flags = O_RDWR);
    SysResult read(ObjId t, int fd, std::uint64_t len);
    SysResult write(ObjId t, int fd, std::uint64_t len, std::uint64_t value = 0);
    SysResult shutdown(ObjId t, int fd, int how);
    SysResult close(ObjId t, int fd);
    SysResult dup(ObjId t, int fd);
    SysResult dup2(ObjId t, int oldfd, int newfd);
    SysResult fcntl(ObjId t, int fd, int cmd, long arg = 0);
    SysResult poll(ObjId t, std::vector<PollFd>& fds, int timeout_ms);  // timeout 0 only

    // ---- epoll ----
    SysResult epoll_create(ObjId t, int size);
    SysResult epoll_create1(ObjId t, int flags);
    // `ev` may be null (the EFAULT case for ops that need it).
    SysResult epoll_ctl(ObjId t, int epfd, int op, int fd, const EpollEvent* ev);
    // Results (and later, for a call that blocked, the completion) are in task(t).result and
    // task(t).events.
    SysResult epoll_wait(ObjId t, int epfd, int maxevents, int timeout_ms);
    SysResult epoll_pwait(ObjId t, int epfd, int maxevents, int timeout_ms);
    SysResult epoll_pwait2(ObjId t, int epfd, int maxevents, const Timespec* timeout);
    // /proc/<pid>/fdinfo/<fd> text; nullopt if fd is not open.
    std::optional<std::string> fdinfo(ObjId t, int fd);

    // ---- time, signals, interleavings ----
    std::uint64_t now() const { return now_ns_; }
    void advance(std::uint64_t ns);          // runs timers that expire meanwhile
    bool advance_to_next_timer();            // false if no task sleeps with a deadline
    void signal(ObjId task);                 // pthread_kill with a no-op, non-restarting handler
    // The next harvest (ep_send_events) of `task` stops after `after_items` txlist items were
    // examined (0 = right after ep_start_scan), holding ep->mtx with ovflist active.
    void pause_harvest(ObjId task, int after_items);
    void resume(ObjId task);

    // ---- inspection (read-only; the GUI and tests use these) ----
    std::string check_invariants() const;    // "" if every invariant holds
    const std::vector<std::unique_ptr<Eventpoll>>& eventpolls() const { return eps_; }
    const File* file(ObjId id) const;
    const Epitem* epitem(ObjId id) const;
    const Eventpoll* ep_of_fd(ObjId t, int fd) const;
    std::vector<const Epitem*> rdllist_items(const Eventpoll& ep) const;
    std::vector<const Epitem*> txlist_items(const Eventpoll& ep) const;
    std::vector<const Epitem*> ovflist_items(const Eventpoll& ep) const;  // chain order (newest first)
    std::vector<const Epitem*> rb_items(const Eventpoll& ep) const;        // in-order
    std::vector<ObjId> wq_tasks(const WaitQueueHead& wq) const;            // wake order
    std::string describe(const Event& e) const;  // one line for traces
    std::string object_name(ObjId id, char kind) const;

    // ---- deterministic replay ----
    // A fresh kernel, same config, fed the same calls, stopped right after event `index`
    // (the whole run if index is past the end).
    std::unique_ptr<Kernel> replay_to(std::uint64_t index) const;
    std::size_t command_count() const { return commands_.size(); }
    // Memory held by the recording, capacity included: events, syscall records (compact or
    // text), notes, and the replay commands (a closure's captures count as one small heap
    // block each). Divide by log.size() for bytes per event.
    std::size_t recording_bytes() const;
    // Drops the recording (events, syscall records, notes, commands) but keeps the work
    // counters: for benchmarks that run millions of calls. The kernel cannot be replayed
    // afterwards (replay_to throws ModelError).
    void clear_recording();
    // Runs this kernel's recorded commands [from, to) on `target` (a replay in steps).
    void replay_commands(Kernel& target, std::size_t from, std::size_t to) const;

    // ---- snapshots (clone.cpp; Checkpoints in checkpoints.h builds on them) ----
    // A deep copy of the whole machine, taken between calls (never inside one: throws
    // ModelError). Every object is copied and every link re-pointed into the copy, so the copy
    // and the original evolve independently and either can be destroyed first. With
    // Recording::Drop the copy has an empty log and no commands (work counters are kept; it
    // cannot be replayed).
    enum class Recording { Keep, Drop };
    std::unique_ptr<Kernel> clone(Recording rec = Recording::Keep) const;
    // Approximate bytes of the model's state (objects, fd tables, pools), without the log.
    std::size_t state_bytes() const;
    // Slots in the object pools (ids 1..n; a freed object leaves an empty slot).
    std::size_t file_slots() const { return files_.size(); }
    std::size_t task_count() const { return tasks_.size(); }

    // ==== internals used by the file types and the epoll code ====
    void poll_wait(File& f, WaitQueueHead& wq, PollTable* pt);
    // __wake_up_common with a poll key (0 = no key) and nr_exclusive (0 = all).
    void wake_up(WaitQueueHead& wq, std::uint32_t key, int nr_exclusive, KFn where);
    void init_wq(WaitQueueHead& wq);
    void emit(EventType t, KFn fn, ObjId a = 0, ObjId b = 0, ObjId c = 0, std::uint64_t x = 0,
              std::uint64_t y = 0) {
        log.emit(t, fn, a, b, c, x, y);
    }
    template <class F, class... Args>
    F* new_file(Args&&... args);  // allocates, assigns id/address, logs file.alloc
    SysResult install_fd(ObjId t, File* f, bool cloexec);
    File* fget(ObjId t, int fd) const;  // no reference taken: the model is single-threaded
    void get_file(File* f);
    void fput(File* f);
    std::uint32_t vfs_poll(File& f, PollTable* pt, Epitem* for_epi, int depth);
    std::uint32_t ep_item_poll(Epitem* epi, PollTable* pt, int depth);
    std::uint32_t ep_eventpoll_poll(Eventpoll* ep, PollTable* pt, int depth);
    void ep_clear_and_put(Eventpoll* ep);
    std::uint64_t unix_sndbuf() const { return config.unix_sndbuf; }

    // Every public syscall goes through here: records the call for replay (outermost calls
    // only), logs syscall.enter/exit, and afterwards runs the tasks the call woke.
    //   text():   the call as strace would print it (only built when recording)
    //   replay(k): the same call on another kernel
    //   body():   the work, returning the result
    template <class Text, class Replay, class Body>
    SysResult run_syscall(ObjId t, Sys no, Text&& text, Replay&& replay, Body&& body);

private:
    friend class EpollFile;
    friend class RbLogger;
    friend class Checkpoints;
    struct Bare {};
    Kernel(KernelConfig cfg, Bare);  // no boot: clone() fills it
    // A recorded top-level call: compact arguments (hot calls) or a closure (the rest).
    struct Command {
        CallArgs args;
        std::function<void(Kernel&)> run;
    };
    void replay_call(const CallArgs& c);  // call_text.cpp
    class ApiScope;

    // pools: index = id - 1; a freed object leaves nullptr (ids are never reused)
    std::vector<std::unique_ptr<File>> files_;
    std::vector<std::unique_ptr<Eventpoll>> eps_;
    std::vector<std::unique_ptr<Epitem>> epis_;
    std::vector<std::unique_ptr<EppollEntry>> hooks_;
    std::vector<std::unique_ptr<Process>> procs_;
    std::vector<std::unique_ptr<Task>> tasks_;
    std::vector<Command> commands_;
    Spare<Epitem> spare_epis_;  // recycled storage (not state: clone ignores it)
    Spare<EppollEntry> spare_hooks_;
    bool recording_cleared_ = false;
    int api_depth_ = 0;
    ObjId next_wq_id_ = 1;
    int next_pid_ = 100;
    std::uint64_t addr_state_;
    std::uint64_t now_ns_ = 0;
    // A fresh eventpoll has gen 0; a booted kernel's loop_check_gen has moved past 0 (it is
    // bumped twice per full check), so a new instance never looks "being checked".
    std::uint64_t loop_check_gen_ = 2;
    long user_watches_ = 0;
    Eventpoll* inserting_into_ = nullptr;
    std::vector<File*> tfile_check_list_;
    std::vector<ObjId> runqueue_;

    Task& task_mut(ObjId id);
    Process& proc_mut(ObjId task);
    std::uint64_t next_addr();
    void record(std::function<void(Kernel&)> fn);
    ObjId syscall_enter(ObjId t, Sys no);
    void syscall_exit(ObjId t, Sys no, ObjId record, const SysResult& r);
    int alloc_fd(Process& p, int from = 0) const;
    void fput_last(File* f);
    void fd_close(Process& p, int fd);

    // epoll internals
    Eventpoll* ep_alloc(File* f);
    SysResult do_epoll_create(ObjId t, int flags);
    Epitem* ep_find(Eventpoll* ep, File* f, int fd);
    int ep_insert(Eventpoll* ep, const EpollEvent& ev, File* tfile, int fd, bool full_check);
    int ep_modify(Eventpoll* ep, Epitem* epi, const EpollEvent& ev);
    void ep_remove(Eventpoll* ep, Epitem* epi);
    void ep_rbtree_insert(Eventpoll* ep, Epitem* epi);
    void ep_unregister_pollwait(Eventpoll* ep, Epitem* epi);
    void ep_ptable_queue_proc(File& f, WaitQueueHead& wq, Epitem* epi);
    int ep_poll_callback(EppollEntry* hook, std::uint32_t key);
    int ep_autoremove_wake_function(WaitEntry* w);
    void ep_poll_safewake(Eventpoll* ep, std::uint32_t flags);
    void eventpoll_release_file(File* f);
    bool ep_loop_check(Eventpoll* ep, Eventpoll* to);
    int ep_loop_check_proc(Eventpoll* ep, int depth);
    int ep_get_upwards_depth_proc(Eventpoll* ep, int depth);
    bool reverse_path_check();
    int reverse_path_check_proc(File* f, int depth, std::vector<int>& path_count);
    void clear_tfile_check_list();
    void list_file(File* f);
    void ep_free(Eventpoll* ep);
    void ep_put(Eventpoll* ep);
    std::string ep_show_fdinfo(Eventpoll* ep) const;

    SysResult do_epoll_wait(ObjId t, int sysno, int epfd, int maxevents, bool has_timeout,
                            std::uint64_t timeout_ns, ObjId record);
    void run_ep_poll(Task& t);               // runs until done, asleep or paused
    int ep_send_events(Task& t, bool& paused);
    void ep_start_scan(Eventpoll* ep, ListHead* txlist);
    void ep_done_scan(Eventpoll* ep, ListHead* txlist);
    void finish_ep_poll(Task& t, SysResult r);
    bool try_to_wake_up(Task& t, std::uint64_t reason);
    void schedule();                         // run woken tasks until none is runnable
    void require_mtx_free(Eventpoll* ep, ObjId t) const;
    void check_task_can_call(ObjId t) const;
};

template <class F, class... Args>
F* Kernel::new_file(Args&&... args) {
    auto f = std::make_unique<F>(std::forward<Args>(args)...);
    F* raw = f.get();
    raw->id = static_cast<ObjId>(files_.size() + 1);
    raw->addr = next_addr();
    raw->ino = 0x1000 + raw->id;
    files_.push_back(std::move(f));
    emit(EventType::FileAlloc, KFn::alloc_file, raw->id, 0, 0, raw->addr);
    return raw;
}

template <class Text, class Replay, class Body>
SysResult Kernel::run_syscall(ObjId t, Sys no, Text&& text, Replay&& replay, Body&& body) {
    check_task_can_call(t);
    const bool outermost = api_depth_ == 0;
    const bool recording = outermost && config.record_commands;
    const std::size_t rec_mark = log.syscalls.size();
    // The record of the call: compact arguments when text() returns CallArgs (rendered on
    // demand, replayed by replay_call, no allocation), else the text and a replay closure.
    if constexpr (std::is_same_v<std::decay_t<decltype(text())>, CallArgs>) {
        if (recording || log.enabled) {
            CallArgs c = text();
            c.op = static_cast<std::uint8_t>(no);
            c.task = t;
            if (recording) commands_.push_back(Command{c, {}});
            if (log.enabled) log.syscalls.push(c);
        }
    } else {
        if (recording) record(std::forward<Replay>(replay));
        if (log.enabled) log.syscalls.push(text());
    }
    ++api_depth_;
    struct Depth {
        int& d;
        ~Depth() { --d; }
    } depth{api_depth_};
    // A call the model cannot run (it would sleep outside epoll_wait) throws ModelError before
    // changing anything; it then leaves no trace: no log entries, nothing to replay.
    const std::size_t log_mark = log.events.size();
    const std::uint64_t total_mark = log.total;
    ObjId rec = syscall_enter(t, no);
    SysResult r;
    try {
        r = body();
    } catch (const ModelError&) {
        // Work counters roll back too: exactly from the kept events, or (recording off) the
        // syscall.enter, the only event logged before the model's refusals.
        if (log.enabled)
            for (std::size_t i = log_mark; i < log.events.size(); ++i)
                --log.counts[static_cast<std::size_t>(log.events[i].type)];
        else {
            // Every refusal is checked before the call changes anything (asserted here).
            assert(log.total - total_mark <= 1 && "a ModelError after the call logged work");
            log.counts[static_cast<std::size_t>(EventType::SyscallEnter)] -= log.total - total_mark;
        }
        log.events.resize(log_mark);
        log.syscalls.truncate(rec_mark);
        log.total = total_mark;
        if (recording) commands_.pop_back();
        throw;
    }
    if (!r.blocked) {
        syscall_exit(t, no, rec, r);
        Task& tk = task_mut(t);
        tk.result = r;
        tk.sigpending = false;  // a pending handler runs on the way back to user space
    }
    if (outermost) schedule();
    return r;
}

}  // namespace epsim
