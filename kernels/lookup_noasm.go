//go:build (!amd64 && !arm64) || purego

package kernels

// Without assembly (GOARCHes other than amd64 and arm64, or -tags purego)
// Lookup runs the generic loop: a byte load, a table load and a store per
// element.
func lookup(dst []float32, codes []uint8, table *[256]float32) { lookupGeneric(dst, codes, table) }
