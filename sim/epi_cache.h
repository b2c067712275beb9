// epi_cache.h - where epitems live: 128-byte slots on 64-byte boundaries, carved from 64 KiB
// slabs and recycled through a free list, as the kernel keeps them in its own kmem_cache
// ("eventpoll_epi", SLAB_HWCACHE_ALIGN). Epitem's operator new/delete come here.
//
// Why not plain aligned new: malloc pads each 64-byte-aligned 128-byte block (about 33 B more
// per watched fd at 1M), and scatters the items a tree walk visits over more pages.
// Invariant: a slot is either on the free list or holds exactly one live Epitem. Slabs are
// never returned (the cache keeps its peak, as a kmem_cache without shrinking does). Under
// AddressSanitizer every epitem is its own heap block, so a use after free is still caught.
#pragma once
#include <cstddef>

namespace epsim::epi_cache {

inline constexpr std::size_t kSlot = 128, kAlign = 64;
void* alloc(std::size_t bytes);  // bytes <= kSlot; thread-safe
void free(void* p) noexcept;     // p from alloc, or nullptr

}  // namespace epsim::epi_cache
