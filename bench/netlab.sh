#!/usr/bin/env bash
# bench/netlab.sh [count]: set-up plus teardown of a lab's network
# (internal/netlab Build + Close), as root and as an ordinary user (nobody, in
# a user namespace of its own, as an unprivileged run is): (a) 2 hosts on one
# segment, (b) 6 hosts, 2 of them routers, on 3 segments, IPv4 and IPv6, with
# one impaired link (the server's cable, a wire wirelab carries). Back to
# back, and paced (a pause between labs, not counted, so the kernel's
# background freeing of the previous lab's namespaces does not compete).
# Besides the total per lab (ns/op) each line gives set-up (Build),
# teardown (Close) and, of set-up, Build's wait for every interface to carry
# (carrier-ms/op), in milliseconds.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-3}
dir=$(mktemp -d /tmp/wirelab-netbench.XXXXXX)
trap 'rm -rf "$dir"' EXIT
chmod 755 "$dir"
go test -c -o "$dir/netlab.test" ./internal/netlab
chmod 755 "$dir/netlab.test"
cd "$dir"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== root"
./netlab.test -test.run XXX -test.bench . -test.benchtime 20x -test.count "$count" | grep ^Benchmark
echo "== nobody (user namespace)"
setpriv --reuid 65534 --regid 65534 --clear-groups unshare --user --map-root-user --net \
  ./netlab.test -test.run XXX -test.bench . -test.benchtime 20x -test.count "$count" | grep ^Benchmark
