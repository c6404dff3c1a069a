//go:build (!amd64 && !arm64) || purego

package kernels

// Without assembly (GOARCHes other than amd64 and arm64, or
// -tags purego) the dropout-mask dispatch point is the generic kernel.

func dropoutMask(mask []uint64, th uint32, ctr uint64) { dropoutMaskGeneric(mask, th, ctr) }
