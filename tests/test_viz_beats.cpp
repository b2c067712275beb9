// Tests for viz/core/beats: an rb insert or erase plays as separate beats (the node appears at
// its leaf, then each recolour and rotation, named by its case), read from the event log.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "sim/kernel.h"
#include "sim/uapi.h"
#include "viz/core/beats.h"
#include "viz/core/session.h"

using namespace epsim;
using namespace epsim::viz;

namespace {

// One epoll and five eventfds; fds_by_key[r] is the fd whose key (file address) has rank r.
struct Fixture {
    Kernel k;
    ObjId t = k.init_task();
    int ep = static_cast<int>(k.epoll_create1(t, 0).ret);
    std::vector<int> fds_by_key;
    Fixture() {
        std::vector<std::pair<std::uint64_t, int>> v;
        for (int i = 0; i < 5; ++i) {
            const int fd = static_cast<int>(k.eventfd(t, 0, 0).ret);
            v.emplace_back(k.process_of(t).fds[static_cast<std::size_t>(fd)].file->addr, fd);
        }
        std::sort(v.begin(), v.end());
        for (auto& [addr, fd] : v) fds_by_key.push_back(fd);
    }
    // The captions of the beats one call produced.
    template <class Call>
    std::vector<std::string> beats_of(Call call) {
        const std::size_t from = k.log.events.size() - 1;
        call();
        std::vector<std::string> out;
        for (const Beat& b : tree_beats(k.log.events, from, k.log.events.size() - 1)) out.push_back(b.caption);
        return out;
    }
    std::vector<std::string> add(int rank) {
        return beats_of([&] {
            EpollEvent ev{EPOLLIN, 0};
            REQUIRE(k.epoll_ctl(t, ep, EPOLL_CTL_ADD, fds_by_key[static_cast<std::size_t>(rank)], &ev).ret == 0);
        });
    }
    std::vector<std::string> del(int rank) {
        return beats_of([&] { REQUIRE(k.epoll_ctl(t, ep, EPOLL_CTL_DEL, fds_by_key[static_cast<std::size_t>(rank)], nullptr).ret == 0); });
    }
};

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("beats: inserts play link, then each case named, in the kernel's order", "[gui][beats]") {
    Fixture f;
    // Keys by rank 0 < 1 < 2 < 3 < 4; epitems are numbered in insertion order.
    REQUIRE(f.add(0) == V{"insert: epitem#1 appears red as the root", "insert: epitem#1 is the root, painted black"});
    REQUIRE(f.add(4) == V{"insert: epitem#2 appears red at its leaf, right child of epitem#1",
                          "insert: the parent of epitem#2 is black, nothing to fix"});
    // Rank 2 goes left under rank 4 (red, right child of the root): the zig-zag. Case 2
    // rotates at the parent to make it straight, case 3 rotates at the grandparent.
    REQUIRE(f.add(2) == V{"insert: epitem#3 appears red at its leaf, left child of epitem#2",
                          "insert case 2: rotate right at the parent (epitem#2)",
                          "insert case 3: rotate left at the grandparent (epitem#1)"});
    // Now 2 is the black root with red children 0 and 4. Rank 1 hangs under 0: the uncle (4)
    // is red, so case 1 recolours, and the grandparent, the root, turns black again.
    REQUIRE(f.add(1) == V{"insert: epitem#4 appears red at its leaf, right child of epitem#1",
                          "insert case 1: the uncle is red: recolour, grandparent epitem#3 red, parent and uncle black",
                          "insert: epitem#3 is the root, painted black"});
    REQUIRE(f.add(3) == V{"insert: epitem#5 appears red at its leaf, left child of epitem#2",
                          "insert: the parent of epitem#5 is black, nothing to fix"});
}

TEST_CASE("beats: erases play the unlink, then the repair", "[gui][beats]") {
    Fixture f;
    for (int r : {0, 4, 2, 1, 3}) f.add(r);
    // Rank 3 is a red leaf: unlinking it breaks nothing.
    REQUIRE(f.del(3) == V{"erase: unlink epitem#5"});
    // Rank 0 is black with one red child (rank 1): the child takes its place, painted black.
    REQUIRE(f.del(0) == V{"erase: unlink epitem#1", "erase: recolour epitem#4 black"});
    // Rank 4 is now a black leaf whose sibling (rank 1) is black with no children: case 2
    // recolours the sibling red and the black root absorbs the missing black.
    REQUIRE(f.del(4) == V{"erase: unlink epitem#2", "erase case 2: recolour the sibling (epitem#4) red"});
}

TEST_CASE("beats: the walk down is not a beat but has a caption", "[gui][beats]") {
    Fixture f;
    f.add(2);
    const std::size_t from = f.k.log.events.size() - 1;
    f.add(0);
    std::size_t visits = 0;
    for (std::size_t i = from + 1; i < f.k.log.events.size(); ++i) {
        const Event& e = f.k.log.events[i];
        if (e.type != EventType::RbFindVisit) continue;
        ++visits;
        REQUIRE_FALSE(is_tree_beat(e));
        const std::string c = beat_caption(e);
        REQUIRE((c == "ep_find: at epitem#1, go left" || c == "insert: walk down: at epitem#1, go left"));
    }
    REQUIRE(visits == 2);  // ep_find (is it there?), then ep_rbtree_insert's own walk
}

TEST_CASE("beats: the player stops at each beat, then at the target, and long moves jump", "[gui][beats]") {
    Fixture f;
    const std::size_t from = f.k.log.events.size() - 1;
    f.add(0);
    f.add(4);
    f.add(2);
    const std::size_t to = f.k.log.events.size() - 1;
    const std::vector<Beat> want = tree_beats(f.k.log.events, from, to);
    REQUIRE(want.size() == 7);  // 2 + 2 + 3
    BeatPlayer p;
    std::vector<std::size_t> stops{p.start(f.k.log.events, from, to)};
    while (p.active()) stops.push_back(p.next());
    REQUIRE(stops.size() == want.size() + (want.back().index == to ? 0 : 1));
    for (std::size_t i = 0; i < want.size(); ++i) REQUIRE(stops[i] == want[i].index);
    REQUIRE(stops.back() == to);
    REQUIRE(p.beats() == want.size() - (want.back().index == to ? 1 : 0));
    // No beats in the move: one jump. A single step: one jump.
    BeatPlayer q;
    REQUIRE(q.start(f.k.log.events, 0, 3) == 3);
    REQUIRE_FALSE(q.active());
    REQUIRE(q.start(f.k.log.events, from, from + 1) == from + 1);
    REQUIRE_FALSE(q.active());
}

TEST_CASE("beats: captions use the scenario's names, else the fd", "[gui][beats][names]") {
    // ordering/ovflist-window.scn adds a.r, b.r, c.r, d.r, e.r (pipes' read ends) in order.
    Session s;
    REQUIRE(s.load(std::string(EPSIM_SOURCE_DIR) + "/scenarios/ordering/ovflist-window.scn"));
    const EventSpan log = s.kernel()->log.events;
    std::vector<std::string> caps;
    for (const Beat& b : tree_beats(log, 0, log.size() - 1, &s.names)) caps.push_back(b.caption);
    REQUIRE(caps.size() >= 10);
    // The first insert is the root; the fourth and fifth rotate: each names the fd as the
    // scenario does, never an epitem number.
    REQUIRE(caps[0] == "insert: a.r appears red as the root");
    REQUIRE(caps[1] == "insert: a.r is the root, painted black");
    const auto has = [&](const std::string& c) { return std::find(caps.begin(), caps.end(), c) != caps.end(); };
    REQUIRE(has("insert case 2: rotate left at the parent (d.r)"));
    for (const std::string& c : caps) {
        INFO(c);
        REQUIRE(c.find("epitem#") == std::string::npos);
        REQUIRE(c.find("fd ") == std::string::npos);  // every epitem here is named
    }
    // Without a name the fd stands in; without the names at all, the epitem id.
    const Event* link = nullptr;
    for (const Event& e : log)
        if (e.type == EventType::RbLink) link = link ? link : &e;
    REQUIRE(link);
    REQUIRE(beat_caption(*link, &s.names) == "insert: a.r appears red as the root");
    REQUIRE(beat_caption(*link) == "insert: epitem#" + std::to_string(link->b) + " appears red as the root");
    const FdNames unnamed;  // a log with no names: numbers only
    REQUIRE(beat_caption(*link, &unnamed) == "insert: epitem#" + std::to_string(link->b) + " appears red as the root");
}

TEST_CASE("beats: an unnamed fd is named by its number", "[gui][beats][names]") {
    // A scenario that binds no name to the eventfds it adds (they are created by fd number).
    Fixture f;
    f.add(0);
    scn::Trace empty;  // no steps: nothing is named, but the epitem.alloc events give the fds
    const FdNames names(empty, f.k.log.events);
    const EventSpan log = f.k.log.events;
    for (const Event& e : log)
        if (e.type == EventType::RbLink)
            REQUIRE(beat_caption(e, &names) == "insert: fd " + std::to_string(f.fds_by_key[0]) + " appears red as the root");
}
