#!/bin/sh
# bench/packets.sh — the packet engine on a synthetic HTTP capture, against
# tshark and tcpdump: how fast `wirelab packets --count` filters N packets with
# an L2–L4 filter and with an HTTP filter, next to `tshark -Y ... | wc -l` and
# `tcpdump -r ... | wc -l` on the same file. Checks first that all three count
# the same packets. wirelab runs on one core (GOMAXPROCS=1). Uses hyperfine
# when installed. Reports wall time and CPU time (user+system): on a shared,
# busy machine the CPU time is the number that means something, and packets/s
# is computed from it.
# Usage: bench/packets.sh [packets] [runs]   (defaults 500000 and 5)
set -eu
n=${1:-500000}
runs=${2:-5}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go build -o "$tmp/wirelab" .
go build -o "$tmp/httpgen" ./bench/httpgen
"$tmp/httpgen" -n "$n" -o "$tmp/http.pcap"
pcap=$tmp/http.pcap
packets=$("$tmp/wirelab" packets "$pcap" --count)
echo "capture: $packets packets, $(du -m "$pcap" | cut -f1) MiB (bench/httpgen)"

l4='tcp.port == 80 && tcp.flags.syn == 1'
http='http.response.code == 200'
bpf='tcp port 80 and tcp[tcpflags] & tcp-syn != 0'

wl="env GOMAXPROCS=1 $tmp/wirelab packets $pcap --count"
have_tshark=$(command -v tshark >/dev/null && echo y || echo n)
have_tcpdump=$(command -v tcpdump >/dev/null && echo y || echo n)

# Same answers first. -n everywhere: no name lookups.
w4=$($wl -Y "$l4")
wh=$($wl -Y "$http")
wb=$($wl -f "$bpf")
echo "matches: L2-L4 filter $w4, HTTP filter $wh, capture filter $wb (wirelab)"
[ "$wb" = "$w4" ] || { echo "error: wirelab's capture and display filters disagree" >&2; exit 1; }
if [ "$have_tshark" = y ]; then
	t4=$(tshark -n -r "$pcap" -Y "$l4" 2>/dev/null | wc -l)
	th=$(tshark -n -r "$pcap" -Y "$http" 2>/dev/null | wc -l)
	echo "matches: L2-L4 filter $t4, HTTP filter $th (tshark)"
	[ "$t4" = "$w4" ] && [ "$th" = "$wh" ] || { echo "error: wirelab and tshark disagree" >&2; exit 1; }
fi
if [ "$have_tcpdump" = y ]; then
	d4=$(tcpdump -n -r "$pcap" "$bpf" 2>/dev/null | wc -l)
	echo "matches: L2-L4 filter $d4 (tcpdump)"
	[ "$d4" = "$w4" ] || { echo "error: wirelab and tcpdump disagree" >&2; exit 1; }
fi

# time NAME COMMAND: "WALL CPU", the median wall seconds and the mean CPU
# seconds (user+system) of COMMAND, through hyperfine when present.
time_cmd() {
	if command -v hyperfine >/dev/null; then
		hyperfine --warmup 1 --runs "$runs" --export-json "$tmp/h.json" -n "$1" "$2" >&2
		python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.4f %.4f" % (r["median"], r["user"] + r["system"]))' "$tmp/h.json"
	else
		python3 - "$2" "$runs" <<'PY'
import resource, subprocess, sys, time
cmd, runs = sys.argv[1], int(sys.argv[2])
ts, cpu = [], 0.0
for _ in range(runs):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter(); subprocess.run(cmd, shell=True, check=True, stdout=subprocess.DEVNULL); ts.append(time.perf_counter() - t)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu += (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
ts.sort(); print("%.4f %.4f" % (ts[len(ts) // 2], cpu / runs))
PY
	fi
}

results=$tmp/results
: >"$results"
row() { # filter tool "wall cpu"
	echo "$1 $2 $3" >>"$results"
}
row l4 wirelab "$(time_cmd wirelab-l4 "$wl -Y '$l4'")"
row http wirelab "$(time_cmd wirelab-http "$wl -Y '$http'")"
# The capture-filter path: tcpdump's BPF filter, tested on the undecoded frame.
row bpf wirelab "$(time_cmd wirelab-bpf "$wl -f '$bpf'")"
if [ "$have_tshark" = y ]; then
	row l4 tshark "$(time_cmd tshark-l4 "tshark -n -r $pcap -Y '$l4' | wc -l")"
	row http tshark "$(time_cmd tshark-http "tshark -n -r $pcap -Y '$http' | wc -l")"
fi
if [ "$have_tcpdump" = y ]; then
	row l4 tcpdump "$(time_cmd tcpdump-l4 "tcpdump -n -r $pcap '$bpf' 2>/dev/null | wc -l")"
	# tcpdump's time above is nearly all spent printing the matches: its BPF
	# filter alone, writing the matches to /dev/null, for comparison.
	row bpf tcpdump-w-/dev/null "$(time_cmd tcpdump-l4-nul "tcpdump -n -r $pcap -w /dev/null '$bpf' 2>/dev/null")"
fi

echo
echo "packets: $packets"
python3 - "$results" "$packets" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
n = int(sys.argv[2])
names = {"l4": "L2-L4 `tcp.port == 80 && tcp.flags.syn == 1`", "http": "HTTP `http.response.code == 200`",
         "bpf": "L2-L4 capture filter `tcp port 80 and tcp[tcpflags] & tcp-syn != 0`"}
ours = {f: float(c) for f, t, w, c in rows if t == "wirelab"}
print("| filter | tool | wall s (median) | CPU s (user+sys) | packets/s (CPU) | CPU time vs wirelab |")
print("| --- | --- | ---: | ---: | ---: | ---: |")
for f, t, w, c in rows:
    w, c = float(w), float(c)
    print("| %s | %s | %.3f | %.3f | %s | %s |" % (names[f], t, w, c, format(int(n / c), ",") if c > 0 else "-",
          "%.1f×" % (c / ours[f]) if ours.get(f) else "-"))
PY
