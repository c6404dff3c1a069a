//go:build !amd64 || purego

package kernels

// Without amd64 assembly Lookup runs the generic loop: a byte load, a
// float load and a store per element, which NEON's 64-byte table
// lookups (TBL) would not beat by much for a 1 KiB table.
func lookup(dst []float32, codes []uint8, table *[256]float32) { lookupGeneric(dst, codes, table) }
