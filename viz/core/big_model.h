// big_model.h - a generated model for the level-of-detail bench: one epoll instance watching
// N eventfds, built by calling the model directly with recording off (no event log, nothing to
// replay), so a 1,000,000-epitem tree costs memory for the objects only.
//
// A scenario cannot reach this size: the runner's processes have RLIMIT_NOFILE 20000, like
// the host. The GUI opens it with `epviz --big-tree N` and shows its final state.
#pragma once
#include <cstddef>
#include <memory>

namespace epsim {
class Kernel;
}

namespace epsim::viz {

// One process: fd 3 the epoll, fds 4.. N eventfds, each added with EPOLLIN and data = its
// index; every 97th eventfd is written, so its epitem is on rdllist. Throws ModelError if the
// model refuses (it should not).
std::unique_ptr<Kernel> make_big_tree_model(std::size_t n);

}  // namespace epsim::viz
