package deploy

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// dockerfile returns the instructions of deploy/Dockerfile, continuation
// lines joined, comments dropped.
func dockerfile(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	cur := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") || (line == "" && cur == "") {
			continue
		}
		if strings.HasSuffix(line, "\\") {
			cur += strings.TrimSuffix(line, "\\") + " "
			continue
		}
		cur += line
		if strings.TrimSpace(cur) != "" {
			out = append(out, strings.Join(strings.Fields(cur), " "))
		}
		cur = ""
	}
	return out
}

// image is what the Dockerfile promises about the final image.
type image struct {
	uid, gid   int
	binary     string
	entrypoint string
	packages   []string
	cgoOff     bool
	stages     []string
}

func parseImage(t *testing.T) image {
	var im image
	im.uid, im.gid = -1, -1
	for _, ins := range dockerfile(t) {
		op, rest, _ := strings.Cut(ins, " ")
		switch strings.ToUpper(op) {
		case "FROM":
			im.stages = append(im.stages, rest)
		case "RUN":
			if strings.Contains(rest, "CGO_ENABLED=0 go build") {
				im.cgoOff = true
			}
			if i := strings.Index(rest, "apt-get install"); i >= 0 {
				seg := rest[i:]
				if j := strings.Index(seg, "&&"); j >= 0 {
					seg = seg[:j]
				}
				for _, w := range strings.Fields(seg)[2:] {
					if !strings.HasPrefix(w, "-") {
						im.packages = append(im.packages, w)
					}
				}
			}
		case "COPY":
			f := strings.Fields(rest)
			if len(f) == 3 && f[0] == "--from=build" {
				im.binary = f[2]
			}
		case "USER":
			u, g, _ := strings.Cut(rest, ":")
			var err error
			if im.uid, err = strconv.Atoi(u); err != nil {
				t.Fatalf("USER %q: the user must be a numeric uid (Kubernetes runAsNonRoot checks a number)", rest)
			}
			if im.gid, err = strconv.Atoi(g); err != nil {
				t.Fatalf("USER %q: give a numeric gid too", rest)
			}
		case "ENTRYPOINT":
			im.entrypoint = rest
		}
	}
	return im
}

func TestDockerfilePromises(t *testing.T) {
	im := parseImage(t)
	if len(im.stages) != 2 || !strings.HasPrefix(im.stages[0], "golang:1.26 ") || im.stages[1] != "debian:bookworm-slim" {
		t.Errorf("stages %q, want golang:1.26 AS build then debian:bookworm-slim", im.stages)
	}
	if !im.cgoOff {
		t.Error("the build stage must build with CGO_ENABLED=0 (the binary must be static on a slim base)")
	}
	if im.uid <= 0 || im.gid <= 0 {
		t.Errorf("USER %d:%d: the image must run as a fixed non-root uid", im.uid, im.gid)
	}
	if !regexp.MustCompile(`useradd .*--uid ` + strconv.Itoa(im.uid) + `\b`).MatchString(strings.Join(dockerfile(t), "\n")) {
		t.Errorf("no useradd creates uid %d (HOME, a name in ps)", im.uid)
	}
	if im.binary != "/usr/local/bin/wirelab" {
		t.Errorf("binary copied to %q, want /usr/local/bin/wirelab", im.binary)
	}
	if im.entrypoint != `["/usr/local/bin/wirelab"]` {
		t.Errorf("ENTRYPOINT %s, want [\"/usr/local/bin/wirelab\"]", im.entrypoint)
	}
	for _, p := range []string{"python3", "gcc", "libc6-dev"} {
		found := false
		for _, q := range im.packages {
			found = found || q == p
		}
		if !found {
			t.Errorf("package %s is not installed (program submissions need it); got %q", p, im.packages)
		}
	}
}

// TestImageLayoutRunsCatalogueLab builds the image's filesystem layout in a
// temporary root (the static binary at the Dockerfile's path) and runs a
// catalogue lab with it as the image's uid, through a user namespace as the
// container would: full marks or the image is broken.
func TestImageLayoutRunsCatalogueLab(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "" {
			t.Skip("needs root to run as the image's uid (CI runs it)")
		}
		t.Fatal("CI is set: this test must run as root")
	}
	im := parseImage(t)
	// t.TempDir's parent is mode 0700: the image's uid could not reach it.
	root, err := os.MkdirTemp("", "wirelab-image-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	bin := filepath.Join(root, im.binary)
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = ".."
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if out, err := exec.Command("file", bin).CombinedOutput(); err == nil && !strings.Contains(string(out), "statically linked") {
		t.Errorf("the binary is not static: %s", out)
	}
	home := filepath.Join(root, "home", "wirelab")
	if err := os.MkdirAll(home, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{root, filepath.Join(root, "usr"), filepath.Join(root, "usr/local"), filepath.Join(root, "usr/local/bin"), filepath.Join(root, "home")} {
		os.Chmod(d, 0o755)
	}
	if err := os.Chown(home, im.uid, im.gid); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(home, "run")
	cmd := exec.Command(bin, "run", "http-client", "--out", out)
	cmd.Dir = home
	cmd.Env = []string{"HOME=" + home, "PATH=/usr/local/bin:/usr/bin:/bin"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(im.uid), Gid: uint32(im.gid)}}
	report, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("wirelab run http-client as uid %d: %v\n%s", im.uid, err, report)
	}
	if !strings.Contains(string(report), "score 9/9") {
		t.Fatalf("want score 9/9 as uid %d, got:\n%s", im.uid, report)
	}
}
