package kernels

// lookupGeneric is Lookup's reference loop: len(codes) == len(dst). (The
// index is a byte, so table needs no bounds check.)
func lookupGeneric(dst []float32, codes []uint8, table *[256]float32) {
	codes = codes[:len(dst)]
	for i, c := range codes {
		dst[i] = table[c]
	}
}
