#!/bin/sh
# bench/scan.sh — a full 1-65535 TCP connect scan of 127.0.0.1 by wirelab's
# scan engine (probe.TCPScan, what scan.tcp/scan.open call) and by
# `nmap -sT -p- -T4`, in one run, with the same few listeners open for both.
# Prints both times and their ratio. Needs go and nmap; uses hyperfine when
# installed. Usage: bench/scan.sh [runs]   (default 10)
set -eu
runs=${1:-10}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'exec 3>&-; rm -rf "$tmp"' EXIT

command -v nmap >/dev/null || { echo "error: nmap is not installed" >&2; exit 1; }
go build -o "$tmp/scanbench" ./bench/scanbench

# Listeners, open until fd 3 closes.
mkfifo "$tmp/in"
"$tmp/scanbench" -serve 3 <"$tmp/in" >"$tmp/ports" &
exec 3>"$tmp/in"
while [ ! -s "$tmp/ports" ]; do sleep 0.05; done
listening=$(cat "$tmp/ports")

# Both scanners must find every listener (and agree on the rest).
ours=$("$tmp/scanbench" | awk -F/ '/\/tcp open/ {print $1}' | sort -n | tr '\n' ' ')
theirs=$(nmap -sT -p- -T4 -oG - 127.0.0.1 | tr ',' '\n' | awk -F/ '/open/ {gsub(/.*: */,"",$1); print $1+0}' | sort -n | tr '\n' ' ')
for p in $listening; do
	case " $ours " in *" $p "*) ;; *) echo "error: wirelab missed listener $p (found: $ours)" >&2; exit 1;; esac
	case " $theirs " in *" $p "*) ;; *) echo "error: nmap missed listener $p (found: $theirs)" >&2; exit 1;; esac
done
echo "listeners: $listening"
echo "open (wirelab): $ours"
echo "open (nmap):    $theirs"

if command -v hyperfine >/dev/null; then
	hyperfine -N --warmup 1 --runs "$runs" --export-json "$tmp/h.json" \
		-n wirelab "$tmp/scanbench" \
		-n nmap "nmap -sT -p- -T4 127.0.0.1" >&2
	w=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print("%.3f %.3f %.3f %.3f" % (r[0]["median"], r[0]["stddev"], r[1]["median"], r[1]["stddev"]))' "$tmp/h.json")
	set -- $w
	ours_s=$1 theirs_s=$3
	echo "wirelab: median $1 s (sd $2)  nmap: median $3 s (sd $4)  over $runs runs"
else
	t() { s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }
	ours_s=0 theirs_s=0
	for _ in $(seq "$runs"); do
		ours_s=$(echo "$ours_s + $(t "$tmp/scanbench")" | bc -l)
		theirs_s=$(echo "$theirs_s + $(t nmap -sT -p- -T4 127.0.0.1)" | bc -l)
	done
	ours_s=$(echo "scale=3; $ours_s / $runs" | bc -l)
	theirs_s=$(echo "scale=3; $theirs_s / $runs" | bc -l)
	echo "wirelab: mean $ours_s s  nmap: mean $theirs_s s  over $runs runs"
fi
ratio=$(python3 -c "print('%.2f' % ($ours_s / $theirs_s))")
echo "ratio wirelab/nmap: $ratio (goal: at most 0.50)"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(go version | cut -d' ' -f3), $(nmap --version | head -1), kernel $(uname -r)"
