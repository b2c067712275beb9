// epi_cache.cpp - see epi_cache.h.
#include "epi_cache.h"

#include <cassert>
#include <memory>
#include <mutex>
#include <new>
#include <vector>

#include "spare.h"  // EPSIM_ASAN

namespace epsim::epi_cache {

namespace {

constexpr std::size_t kSlabBytes = std::size_t{64} << 10;  // 512 slots

struct Slot {
    Slot* next;
};

struct Cache {
    std::mutex mtx;  // the model is single-threaded, but two kernels may live in two threads
    Slot* free_list = nullptr;
    std::vector<void*> slabs;  // owned; kept for the process's life
};

Cache& cache() {
    static Cache* const c = new Cache();  // never destroyed: epitems may die after main returns
    return *c;
}

}  // namespace

void* alloc(std::size_t bytes) {
    assert(bytes <= kSlot);
    (void)bytes;
#if EPSIM_ASAN
    return ::operator new(kSlot, std::align_val_t{kAlign});
#else
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mtx);
    if (!c.free_list) {
        char* slab = static_cast<char*>(::operator new(kSlabBytes, std::align_val_t{kAlign}));
        c.slabs.push_back(slab);
        for (std::size_t off = kSlabBytes; off >= kSlot; off -= kSlot) {  // first slot ends up first
            Slot* s = reinterpret_cast<Slot*>(slab + off - kSlot);
            s->next = c.free_list;
            c.free_list = s;
        }
    }
    Slot* s = c.free_list;
    c.free_list = s->next;
    return s;
#endif
}

void free(void* p) noexcept {
    if (!p) return;
#if EPSIM_ASAN
    ::operator delete(p, std::align_val_t{kAlign});
#else
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mtx);
    Slot* s = static_cast<Slot*>(p);
    s->next = c.free_list;
    c.free_list = s;
#endif
}

}  // namespace epsim::epi_cache
