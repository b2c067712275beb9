// waitqueue.cpp - poll_wait() and the __wake_up_common walk.
#include "kernel.h"

namespace epsim {

// poll_wait(): a file's ->poll names each queue it can be woken on. Only an ep_insert poll
// table (pt->epi set) hooks anything; a re-poll passes a table that registers nothing.
void Kernel::poll_wait(File& f, WaitQueueHead& wq, PollTable* pt) {
    if (pt && pt->epi) ep_ptable_queue_proc(f, wq, pt->epi);
}

// @lab(wakeup) begin: the __wake_up_common walk: call entries from the head, count exclusive wake-ups
// __wake_up_common: walk from the head; call each entry's function with the key; stop once
// `nr_exclusive` exclusive entries reported success (0 = wake all). The next entry is fetched
// before the call because a task waiter removes itself (ep_autoremove_wake_function).
void Kernel::wake_up(WaitQueueHead& wq, std::uint32_t key, int nr_exclusive, KFn where) {
    emit(EventType::WakeBegin, where, wq.id, 0, 0, key, static_cast<std::uint64_t>(nr_exclusive));
    ListHead* p = wq.head.next;
    while (p != &wq.head) {
        ListHead* next = p->next;
        WaitEntry* w = wait_entry_of(p);
        const std::uint32_t flags = w->flags;
        int ret = 0;
        ObjId owner = 0;
        switch (w->func) {
            case WakeFn::EpPollCallback: {
                auto* hook = static_cast<EppollEntry*>(w->priv);
                owner = hook->base->id;
                ret = ep_poll_callback(hook, key);
                break;
            }
            case WakeFn::EpAutoremove:
                owner = static_cast<Task*>(w->priv)->id;
                ret = ep_autoremove_wake_function(w);
                break;
        }
        emit(EventType::WakeEntry, KFn::wake_up_common, wq.id, w->id, owner, static_cast<std::uint64_t>(ret),
             static_cast<std::uint64_t>(w->func));
        if (ret < 0) break;
        if (ret && (flags & WQ_FLAG_EXCLUSIVE) && --nr_exclusive == 0) break;
        p = next;
    }
}
// @lab(wakeup) stub
//| // __wake_up_common: walk from the head; call each entry's function with the key; stop once
//| // `nr_exclusive` exclusive entries reported success (0 = wake all).
//| void Kernel::wake_up(WaitQueueHead& wq, std::uint32_t key, int nr_exclusive, KFn where) {
//|     emit(EventType::WakeBegin, where, wq.id, 0, 0, key, static_cast<std::uint64_t>(nr_exclusive));
//|     // TODO(lab wakeup): walk wq.head from the first entry (wait_entry_of). Fetch the next link
//|     // BEFORE calling an entry: a task waiter removes itself. For each entry, remember its flags,
//|     // then call it according to w->func:
//|     //   WakeFn::EpPollCallback: ep_poll_callback(static_cast<EppollEntry*>(w->priv), key),
//|     //                           owner = that hook's epitem id (hook->base->id);
//|     //   WakeFn::EpAutoremove:   ep_autoremove_wake_function(w), owner = the Task's id.
//|     // Log EventType::WakeEntry (KFn::wake_up_common; a = wq.id, b = w->id, c = owner,
//|     // x = the return value, y = w->func). A negative return stops the walk; a positive one
//|     // from an exclusive entry (WQ_FLAG_EXCLUSIVE) counts, and the walk stops when
//|     // nr_exclusive reaches 0 that way (nr_exclusive 0 = wake everyone).
//|     // The stub wakes nobody.
//| }
// @lab(wakeup) end

// ep_autoremove_wake_function: wake the task, and leave the queue whether or not it worked.
int Kernel::ep_autoremove_wake_function(WaitEntry* w) {
    Task& t = *static_cast<Task*>(w->priv);
    int ret = try_to_wake_up(t, 1) ? 1 : 0;
    ObjId wq_id = t.frame && t.frame->ep ? t.frame->ep->wq.id : 0;
    list_del_init(&w->entry);
    emit(EventType::WqRemove, KFn::ep_autoremove_wake_function, wq_id, w->id, t.id);
    return ret;
}

}  // namespace epsim
