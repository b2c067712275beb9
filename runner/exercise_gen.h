// exercise_gen.h - what the exercise generators share (exercise.cpp, exercise_rb.cpp): the
// seeded draws, the text builder and the common header. Internal to runner/; the public API is
// exercise.h.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace epsim::exercise::gen {

// splitmix64: the same sequence everywhere. Draw in statements of their own: the operands of
// one expression may be evaluated in any order, and a seed must give the same file with every
// compiler (tests/test_exercise.cpp pins the bytes).
class Rng {
public:
    explicit Rng(std::uint64_t seed) : s_(seed * 0x9e3779b97f4a7c15ull + 0x632be59bd9b4e019ull) {}
    std::uint64_t next() {
        std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    int in(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1)); }
    bool coin() { return next() & 1; }
    template <class T>
    void shuffle(std::vector<T>& v) {
        for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[next() % i]);
    }

private:
    std::uint64_t s_;
};

struct Out {
    std::string s;
    Out& line(const std::string& l) {
        s += l + "\n";
        return *this;
    }
    Out& say(const std::string& t) { return line("say \"" + t + "\""); }
};

// The first lines of every exercise: where it came from, how to answer, title, tags, `ep`.
void header(Out& o, const std::string& topic, std::uint64_t seed, const std::string& title, const std::string& tags);

// The rb-tree topics (exercise_rb.cpp).
std::string rb_insert(std::uint64_t seed);
std::string rb_erase(std::uint64_t seed);

}  // namespace epsim::exercise::gen
