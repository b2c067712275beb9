// pipe.h - anonymous pipes (fs/pipe.c): a ring of 16 one-page slots shared by two files.
//
// What drives epoll here (reference §6.1):
//   - pipe_write wakes rd_wait (key EPOLLIN|EPOLLRDNORM) after every write when the pipe was
//     empty or poll_usage is set. Any polled pipe has poll_usage set, so with epoll every write
//     is a new edge for an EPOLLET reader.
//   - pipe_read wakes wr_wait (key EPOLLOUT|EPOLLWRNORM) only when it frees a slot of a full pipe.
//   - pipe_release wakes both queues with no key when exactly one side is gone.
//   - Merge rule: a write's len % 4096 tail part goes into the last slot first if it fits, so a
//     small write can succeed while poll shows no EPOLLOUT.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>

#include "file.h"
#include "waitqueue.h"

namespace epsim {

inline constexpr std::uint32_t PIPE_PAGE_SIZE = 4096;
inline constexpr std::uint32_t PIPE_DEF_BUFFERS = 16;

struct PipeBuffer {
    std::uint32_t offset = 0;  // first unread byte in the page
    std::uint32_t len = 0;     // unread bytes
};

// struct pipe_inode_info. Kernel::clone copies every field (clone_pipe in clone.cpp): update
// it when adding one.
struct PipeInode {
    std::deque<PipeBuffer> bufs;  // tail (oldest) at front, head at back
    std::uint32_t max_usage = PIPE_DEF_BUFFERS;
    int readers = 0;
    int writers = 0;
    bool poll_usage = false;
    WaitQueueHead rd_wait;
    WaitQueueHead wr_wait;
    ObjId read_file = 0, write_file = 0;

    bool empty() const { return bufs.empty(); }
    bool full() const { return bufs.size() >= max_usage; }
    std::uint64_t bytes() const;
};

class PipeFile final : public File {
public:
    PipeFile(std::shared_ptr<PipeInode> p, bool read_end, int flags)
        : File(FileKind::Pipe, (read_end ? 00 : 01) | flags), pipe(std::move(p)), is_read_end(read_end) {}
    std::shared_ptr<PipeInode> pipe;
    const bool is_read_end;

    std::uint32_t poll(Kernel& k, PollTable* pt) override;  // pipe_poll
    void release(Kernel& k) override;                       // pipe_release
    SysResult read(Kernel& k, std::uint64_t len) override;  // pipe_read
    SysResult write(Kernel& k, std::uint64_t len, std::uint64_t) override;  // pipe_write
    std::string describe() const override;
    std::unique_ptr<File> clone_shell(CloneContext& ctx) const override;
    void clone_fields(const File& src, CloneContext& ctx) override;
};

}  // namespace epsim
