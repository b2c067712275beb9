// task.h - processes (fd tables) and tasks (threads) of the simulated machine.
//
// Tasks are deterministic: a task runs only when the driver calls a syscall on it, or when it
// was woken (by a callback, a timer or a signal) and the scheduler resumes it. Tie rule: woken
// tasks run in the order they were woken (a FIFO run queue), after the syscall that woke them
// returns.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "eventpoll.h"
#include "file.h"
#include "waitqueue.h"

namespace epsim {

struct FdSlot {
    File* file = nullptr;
    bool cloexec = false;
};

struct Process {
    ObjId id = 0;
    int pid = 0;
    std::vector<FdSlot> fds;  // index = fd number
    int next_fd = 0;          // files_struct->next_fd: no free fd below this one
    int nofile = 1024;        // RLIMIT_NOFILE (soft)
    bool cap_block_suspend = false;
    std::vector<ObjId> tasks;
};

// Kernel::clone() (relocate.h). A new field in Process: copy it here, then fix the size.
inline void clone_fields(Process& d, const Process& s, const Relocator& r) {
    d.id = s.id;
    d.pid = s.pid;
    d.fds.resize(s.fds.size());
    for (std::size_t i = 0; i < s.fds.size(); ++i) d.fds[i] = FdSlot{r(s.fds[i].file), s.fds[i].cloexec};
    d.next_fd = s.next_fd;
    d.nofile = s.nofile;
    d.cap_block_suspend = s.cap_block_suspend;
    d.tasks = s.tasks;
}
static_assert(sizeof(FdSlot) == 16 && sizeof(Process) == 72, "Process changed: update clone_fields");

enum class TaskState : std::uint8_t {
    Running,   // idle in user space, or executing a syscall right now
    Sleeping,  // TASK_INTERRUPTIBLE inside ep_poll
    Runnable,  // woken, waiting in the run queue to resume ep_poll
    Paused,    // stopped by the driver inside ep_send_events (between start and done scan)
};
const char* task_state_name(TaskState);

struct EpollEvent {
    std::uint32_t events = 0;
    std::uint64_t data = 0;
    bool operator==(const EpollEvent&) const = default;
};

// Where a paused or sleeping ep_poll stands.
enum class EpPollPhase : std::uint8_t { Harvest, AfterSleep };

// The resumable state of one epoll_wait call (the kernel keeps it on the task's stack).
struct EpWaitFrame {
    Eventpoll* ep = nullptr;
    File* epfile = nullptr;       // reference held for the duration of the call (fdget)
    int maxevents = 0;
    bool has_deadline = false;    // false: block forever
    std::uint64_t deadline = 0;   // absolute, simulated ns
    bool timed_out = false;
    bool eavail = false;
    bool timer_fired = false;     // hrtimer_wakeup ran while sleeping
    EpPollPhase phase = EpPollPhase::Harvest;
    // ep_send_events state while paused
    bool in_harvest = false;
    ListHead txlist;
    std::vector<EpollEvent> out;
    int syscall_no = 0;
    ObjId record = 0;
    bool async = false;           // the call slept or paused: its exit is logged on completion
};

// Kernel::clone() (relocate.h). A new field in EpWaitFrame: copy it here, then fix the size.
inline void clone_fields(EpWaitFrame& d, const EpWaitFrame& s, const Relocator& r) {
    d.ep = r(s.ep);
    d.epfile = r(s.epfile);
    d.maxevents = s.maxevents;
    d.has_deadline = s.has_deadline;
    d.deadline = s.deadline;
    d.timed_out = s.timed_out;
    d.eavail = s.eavail;
    d.timer_fired = s.timer_fired;
    d.phase = s.phase;
    d.in_harvest = s.in_harvest;
    clone_fields(d.txlist, s.txlist, r);
    d.out = s.out;
    d.syscall_no = s.syscall_no;
    d.record = s.record;
    d.async = s.async;
}
static_assert(sizeof(EpWaitFrame) == 96, "EpWaitFrame changed: update clone_fields");

struct Task {
    ObjId id = 0;
    ObjId process = 0;
    TaskState state = TaskState::Running;
    bool sigpending = false;
    WaitEntry wait;  // ep_poll's entry on ep->wq (func = ep_autoremove_wake_function)
    std::unique_ptr<EpWaitFrame> frame;  // non-null while inside epoll_wait
    // Pause plan: the next harvest of this task stops after this many items were examined.
    int pause_after = -1;
    // The completed result of the last syscall that blocked (or of any syscall).
    SysResult result;
    std::vector<EpollEvent> events;  // events returned by the last epoll_wait
    bool done = true;                // false while a blocked call is outstanding
};

// Kernel::clone() (relocate.h). `d.frame` was allocated (and registered) in clone's first
// pass when `s.frame` is set. A new field in Task: copy it here, then fix the size.
inline void clone_fields(Task& d, const Task& s, const Relocator& r) {
    d.id = s.id;
    d.process = s.process;
    d.state = s.state;
    d.sigpending = s.sigpending;
    clone_fields(d.wait, s.wait, r);
    if (s.frame) clone_fields(*d.frame, *s.frame, r);
    d.pause_after = s.pause_after;
    d.result = s.result;
    d.events = s.events;
    d.done = s.done;
}
static_assert(sizeof(Task) == 120, "Task changed: update clone_fields");

}  // namespace epsim
