package capture

// BSD loopback encapsulation (DLT_NULL, DLT_LOOP): a four-byte address family.
var nullProto = protocol{name: "null", title: "BSD loopback", desc: "BSD loopback (DLT_NULL, DLT_LOOP) encapsulation", example: "null", bit: pNull, header: true}

// Raw IP (DLT_RAW): no link header. Wireshark names the layer raw in
// frame.protocols.
var rawProto = protocol{name: "raw", noField: true, bit: pRaw}
