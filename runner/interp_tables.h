// interp_tables.h - the interpreter's bookkeeping, sized for a million watched fds.
//
// A scale scenario registers 1,000,000 eventfds; for each the interpreter remembers its name,
// its registration's data and its family slot (e[i]). Two small tools keep that cheap:
// SymName holds a name like "e[123]" as parts and builds the text only when a trace shows it,
// and IntMap stores small non-negative integer keys (fds, loop indexes, data cookies) in a
// vector instead of a node per key.
#pragma once
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace epsim::scn {

// A symbolic name as the trace shows it: "ep", "e[12]", "p.r", "e[3].w", "7", or any other
// text (interned). The strings it points to outlive it: the script's AST, the function table,
// or the interpreter's interned texts.
struct SymName {
    enum class Form : std::uint8_t { Text, Var, Indexed, Number };
    Form form = Form::Text;
    const std::string* base = nullptr;  // Text: the whole text; Var, Indexed: the name
    const char* member = nullptr;       // a ".r" suffix (without the dot), or none
    std::int64_t index = 0;             // Indexed: the index; Number: the value

    static SymName var(const std::string& n) { return SymName{Form::Var, &n, nullptr, 0}; }
    static SymName indexed(const std::string& n, std::int64_t i) { return SymName{Form::Indexed, &n, nullptr, i}; }
    static SymName number(std::int64_t v) { return SymName{Form::Number, nullptr, nullptr, v}; }
    static SymName text(const std::string& interned) { return SymName{Form::Text, &interned, nullptr, 0}; }
    SymName with_member(const char* m) const {
        SymName s = *this;
        s.member = m;
        return s;
    }

    std::string str() const {
        std::string s;
        append_to(s);
        return s;
    }
    void append_to(std::string& out) const {
        char digits[24];
        auto number = [&] { out.append(digits, std::to_chars(digits, digits + sizeof digits, index).ptr); };
        switch (form) {
            case Form::Text:
            case Form::Var: out += *base; break;
            case Form::Indexed:
                out += *base;
                out += '[';
                number();
                out += ']';
                break;
            case Form::Number: number(); break;
        }
        if (member) {
            out += '.';
            out += member;
        }
    }
};

// A map from int64 keys to T. Keys in [0, dense size) live in a vector slot (empty or not);
// all others in a hash map. The vector grows to take a new key while it stays at least half
// full (plus some slack), so dense keys like fds 4, 5, 6... or loop indexes cost one slot each
// and scattered keys (data=1000000) stay in the hash map.
// Invariant: a key below dense_.size() is never in sparse_.
template <class T>
class IntMap {
public:
    T* find(std::int64_t k) {
        if (k >= 0 && static_cast<std::uint64_t>(k) < dense_.size()) {
            auto& slot = dense_[static_cast<std::size_t>(k)];
            return slot ? &*slot : nullptr;
        }
        auto it = sparse_.find(k);
        return it == sparse_.end() ? nullptr : &it->second;
    }
    const T* find(std::int64_t k) const { return const_cast<IntMap*>(this)->find(k); }

    T& operator[](std::int64_t k) {
        if (static_cast<std::uint64_t>(k) == dense_.size() && sparse_.empty() && k < std::int64_t(2 * used_ + kSlack)) {
            ++used_;  // the common case: the next fd, loop index or data cookie
            return *dense_.emplace_back(std::in_place);
        }
        if (k >= 0 && static_cast<std::uint64_t>(k) >= dense_.size() &&
            static_cast<std::uint64_t>(k) < 2 * used_ + kSlack)
            grow(static_cast<std::size_t>(k) + 1);
        if (k >= 0 && static_cast<std::uint64_t>(k) < dense_.size()) {
            auto& slot = dense_[static_cast<std::size_t>(k)];
            if (!slot) {
                slot.emplace();
                ++used_;
            }
            return *slot;
        }
        return sparse_[k];
    }

    void erase(std::int64_t k) {
        if (k >= 0 && static_cast<std::uint64_t>(k) < dense_.size()) {
            auto& slot = dense_[static_cast<std::size_t>(k)];
            if (slot) --used_;
            slot.reset();
        } else {
            sparse_.erase(k);
        }
    }

private:
    static constexpr std::size_t kSlack = 1024;
    std::vector<std::optional<T>> dense_;
    std::unordered_map<std::int64_t, T> sparse_;
    std::size_t used_ = 0;  // filled dense slots

    void grow(std::size_t size) {
        const std::size_t old = dense_.size();
        dense_.resize(size);  // the vector's capacity grows geometrically
        if (sparse_.empty()) return;
        for (std::size_t k = old; k < size; ++k) {  // keep the invariant: move the new range over
            auto it = sparse_.find(static_cast<std::int64_t>(k));
            if (it == sparse_.end()) continue;
            dense_[k] = std::move(it->second);
            ++used_;
            sparse_.erase(it);
        }
    }
};

}  // namespace epsim::scn
