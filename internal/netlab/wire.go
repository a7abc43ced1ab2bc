package netlab

import (
	"fmt"
	"slices"
	"time"

	"github.com/wirelab-dev/wirelab/capture"
)

// Link is an impaired link: the cable between a host's interface and its
// segment, which wirelab carries itself. Frames the host sends (Out) and
// frames sent to it (In) each pass an impairment of their own. The
// kernel's netem is not needed (many kernels, this project's CI among them,
// have none): the interface's veth ends in the switch namespace unbridged,
// and a wire reads every frame from it with a packet socket, decides its
// fate, and writes it, when due, into a second veth whose other end is on the
// bridge; the other way round likewise.
type Link struct {
	Point string `json:"point"` // host:ifname
	// Seed makes the random impairments (loss, duplicate, reorder, jitter)
	// reproducible: the same seed and the same frames give the same fates.
	Seed int64       `json:"seed"`
	Out  *Impairment `json:"out,omitempty"`
	In   *Impairment `json:"in,omitempty"`
}

// Impairment is what happens to one direction's frames, in this order:
// scripted rules, loss, duplication, delay and jitter, reordering, the rate
// limit.
type Impairment struct {
	Delay  time.Duration `json:"delay,omitempty"`
	Jitter time.Duration `json:"jitter,omitempty"` // ± uniformly; frames keep their order
	// Loss, Duplicate and Reorder are probabilities, 0 to 1, drawn per frame.
	Loss      float64 `json:"loss,omitempty"`
	Duplicate float64 `json:"duplicate,omitempty"`
	// Reorder holds a frame back by ReorderBy (without holding back those
	// behind it), so the frames that follow within that time overtake it.
	Reorder   float64       `json:"reorder,omitempty"`
	ReorderBy time.Duration `json:"reorder_by,omitempty"` // 0: defaultReorderBy
	// Rate is the link's speed in bits per second (0: unlimited). Frames wait
	// for the link in a queue of at most Queue frames (0: defaultQueue);
	// one that finds it full is dropped, as a router's tail drop.
	Rate  int64      `json:"rate,omitempty"`
	Queue int        `json:"queue,omitempty"`
	Rules []WireRule `json:"rules,omitempty"`
}

// Impairment defaults.
const (
	defaultReorderBy = 10 * time.Millisecond
	defaultQueue     = 1000
)

// Wire rule actions.
const (
	WireDrop      = "drop"
	WireDelay     = "delay"
	WireDuplicate = "duplicate"
)

// wireActions lists the wire rule actions.
var wireActions = []string{WireDrop, WireDelay, WireDuplicate}

// WireRule is a scripted impairment: it acts on the frames matching a
// display filter, the Nth of them (counting from 1, in this direction) or
// every one.
type WireRule struct {
	Action string        `json:"action"`
	Match  string        `json:"match"`        // a display filter
	By     time.Duration `json:"by,omitempty"` // delay
	Nth    []int         `json:"nth,omitempty"`
	All    bool          `json:"all,omitempty"` // every matching frame; else Nth (nil: the first)
}

// selects says whether the rule acts on its count'th match.
func (r *WireRule) selects(count int) bool {
	if r.All {
		return true
	}
	if len(r.Nth) == 0 {
		return count == 1
	}
	return slices.Contains(r.Nth, count)
}

// Validate reports what a link could not be carried with.
func (l *Link) Validate() error {
	for _, d := range []struct {
		name string
		imp  *Impairment
	}{{"out", l.Out}, {"in", l.In}} {
		if d.imp == nil {
			continue
		}
		if err := d.imp.validate(); err != nil {
			return fmt.Errorf("link %q, %s: %w", l.Point, d.name, err)
		}
	}
	return nil
}

func (m *Impairment) validate() error {
	for _, p := range []struct {
		name string
		v    float64
	}{{"loss", m.Loss}, {"duplicate", m.Duplicate}, {"reorder", m.Reorder}} {
		if p.v < 0 || p.v > 1 {
			return fmt.Errorf("%s %g is not a probability from 0 to 1", p.name, p.v)
		}
	}
	if m.Delay < 0 || m.Jitter < 0 || m.ReorderBy < 0 || m.Rate < 0 || m.Queue < 0 {
		return fmt.Errorf("delay, jitter, reorder_by, rate and queue cannot be negative")
	}
	for i, r := range m.Rules {
		if !slices.Contains(wireActions, r.Action) {
			return fmt.Errorf("rule %d: action %q is not one of %v", i+1, r.Action, wireActions)
		}
		if _, err := capture.Compile(r.Match); err != nil {
			return fmt.Errorf("rule %d: filter %q: %w", i+1, r.Match, err)
		}
		if (r.Action == WireDelay) != (r.By > 0) {
			return fmt.Errorf("rule %d: a delay rule, and only one, says by how long", i+1)
		}
		for _, n := range r.Nth {
			if n < 1 {
				return fmt.Errorf("rule %d: nth %d: matches count from 1", i+1, n)
			}
		}
	}
	return nil
}

// WireStats counts what a wire did to one direction's frames.
type WireStats struct {
	Frames     int // frames read (marker frames aside)
	Sent       int // frames written, copies included
	RuleDrops  int // dropped by a rule
	Lost       int // dropped by Loss
	QueueDrops int // dropped by a full queue
	Duplicated int // extra copies sent
	Reordered  int // held back by Reorder
	RuleDelays int // delayed by a rule
	// WriteErrors counts frames the kernel would not take even after
	// retries (a buffer that stayed full), lost.
	WriteErrors int
}
