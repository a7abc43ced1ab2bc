// Package suggest is wirelab's one "did you mean": the edit distance between
// what a person typed and the names it could have meant. Each caller keeps its
// own rule for how close is close enough (a dotted field name tolerates fewer
// edits per letter than a YAML key).
package suggest

// Distance is the Levenshtein distance between a and b, giving up (returning
// max) once the answer cannot be below max. Names longer than 256 bytes are
// never close.
func Distance(a, b string, max int) int {
	if d := len(a) - len(b); d >= max || -d >= max {
		return max
	}
	if len(a) > 256 || len(b) > 256 {
		return max
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= max {
			return max
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Closest returns the name in known nearest to s and its distance (the first
// of equals), or "" and a huge distance when known is empty.
func Closest(s string, known []string) (string, int) {
	const far = 1 << 30
	best, bestD := "", far
	for _, k := range known {
		if d := Distance(s, k, bestD); d < bestD {
			best, bestD = k, d
		}
	}
	return best, bestD
}
