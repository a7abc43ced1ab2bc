#!/bin/sh
# bench/evaluate.sh — the grader's memory: the peak resident memory of
# `wirelab verify` grading a capture as large as a run may write
# (sandbox.DefaultMaxCapture, 256 MiB), with labs/http-client's checks.
# Two captures from bench/httpgen, both in the lab's shape (tcp port 80):
#   lab   — every conversation between the lab's client and server
#           (10.0.0.10 → 10.0.0.80): the checks pass, and the handshake
#           sequence keeps every conversation's matches;
#   other — every conversation from another client: the handshake never
#           starts, and the report looks for the nearest miss in every frame.
# With WIRELAB_OLD=/path/to/wirelab it grades them with that build too, and
# checks that both give the same result (the json report but its start time
# and duration).
# Usage: bench/evaluate.sh [MiB]   (default 256)
set -eu
mib=${1:-256}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go build -o "$tmp/wirelab" .
go build -o "$tmp/httpgen" ./bench/httpgen
# bench/httpgen writes about 96.5 bytes a frame (pcap header included).
n=$((mib * 1048576 * 2 / 193))
"$tmp/httpgen" -n "$n" -o "$tmp/lab.pcap" -client 10.0.0.10 -server 10.0.0.80
"$tmp/httpgen" -n "$n" -o "$tmp/other.pcap" -server 10.0.0.80
echo "captures: $n frames each, lab.pcap $(du -m "$tmp/lab.pcap" | cut -f1) MiB, other.pcap $(du -m "$tmp/other.pcap" | cut -f1) MiB"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# grade NAME BINARY CAPTURE: the json report goes to $tmp/NAME.json; prints
# "peak RSS, wall, CPU".
grade() {
	/usr/bin/time -f '%M %e %U %S' -o "$tmp/$1.time" "$2" verify labs/http-client "$3" --format json="$tmp/$1.json" >/dev/null || true
	tail -n 1 "$tmp/$1.time" | awk '{printf "peak RSS %.0f MiB, wall %.2f s, CPU %.2f s\n", $1/1024, $2, $3+$4}'
}

same() {
	python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for r in (a, b):
    r.pop("start", None)
    r.pop("duration", None)
sys.exit(a != b)
' "$1" "$2"
}

for c in lab other; do
	echo "$c: wirelab $(grade "new-$c" "$tmp/wirelab" "$tmp/$c.pcap")"
	if [ -n "${WIRELAB_OLD:-}" ]; then
		echo "$c: WIRELAB_OLD $(grade "old-$c" "$WIRELAB_OLD" "$tmp/$c.pcap")"
		same "$tmp/old-$c.json" "$tmp/new-$c.json" || { echo "error: the two builds' results on $c.pcap differ" >&2; exit 1; }
		echo "$c: the same result"
	fi
done
