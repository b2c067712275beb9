// host_fork.cpp - the forked child's server loop and its wire protocol (HostBackend).
#include "host_fork.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>

#include "host_exec.h"

namespace epsim::scn::hostexec {

// =============================================================================================
// wire format: u32 length, then a tag byte ('C' call, 'R' result, 'Q' quit) and the fields
// =============================================================================================
namespace {

class Out {
public:
    explicit Out(char tag) { b_.push_back(tag); }
    void i64(std::int64_t v) {
        for (int i = 0; i < 8; ++i) b_.push_back(static_cast<char>(static_cast<std::uint64_t>(v) >> (8 * i)));
    }
    void str(const std::string& s) {
        i64(static_cast<std::int64_t>(s.size()));
        b_.insert(b_.end(), s.begin(), s.end());
    }
    std::vector<char> take() { return std::move(b_); }

private:
    std::vector<char> b_;
};

class In {
public:
    In(const std::vector<char>& b, char tag) : b_(b), ok_(!b.empty() && b[0] == tag), pos_(1) {}
    std::int64_t i64() {
        if (!ok_ || b_.size() - pos_ < 8) {
            ok_ = false;
            return 0;
        }
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(b_[pos_ + i])) << (8 * i);
        pos_ += 8;
        return static_cast<std::int64_t>(v);
    }
    // A count of items of `item_size` bytes each that must still fit in the message.
    std::size_t count(std::size_t item_size) {
        std::int64_t n = i64();
        if (!ok_ || n < 0 || static_cast<std::uint64_t>(n) > (b_.size() - pos_) / item_size) {
            ok_ = false;
            return 0;
        }
        return static_cast<std::size_t>(n);
    }
    std::string str() {
        std::size_t n = count(1);
        if (!ok_) return {};
        std::string s(b_.data() + pos_, n);
        pos_ += n;
        return s;
    }
    bool ok() const { return ok_ && pos_ == b_.size(); }

private:
    const std::vector<char>& b_;
    bool ok_;
    std::size_t pos_;
};

bool send_all(int fd, const char* p, std::size_t n) {
    while (n > 0) {
        ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        p += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

bool recv_all(int fd, char* p, std::size_t n) {
    while (n > 0) {
        ssize_t r = ::recv(fd, p, n, 0);
        if (r < 0) {
            if (errno == EINTR) continue;  // SIGUSR1 meant for a call, not for the channel
            return false;
        }
        if (r == 0) return false;
        p += r;
        n -= static_cast<std::size_t>(r);
    }
    return true;
}

bool send_msg(int fd, const std::vector<char>& msg) {
    const auto len = static_cast<std::uint32_t>(msg.size());
    char hdr[4];
    std::memcpy(hdr, &len, 4);
    return send_all(fd, hdr, 4) && send_all(fd, msg.data(), msg.size());
}

bool recv_msg(int fd, std::vector<char>& msg) {
    char hdr[4];
    if (!recv_all(fd, hdr, 4)) return false;
    std::uint32_t len = 0;
    std::memcpy(&len, hdr, 4);
    msg.resize(len);
    return recv_all(fd, msg.data(), len);
}

}  // namespace

std::vector<char> encode_call(const CallSpec& c) {
    Out o('C');
    o.i64(static_cast<std::int64_t>(c.kind));
    o.i64(static_cast<std::int64_t>(c.args.size()));
    for (std::int64_t a : c.args) o.i64(a);
    o.i64(c.has_event);
    o.i64(c.events);
    o.i64(static_cast<std::int64_t>(c.data));
    o.i64(c.has_timespec);
    o.i64(c.sec);
    o.i64(c.nsec);
    o.str(c.name);
    o.i64(static_cast<std::int64_t>(c.pollfds.size()));
    for (const PollReq& p : c.pollfds) {
        o.i64(p.fd);
        o.i64(p.events);
    }
    return o.take();
}

std::optional<CallSpec> decode_call(const std::vector<char>& msg) {
    In in(msg, 'C');
    CallSpec c;
    std::int64_t kind = in.i64();
    if (kind < 0 || kind > static_cast<std::int64_t>(CallKind::Poll)) return std::nullopt;
    c.kind = static_cast<CallKind>(kind);
    c.args.resize(in.count(8));
    for (auto& a : c.args) a = in.i64();
    c.has_event = in.i64() != 0;
    c.events = static_cast<std::uint32_t>(in.i64());
    c.data = static_cast<std::uint64_t>(in.i64());
    c.has_timespec = in.i64() != 0;
    c.sec = in.i64();
    c.nsec = in.i64();
    c.name = in.str();
    c.pollfds.resize(in.count(16));
    for (auto& p : c.pollfds) {
        p.fd = static_cast<int>(in.i64());
        p.events = static_cast<std::uint32_t>(in.i64());
    }
    if (!in.ok()) return std::nullopt;
    return c;
}

std::vector<char> encode_result(const CallResult& r) {
    Out o('R');
    o.i64(r.ret);
    o.i64(r.err);
    o.i64(r.blocked);
    o.i64(static_cast<std::int64_t>(r.events.size()));
    for (const Ev& e : r.events) {
        o.i64(e.events);
        o.i64(static_cast<std::int64_t>(e.data));
    }
    o.i64(static_cast<std::int64_t>(r.revents.size()));
    for (std::uint32_t v : r.revents) o.i64(v);
    o.i64(r.fds[0]);
    o.i64(r.fds[1]);
    return o.take();
}

std::optional<CallResult> decode_result(const std::vector<char>& msg) {
    In in(msg, 'R');
    CallResult r;
    r.ret = in.i64();
    r.err = static_cast<int>(in.i64());
    r.blocked = in.i64() != 0;
    r.events.resize(in.count(16));
    for (Ev& e : r.events) {
        e.events = static_cast<std::uint32_t>(in.i64());
        e.data = static_cast<std::uint64_t>(in.i64());
    }
    r.revents.resize(in.count(8));
    for (auto& v : r.revents) v = static_cast<std::uint32_t>(in.i64());
    r.fds[0] = static_cast<int>(in.i64());
    r.fds[1] = static_cast<int>(in.i64());
    if (!in.ok()) return std::nullopt;
    return r;
}

// =============================================================================================
// parent side
// =============================================================================================
std::optional<CallResult> remote_call(int sock, const CallSpec& c) {
    if (!send_msg(sock, encode_call(c))) return std::nullopt;
    std::vector<char> msg;
    if (!recv_msg(sock, msg)) return std::nullopt;
    return decode_result(msg);
}

void send_quit(int sock) { send_msg(sock, std::vector<char>{'Q'}); }

int move_fd_high(int fd) {
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur < 1100) return fd;
    int high = ::fcntl(fd, F_DUPFD_CLOEXEC, 1000);
    if (high < 0) return fd;
    ::close(fd);
    return high;
}

void unmap_shared(ChildShared* s) {
    if (!s) return;
    s->~ChildShared();
    ::munmap(s, sizeof(ChildShared));
}

// =============================================================================================
// the child
// =============================================================================================
namespace {

[[noreturn]] void serve(int sock, ChildShared* shared, const std::string& prefix) {
    ExecContext ctx;
    ctx.name_prefix = prefix;
    ctx.in_syscall = &shared->in_syscall;
    std::vector<char> msg;
    for (;;) {
        if (!recv_msg(sock, msg) || msg.empty() || msg[0] != 'C') ::_exit(0);  // closed, or quit
        std::optional<CallSpec> spec = decode_call(msg);
        if (!spec) ::_exit(2);
        if (!send_msg(sock, encode_result(execute(*spec, ctx)))) ::_exit(0);
    }
}

}  // namespace

ChildHandle spawn_child(const std::string& name_prefix, const std::vector<int>& close_in_child) {
    ChildHandle h;
    void* mem = ::mmap(nullptr, sizeof(ChildShared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) {
        h.err = errno;
        return h;
    }
    auto* shared = new (mem) ChildShared;
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        h.err = errno;
        unmap_shared(shared);
        return h;
    }
    sv[0] = move_fd_high(sv[0]);
    sv[1] = move_fd_high(sv[1]);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) {
        h.err = errno;
        ::close(sv[0]);
        ::close(sv[1]);
        unmap_shared(shared);
        return h;
    }
    if (pid == 0) {
        // The child: only this thread exists now. It must never return into the caller.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(0);  // the parent died before prctl
        for (int fd : close_in_child) ::close(fd);
        ::close(sv[0]);
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGUSR1);
        pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
        serve(sv[1], shared, name_prefix);
    }
    ::close(sv[1]);
    h.pid = pid;
    h.sock = sv[0];
    h.shared = shared;
    return h;
}

}  // namespace epsim::scn::hostexec
