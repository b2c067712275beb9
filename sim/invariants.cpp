// invariants.cpp - check_invariants(): the structural truths listed at the top of
// eventpoll.h (E1-E6), file.h (f_count) and list.h, checked over the whole model.
// Tests call it after every step; it returns the first violation found, or "".
#include <algorithm>
#include <map>
#include <set>

#include "kernel.h"
#include "unix_socket.h"

namespace epsim {

namespace {
std::string id(const char* kind, ObjId i) { return std::string(kind) + "#" + std::to_string(i); }
}  // namespace

std::string Kernel::check_invariants() const {
    // f_count = fd-table references + references held by calls in progress.
    std::map<const File*, long> refs;
    for (const auto& p : procs_)
        if (p)
            for (const auto& slot : p->fds)
                if (slot.file) ++refs[slot.file];
    for (const auto& t : tasks_)
        if (t && t->frame) ++refs[t->frame->epfile];
    for (const auto& f : files_) {
        if (!f) continue;
        if (f->f_count != refs[f.get()])
            return id("file", f->id) + ": f_count " + std::to_string(f->f_count) + " but " +
                   std::to_string(refs[f.get()]) + " references exist";
        if (const char* e = list_check(&f->f_ep, epis_.size() + 1)) return id("file", f->id) + " f_ep: " + e;
        if (f->kind == FileKind::UnixSocket) {
            std::string e = check_unix_sock_invariants(*f);
            if (!e.empty()) return id("file", f->id) + ": " + e;
        }
        for (const ListHead* l = f->f_ep.next; l != &f->f_ep; l = l->next) {
            const Epitem* epi = epi_of_fllink(const_cast<ListHead*>(l));
            if (epi->ffd.file != f.get())  // E6
                return id("epitem", epi->id) + " is on the f_ep list of a file it does not watch";
            if (epi->ffd.addr != f->addr)  // the key's copy of the address (EpollFilefd)
                return id("epitem", epi->id) + ": key address differs from its file's address";
        }
    }
    std::map<const Eventpoll*, long> items_of;
    for (const auto& e : epis_)
        if (e) ++items_of[e->ep];
    for (const auto& epu : eps_) {
        if (!epu) continue;
        const Eventpoll& ep = *epu;
        const std::string me = id("ep", ep.id);
        // E1: the interest tree.
        std::string rb = rb_check(ep.rbr);
        if (!rb.empty()) return me + " rbr: " + rb;
        std::size_t in_tree = 0;
        const Epitem* prev = nullptr;
        for (RbNode* n = rb_first(&ep.rbr); n; n = rb_next(n)) {
            const Epitem* epi = epi_of_rbn(n);
            ++in_tree;
            if (epi->ep != &ep) return me + ": " + id("epitem", epi->id) + " in the tree of another ep";
            if (prev) {
                bool ordered = prev->ffd.file->addr < epi->ffd.file->addr ||
                               (prev->ffd.file->addr == epi->ffd.file->addr && prev->ffd.fd < epi->ffd.fd);
                if (!ordered) return me + ": rb tree out of (file address, fd) order at " + id("epitem", epi->id);
            }
            prev = epi;
        }
        if (static_cast<long>(in_tree) != items_of[&ep])
            return me + ": " + std::to_string(items_of[&ep]) + " epitems but " + std::to_string(in_tree) + " in rbr";
        // E5: references = the file (while it is open) + one per item.
        long expect = items_of[&ep] + (file(ep.file->id) == ep.file ? 1 : 0);
        if (ep.refcount != expect)
            return me + ": refcount " + std::to_string(ep.refcount) + ", expected " + std::to_string(expect);
        // E2: linked <=> on rdllist or on the running scan's txlist.
        if (const char* e = list_check(&ep.rdllist, in_tree + 1)) return me + " rdllist: " + e;
        std::set<const Epitem*> on_lists;
        for (const ListHead* l = ep.rdllist.next; l != &ep.rdllist; l = l->next)
            if (!on_lists.insert(epi_of_rdllink(const_cast<ListHead*>(l))).second) return me + ": rdllist repeats an item";
        if (ep.scan_txlist) {
            if (const char* e = list_check(ep.scan_txlist, in_tree + 1)) return me + " txlist: " + e;
            for (const ListHead* l = ep.scan_txlist->next; l != ep.scan_txlist; l = l->next)
                on_lists.insert(epi_of_rdllink(const_cast<ListHead*>(l)));
        }
        // E3: ovflist active <=> a scan is running; chained <=> on the chain.
        if ((ep.ovflist != EP_UNACTIVE_PTR) != (ep.scan_txlist != nullptr))
            return me + ": ovflist state does not match whether a scan is running";
        std::set<const Epitem*> chained;
        if (ep.ovflist != EP_UNACTIVE_PTR)
            // (EP_UNACTIVE_PTR ends the walk too: mid-way through ep_done_scan's drain, a replay
            // stopped there, ep->ovflist still names an item already unchained.)
            for (const Epitem* c = ep.ovflist; c && c != EP_UNACTIVE_PTR; c = c->next)
                if (!chained.insert(c).second || chained.size() > in_tree) return me + ": ovflist chain has a cycle";
        for (RbNode* n = rb_first(&ep.rbr); n; n = rb_next(n)) {
            const Epitem* epi = epi_of_rbn(n);
            if (ep_is_linked(epi) != (on_lists.count(epi) == 1))
                return id("epitem", epi->id) + ": linked flag disagrees with rdllist/txlist membership";
            if ((epi->next != EP_UNACTIVE_PTR) != (chained.count(epi) == 1))
                return id("epitem", epi->id) + ": chained flag disagrees with ovflist membership";
            // E4: each hook is on the queue it names.
            for (const EppollEntry* h = epi->pwqlist; h; h = h->next) {
                if (h->base != epi) return id("hook", h->wait.id) + ": base is not its epitem";
                if (!h->whead) continue;
                bool found = false;
                for (const ListHead* l = h->whead->head.next; l != &h->whead->head; l = l->next)
                    if (l == &h->wait.entry) found = true;
                if (!found) return id("hook", h->wait.id) + ": not on its wait queue";
            }
        }
        if (on_lists.size() != static_cast<std::size_t>(std::count_if(
                                   on_lists.begin(), on_lists.end(), [&](const Epitem* e) { return e->ep == &ep; })))
            return me + ": a ready list holds an item of another ep";
    }
    // Tasks: a sleeping task is on its ep's wq; a runnable one is in the run queue.
    for (const auto& t : tasks_) {
        if (!t) continue;
        if (t->state == TaskState::Sleeping && !list_is_linked(&t->wait.entry) && !t->sigpending &&
            !(t->frame && t->frame->timer_fired))
            return id("task", t->id) + ": sleeping but on no wait queue";
        if ((t->state == TaskState::Paused) != (t->frame && t->frame->in_harvest && t->frame->ep->mtx_holder == t->id))
            return id("task", t->id) + ": paused state disagrees with the harvest it holds";
    }
    return "";
}

}  // namespace epsim
