#!/bin/sh
# Records tshark's answers for the synthetic captures and http-get.pcap. Run from
# this directory after `go test -run TestGenerate -gen` (tests never run tshark):
#   sh tshark.sh
set -e
args=""
for f in $(cat fields.txt); do args="$args -e $f"; done
for p in *.pcap; do
	n=${p%.pcap}
	tshark -n -r "$p" > "$n.tshark.txt" 2>/dev/null
	tshark -r "$p" -T fields $args > "$n.tshark-fields.txt" 2>/dev/null
done
c=../../../../shared/corpus/captures/http-get.pcap
tshark -n -r $c > ../http-get.tshark.txt 2>/dev/null
tshark -r $c -Y 'http.response.code == 200' > ../http-get.200.tshark.txt 2>/dev/null
tshark -r $c -T fields -e frame.number -e tcp.stream -e tcp.seq -e tcp.ack -e tcp.len -e tcp.flags -e tcp.nxtseq -e http.request.uri -e http.response.code > ../http-get.fields.tshark.txt 2>/dev/null
tshark -r $c -T fields $args > ../http-get.tshark-fields.txt 2>/dev/null
tshark -v 2>/dev/null | head -1 > VERSION
# Captures of tcpdump's suite that wirelab prints exactly as tshark does.
for g in ../corpus/*.tshark.txt; do
	n=$(basename "$g" .tshark.txt)
	tshark -n -r "../../../../shared/corpus/tcpdump-tests/$n" > "$g" 2>/dev/null
done
