// model_view.cpp - read the Kernel into a ModelView (see model_view.h).
#include "viz/core/model_view.h"

#include <algorithm>

#include "sim/eventfd.h"
#include "sim/kernel.h"
#include "sim/pipe.h"
#include "sim/unix_socket.h"

namespace epsim::viz {

const EpiView* ModelView::epi(ObjId id) const {
    auto it = epis.find(id);
    return it == epis.end() ? nullptr : &it->second;
}

const FileView* ModelView::file(ObjId id) const {
    // files are in id order
    auto it = std::lower_bound(files.begin(), files.end(), id, [](const FileView& f, ObjId i) { return f.id < i; });
    return it != files.end() && it->id == id ? &*it : nullptr;
}

static WqView read_wq(const WaitQueueHead& wq, std::string name) {
    WqView v;
    v.id = wq.id;
    v.name = std::move(name);
    for (const ListHead* l = wq.head.next; l != &wq.head; l = l->next) {
        const WaitEntry* w = wait_entry_of(const_cast<ListHead*>(l));
        WqEntryView e;
        e.entry = w->id;
        e.exclusive = (w->flags & WQ_FLAG_EXCLUSIVE) != 0;
        if (w->func == WakeFn::EpAutoremove) {
            e.is_task = true;
            e.owner = w->priv ? static_cast<const Task*>(w->priv)->id : w->id;
        } else {
            const auto* hook = static_cast<const EppollEntry*>(w->priv);
            e.owner = hook && hook->base ? hook->base->id : 0;
        }
        v.entries.push_back(e);
    }
    return v;
}

static void build_tree(const RbNode* n, TreeIn& t, int& out_index, int depth) {
    // Recursion depth is the rb height (<= 2 log2 n), so this is safe for any size.
    if (!n || depth > 128) {
        out_index = -1;
        return;
    }
    const Epitem* e = epi_of_rbn(n);
    int me = static_cast<int>(t.nodes.size());
    t.nodes.push_back({e->id, -1, -1, n->color == RbColor::Red});
    int l = -1, r = -1;
    build_tree(n->left, t, l, depth + 1);
    build_tree(n->right, t, r, depth + 1);
    t.nodes[static_cast<std::size_t>(me)].left = l;
    t.nodes[static_cast<std::size_t>(me)].right = r;
    out_index = me;
}

ModelView build_view(const Kernel& k) {
    ModelView v;
    v.now_ns = k.now();

    // Ids are pool indices, handed out in allocation order and never reused, so the work
    // counters (kept with recording off too) bound them; freed ones are gone from the pool.
    // (Not a scan of the log: that is O(events) per step.)
    const auto max_epi = static_cast<ObjId>(k.log.count(EventType::EpiAlloc));
    // The three boot files (fds 0-2, ids 1-3) are not counted: boot work is not the run's.
    const auto max_file = static_cast<ObjId>(3 + k.log.count(EventType::FileAlloc));
    for (ObjId id = 1; id <= max_epi; ++id) {
        const Epitem* e = k.epitem(id);
        if (!e) continue;
        EpiView ev;
        ev.id = e->id;
        ev.ep = e->ep ? e->ep->id : 0;
        ev.file = e->ffd.file ? e->ffd.file->id : 0;
        ev.fd = e->ffd.fd;
        ev.file_addr = e->ffd.file ? e->ffd.file->addr : 0;
        ev.events = e->events;
        ev.data = e->data;
        ev.red = e->rbn.color == RbColor::Red;
        ev.on_ready = ep_is_linked(e);
        ev.on_ovflist = e->next != EP_UNACTIVE_PTR;
        for (const EppollEntry* h = e->pwqlist; h; h = h->next) {
            ev.hooks.push_back(h->wait.id);
            ev.hook_queues.push_back(h->whead ? h->whead->id : 0);
        }
        v.epis[id] = ev;
    }

    for (const auto& p : k.eventpolls()) {
        if (!p) continue;
        const Eventpoll& ep = *p;
        EpView e;
        e.id = ep.id;
        e.file = ep.file ? ep.file->id : 0;
        int root = -1;
        build_tree(ep.rbr.root, e.tree, root, 0);
        e.tree.root = root;
        for (const Epitem* i : k.rdllist_items(ep)) e.rdllist.push_back(i->id);
        for (const Epitem* i : k.txlist_items(ep)) e.txlist.push_back(i->id);
        for (const Epitem* i : k.ovflist_items(ep)) e.ovflist.push_back(i->id);
        e.scanning = ep.ovflist != EP_UNACTIVE_PTR;
        e.mtx_holder = ep.mtx_holder;
        e.refcount = ep.refcount;
        e.wq = read_wq(ep.wq, "ep#" + std::to_string(ep.id) + " wq");
        e.poll_wait = read_wq(ep.poll_wait, "ep#" + std::to_string(ep.id) + " poll_wait");
        v.eps.push_back(std::move(e));
    }

    for (ObjId id = 1; id <= max_file; ++id) {
        const File* f = k.file(id);
        if (!f) continue;
        FileView fv;
        fv.id = f->id;
        fv.desc = f->describe();
        fv.addr = f->addr;
        fv.f_count = f->f_count;
        switch (f->kind) {
            case FileKind::Pipe: {
                const auto* pf = static_cast<const PipeFile*>(f);
                fv.kind = pf->is_read_end ? "pipe r" : "pipe w";
                fv.slots_used = static_cast<int>(pf->pipe->bufs.size());
                fv.slots_max = static_cast<int>(pf->pipe->max_usage);
                fv.bytes = pf->pipe->bytes();
                fv.queues.push_back(read_wq(pf->pipe->rd_wait, "pipe rd_wait"));
                fv.queues.push_back(read_wq(pf->pipe->wr_wait, "pipe wr_wait"));
                break;
            }
            case FileKind::Eventfd: {
                const auto* ef = static_cast<const EventfdFile*>(f);
                fv.kind = "eventfd";
                fv.bytes = ef->count;
                fv.queues.push_back(read_wq(ef->wqh, "eventfd wqh"));
                break;
            }
            case FileKind::UnixSocket: {
                fv.kind = "unix";
                if (const UnixSock* s = unix_sock_of(f)) {
                    fv.bytes = s->queued_bytes();
                    if (s->has_wq) fv.queues.push_back(read_wq(s->wait, "sk_wq wait"));
                }
                break;
            }
            case FileKind::Regular: fv.kind = "regular"; break;
            case FileKind::Epoll: {
                fv.kind = "epoll";
                const auto* ef = static_cast<const EpollFile*>(f);
                if (ef->ep) fv.queues.push_back(read_wq(ef->ep->poll_wait, "ep poll_wait"));
                break;
            }
        }
        for (const ListHead* l = f->f_ep.next; l != &f->f_ep; l = l->next)
            fv.watched_by.push_back(epi_of_fllink(const_cast<ListHead*>(l))->id);
        v.files.push_back(std::move(fv));
    }

    // Tasks are never freed: walk ids until the pool ends.
    for (ObjId t = 1;; ++t) {
        const Task* tk = nullptr;
        try {
            tk = &k.task(t);
        } catch (const ModelError&) {
            break;
        }
        const Process& p = k.process_of(t);
        TaskView tv;
        tv.id = tk->id;
        tv.pid = p.pid;
        tv.state = task_state_name(tk->state);
        tv.in_epoll_wait = tk->frame != nullptr;
        v.tasks.push_back(tv);
        auto it = std::find_if(v.procs.begin(), v.procs.end(), [&](const ProcView& pv) { return pv.id == p.id; });
        if (it == v.procs.end()) {
            ProcView pv;
            pv.id = p.id;
            pv.pid = p.pid;
            for (std::size_t fd = 0; fd < p.fds.size(); ++fd)
                if (p.fds[fd].file) pv.fds.push_back({static_cast<int>(fd), p.fds[fd].file->id, p.fds[fd].cloexec});
            v.procs.push_back(std::move(pv));
            it = std::prev(v.procs.end());
        }
        it->tasks.push_back(tk->id);
    }
    return v;
}

std::vector<std::vector<std::uint64_t>> list_rows(const EpView& ep) {
    std::vector<std::vector<std::uint64_t>> rows(3);
    for (ObjId i : ep.rdllist) rows[0].push_back(key_ready(i));
    for (ObjId i : ep.txlist) rows[1].push_back(key_ready(i));
    for (ObjId i : ep.ovflist) rows[2].push_back(key_ovf(i));
    return rows;
}

}  // namespace epsim::viz
