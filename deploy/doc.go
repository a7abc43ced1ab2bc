// Package deploy holds the container image and the recipes that run wirelab
// on Kubernetes, Slurm and GitHub Actions; its tests check them against the
// real binary.
package deploy
