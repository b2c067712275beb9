#!/usr/bin/env bash
# Installs what epsim needs from Debian bookworm's packages, only what is missing.
# Run as root on a fresh Debian machine (CI does). Nothing is downloaded at build time.
set -euo pipefail
pkgs=(build-essential cmake pkg-config catch2 libbenchmark-dev clang-14
      libimgui-dev libglfw3-dev libgl-dev libstb-dev xvfb xauth gnuplot-nox)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "install-deps: everything is already installed"
fi
