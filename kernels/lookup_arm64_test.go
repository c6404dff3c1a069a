//go:build !purego

package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// On arm64 the NEON tier runs lookupNEON and generic the Go loop; name
// them so that test and benchmark lines say which ran.
func init() {
	lookupKernels = func(i isa) []lookupKernel {
		if i == isaNEON {
			return []lookupKernel{{name: "tbl", use: func(testing.TB) {}}}
		}
		return []lookupKernel{{name: "loop", use: func(testing.TB) {}}}
	}
}

// TestLookupNEONKernel calls lookupNEON directly. It checks the byte-plane
// scratch against the layout lookup_arm64.s documents
// (planes[256s+64p+j] = byte p of table[64s+j]), then decodes 304 codes
// (six blocks of 48, one of 16) where codes[i] = i+shift mod 256 for every
// shift in 0..47: each code then sits once in each of the 48 lanes of the
// main loop's block, and the block of 16 sees 16 more. Nothing past dst[n]
// may be written.
func TestLookupNEONKernel(t *testing.T) {
	if detected != isaNEON {
		t.Skip("no NEON")
	}
	table := lookupTestTables(rand.New(rand.NewPCG(3, 4)))["planes"]
	const n, guard = 304, 16
	codes := make([]uint8, n)
	for shift := range 48 {
		for i := range codes {
			codes[i] = uint8(i + shift)
		}
		buf := nanSlice(n + guard)
		var planes [1024]byte
		lookupNEON(&buf[0], &codes[0], n, table, &planes)
		if shift == 0 {
			for k, got := range planes {
				s, p, j := k/256, k/64%4, k%64
				if want := uint8(math.Float32bits(table[64*s+j]) >> (8 * p)); got != want {
					t.Fatalf("planes[%d] (segment %d, plane %d, entry %d) = %#x, want byte %d of table[%d] = %#x",
						k, s, p, j, got, p, 64*s+j, want)
				}
			}
		}
		for i, c := range codes {
			if got, want := math.Float32bits(buf[i]), math.Float32bits(table[c]); got != want {
				t.Fatalf("shift %d: dst[%d] = %#x, want table[%d] = %#x", shift, i, got, c, want)
			}
		}
		for i, v := range buf[n:] {
			if v == v {
				t.Fatalf("shift %d: guard %d past dst overwritten with %v", shift, i, v)
			}
		}
	}
}
