package deploy

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// commandLines collects the wirelab command lines of a YAML recipe: a
// container's command and args joined, and every line of a string (a
// workflow's run:, an sh -c argument).
func commandLines(n *yaml.Node, out *[]string) {
	if n.Kind == yaml.MappingNode {
		var cmd []string
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i].Value, n.Content[i+1]
			if (k == "command" || k == "args") && v.Kind == yaml.SequenceNode {
				for _, e := range v.Content {
					cmd = append(cmd, e.Value)
				}
			}
		}
		if len(cmd) > 0 {
			*out = append(*out, strings.Join(cmd, " "))
		}
	}
	if n.Kind == yaml.ScalarNode {
		*out = append(*out, strings.Split(n.Value, "\n")...)
	}
	for _, c := range n.Content {
		commandLines(c, out)
	}
}

var wirelabCmd = regexp.MustCompile(`wirelab"?\s+(grade|merge)\s+([^'\n]*)`)

// helpFlags runs the built binary's `SUB --help` and returns its long flags.
func helpFlags(t *testing.T, bin, sub string) map[string]bool {
	out, err := exec.Command(bin, sub, "--help").CombinedOutput()
	if err != nil {
		t.Fatalf("wirelab %s --help: %v\n%s", sub, err, out)
	}
	flags := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\s+(?:-\w, )?--([a-z][a-z-]*)`).FindAllStringSubmatch(string(out), -1) {
		flags[m[1]] = true
	}
	if len(flags) < 2 {
		t.Fatalf("wirelab %s --help lists no flags:\n%s", sub, out)
	}
	return flags
}

// TestRecipesUseRealFlags checks every wirelab command line of the
// Kubernetes Jobs, the Slurm script and the GitHub Actions workflow against
// the flags the built binary's help lists, and that each recipe shards.
func TestRecipesUseRealFlags(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "wirelab")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = ".."
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	known := map[string]map[string]bool{"grade": helpFlags(t, bin, "grade"), "merge": helpFlags(t, bin, "merge")}
	files := map[string]string{
		"kubernetes/grade-job.yaml": "grade", "kubernetes/merge-job.yaml": "merge",
		"slurm/grade.sbatch": "grade", "github-actions/grade.yml": "grade",
	}
	for f, must := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		if strings.HasSuffix(f, ".sbatch") {
			lines = strings.Split(string(b), "\n")
		} else {
			var doc yaml.Node
			if err := yaml.Unmarshal(b, &doc); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			commandLines(&doc, &lines)
			if strings.Contains(f, "grade-job") {
				var job struct {
					Spec struct {
						CompletionMode       string `yaml:"completionMode"`
						Completions          int    `yaml:"completions"`
						BackoffLimitPerIndex *int   `yaml:"backoffLimitPerIndex"`
						Template             struct {
							Spec struct {
								Containers []struct {
									Env []struct{ Name, Value string }
								}
							}
						}
					}
				}
				if err := yaml.Unmarshal(b, &job); err != nil {
					t.Fatal(err)
				}
				s := job.Spec
				if s.CompletionMode != "Indexed" || s.Completions < 2 || s.BackoffLimitPerIndex == nil {
					t.Errorf("%s: want an Indexed Job with completions and backoffLimitPerIndex, got %+v", f, s)
				}
				found := false
				for _, c := range s.Template.Spec.Containers {
					for _, e := range c.Env {
						found = found || (e.Name == "JOB_COMPLETIONS" && e.Value == strconv.Itoa(s.Completions))
					}
				}
				if !found {
					t.Errorf("%s: JOB_COMPLETIONS must be set to completions (%d): Kubernetes sets only the index", f, s.Completions)
				}
			}
		}
		seen := map[string]bool{}
		for _, l := range lines {
			for _, m := range wirelabCmd.FindAllStringSubmatch(l, -1) {
				sub := m[1]
				seen[sub] = true
				for _, w := range strings.Fields(m[2]) {
					if !strings.HasPrefix(w, "--") {
						continue
					}
					name, _, _ := strings.Cut(strings.TrimPrefix(w, "--"), "=")
					if !known[sub][name] {
						t.Errorf("%s: %q: wirelab %s has no flag --%s", f, l, sub, name)
					}
				}
				if sub == "grade" && !strings.Contains(m[2], "--shard") {
					t.Errorf("%s: %q does not shard", f, l)
				}
			}
		}
		if !seen[must] {
			t.Errorf("%s: no wirelab %s command line found", f, must)
		}
	}
}
