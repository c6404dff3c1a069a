package kernels

import "fmt"

// Lookup sets dst[i] = table[codes[i]]: it decodes features stored as one
// byte each (a palette of up to 256 values: image pixels, quantised
// inputs) into float32. A training loop that keeps its data set as bytes
// reads a quarter of the memory for each mini-batch, and decodes the batch
// into float32 with this; package mlp does so for Data.Codes.
func Lookup(dst []float32, codes []uint8, table *[256]float32) {
	if len(dst) != len(codes) {
		panic(fmt.Sprintf("kernels.Lookup: len(dst) = %d, len(codes) = %d; they must be equal", len(dst), len(codes)))
	}
	if table == nil {
		panic("kernels.Lookup: table is nil")
	}
	for len(dst) > 0 {
		n := min(len(dst), chunk)
		lookup(dst[:n], codes[:n], table)
		dst, codes = dst[n:], codes[n:]
	}
}
