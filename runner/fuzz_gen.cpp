// fuzz_gen.cpp - see fuzz_gen.h.
#include "fuzz_gen.h"

#include <random>
#include <set>

namespace epsim::scn {

namespace {

struct Gen {
    std::mt19937_64 rng;
    std::string out;
    std::vector<std::string> readable, writable, eventfds, eps, all_fds;
    std::set<std::string> closed;
    int next_data = 1, dups = 0;

    explicit Gen(std::uint64_t seed) : rng(seed) {}
    int pick(int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); }
    bool coin(int percent) { return pick(100) < percent; }
    template <class V>
    const std::string* any(const V& v) {
        std::vector<const std::string*> open;
        for (const auto& x : v)
            if (!closed.count(x)) open.push_back(&x);
        return open.empty() ? nullptr : open[static_cast<std::size_t>(pick(static_cast<int>(open.size())))];
    }
    void line(const std::string& s) { out += s + "\n"; }

    std::string mask() {
        static const char* base[] = {"EPOLLIN", "EPOLLOUT", "EPOLLIN|EPOLLOUT", "EPOLLIN|EPOLLRDHUP", "0"};
        std::string m = base[pick(5)];
        if (coin(35)) m += "|EPOLLET";
        if (coin(20)) m += "|EPOLLONESHOT";
        return m;
    }

    void setup() {
        eps = {"ep0", "ep1"};
        line("ep0 = epoll_create1(0)");
        line("ep1 = epoll_create1(0)");
        for (int i = 0; i < 2; ++i) {
            std::string p = "p" + std::to_string(i);
            line(p + " = pipe(O_NONBLOCK)");
            readable.push_back(p + ".r");
            writable.push_back(p + ".w");
        }
        line("e0 = eventfd(0, EFD_NONBLOCK)");
        eventfds.push_back("e0");
        line("s0 = socketpair(SOCK_NONBLOCK)");
        readable.push_back("s0.a");
        readable.push_back("s0.b");
        writable.push_back("s0.a");
        writable.push_back("s0.b");
        all_fds = readable;
        for (const auto& w : writable) all_fds.push_back(w);
        all_fds.push_back("e0");
        if (coin(40)) line("epoll_ctl(ep1, ADD, ep0, EPOLLIN, data=" + std::to_string(next_data++) + ")");
    }

    void op() {
        switch (pick(12)) {
            case 0:
            case 1: {  // ADD
                const std::string* fd = any(all_fds);
                if (!fd) return;
                line("epoll_ctl(" + eps[pick(2)] + ", ADD, " + *fd + ", " + mask() + ", data=" + std::to_string(next_data++) + ")");
                return;
            }
            case 2: {  // MOD
                const std::string* fd = any(all_fds);
                if (!fd) return;
                line("epoll_ctl(" + eps[pick(2)] + ", MOD, " + *fd + ", " + mask() + ", data=" + std::to_string(next_data++) + ")");
                return;
            }
            case 3: {  // DEL
                const std::string* fd = any(all_fds);
                if (fd) line("epoll_ctl(" + eps[pick(2)] + ", DEL, " + *fd + ")");
                return;
            }
            case 4:
            case 5: {  // write
                const std::string* fd = any(writable);
                static const int sizes[] = {1, 100, 1000, 4096, 5000};
                if (!fd) return;
                bool sock = fd->rfind("s0", 0) == 0;
                line("write(" + *fd + ", " + std::to_string(sock ? sizes[pick(3)] : sizes[pick(5)]) + ")");
                return;
            }
            case 6: {  // read
                const std::string* fd = any(readable);
                static const int sizes[] = {1, 100, 4096, 70000};
                if (fd) line("read(" + *fd + ", " + std::to_string(sizes[pick(4)]) + ")");
                return;
            }
            case 7: {  // eventfd
                if (closed.count("e0")) return;
                if (coin(60)) line("write(e0, 8, value=" + std::to_string(pick(3)) + ")");
                else line("read(e0, 8)");
                return;
            }
            case 8:
            case 9: {  // wait
                static const int maxev[] = {1, 2, 3, 8};
                line("epoll_wait(" + eps[pick(2)] + ", " + std::to_string(maxev[pick(4)]) + ", 0)");
                return;
            }
            case 10: {  // dup, or close a dup (the originals stay open)
                const std::string* fd = any(all_fds);
                if (!fd) return;
                if (coin(60) || dups == 0) {
                    std::string d = "d" + std::to_string(dups++);
                    line(d + " = dup(" + *fd + ")");
                    all_fds.push_back(d);
                    if (fd->find(".r") != std::string::npos || *fd == "e0" || fd->rfind("s0", 0) == 0) readable.push_back(d);
                    if (fd->find(".w") != std::string::npos || *fd == "e0" || fd->rfind("s0", 0) == 0) writable.push_back(d);
                } else {
                    std::string d = "d" + std::to_string(pick(dups));
                    if (closed.count(d)) return;
                    line("close(" + d + ")");
                    closed.insert(d);
                }
                return;
            }
            case 11: {  // hang-ups: close a pipe end or shut a socket down, rarely
                if (!coin(25)) return;
                if (coin(50)) {
                    static const std::vector<std::string> ends{"p0.w", "p1.w", "p0.r", "p1.r"};
                    const std::string* fd = any(ends);
                    if (!fd) return;
                    line("close(" + *fd + ")");
                    closed.insert(*fd);
                } else {
                    static const char* how[] = {"SHUT_RD", "SHUT_WR", "SHUT_RDWR"};
                    if (!closed.count("s0.a")) line(std::string("shutdown(s0.a, ") + how[pick(3)] + ")");
                }
                return;
            }
        }
    }
};

}  // namespace

std::string generate_scenario(std::uint64_t seed, int index, const FuzzOptions& opt) {
    Gen g(seed * 0x9e3779b97f4a7c15ULL + static_cast<std::uint64_t>(index));
    g.line("title \"fuzz seed " + std::to_string(seed) + " #" + std::to_string(index) + "\"");
    g.setup();
    int n = opt.min_ops + g.pick(opt.max_ops - opt.min_ops + 1);
    for (int i = 0; i < n; ++i) g.op();
    g.line("epoll_wait(ep0, 8, 0)");
    g.line("epoll_wait(ep1, 8, 0)");
    return g.out;
}

}  // namespace epsim::scn
