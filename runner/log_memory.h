// log_memory.h - memory for the model's event log: large blocks on 2 MiB boundaries, advised
// for transparent huge pages (madvise MADV_HUGEPAGE); small blocks from operator new.
//
// Why: a recording run appends about 13 KB of events per 100-item harvest. On 4 KiB pages
// every fresh page costs a fault and a clear (about 1.5 us each on our machines), which made
// the model with recording on slower than the kernel doing the work (issue #6). A huge page
// costs one fault per 2 MiB. The model (sim/) stays standard-library only: its log takes its
// memory from std::pmr::get_default_resource(), and front-ends call install_log_memory().
//
// If the kernel gives no huge pages (THP "never", or none free), the blocks are ordinary
// pages: slower, still correct.
#pragma once
#include <cstddef>
#include <memory_resource>
#include <string>

namespace epsim {

class HugePageResource final : public std::pmr::memory_resource {
public:
    static constexpr std::size_t kHugePage = std::size_t{2} << 20;
    // Blocks of at least this many bytes are mapped on huge-page boundaries.
    static constexpr std::size_t kThreshold = kHugePage;

    // NoHugePages: the same fresh mappings, advised MADV_NOHUGEPAGE: what a growing log pays
    // on 4 KiB pages, whatever malloc happens to hold (the benchmark's comparison row).
    enum class Advice { HugePages, NoHugePages };

    explicit HugePageResource(std::pmr::memory_resource* small = std::pmr::new_delete_resource(),
                              Advice advice = Advice::HugePages)
        : small_(small), advice_(advice) {}
    Advice advice() const { return advice_; }

    // Bytes mapped for a block of `bytes` (a whole number of huge pages), or 0 for a small one.
    static std::size_t mapped_size(std::size_t bytes);

private:
    void* do_allocate(std::size_t bytes, std::size_t align) override;
    void do_deallocate(void* p, std::size_t bytes, std::size_t align) override;
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

    std::pmr::memory_resource* small_;
    Advice advice_;
};

// Makes a process-wide HugePageResource the default memory resource, so every event log made
// from now on uses it. Idempotent; call it first thing in main().
void install_log_memory();

// What event logs made now get, for reports: "huge pages (THP madvise)", "4 KiB pages (THP
// never)", "4 KiB pages (operator new)" when install_log_memory() was not called, ...
std::string log_memory_description();

// Makes `r` the default resource until the scope ends (the benchmark's 4 KiB-page rows). The
// default resource is process-wide, not per thread: use it only while no other thread makes logs.
class DefaultResourceScope {
public:
    explicit DefaultResourceScope(std::pmr::memory_resource* r) : prev_(std::pmr::set_default_resource(r)) {}
    ~DefaultResourceScope() { std::pmr::set_default_resource(prev_); }
    DefaultResourceScope(const DefaultResourceScope&) = delete;
    DefaultResourceScope& operator=(const DefaultResourceScope&) = delete;

private:
    std::pmr::memory_resource* prev_;
};

}  // namespace epsim
