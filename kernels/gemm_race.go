//go:build race

package kernels

// raceBuild is true under the race detector, where gemvSplit never leaves
// a worker reading the caller's matrices after returning.
const raceBuild = true
