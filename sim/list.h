// list.h - an intrusive doubly linked list shaped like the kernel's struct list_head.
//
// Invariants (checked by list_check()):
//   - a head is a circular list: head->next->prev == head, and so on around the ring;
//   - an entry that is on no list points at itself (list_del_init leaves it so), which is
//     what makes "is this epitem on a ready list?" (ep_is_linked) a property of the item.
// The owner of an entry is recovered with EPSIM_CONTAINER_OF, the kernel's container_of.
#pragma once
#include <cassert>
#include <cstddef>
#include <cstdint>

#include "relocate.h"

namespace epsim {

struct ListHead {
    ListHead* next = this;
    ListHead* prev = this;
    ListHead() = default;
    ListHead(const ListHead&) = delete;             // intrusive: never copied
    ListHead& operator=(const ListHead&) = delete;
};

// Kernel::clone(): the copy's links point at the copies of the neighbours.
inline void clone_fields(ListHead& d, const ListHead& s, const Relocator& r) {
    d.next = r(s.next);
    d.prev = r(s.prev);
}

inline void list_init(ListHead* h) { h->next = h->prev = h; }
inline bool list_empty(const ListHead* h) { return h->next == h; }
// An entry that list_del_init() left alone points at itself.
inline bool list_is_linked(const ListHead* e) { return e->next != e; }

inline void list_insert_between(ListHead* e, ListHead* prev, ListHead* next) {
    assert(!list_is_linked(e) && "list: entry is already on a list (double insertion)");
    next->prev = e;
    e->next = next;
    e->prev = prev;
    prev->next = e;
}
// list_add: insert right after the head (stack order).
inline void list_add(ListHead* e, ListHead* head) { list_insert_between(e, head, head->next); }
// list_add_tail: insert before the head (queue order).
inline void list_add_tail(ListHead* e, ListHead* head) { list_insert_between(e, head->prev, head); }

inline void list_del_init(ListHead* e) {
    assert(list_is_linked(e) && "list: removing an entry that is on no list");
    e->prev->next = e->next;
    e->next->prev = e->prev;
    list_init(e);
}

// list_splice_init: move every entry of `from` to the front of `to`, keeping their order.
inline void list_splice_init(ListHead* from, ListHead* to) {
    if (list_empty(from)) return;
    ListHead* first = from->next;
    ListHead* last = from->prev;
    ListHead* at = to->next;
    first->prev = to;
    to->next = first;
    last->next = at;
    at->prev = last;
    list_init(from);
}
// list_splice_tail_init: move every entry of `from` to the back of `to`.
inline void list_splice_tail_init(ListHead* from, ListHead* to) {
    if (list_empty(from)) return;
    ListHead* first = from->next;
    ListHead* last = from->prev;
    ListHead* at = to->prev;
    first->prev = at;
    at->next = first;
    last->next = to;
    to->prev = last;
    list_init(from);
}

inline std::size_t list_count(const ListHead* h) {
    std::size_t n = 0;
    for (const ListHead* p = h->next; p != h; p = p->next) ++n;
    return n;
}

// Walks the ring and checks next/prev agree and the ring closes within `limit` steps.
// Returns nullptr if sound, else a description of the first fault.
inline const char* list_check(const ListHead* h, std::size_t limit = SIZE_MAX) {
    const ListHead* p = h;
    std::size_t steps = 0;
    do {
        if (p->next->prev != p) return "next->prev does not point back";
        p = p->next;
        if (++steps > limit) return "list does not close (cycle not through the head)";
    } while (p != h);
    return nullptr;
}

}  // namespace epsim

// container_of: from a pointer to a member back to its owner. Owners are standard-layout.
#define EPSIM_CONTAINER_OF(ptr, Type, member) \
    (reinterpret_cast<Type*>(reinterpret_cast<char*>(ptr) - offsetof(Type, member)))
