//go:build !unix

package probe

// openFileLimit is 0: no known limit on open files.
func openFileLimit() int { return 0 }
