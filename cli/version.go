package cli

import buildversion "github.com/wirelab-dev/wirelab/internal/version"

// version is what `wirelab --version` prints (see internal/version).
func version() string { return buildversion.String() }
