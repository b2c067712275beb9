// big_model.cpp - the generated model of big_model.h.
#include "viz/core/big_model.h"

#include "sim/kernel.h"
#include "sim/uapi.h"

namespace epsim::viz {

std::unique_ptr<Kernel> make_big_tree_model(std::size_t n) {
    KernelConfig cfg;
    cfg.record = false;           // no event log: nothing is replayed, the GUI shows the end
    cfg.record_commands = false;
    cfg.nofile = static_cast<int>(n + 16);
    if (cfg.max_user_watches < static_cast<long>(n)) cfg.max_user_watches = static_cast<long>(n);
    auto k = std::make_unique<Kernel>(cfg);
    const ObjId t = k->init_task();
    const SysResult ep = k->epoll_create1(t, 0);
    if (ep.failed()) throw ModelError("big tree: epoll_create1 failed");
    for (std::size_t i = 0; i < n; ++i) {
        const SysResult fd = k->eventfd(t, 0, EFD_NONBLOCK);
        if (fd.failed()) throw ModelError("big tree: eventfd failed");
        EpollEvent ev{EPOLLIN, i};
        if (k->epoll_ctl(t, static_cast<int>(ep.ret), EPOLL_CTL_ADD, static_cast<int>(fd.ret), &ev).failed())
            throw ModelError("big tree: epoll_ctl failed");
        if (i % 97 == 0) k->write(t, static_cast<int>(fd.ret), 8, 1);
    }
    return k;
}

}  // namespace epsim::viz
