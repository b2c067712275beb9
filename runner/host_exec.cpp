// host_exec.cpp - one CallSpec -> one raw syscall -> CallResult (HostBackend).
#include "host_exec.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstring>

#ifndef SYS_epoll_pwait2
#define SYS_epoll_pwait2 441
#endif

namespace epsim::scn::hostexec {

static_assert(sizeof(long) == 8, "x86-64 only");

long syscall_nr(CallKind k) {
    switch (k) {
        case CallKind::EpollCreate: return SYS_epoll_create;
        case CallKind::EpollCreate1: return SYS_epoll_create1;
        case CallKind::EpollCtl: return SYS_epoll_ctl;
        case CallKind::EpollWait: return SYS_epoll_wait;
        case CallKind::EpollPwait: return SYS_epoll_pwait;
        case CallKind::EpollPwait2: return SYS_epoll_pwait2;
        case CallKind::Pipe: return SYS_pipe2;
        case CallKind::Eventfd: return SYS_eventfd2;
        case CallKind::Socketpair: return SYS_socketpair;
        case CallKind::Socket: return SYS_socket;
        case CallKind::Bind: return SYS_bind;
        case CallKind::Listen: return SYS_listen;
        case CallKind::Connect: return SYS_connect;
        case CallKind::Accept: return SYS_accept4;
        case CallKind::OpenFile: return SYS_openat;
        case CallKind::Read: return SYS_read;
        case CallKind::Write: return SYS_write;
        case CallKind::Shutdown: return SYS_shutdown;
        case CallKind::Close: return SYS_close;
        case CallKind::Dup: return SYS_dup;
        case CallKind::Dup2: return SYS_dup2;
        case CallKind::Fcntl: return SYS_fcntl;
        case CallKind::Poll: return SYS_poll;
    }
    return -1;
}

namespace {

// Lowest address the kernel's access_ok() refuses for any buffer: a count this large can never
// be written to, so a tiny buffer is safe to pass with it (the kernel answers EFAULT/EINVAL).
constexpr std::size_t kNoUserRange = std::size_t{1} << 47;

// Anonymous memory reserved but not committed (MAP_NORESERVE): the pages the kernel never
// touches cost nothing, so a huge count can be passed with a buffer that really is that big.
class Reserve {
public:
    Reserve() = default;
    Reserve(const Reserve&) = delete;
    Reserve& operator=(const Reserve&) = delete;
    ~Reserve() {
        if (p_) ::munmap(p_, len_);
    }
    void* map(std::size_t len) {
        void* p = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) return nullptr;
        p_ = p;
        len_ = len;
        return p;
    }

private:
    void* p_ = nullptr;
    std::size_t len_ = 0;
};

// The one place a syscall runs: the in-syscall flag brackets it, errno survives the store.
long sys(ExecContext& ctx, int& err, long nr, long a0 = 0, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0,
         long a5 = 0) {
    if (ctx.in_syscall) ctx.in_syscall->store(static_cast<int>(nr), std::memory_order_seq_cst);
    long r = ::syscall(nr, a0, a1, a2, a3, a4, a5);
    err = r == -1 ? errno : 0;
    if (ctx.in_syscall) ctx.in_syscall->store(-1, std::memory_order_seq_cst);
    return r;
}

template <class T>
long P(T* p) {
    return reinterpret_cast<long>(p);
}

// A buffer for `count` bytes of read/write: the reused heap buffer up to kIoCap, reserved
// memory beyond; `count` is lowered to kIoCap only if the reservation fails.
unsigned char* io_buffer(ExecContext& ctx, std::size_t& count, Reserve& res) {
    const std::size_t small = count < 8 ? 8 : count;
    if (count <= kIoCap) {
        if (ctx.io.size() < small) ctx.io.resize(small);
        return ctx.io.data();
    }
    if (count >= kNoUserRange) {
        if (ctx.io.size() < 8) ctx.io.resize(8);
        return ctx.io.data();
    }
    if (void* p = res.map(count)) return static_cast<unsigned char*>(p);
    count = kIoCap;
    if (ctx.io.size() < kIoCap) ctx.io.resize(kIoCap);
    return ctx.io.data();
}

// An epoll_wait buffer for `max` events (the value the kernel sees, after int truncation).
epoll_event* event_buffer(ExecContext& ctx, int& max, Reserve& res) {
    if (ctx.ev.empty()) ctx.ev.resize(1);
    if (max <= 0) return ctx.ev.data();  // the kernel refuses it before touching the buffer
    if (max <= kEvCap) {
        if (ctx.ev.size() < static_cast<std::size_t>(max)) ctx.ev.resize(static_cast<std::size_t>(max));
        return ctx.ev.data();
    }
    if (static_cast<std::size_t>(max) > INT_MAX / sizeof(epoll_event)) return ctx.ev.data();  // EP_MAX_EVENTS: EINVAL
    if (void* p = res.map(static_cast<std::size_t>(max) * sizeof(epoll_event))) return static_cast<epoll_event*>(p);
    max = kEvCap;
    ctx.ev.resize(kEvCap);
    return ctx.ev.data();
}

struct SockAddr {
    std::vector<char> buf;
    socklen_t len = 0;
};

SockAddr make_addr(const std::string& prefix, const std::string& name) {
    SockAddr a;
    constexpr std::size_t path_off = offsetof(sockaddr_un, sun_path);
    const sa_family_t fam = AF_UNIX;
    if (name.empty()) {  // autobind (bind) / EINVAL (connect)
        a.buf.assign(sizeof(sockaddr_un), 0);
        std::memcpy(a.buf.data(), &fam, sizeof fam);
        a.len = static_cast<socklen_t>(sizeof(sa_family_t));
        return a;
    }
    const std::string real = abstract_name(prefix, name);
    a.buf.assign(std::max(sizeof(sockaddr_un), path_off + 1 + real.size()), 0);
    std::memcpy(a.buf.data(), &fam, sizeof fam);
    std::memcpy(a.buf.data() + path_off + 1, real.data(), real.size());  // sun_path[0] = '\0'
    a.len = static_cast<socklen_t>(path_off + 1 + real.size());
    return a;
}

constexpr std::size_t kMaxAbstract = sizeof(sockaddr_un::sun_path) - 1;  // 107

}  // namespace

std::string abstract_name(const std::string& prefix, const std::string& name) {
    if (name.size() > kMaxAbstract) return name;  // too long anyway: let the kernel say EINVAL
    std::string full = prefix + name;
    if (full.size() <= kMaxAbstract) return full;
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a
    for (unsigned char ch : name) {
        h ^= ch;
        h *= 1099511628211ull;
    }
    char hex[17];
    for (int i = 15; i >= 0; --i, h >>= 4) hex[i] = "0123456789abcdef"[h & 15];
    hex[16] = 0;
    return prefix + "#" + hex;
}

CallResult execute(const CallSpec& c, ExecContext& ctx) {
    auto arg = [&](std::size_t i) -> std::int64_t { return i < c.args.size() ? c.args[i] : 0; };
    // The kernel's int parameters see the low 32 bits; pass them as the kernel will see them.
    auto i32 = [&](std::size_t i) -> long { return static_cast<int>(arg(i)); };
    auto u32 = [&](std::size_t i) -> long { return static_cast<long>(static_cast<std::uint32_t>(arg(i))); };

    CallResult r;
    long ret = -1;
    int err = 0;
    const long nr = syscall_nr(c.kind);
    switch (c.kind) {
        case CallKind::EpollCreate: ret = sys(ctx, err, nr, i32(0)); break;
        case CallKind::EpollCreate1: ret = sys(ctx, err, nr, i32(0)); break;
        case CallKind::EpollCtl: {
            epoll_event ev{};
            ev.events = c.events;
            ev.data.u64 = c.data;
            ret = sys(ctx, err, nr, i32(0), i32(1), i32(2), c.has_event ? P(&ev) : 0);
            break;
        }
        case CallKind::EpollWait:
        case CallKind::EpollPwait:
        case CallKind::EpollPwait2: {
            int max = static_cast<int>(arg(1));
            Reserve res;
            epoll_event* buf = event_buffer(ctx, max, res);
            if (c.kind == CallKind::EpollWait) {
                ret = sys(ctx, err, nr, i32(0), P(buf), max, i32(2));
            } else if (c.kind == CallKind::EpollPwait) {
                ret = sys(ctx, err, nr, i32(0), P(buf), max, i32(2), 0, 8);  // NULL sigmask
            } else {
                struct timespec ts{};
                ts.tv_sec = static_cast<time_t>(c.sec);
                ts.tv_nsec = static_cast<long>(c.nsec);
                ret = sys(ctx, err, nr, i32(0), P(buf), max, c.has_timespec ? P(&ts) : 0, 0, 8);
            }
            if (ret > 0) {
                r.events.reserve(static_cast<std::size_t>(ret));
                for (long i = 0; i < ret; ++i) r.events.push_back(Ev{buf[i].events, buf[i].data.u64});
            }
            break;
        }
        case CallKind::Pipe: {
            int fds[2] = {-1, -1};
            ret = sys(ctx, err, nr, P(fds), i32(0));
            if (ret == 0) r.fds[0] = fds[0], r.fds[1] = fds[1];
            break;
        }
        case CallKind::Eventfd: ret = sys(ctx, err, nr, u32(0), i32(1)); break;
        case CallKind::Socketpair: {
            int fds[2] = {-1, -1};
            ret = sys(ctx, err, nr, AF_UNIX, SOCK_STREAM | static_cast<int>(arg(0)), 0, P(fds));
            if (ret == 0) r.fds[0] = fds[0], r.fds[1] = fds[1];
            break;
        }
        case CallKind::Socket: ret = sys(ctx, err, nr, AF_UNIX, SOCK_STREAM | static_cast<int>(arg(0)), 0); break;
        case CallKind::Bind:
        case CallKind::Connect: {
            SockAddr a = make_addr(ctx.name_prefix, c.name);
            ret = sys(ctx, err, nr, i32(0), P(a.buf.data()), static_cast<long>(a.len));
            break;
        }
        case CallKind::Listen: ret = sys(ctx, err, nr, i32(0), i32(1)); break;
        case CallKind::Accept: ret = sys(ctx, err, nr, i32(0), 0, 0, i32(1)); break;
        case CallKind::OpenFile: ret = sys(ctx, err, nr, AT_FDCWD, P("/tmp"), O_TMPFILE | O_RDWR, 0600); break;
        case CallKind::Read: {
            std::size_t count = static_cast<std::size_t>(arg(1));
            Reserve res;
            unsigned char* buf = io_buffer(ctx, count, res);
            ret = sys(ctx, err, nr, i32(0), P(buf), static_cast<long>(count));
            break;
        }
        case CallKind::Write: {
            std::size_t count = static_cast<std::size_t>(arg(1));
            Reserve res;
            unsigned char* buf = io_buffer(ctx, count, res);
            if (buf == ctx.io.data()) std::memset(buf, 0, std::min(std::max<std::size_t>(count, 8), ctx.io.size()));
            const std::uint64_t v = static_cast<std::uint64_t>(arg(2));
            for (int i = 0; i < 8; ++i) buf[i] = static_cast<unsigned char>(v >> (8 * i));  // little-endian
            ret = sys(ctx, err, nr, i32(0), P(buf), static_cast<long>(count));
            break;
        }
        case CallKind::Shutdown: ret = sys(ctx, err, nr, i32(0), i32(1)); break;
        case CallKind::Close: ret = sys(ctx, err, nr, i32(0)); break;
        case CallKind::Dup: ret = sys(ctx, err, nr, i32(0)); break;
        case CallKind::Dup2: ret = sys(ctx, err, nr, i32(0), i32(1)); break;
        case CallKind::Fcntl: ret = sys(ctx, err, nr, i32(0), i32(1), static_cast<long>(arg(2))); break;
        case CallKind::Poll: {
            std::vector<pollfd> fds(c.pollfds.size());
            for (std::size_t i = 0; i < fds.size(); ++i) {
                fds[i].fd = c.pollfds[i].fd;
                fds[i].events = static_cast<short>(c.pollfds[i].events);
            }
            ret = sys(ctx, err, nr, P(fds.data()), static_cast<long>(fds.size()), i32(0));
            for (const pollfd& p : fds) r.revents.push_back(static_cast<std::uint16_t>(p.revents));
            break;
        }
    }
    r.ret = ret;
    r.err = err;
    return r;
}

}  // namespace epsim::scn::hostexec
