package cli

import (
	"strings"
	"testing"
)

func TestAutoShard(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string // K/N, or a piece of the error
		ok   bool
	}{
		{"kubernetes first", map[string]string{"JOB_COMPLETION_INDEX": "0", "JOB_COMPLETIONS": "4"}, "1/4", true},
		{"kubernetes last", map[string]string{"JOB_COMPLETION_INDEX": "3", "JOB_COMPLETIONS": "4"}, "4/4", true},
		{"kubernetes past the end", map[string]string{"JOB_COMPLETION_INDEX": "4", "JOB_COMPLETIONS": "4"}, "JOB_COMPLETION_INDEX=4 is not below JOB_COMPLETIONS=4", false},
		{"kubernetes no count", map[string]string{"JOB_COMPLETION_INDEX": "1"}, "JOB_COMPLETIONS is not", false},
		{"kubernetes bad index", map[string]string{"JOB_COMPLETION_INDEX": "x", "JOB_COMPLETIONS": "4"}, `JOB_COMPLETION_INDEX="x"`, false},
		{"slurm from 0", map[string]string{"SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_COUNT": "8", "SLURM_ARRAY_TASK_MIN": "0"}, "1/8", true},
		{"slurm from 1", map[string]string{"SLURM_ARRAY_TASK_ID": "8", "SLURM_ARRAY_TASK_COUNT": "8", "SLURM_ARRAY_TASK_MIN": "1"}, "8/8", true},
		{"slurm no min", map[string]string{"SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "3"}, "3/3", true},
		{"slurm outside", map[string]string{"SLURM_ARRAY_TASK_ID": "9", "SLURM_ARRAY_TASK_COUNT": "8", "SLURM_ARRAY_TASK_MIN": "1"}, "outside", false},
		{"slurm step", map[string]string{"SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_STEP": "2"}, "must be contiguous", false},
		{"slurm no count", map[string]string{"SLURM_ARRAY_TASK_ID": "2"}, "SLURM_ARRAY_TASK_COUNT is not", false},
		{"none", map[string]string{}, "JOB_COMPLETION_INDEX and JOB_COMPLETIONS", false},
		{"empty is unset", map[string]string{"JOB_COMPLETION_INDEX": ""}, "SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := autoShard(func(k string) string { return tt.env[k] })
			if tt.ok {
				if err != nil || got != tt.want {
					t.Fatalf("got %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %q, %v; want an error with %q", got, err, tt.want)
			}
		})
	}
}

// Through the command: `grade --shard auto` outside any job is a usage error
// naming the variables; inside an Indexed Job's pod it grades its slice.
func TestGradeShardAuto(t *testing.T) {
	for _, k := range []string{"JOB_COMPLETION_INDEX", "JOB_COMPLETIONS", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_STEP"} {
		t.Setenv(k, "")
	}
	code, _, stderr := scriptRun("grade", runLab, t.TempDir(), "--shard", "auto", "--out", t.TempDir())
	if code != ExitError || !strings.Contains(stderr, "none of JOB_COMPLETION_INDEX and JOB_COMPLETIONS") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	t.Setenv("JOB_COMPLETION_INDEX", "5")
	t.Setenv("JOB_COMPLETIONS", "2")
	code, _, stderr = scriptRun("grade", runLab, t.TempDir(), "--shard", "auto", "--out", t.TempDir())
	if code != ExitError || !strings.Contains(stderr, "JOB_COMPLETION_INDEX=5 is not below JOB_COMPLETIONS=2") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}
