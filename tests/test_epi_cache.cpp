// The epitem cache (sim/epi_cache.h): epitems on 64-byte boundaries, every live epitem in a
// slot of its own, and a freed slot the next one handed out (outside ASan).
#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>
#include <set>
#include <vector>

#include "sim/eventpoll.h"
#include "sim/spare.h"

using namespace epsim;

TEST_CASE("model: epitems come from the epitem cache, cache-line aligned, one slot each", "[model][epi-cache]") {
    std::vector<std::unique_ptr<Epitem>> items;
    std::set<std::uintptr_t> addrs;
    for (int i = 0; i < 2000; ++i) {  // several slabs of 512
        items.push_back(std::make_unique<Epitem>());
        items.back()->id = static_cast<ObjId>(i + 1);
        const auto a = reinterpret_cast<std::uintptr_t>(items.back().get());
        REQUIRE(a % 64 == 0);
        REQUIRE(addrs.insert(a).second);
    }
    for (int i = 0; i < 2000; ++i) REQUIRE(items[static_cast<std::size_t>(i)]->id == static_cast<ObjId>(i + 1));
    // No two live epitems overlap: sorted addresses are at least a slot apart.
    std::uintptr_t prev = 0;
    for (std::uintptr_t a : addrs) {
        REQUIRE((prev == 0 || a - prev >= epi_cache::kSlot));
        prev = a;
    }
#if !EPSIM_ASAN
    // A freed slot is the next one handed out.
    Epitem* freed = items[700].get();
    items[700].reset();
    auto again = std::make_unique<Epitem>();
    CHECK(again.get() == freed);
    CHECK(again->ffd.fd == -1);  // constructed afresh
#endif
}
