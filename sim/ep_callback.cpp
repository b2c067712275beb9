// ep_callback.cpp - how files reach epoll: ep_ptable_queue_proc hooks an epitem onto a
// file's wait queue at ADD time, and ep_poll_callback runs when that queue is woken.
// Also ep_item_poll and the epoll file's own poll (nested epoll).
#include "kernel.h"

namespace epsim {

// ep_ptable_queue_proc: one eppoll_entry per queue the file's ->poll names. Normal items go at
// the head of the queue (newest registration is called first); EPOLLEXCLUSIVE items at the
// tail, flagged exclusive.
void Kernel::ep_ptable_queue_proc(File& f, WaitQueueHead& wq, Epitem* epi) {
    (void)f;
    auto hook = spare_hooks_.make();
    hook->base = epi;
    hook->whead = &wq;
    hook->wait.func = WakeFn::EpPollCallback;
    hook->wait.priv = hook.get();
    hook->wait.id = static_cast<ObjId>(hooks_.size() + 1);
    EppollEntry* pwq = hook.get();
    hooks_.push_back(std::move(hook));
    // @lab(wakeup) begin: where a hook goes on the file's queue, and its exclusive flag
    WqWhere where;
    if (epi->events & EPOLLEXCLUSIVE) {
        pwq->wait.flags |= WQ_FLAG_EXCLUSIVE;
        list_add_tail(&pwq->wait.entry, &wq.head);  // add_wait_queue_exclusive
        where = WqWhere::Tail;
    } else {
        list_add(&pwq->wait.entry, &wq.head);  // add_wait_queue
        where = WqWhere::Head;
    }
    // @lab(wakeup) stub
    //| // TODO(lab wakeup): an EPOLLEXCLUSIVE item is an exclusive entry (WQ_FLAG_EXCLUSIVE) added
    //| // at the tail (add_wait_queue_exclusive, WqWhere::Tail); any other item is added at the head
    //| // (add_wait_queue, WqWhere::Head). The stub treats every item as non-exclusive.
    //| list_add(&pwq->wait.entry, &wq.head);
    //| WqWhere where = WqWhere::Head;
    // @lab(wakeup) end
    pwq->next = epi->pwqlist;
    epi->pwqlist = pwq;
    emit(EventType::WqAdd, KFn::ep_ptable_queue_proc, wq.id, pwq->wait.id, epi->id, static_cast<std::uint64_t>(where));
}

// ep_poll_callback: the file says "something happened" (key = what, 0 = unspecified).
// Returns the value the wake walk counts for exclusive entries (see the EPOLLEXCLUSIVE rule).
int Kernel::ep_poll_callback(EppollEntry* hook, std::uint32_t key) {
    Epitem* epi = hook->base;
    Eventpoll* ep = epi->ep;
    const std::uint32_t pollflags = key;
    int ewake = 0;
    bool pwake = false;
    // @lab(ready-list) begin: decide what a wake-up means for the item, then queue or chain it
    // Decide first and log the decision, then make the one list change it implies and log
    // that: every event is logged right after its own mutation (replay stops exactly there).
    CallbackDecision d;
    if (!(epi->events & ~EP_PRIVATE_BITS))
        d = CallbackDecision::IgnoredDisarmed;  // a consumed ONESHOT waits for MOD
    else if (pollflags && !(pollflags & epi->events))
        d = CallbackDecision::IgnoredMask;  // e.g. an OUT wake-up for an IN-only item
    else if (ep->ovflist != EP_UNACTIVE_PTR)
        // A harvest is copying events out: park the item on ovflist (LIFO), even if it is
        // linked on the txlist right now; ep_done_scan puts it back.
        d = epi->next == EP_UNACTIVE_PTR ? CallbackDecision::Chained : CallbackDecision::AlreadyChained;
    else
        d = ep_is_linked(epi) ? CallbackDecision::AlreadyLinked : CallbackDecision::Queued;  // wake-ups coalesce
    emit(EventType::Callback, KFn::ep_poll_callback, ep->id, epi->id, 0, key, static_cast<std::uint64_t>(d));
    if (d == CallbackDecision::Chained) {
        epi->next = ep->ovflist;
        ep->ovflist = epi;
        emit(EventType::OvfPush, KFn::ep_poll_callback, ep->id, epi->id);
    } else if (d == CallbackDecision::Queued) {
        list_add_tail(&epi->rdllink, &ep->rdllist);
        emit(EventType::RdlAddTail, KFn::ep_poll_callback, ep->id, epi->id);
    }
    // @lab(ready-list) stub
    //| // TODO(lab ready-list): decide what this wake-up means for epi, in this order:
    //| //   - a disarmed item (no event bits left outside EP_PRIVATE_BITS: a consumed ONESHOT)
    //| //     ignores it (CallbackDecision::IgnoredDisarmed);
    //| //   - a non-zero key that names none of epi->events ignores it (IgnoredMask);
    //| //   - while a harvest runs (ep->ovflist != EP_UNACTIVE_PTR) the item is chained on
    //| //     ovflist, once: epi->next == EP_UNACTIVE_PTR means "not chained yet" (Chained,
    //| //     else AlreadyChained);
    //| //   - otherwise it goes to the tail of rdllist unless ep_is_linked(epi) (Queued, else
    //| //     AlreadyLinked: wake-ups coalesce).
    //| // Log the decision first (EventType::Callback, as below), then make the one list change
    //| // and log it: EventType::OvfPush (push on the front of the ovflist chain) or
    //| // EventType::RdlAddTail.
    //| CallbackDecision d = CallbackDecision::IgnoredMask;  // stub: every wake-up is ignored
    //| emit(EventType::Callback, KFn::ep_poll_callback, ep->id, epi->id, 0, key, static_cast<std::uint64_t>(d));
    // @lab(ready-list) end
    if (d != CallbackDecision::IgnoredDisarmed && d != CallbackDecision::IgnoredMask) {
        if (ep->wq.active()) {
            // @lab(wakeup) begin: an EPOLLEXCLUSIVE item consumes the wake-up only if it wants its kind
            // EPOLLEXCLUSIVE: "consume" the file's wake-up only if a waiter here wants it.
            if ((epi->events & EPOLLEXCLUSIVE) && !(pollflags & POLLFREE)) {
                switch (pollflags & EPOLLINOUT_BITS) {
                    case EPOLLIN: ewake = (epi->events & EPOLLIN) ? 1 : 0; break;
                    case EPOLLOUT: ewake = (epi->events & EPOLLOUT) ? 1 : 0; break;
                    case 0: ewake = 1; break;
                    default: break;  // both IN and OUT: stays 0
                }
            }
            // @lab(wakeup) stub
            //| // TODO(lab wakeup): EPOLLEXCLUSIVE. The value returned here tells __wake_up_common
            //| // whether this exclusive entry "consumed" the file's wake-up. For an exclusive item
            //| // (and a key without POLLFREE), set ewake = 1 only when the key's IN/OUT bits
            //| // (pollflags & EPOLLINOUT_BITS) name an event the item waits for: IN alone needs
            //| // EPOLLIN, OUT alone needs EPOLLOUT, no IN/OUT bit at all counts as wanted, both
            //| // IN and OUT leave ewake at 0. Non-exclusive items are handled below.
            // @lab(wakeup) end
            wake_up(ep->wq, 0, 1, KFn::ep_poll_callback);
        }
        if (ep->poll_wait.active()) pwake = true;
    }
    if (pwake) ep_poll_safewake(ep, pollflags & EPOLL_URING_WAKE);
    if (!(epi->events & EPOLLEXCLUSIVE)) ewake = 1;
    return ewake;
}

// ep_poll_safewake: tell whoever polls this epoll file (outer epolls, poll()) it is readable.
void Kernel::ep_poll_safewake(Eventpoll* ep, std::uint32_t flags) {
    wake_up(ep->poll_wait, EPOLLIN | flags, 1, KFn::ep_poll_safewake);
}

// vfs_poll plus the log entry every poll gets.
std::uint32_t Kernel::vfs_poll(File& f, PollTable* pt, Epitem* for_epi, int depth) {
    std::uint32_t mask = f.kind == FileKind::Epoll ? ep_eventpoll_poll(static_cast<EpollFile&>(f).ep, pt, depth)
                                                   : f.poll(*this, pt);
    emit(EventType::Poll, f.kind == FileKind::Epoll ? KFn::ep_eventpoll_poll : KFn::ep_item_poll, f.id,
         for_epi ? for_epi->id : 0, 0, mask, pt ? pt->key : ~0u);
    return mask;
}

// ep_item_poll: the file's current mask, limited to the item's interest.
std::uint32_t Kernel::ep_item_poll(Epitem* epi, PollTable* pt, int depth) {
    File* f = epi->ffd.file;
    if (f->f_count == 0) return 0;  // being closed: not ready
    pt->key = epi->events;
    return vfs_poll(*f, pt, epi, depth) & epi->events;
}

// __ep_eventpoll_poll: an epoll file is readable iff its ready list holds an item that is
// really ready. Items in front of the first ready one that poll 0 are pruned for good.
std::uint32_t Kernel::ep_eventpoll_poll(Eventpoll* ep, PollTable* pt, int depth) {
    poll_wait(*ep->file, ep->poll_wait, pt);
    require_mtx_free(ep, 0);
    // The kernel's txlist is on the stack; the model keeps it in the eventpoll so that a replay
    // stopped inside this scan (StopReplay unwinds the stack) leaves no dangling list.
    ListHead& txlist = ep->poll_txlist;
    ep_start_scan(ep, &txlist);
    std::uint32_t res = 0;
    for (ListHead* p = txlist.next; p != &txlist;) {
        ListHead* next = p->next;
        Epitem* epi = epi_of_rdllink(p);
        PollTable none{nullptr, 0};
        if (ep_item_poll(epi, &none, depth + 1)) {
            res = EPOLLIN | EPOLLRDNORM;
            break;
        }
        list_del_init(&epi->rdllink);
        emit(EventType::StaleDrop, KFn::ep_eventpoll_poll, ep->id, epi->id);
        p = next;
    }
    ep_done_scan(ep, &txlist);
    return res;
}

std::uint32_t EpollFile::poll(Kernel& k, PollTable* pt) { return k.ep_eventpoll_poll(ep, pt, 0); }

}  // namespace epsim
