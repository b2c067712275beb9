#!/bin/sh
# Renders the screenshots of docs/gui.md with epviz itself, under Xvfb.
#   viz/make-screenshots.sh [BUILD_DIR]     (default: build)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
v=$build/viz/epviz
s=$root/scenarios
out=$root/docs/img
mkdir -p "$out"
[ -x "$v" ] || { echo "make-screenshots: $v not built" >&2; exit 2; }
xvfb-run -a -s "-screen 0 1280x800x24" sh -c "
  '$v' '$s/basics/lt-2kb.scn' --line 11 --screenshot '$out/gui-overview.png' &&
  '$v' '$s/ordering/ovflist-window.scn' --step 85 --screenshot '$out/gui-rotation.png' &&
  '$v' '$s/ordering/ovflist-window.scn' --step 129 --screenshot '$out/gui-ovflist.png' &&
  '$v' '$s/threads/exclusive-herd.scn' --step 54 --screenshot '$out/gui-threads.png' &&
  '$v' '$s/lifetime/fork-shared.scn' --step end --screenshot '$out/gui-fork.png' &&
  '$v' '$s/nested/edges-through-levels.scn' --step end --screenshot '$out/gui-nested.png' &&
  '$v' '$s/basics/et-2kb.scn' --step end --overlay help --screenshot '$out/gui-help.png' &&
  '$v' '$s/basics/et-2kb.scn' --step end --overlay mirror --screenshot '$out/gui-mirror.png' &&
  '$v' '$s/basics/et-2kb.scn' --line 12 --zoom 1.5 --screenshot '$out/gui-zoom.png' &&
  '$v' '$s/scale/gui-10k.scn' --step end --screenshot '$out/gui-10k.png' &&
  '$v' '$s/scale/gui-10k.scn' --step end --tree-zoom 600 --screenshot '$out/gui-10k-zoom.png' &&
  '$v' --big-tree 1000000 --screenshot '$out/gui-1m.png' &&
  '$v' '$s/coursework/et-2kb.scn' --question 3 --draft '1 [p.r: EPOLLIN]' --screenshot '$out/gui-predict-ask.png' &&
  '$v' '$s/coursework/et-2kb.scn' --question 3 --answer '1 [p.r: EPOLLIN]' --screenshot '$out/gui-predict-reveal.png' &&
  '$v' --drill 3 --drill-move rotl:8 --screenshot '$out/gui-predict-drill.png'
"
