// spare.h - a few freed objects of one kind kept for reuse, so an EPOLL_CTL_DEL + ADD pair
// does not go through malloc and free for its epitem and hook. Under AddressSanitizer nothing
// is kept, so a use after free is still caught.
#pragma once
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
#if !defined(__SANITIZE_ADDRESS__)
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
