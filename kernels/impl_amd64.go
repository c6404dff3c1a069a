//go:build !purego

package kernels

import "golang.org/x/sys/cpu"

func init() {
	// x/sys/cpu reports AVX2 and AVX-512 only when the OS saves their
	// registers, and honours GODEBUG=cpu.<feature>=off. FMA is a raw CPUID
	// bit, so it is checked explicitly.
	hasAVX2 := cpu.X86.HasAVX2 && cpu.X86.HasFMA
	switch {
	case hasAVX2 && cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ &&
		cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL:
		detected = isaAVX512
	case hasAVX2:
		detected = isaAVX2
	}
	active = detected
}
