// Snapshots: Kernel::clone() and Checkpoints::seek().
//
// A clone taken at any call boundary, continued with the remaining calls, must give exactly
// the run the original had (log, fdinfo, invariants, state), even after the kernel it was
// cloned from is gone (ASan: no pointer into the source survives). seek(i) must equal
// replay_to(i) for any event i, mid-call ones included.
#include <algorithm>
#include <functional>
#include <sstream>

#include "helpers.h"
#include "sim/checkpoints.h"
#include "sim/eventfd.h"
#include "sim/pipe.h"
#include "sim/unix_socket.h"

using namespace epsim;
using namespace epsim::test;

namespace {

std::string ids(const std::vector<const Epitem*>& v) {
    std::string s;
    for (const Epitem* e : v) s += std::to_string(e->id) + " ";
    return s;
}

std::string entries(const WaitQueueHead& wq) {
    std::string s = "wq" + std::to_string(wq.id) + "[";
    for (const ListHead* l = wq.head.next; l != &wq.head; l = l->next) {
        const WaitEntry* w = wait_entry_of(const_cast<ListHead*>(l));
        s += std::to_string(w->id) + (w->func == WakeFn::EpAutoremove ? "t" : "h") + (w->flags ? "x " : " ");
    }
    return s + "]";
}

// Everything a student can see of the state, as text: two kernels in the same state give the
// same dump. A state-only seek keeps no commands: with_commands = false leaves them out.
std::string dump(const Kernel& k, bool with_commands = true) {
    std::ostringstream o;
    o << "now " << k.now() << " events " << k.log.size() << " total " << k.log.total;
    if (with_commands) o << " commands " << k.command_count();
    o << " syscalls " << k.log.syscalls.size() << "\n";
    o << "invariants: " << k.check_invariants() << "\n";
    for (const auto& ep : k.eventpolls()) {
        if (!ep) {
            o << "ep -\n";
            continue;
        }
        o << "ep" << ep->id << " file " << ep->file->id << " ref " << ep->refcount << " mtx " << ep->mtx_holder
          << " gen " << ep->gen << "\n  rb: ";
        for (const Epitem* e : k.rb_items(*ep))
            o << e->id << "(fd " << e->ffd.fd << " f" << e->ffd.file->id << " ev " << e->events << " d " << e->data
              << " hooks";
        for (const Epitem* e : k.rb_items(*ep)) {
            for (const EppollEntry* h = e->pwqlist; h; h = h->next) o << " " << h->wait.id << "@wq" << (h->whead ? h->whead->id : 0);
            o << ") ";
        }
        o << "\n  rdllist: " << ids(k.rdllist_items(*ep)) << "\n  txlist: " << ids(k.txlist_items(*ep))
          << "\n  ovflist: " << (ep->ovflist == EP_UNACTIVE_PTR ? "inactive" : ids(k.ovflist_items(*ep)))
          << "\n  " << entries(ep->wq) << " " << entries(ep->poll_wait) << "\n";
    }
    for (ObjId f = 1; f <= k.file_slots(); ++f) {
        const File* file = k.file(f);
        if (!file) {
            o << "file" << f << " -\n";
            continue;
        }
        o << "file" << f << " " << file->describe() << " count " << file->f_count << " flags " << file->f_flags
          << " addr " << file->addr << " check " << file->on_check_list << " f_ep";
        for (const ListHead* l = file->f_ep.next; l != &file->f_ep; l = l->next)
            o << " " << epi_of_fllink(const_cast<ListHead*>(l))->id;
        if (auto* e = dynamic_cast<const EventfdFile*>(file)) o << " " << entries(e->wqh);
        if (auto* p = dynamic_cast<const PipeFile*>(file))
            o << " " << entries(p->pipe->rd_wait) << entries(p->pipe->wr_wait) << " r" << p->pipe->readers << " w"
              << p->pipe->writers << " pu" << p->pipe->poll_usage;
        if (const UnixSock* s = unix_sock_of(file)) {
            o << " " << entries(s->wait) << " st" << int(s->state) << " sh" << s->sk_shutdown << " err" << s->sk_err
              << " wmem" << s->wmem_alloc << " q" << s->queued_bytes() << " acc" << s->accept_q.size() << " peer"
              << (s->peer ? s->peer->file_id : 0) << " name " << s->name << " bound " << s->bound;
        }
        o << "\n";
    }
    for (ObjId t = 1; t <= k.task_count(); ++t) {
        const Task& tk = k.task(t);
        o << "task" << t << " proc " << tk.process << " state " << task_state_name(tk.state) << " sig "
          << tk.sigpending << " pause " << tk.pause_after << " done " << tk.done << " result " << tk.result.ret << "/"
          << tk.result.err << " events";
        for (const auto& e : tk.events) o << " " << e.events << ":" << e.data;
        if (tk.frame)
            o << " frame ep" << tk.frame->ep->id << " phase " << int(tk.frame->phase) << " harvest "
              << tk.frame->in_harvest << " out " << tk.frame->out.size() << " deadline " << tk.frame->deadline
              << " txlist " << list_count(&tk.frame->txlist);
        const Process& p = k.process_of(t);
        o << "\n  pid " << p.pid << " next_fd " << p.next_fd << " fds";
        for (std::size_t fd = 0; fd < p.fds.size(); ++fd)
            if (p.fds[fd].file) o << " " << fd << ":f" << p.fds[fd].file->id << (p.fds[fd].cloexec ? "c" : "");
        o << "\n";
    }
    return o.str();
}

// Every recorded event, field by field and as the trace prints it.
std::vector<std::string> log_lines(const Kernel& k) {
    std::vector<std::string> v;
    for (const Event& e : k.log.events) {
        std::ostringstream o;
        o << int(e.type) << " " << int(e.fn) << " " << e.a << " " << e.b << " " << e.c << " " << e.x << " " << e.y
          << " | " << k.describe(e);
        v.push_back(o.str());
    }
    return v;
}

// /proc/<pid>/fdinfo of every open fd of every task's process.
std::string all_fdinfo(Kernel& k) {
    std::string s;
    for (ObjId t = 1; t <= k.task_count(); ++t) {
        if (k.task(t).state != TaskState::Running || k.task(t).frame) continue;
        const Process& p = k.process_of(t);
        for (std::size_t fd = 0; fd < p.fds.size(); ++fd)
            if (p.fds[fd].file) {
                auto text = k.fdinfo(t, static_cast<int>(fd));
                s += std::to_string(t) + ":" + std::to_string(fd) + "\n" + (text ? *text : "none");
            }
    }
    return s;
}

// ---- rich scenarios ----

// Threads asleep in ep_poll, a timer that fires, a signal, LT/ET/ONESHOT items.
void sleepers(Kernel& k) {
    ObjId t1 = 1;
    int ep = make_epoll(k, t1);
    int efd = static_cast<int>(k.eventfd(t1, 0, EFD_NONBLOCK).ret);
    Pipe p = make_pipe(k, t1);
    add(k, t1, ep, efd, EPOLLIN, 1);
    add(k, t1, ep, p.r, EPOLLIN | EPOLLET, 2);
    add(k, t1, ep, p.w, EPOLLOUT | EPOLLONESHOT, 3);
    ObjId t2 = k.spawn_thread(t1), t3 = k.spawn_thread(t1), t4 = k.spawn_thread(t1);
    k.epoll_wait(t1, ep, 8, 0);
    k.epoll_wait(t2, ep, 8, -1);
    k.epoll_wait(t3, ep, 8, -1);
    k.epoll_wait(t4, ep, 8, 50);
    k.write(t1, efd, 8, 1);
    k.write(t1, p.w, 100);
    k.advance(20'000'000);
    k.signal(t3);
    k.epoll_wait(t2, ep, 1, -1);
    k.read(t1, efd, 8);
    k.advance_to_next_timer();
    k.epoll_wait(t3, ep, 8, 10);
    k.advance(100'000'000);
    k.close(t1, p.r);
}

// A harvest paused with ovflist active; callbacks chain there; resume splices them back.
void paused(Kernel& k) {
    ObjId t1 = 1;
    int ep = make_epoll(k, t1);
    std::vector<int> fds;
    for (int i = 0; i < 5; ++i) {
        int fd = static_cast<int>(k.eventfd(t1, 0, EFD_NONBLOCK).ret);
        add(k, t1, ep, fd, i % 2 ? EPOLLIN | EPOLLET : EPOLLIN, static_cast<std::uint64_t>(10 + i));
        fds.push_back(fd);
    }
    ObjId t2 = k.spawn_thread(t1);
    for (int i = 0; i < 3; ++i) k.write(t1, fds[static_cast<std::size_t>(i)], 8, 1);
    k.pause_harvest(t2, 1);
    k.epoll_wait(t2, ep, 8, 0);
    k.write(t1, fds[3], 8, 1);
    k.write(t1, fds[0], 8, 1);
    k.write(t1, fds[4], 8, 1);
    k.write(t1, fds[3], 8, 1);
    k.resume(t2);
    k.epoll_wait(t1, ep, 2, 0);
    k.pause_harvest(t1, 0);
    k.epoll_wait(t1, ep, 8, 0);
    k.write(t2, fds[1], 8, 1);
    k.resume(t1);
    k.close(t1, fds[2]);
}

// Nested epolls, an outer sleeper woken through ep_poll_safewake, closing the inner epoll.
void nested(Kernel& k) {
    ObjId t1 = 1;
    int outer = make_epoll(k, t1), inner = make_epoll(k, t1), inner2 = make_epoll(k, t1);
    Pipe p = make_pipe(k, t1);
    int efd = static_cast<int>(k.eventfd(t1, 0, EFD_NONBLOCK).ret);
    add(k, t1, inner, p.r, EPOLLIN, 1);
    add(k, t1, inner2, efd, EPOLLIN | EPOLLET, 2);
    add(k, t1, outer, inner, EPOLLIN, 3);
    add(k, t1, outer, inner2, EPOLLIN | EPOLLET, 4);
    EpollEvent ev{EPOLLIN, 5};
    k.epoll_ctl(t1, inner, EPOLL_CTL_ADD, outer, &ev);  // ELOOP
    ObjId t2 = k.spawn_thread(t1);
    k.epoll_wait(t2, outer, 4, -1);
    k.write(t1, p.w, 10);
    k.write(t1, efd, 8, 3);
    k.epoll_wait(t1, outer, 4, 0);
    k.epoll_wait(t1, inner, 4, 0);
    k.read(t1, p.r, 10);
    std::vector<PollFd> pf{{outer, POLLIN, 0}, {inner, POLLIN, 0}, {99, POLLIN, 0}};
    k.poll(t1, pf, 0);
    k.close(t1, inner);
    k.epoll_wait(t1, outer, 4, 0);
}

// Unix sockets: pair, listener, connect, accept, data both ways, shutdown, close with data.
void sockets(Kernel& k) {
    ObjId t1 = 1;
    int ep = make_epoll(k, t1);
    int sv[2];
    k.socketpair(t1, sv, SOCK_NONBLOCK);
    int lst = static_cast<int>(k.socket(t1, SOCK_NONBLOCK).ret);
    k.bind(t1, lst, "srv");
    k.listen(t1, lst, 4);
    add(k, t1, ep, lst, EPOLLIN, 1);
    add(k, t1, ep, sv[0], EPOLLIN | EPOLLOUT | EPOLLET, 2);
    add(k, t1, ep, sv[1], EPOLLIN | EPOLLRDHUP, 3);
    int c1 = static_cast<int>(k.socket(t1, SOCK_NONBLOCK).ret);
    int c2 = static_cast<int>(k.socket(t1, SOCK_NONBLOCK).ret);
    k.connect(t1, c1, "srv");
    k.connect(t1, c2, "srv");
    k.epoll_wait(t1, ep, 8, 0);
    int a1 = static_cast<int>(k.accept4(t1, lst, SOCK_NONBLOCK).ret);
    add(k, t1, ep, a1, EPOLLIN, 4);
    k.write(t1, c1, 5000);
    k.write(t1, sv[0], 300);
    k.write(t1, sv[1], 70000);
    k.epoll_wait(t1, ep, 8, 0);
    k.read(t1, sv[0], 1000);
    k.shutdown(t1, sv[1], SHUT_WR);
    k.epoll_wait(t1, ep, 8, 0);
    k.close(t1, a1);  // with unread data: ECONNRESET for c1
    k.close(t1, lst); // c2's embryo is released
    k.close(t1, sv[0]);
    k.epoll_wait(t1, ep, 8, 0);
    k.read(t1, c1, 100);
}

// fork shares open files; the child closes, dups and runs its own epoll.
void forked(Kernel& k) {
    ObjId t1 = 1;
    int ep = make_epoll(k, t1);
    Pipe p = make_pipe(k, t1);
    add(k, t1, ep, p.r, EPOLLIN, 1);
    int pid = static_cast<int>(k.fork(t1).ret);
    ObjId c = k.child_task(pid);
    k.close(c, p.r);
    int d = static_cast<int>(k.dup(c, p.w).ret);
    k.dup2(c, d, 30);
    k.fcntl(c, 30, F_SETFD, FD_CLOEXEC);
    k.write(c, 30, 10);
    k.epoll_wait(t1, ep, 4, 0);
    int cep = make_epoll(k, c);
    add(k, c, cep, p.w, EPOLLOUT, 7);
    k.epoll_wait(c, cep, 4, 0);
    k.close(t1, p.r);
    k.epoll_wait(t1, ep, 4, 0);
    k.close(c, cep);
    k.open_regular(t1);
}

const std::vector<std::pair<const char*, std::function<void(Kernel&)>>> kScenarios = {
    {"sleepers", sleepers}, {"paused", paused}, {"nested", nested}, {"sockets", sockets}, {"forked", forked},
};

}  // namespace

TEST_CASE("clone at every call boundary continues exactly like the original", "[model][checkpoints]") {
    for (const auto& [name, run] : kScenarios) {
        INFO("scenario " << name);
        Kernel orig;
        run(orig);
        REQUIRE(orig.check_invariants() == "");
        const auto want_log = log_lines(orig);
        const std::string want_fdinfo = all_fdinfo(orig), want_dump = dump(orig);
        const std::size_t n = orig.command_count();
        REQUIRE(n > 10);
        for (std::size_t j = 0; j <= n; ++j) {
            INFO("cloned after command " << j << " of " << n);
            auto src = std::make_unique<Kernel>(orig.config);
            orig.replay_commands(*src, 0, j);
            std::unique_ptr<Kernel> copy = src->clone();
            REQUIRE(dump(*copy) == dump(*src));
            src.reset();  // nothing of the copy may point into the source (ASan checks)
            orig.replay_commands(*copy, j, n);
            REQUIRE(copy->check_invariants() == "");
            REQUIRE(log_lines(*copy) == want_log);
            REQUIRE(all_fdinfo(*copy) == want_fdinfo);
            REQUIRE(dump(*copy) == want_dump);
        }
    }
}

TEST_CASE("a clone and its original evolve independently", "[model][checkpoints]") {
    Kernel k;
    int ep = make_epoll(k, 1);
    int efd = static_cast<int>(k.eventfd(1, 0, EFD_NONBLOCK).ret);
    add(k, 1, ep, efd, EPOLLIN, 42);
    ObjId t2 = k.spawn_thread(1);
    k.epoll_wait(t2, ep, 4, -1);
    auto copy = k.clone(Kernel::Recording::Drop);
    REQUIRE(copy->log.size() == 0);
    REQUIRE(copy->command_count() == 0);
    REQUIRE(copy->task(t2).state == TaskState::Sleeping);
    copy->write(1, efd, 8, 1);  // wakes the copy's sleeper only
    REQUIRE(copy->task(t2).state == TaskState::Running);
    REQUIRE(copy->task(t2).events == std::vector<EpollEvent>{{EPOLLIN, 42}});
    REQUIRE(k.task(t2).state == TaskState::Sleeping);
    REQUIRE(k.rdllist_items(*k.ep_of_fd(1, ep)).empty());
    EPSIM_CHECK_INVARIANTS(k);
    EPSIM_CHECK_INVARIANTS(*copy);
    k.close(1, efd);
    REQUIRE(copy->ep_of_fd(1, ep)->rbr.root != nullptr);
    REQUIRE(k.ep_of_fd(1, ep)->rbr.root == nullptr);
}

TEST_CASE("clone copies a replay stopped inside a call", "[model][checkpoints]") {
    Kernel k;
    int ep = make_epoll(k, 1);
    int efd = static_cast<int>(k.eventfd(1, 1, EFD_NONBLOCK).ret);
    add(k, 1, ep, efd, EPOLLIN, 1);
    // replay_to stops mid-call: the result is a finished kernel object (api depth back to 0),
    // whose state is the mid-call one; clone copies it as it is.
    auto mid = k.replay_to(k.log.size() - 3);
    auto copy = mid->clone();
    REQUIRE(dump(*copy) == dump(*mid));
}

TEST_CASE("seek equals replay_to for every kind of event", "[model][checkpoints]") {
    for (const auto& [name, run] : kScenarios) {
        INFO("scenario " << name);
        Kernel orig;
        run(orig);
        // Checkpoints every ~25 events so that seeks start from many different ones.
        Checkpoints cps(orig, Checkpoints::Options{25, std::size_t{1} << 20});
        REQUIRE(cps.events() == orig.log.size());
        REQUIRE(cps.count() > 3);
        for (std::uint64_t i = 0; i < orig.log.size() + 2; ++i) {
            INFO("event " << i);
            auto a = cps.seek(i);
            auto b = orig.replay_to(i);
            REQUIRE(a->log.size() == b->log.size());
            REQUIRE(dump(*a) == dump(*b));
            REQUIRE(log_lines(*a) == log_lines(*b));
            REQUIRE(a->log.syscalls.size() == b->log.syscalls.size());  // the prefix copied, no more
            for (std::size_t j = 0; j < b->log.syscalls.size(); ++j) REQUIRE(a->log.syscalls[j].text == b->log.syscalls[j].text);
        }
    }
}

TEST_CASE("seek_state equals replay_to's state for every kind of event", "[model][checkpoints]") {
    for (const auto& [name, run] : kScenarios) {
        INFO("scenario " << name);
        Kernel orig;
        run(orig);
        Checkpoints cps(orig, Checkpoints::Options{25, std::size_t{1} << 20});
        for (std::uint64_t i = 0; i < orig.log.size() + 2; ++i) {
            INFO("event " << i);
            auto a = cps.seek_state(i);
            auto b = orig.replay_to(i);
            // The same state and counters: every id, work counter and log position.
            REQUIRE(a->log.size() == b->log.size());
            REQUIRE(dump(*a, false) == dump(*b, false));
            // The log holds the events from the checkpoint on, as the full one has them,
            // syscall texts included (record ids count the records not held).
            const std::uint64_t from = cps.checkpoint_before(i);
            REQUIRE(a->log.first == from);
            const auto want = log_lines(*b);
            const auto got = log_lines(*a);
            REQUIRE(got.size() == b->log.size() - a->log.first);
            REQUIRE(std::equal(got.begin(), got.end(), want.end() - static_cast<std::ptrdiff_t>(got.size())));
            if (i < orig.log.size()) REQUIRE(a->log.at(i).type == orig.log.events[i].type);  // past the end: maybe none held
            // No commands: the recording stays with `orig`.
            REQUIRE(a->command_count() == 0);
            REQUIRE_THROWS_AS(a->replay_to(0), ModelError);
        }
    }
}

TEST_CASE("a state-only seek goes on like the full run", "[model][checkpoints]") {
    // From a call boundary, the seeked kernel can run more calls: it logs them with the ids
    // and positions the full run gives them.
    Kernel k;
    int ep = make_epoll(k, 1);
    std::vector<int> fds;
    for (int i = 0; i < 30; ++i) {
        fds.push_back(static_cast<int>(k.eventfd(1, 0, EFD_NONBLOCK).ret));
        add(k, 1, ep, fds.back(), EPOLLIN, static_cast<std::uint64_t>(i));
    }
    const std::uint64_t boundary = k.log.size() - 1;  // the last event of a call
    Checkpoints cps(k, Checkpoints::Options{20, std::size_t{1} << 20});
    auto a = cps.seek_state(boundary);
    auto b = k.replay_to(boundary);
    REQUIRE(a->log.first > 0);
    for (Kernel* x : {a.get(), b.get()}) {
        x->write(1, fds[3], 8, 1);
        x->epoll_wait(1, ep, 8, 0);
        x->close(1, fds[7]);
    }
    REQUIRE(dump(*a, false) == dump(*b, false));
    const auto want = log_lines(*b);
    const auto got = log_lines(*a);
    REQUIRE(std::equal(got.begin(), got.end(), want.end() - static_cast<std::ptrdiff_t>(got.size())));
    REQUIRE(a->log.syscalls[a->log.syscalls.size() - 1].text == b->log.syscalls[b->log.syscalls.size() - 1].text);
}

TEST_CASE("seek in a long run: spacing follows the memory policy", "[model][checkpoints]") {
    Kernel k;
    int ep = make_epoll(k, 1);
    std::vector<int> fds;
    for (int i = 0; i < 200; ++i) {
        int fd = static_cast<int>(k.eventfd(1, 0, EFD_NONBLOCK).ret);
        add(k, 1, ep, fd, i % 3 ? EPOLLIN : EPOLLIN | EPOLLET, static_cast<std::uint64_t>(i));
        fds.push_back(fd);
    }
    for (int round = 0; round < 40; ++round) {
        for (int j = 0; j < 20; ++j) k.write(1, fds[static_cast<std::size_t>((round * 37 + j * 11) % 200)], 8, 1);
        k.epoll_wait(1, ep, 16, 0);
        EpollEvent ev{EPOLLIN, 7};
        k.epoll_ctl(1, ep, EPOLL_CTL_MOD, fds[static_cast<std::size_t>(round)], &ev);
    }
    Checkpoints::Options opt;
    opt.min_spacing = 500;
    opt.bytes_per_event = 64;
    Checkpoints cps(k, opt);
    const std::uint64_t n = k.log.size();
    REQUIRE(n > 10000);
    // Checkpoint memory stays within the policy: about bytes_per_event per event, plus one.
    std::size_t largest = 0;
    for (std::uint64_t i = 0; i < n; i += 997) largest = std::max<std::size_t>(largest, i - cps.checkpoint_before(i));
    REQUIRE(cps.bytes() <= n * opt.bytes_per_event + k.state_bytes() * 2);
    // A seek re-runs at most the spacing plus the rest of one call (here under 1000 events).
    REQUIRE(largest <= std::max<std::size_t>(opt.min_spacing, k.state_bytes() / opt.bytes_per_event) + 1000);
    REQUIRE(cps.count() >= 2);
    for (std::uint64_t i : {std::uint64_t{0}, n / 3, n / 2 + 1, n - 1, n + 5}) {
        INFO("event " << i);
        REQUIRE(dump(*cps.seek(i)) == dump(*k.replay_to(i)));
        REQUIRE(dump(*cps.seek_state(i), false) == dump(*k.replay_to(i), false));
    }
}

TEST_CASE("recording costs at most 64 bytes per event on a 100k-operation run", "[model][checkpoints]") {
    // A size computation, not a timing: the same calls give the same recording.
    KernelConfig cfg;
    cfg.nofile = 2048;
    Kernel k(cfg);
    int ep = make_epoll(k, 1);
    std::vector<int> fds;
    for (int i = 0; i < 1000; ++i) {
        int fd = static_cast<int>(k.eventfd(1, 0, EFD_NONBLOCK).ret);
        fds.push_back(fd);
    }
    std::size_t ops = 0;
    for (int round = 0; ops < 100000; ++round) {
        for (int j = 0; j < 10; ++j, ++ops) {
            const int fd = fds[static_cast<std::size_t>((round * 10 + j) % 1000)];
            EpollEvent ev{EPOLLIN, static_cast<std::uint64_t>(fd)};
            if (k.epoll_ctl(1, ep, EPOLL_CTL_ADD, fd, &ev).failed()) k.epoll_ctl(1, ep, EPOLL_CTL_DEL, fd, nullptr);
        }
        for (int j = 0; j < 5; ++j, ++ops) k.write(1, fds[static_cast<std::size_t>((round * 7 + j) % 1000)], 8, 1);
        k.epoll_wait(1, ep, 64, 0);
        ++ops;
    }
    const double per_event = static_cast<double>(k.recording_bytes()) / static_cast<double>(k.log.size());
    INFO("events " << k.log.size() << " bytes " << k.recording_bytes() << " per event " << per_event);
    REQUIRE(k.recording_bytes() >= k.log.size() * sizeof(Event) + k.command_count() * sizeof(CallArgs));
    REQUIRE(per_event <= 64.0);
}
