// eventfd.h - eventfd (fs/eventfd.c): a 64-bit counter with one wait queue.
//
// Every successful write wakes the queue with key EPOLLIN (even a write of 0), every
// successful read with key EPOLLOUT: for EPOLLET watchers each write is an IN edge and each
// read an OUT edge. Readable iff count > 0; writable iff count < 0xfffffffffffffffe.
#pragma once
#include <cstdint>

#include "file.h"
#include "waitqueue.h"

namespace epsim {

inline constexpr std::uint64_t EVENTFD_MAX = ~std::uint64_t{0};  // ULLONG_MAX

class EventfdFile final : public File {
public:
    EventfdFile(std::uint64_t initval, int flags) : File(FileKind::Eventfd, 02 | flags), count(initval) {}
    std::uint64_t count;
    bool semaphore = false;
    WaitQueueHead wqh;

    std::uint32_t poll(Kernel& k, PollTable* pt) override;  // eventfd_poll
    // read/write take the buffer size in `len`; write's 8-byte value in `value`.
    SysResult read(Kernel& k, std::uint64_t len) override;                 // eventfd_read
    SysResult write(Kernel& k, std::uint64_t len, std::uint64_t value) override;  // eventfd_write
    void release(Kernel& k) override;                                      // eventfd_release
    std::string describe() const override;
    std::unique_ptr<File> clone_shell(CloneContext& ctx) const override;
    void clone_fields(const File& src, CloneContext& ctx) override;
};

}  // namespace epsim
