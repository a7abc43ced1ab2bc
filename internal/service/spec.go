// Package service owns the services a lab runs beside the submission (http,
// tcp-echo, udp-echo, banner, lua, replay): their YAML shape, their validation and
// running them inside the lab's network.
package service

// Spec is one entry of a lab's `services:` list, decoded strictly from YAML. The
// options of every kind share one struct; validation rejects options that do not
// belong to the service's kind.
type Spec struct {
	Name   string `yaml:"name"`
	Kind   string `yaml:"kind"`
	Listen string `yaml:"listen"` // host:port; host is a name from the lab's hosts or an address

	// Connect, instead of Listen, makes a lua service a lab-side client of the
	// submission: host:port of the server the submission runs. Its script
	// defines run(target), called once after the submission starts; a run
	// with client services ends normally once every client has finished.
	Connect string `yaml:"connect,omitempty"`
	// From is the lab host a client service connects from. Default: the first
	// of the lab's hosts that is neither the submission's host nor Connect's.
	From string `yaml:"from,omitempty"`

	// http
	Routes map[string]Route `yaml:"routes,omitempty"`

	// banner
	Banner  string       `yaml:"banner,omitempty"`
	Dialog  []DialogStep `yaml:"dialog,omitempty"`
	Unknown string       `yaml:"unknown,omitempty"` // reply to a dialog line no step expects

	// lua
	Script   string `yaml:"script,omitempty"`   // file in the lab's folder defining handle(conn)
	Protocol string `yaml:"protocol,omitempty"` // tcp (default) or udp, for lua services

	// replay
	Capture string `yaml:"capture,omitempty"` // pcap/pcapng in the lab's folder
	Stream  int    `yaml:"stream,omitempty"`  // tcp.stream index of the conversation to serve
}

// Route is what an http service answers for one path.
type Route struct {
	Status  int               `yaml:"status,omitempty"` // default 200
	Body    string            `yaml:"body,omitempty"`
	File    string            `yaml:"file,omitempty"` // in the lab's folder; instead of body
	Headers map[string]string `yaml:"headers,omitempty"`
}

// DialogStep answers a line the client sends: the first step whose Expect the line
// contains sends its Send.
type DialogStep struct {
	Expect string `yaml:"expect"`
	Send   string `yaml:"send"`
}
