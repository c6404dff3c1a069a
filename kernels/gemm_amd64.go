//go:build !purego

package kernels

func gemmFor(i isa) *gemmImpl { return genericGemm }
