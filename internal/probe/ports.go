package probe

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// MaxPort is the largest TCP or UDP port number.
const MaxPort = 65535

// ParsePorts parses a port list such as "22,80,8000-8100": comma-separated port
// numbers and inclusive ranges, spaces allowed around each item. The result is
// sorted and free of duplicates.
func ParsePorts(s string) ([]int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("empty port list (want ports like \"22,80,8000-8100\")")
	}
	var set portSet
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return nil, fmt.Errorf("empty item in port list %q", s)
		}
		lo, hi, isRange := strings.Cut(item, "-")
		first, err := parsePort(strings.TrimSpace(lo))
		if err != nil {
			return nil, err
		}
		last := first
		if isRange {
			if last, err = parsePort(strings.TrimSpace(hi)); err != nil {
				return nil, err
			}
			if last < first {
				return nil, fmt.Errorf("port range %q runs backwards (write %d-%d)", item, last, first)
			}
		}
		set.addRange(first, last)
	}
	return set.list(), nil
}

// Ports validates a list of port numbers and returns it sorted and free of
// duplicates.
func Ports(list []int) ([]int, error) {
	if len(list) == 0 {
		return nil, fmt.Errorf("empty port list")
	}
	var set portSet
	for _, p := range list {
		if p < 1 || p > MaxPort {
			return nil, fmt.Errorf("%q is not a port (1-%d)", strconv.Itoa(p), MaxPort)
		}
		set.addRange(p, p)
	}
	return set.list(), nil
}

func parsePort(s string) (int, error) {
	if s == "" {
		return 0, fmt.Errorf("missing port number in range (want a range like \"1-1024\")")
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%q is not a port (1-%d)", s, MaxPort)
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxPort {
		return 0, fmt.Errorf("%q is not a port (1-%d)", s, MaxPort)
	}
	return n, nil
}

// portSet is a bitmap of ports. Ranges are set a word at a time, so hostile
// lists ("1-65535" a million times) cost little more than their length.
type portSet struct {
	bits [(MaxPort + 1 + 63) / 64]uint64
}

func (s *portSet) addRange(first, last int) {
	for p := first; p <= last; {
		w, b := p/64, p%64
		if b == 0 && p+63 <= last {
			s.bits[w] = ^uint64(0)
			p += 64
			continue
		}
		s.bits[w] |= 1 << b
		p++
	}
}

func (s *portSet) list() []int {
	n := 0
	for _, w := range s.bits {
		n += bits.OnesCount64(w)
	}
	out := make([]int, 0, n)
	for p := 1; p <= MaxPort; p++ {
		if s.bits[p/64]&(1<<(p%64)) != 0 {
			out = append(out, p)
		}
	}
	return out
}
