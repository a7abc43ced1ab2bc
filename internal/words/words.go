// Package words holds the small pieces of English that messages and reports
// share, so that every place counts things the same way.
package words

import (
	"strconv"
	"strings"
)

// Plural is the word for n things: one when n is 1, else many.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Count is n and the word for n things: "1 packet", "3 packets", "0 packets".
func Count(n int, one, many string) string {
	return strconv.Itoa(n) + " " + Plural(n, one, many)
}

// List joins items as a sentence does: "a", "a or b", "a, b or c" (conj
// "or" or "and").
func List(items []string, conj string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + conj + " " + items[len(items)-1]
}
