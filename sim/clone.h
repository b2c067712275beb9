// clone.h - the context Kernel::clone() passes to each object it copies (see relocate.h).
#pragma once
#include <memory>
#include <unordered_map>

#include "relocate.h"

namespace epsim {

class Kernel;
struct PipeInode;
struct UnixSock;

struct CloneContext {
    Kernel& to;      // the copy being built
    Relocator reloc;
    // Objects shared between files (a pipe's two ends, a socket's peer): one copy each.
    std::unordered_map<const PipeInode*, std::shared_ptr<PipeInode>> pipes;
    std::unordered_map<const UnixSock*, std::shared_ptr<UnixSock>> socks;
    // Pass 1: the copy of `from` (created and registered on first sight).
    std::shared_ptr<PipeInode> pipe_shell(const PipeInode& from);
    std::shared_ptr<UnixSock> sock_shell(const std::shared_ptr<UnixSock>& from);
};

}  // namespace epsim
