// eventpoll.h - struct eventpoll, struct epitem, struct eppoll_entry (fs/eventpoll.c).
//
// INVARIANTS (Kernel::check_invariants verifies them after every step in the tests):
//   E1  every epitem of ep is in ep->rbr exactly once; rbr is a valid red-black tree ordered by
//       (file address, fd) -- ep_cmp_ffd.
//   E2  epi "linked" (rdllink not self-pointing) <=> epi is on ep->rdllist or on the txlist of
//       the harvest currently running on ep (ep_is_linked).
//   E3  ep->ovflist == EP_UNACTIVE_PTR <=> no scan is running on ep; while one runs, ovflist is
//       NULL or the head of a chain through epi->next; epi->next != EP_UNACTIVE_PTR <=> epi is
//       on that chain (the last one has next == NULL).
//   E4  each hook (eppoll_entry) of epi is on exactly the wait queue `whead` it names.
//   E5  ep->refcount == 1 (the epoll file, while open) + number of epitems in ep.
//   E6  epi is on its file's f_ep list.
//
// LOCKING (what the model keeps of it): ep->mtx serialises epoll_ctl, harvests and fdinfo on
// one instance; the model records which task holds it during a paused harvest and refuses (as
// a model error) any operation that would have to sleep on it. ep->lock makes each callback and
// each list move atomic; in a single-threaded model every step already is.
#pragma once
#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>

#include "epi_cache.h"
#include "event_log.h"
#include "file.h"
#include "list.h"
#include "rbtree.h"
#include "waitqueue.h"

namespace epsim {

struct Epitem;
struct Eventpoll;
struct Task;

// EP_UNACTIVE_PTR: ((void *) -1L). Marks "no scan running" (ep->ovflist) and "not chained"
// (epi->next).
inline Epitem* const EP_UNACTIVE_PTR = reinterpret_cast<Epitem*>(~std::uintptr_t{0});

// struct eppoll_entry: one hook of an epitem on one wait queue.
struct EppollEntry {
    EppollEntry* next = nullptr;  // next hook of the same epitem (pwqlist)
    Epitem* base = nullptr;
    WaitEntry wait;               // linked on *whead; func = ep_poll_callback
    WaitQueueHead* whead = nullptr;
};

// struct epoll_filefd: the key. The kernel orders by the file pointer's value and never
// dereferences it; our file's "pointer value" is File::addr, kept here as the kernel keeps
// the pointer, so ep_find's walk touches only epitems (the walk is most of EPOLL_CTL_ADD/DEL).
struct EpollFilefd {
    File* file = nullptr;
    std::uint64_t addr = 0;  // == file->addr, fixed for the file's life
    int fd = -1;
};

// struct epitem. Cache-line aligned, as the kernel's epi_cache is (SLAB_HWCACHE_ALIGN), and
// laid out so ep_find's walk (rbn, ffd, id for the log) reads one line per node: the same
// fields as the kernel's, in a different order.
struct alignas(64) Epitem {
    RbNode rbn;                       // in ep->rbr
    EpollFilefd ffd;
    std::uint32_t events = 0;         // interest (with ERR|HUP added) + private bits
    ObjId id = 0;
    // second line: the lists and the rest
    ListHead rdllink;                 // in ep->rdllist or a harvest's txlist
    Epitem* next = EP_UNACTIVE_PTR;   // ovflist chain
    EppollEntry* pwqlist = nullptr;
    Eventpoll* ep = nullptr;
    ListHead fllink;                  // in ffd.file->f_ep
    std::uint64_t data = 0;

    // Storage from the epitem cache (epi_cache.h), as the kernel's kmem_cache_alloc(epi_cache).
    static void* operator new(std::size_t n) { return epi_cache::alloc(n); }
    static void* operator new(std::size_t n, std::align_val_t) { return epi_cache::alloc(n); }
    static void operator delete(void* p) noexcept { epi_cache::free(p); }
    static void operator delete(void* p, std::align_val_t) noexcept { epi_cache::free(p); }
};
static_assert(std::is_standard_layout_v<Epitem>, "container_of needs a standard-layout epitem");

// Kernel::clone() (relocate.h): every field copied, every pointer relocated. A new field in
// EppollEntry or Epitem: copy it here, then fix the size check.
inline void clone_fields(EppollEntry& d, const EppollEntry& s, const Relocator& r) {
    d.next = r(s.next);
    d.base = r(s.base);
    clone_fields(d.wait, s.wait, r);
    d.whead = r(s.whead);
}
inline void clone_fields(Epitem& d, const Epitem& s, const Relocator& r) {
    clone_fields(d.rbn, s.rbn, r);
    d.ffd = EpollFilefd{r(s.ffd.file), s.ffd.addr, s.ffd.fd};
    d.events = s.events;
    d.id = s.id;
    clone_fields(d.rdllink, s.rdllink, r);
    d.next = r(s.next);
    d.pwqlist = r(s.pwqlist);
    d.ep = r(s.ep);
    clone_fields(d.fllink, s.fllink, r);
    d.data = s.data;
}
static_assert(sizeof(EppollEntry) == 64 && sizeof(EpollFilefd) == 24 && sizeof(Epitem) == epi_cache::kSlot &&
                  alignof(Epitem) == epi_cache::kAlign &&
                  offsetof(Epitem, rdllink) == 64,
              "EppollEntry/Epitem changed: update clone_fields");

inline Epitem* epi_of_rbn(const RbNode* n) {
    return n ? EPSIM_CONTAINER_OF(const_cast<RbNode*>(n), Epitem, rbn) : nullptr;
}
inline Epitem* epi_of_rdllink(ListHead* l) { return EPSIM_CONTAINER_OF(l, Epitem, rdllink); }
inline Epitem* epi_of_fllink(ListHead* l) { return EPSIM_CONTAINER_OF(l, Epitem, fllink); }
inline bool ep_is_linked(const Epitem* epi) { return list_is_linked(&epi->rdllink); }

// struct eventpoll
struct Eventpoll {
    WaitQueueHead wq;         // tasks sleeping in epoll_wait (exclusive, head-inserted: LIFO)
    WaitQueueHead poll_wait;  // outer epolls' hooks and poll() callers
    ListHead rdllist;         // the ready list
    RbRoot rbr;               // the interest set
    Epitem* ovflist = EP_UNACTIVE_PTR;
    File* file = nullptr;     // the epoll's own file; its f_ep is this ep's `refs`
    std::uint64_t gen = 0;    // loop_check_gen stamp
    int loop_check_depth = 0;
    long refcount = 1;
    ObjId id = 0;
    // Model bookkeeping: the txlist of the scan in progress (nullptr if none) and the task
    // holding ep->mtx across a paused harvest (0 if none).
    ListHead* scan_txlist = nullptr;
    ObjId mtx_holder = 0;
    ListHead poll_txlist;  // the txlist of ep_eventpoll_poll's scan (on the kernel's stack)
};

// Kernel::clone() (relocate.h). A new field in Eventpoll: copy it here, then fix the size.
inline void clone_fields(Eventpoll& d, const Eventpoll& s, const Relocator& r) {
    clone_fields(d.wq, s.wq, r);
    clone_fields(d.poll_wait, s.poll_wait, r);
    clone_fields(d.rdllist, s.rdllist, r);
    clone_fields(d.rbr, s.rbr, r);
    d.ovflist = r(s.ovflist);
    d.file = r(s.file);
    d.gen = s.gen;
    d.loop_check_depth = s.loop_check_depth;
    d.refcount = s.refcount;
    d.id = s.id;
    d.scan_txlist = r(s.scan_txlist);
    d.mtx_holder = s.mtx_holder;
    clone_fields(d.poll_txlist, s.poll_txlist, r);
}
static_assert(sizeof(Eventpoll) == 160, "Eventpoll changed: update clone_fields");

// The epoll file: anon_inode:[eventpoll], private_data = the eventpoll.
class EpollFile final : public File {
public:
    explicit EpollFile(int flags) : File(FileKind::Epoll, flags) {}
    Eventpoll* ep = nullptr;
    std::uint32_t poll(Kernel& k, PollTable* pt) override;  // ep_eventpoll_poll
    void release(Kernel& k) override;                       // ep_eventpoll_release
    SysResult read(Kernel&, std::uint64_t) override;
    SysResult write(Kernel&, std::uint64_t, std::uint64_t) override;
    std::string describe() const override;
    std::unique_ptr<File> clone_shell(CloneContext& ctx) const override;
    void clone_fields(const File& src, CloneContext& ctx) override;
};

}  // namespace epsim
