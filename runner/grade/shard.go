package grade

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
)

// shardMark is shard.json, written in a shard's --out when its batch
// completed: merge reads it to find the shards that are missing.
type shardMark struct {
	Version  int    `json:"version"`
	Shard    string `json:"shard"` // "K/N"
	Lab      string `json:"lab"`   // the lab folder's hash
	Students int    `json:"students"`
}

// String is "K/N".
func (sh Shard) String() string { return strconv.Itoa(sh.K) + "/" + strconv.Itoa(sh.N) }

// MissingShards reads the shard markers of class folders about to be merged.
// It returns the shards of the split that no folder completed, in order
// ("3/4"), and the folders that hold no completed shard (one killed or still
// running; with no marker at all, whole-class folders, both are empty). It is
// an error when the folders are shards of different splits (2/4 beside 1/3).
func MissingShards(dirs []string) (missing, unfinished []string, err error) {
	n := 0
	done := map[int]bool{}
	for _, d := range dirs {
		var m shardMark
		if err := readJSON(filepath.Join(d, ShardFile), &m); err != nil {
			if !errors.Is(err, os.ErrNotExist) {
				return nil, nil, fmt.Errorf("%s: %w", filepath.Join(d, ShardFile), err)
			}
			unfinished = append(unfinished, d)
			continue
		}
		sh, err := ParseShard(m.Shard)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", filepath.Join(d, ShardFile), err)
		}
		if n != 0 && sh.N != n {
			return nil, nil, fmt.Errorf("%s is shard %s, but other folders are shards of %d: merge the shards of one split", d, m.Shard, n)
		}
		n = sh.N
		done[sh.K] = true
	}
	if n == 0 {
		return nil, nil, nil // no shards: whole-class folders
	}
	for k := 1; k <= n; k++ {
		if !done[k] {
			missing = append(missing, Shard{k, n}.String())
		}
	}
	sort.Strings(unfinished)
	return missing, unfinished, nil
}
