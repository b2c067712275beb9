// event_log.h - the model's event log: every mutation and decision as a typed fact.
//
// Each event has a sequence number (its index), a type named after what the kernel does and
// where ("rdllist.add_tail" inside ep_poll_callback), and operands that are stable object ids
// (epitem #3, task #1, file #7), never addresses. The GUI, exports and tests all read this log.
//
// An Event is 32 bytes. Operand meaning per type is documented next to each type below and is
// what describe() renders. Syscall arguments too long for the operands live in `syscalls`.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <memory_resource>
#include <span>
#include <string>
#include <vector>

namespace epsim {

using ObjId = std::uint32_t;  // 0 means "none"; ids start at 1 within each kind

// X(enum, "dotted.name")  -- operands: a, b, c (ids), x, y (values)
#define EPSIM_EVENT_TYPES(X)                                                                          \
    X(SyscallEnter, "syscall.enter")       /* a=task b=sysno c=record */                             \
    X(SyscallExit, "syscall.exit")         /* a=task b=sysno c=record x=ret y=errno */               \
    X(SyscallBlock, "syscall.block")       /* a=task b=sysno c=record: the call sleeps */            \
    X(FileAlloc, "file.alloc")             /* a=file x=address */                                    \
    X(FileGet, "file.get")                 /* a=file x=new f_count */                                \
    X(FilePut, "file.put")                 /* a=file x=new f_count */                                \
    X(FileRelease, "file.release")         /* a=file: __fput, last reference gone */                 \
    X(FdInstall, "fd.install")             /* a=process b=file x=fd */                               \
    X(FdClose, "fd.close")                 /* a=process b=file x=fd */                               \
    X(FileState, "file.state")             /* a=file x=value y=what (FileStateWhat) */               \
    X(EpAlloc, "ep.alloc")                 /* a=ep b=file */                                         \
    X(EpFree, "ep.free")                   /* a=ep */                                                \
    X(EpiAlloc, "epitem.alloc")            /* a=ep b=epitem c=file x=fd y=events */                  \
    X(EpiFree, "epitem.free")              /* a=ep b=epitem */                                       \
    X(EpiSetEvents, "epitem.set_events")   /* a=ep b=epitem x=events y=data */                       \
    X(EpiDisarm, "epitem.oneshot_disarm")  /* a=ep b=epitem x=events left (private bits) */          \
    X(RbFindVisit, "rb.find.visit")        /* a=ep b=epitem visited x=direction(0 here,1 left,2 right) */ \
    X(RbLink, "rb.link")                   /* a=ep b=epitem c=parent epitem x=1 if left child */     \
    X(RbInsertRootBlack, "rb.insert.root_black")                                                     \
    X(RbInsertParentBlack, "rb.insert.parent_black")                                                 \
    X(RbInsertCase1, "rb.insert.case1.recolor")                                                      \
    X(RbInsertCase2Left, "rb.insert.case2.rotate_left")                                              \
    X(RbInsertCase2Right, "rb.insert.case2.rotate_right")                                            \
    X(RbInsertCase3Right, "rb.insert.case3.rotate_right")                                            \
    X(RbInsertCase3Left, "rb.insert.case3.rotate_left")                                              \
    X(RbEraseUnlink, "rb.erase.unlink")                                                              \
    X(RbEraseRecolorBlack, "rb.erase.recolor_black")                                                 \
    X(RbEraseCase1Left, "rb.erase.case1.rotate_left")                                                \
    X(RbEraseCase1Right, "rb.erase.case1.rotate_right")                                              \
    X(RbEraseCase2, "rb.erase.case2.recolor")                                                        \
    X(RbEraseCase3Right, "rb.erase.case3.rotate_right")                                              \
    X(RbEraseCase3Left, "rb.erase.case3.rotate_left")                                                \
    X(RbEraseCase4Left, "rb.erase.case4.rotate_left")                                                \
    X(RbEraseCase4Right, "rb.erase.case4.rotate_right") /* rb.*: a=ep b=subject c=other epitem */    \
    X(RdlAddTail, "rdllist.add_tail")      /* a=ep b=epitem */                                       \
    X(RdlAddHead, "rdllist.add_head")      /* a=ep b=epitem (ovflist drain) */                       \
    X(RdlDel, "rdllist.del")               /* a=ep b=epitem */                                       \
    X(TxStart, "txlist.start_scan")        /* a=ep x=items moved rdllist->txlist */                  \
    X(TxTake, "txlist.take")               /* a=ep b=epitem: unlinked from txlist for polling */     \
    X(TxPutBack, "txlist.splice_back")     /* a=ep x=leftover items spliced at rdllist head */       \
    X(OvfActivate, "ovflist.activate")     /* a=ep: ovflist = NULL, a scan is running */             \
    X(OvfPush, "ovflist.push")             /* a=ep b=epitem */                                       \
    X(OvfDrain, "ovflist.drain")           /* a=ep b=epitem x=1 if re-linked, 0 if already linked */ \
    X(OvfDeactivate, "ovflist.deactivate") /* a=ep: ovflist = EP_UNACTIVE_PTR */                     \
    X(Report, "harvest.report")            /* a=ep b=epitem x=revents y=data */                      \
    X(StaleDrop, "harvest.stale_drop")     /* a=ep b=epitem: polled 0, silently dropped */           \
    X(LtRequeue, "harvest.lt_requeue")     /* a=ep b=epitem */                                       \
    X(EtDone, "harvest.et_done")           /* a=ep b=epitem: reported, not requeued (ET) */          \
    X(Poll, "poll.result")                 /* a=file b=epitem (0: none) x=mask y=interest */         \
    X(WqAdd, "wq.add")                     /* a=waitqueue b=entry c=owner x=WqWhere */               \
    X(WqRemove, "wq.remove")               /* a=waitqueue b=entry c=owner */                         \
    X(WakeBegin, "wq.wake")                /* a=waitqueue x=key y=nr_exclusive */                    \
    X(WakeEntry, "wq.wake.entry")          /* a=waitqueue b=entry c=owner x=return value */          \
    X(Callback, "ep.callback")             /* a=ep b=epitem x=key y=CallbackDecision */              \
    X(TaskState, "task.state")             /* a=task x=TaskState y=reason */                         \
    X(Pause, "harvest.pause")              /* a=task b=ep: paused inside ep_send_events */           \
    X(Resume, "harvest.resume")            /* a=task b=ep */                                         \
    X(Clock, "clock.advance")              /* x=new time (ns) */                                     \
    X(Signal, "signal.send")               /* a=task x=1 if it interrupted a sleep */                \
    X(LoopCheck, "ep.loop_check")          /* a=ep b=target ep x=down depth y=up depth */            \
    X(PathCheck, "ep.reverse_path_check")  /* a=file x=depth bucket y=count */                       \
    X(Note, "note")                        /* a, b, x: free text in notes[c] */

enum class EventType : std::uint16_t {
#define EPSIM_X(e, n) e,
    EPSIM_EVENT_TYPES(EPSIM_X)
#undef EPSIM_X
        Count_
};
const char* event_type_name(EventType);

// The kernel function an event stands for; shown in the GUI's kernel panel and in traces.
#define EPSIM_KFNS(X)                                                                      \
    X(none) X(do_epoll_create) X(do_epoll_ctl) X(ep_insert) X(ep_modify) X(ep_remove)      \
    X(ep_find) X(ep_rbtree_insert) X(ep_loop_check) X(reverse_path_check) X(attach_epitem) \
    X(ep_item_poll) X(ep_ptable_queue_proc) X(ep_poll_callback) X(ep_poll) X(ep_send_events) \
    X(ep_start_scan) X(ep_done_scan) X(ep_poll_safewake) X(ep_eventpoll_poll)              \
    X(ep_autoremove_wake_function) X(eventpoll_release_file) X(ep_clear_and_put) X(ep_free) \
    X(ep_unregister_pollwait) X(ep_show_fdinfo) X(wake_up_common) X(try_to_wake_up)         \
    X(schedule_hrtimeout_range) X(signal_wake_up) X(do_sys_poll)                            \
    X(pipe_write) X(pipe_read) X(pipe_poll) X(pipe_release) X(eventfd_write)               \
    X(eventfd_read) X(eventfd_poll) X(eventfd_release) X(unix_stream_sendmsg)              \
    X(unix_stream_recvmsg) X(unix_poll) X(unix_shutdown) X(unix_release_sock)              \
    X(unix_stream_connect) X(unix_accept) X(unix_listen) X(unix_bind) X(unix_write_space)  \
    X(sock_def_readable) X(sock_def_wakeup) X(alloc_file) X(fd_install) X(close_fd)         \
    X(fput) X(fput_last) X(do_dup2) X(copy_process) X(do_fcntl) X(hrtimer_wakeup)          \
    X(do_eventfd) X(do_pipe2) X(unix_socketpair) X(sys_socket)

enum class KFn : std::uint16_t {
#define EPSIM_X(f) f,
    EPSIM_KFNS(EPSIM_X)
#undef EPSIM_X
        Count_
};
const char* kfn_name(KFn);

// Why an ep_poll_callback did what it did.
enum class CallbackDecision : std::uint8_t {
    IgnoredDisarmed,  // ONESHOT consumed: events has only private bits
    IgnoredMask,      // key shares no bit with the interest mask
    Queued,           // appended to the tail of rdllist
    AlreadyLinked,    // on rdllist or a txlist already: coalesced
    Chained,          // a scan is running: pushed on ovflist
    AlreadyChained,   // a scan is running and the item is on ovflist already
};
const char* callback_decision_name(CallbackDecision);

enum class WqWhere : std::uint8_t { Head, Tail, HeadExclusive };  // add_wait_queue{,_exclusive}, __add_wait_queue_exclusive

// What a FileState event describes.
enum class FileStateWhat : std::uint8_t {
    PipeBytes, PipeSlots, PipeReaders, PipeWriters, PipePollUsage, EventfdCount,
    SockRecvBytes, SockShutdown, SockErr, SockState, SockBacklog, SockWmem,
};
const char* file_state_name(FileStateWhat);

struct Event {
    EventType type;
    KFn fn;
    ObjId a = 0, b = 0, c = 0;
    std::uint64_t x = 0, y = 0;
};
static_assert(sizeof(Event) == 32, "Event must stay compact (performance issue: <= 64 B/event)");

// The log's storage. Its memory comes from std::pmr::get_default_resource() as it is when the
// log (or a copy of it) is made: the model itself stays standard-library only, and a front-end
// may install a resource that suits a log of millions of events (runner/log_memory.h gives
// the large blocks huge pages). Readers take an EventSpan and need not care.
using EventVector = std::pmr::vector<Event>;
using EventSpan = std::span<const Event>;

// One syscall: its name and arguments as the trace shows them.
struct SyscallRecord {
    std::string text;  // "epoll_ctl(3, EPOLL_CTL_ADD, 5, {EPOLLIN, data=1})"
};

// A hot call's arguments, kept compact (40 bytes) instead of as text: the text is rendered
// only when someone reads it (render_call, call_text.cpp), and the same record replays the
// call (Kernel::replay_call). `op` is a Sys value (kernel.h).
struct CallArgs {
    std::uint8_t op = 0;
    std::uint8_t flags = 0;  // kCallHasEvent: epoll_ctl got an event; kCallEventfd: write to an eventfd
    ObjId task = 0;
    std::int32_t a = 0, b = 0, c = 0;
    std::uint32_t d = 0;
    std::uint64_t w = 0, v = 0;
};
static_assert(sizeof(CallArgs) == 40);
inline constexpr std::uint8_t kCallHasEvent = 1, kCallEventfd = 2;
std::string render_call(const CallArgs& c);  // call_text.cpp

// The syscall records: compact arguments for the hot calls, text for the others. Indexing
// renders the text, so `log.syscalls[i].text` reads as it always did.
//
// A table may start late (start_at): records [0, first()) were made but are not held, as in
// the log of a state-only seek (Checkpoints::seek_state). size() still counts them, so record
// ids (syscall.enter c=record) stay the same as in the full run; only held(i) can be read.
class SyscallTable {
public:
    std::size_t size() const { return first_ + calls_.size(); }
    bool empty() const { return size() == 0; }
    std::size_t first() const { return first_; }
    bool held(std::size_t i) const { return i >= first_ && i < size(); }
    SyscallRecord operator[](std::size_t i) const {  // requires held(i)
        const CallArgs& c = calls_[i - first_];
        return SyscallRecord{c.op == kTextOp ? texts_[c.w] : render_call(c)};
    }
    // Empties the table; the next record pushed gets id n.
    void start_at(std::size_t n) {
        clear();
        first_ = n;
    }
    void push(const CallArgs& c) { calls_.push_back(c); }
    void push(std::string text) {
        CallArgs c;
        c.op = kTextOp;
        c.w = texts_.size();
        texts_.push_back(std::move(text));
        calls_.push_back(c);
    }
    // Keeps the first n records (rollback of a refused call).
    void truncate(std::size_t n) {
        calls_.resize(n > first_ ? n - first_ : 0);
        texts_.resize(texts_used());
    }
    // Becomes the first n records of `src`, copying only those (a checkpoint's prefix).
    void assign_prefix(const SyscallTable& src, std::size_t n) {
        first_ = std::min(src.first_, n);
        const std::size_t held = n - first_;
        calls_.assign(src.calls_.begin(), src.calls_.begin() + static_cast<std::ptrdiff_t>(std::min(held, src.calls_.size())));
        texts_.assign(src.texts_.begin(), src.texts_.begin() + static_cast<std::ptrdiff_t>(texts_used()));
    }
    void clear() {
        calls_.clear();
        texts_.clear();
        first_ = 0;
    }
    std::pmr::memory_resource* resource() const { return calls_.get_allocator().resource(); }
    std::size_t bytes() const {  // memory held, capacity included
        std::size_t n = calls_.capacity() * sizeof(CallArgs) + texts_.capacity() * sizeof(std::string);
        for (const auto& t : texts_) n += t.capacity() > 15 ? t.capacity() + 1 : 0;
        return n;
    }

private:
    static constexpr std::uint8_t kTextOp = 0xff;
    // How many texts the held records use: texts are pushed in record order.
    std::size_t texts_used() const {
        for (std::size_t i = calls_.size(); i-- > 0;)
            if (calls_[i].op == kTextOp) return calls_[i].w + 1;
        return 0;
    }
    std::size_t first_ = 0;  // records not held; texts_ holds the held records' texts only
    std::pmr::vector<CallArgs> calls_;  // memory as EventVector's
    std::vector<std::string> texts_;
};

// Thrown by the log when a replay reaches the event it was asked to stop after.
struct StopReplay {};

class EventLog {
public:
    bool enabled = true;                    // recording off = no events kept (speed)
    std::uint64_t stop_after = UINT64_MAX;  // replay: throw StopReplay once this index is logged

    // Events [0, first) happened but are not held: events[j] is event first + j. Only the log
    // of a state-only seek (Checkpoints::seek_state) starts late; size() counts every event.
    std::uint64_t first = 0;
    EventVector events;
    SyscallTable syscalls;
    std::vector<std::string> notes;

    // Work counters, kept even with recording off, for benchmarks and lessons: every event
    // the model would log is one unit of work of its kind (rb.find.visit = one tree node
    // visited, ep_poll_callback = one callback run, rdllist.add_tail = one list operation).
    std::uint64_t total = 0;
    std::array<std::uint64_t, static_cast<std::size_t>(EventType::Count_)> counts{};
    std::uint64_t count(EventType t) const { return counts[static_cast<std::size_t>(t)]; }

    void emit(EventType t, KFn fn, ObjId a = 0, ObjId b = 0, ObjId c = 0, std::uint64_t x = 0,
              std::uint64_t y = 0) {
        ++total;
        ++counts[static_cast<std::size_t>(t)];
        if (!enabled) return;
        events.push_back(Event{t, fn, a, b, c, x, y});
        if (first + events.size() - 1 >= stop_after) throw StopReplay{};
    }
    std::size_t size() const { return first + events.size(); }
    // Event i of the run; requires held(i).
    bool held(std::uint64_t i) const { return i >= first && i < size(); }
    const Event& at(std::uint64_t i) const { return events[i - first]; }
};

}  // namespace epsim
