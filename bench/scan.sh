#!/bin/sh
# bench/scan.sh — a full 1-65535 TCP connect scan of 127.0.0.1 by wirelab and
# by `nmap -sT -p- -T4`, in one run, with the same few listeners open for all.
# wirelab is measured twice: `wirelab script` running scan.open("127.0.0.1",
# "1-65535") (what a student types, Lua start-up included), and
# bench/scanbench calling probe.TCPScan directly. Prints the times and the
# ratios. Every run of every scanner must report exactly the listeners open:
# a port outside them that reads open (a phantom) fails the benchmark. As
# root the whole benchmark runs in a network namespace of its own (unshare),
# where nothing else listens; otherwise ports that `ss` shows listening on
# 127.0.0.1 are allowed too. Needs go, nmap and python3.
# Usage: bench/scan.sh [runs]   (default 10)
# WIRELAB=/path/to/wirelab uses that binary instead of building one.
set -eu
runs=${1:-10}
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ] && [ -z "${WIRELAB_BENCH_NETNS:-}" ] && command -v unshare >/dev/null; then
	WIRELAB_BENCH_NETNS=1 exec unshare -n sh -c 'ip link set lo up && exec "$0" "$@"' "$0" "$@"
fi
tmp=$(mktemp -d)
trap 'exec 3>&-; rm -rf "$tmp"' EXIT

command -v nmap >/dev/null || { echo "error: nmap is not installed" >&2; exit 1; }
go build -o "$tmp/scanbench" ./bench/scanbench
script=""
wirelab=${WIRELAB:-}
if [ -z "$wirelab" ] && go build -o "$tmp/wirelab" . 2>"$tmp/build.log"; then
	wirelab="$tmp/wirelab"
fi
if [ -n "$wirelab" ]; then
	cat >"$tmp/scan.lua" <<'LUA'
local open = assert(scan.open("127.0.0.1", "1-65535"))
print(#open .. " open: " .. table.concat(open, " "))
LUA
	script="$wirelab script $tmp/scan.lua"
else
	echo "note: the wirelab binary does not build now; timing scanbench only" >&2
fi

# Listeners, open until fd 3 closes.
mkfifo "$tmp/in"
"$tmp/scanbench" -serve 3 <"$tmp/in" >"$tmp/ports" &
exec 3>"$tmp/in"
while [ ! -s "$tmp/ports" ]; do sleep 0.05; done
listening=$(cat "$tmp/ports")
# Ports other processes listen on (none in a namespace of our own).
others=""
if [ -z "${WIRELAB_BENCH_NETNS:-}" ] && command -v ss >/dev/null; then
	others=$(ss -Htln | awk '{n=split($4,a,":"); h=substr($4,1,length($4)-length(a[n])-1); if (h=="127.0.0.1"||h=="0.0.0.0"||h=="*"||h=="[::]") print a[n]}' | sort -un | tr '\n' ' ')
fi

echo "listeners:   $listening"
[ -z "$others" ] || echo "other listeners on 127.0.0.1 (allowed to read open): $others"
[ -z "${WIRELAB_BENCH_NETNS:-}" ] || echo "in a network namespace of its own: nothing else listens"
echo "every run of every scanner is checked: all listeners open, no other port open"

load=$(cut -d' ' -f1-3 /proc/loadavg)
# Runs are interleaved (nmap, scanbench, script, nmap, ...) rather than run in
# blocks as hyperfine does: on a shared machine the load drifts, and blocks
# would hand one scanner a quieter minute than the other.
python3 - "$runs" "$tmp/scanbench" "$script" "$listening" "$others" <<'PY'
import os, re, shlex, statistics, subprocess, sys, time
sys.path.insert(0, "bench")
from timed import timed
runs, bench, script = int(sys.argv[1]), sys.argv[2], sys.argv[3]
listeners = {int(p) for p in sys.argv[4].split()}
allowed = listeners | {int(p) for p in sys.argv[5].split()}
parse = {  # each scanner's open ports, from its standard output
    "nmap": lambda out: {int(m) for m in re.findall(r"(?m)^(\d+)/tcp\s+open\b", out)},
    "scanbench": lambda out: {int(m) for m in re.findall(r"(?m)^(\d+)/tcp open$", out)},
    "wirelab script": lambda out: {int(p) for p in out.split("open:", 1)[-1].split()},
}
phantoms = {}
cmds = [("nmap", ["nmap", "-sT", "-p-", "-T4", "127.0.0.1"]), ("scanbench", [bench])]
if script:
    cmds.append(("wirelab script", shlex.split(script)))
wall = {n: [] for n, _ in cmds}
cpu = {n: [] for n, _ in cmds}
for i in range(runs + 1):  # the first round warms caches and is not counted
    for name, argv in cmds:
        out, d, used = timed(name, argv)
        found = parse[name](out)
        if not listeners <= found:
            sys.exit("error: %s run %d missed listeners %s" % (name, i, sorted(listeners - found)))
        if found - allowed:
            phantoms.setdefault(name, []).append(sorted(found - allowed))
        if i:
            wall[name].append(d)
            cpu[name].append(used)
nm = statistics.median(wall["nmap"])
for name, _ in cmds:
    w = wall[name]
    line = "%-15s median %.3f s (min %.3f, max %.3f)  cpu %.3f s" % (
        name, statistics.median(w), min(w), max(w), statistics.median(cpu[name]))
    if name != "nmap":
        ratios = sorted(x / y for x, y in zip(w, wall["nmap"]))
        line += "  ratio to nmap %.2f (run by run: median %.2f, worst %.2f)" % (
            statistics.median(w) / nm, statistics.median(ratios), ratios[-1])
    print(line)
for name, _ in cmds:
    print("%-15s %d of %d runs with phantom open ports%s" % (name, len(phantoms.get(name, [])), runs + 1,
          (": " + " ".join(str(p) for p in phantoms[name])) if name in phantoms else ""))
if phantoms:
    sys.exit("error: ports outside the listeners read open")
PY
echo "goal: ratio at most 0.30, over $runs runs; load average before: $load"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(go version | cut -d' ' -f3), $(nmap --version | head -1 | sed 's/ (.*//'), kernel $(uname -r)"
