package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// Benchmarks for the elementwise kernels and reductions: one benchmark per
// kernel, sub-benchmarks isa=<tier>/n=<size> so that one run compares the
// tiers side by side (benchstat -col /isa). n=4096 fits in L1 (compute
// bound); n=1000000 streams from L2/L3 (memory bound).

var vecBenchSizes = []int{4096, 1000000}

// benchVec runs f for every tier and size. arrays is how many float32 arrays
// of length n one call reads or writes, for b.SetBytes.
func benchVec(b *testing.B, arrays int, f func(x, y, dst []float32)) {
	for _, i := range availableISAs() {
		for _, n := range vecBenchSizes {
			b.Run(fmt.Sprintf("isa=%v/n=%d", i, n), func(b *testing.B) {
				withISA(b, i)
				r := rand.New(rand.NewPCG(1, uint64(n)))
				x, y := vecInput(r, n, 0), vecInput(r, n, 0)
				dst := make([]float32, n)
				b.SetBytes(int64(4 * n * arrays))
				for b.Loop() {
					f(x, y, dst)
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gelem/s")
			})
		}
	}
}

// vecBenchSink keeps reduction results alive.
var vecBenchSink float32

func BenchmarkAdd(b *testing.B) { benchVec(b, 3, func(x, y, d []float32) { Add(d, x, y) }) }

// BenchmarkAddInPlace is Add with dst == x. It moves 12 bytes per element
// where out-of-place Add moves 16 (the cache reads a line of dst before
// writing it), so at n=1000000, where the arrays stream from L3, it shows the
// bandwidth bound of the out-of-place figure.
func BenchmarkAddInPlace(b *testing.B) {
	benchVec(b, 3, func(x, y, _ []float32) { Add(x, x, y) })
}
func BenchmarkSub(b *testing.B) { benchVec(b, 3, func(x, y, d []float32) { Sub(d, x, y) }) }
func BenchmarkMul(b *testing.B) { benchVec(b, 3, func(x, y, d []float32) { Mul(d, x, y) }) }
func BenchmarkDiv(b *testing.B) { benchVec(b, 3, func(x, y, d []float32) { Div(d, x, y) }) }
func BenchmarkScale(b *testing.B) {
	benchVec(b, 2, func(x, _, d []float32) { Scale(d, 0.5, x) })
}
func BenchmarkAddScalar(b *testing.B) {
	benchVec(b, 2, func(x, _, d []float32) { AddScalar(d, x, 0.5) })
}

// BenchmarkAxpy updates y in place; 2^-20 keeps it from growing large.
func BenchmarkAxpy(b *testing.B) {
	benchVec(b, 3, func(x, y, _ []float32) { Axpy(0x1p-20, x, y) })
}
func BenchmarkReLU(b *testing.B) { benchVec(b, 2, func(x, _, d []float32) { ReLU(d, x) }) }
func BenchmarkReLUGrad(b *testing.B) {
	benchVec(b, 3, func(x, y, d []float32) { ReLUGrad(d, y, x) })
}
func BenchmarkDot(b *testing.B) {
	benchVec(b, 2, func(x, y, _ []float32) { vecBenchSink = Dot(x, y) })
}
func BenchmarkSum(b *testing.B) { benchVec(b, 1, func(x, _, _ []float32) { vecBenchSink = Sum(x) }) }
func BenchmarkSumSquares(b *testing.B) {
	benchVec(b, 1, func(x, _, _ []float32) { vecBenchSink = SumSquares(x) })
}
func BenchmarkArgMax(b *testing.B) {
	benchVec(b, 1, func(x, _, _ []float32) { vecBenchSink = float32(ArgMax(x)) })
}
func BenchmarkMax(b *testing.B) { benchVec(b, 1, func(x, _, _ []float32) { vecBenchSink = Max(x) }) }
