//go:build (!amd64 && !arm64) || purego

package kernels

// gemmFor returns the GEMM implementation of tier i; without assembly every
// tier is the generic one.
func gemmFor(isa) *gemmImpl { return genericGemm }
