// ep_release.cpp - what closing does: eventpoll_release_file (a watched file's last
// reference goes), ep_clear_and_put (the epoll file's last reference goes), and
// /proc/<pid>/fdinfo/<epfd> (ep_show_fdinfo).
#include <cstdio>

#include "kernel.h"

namespace epsim {

// eventpoll_release_file: remove every epitem watching `f`, in whatever epoll it lives.
// Silent: no event, no wake-up.
void Kernel::eventpoll_release_file(File* f) {
    while (!list_empty(&f->f_ep)) {
        Epitem* epi = epi_of_fllink(f->f_ep.next);
        Eventpoll* ep = epi->ep;
        require_mtx_free(ep, 0);
        emit(EventType::Note, KFn::eventpoll_release_file, ep->id, epi->id);
        ep_remove(ep, epi);
    }
}

// ep_clear_and_put: wake pollers of this epoll, unhook every item from its files' queues
// (pass 1), remove every item (pass 2), then drop the file's reference on the instance.
void Kernel::ep_clear_and_put(Eventpoll* ep) {
    if (ep->poll_wait.active()) ep_poll_safewake(ep, 0);
    require_mtx_free(ep, 0);
    for (RbNode* n = rb_first(&ep->rbr); n; n = rb_next(n)) ep_unregister_pollwait(ep, epi_of_rbn(n));
    while (RbNode* n = rb_first(&ep->rbr)) ep_remove(ep, epi_of_rbn(n));
    ep_put(ep);
}

void EpollFile::release(Kernel& k) { k.ep_clear_and_put(ep); }
SysResult EpollFile::read(Kernel&, std::uint64_t) { return SysResult::fail(EINVAL); }
SysResult EpollFile::write(Kernel&, std::uint64_t, std::uint64_t) { return SysResult::fail(EINVAL); }
std::string EpollFile::describe() const { return "epoll ep#" + std::to_string(ep ? ep->id : 0); }

// The superblock device each file type lives on, as fdinfo prints it (values seen on 6.18:
// pipefs f, anon_inodefs 10, sockfs 9; they are machine-specific).
static unsigned sdev_of(const File& f) {
    switch (f.kind) {
        case FileKind::Pipe: return 0xf;
        case FileKind::UnixSocket: return 0x9;
        case FileKind::Eventfd:
        case FileKind::Epoll: return 0x10;
        case FileKind::Regular: return 0x803;
    }
    return 0;
}

// ep_show_fdinfo: one line per item in rb-tree order (file address, then fd).
std::string Kernel::ep_show_fdinfo(Eventpoll* ep) const {
    std::string out;
    char line[160];
    for (RbNode* n = rb_first(&ep->rbr); n; n = rb_next(n)) {
        const Epitem* epi = epi_of_rbn(n);
        std::snprintf(line, sizeof line, "tfd: %8d events: %8x data: %16llx  pos:%lli ino:%llx sdev:%x\n",
                      epi->ffd.fd, epi->events, static_cast<unsigned long long>(epi->data), 0LL,
                      static_cast<unsigned long long>(epi->ffd.file->ino), sdev_of(*epi->ffd.file));
        out += line;
    }
    return out;
}

// /proc/<pid>/fdinfo/<fd>: the generic header (fs/proc/fd.c seq_show), then the epoll lines.
std::optional<std::string> Kernel::fdinfo(ObjId t, int fd) {
    File* f = fget(t, fd);
    if (!f) return std::nullopt;
    const Process& p = process_of(t);
    int flags = f->f_flags & ~O_CLOEXEC;
    if (p.fds[fd].cloexec) flags |= O_CLOEXEC;
    char head[160];
    std::snprintf(head, sizeof head, "pos:\t0\nflags:\t0%o\nmnt_id:\t%d\nino:\t%llu\n", flags,
                  f->kind == FileKind::Pipe ? 14 : f->kind == FileKind::UnixSocket ? 8 : 17,
                  static_cast<unsigned long long>(f->ino));
    std::string out = head;
    if (f->kind == FileKind::Epoll) {
        Eventpoll* ep = static_cast<EpollFile*>(f)->ep;
        require_mtx_free(ep, t);
        out += ep_show_fdinfo(ep);
    }
    return out;
}

}  // namespace epsim
