#!/bin/sh
# bench/scan.sh — a full 1-65535 TCP connect scan of 127.0.0.1 by wirelab and
# by `nmap -sT -p- -T4`, in one run, with the same few listeners open for both.
# wirelab is measured twice: `wirelab script` running scan.open("127.0.0.1",
# "1-65535") (what a student types, Lua start-up included), and
# bench/scanbench calling probe.TCPScan directly. Prints the times and the
# ratios. Needs go, nmap and python3.
# Usage: bench/scan.sh [runs]   (default 10)
# WIRELAB=/path/to/wirelab uses that binary instead of building one.
set -eu
runs=${1:-10}
cd "$(dirname "$0")/.."
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

# Every scanner must find every listener.
ours=$("$tmp/scanbench" | awk -F/ '/\/tcp open/ {print $1}' | sort -n | tr '\n' ' ')
theirs=$(nmap -sT -p- -T4 -oG - 127.0.0.1 | tr ',' '\n' | awk -F/ '/open/ {gsub(/.*: */,"",$1); print $1+0}' | sort -n | tr '\n' ' ')
lua=""
[ -n "$script" ] && lua=$($script | sed 's/.*open: //')
for p in $listening; do
	case " $ours " in *" $p "*) ;; *) echo "error: scanbench missed listener $p (found: $ours)" >&2; exit 1;; esac
	case " $theirs " in *" $p "*) ;; *) echo "error: nmap missed listener $p (found: $theirs)" >&2; exit 1;; esac
	[ -z "$script" ] || case " $lua " in *" $p "*) ;; *) echo "error: wirelab script missed listener $p (found: $lua)" >&2; exit 1;; esac
done
echo "listeners:          $listening"
echo "open (scanbench):   $ours"
[ -z "$script" ] || echo "open (wirelab lua): $lua"
echo "open (nmap):        $theirs"

load=$(cut -d' ' -f1-3 /proc/loadavg)
# Runs are interleaved (nmap, scanbench, script, nmap, ...) rather than run in
# blocks as hyperfine does: on a shared machine the load drifts, and blocks
# would hand one scanner a quieter minute than the other.
python3 - "$runs" "$tmp/scanbench" "$script" <<'PY'
import os, shlex, statistics, subprocess, sys, time
runs, bench, script = int(sys.argv[1]), sys.argv[2], sys.argv[3]
cmds = [("nmap", ["nmap", "-sT", "-p-", "-T4", "127.0.0.1"]), ("scanbench", [bench])]
if script:
    cmds.append(("wirelab script", shlex.split(script)))
wall = {n: [] for n, _ in cmds}
cpu = {n: [] for n, _ in cmds}
for i in range(runs + 1):  # the first round warms caches and is not counted
    for name, argv in cmds:
        t = time.perf_counter()
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        d = time.perf_counter() - t
        if status != 0:
            sys.exit("error: %s failed" % name)
        if i:
            wall[name].append(d)
            cpu[name].append(ru.ru_utime + ru.ru_stime)
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
PY
echo "goal: ratio at most 0.50, over $runs runs; load average before: $load"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(go version | cut -d' ' -f3), $(nmap --version | head -1 | sed 's/ (.*//'), kernel $(uname -r)"
