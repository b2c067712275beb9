// ep_wait.cpp - epoll_wait, epoll_pwait, epoll_pwait2 -> do_epoll_wait -> ep_poll, and the
// harvest: ep_send_events between ep_start_scan and ep_done_scan (reference §3.7, §3.8, §4).
//
// ep_poll is a loop that can sleep. The model keeps its locals in Task::frame so the loop can
// stop (asleep on ep->wq, or paused inside ep_send_events by the driver) and later resume
// exactly where it stopped.
#include <cstdio>

#include "kernel.h"

namespace epsim {

static constexpr std::uint64_t kNsPerMs = 1000000;

// ep_events_available: something on rdllist, or a scan running (whose leftovers and ovflist
// items will come back).
static bool ep_events_available(const Eventpoll* ep) {
    return !list_empty(&ep->rdllist) || ep->ovflist != EP_UNACTIVE_PTR;
}

// ---------------------------------------------------------------------------------------
// [SECTION] the syscalls

SysResult Kernel::epoll_wait(ObjId t, int epfd, int maxevents, int timeout_ms) {
    return run_syscall(
        t, Sys::epoll_wait,
        [&] {
            CallArgs c;
            c.a = epfd;
            c.b = maxevents;
            c.c = timeout_ms;
            return c;
        },
        nullptr,
        [&] {
            // ep_timeout_to_timespec: negative = forever, 0 = non-blocking.
            return do_epoll_wait(t, static_cast<int>(Sys::epoll_wait), epfd, maxevents, timeout_ms >= 0,
                                 timeout_ms > 0 ? static_cast<std::uint64_t>(timeout_ms) * kNsPerMs : 0,
                                 log.enabled ? static_cast<ObjId>(log.syscalls.size() - 1) : 0);
        });
}

// epoll_pwait with a NULL sigmask is epoll_wait (the mask swap is not modelled).
SysResult Kernel::epoll_pwait(ObjId t, int epfd, int maxevents, int timeout_ms) {
    return run_syscall(
        t, Sys::epoll_pwait,
        [&] {
            CallArgs c;
            c.a = epfd;
            c.b = maxevents;
            c.c = timeout_ms;
            return c;
        },
        nullptr,
        [&] {
            return do_epoll_wait(t, static_cast<int>(Sys::epoll_pwait), epfd, maxevents, timeout_ms >= 0,
                                 timeout_ms > 0 ? static_cast<std::uint64_t>(timeout_ms) * kNsPerMs : 0,
                                 log.enabled ? static_cast<ObjId>(log.syscalls.size() - 1) : 0);
        });
}

// epoll_pwait2: the timespec is validated before the epfd is looked at (seen on 6.18:
// epoll_pwait2(-1, ..., {0, 1000000000}) is EINVAL, not EBADF).
SysResult Kernel::epoll_pwait2(ObjId t, int epfd, int maxevents, const Timespec* timeout) {
    std::optional<Timespec> copy;
    if (timeout) copy = *timeout;
    return run_syscall(
        t, Sys::epoll_pwait2,
        [&] {
            std::string ts = copy ? "{" + std::to_string(copy->sec) + ", " + std::to_string(copy->nsec) + "}" : "NULL";
            return "epoll_pwait2(" + std::to_string(epfd) + ", [...], " + std::to_string(maxevents) + ", " + ts +
                   ", NULL)";
        },
        [=](Kernel& k) { k.epoll_pwait2(t, epfd, maxevents, copy ? &*copy : nullptr); },
        [&]() -> SysResult {
            bool has = copy.has_value();
            std::uint64_t ns = 0;
            if (has) {
                if (copy->sec < 0 || copy->nsec < 0 || copy->nsec >= 1000000000) return SysResult::fail(EINVAL);
                ns = static_cast<std::uint64_t>(copy->sec) * 1000000000ULL + static_cast<std::uint64_t>(copy->nsec);
            }
            return do_epoll_wait(t, static_cast<int>(Sys::epoll_pwait2), epfd, maxevents, has, ns,
                                 log.enabled ? static_cast<ObjId>(log.syscalls.size() - 1) : 0);
        });
}

// do_epoll_wait (REF order): epfd open? (EBADF), maxevents in range? (EINVAL), epfd an epoll?
// (EINVAL). Then ep_poll.
SysResult Kernel::do_epoll_wait(ObjId tid, int sysno, int epfd, int maxevents, bool has_timeout,
                                std::uint64_t timeout_ns, ObjId rec) {
    Task& t = task_mut(tid);
    t.events.clear();
    File* f = fget(tid, epfd);
    if (!f) return SysResult::fail(EBADF);
    if (maxevents <= 0 || maxevents > EP_MAX_EVENTS) return SysResult::fail(EINVAL);
    if (f->kind != FileKind::Epoll) return SysResult::fail(EINVAL);
    auto fr = std::make_unique<EpWaitFrame>();
    fr->ep = static_cast<EpollFile*>(f)->ep;
    fr->epfile = f;
    get_file(f);  // the call holds the file: close(epfd) elsewhere does not end it
    fr->maxevents = maxevents;
    fr->has_deadline = has_timeout;
    fr->deadline = now_ns_ + timeout_ns;
    fr->timed_out = has_timeout && timeout_ns == 0;
    fr->syscall_no = sysno;
    fr->record = rec;
    fr->eavail = ep_events_available(fr->ep);  // lockless peek
    fr->phase = EpPollPhase::Harvest;
    t.frame = std::move(fr);
    t.done = false;
    run_ep_poll(t);
    if (t.frame) {
        t.frame->async = true;
        return SysResult{0, 0, true};  // asleep or paused: the result comes later
    }
    return t.result;
}

// ---------------------------------------------------------------------------------------
// [SECTION] ep_poll

void Kernel::finish_ep_poll(Task& t, SysResult r) {
    EpWaitFrame& fr = *t.frame;
    if (r.ret > 0) t.events = fr.out;
    t.result = r;
    File* epfile = fr.epfile;
    auto no = static_cast<Sys>(fr.syscall_no);
    ObjId rec = fr.record;
    const bool async = fr.async;
    t.frame.reset();
    t.done = true;
    t.sigpending = false;  // the handler runs on the way out
    fput(epfile);          // fdput, inside the syscall
    // A call that slept or paused returns here; one that did not is logged by run_syscall.
    if (async) syscall_exit(t.id, no, rec, r);
}

void Kernel::run_ep_poll(Task& t) {
    EpWaitFrame& fr = *t.frame;
    Eventpoll* ep = fr.ep;
    for (;;) {
        if (fr.phase == EpPollPhase::AfterSleep) {
            // Back from schedule_hrtimeout_range: timed out only if the timer woke us.
            if (t.state != TaskState::Running) {
                t.state = TaskState::Running;
                emit(EventType::TaskState, KFn::ep_poll, t.id, 0, 0, static_cast<std::uint64_t>(TaskState::Running));
            }
            fr.timed_out = fr.timed_out || fr.timer_fired;
            fr.timer_fired = false;
            fr.eavail = true;  // assume we were woken for a reason
            if (list_is_linked(&t.wait.entry)) {
                // Nobody dequeued us (timer or signal). If the timer fired, there is nothing
                // to harvest; a wake-up after the timeout would have dequeued us.
                if (fr.timed_out) fr.eavail = false;
                list_del_init(&t.wait.entry);
                emit(EventType::WqRemove, KFn::ep_poll, ep->wq.id, t.wait.id, t.id);
            }
            fr.phase = EpPollPhase::Harvest;
        }
        if (fr.eavail || fr.in_harvest) {
            bool paused = false;
            int res = ep_send_events(t, paused);
            if (paused) return;
            if (res != 0) {
                finish_ep_poll(t, res < 0 ? SysResult::fail(-res) : SysResult::ok(res));
                return;
            }
        }
        if (fr.timed_out) {
            finish_ep_poll(t, SysResult::ok(0));
            return;
        }
        // ep_busy_loop: no NAPI sockets in the model.
        if (t.sigpending) {
            finish_ep_poll(t, SysResult::fail(EINTR));  // never restarted
            return;
        }
        // Re-check under ep->lock; if still nothing, queue ourselves (exclusive, at the head:
        // the most recent sleeper is woken first) and sleep.
        fr.eavail = ep_events_available(ep);
        if (!fr.eavail) {
            t.wait.flags = WQ_FLAG_EXCLUSIVE;
            list_add(&t.wait.entry, &ep->wq.head);  // __add_wait_queue_exclusive
            emit(EventType::WqAdd, KFn::ep_poll, ep->wq.id, t.wait.id, t.id,
                 static_cast<std::uint64_t>(WqWhere::HeadExclusive));
            if (fr.has_deadline && now_ns_ >= fr.deadline) {
                fr.timed_out = true;  // the deadline already passed: no sleep
            } else {
                t.state = TaskState::Sleeping;
                emit(EventType::TaskState, KFn::schedule_hrtimeout_range, t.id, ep->id, 0,
                     static_cast<std::uint64_t>(TaskState::Sleeping));
                if (fr.syscall_no)
                    emit(EventType::SyscallBlock, KFn::ep_poll, t.id, static_cast<ObjId>(fr.syscall_no), fr.record);
                fr.phase = EpPollPhase::AfterSleep;
                return;
            }
        }
        fr.phase = EpPollPhase::AfterSleep;
    }
}

// ---------------------------------------------------------------------------------------
// [SECTION] the harvest

// @lab(ready-list) begin: ep_start_scan and ep_done_scan, the txlist and the ovflist splice
// ep_start_scan: the whole ready list becomes the private txlist; ovflist = NULL says "a scan
// is running" so callbacks from now on chain there instead of touching rdllist.
void Kernel::ep_start_scan(Eventpoll* ep, ListHead* txlist) {
    std::size_t n = log.enabled ? list_count(&ep->rdllist) : 0;
    list_splice_init(&ep->rdllist, txlist);
    ep->scan_txlist = txlist;
    emit(EventType::TxStart, KFn::ep_start_scan, ep->id, 0, 0, n);
    ep->ovflist = nullptr;
    emit(EventType::OvfActivate, KFn::ep_start_scan, ep->id);
}

// ep_done_scan: items that arrived during the scan go back first (head insertion of a LIFO
// chain restores arrival order; already-linked ones are skipped), then the unconsumed txlist
// goes in front of everything. Then, if anything is ready, wake one more waiter.
void Kernel::ep_done_scan(Eventpoll* ep, ListHead* txlist) {
    for (Epitem* nepi = ep->ovflist; nepi != nullptr;) {
        Epitem* epi = nepi;
        nepi = epi->next;
        epi->next = EP_UNACTIVE_PTR;
        bool relink = !ep_is_linked(epi);
        if (relink) list_add(&epi->rdllink, &ep->rdllist);
        emit(EventType::OvfDrain, KFn::ep_done_scan, ep->id, epi->id, 0, relink ? 1 : 0);
    }
    ep->ovflist = EP_UNACTIVE_PTR;
    emit(EventType::OvfDeactivate, KFn::ep_done_scan, ep->id);
    std::size_t n = log.enabled ? list_count(txlist) : 0;
    list_splice_init(txlist, &ep->rdllist);
    ep->scan_txlist = nullptr;
    emit(EventType::TxPutBack, KFn::ep_done_scan, ep->id, 0, 0, n);
    if (!list_empty(&ep->rdllist) && ep->wq.active()) wake_up(ep->wq, 0, 1, KFn::ep_done_scan);
}
// @lab(ready-list) stub
//| // ep_start_scan: the whole ready list becomes the private txlist; ovflist = NULL says "a scan
//| // is running" so callbacks from now on chain there instead of touching rdllist.
//| void Kernel::ep_start_scan(Eventpoll* ep, ListHead* txlist) {
//|     // TODO(lab ready-list): splice all of rdllist onto txlist (list_splice_init), remember it in
//|     // ep->scan_txlist and log EventType::TxStart (x = how many items moved, list_count); then
//|     // ep->ovflist = nullptr and log EventType::OvfActivate.
//|     (void)ep;
//|     (void)txlist;
//| }
//|
//| // ep_done_scan: items that arrived during the scan go back first, then the unconsumed txlist
//| // goes in front of everything. Then, if anything is ready, wake one more waiter.
//| void Kernel::ep_done_scan(Eventpoll* ep, ListHead* txlist) {
//|     // TODO(lab ready-list):
//|     //  1. walk the ovflist chain (newest first, through epi->next): unchain each item
//|     //     (epi->next = EP_UNACTIVE_PTR) and, unless it is already linked, put it at the HEAD of
//|     //     rdllist; log EventType::OvfDrain with x = 1 if relinked, 0 if not. Head insertion of
//|     //     a newest-first chain restores arrival order.
//|     //  2. ep->ovflist = EP_UNACTIVE_PTR, log EventType::OvfDeactivate.
//|     //  3. splice what is left of txlist in FRONT of rdllist, clear ep->scan_txlist, log
//|     //     EventType::TxPutBack (x = how many).
//|     //  4. if rdllist is not empty and someone sleeps on ep->wq, wake one of them.
//|     (void)ep;
//|     (void)txlist;
//| }
// @lab(ready-list) end

// ep_send_events: report up to maxevents items, re-polling each (revents is a fresh snapshot).
// Stale items are dropped silently; ONESHOT items are disarmed; level-triggered items go back
// to the tail of rdllist; edge-triggered ones wait for their next callback.
int Kernel::ep_send_events(Task& t, bool& paused) {
    EpWaitFrame& fr = *t.frame;
    Eventpoll* ep = fr.ep;
    if (!fr.in_harvest) {
        require_mtx_free(ep, t.id);
        ep_start_scan(ep, &fr.txlist);
        fr.in_harvest = true;
        fr.out.clear();
        ep->mtx_holder = t.id;
    }
    for (;;) {
        const bool ending = list_empty(&fr.txlist) || static_cast<int>(fr.out.size()) >= fr.maxevents;
        // The driver's pause point: examined items so far, or the end of the loop.
        if (t.pause_after >= 0 && (t.pause_after == 0 || ending)) {
            t.pause_after = -1;
            t.state = TaskState::Paused;
            emit(EventType::Pause, KFn::ep_send_events, t.id, ep->id);
            paused = true;
            return 0;
        }
        if (ending) break;
        // @lab(ready-list) begin: report one txlist item: re-poll, drop if stale, then ONESHOT/LT/ET
        Epitem* epi = epi_of_rdllink(fr.txlist.next);
        list_del_init(&epi->rdllink);
        emit(EventType::TxTake, KFn::ep_send_events, ep->id, epi->id);
        if (t.pause_after > 0) --t.pause_after;
        PollTable none{nullptr, 0};
        std::uint32_t revents = ep_item_poll(epi, &none, 1);
        if (!revents) {
            emit(EventType::StaleDrop, KFn::ep_send_events, ep->id, epi->id);
            continue;
        }
        fr.out.push_back(EpollEvent{revents, epi->data});
        emit(EventType::Report, KFn::ep_send_events, ep->id, epi->id, 0, revents, epi->data);
        if (epi->events & EPOLLONESHOT) {
            epi->events &= EP_PRIVATE_BITS;
            emit(EventType::EpiDisarm, KFn::ep_send_events, ep->id, epi->id, 0, epi->events);
        } else if (!(epi->events & EPOLLET)) {
            list_add_tail(&epi->rdllink, &ep->rdllist);
            emit(EventType::LtRequeue, KFn::ep_send_events, ep->id, epi->id);
        } else {
            emit(EventType::EtDone, KFn::ep_send_events, ep->id, epi->id);
        }
        // @lab(ready-list) stub
        //| Epitem* epi = epi_of_rdllink(fr.txlist.next);
        //| list_del_init(&epi->rdllink);
        //| emit(EventType::TxTake, KFn::ep_send_events, ep->id, epi->id);
        //| if (t.pause_after > 0) --t.pause_after;
        //| // TODO(lab ready-list): re-poll the item (ep_item_poll with PollTable{nullptr, 0}, depth 1):
        //| //  - 0 means stale: log EventType::StaleDrop and go on with the next item;
        //| //  - otherwise append EpollEvent{revents, epi->data} to fr.out, log EventType::Report
        //| //    (x = revents, y = data), then:
        //| //      ONESHOT: disarm (keep only EP_PRIVATE_BITS), log EventType::EpiDisarm (x = events);
        //| //      level-triggered: back to the TAIL of ep->rdllist, log EventType::LtRequeue;
        //| //      edge-triggered: nothing, log EventType::EtDone.
        //| // The stub drops every item, as if it were stale.
        // @lab(ready-list) end
    }
    ep_done_scan(ep, &fr.txlist);
    fr.in_harvest = false;
    ep->mtx_holder = 0;
    return static_cast<int>(fr.out.size());
}

}  // namespace epsim
