// Package capture owns packets: where they come from (pcap and pcapng files, live
// AF_PACKET capture on Linux), how they are decoded into fields with Wireshark's
// names and meanings, how conversations are tracked (tcp.stream, relative
// sequence numbers, HTTP reassembly), and how captures are written as pcapng.
//
// Sources (files, live interfaces) produce Frames; a Decoder turns frames into
// Packets; a Packet is a filter.Record, so the filters of package capture/filter
// run on it. The protocol table (protocol.go, one file per protocol) holds each
// protocol's fields, ports, heuristic, decoder and Info text; the field registry
// returned by Fields is built from it and is the one list of fields the filter
// compiler, the fields output, the Lua packet API and docs/filters.md use.
//
// Nothing in this package knows about YAML, Lua or labs.
package capture
