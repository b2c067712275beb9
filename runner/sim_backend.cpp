// sim_backend.cpp - runs CallSpecs on the model (sim::Kernel).
#include "sim_backend.h"

#include "fdinfo_parse.h"
#include "rb_cases.h"

namespace epsim::scn {

namespace {
// What a call the model cannot run returns; `problem` says why.
CallResult stuck() {
    CallResult r;
    r.ret = -1;
    r.err = ETIMEDOUT;
    return r;
}
}  // namespace

KernelConfig SimBackend::default_config() {
    KernelConfig cfg;
    cfg.nofile = 20000;  // the host's RLIMIT_NOFILE
    return cfg;
}

KernelConfig SimBackend::scale_config() {
    KernelConfig cfg = default_config();
    cfg.nofile = 1048576;  // fs.nr_open: the largest RLIMIT_NOFILE a Linux process can get
    cfg.record = false;
    cfg.record_commands = false;
    return cfg;
}

SimBackend::SimBackend(KernelConfig cfg) : k_(std::make_unique<Kernel>(cfg)) {
    threads_[next_handle_] = k_->init_task();
    procs_[0] = next_handle_++;
}

ObjId SimBackend::task_of(int thread) const {
    auto it = threads_.find(thread);
    return it == threads_.end() ? 0 : it->second;
}

int SimBackend::main_thread(int proc) const {
    auto it = procs_.find(proc);
    return it == procs_.end() ? -1 : it->second;
}

int SimBackend::new_thread(int proc) {
    ObjId main = task_of(main_thread(proc));
    if (!main) return -1;
    threads_[next_handle_] = k_->spawn_thread(main);
    return next_handle_++;
}

int SimBackend::fork_process() {
    SysResult r = k_->fork(task_of(main_thread(0)));
    int proc = static_cast<int>(procs_.size());
    threads_[next_handle_] = k_->child_task(static_cast<int>(r.ret));
    procs_[proc] = next_handle_++;
    return proc;
}

CallResult SimBackend::result_of(ObjId t, const SysResult& r) const {
    CallResult out;
    out.ret = r.ret;
    out.err = r.err;
    out.blocked = r.blocked;
    if (!r.blocked && r.ret > 0)
        for (const EpollEvent& e : k_->task(t).events) out.events.push_back(Ev{e.events, e.data});
    return out;
}

CallResult SimBackend::call(int thread, const CallSpec& c) {
    const ObjId t = task_of(thread);
    const auto& a = c.args;
    auto arg = [&](std::size_t i) { return i < a.size() ? a[i] : 0; };
    auto i32 = [&](std::size_t i) { return static_cast<int>(arg(i)); };
    try {
        switch (c.kind) {
            case CallKind::EpollCreate: return result_of(t, k_->epoll_create(t, i32(0)));
            case CallKind::EpollCreate1: return result_of(t, k_->epoll_create1(t, i32(0)));
            case CallKind::EpollCtl: {
                EpollEvent ev{c.events, c.data};
                return result_of(t, k_->epoll_ctl(t, i32(0), i32(1), i32(2), c.has_event ? &ev : nullptr));
            }
            case CallKind::EpollWait: return result_of(t, k_->epoll_wait(t, i32(0), i32(1), i32(2)));
            case CallKind::EpollPwait: return result_of(t, k_->epoll_pwait(t, i32(0), i32(1), i32(2)));
            case CallKind::EpollPwait2: {
                Timespec ts{c.sec, c.nsec};
                return result_of(t, k_->epoll_pwait2(t, i32(0), i32(1), c.has_timespec ? &ts : nullptr));
            }
            case CallKind::Pipe:
            case CallKind::Socketpair: {
                int fds[2] = {-1, -1};
                SysResult r = c.kind == CallKind::Pipe ? k_->pipe2(t, fds, i32(0)) : k_->socketpair(t, fds, i32(0));
                CallResult out = result_of(t, r);
                out.fds[0] = fds[0];
                out.fds[1] = fds[1];
                return out;
            }
            case CallKind::Eventfd: return result_of(t, k_->eventfd(t, static_cast<std::uint64_t>(arg(0)), i32(1)));
            case CallKind::Socket: return result_of(t, k_->socket(t, i32(0)));
            case CallKind::Bind: return result_of(t, k_->bind(t, i32(0), c.name));
            case CallKind::Listen: return result_of(t, k_->listen(t, i32(0), i32(1)));
            case CallKind::Connect: return result_of(t, k_->connect(t, i32(0), c.name));
            case CallKind::Accept: return result_of(t, k_->accept4(t, i32(0), i32(1)));
            case CallKind::OpenFile: return result_of(t, k_->open_regular(t));
            case CallKind::Read: return result_of(t, k_->read(t, i32(0), static_cast<std::uint64_t>(arg(1))));
            case CallKind::Write:
                return result_of(t, k_->write(t, i32(0), static_cast<std::uint64_t>(arg(1)),
                                              static_cast<std::uint64_t>(arg(2))));
            case CallKind::Shutdown: return result_of(t, k_->shutdown(t, i32(0), i32(1)));
            case CallKind::Close: return result_of(t, k_->close(t, i32(0)));
            case CallKind::Dup: return result_of(t, k_->dup(t, i32(0)));
            case CallKind::Dup2: return result_of(t, k_->dup2(t, i32(0), i32(1)));
            case CallKind::Fcntl: return result_of(t, k_->fcntl(t, i32(0), i32(1), static_cast<long>(arg(2))));
            case CallKind::Poll: {
                std::vector<PollFd> fds;
                for (const PollReq& p : c.pollfds) fds.push_back(PollFd{p.fd, p.events, 0});
                CallResult out = result_of(t, k_->poll(t, fds, i32(0)));
                for (const PollFd& p : fds) out.revents.push_back(p.revents);
                return out;
            }
        }
    } catch (const ModelError& e) {
        problem = e.what();
    }
    return stuck();
}

bool SimBackend::is_blocked(int thread) {
    ObjId t = task_of(thread);
    return t && k_->task(t).state == TaskState::Sleeping;
}

// The model's clock jumps to each expiring timer until the task is done; a task nothing can
// wake (no timer) would sleep forever: that is reported, not waited for.
CallResult SimBackend::join(int thread) {
    ObjId t = task_of(thread);
    while (!k_->task(t).done) {
        if (k_->task(t).state == TaskState::Paused) {
            problem = "the thread is paused inside ep_send_events: resume it before join";
            return stuck();
        }
        if (!k_->advance_to_next_timer()) {
            problem = "the thread sleeps in epoll_wait with no timeout and nothing left to wake it";
            return stuck();
        }
    }
    return result_of(t, k_->task(t).result);
}

void SimBackend::signal(int thread) { k_->signal(task_of(thread)); }

void SimBackend::sleep_ms(std::int64_t ms) { k_->advance(static_cast<std::uint64_t>(ms) * 1000000ULL); }

std::optional<std::vector<FdinfoItem>> SimBackend::fdinfo(int thread, int epfd) {
    try {
        auto text = k_->fdinfo(task_of(thread), epfd);
        if (!text) return std::nullopt;
        return parse_fdinfo_items(*text);
    } catch (const ModelError& e) {
        problem = e.what();
        return std::nullopt;
    }
}

std::optional<RbCasesResult> SimBackend::rb_cases(int thread, int epfd) {
    RbCasesResult r;
    const ObjId t = task_of(thread);
    if (!k_->fget(t, epfd)) {
        r.err = EBADF;
    } else if (const Eventpoll* ep = k_->ep_of_fd(t, epfd)) {
        r = rb_cases_of(k_->log, ep->id);
    } else {
        r.err = EINVAL;
    }
    return r;
}

void SimBackend::pause_harvest(int thread, int after_items) { k_->pause_harvest(task_of(thread), after_items); }

void SimBackend::resume(int thread) {
    try {
        k_->resume(task_of(thread));
    } catch (const ModelError& e) {
        problem = e.what();
    }
}

}  // namespace epsim::scn
