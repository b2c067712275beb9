// Tests for sim/rbtree: model checking against std::set, exact fix-up step
// sequences (derived by hand from the case rules in rbtree.h), tree shapes,
// and rb_check's detection of broken trees.

#include "sim/rbtree.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

using namespace epsim;

namespace {

// The owner type: an RbNode embedded as the first member, like rb_node in epitem.
struct IntNode {
    RbNode rb;
    int key = 0;
};
static_assert(std::is_standard_layout_v<IntNode>, "container_of below relies on standard layout");

// container_of without offsetof: the first member of a standard-layout struct
// is pointer-interconvertible with the struct itself.
const IntNode* owner_of(const RbNode* n) { return reinterpret_cast<const IntNode*>(n); }
int key_of(const RbNode* n) { return owner_of(n)->key; }

// A tree of int keys in [0, capacity), one preallocated node per key.
class IntTree {
public:
    explicit IntTree(int capacity) : slots_(static_cast<std::size_t>(capacity)) {
        for (int k = 0; k < capacity; ++k) slots_[static_cast<std::size_t>(k)].key = k;
    }

    // Walks down like ep_rbtree_insert, then links and fixes colours.
    bool insert(int key, RbTracer* tracer = nullptr) {
        RbNode** link = &root.root;
        RbNode* parent = nullptr;
        bool leftmost = true;
        while (*link != nullptr) {
            parent = *link;
            if (key < key_of(parent)) {
                link = &parent->left;
            } else if (key > key_of(parent)) {
                link = &parent->right;
                leftmost = false;
            } else {
                return false;
            }
        }
        RbNode* n = node(key);
        rb_link_node(n, parent, link, tracer);
        rb_insert_color(n, &root, leftmost, tracer);
        return true;
    }

    bool erase(int key, RbTracer* tracer = nullptr) {
        RbNode* n = find(key);
        if (n == nullptr) return false;
        rb_erase(n, &root, tracer);
        return true;
    }

    RbNode* find(int key) const {
        RbNode* n = root.root;
        while (n != nullptr && key_of(n) != key) n = key < key_of(n) ? n->left : n->right;
        return n;
    }

    RbNode* node(int key) { return &slots_[static_cast<std::size_t>(key)].rb; }

    std::vector<int> forward() const {
        std::vector<int> out;
        for (const RbNode* n = rb_first(&root); n != nullptr; n = rb_next(n)) out.push_back(key_of(n));
        return out;
    }

    std::vector<int> backward() const {
        std::vector<int> out;
        for (const RbNode* n = rb_last(&root); n != nullptr; n = rb_prev(n)) out.push_back(key_of(n));
        return out;
    }

    // "4B(2R(1B,3B),6R)": key, colour, then (left,right) if any child; "-" is NIL.
    std::string shape() const { return shape_of(root.root); }

    RbRoot root;

private:
    static std::string shape_of(const RbNode* n) {
        if (n == nullptr) return "-";
        std::string s = std::to_string(key_of(n)) + (n->color == RbColor::Black ? "B" : "R");
        if (n->left != nullptr || n->right != nullptr) s += "(" + shape_of(n->left) + "," + shape_of(n->right) + ")";
        return s;
    }

    std::vector<IntNode> slots_;
};

// Records "name(subject)" or "name(subject,other)" with node keys.
class Recorder : public RbTracer {
public:
    void rb_step(RbStep step, const RbNode* subject, const RbNode* other) override {
        std::string e = rb_step_name(step);
        e += "(" + std::to_string(key_of(subject));
        if (other != nullptr) e += "," + std::to_string(key_of(other));
        e += ")";
        log.push_back(e);
        kinds.push_back(step);
    }
    std::vector<std::string> take() {
        kinds.clear();
        return std::exchange(log, {});
    }
    std::vector<std::string> log;
    std::vector<RbStep> kinds;
};

// Calls a function for every step, to look at the tree mid-operation.
class CallbackTracer : public RbTracer {
public:
    explicit CallbackTracer(std::function<void(RbStep, const RbNode*, const RbNode*)> f) : f_(std::move(f)) {}
    void rb_step(RbStep step, const RbNode* subject, const RbNode* other) override { f_(step, subject, other); }

private:
    std::function<void(RbStep, const RbNode*, const RbNode*)> f_;
};

using Steps = std::vector<std::string>;

Steps insert_steps(IntTree& t, int key) {
    Recorder rec;
    REQUIRE(t.insert(key, &rec));
    REQUIRE(rb_check(t.root) == "");
    return rec.log;
}

Steps erase_steps(IntTree& t, int key) {
    Recorder rec;
    REQUIRE(t.erase(key, &rec));
    REQUIRE(rb_check(t.root) == "");
    return rec.log;
}

void insert_all(IntTree& t, std::initializer_list<int> keys) {
    for (int k : keys) REQUIRE(t.insert(k));
    REQUIRE(rb_check(t.root) == "");
}

// ---- trace grammar: which step may follow which -----------------------

bool is_case3_insert(RbStep s) { return s == RbStep::InsertCase3RotateLeft || s == RbStep::InsertCase3RotateRight; }

// link, case1*, then root_black | parent_black | case3 | case2 + opposite case3.
bool valid_insert_trace(const std::vector<RbStep>& s) {
    if (s.size() < 2 || s.front() != RbStep::Link) return false;
    std::size_t i = 1;
    while (i < s.size() && s[i] == RbStep::InsertCase1Recolor) ++i;
    if (i + 1 == s.size())
        return s[i] == RbStep::InsertRootBlack || s[i] == RbStep::InsertParentBlack || is_case3_insert(s[i]);
    if (i + 2 != s.size()) return false;
    return (s[i] == RbStep::InsertCase2RotateLeft && s[i + 1] == RbStep::InsertCase3RotateRight) ||
           (s[i] == RbStep::InsertCase2RotateRight && s[i + 1] == RbStep::InsertCase3RotateLeft);
}

// unlink, then: nothing | recolor_black | loop of
//   case2 (then: end | recolor_black end | next level),
//   case1 (then case2 + recolor_black | case3 + case4 | case4: parent is red now),
//   case3 + case4 (same side), case4.
bool valid_erase_trace(const std::vector<RbStep>& s) {
    if (s.empty() || s.front() != RbStep::EraseUnlink) return false;
    std::size_t i = 1;
    const auto at = [&](std::size_t j) { return j < s.size() ? s[j] : RbStep::Link; };  // Link = "none"
    const auto ends_case34 = [&](std::size_t j) {
        if (at(j) == RbStep::EraseCase4RotateLeft || at(j) == RbStep::EraseCase4RotateRight) return j + 1 == s.size();
        if (at(j) == RbStep::EraseCase3RotateRight) return at(j + 1) == RbStep::EraseCase4RotateLeft && j + 2 == s.size();
        if (at(j) == RbStep::EraseCase3RotateLeft) return at(j + 1) == RbStep::EraseCase4RotateRight && j + 2 == s.size();
        return false;
    };
    if (i == s.size()) return true;
    if (at(i) == RbStep::EraseRecolorBlack) return i + 1 == s.size();
    for (;;) {
        const RbStep st = at(i);
        if (st == RbStep::EraseCase2Recolor) {
            ++i;
            if (i == s.size()) return true;
            if (at(i) == RbStep::EraseRecolorBlack) return i + 1 == s.size();
            continue;
        }
        if (st == RbStep::EraseCase1RotateLeft || st == RbStep::EraseCase1RotateRight) {
            ++i;
            if (at(i) == RbStep::EraseCase2Recolor)
                return at(i + 1) == RbStep::EraseRecolorBlack && i + 2 == s.size();
            return ends_case34(i);
        }
        return ends_case34(i);
    }
}

}  // namespace

TEST_CASE("rb_step_name gives the stable dotted names", "[model][rbtree]") {
    const std::vector<std::pair<RbStep, std::string>> expected = {
        {RbStep::Link, "rb.link"},
        {RbStep::InsertRootBlack, "rb.insert.root_black"},
        {RbStep::InsertParentBlack, "rb.insert.parent_black"},
        {RbStep::InsertCase1Recolor, "rb.insert.case1.recolor"},
        {RbStep::InsertCase2RotateLeft, "rb.insert.case2.rotate_left"},
        {RbStep::InsertCase2RotateRight, "rb.insert.case2.rotate_right"},
        {RbStep::InsertCase3RotateRight, "rb.insert.case3.rotate_right"},
        {RbStep::InsertCase3RotateLeft, "rb.insert.case3.rotate_left"},
        {RbStep::EraseUnlink, "rb.erase.unlink"},
        {RbStep::EraseRecolorBlack, "rb.erase.recolor_black"},
        {RbStep::EraseCase1RotateLeft, "rb.erase.case1.rotate_left"},
        {RbStep::EraseCase1RotateRight, "rb.erase.case1.rotate_right"},
        {RbStep::EraseCase2Recolor, "rb.erase.case2.recolor"},
        {RbStep::EraseCase3RotateRight, "rb.erase.case3.rotate_right"},
        {RbStep::EraseCase3RotateLeft, "rb.erase.case3.rotate_left"},
        {RbStep::EraseCase4RotateLeft, "rb.erase.case4.rotate_left"},
        {RbStep::EraseCase4RotateRight, "rb.erase.case4.rotate_right"},
    };
    std::set<std::string> seen;
    for (const auto& [step, name] : expected) {
        CHECK(std::string(rb_step_name(step)) == name);
        seen.insert(rb_step_name(step));
    }
    CHECK(seen.size() == expected.size());
    CHECK(std::string(rb_step_name(static_cast<RbStep>(200))) == "rb.unknown");
}

TEST_CASE("empty and single-node trees", "[model][rbtree]") {
    IntTree t(4);
    CHECK(rb_first(&t.root) == nullptr);
    CHECK(rb_last(&t.root) == nullptr);
    CHECK(rb_check(t.root) == "");
    CHECK(rb_black_height(t.root) == 0);

    REQUIRE(t.insert(2));
    CHECK(t.shape() == "2B");
    CHECK(rb_first(&t.root) == t.node(2));
    CHECK(rb_last(&t.root) == t.node(2));
    CHECK(rb_next(t.node(2)) == nullptr);
    CHECK(rb_prev(t.node(2)) == nullptr);
    CHECK(rb_black_height(t.root) == 1);
    CHECK_FALSE(t.insert(2));  // duplicate refused by the caller's walk

    REQUIRE(t.erase(2));
    CHECK(t.root.root == nullptr);
    CHECK(t.root.leftmost == nullptr);
    CHECK(rb_check(t.root) == "");
    // rb_erase detaches the node
    CHECK(t.node(2)->parent == nullptr);
    CHECK(t.node(2)->left == nullptr);
    CHECK(t.node(2)->right == nullptr);
}

TEST_CASE("insert steps: ascending 1..8 (case 3 left, case 1 to root, to black parent, then case 3)",
          "[model][rbtree]") {
    IntTree t(10);
    CHECK(insert_steps(t, 1) == Steps{"rb.link(1)", "rb.insert.root_black(1)"});
    CHECK(insert_steps(t, 2) == Steps{"rb.link(2)", "rb.insert.parent_black(2)"});
    CHECK(insert_steps(t, 3) == Steps{"rb.link(3)", "rb.insert.case3.rotate_left(1,2)"});
    CHECK(t.shape() == "2B(1R,3R)");
    CHECK(insert_steps(t, 4) == Steps{"rb.link(4)", "rb.insert.case1.recolor(2)", "rb.insert.root_black(2)"});
    CHECK(t.shape() == "2B(1B,3B(-,4R))");
    CHECK(insert_steps(t, 5) == Steps{"rb.link(5)", "rb.insert.case3.rotate_left(3,4)"});
    CHECK(insert_steps(t, 6) == Steps{"rb.link(6)", "rb.insert.case1.recolor(4)", "rb.insert.parent_black(4)"});
    CHECK(t.shape() == "2B(1B,4R(3B,5B(-,6R)))");
    CHECK(insert_steps(t, 7) == Steps{"rb.link(7)", "rb.insert.case3.rotate_left(5,6)"});
    CHECK(insert_steps(t, 8) ==
          Steps{"rb.link(8)", "rb.insert.case1.recolor(6)", "rb.insert.case3.rotate_left(2,4)"});
    CHECK(t.shape() == "4B(2R(1B,3B),6R(5B,7B(-,8R)))");
    CHECK(key_of(t.root.root) == 4);
    CHECK(rb_black_height(t.root) == 2);
    CHECK(key_of(rb_first(&t.root)) == 1);
}

TEST_CASE("insert steps: descending 8..1 mirrors ascending (case 3 right)", "[model][rbtree]") {
    IntTree t(10);
    CHECK(insert_steps(t, 8) == Steps{"rb.link(8)", "rb.insert.root_black(8)"});
    CHECK(insert_steps(t, 7) == Steps{"rb.link(7)", "rb.insert.parent_black(7)"});
    CHECK(insert_steps(t, 6) == Steps{"rb.link(6)", "rb.insert.case3.rotate_right(8,7)"});
    CHECK(insert_steps(t, 5) == Steps{"rb.link(5)", "rb.insert.case1.recolor(7)", "rb.insert.root_black(7)"});
    CHECK(insert_steps(t, 4) == Steps{"rb.link(4)", "rb.insert.case3.rotate_right(6,5)"});
    CHECK(insert_steps(t, 3) == Steps{"rb.link(3)", "rb.insert.case1.recolor(5)", "rb.insert.parent_black(5)"});
    CHECK(insert_steps(t, 2) == Steps{"rb.link(2)", "rb.insert.case3.rotate_right(4,3)"});
    CHECK(insert_steps(t, 1) ==
          Steps{"rb.link(1)", "rb.insert.case1.recolor(3)", "rb.insert.case3.rotate_right(7,5)"});
    CHECK(t.shape() == "5B(3R(2B(1R,-),4B),7R(6B,8B))");
    CHECK(key_of(t.root.root) == 5);
    CHECK(key_of(rb_first(&t.root)) == 1);
}

TEST_CASE("insert steps: case 2 (inner child) in both directions", "[model][rbtree]") {
    SECTION("parent is a left child: rotate left at parent, then right at grandparent") {
        IntTree t(4);
        insert_all(t, {3, 1});
        CHECK(insert_steps(t, 2) ==
              Steps{"rb.link(2)", "rb.insert.case2.rotate_left(1,2)", "rb.insert.case3.rotate_right(3,2)"});
        CHECK(t.shape() == "2B(1R,3R)");
        CHECK(key_of(rb_first(&t.root)) == 1);
    }
    SECTION("parent is a right child: rotate right at parent, then left at grandparent") {
        IntTree t(4);
        insert_all(t, {1, 3});
        CHECK(insert_steps(t, 2) ==
              Steps{"rb.link(2)", "rb.insert.case2.rotate_right(3,2)", "rb.insert.case3.rotate_left(1,2)"});
        CHECK(t.shape() == "2B(1R,3R)");
    }
    SECTION("case 1 pushes red up to an inner grandchild: case 2 at the next level") {
        IntTree t(100);
        CHECK(insert_steps(t, 50) == Steps{"rb.link(50)", "rb.insert.root_black(50)"});
        CHECK(insert_steps(t, 20) == Steps{"rb.link(20)", "rb.insert.parent_black(20)"});
        CHECK(insert_steps(t, 80) == Steps{"rb.link(80)", "rb.insert.parent_black(80)"});
        CHECK(insert_steps(t, 10) ==
              Steps{"rb.link(10)", "rb.insert.case1.recolor(50)", "rb.insert.root_black(50)"});
        CHECK(insert_steps(t, 30) == Steps{"rb.link(30)", "rb.insert.parent_black(30)"});
        CHECK(insert_steps(t, 40) ==
              Steps{"rb.link(40)", "rb.insert.case1.recolor(20)", "rb.insert.parent_black(20)"});
        CHECK(t.shape() == "50B(20R(10B,30B(-,40R)),80B)");
        CHECK(insert_steps(t, 35) ==
              Steps{"rb.link(35)", "rb.insert.case2.rotate_right(40,35)", "rb.insert.case3.rotate_left(30,35)"});
        CHECK(t.shape() == "50B(20R(10B,35B(30R,40R)),80B)");
        CHECK(insert_steps(t, 45) == Steps{"rb.link(45)", "rb.insert.case1.recolor(35)",
                                           "rb.insert.case2.rotate_left(20,35)",
                                           "rb.insert.case3.rotate_right(50,35)"});
        CHECK(t.shape() == "35B(20R(10B,30B),50R(40B(-,45R),80B))");
        CHECK(key_of(t.root.root) == 35);
        CHECK(rb_black_height(t.root) == 2);
    }
}

TEST_CASE("erase steps: no rebalance needed", "[model][rbtree]") {
    SECTION("red leaf: unlink only") {
        IntTree t(4);
        insert_all(t, {1, 2, 3});
        CHECK(erase_steps(t, 1) == Steps{"rb.erase.unlink(1)"});
        CHECK(t.shape() == "2B(-,3R)");
        CHECK(key_of(rb_first(&t.root)) == 2);
    }
    SECTION("black node with a red right child: child painted black") {
        IntTree t(4);
        insert_all(t, {1, 2});
        CHECK(erase_steps(t, 1) == Steps{"rb.erase.unlink(1)", "rb.erase.recolor_black(2)"});
        CHECK(t.shape() == "2B");
    }
    SECTION("black node with a red left child: child painted black") {
        IntTree t(4);
        insert_all(t, {2, 1});
        CHECK(erase_steps(t, 2) == Steps{"rb.erase.unlink(2)", "rb.erase.recolor_black(1)"});
        CHECK(t.shape() == "1B");
    }
    SECTION("two children, successor is the right child, its red child takes the black") {
        IntTree t(10);
        insert_all(t, {1, 2, 3, 4, 5, 6, 7, 8});
        CHECK(erase_steps(t, 6) == Steps{"rb.erase.unlink(6,7)", "rb.erase.recolor_black(8)"});
        CHECK(t.shape() == "4B(2R(1B,3B),7R(5B,8B))");
    }
}

TEST_CASE("erase steps: case 1 (red sibling) in both directions", "[model][rbtree]") {
    SECTION("short side left: rotate left at parent") {
        IntTree t(8);
        insert_all(t, {1, 2, 3, 4, 5, 6});
        REQUIRE(t.shape() == "2B(1B,4R(3B,5B(-,6R)))");
        CHECK(erase_steps(t, 1) == Steps{"rb.erase.unlink(1)", "rb.erase.case1.rotate_left(2,4)",
                                         "rb.erase.case2.recolor(3)", "rb.erase.recolor_black(2)"});
        CHECK(t.shape() == "4B(2B(-,3R),5B(-,6R))");
        CHECK(key_of(rb_first(&t.root)) == 2);
    }
    SECTION("short side right: rotate right at parent") {
        IntTree t(8);
        insert_all(t, {6, 5, 4, 3, 2, 1});
        REQUIRE(t.shape() == "5B(3R(2B(1R,-),4B),6B)");
        CHECK(erase_steps(t, 6) == Steps{"rb.erase.unlink(6)", "rb.erase.case1.rotate_right(5,3)",
                                         "rb.erase.case2.recolor(4)", "rb.erase.recolor_black(5)"});
        CHECK(t.shape() == "3B(2B(1R,-),5B(4R,-))");
    }
}

TEST_CASE("erase steps: case 2 (black sibling, black nephews)", "[model][rbtree]") {
    SECTION("black parent at the root: deficit moves up and vanishes") {
        IntTree t(6);
        insert_all(t, {1, 2, 3, 4});
        CHECK(erase_steps(t, 4) == Steps{"rb.erase.unlink(4)"});
        REQUIRE(t.shape() == "2B(1B,3B)");
        CHECK(erase_steps(t, 1) == Steps{"rb.erase.unlink(1)", "rb.erase.case2.recolor(3)"});
        CHECK(t.shape() == "2B(-,3R)");
        CHECK(rb_black_height(t.root) == 1);
    }
    SECTION("mirror: short side right") {
        IntTree t(6);
        insert_all(t, {1, 2, 3, 4});
        REQUIRE(t.erase(4));
        CHECK(erase_steps(t, 3) == Steps{"rb.erase.unlink(3)", "rb.erase.case2.recolor(1)"});
        CHECK(t.shape() == "2B(1R,-)");
    }
    SECTION("red parent absorbs the deficit") {
        IntTree t(10);
        insert_all(t, {1, 2, 3, 4, 5, 6, 7, 8});
        CHECK(erase_steps(t, 1) ==
              Steps{"rb.erase.unlink(1)", "rb.erase.case2.recolor(3)", "rb.erase.recolor_black(2)"});
        CHECK(t.shape() == "4B(2B(-,3R),6R(5B,7B(-,8R)))");
    }
    SECTION("red parent absorbs the deficit, mirror") {
        IntTree t(10);
        insert_all(t, {1, 2, 3, 4, 5, 6, 7, 8});
        CHECK(erase_steps(t, 3) ==
              Steps{"rb.erase.unlink(3)", "rb.erase.case2.recolor(1)", "rb.erase.recolor_black(2)"});
        CHECK(t.shape() == "4B(2B(1R,-),6R(5B,7B(-,8R)))");
    }
    SECTION("all-black tree: case 2 repeats up to the root") {
        IntTree t(10);
        insert_all(t, {4, 2, 6, 1, 3, 5, 7});
        REQUIRE(t.shape() == "4B(2B(1R,3R),6B(5R,7R))");
        for (int k : {1, 3, 5, 7}) t.node(k)->color = RbColor::Black;  // still valid: every path has 3 blacks
        REQUIRE(rb_check(t.root) == "");
        CHECK(erase_steps(t, 1) ==
              Steps{"rb.erase.unlink(1)", "rb.erase.case2.recolor(3)", "rb.erase.case2.recolor(6)"});
        CHECK(t.shape() == "4B(2B(-,3R),6R(5B,7B))");
        CHECK(rb_black_height(t.root) == 2);
    }
    SECTION("all-black tree, mirror") {
        IntTree t(10);
        insert_all(t, {4, 2, 6, 1, 3, 5, 7});
        for (int k : {1, 3, 5, 7}) t.node(k)->color = RbColor::Black;
        REQUIRE(rb_check(t.root) == "");
        CHECK(erase_steps(t, 7) ==
              Steps{"rb.erase.unlink(7)", "rb.erase.case2.recolor(5)", "rb.erase.case2.recolor(2)"});
        CHECK(t.shape() == "4B(2R(1B,3B),6B(5R,-))");
    }
    SECTION("two children, successor is the right child, deficit on the right") {
        IntTree t(6);
        insert_all(t, {1, 2, 3, 4});
        REQUIRE(t.erase(4));
        CHECK(erase_steps(t, 2) == Steps{"rb.erase.unlink(2,3)", "rb.erase.case2.recolor(1)"});
        CHECK(t.shape() == "3B(1R,-)");
    }
}

TEST_CASE("erase steps: case 3 (red near nephew) leads into case 4", "[model][rbtree]") {
    SECTION("short side left: rotate right at sibling, then left at parent") {
        IntTree t(6);
        insert_all(t, {2, 1, 4, 3});
        REQUIRE(t.shape() == "2B(1B,4B(3R,-))");
        CHECK(erase_steps(t, 1) == Steps{"rb.erase.unlink(1)", "rb.erase.case3.rotate_right(4,3)",
                                         "rb.erase.case4.rotate_left(2,3)"});
        CHECK(t.shape() == "3B(2B,4B)");
    }
    SECTION("short side right: rotate left at sibling, then right at parent") {
        IntTree t(6);
        insert_all(t, {3, 4, 1, 2});
        REQUIRE(t.shape() == "3B(1B(-,2R),4B)");
        CHECK(erase_steps(t, 4) == Steps{"rb.erase.unlink(4)", "rb.erase.case3.rotate_left(1,2)",
                                         "rb.erase.case4.rotate_right(3,2)"});
        CHECK(t.shape() == "2B(1B,3B)");
    }
}

TEST_CASE("erase steps: case 4 (red far nephew)", "[model][rbtree]") {
    SECTION("short side left: rotate left at parent") {
        IntTree t(6);
        insert_all(t, {1, 2, 3, 4});
        CHECK(erase_steps(t, 1) == Steps{"rb.erase.unlink(1)", "rb.erase.case4.rotate_left(2,3)"});
        CHECK(t.shape() == "3B(2B,4B)");
    }
    SECTION("short side right: rotate right at parent") {
        IntTree t(6);
        insert_all(t, {4, 3, 2, 1});
        REQUIRE(t.shape() == "3B(2B(1R,-),4B)");
        CHECK(erase_steps(t, 4) == Steps{"rb.erase.unlink(4)", "rb.erase.case4.rotate_right(3,2)"});
        CHECK(t.shape() == "2B(1B,3B)");
    }
    SECTION("both nephews red: the far one decides, no case 3") {
        IntTree t(6);
        insert_all(t, {2, 1, 4, 3, 5});
        REQUIRE(t.shape() == "2B(1B,4B(3R,5R))");
        CHECK(erase_steps(t, 1) == Steps{"rb.erase.unlink(1)", "rb.erase.case4.rotate_left(2,4)"});
        CHECK(t.shape() == "4B(2B(-,3R),5B)");
    }
    SECTION("erasing the root: deeper successor moves up, case 4 fixes its old spot") {
        IntTree t(10);
        insert_all(t, {1, 2, 3, 4, 5, 6, 7, 8});
        CHECK(erase_steps(t, 4) == Steps{"rb.erase.unlink(4,5)", "rb.erase.case4.rotate_left(6,7)"});
        CHECK(t.shape() == "5B(2R(1B,3B),7R(6B,8B))");
        CHECK(key_of(t.root.root) == 5);
    }
}

TEST_CASE("tracer runs after each step's mutation", "[model][rbtree]") {
    IntTree t(10);
    insert_all(t, {1, 2});
    std::vector<std::string> seen;
    CallbackTracer tr([&](RbStep step, const RbNode* subject, const RbNode* other) {
        if (step == RbStep::Link) {
            // linked red under 2 already, fix-up not yet run
            CHECK(subject == t.node(3));
            CHECK(t.node(2)->right == t.node(3));
            CHECK(subject->color == RbColor::Red);
            CHECK(other == nullptr);
            seen.push_back("link");
        } else if (step == RbStep::InsertCase3RotateLeft) {
            // rotation and recolouring done
            CHECK(t.root.root == t.node(2));
            CHECK(subject->parent == t.node(2));
            CHECK(t.node(2)->color == RbColor::Black);
            CHECK(subject->color == RbColor::Red);
            CHECK(rb_check(t.root) == "");
            seen.push_back("case3");
        } else if (step == RbStep::EraseUnlink) {
            CHECK(t.find(2) == nullptr);
            CHECK(subject->parent == nullptr);
            CHECK(key_of(other) == 3);
            CHECK(t.root.root == t.node(3));
            seen.push_back("unlink");
        } else if (step == RbStep::EraseRecolorBlack) {
            CHECK(subject->color == RbColor::Black);
            seen.push_back("recolor");
        }
    });
    REQUIRE(t.insert(3, &tr));
    // 2B(1R,3R): erasing 2 moves 3 up with 2's colour; removed red, nothing more.
    REQUIRE(t.erase(2, &tr));
    CHECK(seen == std::vector<std::string>{"link", "case3", "unlink"});
    CHECK(t.shape() == "3B(1R,-)");
}

TEST_CASE("leftmost cache follows inserts and erases", "[model][rbtree]") {
    IntTree t(20);
    insert_all(t, {10, 5, 15});
    CHECK(rb_first(&t.root) == t.node(5));
    REQUIRE(t.insert(12));  // not a new minimum
    CHECK(rb_first(&t.root) == t.node(5));
    REQUIRE(t.insert(1));
    CHECK(rb_first(&t.root) == t.node(1));
    REQUIRE(t.erase(1));
    CHECK(rb_first(&t.root) == t.node(5));
    REQUIRE(t.erase(10));  // erasing a non-minimum leaves it alone
    CHECK(rb_first(&t.root) == t.node(5));
    REQUIRE(t.erase(5));
    CHECK(rb_first(&t.root) == t.node(12));
    CHECK(rb_last(&t.root) == t.node(15));
    CHECK(rb_check(t.root) == "");
}

TEST_CASE("height stays logarithmic under sorted input", "[model][rbtree]") {
    constexpr int n = 10000;
    IntTree t(n);
    for (int k = 0; k < n; ++k) REQUIRE(t.insert(k));
    REQUIRE(rb_check(t.root) == "");
    // depth of the deepest node, iteratively
    std::size_t height = 0;
    std::vector<std::pair<const RbNode*, std::size_t>> stack{{t.root.root, 1}};
    while (!stack.empty()) {
        auto [node, d] = stack.back();
        stack.pop_back();
        height = std::max(height, d);
        if (node->left != nullptr) stack.push_back({node->left, d + 1});
        if (node->right != nullptr) stack.push_back({node->right, d + 1});
    }
    CHECK(static_cast<double>(height) <= 2.0 * std::log2(n + 1.0));
    CHECK(rb_black_height(t.root) >= 7);  // at least half the height of a 10000-node tree
    CHECK(rb_black_height(t.root) <= 14);
}

TEST_CASE("random inserts and erases match std::set", "[model][rbtree]") {
    constexpr int kKeys = 4096;
    constexpr int kOps = 100000;
    IntTree t(kKeys);
    std::set<int> model;
    std::mt19937 rng(20240229u);
    std::uniform_int_distribution<int> key_dist(0, kKeys - 1);
    std::uniform_real_distribution<double> coin(0.0, 1.0);
    const double insert_bias[] = {0.8, 0.5, 0.2, 0.5};  // grow, churn, shrink, churn

    const auto verify = [&](int op) {
        INFO("after op " << op << ", size " << model.size());
        REQUIRE(rb_check(t.root) == "");
        const std::vector<int> expected(model.begin(), model.end());
        REQUIRE(t.forward() == expected);
        REQUIRE(t.backward() == std::vector<int>(expected.rbegin(), expected.rend()));
    };

    std::size_t max_size = 0;
    for (int op = 0; op < kOps; ++op) {
        const int key = key_dist(rng);
        if (coin(rng) < insert_bias[(op / 10000) % 4]) {
            const bool added = t.insert(key);
            if (added != model.insert(key).second) FAIL("insert " << key << " disagrees at op " << op);
        } else {
            const bool removed = t.erase(key);
            if (removed != (model.erase(key) == 1)) FAIL("erase " << key << " disagrees at op " << op);
        }
        max_size = std::max(max_size, model.size());
        if (op < 5000 || op % 97 == 0) verify(op);
    }
    verify(kOps);
    CHECK(max_size > 2000);  // the tree really grew large

    // Drain in random order down to empty.
    std::vector<int> rest(model.begin(), model.end());
    std::shuffle(rest.begin(), rest.end(), rng);
    for (std::size_t i = 0; i < rest.size(); ++i) {
        REQUIRE(t.erase(rest[i]));
        model.erase(rest[i]);
        if (i % 31 == 0) verify(kOps + static_cast<int>(i));
    }
    verify(-1);
    CHECK(t.root.root == nullptr);
    CHECK(t.root.leftmost == nullptr);
}

TEST_CASE("random traces follow the case grammar and cover every step", "[model][rbtree]") {
    constexpr int kKeys = 512;
    IntTree t(kKeys);
    Recorder rec;
    std::mt19937 rng(7u);
    std::uniform_int_distribution<int> key_dist(0, kKeys - 1);
    std::set<RbStep> covered;
    for (int op = 0; op < 20000; ++op) {
        const int key = key_dist(rng);
        const bool inserting = (op / 2000) % 2 == 0 ? (rng() % 3 != 0) : (rng() % 3 == 0);
        const bool changed = inserting ? t.insert(key, &rec) : t.erase(key, &rec);
        if (!changed) {
            REQUIRE(rec.kinds.empty());  // nothing happened, nothing traced
            continue;
        }
        const bool ok = inserting ? valid_insert_trace(rec.kinds) : valid_erase_trace(rec.kinds);
        if (!ok) FAIL("op " << op << " key " << key << " gave an impossible trace: " << Catch::Detail::stringify(rec.log));
        covered.insert(rec.kinds.begin(), rec.kinds.end());
        rec.take();
        if (op % 13 == 0) REQUIRE(rb_check(t.root) == "");
    }
    REQUIRE(rb_check(t.root) == "");
    CHECK(covered.size() == 17);  // every RbStep value occurred
}

TEST_CASE("rb_check detects broken trees", "[model][rbtree]") {
    IntTree t(10);

    SECTION("valid trees pass") {
        insert_all(t, {5, 3, 8, 1, 4, 7, 9, 2, 6});
        CHECK(rb_check(t.root) == "");
    }
    SECTION("red root") {
        insert_all(t, {1});
        t.node(1)->color = RbColor::Red;
        CHECK_THAT(rb_check(t.root), Catch::Contains("root is red"));
    }
    SECTION("root with a parent") {
        insert_all(t, {1});
        t.node(1)->parent = t.node(5);
        CHECK_THAT(rb_check(t.root), Catch::Contains("root has a parent"));
    }
    SECTION("invalid colour value") {
        insert_all(t, {1, 2});
        t.node(2)->color = static_cast<RbColor>(7);
        CHECK_THAT(rb_check(t.root), Catch::Contains("invalid colour at root.R"));
    }
    SECTION("red node with a red child, black heights intact") {
        insert_all(t, {3, 2});
        // link 1 under red 2 without the fix-up: 3B(2R(1R,-),-), every path has one black
        rb_link_node(t.node(1), t.node(2), &t.node(2)->left, nullptr);
        t.root.leftmost = t.node(1);
        const std::string msg = rb_check(t.root);
        CHECK_THAT(msg, Catch::Contains("red-red"));
        CHECK_THAT(msg, Catch::Contains("root.L"));
    }
    SECTION("unequal black height, no red-red") {
        insert_all(t, {2, 1});
        t.node(1)->color = RbColor::Black;  // 2B(1B,-): left paths have 2 blacks, right has 1
        CHECK_THAT(rb_check(t.root), Catch::Contains("black height"));
    }
    SECTION("black height broken deep in a larger tree") {
        insert_all(t, {1, 2, 3, 4, 5, 6, 7, 8});
        t.node(8)->color = RbColor::Black;
        CHECK_THAT(rb_check(t.root), Catch::Contains("black height"));
    }
    SECTION("child's parent link points elsewhere") {
        insert_all(t, {1, 2, 3});
        t.node(3)->parent = t.node(1);
        const std::string msg = rb_check(t.root);
        CHECK_THAT(msg, Catch::Contains("parent link"));
        CHECK_THAT(msg, Catch::Contains("root.R"));
    }
    SECTION("cycle back to the root") {
        insert_all(t, {1, 2, 3});
        t.node(3)->right = t.node(2);
        CHECK_THAT(rb_check(t.root), Catch::Contains("cycle"));
    }
    SECTION("self loop") {
        insert_all(t, {1, 2, 3});
        t.node(1)->left = t.node(1);
        CHECK_THAT(rb_check(t.root), Catch::Contains("parent link"));
    }
    SECTION("same node as both children") {
        insert_all(t, {1, 2});
        t.node(1)->left = t.node(2);  // 1's left and right are both 2, whose parent is 1
        CHECK_THAT(rb_check(t.root), Catch::Contains("same node"));
    }
    SECTION("stale leftmost cache") {
        insert_all(t, {1, 2, 3});
        t.root.leftmost = t.node(2);
        CHECK_THAT(rb_check(t.root), Catch::Contains("leftmost"));
    }
    SECTION("missing leftmost cache") {
        insert_all(t, {1, 2, 3});
        t.root.leftmost = nullptr;
        CHECK_THAT(rb_check(t.root), Catch::Contains("leftmost"));
    }
    SECTION("leftmost set on an empty tree") {
        t.root.leftmost = t.node(4);
        CHECK_THAT(rb_check(t.root), Catch::Contains("leftmost"));
    }
}
