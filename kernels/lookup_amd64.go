//go:build !purego

package kernels

// lookupAVX512 and lookupAVX2 are lookupGeneric for n = len(dst) =
// len(codes) > 0: each zero-extends the codes to 32-bit indices
// (VPMOVZXBD) and gathers the values from the table (VPGATHERDD), 16 or 8
// at a time, with the last n%16 or n%8 under a mask.
//
//go:noescape
func lookupAVX512(dst *float32, codes *uint8, n int, table *[256]float32)

//go:noescape
func lookupAVX2(dst *float32, codes *uint8, n int, table *[256]float32)

func lookup(dst []float32, codes []uint8, table *[256]float32) {
	if len(dst) == 0 {
		return
	}
	codes = codes[:len(dst)]
	switch active {
	case isaAVX512:
		lookupAVX512(&dst[0], &codes[0], len(dst), table)
	case isaAVX2:
		lookupAVX2(&dst[0], &codes[0], len(dst), table)
	default:
		lookupGeneric(dst, codes, table)
	}
}
