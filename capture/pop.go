package capture

import "github.com/wirelab-dev/wirelab/capture/filter"

// POP3 (TCP port 110): commands and +OK/-ERR responses; only the first line is
// parsed.
var popProto = protocol{
	name: "pop", title: "POP", desc: "Post Office Protocol (version 3)", example: "pop",
	strEnc:   encASCII,
	tcpPorts: []uint16{110},
	decode:   decodeText,
	info: func(p *Packet) (string, string) {
		if p.app.req {
			return "POP", "C: " + string(firstLine(p.app.payload))
		}
		return "POP", "S: " + string(firstLine(p.app.payload))
	},
	fields: []field{
		{name: "pop.request", typ: filter.None, desc: "The segment is a command", example: "pop.request",
			get: appMarker(func(a *appInfo) bool { return a.req })},
		{name: "pop.request.command", typ: filter.String, desc: "Command: USER, PASS, STAT, LIST, RETR, DELE, QUIT ...", example: `pop.request.command == "RETR"`,
			get: appText(requestCommand)},
		{name: "pop.request.parameter", typ: filter.String, desc: "Command parameter", example: `pop.request.parameter == "1"`,
			get: appText(requestArg)},
		{name: "pop.response", typ: filter.None, desc: "The segment is a response", example: "pop.response",
			get: appMarker(func(a *appInfo) bool { return !a.req })},
		{name: "pop.response.indicator", typ: filter.String, desc: "Status: +OK or -ERR", example: `pop.response.indicator == "-ERR"`,
			get: appText(func(a *appInfo) []byte {
				if a.req {
					return nil
				}
				ind, _ := word(firstLine(a.payload))
				return ind
			})},
		{name: "pop.response.description", typ: filter.String, desc: "Text after the status", example: `pop.response.description contains "octets"`,
			get: appText(func(a *appInfo) []byte {
				if a.req {
					return nil
				}
				if _, desc := word(firstLine(a.payload)); len(desc) > 0 {
					return desc
				}
				return nil
			})},
	},
}
