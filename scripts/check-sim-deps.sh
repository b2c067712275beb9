#!/usr/bin/env bash
# Proves sim/ needs nothing but the C++ standard library:
#  1. every #include in sim/ is a sim/ header or a standard library header;
#  2. the built library calls no host syscall wrapper (epoll_*, pipe, read, socket, ...).
# Usage: check-sim-deps.sh SIM_DIR LIBEPSIM_SIM.a
set -euo pipefail
sim_dir=$1
lib=$2
std_headers=" algorithm array atomic cassert cerrno charconv chrono cinttypes climits cmath cstddef cstdint cstdio cstdlib cstring deque functional initializer_list iomanip iterator limits list map memory mutex numeric optional queue random set sstream stdexcept string string_view tuple type_traits unordered_map unordered_set utility variant vector span bit compare concepts memory_resource new "
fail=0
while IFS= read -r line; do
  file=${line%%:*}
  hdr=$(sed -E 's/.*#include[[:space:]]*[<"]([^>"]+)[>"].*/\1/' <<<"$line")
  if [[ $line == *'"'* ]]; then
    [[ -f "$sim_dir/$hdr" ]] || { echo "$file: includes \"$hdr\", which is not a sim/ header"; fail=1; }
  else
    [[ $std_headers == *" $hdr "* ]] || { echo "$file: includes <$hdr>, not a standard C++ header"; fail=1; }
  fi
done < <(grep -H '^[[:space:]]*#include' "$sim_dir"/*.h "$sim_dir"/*.cpp)

forbidden='^(epoll_create|epoll_create1|epoll_ctl|epoll_wait|epoll_pwait|epoll_pwait2|pipe|pipe2|eventfd|socket|socketpair|bind|listen|connect|accept|accept4|read|write|close|dup|dup2|fcntl|poll|fork|open|shutdown|pthread_create|pthread_kill|kill|syscall|ioctl|glfwInit|ImGui.*)$'
bad=$(nm -u --format=just-symbols "$lib" | sed 's/@.*//' | sort -u | grep -E "$forbidden" || true)
if [[ -n $bad ]]; then
  echo "libepsim_sim calls host functions it must not:"
  echo "$bad"
  fail=1
fi
if [[ $fail == 0 ]]; then
  echo "sim/: standard library only (includes and symbols checked)"
fi
exit $fail
