package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/lanes-go/lanes/internal/mnisttest"
)

// digitBatch returns rows 28×28 images (row-major, one image per row of a
// rows×784 matrix) drawn like handwritten digits: a few random-walk pen
// strokes, two pixels wide, kept away from the border, until about 150 of
// the 784 pixels are inked (MNIST's training images average 150, 19%).
// Like real digits, the zeros come in long runs and the border is empty.
func digitBatch(rng *rand.Rand, rows int) []float32 {
	const side, target = 28, 150
	x := make([]float32, rows*side*side)
	for i := range rows {
		img := x[i*side*side:][:side*side]
		inked := 0
		for inked < target {
			r, c := 6+rng.Float64()*16, 6+rng.Float64()*16
			dr, dc := rng.NormFloat64(), rng.NormFloat64()
			for range 12 + rng.IntN(12) {
				dr, dc = 0.7*dr+0.5*rng.NormFloat64(), 0.7*dc+0.5*rng.NormFloat64()
				r, c = min(max(r+dr, 4), 22), min(max(c+dc, 4), 22)
				for _, d := range [4][2]int{{0, 0}, {0, 1}, {1, 0}, {1, 1}} {
					p := &img[(int(r)+d[0])*side+int(c)+d[1]]
					if *p == 0 {
						*p = 0.25 + 0.75*rng.Float32()
						inked++
					}
				}
			}
		}
	}
	return x
}

// randomSparse returns a rows×cols matrix whose entries are nonzero with the
// given probability, independently.
func randomSparse(rng *rand.Rand, rows, cols int, density float64) []float32 {
	x := make([]float32, rows*cols)
	for i := range x {
		if rng.Float64() < density {
			x[i] = rng.Float32()
		}
	}
	return x
}

func randomDense(rng *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	return x
}

// BenchmarkSgemmCSR times the MLP trainer's products with MNIST-like inputs
// (digitBatch, 19% nonzero) through SgemmCSR and, in the same run, the dense
// Sgemm of the same shapes, per tier and thread count:
//
//	forward:  X·W,  X 128×784 sparse, W 784×256   (Sgemm NN 128×256×784)
//	gradient: Xᵀ·dY, Xᵀ 784×128 sparse, dY 128×256 (Sgemm TN 784×256×128)
//	single:   x·W,  x 1×784 sparse                (Sgemm NN 1×256×784)
//
// dense-GFLOP/s is the dense product's 2·m·n·k over the time, so the two
// paths compare directly.
func BenchmarkSgemmCSR(b *testing.B) {
	defer SetMaxThreads(SetMaxThreads(0))
	rng := rand.New(rand.NewPCG(5, 6))
	x := digitBatch(rng, 128)
	w := randomDense(rng, 784*256)
	dy := randomDense(rng, 128*256)
	type shape struct {
		op      string
		m, n, k int
		a       func() *CSR
		dense   func(c []float32)
		bMat    []float32
	}
	var xs, xt, x1 CSR
	xs.FromDense(128, 784, x, 784)
	xt.FromDenseTransposed(128, 784, x, 784)
	x1.FromDense(1, 784, x, 784)
	shapes := []shape{
		{"forward", 128, 256, 784, func() *CSR { return &xs },
			func(c []float32) { Sgemm(NoTrans, NoTrans, 128, 256, 784, 1, x, 784, w, 256, 0, c, 256) }, w},
		{"gradient", 784, 256, 128, func() *CSR { return &xt },
			func(c []float32) { Sgemm(Trans, NoTrans, 784, 256, 128, 1, x, 784, dy, 256, 0, c, 256) }, dy},
		{"single", 1, 256, 784, func() *CSR { return &x1 },
			func(c []float32) { Sgemm(NoTrans, NoTrans, 1, 256, 784, 1, x, 784, w, 256, 0, c, 256) }, w},
	}
	for _, i := range availableISAs() {
		for _, threads := range []int{1, 2} {
			for _, s := range shapes {
				c := make([]float32, s.m*s.n)
				flops := 2 * float64(s.m) * float64(s.n) * float64(s.k)
				for _, path := range []string{"csr", "dense"} {
					name := fmt.Sprintf("isa=%v/threads=%d/op=%s/shape=%dx%dx%d/path=%s", i, threads, s.op, s.m, s.n, s.k, path)
					b.Run(name, func(b *testing.B) {
						withISA(b, i)
						SetMaxThreads(threads)
						a := s.a()
						for b.Loop() {
							if path == "csr" {
								SgemmCSR(s.n, 1, a, s.bMat, s.n, 0, c, s.n)
							} else {
								s.dense(c)
							}
						}
						b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "dense-GFLOP/s")
					})
				}
			}
		}
	}
}

// BenchmarkSgemmCSRDensity finds the break-even density: the forward shape
// (128×784 sparse times 784×256) with nonzeros spread at random, against the
// dense Sgemm of the same shape in the same run (density=dense).
func BenchmarkSgemmCSRDensity(b *testing.B) {
	defer SetMaxThreads(SetMaxThreads(0))
	const m, n, k = 128, 256, 784
	rng := rand.New(rand.NewPCG(7, 8))
	w := randomDense(rng, k*n)
	c := make([]float32, m*n)
	flops := 2.0 * m * n * k
	for _, threads := range []int{1, 2} {
		for _, density := range []float64{0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1, -1} {
			x := randomSparse(rng, m, k, max(density, 0))
			var a CSR
			a.FromDense(m, k, x, k)
			name := fmt.Sprintf("isa=%v/threads=%d/density=%g", active, threads, density)
			if density < 0 {
				name = fmt.Sprintf("isa=%v/threads=%d/density=dense", active, threads)
			}
			b.Run(name, func(b *testing.B) {
				SetMaxThreads(threads)
				for b.Loop() {
					if density < 0 {
						Sgemm(NoTrans, NoTrans, m, n, k, 1, x, k, w, n, 0, c, n)
					} else {
						SgemmCSR(n, 1, &a, w, n, 0, c, n)
					}
				}
				b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "dense-GFLOP/s")
			})
		}
	}
}

// BenchmarkCSRFromDense times building the CSR forms of an MNIST-like batch
// (128×784): FromDense for the forward product, FromDenseTransposed for the
// weight gradient.
func BenchmarkCSRFromDense(b *testing.B) {
	x := digitBatch(rand.New(rand.NewPCG(5, 6)), 128)
	for _, i := range availableISAs() {
		for _, op := range []string{"FromDense", "FromDenseTransposed"} {
			b.Run(fmt.Sprintf("isa=%v/op=%s/shape=128x784", i, op), func(b *testing.B) {
				withISA(b, i)
				var s CSR
				for b.Loop() {
					if op == "FromDense" {
						s.FromDense(128, 784, x, 784)
					} else {
						s.FromDenseTransposed(128, 784, x, 784)
					}
				}
				b.SetBytes(128 * 784 * 4)
			})
		}
	}
}

// BenchmarkSgemmCSRMNIST is BenchmarkSgemmCSR's forward and weight-gradient
// products, and the conversions they need, on the first 128 real MNIST
// training images (18.8% nonzero), with the active tier; it is skipped
// when MNIST is unavailable (see internal/mnisttest). path=csr-rows is the
// forward product with csrRowsBlocked turned off, path=csr-pairs the
// gradient with csrRowsNarrow turned off.
func BenchmarkSgemmCSRMNIST(b *testing.B) {
	train, _ := mnisttest.Load(b)
	const m, k, n = 128, 784, 256
	if train.Dim() != k || train.N < m {
		b.Skipf("MNIST images are %d pixels, %d of them", train.Dim(), train.N)
	}
	x := train.Images[:m*k]
	rng := rand.New(rand.NewPCG(5, 6))
	w := randomDense(rng, k*n)
	dy := randomDense(rng, m*n)
	c := make([]float32, k*n)
	var xs, xt CSR
	xs.FromDense(m, k, x, k)
	xt.FromDenseTransposed(m, k, x, k)
	defer SetMaxThreads(SetMaxThreads(0))
	for _, threads := range []int{1, 2} {
		for _, tc := range []struct {
			name  string
			flops float64
			run   func()
		}{
			{"forward/path=csr", 2 * m * n * k, func() { SgemmCSR(n, 1, &xs, w, n, 0, c, n) }},
			// The same without AVX-512's blocks of B (csrRowsBlocked), for
			// an A/B in one process.
			{"forward/path=csr-rows", 2 * m * n * k, func() {
				csrBlocks = false
				SgemmCSR(n, 1, &xs, w, n, 0, c, n)
				csrBlocks = true
			}},
			{"forward/path=dense", 2 * m * n * k, func() { Sgemm(NoTrans, NoTrans, m, n, k, 1, x, k, w, n, 0, c, n) }},
			{"gradient/path=csr", 2 * m * n * k, func() { SgemmCSR(n, 1, &xt, dy, n, 0, c, n) }},
			// The same without AVX-512's narrow tiles of dY (csrRowsNarrow):
			// two rows at a time from dY itself (csrRowPair).
			{"gradient/path=csr-pairs", 2 * m * n * k, func() {
				csrNarrow = false
				SgemmCSR(n, 1, &xt, dy, n, 0, c, n)
				csrNarrow = true
			}},
			{"gradient/path=dense", 2 * m * n * k, func() { Sgemm(Trans, NoTrans, k, n, m, 1, x, k, dy, n, 0, c, n) }},
			{"FromDense", 0, func() { xs.FromDense(m, k, x, k) }},
			{"FromDenseTransposed", 0, func() { xt.FromDenseTransposed(m, k, x, k) }},
		} {
			b.Run(fmt.Sprintf("isa=%v/threads=%d/op=%s", active, threads, tc.name), func(b *testing.B) {
				SetMaxThreads(threads)
				for b.Loop() {
					tc.run()
				}
				if tc.flops > 0 {
					b.ReportMetric(tc.flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "dense-GFLOP/s")
				}
			})
		}
	}
}
