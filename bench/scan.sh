#!/bin/sh
# bench/scan.sh — a full 1-65535 TCP connect scan of 127.0.0.1 by wirelab and
# by `nmap -sT -p- -T4`, in one run, with the same few listeners open for both.
# wirelab is measured twice: `wirelab script` running scan.open("127.0.0.1",
# "1-65535") (what a student types, Lua start-up included), and
# bench/scanbench calling probe.TCPScan directly. Prints the times and the
# ratios. Needs go, nmap, python3; uses hyperfine when installed.
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
if command -v hyperfine >/dev/null; then
	if [ -n "$script" ]; then
		set -- -n "wirelab script" "$script"
	else
		set --
	fi
	hyperfine -N --warmup 1 --runs "$runs" --export-json "$tmp/h.json" \
		-n nmap "nmap -sT -p- -T4 127.0.0.1" \
		-n scanbench "$tmp/scanbench" "$@" >&2
	python3 - "$tmp/h.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
nmap = r[0]
for x in r:
    cpu = x["user"] + x["system"]
    line = "%-15s median %.3f s (sd %.3f)  cpu %.3f s" % (x["command"], x["median"], x["stddev"], cpu)
    if x is not nmap:
        line += "  ratio to nmap %.2f" % (x["median"] / nmap["median"])
    print(line)
PY
else
	t() { s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }
	ours_s=0 theirs_s=0
	for _ in $(seq "$runs"); do
		ours_s=$(echo "$ours_s + $(t "$tmp/scanbench")" | bc -l)
		theirs_s=$(echo "$theirs_s + $(t nmap -sT -p- -T4 127.0.0.1)" | bc -l)
	done
	python3 -c "o=$ours_s/$runs; n=$theirs_s/$runs; print('scanbench mean %.3f s  nmap mean %.3f s  ratio %.2f' % (o, n, o/n))"
fi
echo "goal: ratio at most 0.50, over $runs runs; load average before: $load"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(go version | cut -d' ' -f3), $(nmap --version | head -1 | sed 's/ (.*//'), kernel $(uname -r)"
