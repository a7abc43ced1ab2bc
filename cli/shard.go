package cli

import (
	"fmt"
	"strconv"
)

// shardEnv are the variables `--shard auto` reads, engine by engine.
const shardEnv = "JOB_COMPLETION_INDEX and JOB_COMPLETIONS (a Kubernetes Indexed Job), or SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT (a Slurm job array)"

// autoShard turns the batch engine's task index into K/N for --shard auto.
// A Kubernetes Indexed Job numbers its pods from 0 to JOB_COMPLETIONS-1; a
// Slurm array numbers its tasks from SLURM_ARRAY_TASK_MIN (0 when unset) with
// step 1, SLURM_ARRAY_TASK_COUNT of them. An empty variable counts as unset.
func autoShard(getenv func(string) string) (string, error) {
	num := func(name string) (int, error) {
		v := getenv(name)
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("--shard auto: %s=%q is not a count or index", name, v)
		}
		return n, nil
	}
	switch {
	case getenv("JOB_COMPLETION_INDEX") != "":
		if getenv("JOB_COMPLETIONS") == "" {
			return "", fmt.Errorf("--shard auto: JOB_COMPLETION_INDEX is set but JOB_COMPLETIONS is not: add it to the Job's env (valueFrom the Job's spec.completions, or the number itself)")
		}
		i, err := num("JOB_COMPLETION_INDEX")
		if err != nil {
			return "", err
		}
		n, err := num("JOB_COMPLETIONS")
		if err != nil {
			return "", err
		}
		if i >= n {
			return "", fmt.Errorf("--shard auto: JOB_COMPLETION_INDEX=%d is not below JOB_COMPLETIONS=%d", i, n)
		}
		return fmt.Sprintf("%d/%d", i+1, n), nil
	case getenv("SLURM_ARRAY_TASK_ID") != "":
		if getenv("SLURM_ARRAY_TASK_COUNT") == "" {
			return "", fmt.Errorf("--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not")
		}
		if s := getenv("SLURM_ARRAY_TASK_STEP"); s != "" && s != "1" {
			return "", fmt.Errorf("--shard auto: SLURM_ARRAY_TASK_STEP=%q: the array must be contiguous (--array=0-N), or pass --shard K/N yourself", s)
		}
		id, err := num("SLURM_ARRAY_TASK_ID")
		if err != nil {
			return "", err
		}
		n, err := num("SLURM_ARRAY_TASK_COUNT")
		if err != nil {
			return "", err
		}
		min := 0
		if getenv("SLURM_ARRAY_TASK_MIN") != "" {
			if min, err = num("SLURM_ARRAY_TASK_MIN"); err != nil {
				return "", err
			}
		}
		if id < min || id-min >= n {
			return "", fmt.Errorf("--shard auto: SLURM_ARRAY_TASK_ID=%d is outside SLURM_ARRAY_TASK_MIN=%d .. +SLURM_ARRAY_TASK_COUNT=%d", id, min, n)
		}
		return fmt.Sprintf("%d/%d", id-min+1, n), nil
	}
	return "", fmt.Errorf("--shard auto: none of %s is set; run it as one of those jobs, or pass --shard K/N", shardEnv)
}
