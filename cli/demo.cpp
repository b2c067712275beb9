// demo.cpp - `epsim demo`: the blog's 2 KB pipe example in both modes.
//
// A pipe's read end is registered, 2 KB are written, 1 KB is read, and epoll_wait is asked
// again. Level-triggered: the fd is reported again because data remains. Edge-triggered: it is
// not, because no new write (no new wake-up) happened. Under each call the model's internal
// events show why: the callback, rdllist, the harvest, the LT requeue.
#include "demo.h"

#include <ostream>
#include <string>

#include "sim/kernel.h"

namespace epsim::cli {
namespace {

class Narrator {
public:
    Narrator(Kernel& k, std::ostream& out, const DemoOptions& opt) : k_(k), out_(out), opt_(opt) {}

    // Prints the events logged since the last call, indented, skipping the syscall lines.
    void flush() {
        for (; next_ < k_.log.events.size(); ++next_) {
            const Event& e = k_.log.events[next_];
            if (e.type == EventType::SyscallEnter || e.type == EventType::SyscallExit) continue;
            if (!opt_.all_events && (e.type == EventType::RbFindVisit || e.type == EventType::FileGet ||
                                     e.type == EventType::FilePut || e.type == EventType::FileAlloc))
                continue;
            if (opt_.show_events) out_ << "      | " << k_.describe(e) << "\n";
        }
    }
    void call(const std::string& text, const SysResult& r, const std::vector<EpollEvent>* evs = nullptr) {
        out_ << "  " << text << " = " << r.ret;
        if (r.err) out_ << " " << errno_name(r.err);
        if (evs && r.ret > 0) {
            out_ << " [";
            for (std::size_t i = 0; i < evs->size(); ++i)
                out_ << (i ? ", " : "") << "{" << epoll_mask_str((*evs)[i].events) << ", data=" << (*evs)[i].data << "}";
            out_ << "]";
        }
        out_ << "\n";
        flush();
    }
    void say(const std::string& s) { out_ << "\n  # " << s << "\n"; }
    void skip() { next_ = k_.log.events.size(); }

private:
    Kernel& k_;
    std::ostream& out_;
    const DemoOptions& opt_;
    std::size_t next_ = 0;
};

void run_mode(std::ostream& out, const DemoOptions& opt, bool et) {
    Kernel k;
    Narrator n(k, out, opt);
    const ObjId t = k.init_task();
    out << "\n=== " << (et ? "Edge-triggered (EPOLLIN|EPOLLET)" : "Level-triggered (EPOLLIN)") << " ===\n";
    int ep = static_cast<int>(k.epoll_create1(t, 0).ret);
    int p[2];
    k.pipe2(t, p, O_NONBLOCK);
    n.skip();
    out << "  ep = epoll_create1(0) = " << ep << ";  pipe2(p, O_NONBLOCK): p.r = " << p[0] << ", p.w = " << p[1] << "\n";
    EpollEvent ev{EPOLLIN | (et ? EPOLLET : 0u), 1};
    n.call("epoll_ctl(ep, EPOLL_CTL_ADD, p.r, {" + epoll_mask_str(ev.events) + ", data=1})",
           k.epoll_ctl(t, ep, EPOLL_CTL_ADD, p[0], &ev));
    n.say("2 KB arrive: pipe_write wakes rd_wait, ep_poll_callback queues the epitem");
    n.call("write(p.w, 2048)", k.write(t, p[1], 2048));
    n.call("epoll_wait(ep, 8, 0)", k.epoll_wait(t, ep, 8, 0), &k.task(t).events);
    n.say("the reader takes only 1 KB; 1 KB stays in the pipe");
    n.call("read(p.r, 1024)", k.read(t, p[0], 1024));
    n.say(et ? "ET: the item was not requeued and nothing woke it again -> nothing to report"
             : "LT: the harvest put the item back on rdllist; the re-poll still sees data");
    n.call("epoll_wait(ep, 8, 0)", k.epoll_wait(t, ep, 8, 0), &k.task(t).events);
    std::string err = k.check_invariants();
    if (!err.empty()) out << "  !! invariant broken: " << err << "\n";
}

}  // namespace

int run_demo(std::ostream& out, const DemoOptions& opt) {
    out << "epsim demo: the 2 KB pipe example (model of Linux 6.18 fs/eventpoll.c)\n";
    run_mode(out, opt, false);
    run_mode(out, opt, true);
    out << "\nLT reports the fd while data remains; ET reports it once per wake-up (per write).\n";
    return 0;
}

}  // namespace epsim::cli
