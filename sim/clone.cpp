// clone.cpp - Kernel::clone(): a deep copy of the simulated machine, for snapshots.
//
// Two passes (relocate.h): first an empty copy of every object is allocated and registered
// with the Relocator; then every field is copied, pointers relocated into the copy. The
// per-struct copies live next to the structs (clone_fields in eventpoll.h, task.h,
// waitqueue.h, rbtree.h, list.h); the file types, pipe inodes and unix sockets are here.
// Every copied struct has a size check: a new field fails the build until it is copied.
#include "clone.h"

#include "eventfd.h"
#include "kernel.h"
#include "pipe.h"
#include "unix_socket.h"

namespace epsim {

// ---------------------------------------------------------------------------------------
// [SECTION] shared objects: pipe inodes, unix sockets

std::shared_ptr<PipeInode> CloneContext::pipe_shell(const PipeInode& from) {
    auto& to_p = pipes[&from];
    if (!to_p) {
        to_p = std::make_shared<PipeInode>();
        reloc.add(from, *to_p);
    }
    return to_p;
}

// The socket and, transitively, every socket it keeps alive (peer, skb senders, embryos).
std::shared_ptr<UnixSock> CloneContext::sock_shell(const std::shared_ptr<UnixSock>& from) {
    if (!from) return nullptr;
    auto& to_s = socks[from.get()];
    if (to_s) return to_s;
    to_s = std::make_shared<UnixSock>(to, from->sndbuf);
    reloc.add(*from, *to_s);
    std::shared_ptr<UnixSock> keep = to_s;  // `to_s` may dangle once the map rehashes
    sock_shell(from->peer);
    for (const UnixSkb& skb : from->rcvq) sock_shell(skb.sender);
    for (const auto& e : from->accept_q) sock_shell(e);
    return keep;
}

namespace {

static_assert(sizeof(PipeInode) == 152, "PipeInode changed: update clone_pipe");
void clone_pipe(PipeInode& d, const PipeInode& s, const Relocator& r) {
    d.bufs = s.bufs;
    d.max_usage = s.max_usage;
    d.readers = s.readers;
    d.writers = s.writers;
    d.poll_usage = s.poll_usage;
    clone_fields(d.rd_wait, s.rd_wait, r);
    clone_fields(d.wr_wait, s.wr_wait, r);
    d.read_file = s.read_file;
    d.write_file = s.write_file;
}

static_assert(sizeof(UnixSock) == 296 && sizeof(UnixSkb) == 40, "UnixSock changed: update clone_sock");
void clone_sock(UnixSock& d, const UnixSock& s, CloneContext& ctx) {
    auto map = [&](const std::shared_ptr<UnixSock>& p) { return p ? ctx.socks.at(p.get()) : nullptr; };
    d.kernel = &ctx.to;
    d.file_id = s.file_id;
    d.state = s.state;
    d.peer = map(s.peer);
    d.sk_shutdown = s.sk_shutdown;
    d.sk_err = s.sk_err;
    d.rcvq.clear();
    for (const UnixSkb& skb : s.rcvq) d.rcvq.push_back(UnixSkb{skb.len, skb.consumed, skb.truesize, map(skb.sender)});
    d.accept_q.clear();
    for (const auto& e : s.accept_q) d.accept_q.push_back(map(e));
    d.connect_skb_truesize = s.connect_skb_truesize;
    d.wmem_alloc = s.wmem_alloc;
    d.sndbuf = s.sndbuf;
    clone_fields(d.wait, s.wait, ctx.reloc);
    d.has_wq = s.has_wq;
    d.dead = s.dead;
    d.max_ack_backlog = s.max_ack_backlog;
    d.bound = s.bound;
    d.in_table = s.in_table;
    d.name = s.name;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// [SECTION] the file types

static_assert(sizeof(File) == 72, "File changed: update File::clone_base");
void File::clone_base(const File& s, const Relocator& r) {
    // kind is const and set by the constructor of the same type
    f_flags = s.f_flags;
    id = s.id;
    addr = s.addr;
    ino = s.ino;
    f_count = s.f_count;
    epsim::clone_fields(f_ep, s.f_ep, r);
    on_check_list = s.on_check_list;
}

template <class F, class... Args>
static std::unique_ptr<File> shell(const F& from, CloneContext& ctx, Args&&... args) {
    auto f = std::make_unique<F>(std::forward<Args>(args)...);
    ctx.reloc.add(from, *f);
    return f;
}

static_assert(sizeof(RegularFile) == 88, "RegularFile changed: update its clone_fields");
std::unique_ptr<File> RegularFile::clone_shell(CloneContext& ctx) const { return shell(*this, ctx); }
void RegularFile::clone_fields(const File& src, CloneContext& ctx) {
    const auto& s = static_cast<const RegularFile&>(src);
    clone_base(s, ctx.reloc);
    size = s.size;
    pos = s.pos;
}

static_assert(sizeof(EventfdFile) == 112, "EventfdFile changed: update its clone_fields");
std::unique_ptr<File> EventfdFile::clone_shell(CloneContext& ctx) const { return shell(*this, ctx, count, 0); }
void EventfdFile::clone_fields(const File& src, CloneContext& ctx) {
    const auto& s = static_cast<const EventfdFile&>(src);
    clone_base(s, ctx.reloc);
    count = s.count;
    semaphore = s.semaphore;
    epsim::clone_fields(wqh, s.wqh, ctx.reloc);
}

static_assert(sizeof(EpollFile) == 80, "EpollFile changed: update its clone_fields");
std::unique_ptr<File> EpollFile::clone_shell(CloneContext& ctx) const { return shell(*this, ctx, f_flags); }
void EpollFile::clone_fields(const File& src, CloneContext& ctx) {
    const auto& s = static_cast<const EpollFile&>(src);
    clone_base(s, ctx.reloc);
    ep = ctx.reloc(s.ep);
}

static_assert(sizeof(PipeFile) == 96, "PipeFile changed: update its clone_fields");
std::unique_ptr<File> PipeFile::clone_shell(CloneContext& ctx) const {
    return shell(*this, ctx, ctx.pipe_shell(*pipe), is_read_end, 0);
}
void PipeFile::clone_fields(const File& src, CloneContext& ctx) { clone_base(src, ctx.reloc); }

static_assert(sizeof(UnixSocketFile) == 88, "UnixSocketFile changed: update its clone_fields");
std::unique_ptr<File> UnixSocketFile::clone_shell(CloneContext& ctx) const {
    return shell(*this, ctx, 0, ctx.sock_shell(sock));
}
void UnixSocketFile::clone_fields(const File& src, CloneContext& ctx) { clone_base(src, ctx.reloc); }

// ---------------------------------------------------------------------------------------
// [SECTION] Kernel::clone

Kernel::Kernel(KernelConfig cfg, Bare) : config(cfg), addr_state_(cfg.seed) {}

namespace {
template <class T>
void shells(const std::vector<std::unique_ptr<T>>& from, std::vector<std::unique_ptr<T>>& to, Relocator& r) {
    to.resize(from.size());
    for (std::size_t i = 0; i < from.size(); ++i)
        if (from[i]) {
            to[i] = std::make_unique<T>();
            r.add(*from[i], *to[i]);
        }
}
template <class T>
void fill(const std::vector<std::unique_ptr<T>>& from, std::vector<std::unique_ptr<T>>& to, const Relocator& r) {
    for (std::size_t i = 0; i < from.size(); ++i)
        if (from[i]) clone_fields(*to[i], *from[i], r);
}
}  // namespace

std::unique_ptr<Kernel> Kernel::clone(Recording rec) const {
    if (api_depth_ != 0) throw ModelError("Kernel::clone: only between calls, not inside one");
    std::unique_ptr<Kernel> k(new Kernel(config, Bare{}));
    CloneContext ctx{*k, {}, {}, {}};
    Relocator& r = ctx.reloc;
    // Pass 1: an empty copy of every object.
    k->files_.resize(files_.size());
    for (std::size_t i = 0; i < files_.size(); ++i)
        if (files_[i]) k->files_[i] = files_[i]->clone_shell(ctx);
    shells(eps_, k->eps_, r);
    shells(epis_, k->epis_, r);
    shells(hooks_, k->hooks_, r);
    shells(procs_, k->procs_, r);
    shells(tasks_, k->tasks_, r);
    for (std::size_t i = 0; i < tasks_.size(); ++i)
        if (tasks_[i] && tasks_[i]->frame) {
            k->tasks_[i]->frame = std::make_unique<EpWaitFrame>();
            r.add(*tasks_[i]->frame, *k->tasks_[i]->frame);
        }
    r.seal();
    // Pass 2: the fields.
    for (std::size_t i = 0; i < files_.size(); ++i)
        if (files_[i]) k->files_[i]->clone_fields(*files_[i], ctx);
    for (const auto& [from, to] : ctx.pipes) clone_pipe(*to, *from, r);
    for (const auto& [from, to] : ctx.socks) clone_sock(*to, *from, ctx);
    fill(eps_, k->eps_, r);
    fill(epis_, k->epis_, r);
    fill(hooks_, k->hooks_, r);
    fill(procs_, k->procs_, r);
    fill(tasks_, k->tasks_, r);
    for (const auto& [name, e] : unix_names)
        if (auto s = e.sock.lock()) {
            const auto& to = ctx.socks.at(s.get());
            k->unix_names[name] = UnixNameEntry{to, to.get()};
        }
    // The machine's own registers.
    k->next_wq_id_ = next_wq_id_;
    k->next_pid_ = next_pid_;
    k->addr_state_ = addr_state_;
    k->now_ns_ = now_ns_;
    k->loop_check_gen_ = loop_check_gen_;
    k->user_watches_ = user_watches_;
    k->inserting_into_ = r(inserting_into_);
    for (File* f : tfile_check_list_) k->tfile_check_list_.push_back(r(f));
    k->runqueue_ = runqueue_;
    if (rec == Recording::Keep) {
        k->log = log;
        k->commands_ = commands_;
        k->recording_cleared_ = recording_cleared_;
    } else {
        k->log.enabled = log.enabled;
        k->log.stop_after = log.stop_after;
        k->log.total = log.total;
        k->log.counts = log.counts;
        k->recording_cleared_ = true;  // no commands: replay_to would rebuild the wrong run
    }
    return k;
}

std::size_t Kernel::state_bytes() const {
    std::size_t n = sizeof(Kernel);
    n += (files_.capacity() + eps_.capacity() + epis_.capacity() + hooks_.capacity() + procs_.capacity() +
          tasks_.capacity()) * sizeof(void*);
    for (const auto& f : files_)
        if (f) n += f->kind == FileKind::Pipe ? sizeof(PipeFile) + sizeof(PipeInode) / 2
                  : f->kind == FileKind::UnixSocket ? sizeof(UnixSocketFile) + sizeof(UnixSock)
                  : sizeof(EventfdFile);
    for (const auto& e : eps_) n += e ? sizeof(Eventpoll) : 0;
    for (const auto& e : epis_) n += e ? sizeof(Epitem) : 0;
    for (const auto& h : hooks_) n += h ? sizeof(EppollEntry) : 0;
    for (const auto& p : procs_) n += p ? sizeof(Process) + p->fds.capacity() * sizeof(FdSlot) : 0;
    for (const auto& t : tasks_) n += t ? sizeof(Task) + (t->frame ? sizeof(EpWaitFrame) : 0) : 0;
    return n;
}

}  // namespace epsim
