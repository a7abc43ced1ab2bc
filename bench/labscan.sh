#!/bin/sh
# bench/labscan.sh [runs] — a full 1-65535 TCP connect scan over a lab
# segment, by `nmap -sT -p- -T4` and by wirelab's scan.open (what a student
# types: `wirelab script scan.lua`, Lua start-up included), side by side.
# `wirelab up` brings up a 2-host lab (client 10.0.0.10 and target 10.0.0.20
# on one switched segment: each its own network namespace, veth, bridge) with
# listeners on 22, 80 and 8080; one `wirelab exec` in the client runs both
# scanners interleaved (nmap, wirelab, nmap, ...; one uncounted warm-up round)
# and times each. Every run of each scanner must report exactly the three
# listeners open. Prints medians, CPU times and the ratio. Needs go, nmap and
# python3; works as root and as an ordinary user (user namespaces).
# Usage: bench/labscan.sh [runs]   (default 5)
set -eu
runs=${1:-5}
cd "$(dirname "$0")/.."
command -v nmap >/dev/null || { echo "error: nmap is not installed" >&2; exit 1; }
tmp=$(mktemp -d)
chmod 755 "$tmp"
name=labscan-$$
up=""
trap '[ -z "$up" ] || kill -INT "$up" 2>/dev/null; rm -rf "$tmp"' EXIT
go build -o "$tmp/wirelab" .
mkdir "$tmp/lab"
cat >"$tmp/lab/lab.yaml" <<'YAML'
lab: labscan
title: A full TCP scan over a lab segment
hosts:
  client: 10.0.0.10
  target: 10.0.0.20
services:
  - {name: ssh, kind: tcp-echo, listen: "target:22"}
  - {name: web, kind: tcp-echo, listen: "target:80"}
  - {name: alt, kind: tcp-echo, listen: "target:8080"}
submission:
  file: scan.lua
checks:
  - name: scanned
    packet: ip.src == 10.0.0.10 && ip.dst == 10.0.0.20 && tcp.flags.syn == 1
YAML
cat >"$tmp/lab/scan.lua" <<'LUA'
local open = assert(scan.open("10.0.0.20", "1-65535"))
print(#open .. " open: " .. table.concat(open, " "))
LUA
cp bench/timed.py "$tmp/lab/"
cat >"$tmp/lab/inner.py" <<'PY'
import os, re, statistics, subprocess, sys, time
from timed import timed
runs = int(sys.argv[1])
want = {22, 80, 8080}
parse = {
    "nmap": lambda out: {int(m) for m in re.findall(r"(?m)^(\d+)/tcp\s+open\b", out)},
    "wirelab": lambda out: {int(p) for p in out.split("open:", 1)[-1].split()},
}
cmds = [("nmap", ["nmap", "-sT", "-p-", "-T4", "-n", "10.0.0.20"]), ("wirelab", ["wirelab", "script", "scan.lua"])]
wall = {n: [] for n, _ in cmds}
cpu = {n: [] for n, _ in cmds}
for i in range(runs + 1):
    for name, argv in cmds:
        out, d, used = timed(name, argv)
        if parse[name](out) != want:
            sys.exit("error: %s run %d found open %s, want %s" % (name, i, sorted(parse[name](out)), sorted(want)))
        if i:
            wall[name].append(d)
            cpu[name].append(used)
nm = statistics.median(wall["nmap"])
for name, _ in cmds:
    w = wall[name]
    line = "%-8s median %.3f s (min %.3f, max %.3f)  cpu %.3f s" % (name, statistics.median(w), min(w), max(w), statistics.median(cpu[name]))
    if name != "nmap":
        r = sorted(x / y for x, y in zip(w, wall["nmap"]))
        line += "  ratio to nmap %.2f (run by run: median %.2f, worst %.2f); cpu ratio %.2f" % (
            statistics.median(w) / nm, statistics.median(r), r[-1], statistics.median(cpu[name]) / statistics.median(cpu["nmap"]))
    print(line)
PY
load=$(cut -d' ' -f1-3 /proc/loadavg)
"$tmp/wirelab" up "$tmp/lab" --name "$name" >"$tmp/up.out" 2>&1 &
up=$!
while ! grep -q "^services log:" "$tmp/up.out"; do
	kill -0 "$up" 2>/dev/null || { cat "$tmp/up.out" >&2; exit 1; }
	sleep 0.1
done
echo "lab up as $name: client 10.0.0.10 scans target 10.0.0.20 (listeners 22, 80, 8080) across the segment, $runs runs each"
(cd "$tmp/lab" && "$tmp/wirelab" exec "$name" client -- python3 inner.py "$runs")
echo "load average before: $load, after: $(cut -d' ' -f1-3 /proc/loadavg); user: $(id -un)"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(go version | cut -d' ' -f3), $(nmap --version | head -1 | sed 's/ (.*//'), kernel $(uname -r)"
