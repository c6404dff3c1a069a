package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// FuzzSgemmCSR checks SgemmCSR against the float64 dense product on fuzzed
// shapes, densities, alpha and beta, tier and thread count, and the asm
// tiers bit for bit against the fused reference. flags: bits 0-1 the tier
// (modulo those available), bits 2-3 threads-1, bit 4 forces the parallel
// split even for tiny shapes.
func FuzzSgemmCSR(f *testing.F) {
	f.Add(uint8(0), uint16(13), uint16(33), uint16(17), uint8(50), float32(1), float32(0), uint64(1))
	f.Add(uint8(0x17), uint16(1), uint16(256), uint16(784), uint8(48), float32(-0.5), float32(1), uint64(2))
	f.Add(uint8(0x1e), uint16(49), uint16(300), uint16(129), uint8(255), float32(2), float32(0.25), uint64(3))
	// AVX-512 (where available) on two threads, in blocks (csrRowsBlocked).
	f.Add(uint8(0x16), uint16(16), uint16(128), uint16(1000), uint8(80), float32(1), float32(0.5), uint64(4))
	for isa := range uint8(3) { // B of 100 rows, 300 columns: AVX-512's narrow tiles on one thread
		f.Add(isa, uint16(61), uint16(300), uint16(100), uint8(80), float32(-0.5), float32(0.25), uint64(5+isa))
	}
	f.Fuzz(func(t *testing.T, flags uint8, m16, n16, k16 uint16, density8 uint8, alpha, beta float32, seed uint64) {
		if !isFinite(alpha) || !isFinite(beta) || math.Abs(float64(alpha)) > 1e6 || math.Abs(float64(beta)) > 1e6 {
			return // the reference bound assumes finite, moderate scalars
		}
		isas := availableISAs()
		withISA(t, isas[int(flags&3)%len(isas)])
		defer SetMaxThreads(SetMaxThreads(1 + int(flags>>2&3)))
		if flags&0x10 != 0 {
			withSerialWork(t, 0)
		}
		// Up to 511 rows, 1023 columns of C and 2047 of A, with k shrunk
		// so the float64 reference stays under ~2M multiply-adds.
		m, n, k := int(m16%512), int(n16%1024), int(k16%2048)
		if m*n*k > 2<<20 {
			k = (2 << 20) / (m * n)
		}
		rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
		cs := newCSRCase(rng, m, n, k, float64(density8)/255, alpha, beta)
		got := cs.run()
		cs.check(t, got)
		if active != isaGeneric {
			want := cs.fusedRef()
			for idx := range got {
				if !sameBits(got[idx], want[idx]) {
					t.Fatalf("%v: element %d = %v, fused reference %v", cs, idx, got[idx], want[idx])
				}
			}
		}
	})
}
