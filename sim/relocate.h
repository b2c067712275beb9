// relocate.h - what Kernel::clone() uses to copy a graph of objects linked by raw pointers.
//
// clone() works in two passes:
//   1. allocate an empty copy of every object and register (source object, copy) with the
//      Relocator: pools, task frames, pipe inodes, unix sockets;
//   2. copy every field; a pointer field p becomes reloc(p): the same offset inside the copy
//      of the object that p points into. Interior pointers (a ListHead inside an epitem, an
//      RbNode, a wait-queue head inside a file) need nothing special.
//
// Each struct with pointers has a clone_fields(dst, src, reloc) function right below its
// definition, next to a size check: adding a field changes the size, the build fails there,
// and whoever added it updates clone_fields. A pointer that lands in no registered object
// (a forgotten object kind) makes reloc() throw instead of leaving a pointer into the source.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace epsim {

class Relocator {
public:
    void add(const void* from, std::size_t size, void* to) {
        ranges_.push_back(Range{addr(from), addr(from) + size, addr(to)});
        bytes_ += size;
    }
    template <class T>
    void add(const T& from, T& to) {
        add(&from, sizeof(T), &to);
    }
    void seal() {
        std::sort(ranges_.begin(), ranges_.end(), [](const Range& a, const Range& b) { return a.begin < b.begin; });
        begins_.resize(ranges_.size());
        for (std::size_t i = 0; i < ranges_.size(); ++i) begins_[i] = ranges_[i].begin;
    }
    // nullptr and the all-ones marker (EP_UNACTIVE_PTR) stay as they are.
    template <class T>
    T* operator()(T* p) const {
        return static_cast<T*>(map(const_cast<void*>(static_cast<const void*>(p))));
    }
    template <class T>
    void fix(T*& p) const {
        p = (*this)(p);
    }
    std::size_t object_bytes() const { return bytes_; }  // sum of the registered objects' sizes

private:
    struct Range {
        std::uintptr_t begin, end, to;
    };
    static std::uintptr_t addr(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }
    // The clone's hot spot (every pointer of every object): a branch-free binary search over
    // the sorted start addresses alone (8 B each, so more of them share a cache line), for
    // the last range starting at or before `p`.
    void* map(void* p) const {
        const std::uintptr_t a = addr(p);
        if (a == 0 || a == ~std::uintptr_t{0}) return p;
        if (begins_.empty() || a < begins_[0]) fail();
        const std::uintptr_t* b = begins_.data();
        for (std::size_t n = begins_.size(); n > 1;) {
            const std::size_t half = n / 2;
            b = b[half] <= a ? b + half : b;  // a conditional move, not a branch
            n -= half;
        }
        const Range& r = ranges_[static_cast<std::size_t>(b - begins_.data())];
        if (a >= r.end) fail();
        return reinterpret_cast<void*>(r.to + (a - r.begin));
    }
    [[noreturn]] static void fail() {
        throw std::logic_error("Kernel::clone: a pointer into an object clone() does not copy");
    }
    std::vector<Range> ranges_;     // sorted by begin after seal()
    std::vector<std::uintptr_t> begins_;  // ranges_[i].begin
    std::size_t bytes_ = 0;
};

}  // namespace epsim
