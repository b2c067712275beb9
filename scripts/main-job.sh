#!/usr/bin/env bash
# The README's main job, after the build: the seeds' LT-vs-ET pipe example.
#  - With a display: opens epviz on the level-triggered scenario (the edge-triggered one is in
#    the scenario picker, key o).
#  - Without one: renders key steps of both scenarios under Xvfb, prints the PNG paths, and
#    prints the model-vs-kernel mirror table. Exits 0 when all of that worked.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
lt=scenarios/basics/lt-2kb.scn
et=scenarios/basics/et-2kb.scn

if [[ -n "${DISPLAY:-}" && -x "$build/viz/epviz" ]]; then
  exec "$build/viz/epviz" "$lt"
fi

"$build/cli/epsim" demo --quiet
if [[ -x "$build/viz/epviz" ]] && command -v xvfb-run >/dev/null; then
  out=${OUT_DIR:-$build/screenshots}
  mkdir -p "$out"
  # line 11: the write that queues the epitem; 12: the first harvest; 18: LT reports again;
  # for ET, line 13: nothing is reported after the partial read.
  for spec in "$lt:11:lt-write" "$lt:12:lt-harvest" "$lt:18:lt-again" "$et:13:et-nothing"; do
    IFS=: read -r file line name <<<"$spec"
    xvfb-run -a -s "-screen 0 1280x800x24" "$build/viz/epviz" "$file" --line "$line" \
      --screenshot "$out/$name.png" >/dev/null
    echo "screenshot: $out/$name.png"
  done
else
  echo "(epviz or xvfb-run missing: no screenshots)"
fi
"$build/cli/epsim" mirror "$lt" "$et"
