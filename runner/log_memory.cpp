// log_memory.cpp - see log_memory.h.
#include "log_memory.h"

#include <sys/mman.h>

#include <cstdint>
#include <fstream>
#include <new>

namespace epsim {

std::size_t HugePageResource::mapped_size(std::size_t bytes) {
    if (bytes < kThreshold) return 0;
    return (bytes + kHugePage - 1) / kHugePage * kHugePage;
}

void* HugePageResource::do_allocate(std::size_t bytes, std::size_t align) {
    const std::size_t size = mapped_size(bytes);
    if (size == 0 || align > kHugePage) return small_->allocate(bytes, align);
    // Map one huge page more than needed, then unmap the ragged ends: what stays starts on a
    // 2 MiB boundary, so the kernel can back all of it with huge pages.
    const std::size_t span = size + kHugePage;
    void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    const auto base = reinterpret_cast<std::uintptr_t>(raw);
    const std::uintptr_t start = (base + kHugePage - 1) & ~(std::uintptr_t{kHugePage} - 1);
    if (start > base) munmap(raw, start - base);
    const std::uintptr_t end = start + size;
    if (base + span > end) munmap(reinterpret_cast<void*>(end), base + span - end);
    auto* p = reinterpret_cast<void*>(start);
    // Advice only: EINVAL (a kernel without THP) leaves ordinary pages.
    madvise(p, size, advice_ == Advice::HugePages ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
    return p;
}

void HugePageResource::do_deallocate(void* p, std::size_t bytes, std::size_t align) {
    const std::size_t size = mapped_size(bytes);
    if (size == 0 || align > kHugePage) return small_->deallocate(p, bytes, align);
    munmap(p, size);
}

void install_log_memory() {
    // Never destroyed: a log in a static object may be freed after main returns.
    static auto* const resource = new HugePageResource();
    std::pmr::set_default_resource(resource);
}

std::string log_memory_description() {
    const auto* r = dynamic_cast<HugePageResource*>(std::pmr::get_default_resource());
    if (!r) return "4 KiB pages (operator new)";
    if (r->advice() == HugePageResource::Advice::NoHugePages) return "4 KiB pages (MADV_NOHUGEPAGE)";
    // The selected mode is the bracketed word: "always [madvise] never".
    std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string line, mode = "unknown";
    std::getline(in, line);
    const auto open = line.find('['), close = line.find(']');
    if (open != std::string::npos && close > open) mode = line.substr(open + 1, close - open - 1);
    return (mode == "never" || mode == "unknown" ? "4 KiB pages (THP " : "huge pages (THP ") + mode + ")";
}

}  // namespace epsim
