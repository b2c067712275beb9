// waitqueue.h - wait_queue_head / wait_queue_entry, as include/linux/wait.h shapes them.
//
// A WaitQueueHead is a ring of WaitEntry. Where an entry goes decides wake order:
//   add_wait_queue            -> head, non-exclusive   (epoll hooks: newest registration first)
//   add_wait_queue_exclusive  -> tail, exclusive       (EPOLLEXCLUSIVE hooks: FIFO, after the rest)
//   __add_wait_queue_exclusive-> head, exclusive       (ep_poll's sleeping tasks: LIFO)
// __wake_up_common walks from the head and stops after nr_exclusive exclusive entries
// returned non-zero (0 = wake everyone). The walk itself is Kernel::wake_up (waitqueue.cpp),
// because an entry's function (ep_poll_callback, a task wake) acts on the whole model.
#pragma once
#include "event_log.h"
#include "list.h"

#include <type_traits>

namespace epsim {

inline constexpr std::uint32_t WQ_FLAG_EXCLUSIVE = 0x01;

// Which wake function an entry carries (the kernel stores a function pointer).
enum class WakeFn : std::uint8_t {
    EpPollCallback,  // an eppoll_entry hook of an epitem: ep_poll_callback
    EpAutoremove,    // a task sleeping in ep_poll: ep_autoremove_wake_function
};

struct WaitEntry {
    ListHead entry;  // link in WaitQueueHead::head
    std::uint32_t flags = 0;
    WakeFn func = WakeFn::EpPollCallback;
    void* priv = nullptr;  // EppollEntry* or Task*
    ObjId id = 0;          // stable id of the entry (hook id, or task id for waiters)
};
static_assert(std::is_standard_layout_v<WaitEntry>);

struct WaitQueueHead {
    ListHead head;
    ObjId id = 0;
    bool active() const { return !list_empty(&head); }  // waitqueue_active()
};

// Kernel::clone() (relocate.h). A new field here: copy it in clone_fields, then fix the size.
inline void clone_fields(WaitEntry& d, const WaitEntry& s, const Relocator& r) {
    clone_fields(d.entry, s.entry, r);
    d.flags = s.flags;
    d.func = s.func;
    d.priv = r(s.priv);
    d.id = s.id;
}
inline void clone_fields(WaitQueueHead& d, const WaitQueueHead& s, const Relocator& r) {
    clone_fields(d.head, s.head, r);
    d.id = s.id;
}
static_assert(sizeof(WaitEntry) == 40 && sizeof(WaitQueueHead) == 24, "wait queue changed: update clone_fields");

inline WaitEntry* wait_entry_of(ListHead* l) { return EPSIM_CONTAINER_OF(l, WaitEntry, entry); }

}  // namespace epsim
