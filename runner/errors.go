package runner

import "github.com/wirelab-dev/wirelab/internal/yamlx"

// Pos is a position in a lab file: the file as it was named, and a line and
// column counted from 1. A zero Line means the whole file.
type Pos = yamlx.Pos

// Error is one problem found in a lab file, at a position.
type Error = yamlx.Error

// ErrorList is every problem found in a lab, sorted by position. Load returns it
// as its error, so a person fixes all problems in one round.
type ErrorList = yamlx.ErrorList
