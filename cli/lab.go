package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	suggestion "github.com/wirelab-dev/wirelab/internal/suggest"
	"github.com/wirelab-dev/wirelab/internal/words"
	"github.com/wirelab-dev/wirelab/labs"
	"github.com/wirelab-dev/wirelab/runner"
)

// loadLab loads the LAB argument of a command: a lab folder or its lab.yaml
// on disk, or else the name of a built-in lab (`wirelab labs`), which is
// extracted into the temporary folder so that it runs from any directory.
func loadLab(arg string, stderr io.Writer) (*runner.Lab, error) {
	path, err := resolveLab(arg, stderr)
	if err != nil {
		return nil, err
	}
	return runner.Load(path)
}

func resolveLab(arg string, stderr io.Writer) (string, error) {
	// A built-in lab's name is a lab id (labName in init.go): no slash, no dot.
	if _, err := os.Stat(arg); err == nil || !labName.MatchString(arg) {
		return arg, nil
	}
	if _, ok := labs.Get(arg); !ok {
		all, _ := labs.List()
		var names []string
		for _, l := range all {
			names = append(names, l.Name)
		}
		mean := ""
		if s, d := suggestion.Closest(arg, names); s != "" && d <= max(2, len(arg)/3) {
			mean = fmt.Sprintf(" (did you mean %q?)", s)
		}
		return "", fmt.Errorf("no lab folder %q here, and no built-in lab of that name%s (built-in: %s; 'wirelab labs' lists them)", arg, mean, strings.Join(names, ", "))
	}
	dir, err := labs.Extract(arg, labCache())
	if err != nil {
		return "", fmt.Errorf("extracting the built-in lab %q: %w", arg, err)
	}
	fmt.Fprintf(stderr, "using the built-in lab %q from %s\n", arg, dir)
	return dir, nil
}

// labCache is where built-in labs are extracted: the user's own cache folder
// (~/.cache/wirelab/labs), which no other user can write to. Without one, the
// lab goes to a fresh private temporary folder each time.
func labCache() string {
	if dir, err := os.UserCacheDir(); err == nil {
		return filepath.Join(dir, "wirelab", "labs")
	}
	return ""
}

// printLabProblems prints the problems of a lab that does not load, one a line
// as FILE:LINE:COL: MESSAGE, and returns how many there were: 0 when err is not
// a list of problems in the lab (an unreadable file, say).
func printLabProblems(w io.Writer, err error) int {
	var list runner.ErrorList
	if !errors.As(err, &list) {
		return 0
	}
	for _, e := range list {
		fmt.Fprintln(w, e.Error())
	}
	return len(list)
}

// loadSoundLab is loadLab for the commands that run or grade a lab (run,
// verify, up): a lab with problems is refused on stderr with the list, then a
// line that counts them and names the command that lists them again, and the
// error returned is exitCode(ExitError), which prints nothing more (also when
// the caller wraps it). Any other error is loadLab's, for the caller to say.
func loadSoundLab(cmd *cobra.Command, arg string) (*runner.Lab, error) {
	w := cmd.ErrOrStderr()
	lab, err := loadLab(arg, w)
	if err == nil {
		return lab, nil
	}
	if n := printLabProblems(w, err); n > 0 {
		fmt.Fprintf(w, "error: the lab has %d %s; `wirelab check %s` lists them\n", n, words.Plural(n, "problem", "problems"), arg)
		return nil, exitCode(ExitError)
	}
	return nil, err
}

// labArgs are the commands whose first argument is a LAB: shell completion
// offers the built-in labs' names there, and files and folders as usual.
var labArgs = map[string]bool{"run": true, "check": true, "verify": true, "grade": true}

// completeLab completes a LAB argument: the built-in labs whose names start
// with what was typed, then the shell's own file and folder completion.
// check takes several labs; the others complete the built-ins first only.
func completeLab(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 && cmd.Name() != "check" {
		return nil, cobra.ShellCompDirectiveDefault
	}
	all, _ := labs.List()
	var out []cobra.Completion
	for _, l := range all {
		if strings.HasPrefix(l.Name, toComplete) {
			out = append(out, cobra.CompletionWithDesc(l.Name, l.Title))
		}
	}
	return out, cobra.ShellCompDirectiveDefault
}
