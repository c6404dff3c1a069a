package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// FuzzSgemm checks Sgemm against the float64 reference on fuzzed shapes,
// strides, transpositions, alpha and beta, tier and thread count. flags:
// bit 0 tA, bit 1 tB, bits 2-3 the tier (modulo those available), bits 4-5
// threads-1, bit 6 forces the parallel split even for tiny shapes.
func FuzzSgemm(f *testing.F) {
	f.Add(uint8(0), uint16(13), uint16(33), uint16(17), uint8(1), float32(1), float32(0), uint64(1))
	f.Add(uint8(0x53), uint16(1), uint16(256), uint16(200), uint8(0), float32(-0.5), float32(1), uint64(2))
	f.Add(uint8(0x7f), uint16(49), uint16(97), uint16(129), uint8(3), float32(2), float32(0.25), uint64(3))
	f.Fuzz(func(t *testing.T, flags uint8, m16, n16, k16 uint16, pad uint8, alpha, beta float32, seed uint64) {
		if !isFinite(alpha) || !isFinite(beta) || math.Abs(float64(alpha)) > 1e6 || math.Abs(float64(beta)) > 1e6 {
			return // the reference bound assumes finite, moderate scalars
		}
		isas := availableISAs()
		withISA(t, isas[int(flags>>2&3)%len(isas)])
		defer SetMaxThreads(SetMaxThreads(1 + int(flags>>4&3)))
		if flags&0x40 != 0 {
			withSerialWork(t, 0)
		}
		// Dimensions up to 1023, with k shrunk so one case stays under ~2M
		// multiply-adds (the float64 reference is a triple loop).
		m, n, k := int(m16%1024), int(n16%1024), int(k16%1024)
		if m*n*k > 2<<20 {
			k = (2 << 20) / (m * n)
		}
		tA, tB := Transpose(flags&1), Transpose(flags>>1&1)
		rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
		g := newGemmCase(rng, tA, tB, m, n, k, int(pad%5), alpha, beta)
		got := append([]float32(nil), g.c...)
		g.run(got)
		g.check(t, got)
	})
}

func isFinite(x float32) bool { return !math.IsNaN(float64(x)) && !math.IsInf(float64(x), 0) }
