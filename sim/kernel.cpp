// kernel.cpp - the simulated machine's plumbing: object pools, fd tables, file references,
// processes and threads, the simulated clock, the run queue, and deterministic replay.
#include "kernel.h"

#include <algorithm>
#include <cstdio>

namespace epsim {

const char* sys_name(Sys s) {
    static const char* const names[] = {
#define EPSIM_X(s) #s,
        EPSIM_SYSCALLS(EPSIM_X)
#undef EPSIM_X
    };
    return names[static_cast<int>(s)];
}

const char* task_state_name(TaskState s) {
    switch (s) {
        case TaskState::Running: return "running";
        case TaskState::Sleeping: return "sleeping";
        case TaskState::Runnable: return "runnable";
        case TaskState::Paused: return "paused";
    }
    return "?";
}

const char* file_kind_name(FileKind k) {
    switch (k) {
        case FileKind::Pipe: return "pipe";
        case FileKind::Eventfd: return "eventfd";
        case FileKind::UnixSocket: return "unix";
        case FileKind::Regular: return "regular";
        case FileKind::Epoll: return "epoll";
    }
    return "?";
}

Kernel::Kernel(KernelConfig cfg) : config(cfg), addr_state_(cfg.seed) {
    log.enabled = cfg.record;
    auto p = std::make_unique<Process>();
    p->id = 1;
    p->pid = next_pid_++;
    p->nofile = cfg.nofile;
    p->cap_block_suspend = cfg.cap_block_suspend;
    auto t = std::make_unique<Task>();
    t->id = 1;
    t->process = 1;
    t->wait.func = WakeFn::EpAutoremove;
    t->wait.priv = t.get();
    t->wait.id = 1;
    p->tasks.push_back(1);
    procs_.push_back(std::move(p));
    tasks_.push_back(std::move(t));
    // stdin, stdout, stderr: like any process, the first task starts with fds 0-2 open, so the
    // model hands out the same fd numbers as the host (3, 4, ...).
    const bool was = log.enabled;
    log.enabled = false;
    for (int fd = 0; fd < 3; ++fd) install_fd(1, new_file<RegularFile>(), false);
    log.enabled = was;
    log.total = 0;  // boot work is not the run's work
    log.counts = {};
}

// Objects are owned by the pools, never by their links, so a kernel stopped in the middle of
// an operation (replay) is destroyed safely.
Kernel::~Kernel() = default;

// ---------------------------------------------------------------------------------------
// [SECTION] ids, addresses, lookup

// A bijection on 32-bit values (odd multiply and xor-shifts), so addresses are unique for
// the first 2^32 files yet look random, as kernel pointers do to user space.
std::uint64_t Kernel::next_addr() {
    std::uint32_t x = static_cast<std::uint32_t>(addr_state_++) ^ static_cast<std::uint32_t>(config.seed >> 32);
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return 0xffff888000000000ULL + (static_cast<std::uint64_t>(x) << 8);
}

void Kernel::init_wq(WaitQueueHead& wq) { wq.id = next_wq_id_++; }

Task& Kernel::task_mut(ObjId id) {
    if (id == 0 || id > tasks_.size() || !tasks_[id - 1]) throw ModelError("no task #" + std::to_string(id));
    return *tasks_[id - 1];
}
const Task& Kernel::task(ObjId id) const { return const_cast<Kernel*>(this)->task_mut(id); }
Process& Kernel::proc_mut(ObjId t) { return *procs_[task_mut(t).process - 1]; }
const Process& Kernel::process_of(ObjId t) const { return const_cast<Kernel*>(this)->proc_mut(t); }
int Kernel::pid_of(ObjId t) const { return process_of(t).pid; }

const File* Kernel::file(ObjId id) const {
    return id && id <= files_.size() ? files_[id - 1].get() : nullptr;
}
const Epitem* Kernel::epitem(ObjId id) const {
    return id && id <= epis_.size() ? epis_[id - 1].get() : nullptr;
}

File* Kernel::fget(ObjId t, int fd) const {
    const Process& p = process_of(t);
    if (fd < 0 || fd >= static_cast<int>(p.fds.size())) return nullptr;
    return p.fds[fd].file;
}

const Eventpoll* Kernel::ep_of_fd(ObjId t, int fd) const {
    File* f = fget(t, fd);
    return f && f->kind == FileKind::Epoll ? static_cast<EpollFile*>(f)->ep : nullptr;
}

void Kernel::check_task_can_call(ObjId t) const {
    const Task& tk = task(t);
    if (tk.state != TaskState::Running || tk.frame)
        throw ModelError("task #" + std::to_string(t) + " is " + task_state_name(tk.state) +
                         " inside epoll_wait; it cannot make another call until that returns");
}

void Kernel::require_mtx_free(Eventpoll* ep, ObjId t) const {
    if (ep->mtx_holder && ep->mtx_holder != t)
        throw ModelError("ep#" + std::to_string(ep->id) + "->mtx is held by task #" +
                         std::to_string(ep->mtx_holder) +
                         " paused inside ep_send_events; this call would sleep on it (resume first)");
}

// ---------------------------------------------------------------------------------------
// [SECTION] syscall bookkeeping

void Kernel::record(std::function<void(Kernel&)> fn) { commands_.push_back(Command{CallArgs{}, std::move(fn)}); }

// run_syscall pushed the call's record (when recording) just before.
ObjId Kernel::syscall_enter(ObjId t, Sys no) {
    const ObjId rec = log.enabled ? static_cast<ObjId>(log.syscalls.size() - 1) : 0;
    emit(EventType::SyscallEnter, KFn::none, t, static_cast<ObjId>(no), rec);
    return rec;
}

void Kernel::syscall_exit(ObjId t, Sys no, ObjId rec, const SysResult& r) {
    emit(EventType::SyscallExit, KFn::none, t, static_cast<ObjId>(no), rec,
         static_cast<std::uint64_t>(r.ret), static_cast<std::uint64_t>(r.err));
}

// ---------------------------------------------------------------------------------------
// [SECTION] fd tables and file references

// Lowest free fd >= from. Starts at next_fd (as the kernel's fd bitmap search does), which
// keeps sequential allocation O(1).
int Kernel::alloc_fd(Process& p, int from) const {
    for (int fd = std::max(from, p.next_fd); fd < p.nofile; ++fd) {
        if (fd >= static_cast<int>(p.fds.size()) || !p.fds[fd].file) return fd;
    }
    return -1;
}

// fd_install at the lowest free slot (get_unused_fd_flags). On EMFILE the caller keeps its
// reference and must fput it.
SysResult Kernel::install_fd(ObjId t, File* f, bool cloexec) {
    Process& p = proc_mut(t);
    int fd = alloc_fd(p);
    if (fd < 0) return SysResult::fail(EMFILE);
    if (fd >= static_cast<int>(p.fds.size())) p.fds.resize(fd + 1);
    p.fds[fd] = FdSlot{f, cloexec};
    p.next_fd = fd + 1;
    emit(EventType::FdInstall, KFn::fd_install, p.id, f->id, 0, static_cast<std::uint64_t>(fd));
    return SysResult::ok(fd);
}

void Kernel::get_file(File* f) {
    ++f->f_count;
    emit(EventType::FileGet, KFn::fput, f->id, 0, 0, static_cast<std::uint64_t>(f->f_count));
}

void Kernel::fput(File* f) {
    assert(f->f_count > 0 && "fput: file has no references");
    --f->f_count;
    emit(EventType::FilePut, KFn::fput, f->id, 0, 0, static_cast<std::uint64_t>(f->f_count));
    if (f->f_count == 0) fput_last(f);
}

// __fput: epoll lets go of the file first (eventpoll_release), then the file's own release.
// That order is why a file's release-time wake-ups never reach epitems on the same file.
void Kernel::fput_last(File* f) {
    emit(EventType::FileRelease, KFn::fput_last, f->id);
    if (!list_empty(&f->f_ep)) eventpoll_release_file(f);
    f->release(*this);
    files_[f->id - 1].reset();
}

void Kernel::fd_close(Process& p, int fd) {
    File* f = p.fds[fd].file;
    p.fds[fd] = FdSlot{};
    p.next_fd = std::min(p.next_fd, fd);
    emit(EventType::FdClose, KFn::close_fd, p.id, f->id, 0, static_cast<std::uint64_t>(fd));
    fput(f);
}

// ---------------------------------------------------------------------------------------
// [SECTION] processes and threads

ObjId Kernel::spawn_thread(ObjId parent) {
    check_task_can_call(parent);
    if (api_depth_ == 0 && config.record_commands) record([=](Kernel& k) { k.spawn_thread(parent); });
    Process& p = proc_mut(parent);
    auto t = std::make_unique<Task>();
    t->id = static_cast<ObjId>(tasks_.size() + 1);
    t->process = p.id;
    t->wait.func = WakeFn::EpAutoremove;
    t->wait.priv = t.get();
    t->wait.id = t->id;
    p.tasks.push_back(t->id);
    ObjId id = t->id;
    tasks_.push_back(std::move(t));
    emit(EventType::TaskState, KFn::copy_process, id, p.id, 0, static_cast<std::uint64_t>(TaskState::Running));
    return id;
}

// fork: a new process whose fd table shares every open file description of the caller.
SysResult Kernel::fork(ObjId t) {
    return run_syscall(
        t, Sys::fork, [] { return std::string("fork()"); }, [=](Kernel& k) { k.fork(t); },
        [&] {
            Process& parent = proc_mut(t);
            auto child = std::make_unique<Process>();
            child->id = static_cast<ObjId>(procs_.size() + 1);
            child->pid = next_pid_++;
            child->nofile = parent.nofile;
            child->cap_block_suspend = parent.cap_block_suspend;
            child->fds = parent.fds;
            for (auto& slot : child->fds)
                if (slot.file) get_file(slot.file);
            auto ct = std::make_unique<Task>();
            ct->id = static_cast<ObjId>(tasks_.size() + 1);
            ct->process = child->id;
            ct->wait.func = WakeFn::EpAutoremove;
            ct->wait.priv = ct.get();
            ct->wait.id = ct->id;
            child->tasks.push_back(ct->id);
            int pid = child->pid;
            emit(EventType::TaskState, KFn::copy_process, ct->id, child->id, 0,
                 static_cast<std::uint64_t>(TaskState::Running));
            procs_.push_back(std::move(child));
            tasks_.push_back(std::move(ct));
            return SysResult::ok(pid);
        });
}

ObjId Kernel::child_task(int pid) const {
    for (const auto& p : procs_)
        if (p && p->pid == pid && !p->tasks.empty()) return p->tasks.front();
    return 0;
}

// ---------------------------------------------------------------------------------------
// [SECTION] scheduling, time, signals

// try_to_wake_up: only a sleeping task changes state; waking a task that is already running
// or already woken "fails" (returns 0), which lets a wake walk move on to the next waiter.
bool Kernel::try_to_wake_up(Task& t, std::uint64_t reason) {
    if (t.state != TaskState::Sleeping) return false;
    t.state = TaskState::Runnable;
    runqueue_.push_back(t.id);
    emit(EventType::TaskState, KFn::try_to_wake_up, t.id, 0, 0, static_cast<std::uint64_t>(TaskState::Runnable),
         reason);
    return true;
}

// Woken tasks resume in wake order once the call that woke them has returned.
void Kernel::schedule() {
    while (!runqueue_.empty()) {
        ObjId id = runqueue_.front();
        runqueue_.erase(runqueue_.begin());
        Task& t = task_mut(id);
        if (t.state == TaskState::Runnable) run_ep_poll(t);
    }
}

bool Kernel::advance_to_next_timer() {
    const Task* next = nullptr;
    for (const auto& t : tasks_) {
        if (!t || t->state != TaskState::Sleeping || !t->frame || !t->frame->has_deadline) continue;
        if (!next || t->frame->deadline < next->frame->deadline) next = t.get();
    }
    if (!next) return false;
    advance(next->frame->deadline > now_ns_ ? next->frame->deadline - now_ns_ : 0);
    return true;
}

// Moves the clock forward; each sleeper whose deadline passes is woken by its hrtimer at that
// instant (ties: lower task id first) and runs before the clock moves on.
void Kernel::advance(std::uint64_t ns) {
    if (api_depth_ == 0 && config.record_commands) record([=](Kernel& k) { k.advance(ns); });
    const std::uint64_t target = now_ns_ + ns;
    for (;;) {
        Task* next = nullptr;
        for (auto& t : tasks_) {
            if (!t || t->state != TaskState::Sleeping || !t->frame || !t->frame->has_deadline) continue;
            if (t->frame->deadline > target) continue;
            if (!next || t->frame->deadline < next->frame->deadline) next = t.get();
        }
        if (!next) break;
        now_ns_ = std::max(now_ns_, next->frame->deadline);
        emit(EventType::Clock, KFn::hrtimer_wakeup, 0, 0, 0, now_ns_);
        next->frame->timer_fired = true;
        try_to_wake_up(*next, 2);
        schedule();
    }
    now_ns_ = target;
    emit(EventType::Clock, KFn::none, 0, 0, 0, now_ns_);
}

// A signal whose handler is a no-op installed without SA_RESTART. A sleeping task is woken
// (signal_wake_up) with its wait entry still queued; ep_poll then returns EINTR unless it finds
// events. A task in user space runs the handler at once, which changes nothing.
void Kernel::signal(ObjId id) {
    if (api_depth_ == 0 && config.record_commands) record([=](Kernel& k) { k.signal(id); });
    Task& t = task_mut(id);
    bool in_call = t.frame != nullptr;
    emit(EventType::Signal, KFn::signal_wake_up, id, 0, 0, in_call ? 1 : 0);
    if (!in_call) return;
    t.sigpending = true;
    try_to_wake_up(t, 3);
    schedule();
}

void Kernel::pause_harvest(ObjId id, int after_items) {
    if (api_depth_ == 0 && config.record_commands) record([=](Kernel& k) { k.pause_harvest(id, after_items); });
    task_mut(id).pause_after = after_items;
}

void Kernel::resume(ObjId id) {
    if (api_depth_ == 0 && config.record_commands) record([=](Kernel& k) { k.resume(id); });
    Task& t = task_mut(id);
    if (t.state != TaskState::Paused) throw ModelError("task #" + std::to_string(id) + " is not paused");
    emit(EventType::Resume, KFn::ep_send_events, id, t.frame->ep->id);
    t.state = TaskState::Running;
    ++api_depth_;
    struct Depth {
        int& d;
        ~Depth() { --d; }
    } depth{api_depth_};
    run_ep_poll(t);
    if (api_depth_ == 1) schedule();
}

// ---------------------------------------------------------------------------------------
// [SECTION] replay

std::size_t Kernel::recording_bytes() const {
    std::size_t n = log.events.capacity() * sizeof(Event) + log.syscalls.bytes() +
                    log.notes.capacity() * sizeof(std::string) + commands_.capacity() * sizeof(Command);
    for (const auto& s : log.notes) n += s.capacity() > 15 ? s.capacity() + 1 : 0;
    for (const auto& c : commands_)
        if (c.run) n += 64;  // the closure's captured arguments (libstdc++ keeps > 16 B on the heap)
    return n;
}

void Kernel::clear_recording() {
    log.events.clear();
    log.first = 0;
    log.syscalls.clear();
    log.notes.clear();
    commands_.clear();
    recording_cleared_ = true;
}

void Kernel::replay_commands(Kernel& target, std::size_t from, std::size_t to) const {
    for (std::size_t i = from; i < to && i < commands_.size(); ++i) {
        const Command& c = commands_[i];
        if (c.run)
            c.run(target);
        else
            target.replay_call(c.args);
    }
}

std::unique_ptr<Kernel> Kernel::replay_to(std::uint64_t index) const {
    if (recording_cleared_) throw ModelError("replay_to: the recording was cleared (clear_recording)");
    KernelConfig cfg = config;
    cfg.record = true;
    cfg.record_commands = true;
    auto k = std::make_unique<Kernel>(cfg);
    k->log.stop_after = index;
    try {
        replay_commands(*k, 0, commands_.size());
    } catch (const StopReplay&) {
        // stopped right after event `index`: the state is the model's state at that event
    }
    k->log.stop_after = UINT64_MAX;
    return k;
}

}  // namespace epsim
