// Package runner owns labs: the lab file's schema, loading it strictly with
// positioned errors, compiling its filters and checks once, running a submission
// in a sandbox, and evaluating the checks over what the run left behind (a
// capture, the script's output, its events and how it ended) into a result.Result.
//
// Loading and evaluating are separate so that a recorded capture (`wirelab
// verify`) is graded by the same code as a live run (`wirelab run`).
package runner

import (
	"net/netip"
	"regexp"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/wirelab-dev/wirelab/capture/filter"
	"github.com/wirelab-dev/wirelab/internal/netlab"
	"github.com/wirelab-dev/wirelab/internal/sandbox"
	"github.com/wirelab-dev/wirelab/internal/service"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// Defaults for keys a lab may leave out.
const (
	DefaultTimeout = 10 * time.Second
	DefaultPoints  = 1.0
	// DefaultLuaTimeout bounds one `lua:` check's CPU time.
	DefaultLuaTimeout = 5 * time.Second
)

// Lab is a loaded and compiled lab file. The exported fields are what the file
// says, with defaults applied; the compiled forms (filters, addresses, paths) are
// kept unexported so nothing is parsed twice and nothing fails late.
type Lab struct {
	ID          string
	Title       string
	Description string
	Version     int       // 1
	Hosts       []Host    // in file order
	Topology    *Topology // segments and routers; nil: the hosts on one inferred segment
	Firewalls   []netlab.Firewall
	Links       []netlab.Link // impaired links
	Services    []service.Spec
	Capture     Capture
	Submission  Submission
	Limits      Limits
	Checks      []Check
	// Due is the assignment's due date (due:); zero when it has none.
	// Checks with visibility after_due_date are shown to students once it
	// has passed, as Gradescope does.
	Due time.Time

	Dir    string // the folder holding the lab file; relative paths resolve here
	Path   string // the lab file as it was named
	SHA256 string // hex sha256 of the lab file's bytes

	captureMatch *filter.Filter // compiled Capture.Filter, nil when empty
}

// Host is one entry of `hosts:`: a name that resolves only inside the lab.
type Host = service.Host

// Capture is the `capture:` section.
type Capture struct {
	Filter    string // pcap-filter syntax; "" captures everything
	Snaplen   int    // 0: the whole frame
	Interface string // "" : the lab's own network
}

// Submission is the `submission:` section.
type Submission struct {
	File string         // absolute path of the reference solution; "" when none
	Args map[string]any // handed to the script as lab.args
	Host string         // the name in Hosts whose address the script's sockets use
	// Modules is the absolute path of the folder of helper modules a submission
	// may require (`modules:`); "" when the lab hands out none.
	Modules string
	// Languages are the languages the lab accepts (`languages:`), in its
	// order; nil means Lua alone.
	Languages []Language
}

// Limits bound a run: the lab's `timeout:` (Timeout, the run's wall clock)
// and its `limits:` section (memory in bytes, output kept before the
// submission is stopped, sockets). Zero fields take the runner's defaults.
// It is the sandbox's type, so a lab's limits reach the run as they are.
type Limits = sandbox.Limits

// Check is one entry of `checks:`. Kind names which of the kind-specific fields
// apply.
type Check struct {
	Name       string
	Kind       string
	Points     float64
	Hint       string
	Visibility result.Visibility
	Requires   []string
	Pos        Pos // where the check starts in the lab file

	// packet, none: the display filter. packet passes when the number of
	// matching packets is within [Min, Max]; Max < 0 means no upper bound.
	Filter   string
	Min, Max int

	// sequence
	Steps      []Step
	Within     time.Duration // first to last step; 0: unbounded
	SameStream bool          // every step in one tcp.stream (or udp.stream)

	// output
	Output *OutputCheck

	// exit: "ok", "error", or a text the exit message must contain
	Exit string

	// lua: the script (absolute path) and the function it defines
	LuaFile, LuaFunc string

	match      *filter.Filter // packet, none
	stream     *filter.Field  // sequence: tcp.stream or udp.stream when SameStream, else nil
	requires   []int          // indexes of Requires in Lab.Checks
	outMatches *regexp.Regexp

	// decoding state, for positioned errors in the compile step
	requireNodes     []*yaml.Node
	countSet, minSet bool
	maxSet           bool
	sameStreamSet    *bool
	sameStreamNode   *yaml.Node
}

// Step is one step of a sequence check.
type Step struct {
	Filter string
	Within time.Duration // since the previous step; 0: unbounded
	Name   string        // what the step is, for reports ("the server's greeting")
	Hint   string        // shown when this is the step that did not match
	match  *filter.Filter
	node   *yaml.Node
}

// OutputCheck is the `output:` mapping: every condition given must hold.
type OutputCheck struct {
	Contains    []string
	NotContains []string
	Matches     string // regular expression (Go syntax, RE2)
	Equals      *string
	Lines       []string
	Ordered     bool // Lines must appear in this order
}

// HostAddr returns the address of a host named in `hosts:`.
func (l *Lab) HostAddr(name string) (netip.Addr, bool) {
	for _, h := range l.Hosts {
		if h.Name == name {
			return h.Addr, true
		}
	}
	return netip.Addr{}, false
}

// MaxScore is the sum of every check's points.
func (l *Lab) MaxScore() float64 {
	var s float64
	for _, c := range l.Checks {
		s += c.Points
	}
	return s
}
