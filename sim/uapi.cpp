// uapi.cpp - symbolic names for errno values and epoll masks.
#include "uapi.h"

#include <array>
#include <charconv>
#include <cstring>
#include <utility>

namespace epsim {
namespace {

constexpr std::array<std::pair<int, const char*>, 21> kErrnoNames{{
    {EPERM, "EPERM"},       {ENOENT, "ENOENT"},         {EINTR, "EINTR"},
    {EBADF, "EBADF"},       {EAGAIN, "EAGAIN"},         {ENOMEM, "ENOMEM"},
    {EFAULT, "EFAULT"},     {EEXIST, "EEXIST"},         {EINVAL, "EINVAL"},
    {ENFILE, "ENFILE"},     {EMFILE, "EMFILE"},         {ENOSPC, "ENOSPC"},
    {EPIPE, "EPIPE"},       {ELOOP, "ELOOP"},           {ENOTSOCK, "ENOTSOCK"},
    {EOPNOTSUPP, "EOPNOTSUPP"}, {EADDRINUSE, "EADDRINUSE"}, {ECONNRESET, "ECONNRESET"},
    {EISCONN, "EISCONN"},   {ENOTCONN, "ENOTCONN"},     {ECONNREFUSED, "ECONNREFUSED"},
}};

// Order is the order masks are printed in: lowest bit first, like strace.
constexpr std::array<std::pair<std::uint32_t, const char*>, 18> kBitNames{{
    {EPOLLIN, "EPOLLIN"},         {EPOLLPRI, "EPOLLPRI"},       {EPOLLOUT, "EPOLLOUT"},
    {EPOLLERR, "EPOLLERR"},       {EPOLLHUP, "EPOLLHUP"},       {EPOLLNVAL, "EPOLLNVAL"},
    {EPOLLRDNORM, "EPOLLRDNORM"}, {EPOLLRDBAND, "EPOLLRDBAND"}, {EPOLLWRNORM, "EPOLLWRNORM"},
    {EPOLLWRBAND, "EPOLLWRBAND"}, {EPOLLMSG, "EPOLLMSG"},       {EPOLLRDHUP, "EPOLLRDHUP"},
    {POLLFREE, "POLLFREE"},       {EPOLL_URING_WAKE, "EPOLL_URING_WAKE"},
    {EPOLLEXCLUSIVE, "EPOLLEXCLUSIVE"}, {EPOLLWAKEUP, "EPOLLWAKEUP"},
    {EPOLLONESHOT, "EPOLLONESHOT"}, {EPOLLET, "EPOLLET"},
}};

}  // namespace

const char* errno_name(int e) {
    for (const auto& [value, name] : kErrnoNames)
        if (value == e) return name;
    return "E?";
}

int errno_from_name(const char* name) {
    for (const auto& [value, n] : kErrnoNames)
        if (std::strcmp(n, name) == 0) return value;
    return 0;
}

std::string_view epoll_bit_name(std::uint32_t bit) {
    for (const auto& [value, name] : kBitNames)
        if (value == bit) return name;
    return {};
}

std::string epoll_mask_str(std::uint32_t mask) {
    if (mask == 0) return "0";
    std::string out;
    std::uint32_t known = 0;
    for (const auto& [value, name] : kBitNames) {
        if (!(mask & value)) continue;
        known |= value;
        if (!out.empty()) out += '|';
        out += name;
    }
    if (std::uint32_t rest = mask & ~known) {
        char buf[16];
        auto res = std::to_chars(buf, buf + sizeof buf, rest, 16);
        if (!out.empty()) out += '|';
        out += "0x";
        out.append(buf, res.ptr);
    }
    return out;
}

bool parse_epoll_mask(std::string_view text, std::uint32_t& out) {
    out = 0;
    while (!text.empty()) {
        auto bar = text.find('|');
        std::string_view part = text.substr(0, bar);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
        if (part.empty()) return false;
        bool found = false;
        for (const auto& [value, name] : kBitNames)
            if (part == name) { out |= value; found = true; break; }
        if (!found) {
            int base = 10;
            if (part.size() > 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
                part.remove_prefix(2);
                base = 16;
            }
            std::uint32_t v = 0;
            auto res = std::from_chars(part.data(), part.data() + part.size(), v, base);
            if (res.ec != std::errc() || res.ptr != part.data() + part.size()) return false;
            out |= v;
        }
        if (bar == std::string_view::npos) break;
        text.remove_prefix(bar + 1);
    }
    return true;
}

}  // namespace epsim
