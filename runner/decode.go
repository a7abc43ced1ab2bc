package runner

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wirelab-dev/wirelab/internal/service"
	"github.com/wirelab-dev/wirelab/internal/yamlx"
	"github.com/wirelab-dev/wirelab/runner/result"
)

var (
	labKeys        = []string{"lab", "title", "description", "version", "timeout", "due", "hosts", "segments", "routers", "firewalls", "links", "services", "capture", "submission", "limits", "checks"}
	captureKeys    = []string{"filter", "snaplen", "interface"}
	submissionKeys = []string{"file", "args", "host", "modules", "languages"}
	limitsKeys     = []string{"memory", "output", "sockets"}
	commonKeys     = []string{"name", "points", "hint", "visibility", "requires"}
	outputKeys     = []string{"contains", "not_contains", "matches", "equals", "lines", "ordered"}
	stepKeys       = []string{"match", "within", "name", "hint"}
	visibilities   = []result.Visibility{result.Visible, result.Hidden, result.AfterDueDate, result.AfterPublished}

	idPattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	hostPattern = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$`)
)

func (d *decoder) lab(root *yaml.Node, lab *Lab) {
	d.Budget = 10000
	entries := d.Mapping(root, "the lab file", labKeys)
	if root = yamlx.Resolve(root); root != nil && root.Kind != yaml.MappingNode {
		return
	}
	have := map[string]bool{}
	var clients map[int]*yaml.Node // client services (connect), by index
	// hosts first: services and submission name them.
	for _, e := range entries {
		have[e.Key] = true
		if e.Key == "hosts" {
			d.hosts(e.V, lab)
		}
	}
	for _, e := range entries {
		switch e.Key {
		case "lab":
			if s, ok := d.Str(e.V, "lab"); ok {
				if !idPattern.MatchString(s) || len(s) > 64 {
					d.Errorf(e.V, "lab id %q must be lowercase letters, digits, '.', '_' or '-' (like \"http-client\")", s)
				}
				lab.ID = s
			}
		case "title":
			lab.Title, _ = d.Str(e.V, "title")
		case "description":
			lab.Description, _ = d.Str(e.V, "description")
		case "version":
			if v, ok := d.Integer(e.V, "version", 0, 1<<31); ok && v != 1 {
				d.Errorf(e.V, "version %d is not supported: this wirelab reads lab files of version 1", v)
			}
		case "timeout":
			if t, ok := d.Duration(e.V, "timeout"); ok {
				if t <= 0 {
					d.Errorf(e.V, "timeout must be more than 0")
				}
				lab.Limits.Timeout = t
			}
		case "due":
			if s, ok := d.Str(e.V, "due"); ok {
				t, err := parseDue(s)
				if err != nil {
					d.Errorf(e.V, "due %q: %v", s, err)
				}
				lab.Due = t
			}
		case "services":
			clients = d.services(e.V, lab)
		case "capture":
			d.capture(e.V, lab)
		case "submission":
			d.submission(e.V, lab)
		case "limits":
			d.limits(e.V, lab)
		case "checks":
			d.checks(e.V, lab)
		}
	}
	d.topology(entries, lab)
	d.firewalls(entries, lab)
	d.links(entries, lab)
	if !have["lab"] {
		d.Errorf(root, "the lab has no id: add `lab: NAME` (lowercase, like \"http-client\")")
	}
	if !have["checks"] {
		d.Errorf(root, "the lab has no checks: add a `checks:` list (see docs/lab-format.md)")
	}
	// The submission's source address: the named host, else a host called client.
	if lab.Submission.Host == "" {
		if _, ok := lab.HostAddr("client"); ok {
			lab.Submission.Host = "client"
		}
	}
	// Client services connect from a host of their own (from, or the first
	// host that is neither the submission's nor the target's).
	for i, sp := range lab.Services {
		if n, ok := clients[i]; ok {
			if _, _, err := service.ClientFrom(sp, lab.Hosts, lab.Submission.Host); err != nil {
				d.Errorf(n, "service %q: %v", sp.Name, err)
			}
		}
	}
}

func (d *decoder) hosts(n *yaml.Node, lab *Lab) {
	n = yamlx.Resolve(n)
	if n == nil || yamlx.IsNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.Errorf(n, "hosts must map names to addresses (like `client: 10.0.0.10`), not %s", yamlx.Describe(n))
		return
	}
	if len(n.Content)/2 > maxHosts {
		d.Errorf(n, "%d hosts are more than the %d a lab may have", len(n.Content)/2, maxHosts)
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := yamlx.Resolve(n.Content[i]), yamlx.Resolve(n.Content[i+1])
		if k == nil || k.Kind != yaml.ScalarNode || v == nil {
			d.Errorf(n.Content[i], "hosts: a host name must be a plain word, not %s", yamlx.Describe(k))
			continue
		}
		name := k.Value
		if prev, dup := seen[name]; dup {
			d.Errorf(k, "host %q is repeated (first at line %d)", name, prev)
			continue
		}
		seen[name] = k.Line
		if !hostPattern.MatchString(name) || len(name) > 253 {
			d.Errorf(k, "host name %q is not a valid name: use letters, digits, '-' and '.'", name)
			continue
		}
		if _, err := netip.ParseAddr(name); err == nil {
			d.Errorf(k, "host name %q is an address: give the host a name and the address as its value", name)
			continue
		}
		if h, ok := d.hostAddrs(name, v, lab.Hosts); ok {
			lab.Hosts = append(lab.Hosts, h)
		}
	}
}

// hostAddrs decodes a host's address, or its list of addresses (the first is
// what its name resolves to first). Names that share a single address are
// one machine; a host with several addresses shares none with another.
func (d *decoder) hostAddrs(name string, v *yaml.Node, before []Host) (Host, bool) {
	h := Host{Name: name}
	items := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		if len(v.Content) == 0 {
			d.Errorf(v, "host %q has an empty list of addresses: give one, like `%s: 10.0.0.10`, or several, like `%s: [10.0.0.10, fd00::10]`", name, name, name)
			return h, false
		}
		items = v.Content
	}
	ok := true
	var addrs []netip.Addr
	for _, it := range items {
		it = yamlx.Resolve(it)
		s, good := d.Str(it, fmt.Sprintf("host %q", name))
		if !good {
			ok = false
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			d.Errorf(it, "host %q: %q is not an IPv4 or IPv6 address", name, s)
			ok = false
			continue
		}
		a = a.Unmap()
		switch {
		case slices.Contains(addrs, a):
			d.Errorf(it, "host %q: %s is listed twice", name, a)
			ok = false
			continue
		case len(items) > 1 && a.IsLoopback():
			d.Errorf(it, "host %q: %s is a loopback address: a loopback host is the submission's own lo and has that one address", name, a)
			ok = false
			continue
		}
		for _, o := range before {
			if o.Addr == a && len(items) == 1 && len(o.More) == 0 {
				break // a second name of the same machine
			}
			if slices.Contains(o.All(), a) {
				d.Errorf(it, "host %q: %s is already %q's address (names share a machine only when each has that one address)", name, a, o.Name)
				ok = false
			}
		}
		addrs = append(addrs, a)
	}
	if !ok {
		return h, false
	}
	h.Addr, h.More = addrs[0], addrs[1:]
	if len(h.More) == 0 {
		h.More = nil
	}
	return h, true
}

// labPath resolves a path written in the lab against the lab's folder, rejecting
// paths that leave it; must says the file must exist.
func (d *decoder) labPath(n *yaml.Node, what string) (string, bool) {
	s, ok := d.Str(n, what)
	if !ok {
		return "", false
	}
	if s == "" {
		d.Errorf(n, "%s is empty: name a file in the lab's folder", what)
		return "", false
	}
	if filepath.IsAbs(s) || strings.HasPrefix(s, "/") {
		d.Errorf(n, "%s %q must be relative to the lab's folder", what, s)
		return "", false
	}
	clean := filepath.Clean(filepath.FromSlash(s))
	if clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		d.Errorf(n, "%s %q leaves the lab's folder: keep the lab's files inside it", what, s)
		return "", false
	}
	abs := filepath.Join(d.dir, clean)
	if !fileExists(abs) {
		d.Errorf(n, "%s %q does not exist in the lab's folder", what, s)
		return abs, false
	}
	if kind := irregular(abs); kind != "" {
		d.Errorf(n, "%s %q is %s, not a file: a lab's files must be regular files (reading it would hang the run)", what, s, kind)
		return abs, false
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		if rdir, err := filepath.EvalSymlinks(d.dir); err == nil {
			if rel, err := filepath.Rel(rdir, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				d.Errorf(n, "%s %q is a link that leaves the lab's folder", what, s)
				return "", false
			}
		}
	}
	return abs, true
}

func (d *decoder) capture(n *yaml.Node, lab *Lab) {
	for _, e := range d.Mapping(n, "capture", captureKeys) {
		switch e.Key {
		case "filter":
			if s, ok := d.Str(e.V, "capture filter"); ok {
				lab.Capture.Filter = s
				if s != "" {
					lab.captureMatch = d.filter(e.V, s, "capture filter", true)
				}
			}
		case "snaplen":
			if v, ok := d.Integer(e.V, "snaplen", 0, 262144); ok {
				lab.Capture.Snaplen = int(v)
			}
		case "interface":
			lab.Capture.Interface, _ = d.Str(e.V, "capture interface")
		}
	}
}

func (d *decoder) submission(n *yaml.Node, lab *Lab) {
	entries := d.Mapping(n, "submission", submissionKeys)
	var fileNode, langNode *yaml.Node
	for _, e := range entries {
		switch e.Key {
		case "file":
			fileNode = e.V
		case "languages":
			langNode = e.V
		case "args":
			v := d.Optional(e.V, yaml.MappingNode, "submission args must be a mapping (like `{host: www.example.com, port: 80}`)")
			if v == nil {
				continue
			}
			if m, ok := d.Any(v, "args").(map[string]any); ok {
				lab.Submission.Args = m
			}
		case "modules":
			// Helper modules a submission may require, besides its own folder
			// (issue 11: never the lab's folder itself).
			s, ok := d.Str(e.V, "submission modules")
			if !ok {
				continue
			}
			clean := filepath.Clean(filepath.FromSlash(s))
			if s == "" || filepath.IsAbs(s) || clean == "." || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
				d.Errorf(e.V, "submission modules %q must name a folder inside the lab's folder other than the lab's folder itself (it holds the solution and checks), like `modules: lib`", s)
				continue
			}
			p := filepath.Join(d.dir, clean)
			if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
				d.Errorf(e.V, "submission modules %q is not a folder in the lab's folder: create it and put the helper modules students may require there", s)
				continue
			}
			if real, err := filepath.EvalSymlinks(p); err == nil {
				if rdir, err := filepath.EvalSymlinks(d.dir); err == nil {
					if rel, err := filepath.Rel(rdir, real); err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
						d.Errorf(e.V, "submission modules %q is a link that leaves the lab's folder: keep the helper modules inside it", s)
						continue
					}
				}
			}
			lab.Submission.Modules = p
		case "host":
			if s, ok := d.Str(e.V, "submission host"); ok {
				_, found := lab.HostAddr(s)
				if !found {
					d.Errorf(e.V, "submission host %q is not in hosts (known: %s)", s, hostNames(lab))
					continue
				}
				lab.Submission.Host = s
			}
		}
	}
	// languages after args (templates name them), the reference after
	// languages (it must be in one of them).
	if langNode != nil {
		d.languages(langNode, lab)
	}
	if fileNode != nil {
		d.referenceFile(fileNode, lab)
	}
}

func hostNames(lab *Lab) string {
	if len(lab.Hosts) == 0 {
		return "none: add a `hosts:` mapping"
	}
	names := make([]string, len(lab.Hosts))
	for i, h := range lab.Hosts {
		names[i] = h.Name
	}
	return strings.Join(names, ", ")
}

func (d *decoder) limits(n *yaml.Node, lab *Lab) {
	for _, e := range d.Mapping(n, "limits", limitsKeys) {
		switch e.Key {
		case "memory":
			if v, ok := d.Size(e.V, "memory limit"); ok {
				if v < 1<<20 {
					d.Errorf(e.V, "memory limit %q is below 1MiB: nothing runs in that", yamlx.Resolve(e.V).Value)
				}
				lab.Limits.Memory = v
			}
		case "output":
			if v, ok := d.Size(e.V, "output limit"); ok {
				lab.Limits.Output = v
			}
		case "sockets":
			if v, ok := d.Integer(e.V, "socket limit", 1, 1<<20); ok {
				lab.Limits.Sockets = int(v)
			}
		}
	}
}

// services decodes the services list; it returns the nodes of the client
// services that decoded cleanly, by index, for the checks that need the
// submission's host.
func (d *decoder) services(n *yaml.Node, lab *Lab) map[int]*yaml.Node {
	if n = d.Optional(n, yaml.SequenceNode, "services must be a list (each entry starting with `- name:`)"); n == nil {
		return nil
	}
	if len(n.Content) > maxServices {
		d.Errorf(n, "%d services are more than the %d a lab may have", len(n.Content), maxServices)
		return nil
	}
	clients := map[int]*yaml.Node{}
	names := map[string]int{}
	ports := map[string]string{} // "tcp 10.0.0.80:80" -> the service listening there
	for i, sn := range n.Content {
		before := len(d.Errs)
		sp, listen, ok := d.service(sn, i, lab)
		if !ok {
			continue
		}
		if listen.IsValid() && !service.IsClient(sp) {
			d.samePort(sn, sp, listen, ports)
		}
		if len(d.Errs) == before {
			// The kind's own rules (routes needed, a banner or a dialog, ...).
			for _, err := range service.Validate(sp) {
				d.Errorf(yamlx.Resolve(sn), "%v", err)
			}
			if len(d.Errs) == before && service.IsClient(sp) {
				clients[len(lab.Services)] = yamlx.Resolve(sn)
			}
		}
		if prev, dup := names[sp.Name]; dup && sp.Name != "" {
			d.Errorf(yamlx.Resolve(sn), "service name %q is repeated (first at line %d)", sp.Name, prev)
		}
		names[sp.Name] = yamlx.Resolve(sn).Line
		lab.Services = append(lab.Services, sp)
	}
	return clients
}

// samePort reports a server listening where an earlier one does (the same
// transport and port, on the same address or on every address): the second
// could not start, and the run would end as the lab's error.
func (d *decoder) samePort(n *yaml.Node, sp service.Spec, listen netip.AddrPort, ports map[string]string) {
	tr := service.Transport(sp)
	keys := []string{tr + " " + listen.String()}
	any := netip.AddrPortFrom(netip.IPv4Unspecified(), listen.Port()).String()
	if listen.Addr().IsUnspecified() {
		for k := range ports {
			if strings.HasPrefix(k, tr+" ") && strings.HasSuffix(k, fmt.Sprintf(":%d", listen.Port())) {
				keys = append(keys, k)
			}
		}
	} else {
		keys = append(keys, tr+" "+any)
	}
	at := yamlx.Resolve(n)
	for i := 0; i+1 < len(at.Content); i += 2 {
		if at.Content[i].Value == "listen" {
			at = at.Content[i+1]
			break
		}
	}
	for _, k := range keys {
		if other, ok := ports[k]; ok {
			d.Errorf(at, "service %q listens on %s port %d where service %q does already: give one of them another port", sp.Name, strings.ToUpper(tr), listen.Port(), other)
			return
		}
	}
	ports[keys[0]] = sp.Name
}

func (d *decoder) service(n *yaml.Node, i int, lab *Lab) (service.Spec, netip.AddrPort, bool) {
	var sp service.Spec
	var listen netip.AddrPort
	n = yamlx.Resolve(n)
	what := fmt.Sprintf("service %d", i+1)
	if name := peekName(n); name != "" {
		what = fmt.Sprintf("service %q", name)
	}
	optionKeys := service.OptionKeys()
	entries := d.Mapping(n, what, append([]string{"name", "kind", "listen"}, optionKeys...))
	if n == nil || n.Kind != yaml.MappingNode {
		return sp, listen, false
	}
	for _, e := range entries {
		if e.Key == "name" {
			sp.Name, _ = d.Str(e.V, "service name")
		}
	}
	if sp.Name != "" {
		what = fmt.Sprintf("service %q", sp.Name)
	} else {
		d.Errorf(n, "%s has no name: add `name: NAME`", what)
	}
	var kindNode *yaml.Node
	for _, e := range entries {
		if e.Key == "kind" {
			kindNode = e.V
			sp.Kind, _ = d.Str(e.V, what+" kind")
		}
	}
	kind, known := service.Lookup(sp.Kind)
	switch {
	case kindNode == nil:
		d.Errorf(n, "%s has no kind: add `kind:` with one of %s", what, strings.Join(service.Kinds(), ", "))
	case !known:
		d.Errorf(kindNode, "%s: unknown kind %q (known: %s)", what, sp.Kind, strings.Join(service.Kinds(), ", "))
	}
	sd := &service.Decoder{Decoder: d.Decoder, LabPath: d.labPath, LuaScript: func(n *yaml.Node, what, name, path string) {
		d.luaCompiles(n, what, name, path)
	}}
	hasListen, hasConnect := false, false
	for _, e := range entries {
		if known && slices.Contains(optionKeys, e.Key) && !slices.Contains(kind.Keys(), e.Key) {
			takes := "no options"
			if keys := kind.Keys(); len(keys) > 0 {
				takes = strings.Join(keys, ", ")
			}
			d.Errorf(e.K, "%s: option %q does not belong to kind %q (%s takes: %s)", what, e.Key, sp.Kind, sp.Kind, takes)
			continue
		}
		switch e.Key {
		case "listen":
			hasListen = true
			if s, ok := d.Str(e.V, what+" listen"); ok {
				sp.Listen = s
				listen, _ = d.listen(e.V, s, what, lab)
			}
		case "connect":
			hasConnect = true
			if s, ok := d.Str(e.V, what+" connect"); ok {
				sp.Connect = s
				d.connect(e.V, s, what, lab)
			}
		case "from":
			if s, ok := d.Str(e.V, what+" from"); ok {
				sp.From = s
				if _, ok := lab.HostAddr(s); !ok {
					d.Errorf(e.V, "%s: from %q is not in hosts (known: %s)", what, s, hostNames(lab))
				}
			}
		default:
			if known {
				if o, ok := kind.Option(e.Key); ok {
					o.Decode(sd, e.V, what, &sp)
				}
			}
		}
	}
	switch {
	case hasListen && hasConnect:
		d.Errorf(n, "%s has both listen and connect: a lua service either listens (a server) or connects to the submission (a client)", what)
	case !hasListen && !hasConnect && known && kind.Client:
		d.Errorf(n, "%s has no listen address: add `listen: HOST:PORT` for a server, or `connect: HOST:PORT` for a client of the submission's server", what)
	case !hasListen && !hasConnect && known:
		d.Errorf(n, "%s has no listen address: add `listen: HOST:PORT` with a name from hosts", what)
	}
	if hasKey(entries, "from") && !hasConnect && known && kind.Client {
		d.Errorf(n, "%s: from applies only to a client service (one with `connect: HOST:PORT`)", what)
	}
	if known && kind.Finish != nil {
		kind.Finish(sd, n, what, &sp, func(key string) bool { return hasKey(entries, key) })
	}
	return sp, listen, true
}

func hasKey(entries []yamlx.Entry, key string) bool {
	for _, e := range entries {
		if e.Key == key {
			return true
		}
	}
	return false
}

// connect checks a client service's "host:port": host a name from hosts or an
// address, the port from 1 to 65535.
func (d *decoder) connect(n *yaml.Node, s, what string, lab *Lab) {
	host, port, err := net.SplitHostPort(s)
	if err != nil || host == "" {
		d.Errorf(n, "%s: connect %q must be HOST:PORT, the submission's host and the port its server listens on, like server:7000", what, s)
		return
	}
	if p, err := strconv.ParseUint(port, 10, 16); err != nil || p == 0 {
		d.Errorf(n, "%s: connect %q: port %q must be a number from 1 to 65535", what, s, port)
		return
	}
	if _, ok := lab.HostAddr(host); !ok {
		if _, err := netip.ParseAddr(host); err != nil {
			d.Errorf(n, "%s: connect %q: host %q is not in hosts (known: %s)", what, s, host, hostNames(lab))
		}
	}
}

// listen resolves "host:port", host being a name from hosts or an address.
func (d *decoder) listen(n *yaml.Node, s, what string, lab *Lab) (netip.AddrPort, bool) {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		d.Errorf(n, "%s: listen %q must be HOST:PORT, like www.example.com:80", what, s)
		return netip.AddrPort{}, false
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil || p == 0 {
		d.Errorf(n, "%s: listen %q: port %q must be a number from 1 to 65535", what, s, port)
		return netip.AddrPort{}, false
	}
	addr, ok := lab.HostAddr(host)
	if !ok {
		a, err := netip.ParseAddr(host)
		if err != nil {
			d.Errorf(n, "%s: listen %q: host %q is not in hosts (known: %s)", what, s, host, hostNames(lab))
			return netip.AddrPort{}, false
		}
		addr = a.Unmap()
	}
	return netip.AddrPortFrom(addr, uint16(p)), true
}
