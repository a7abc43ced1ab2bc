#!/usr/bin/env bash
# Grading speed (issue 7): 100 submissions of labs/http-client graded with
# `wirelab grade` on this machine's CPUs, and the median per-run overhead of one
# sandboxed run (namespace, services, capture, Lua start, evaluation) measured on
# a submission that does nothing.
#
# usage: bench/grade.sh [submissions] [overhead-runs]     (as root, or with user namespaces)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
runs=${2:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

CGO_ENABLED=0 go build -o "$work/wirelab" .
wl="$work/wirelab"

mkdir -p "$work/class"
for i in $(seq -w 1 "$n"); do
  cp labs/http-client/solution.lua "$work/class/student$i.lua"
done

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(go version | cut -d' ' -f3), load $(cut -d' ' -f1 /proc/loadavg)"

start=$(date +%s.%N)
"$wl" grade labs/http-client "$work/class" --out "$work/grades" >/dev/null 2>"$work/grade.log" || { cat "$work/grade.log"; exit 1; }
end=$(date +%s.%N)
passed=$(grep -c ',passed' "$work/grades/summary.csv" || true)
printf 'grade: %d submissions in %.2f s (%d passed) with --jobs %d\n' "$n" "$(awk "BEGIN {print $end - $start}")" "$passed" "$(nproc)"

# Per-run overhead: the whole `wirelab run` of a submission that does nothing,
# less nothing: the script's own time is ~0.
echo '-- does nothing' > "$work/empty.lua"
: > "$work/times"
for i in $(seq 1 "$runs"); do
  s=$(date +%s%N)
  "$wl" run labs/http-client --submission "$work/empty.lua" --out "$work/run$i" >/dev/null 2>&1 || true
  e=$(date +%s%N)
  echo $(( (e - s) / 1000000 )) >> "$work/times"
done
sort -n "$work/times" > "$work/sorted"
median=$(awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}' "$work/sorted")
printf 'overhead: median %s ms per run over %d runs (min %s ms, max %s ms), process start included\n' \
  "$median" "$runs" "$(head -1 "$work/sorted")" "$(tail -1 "$work/sorted")"
