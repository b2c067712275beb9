// backend.h - one interface, two implementations: the model (SimBackend) and real Linux
// syscalls (HostBackend). The interpreter drives either with the same calls and compares
// nothing itself: it records what each backend returns into a Trace.
//
// Handles: processes and threads are small integers chosen by the backend. Process 0 thread 0
// is the main thread. fds are the backend's real fd numbers (the model's and the host's may
// differ; traces name fds symbolically, so they still compare).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace epsim::scn {

enum class CallKind {
    EpollCreate, EpollCreate1, EpollCtl, EpollWait, EpollPwait, EpollPwait2,
    Pipe, Eventfd, Socketpair, Socket, Bind, Listen, Connect, Accept, OpenFile,
    Read, Write, Shutdown, Close, Dup, Dup2, Fcntl, Poll,
};

struct PollReq {
    int fd = -1;
    std::uint32_t events = 0;
};

// One call with its arguments already evaluated to numbers.
struct CallSpec {
    CallKind kind = CallKind::Close;
    std::vector<std::int64_t> args;  // positional, per kind (see docs/scenario-language.md):
    //   EpollCreate(size) EpollCreate1(flags) EpollCtl(epfd, op, fd) EpollWait/Pwait(epfd, max, ms)
    //   EpollPwait2(epfd, max) Pipe(flags) Eventfd(initval, flags) Socketpair(flags) Socket(flags)
    //   Bind(fd) Listen(fd, backlog) Connect(fd) Accept(fd, flags) OpenFile() Read(fd, len)
    //   Write(fd, len, value) Shutdown(fd, how) Close(fd) Dup(fd) Dup2(old, new) Fcntl(fd, cmd, arg)
    //   Poll(timeout_ms)
    bool has_event = false;          // EpollCtl: false = a NULL event pointer
    std::uint32_t events = 0;        // EpollCtl
    std::uint64_t data = 0;          // EpollCtl
    bool has_timespec = false;       // EpollPwait2: false = NULL
    std::int64_t sec = 0, nsec = 0;  // EpollPwait2
    std::string name;                // Bind, Connect: the abstract socket name
    std::vector<PollReq> pollfds;    // Poll
};

struct Ev {
    std::uint32_t events = 0;
    std::uint64_t data = 0;
    bool operator==(const Ev&) const = default;
};

struct FdinfoItem {
    int tfd = -1;
    std::uint32_t events = 0;
    std::uint64_t data = 0;
    bool operator==(const FdinfoItem&) const = default;
};

struct CallResult {
    std::int64_t ret = 0;
    int err = 0;                 // errno (0 if none)
    bool blocked = false;        // the thread sleeps in the call; join() collects the result
    std::vector<Ev> events;      // epoll_wait family, in order
    std::vector<std::uint32_t> revents;  // poll: one per requested fd
    int fds[2] = {-1, -1};       // Pipe, Socketpair
};

struct RbCasesResult {
    int err = 0;                     // EBADF: epfd not open; EINVAL: not an epoll instance
    std::vector<std::string> cases;  // in the order they ran; empty if the tree never changed
    bool has_op = false;             // the tree changed at least once
    std::size_t op_event = 0;        // has_op: the log index of that rb.link / rb.erase.unlink
};

class Backend {
public:
    virtual ~Backend() = default;
    virtual const char* name() const = 0;  // "sim" or "host"

    // A new thread in process `proc` (0 = the main process); returns its handle (> 0).
    virtual int new_thread(int proc) = 0;
    // fork() from the main thread of process 0: returns the child's process handle (> 0);
    // its main thread is thread handle `child_main_thread(proc)`.
    virtual int fork_process() = 0;
    virtual int main_thread(int proc) const = 0;

    // Runs one call in `thread`. Returns once the call finished, or once the thread is asleep
    // in it (blocked = true). Either way, every other thread has settled too: it is idle or
    // asleep, so the next step sees a quiet system (the model runs woken tasks right away; the
    // host waits until /proc says so). On a timeout of the watchdog, err holds ETIMEDOUT
    // and `problem` says what got stuck.
    virtual CallResult call(int thread, const CallSpec& c) = 0;
    // True if `thread` sleeps in an epoll_wait (host: /proc/self/task/TID/syscall and wchan).
    virtual bool is_blocked(int thread) = 0;
    // Waits until `thread`'s call completes and returns its result. The model advances its
    // clock through expiring timers; the host waits (watchdog).
    virtual CallResult join(int thread) = 0;
    virtual void signal(int thread) = 0;
    virtual void sleep_ms(std::int64_t ms) = 0;  // model: advance the clock; host: sleep
    // /proc/self/fdinfo/EPFD of the thread's process, parsed; nullopt if not an open fd.
    virtual std::optional<std::vector<FdinfoItem>> fdinfo(int thread, int epfd) = 0;

    // Model-only interleavings. A backend without them returns false.
    virtual bool supports_pause() const { return false; }
    virtual void pause_harvest(int /*thread*/, int /*after_items*/) {}
    virtual void resume(int /*thread*/) {}

    // rb_cases(ep): the fix-up steps ("case1.recolor", "root_black", ...) of the most recent
    // insert into or erase from ep's rb tree (see runner/rb_cases.h). The tree is invisible
    // from user space, so only the model answers; nullopt means this backend cannot.
    virtual std::optional<RbCasesResult> rb_cases(int /*thread*/, int /*epfd*/) { return std::nullopt; }

    // How many model events have been logged so far (0 for a backend without an event log).
    // Lets a trace step point at the events it caused.
    virtual std::size_t event_count() const { return 0; }

    // Something went wrong outside the kernel's semantics (a watchdog fired, the model refused a
    // call that would sleep). Empty if none. The interpreter reports it as an error and stops.
    std::string problem;
};

const char* call_kind_name(CallKind);

}  // namespace epsim::scn
