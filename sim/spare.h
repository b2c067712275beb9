// spare.h - a few freed objects of one kind kept for reuse, so an EPOLL_CTL_DEL + ADD pair
// does not go through malloc and free for its epitem and hook. Under AddressSanitizer nothing
// is kept, so a use after free is still caught.
#pragma once

// Under AddressSanitizer freed objects are really freed, so a use after free is caught.
// GCC says so with __SANITIZE_ADDRESS__, clang with __has_feature(address_sanitizer).
#if defined(__SANITIZE_ADDRESS__)
#define EPSIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EPSIM_ASAN 1
#endif
#endif
#ifndef EPSIM_ASAN
#define EPSIM_ASAN 0
#endif
#include <memory>
#include <vector>

namespace epsim {

template <class T, std::size_t Max = 256>
class Spare {
public:
    // A freshly constructed T, in recycled storage when there is some.
    std::unique_ptr<T> make() {
        if (free_.empty()) return std::make_unique<T>();
        std::unique_ptr<T> p = std::move(free_.back());
        free_.pop_back();
        std::destroy_at(p.get());
        std::construct_at(p.get());
        return p;
    }
    // Takes a freed object (unlinked from everything; nobody may point at it any more).
    void give(std::unique_ptr<T>& p) {
#if !EPSIM_ASAN
        if (free_.size() < Max) {
            free_.push_back(std::move(p));
            return;
        }
#endif
        p.reset();
    }

private:
    std::vector<std::unique_ptr<T>> free_;
};

}  // namespace epsim
