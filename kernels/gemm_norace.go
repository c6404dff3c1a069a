//go:build !race

package kernels

// raceBuild is true under the race detector (see gemm_race.go).
const raceBuild = false
