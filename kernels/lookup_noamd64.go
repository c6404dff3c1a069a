//go:build !amd64 || purego

package kernels

// Without amd64 assembly Lookup runs the generic loop (a byte load, a table
// load and a store per element). arm64 has no NEON kernel for it yet: TBL
// looks up at most 64 bytes at once, so a 1 KiB table would need byte
// planes as lookupVBMI uses on amd64.
func lookup(dst []float32, codes []uint8, table *[256]float32) { lookupGeneric(dst, codes, table) }
