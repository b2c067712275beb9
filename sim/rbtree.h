#pragma once
/*
 * epsim red-black tree: an intrusive, cached-leftmost red-black tree shaped
 * like the kernel's lib/rbtree.c API (struct rb_node, struct rb_root_cached),
 * which eventpoll uses to index its epitems (ep_rbtree_insert, ep_find).
 * Written from the textbook algorithm; not derived from kernel source.
 *
 * Invariants (a missing child is a black "NIL" leaf):
 *   1. Every node is red or black.
 *   2. The root is black.
 *   3. A red node has only black children (no red-red edge).
 *   4. Every path from a node down to its NIL leaves passes the same number
 *      of black nodes (the "black height").
 * Together they keep the longest root-to-leaf path at most twice the
 * shortest, so the height is O(log n).
 *
 * Diagram key:  [X] black   (x) red   {x} either colour (kept as is)
 * Every picture shows one side only; the mirror image swaps left and right
 * and the rotation direction (that is why RbStep names carry a direction).
 *
 * ---- Insert (rb_link_node, then rb_insert_color) ------------------------
 * A new node n is linked red at a leaf. Only invariant 3 can now fail, and
 * only between n and its parent p. Fix-up loop, with g = grandparent and
 * u = uncle (g's other child):
 *
 *   n is the root            -> paint it black               (root_black)
 *   p is black               -> nothing to do                (parent_black)
 *
 *   Case 1: u red. Push the redness up: p,u black, g red; continue at g.
 *
 *          [G]                  (g)   <- may now clash with its own parent
 *          / \                  / \
 *        (p) (u)      ->      [P] [U]
 *        /                    /
 *      (n)                  (n)
 *
 *   Case 2: u black and n is the inner child. Rotate at p (left here) so
 *   n becomes the outer child; p then plays the role of n in case 3.
 *
 *          [G]                  [G]
 *          / \                  / \
 *        (p) [U]      ->      (n) [U]
 *          \                  /
 *          (n)              (p)
 *
 *   Case 3: u black and n is the outer child. Rotate at g (right here) and
 *   swap the colours of p and g. Done: the subtree root is black again.
 *
 *          [G]                  [P]
 *          / \                  / \
 *        (p) [U]      ->      (n) (g)
 *        / \                      / \
 *      (n) [T]                  [T] [U]
 *
 * ---- Erase (rb_erase) ----------------------------------------------------
 * Unlink first (__rb_erase_augmented). A node with at most one child is
 * replaced by that child; a node with two children is replaced by its
 * in-order successor s (leftmost of its right subtree), which takes over the
 * node's colour, so the colour really removed is s's old colour at s's old
 * spot.
 *
 *       {D}                   {S}
 *       / \                   / \
 *     [A]  {R}      ->      [A]  {R}      d removed, s moved up into its
 *          /                     /        place with d's colour; c is
 *        {s}                   (c)        spliced into s's old position
 *          \
 *          (c)
 *
 * Removing a red node changes no black height. Removing a black node whose
 * replacement child c is red: paint c black (recolor_black). Otherwise the
 * vacated spot N is one black short ("double black"); ____rb_erase_color
 * repairs it with P = N's parent, S = sibling, Sn/Sf = S's near/far child:
 *
 *   Case 1: S red. Rotate at P (left here), swap colours of P and S. N's new
 *   sibling is black, so continue with case 2, 3 or 4.
 *
 *          [P]                  [S]
 *          / \                  / \
 *        [N] (s)      ->      (p) [Sf]
 *            / \              / \
 *         [Sn] [Sf]         [N] [Sn]
 *
 *   Case 2: S black, both its children black. Paint S red so both sides of
 *   P are one black short. If p is red, paint it black and stop (reported as
 *   recolor_black on P); otherwise P is the new N, repeat one level up.
 *
 *          {P}                  {P}
 *          / \                  / \
 *        [N] [S]      ->      [N] (s)
 *            / \                  / \
 *         [Sn] [Sf]            [Sn] [Sf]
 *
 *   Case 3: S black, near child red, far child black. Rotate at S (right
 *   here), swap colours of S and Sn. Now the sibling has a red far child:
 *   case 4 follows immediately.
 *
 *          {P}                  {P}
 *          / \                  / \
 *        [N] [S]      ->      [N] [Sn]
 *            / \                    \
 *         (sn) [Sf]                 (s)
 *                                     \
 *                                     [Sf]
 *
 *   Case 4: S black, far child red. Rotate at P (left here); S takes P's
 *   colour, P and Sf become black. N gains a black ancestor: done.
 *
 *          {P}                  {S}
 *          / \                  / \
 *        [N] [S]      ->      [P] [Sf]
 *            / \              / \
 *         {sn} (sf)         [N] {sn}
 */

#include <cstddef>
#include <cstdint>
#include <string>

#include "relocate.h"

namespace epsim {

enum class RbColor : std::uint8_t { Red, Black };

// Intrusive node: embedded in the owner (an epitem), like struct rb_node.
struct RbNode {
    RbNode* parent = nullptr;
    RbNode* left = nullptr;
    RbNode* right = nullptr;
    RbColor color = RbColor::Red;
};

// Like struct rb_root_cached: root plus cached leftmost node.
struct RbRoot {
    RbNode* root = nullptr;
    RbNode* leftmost = nullptr;
};

// Kernel::clone() (relocate.h). A new field in RbNode/RbRoot: copy it here, then fix the size.
inline void clone_fields(RbNode& d, const RbNode& s, const Relocator& r) {
    d.parent = r(s.parent);
    d.left = r(s.left);
    d.right = r(s.right);
    d.color = s.color;
}
inline void clone_fields(RbRoot& d, const RbRoot& s, const Relocator& r) {
    d.root = r(s.root);
    d.leftmost = r(s.leftmost);
}
static_assert(sizeof(RbNode) == 32 && sizeof(RbRoot) == 16, "RbNode/RbRoot changed: update clone_fields");

// Each step of insert fix-up and erase rebalance, named as lib/rbtree.c's comments name the cases.
enum class RbStep : std::uint8_t {
    Link,                    // rb_link_node: new red node placed at its leaf (subject = node)
    InsertRootBlack,         // node became root: painted black (subject = node)
    InsertParentBlack,       // parent black: nothing to fix (subject = node; after case 1 the node is the old gparent)
    InsertCase1Recolor,      // uncle red: parent+uncle black, grandparent red, continue at gparent (subject = gparent)
    InsertCase2RotateLeft,   // uncle black, node is inner child: rotate at parent (subject = parent, other = node)
    InsertCase2RotateRight,
    InsertCase3RotateRight,  // uncle black, node is outer child: rotate at grandparent, recolour (subject = gparent, other = parent)
    InsertCase3RotateLeft,
    EraseUnlink,             // __rb_erase_augmented: node removed from the tree shape (subject = node, other = successor if it had two children, else nullptr)
    EraseRecolorBlack,       // deficit absorbed by painting a red node black: the replacement child after unlink,
                             // or the red parent at the end of case 2 (subject = that node)
    EraseCase1RotateLeft,    // sibling red: rotate at parent (subject = parent, other = sibling)
    EraseCase1RotateRight,
    EraseCase2Recolor,       // sibling black with black children: sibling red, move up (subject = sibling)
    EraseCase3RotateRight,   // sibling black, near child red, far child black: rotate at sibling (subject = sibling, other = near child)
    EraseCase3RotateLeft,
    EraseCase4RotateLeft,    // sibling black, far child red: rotate at parent (subject = parent, other = sibling)
    EraseCase4RotateRight,
};

// Stable dotted name, e.g. "rb.insert.case1.recolor"; "rb.unknown" for an out-of-range value.
const char* rb_step_name(RbStep);

// Observer for animation / event logging. May be nullptr everywhere (then no overhead beyond a branch).
// Called AFTER the step's mutation is complete, so a reader sees the tree as it is after the step.
class RbTracer {
public:
    virtual ~RbTracer() = default;
    virtual void rb_step(RbStep step, const RbNode* subject, const RbNode* other) = 0;
};

// rb_link_node: attach `node` (red, no children) under `parent` at `*link` (link points at parent->left/right or root->root).
void rb_link_node(RbNode* node, RbNode* parent, RbNode** link, RbTracer* tracer);
// rb_insert_color_cached: restore invariants after a link; `leftmost` says the node is the new leftmost.
void rb_insert_color(RbNode* node, RbRoot* root, bool leftmost, RbTracer* tracer);
// rb_erase_cached. Afterwards the node's parent/left/right are nullptr (it is detached).
void rb_erase(RbNode* node, RbRoot* root, RbTracer* tracer);

RbNode* rb_first(const RbRoot* root);   // leftmost (use the cache)
RbNode* rb_last(const RbRoot* root);
RbNode* rb_next(const RbNode* node);
RbNode* rb_prev(const RbNode* node);

// Checks every invariant: colours, red-red, equal black height, parent links consistent,
// leftmost cache correct, no cycles. Returns "" if all hold, else a message naming the first violation.
// Nodes are named by their path from the root, e.g. "root.L.R".
std::string rb_check(const RbRoot& root);
// Black nodes on a root-to-leaf path, counting the root, not the NIL leaves. 0 for empty tree.
std::size_t rb_black_height(const RbRoot& root);

}  // namespace epsim
