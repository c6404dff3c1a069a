//go:build !amd64 || purego

package kernels

// Without amd64 assembly (arm64 has no NEON version yet, other GOARCHes, or
// -tags purego) the dropout-mask dispatch point is the generic kernel.

func dropoutMask(mask []uint64, th uint32, ctr uint64) { dropoutMaskGeneric(mask, th, ctr) }
