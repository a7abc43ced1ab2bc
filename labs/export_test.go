package labs

// LabsCanRun reports whether lab runs work here (skipping or, in CI, failing
// the test when they do not), for the external test package.
var LabsCanRun = labsCanRun
