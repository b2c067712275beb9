// The event log's memory (runner/log_memory.h): large blocks on 2 MiB boundaries from mmap,
// small ones from the upstream resource; the model's log takes whatever default resource is
// installed when it is made, and records the same events either way.
#include <cstdint>
#include <cstring>

#include "helpers.h"
#include "runner/log_memory.h"
#include "sim/eventfd.h"

using namespace epsim;

namespace {

// Counts what reaches it, so a test can tell which blocks went upstream.
class CountingResource final : public std::pmr::memory_resource {
public:
    int allocations = 0, deallocations = 0;

private:
    void* do_allocate(std::size_t bytes, std::size_t align) override {
        ++allocations;
        return std::pmr::new_delete_resource()->allocate(bytes, align);
    }
    void do_deallocate(void* p, std::size_t bytes, std::size_t align) override {
        ++deallocations;
        std::pmr::new_delete_resource()->deallocate(p, bytes, align);
    }
    bool do_is_equal(const std::pmr::memory_resource& o) const noexcept override { return this == &o; }
};

// A recording run: 2,000 eventfds registered, written and harvested: about 73,000 events, so
// the log outgrows HugePageResource::kThreshold (65,536 events of 32 B) and moves to mapped memory.
std::vector<Event> recorded_events() {
    KernelConfig cfg;
    cfg.nofile = 4096;
    Kernel k(cfg);
    const ObjId t = 1;
    const int ep = static_cast<int>(k.epoll_create1(t, 0).ret);
    for (int i = 0; i < 2000; ++i) {
        const int fd = static_cast<int>(k.eventfd(t, 0, EFD_NONBLOCK).ret);
        REQUIRE(fd >= 0);
        EpollEvent ev{EPOLLIN, static_cast<std::uint64_t>(i)};
        k.epoll_ctl(t, ep, EPOLL_CTL_ADD, fd, &ev);
        k.write(t, fd, 8, 1);
    }
    REQUIRE(k.epoll_wait(t, ep, 2000, 0).ret == 2000);
    return {k.log.events.begin(), k.log.events.end()};
}

bool same(const Event& a, const Event& b) {
    return a.type == b.type && a.fn == b.fn && a.a == b.a && a.b == b.b && a.c == b.c && a.x == b.x && a.y == b.y;
}

}  // namespace

TEST_CASE("host: large log blocks are mapped on 2 MiB boundaries, small ones go upstream", "[host][log-memory]") {
    CountingResource upstream;
    HugePageResource huge(&upstream);
    const std::size_t big = 3 * HugePageResource::kHugePage + 100;
    CHECK(HugePageResource::mapped_size(big) == 4 * HugePageResource::kHugePage);
    CHECK(HugePageResource::mapped_size(HugePageResource::kThreshold - 1) == 0);

    void* p = huge.allocate(big, alignof(Event));
    CHECK(reinterpret_cast<std::uintptr_t>(p) % HugePageResource::kHugePage == 0);
    std::memset(p, 0x5a, big);  // all of it is writable
    CHECK(static_cast<unsigned char*>(p)[big - 1] == 0x5a);
    huge.deallocate(p, big, alignof(Event));
    CHECK(upstream.allocations == 0);

    void* s = huge.allocate(4096, 16);
    CHECK(upstream.allocations == 1);
    huge.deallocate(s, 4096, 16);
    CHECK(upstream.deallocations == 1);

    // The benchmark's comparison: the same fresh mappings, advised against huge pages.
    HugePageResource small_pages(&upstream, HugePageResource::Advice::NoHugePages);
    void* q = small_pages.allocate(big, alignof(Event));
    CHECK(reinterpret_cast<std::uintptr_t>(q) % HugePageResource::kHugePage == 0);
    std::memset(q, 0x33, big);
    small_pages.deallocate(q, big, alignof(Event));
    CHECK(upstream.allocations == 1);
    DefaultResourceScope scope(&small_pages);
    CHECK(log_memory_description() == "4 KiB pages (MADV_NOHUGEPAGE)");
}

TEST_CASE("host: the event log uses the resource installed when it is made", "[host][log-memory]") {
    HugePageResource huge;
    std::vector<Event> plain = recorded_events();
    std::vector<Event> on_huge;
    {
        DefaultResourceScope scope(&huge);
        Kernel k{KernelConfig{}};
        CHECK(k.log.events.get_allocator().resource() == &huge);
        CHECK(k.log.syscalls.resource() == &huge);
        on_huge = recorded_events();
        CHECK(log_memory_description().find("pages (THP ") != std::string::npos);
    }
    CHECK(std::pmr::get_default_resource() == std::pmr::new_delete_resource());  // restored
    CHECK(log_memory_description() == "4 KiB pages (operator new)");
    REQUIRE(plain.size() > 65536);
    REQUIRE(plain.size() == on_huge.size());
    for (std::size_t i = 0; i < plain.size(); ++i) REQUIRE(same(plain[i], on_huge[i]));

    // A log grown past the threshold sits on a 2 MiB boundary, its events intact.
    DefaultResourceScope scope(&huge);
    EventVector grown;
    for (std::uint32_t i = 0; i < 100000; ++i) grown.push_back(Event{EventType::Note, KFn::none, i, 0, 0, i, 0});
    CHECK(reinterpret_cast<std::uintptr_t>(grown.data()) % HugePageResource::kHugePage == 0);
    CHECK(grown[99999].a == 99999);
    CHECK(grown[0].x == 0);
}
