//go:build !purego

package kernels

import "golang.org/x/sys/cpu"

// lookupAVX512 and lookupAVX2 are lookupGeneric for n = len(dst) =
// len(codes) > 0: each zero-extends the codes to 32-bit indices
// (VPMOVZXBD) and gathers the values from the table (VPGATHERDD), 16 or 8
// at a time, with the last n%16 or n%8 under a mask. A zmm gather costs
// about 20 cycles on Zen 4, so this is about 1.3 cycles per element: a
// 128×784 batch of uniform codes takes 43-47 µs (31-35 µs for digit-like
// codes, whose all-zero blocks skip the gather). Plain scalar loops in
// assembly (a byte load, a table load and a store per element, with or
// without one 8-byte load of the codes) measured 40-48 µs, no better than
// lookupAVX2's gathers, so AVX2 keeps them.
//
//go:noescape
func lookupAVX512(dst *float32, codes *uint8, n int, table *[256]float32)

//go:noescape
func lookupAVX2(dst *float32, codes *uint8, n int, table *[256]float32)

// lookupVBMI is lookupGeneric for n > 0 without gathers, using the byte
// permutes of AVX512_VBMI. VPERMI2B looks up 64 bytes at once in a
// 128-byte table held in two registers, so the call first splits the 1 KiB
// table into four byte planes (plane p holds byte p of every entry: 256
// bytes, four zmm; all sixteen stay in registers). Each block of 64 codes
// then costs
//   - one VPERMD that reorders the codes (see below) and one VPMOVB2M that
//     takes bit 7 of each;
//   - per plane, two merge-masked VPERMI2B into a copy of the codes:
//     entries 128-255 where bit 7 is set, then 0-127 where it is not
//     (lanes not yet written still hold their code, the index);
//   - four VPUNPCK[LH]BW and four VPUNPCK[LH]WD that interleave the planes
//     into 64 float32s. These work within 128-bit lanes, so their output
//     would be a 4×4 transpose of 4-element groups; the VPERMD applies that
//     transpose to the codes beforehand and the results come out in order;
//   - four stores.
//
// That is 17 shuffles per 64 elements, and Zen 4 issues about one zmm
// shuffle per cycle: the loop without its stores takes 7.4 µs per 128×784
// batch (4.2 µs without the unpacks), the stores alone (400 KB) 5 µs.
// Measured with BenchmarkLookup, medians of 5 in two runs: 8.0-8.4 µs on
// uniform codes and 6.6-7.0 µs on digit-like codes, against 43-47 and
// 31-35 µs for lookupAVX512: about 0.3 cycles per element.
// Measured and rejected: interleaving with cross-lane VPERMI2B/VPERMI2W
// instead of unpacks, which spares the VPERMD (7.8 µs without stores
// against 7.6); unmasked VPERMT2B into table copies plus a VPBLENDMB per
// plane (within noise without the zero-block test, slower with it).
// Counted on paper and not tried, since they need more shuffles per 64
// elements: VPERMI2W on 16-bit planes 22, VPERMT2PS on eight 32-entry
// float tables 36.
//
//go:noescape
func lookupVBMI(dst *float32, codes *uint8, n int, table *[256]float32)

// useVBMI selects lookupVBMI at the AVX-512 tier. x/sys/cpu reports VBMI
// only with the AVX-512 registers enabled and honours
// GODEBUG=cpu.avx512vbmi=off, which leaves the gather kernel. Tests flip it
// to run both.
var useVBMI = cpu.X86.HasAVX512VBMI

func lookup(dst []float32, codes []uint8, table *[256]float32) {
	if len(dst) == 0 {
		return
	}
	codes = codes[:len(dst)]
	switch {
	case active == isaAVX512 && useVBMI:
		lookupVBMI(&dst[0], &codes[0], len(dst), table)
	case active == isaAVX512:
		lookupAVX512(&dst[0], &codes[0], len(dst), table)
	case active == isaAVX2:
		lookupAVX2(&dst[0], &codes[0], len(dst), table)
	default:
		lookupGeneric(dst, codes, table)
	}
}
