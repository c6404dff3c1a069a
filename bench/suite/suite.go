// Package suite defines the benchmark cases (GEMM shapes, vector kernels and
// sizes) and the timing loop shared by the go test benchmarks and the report
// command, so both measure exactly the same thing.
package suite

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/lanes-go/lanes/bench/impls"
	"github.com/lanes-go/lanes/bench/probe"
	"github.com/lanes-go/lanes/kernels"
)

// GemmShape is one Sgemm problem: C (M×N) = op(A) (M×K) · op(B) (K×N).
type GemmShape struct {
	Name           string // what it stands for, e.g. "square" or "mlp forward"
	TransA, TransB bool
	M, N, K        int
}

// Trans is the BLAS-style transpose code, "NN", "TN", "NT" or "TT".
func (s GemmShape) Trans() string {
	code := func(t bool) string {
		if t {
			return "T"
		}
		return "N"
	}
	return code(s.TransA) + code(s.TransB)
}

// Label names the shape for tables and benchmark names, e.g. "NN_128x784x256".
func (s GemmShape) Label() string {
	return fmt.Sprintf("%s_%dx%dx%d", s.Trans(), s.M, s.N, s.K)
}

// FLOPs counts a multiply and an add per inner-product term, 2·M·N·K, the
// convention every GEMM benchmark uses.
func (s GemmShape) FLOPs() float64 { return 2 * float64(s.M) * float64(s.N) * float64(s.K) }

// Square is the n×n×n NN problem.
func Square(n int) GemmShape { return GemmShape{Name: "square", M: n, N: n, K: n} }

// SquareSizes are the square problems: 64 to 2048, or up to 256 when quick.
func SquareSizes(quick bool) []int {
	if quick {
		return []int{64, 128, 256}
	}
	return []int{64, 128, 256, 512, 1024, 2048}
}

// MLPShapes are the products one training step and one inference of the
// 784-256-10 MNIST MLP with batches of 128 perform (row-major, activations
// X 128×784, weights W 784×256): the forward pass X·W, the weight gradient
// Xᵀ·dY, the input gradient dY·Wᵀ, the output layer's forward pass, and
// single-sample inference, a GEMV.
func MLPShapes(quick bool) []GemmShape {
	shapes := []GemmShape{
		{Name: "mlp forward X·W", M: 128, N: 256, K: 784},
		{Name: "gemv x·W (1 sample)", M: 1, N: 256, K: 784},
	}
	if quick {
		return shapes
	}
	return append(shapes,
		GemmShape{Name: "mlp weight grad Xᵀ·dY", TransA: true, M: 784, N: 256, K: 128},
		GemmShape{Name: "mlp input grad dY·Wᵀ", TransB: true, M: 128, N: 784, K: 256},
		GemmShape{Name: "mlp output layer H·W₂", M: 128, N: 10, K: 256},
	)
}

// GemmData holds the operands of one shape, filled with values in [-1, 1).
type GemmData struct {
	Shape         GemmShape
	A, B, C       []float32
	LDA, LDB, LDC int
}

// NewGemmData allocates and fills the operands of s.
func NewGemmData(s GemmShape) *GemmData {
	r := rand.New(rand.NewPCG(uint64(s.M), uint64(s.N*s.K)))
	d := &GemmData{Shape: s, LDA: s.K, LDB: s.N, LDC: s.N}
	if s.TransA {
		d.LDA = s.M // A is stored K×M
	}
	if s.TransB {
		d.LDB = s.K // B is stored N×K
	}
	d.A = randomFloats(r, s.M*s.K)
	d.B = randomFloats(r, s.K*s.N)
	d.C = make([]float32, s.M*s.N)
	return d
}

// Run computes C = A·B once with lib (beta = 0, the forward-pass case).
func (d *GemmData) Run(lib impls.Library) {
	s := d.Shape
	lib.Sgemm(s.TransA, s.TransB, s.M, s.N, s.K, 1, d.A, d.LDA, d.B, d.LDB, 0, d.C, d.LDC)
}

func randomFloats(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = r.Float32()*2 - 1
	}
	return s
}

// VecData is the operands of a vector kernel: inputs X and Y, output Dst.
type VecData struct{ X, Y, Dst []float32 }

// NewVecData allocates n-element operands with values in [-1, 1), which keep
// Exp, Sigmoid and Tanh on their ordinary (not saturated) paths.
func NewVecData(n int) *VecData {
	r := rand.New(rand.NewPCG(uint64(n), 7))
	return &VecData{X: randomFloats(r, n), Y: randomFloats(r, n), Dst: make([]float32, n)}
}

// VecOp is a memory-bound kernel compared by bytes moved per second.
type VecOp struct {
	Name string
	// Bytes is the memory traffic per element: 4 per array read and 4 per
	// array written (STREAM's count, without write-allocate).
	Bytes int
	// Kind is the bandwidth probe this op's traffic resembles: Read for
	// reductions, Triad for ops that write an array.
	Kind probe.Kind
	// Arrays is how many n-element arrays the op touches, for its working set.
	Arrays int
	// bind returns one call of the op with lib on d, or nil if lib lacks it.
	bind func(lib impls.Library, d *VecData) func()
}

// Bind returns one call of the op with lib on d, or nil if lib has no such
// operation (gonum and OpenBLAS have only the BLAS level-1 ones).
func (op VecOp) Bind(lib impls.Library, d *VecData) func() { return op.bind(lib, d) }

// lanesOnly binds f for lanes and nothing for the BLAS libraries.
func lanesOnly(f func(d *VecData)) func(impls.Library, *VecData) func() {
	return func(lib impls.Library, d *VecData) func() {
		if lib.Name != "lanes" {
			return nil
		}
		return func() { f(d) }
	}
}

// sink keeps reductions' results alive.
var sink float32

// VecOps lists the vector kernels: the BLAS level-1 ones every library has,
// then lanes' elementwise kernels, which the BLAS libraries lack.
func VecOps() []VecOp {
	return []VecOp{
		{Name: "axpy", Bytes: 12, Kind: probe.Triad, Arrays: 2, bind: func(lib impls.Library, d *VecData) func() {
			// Alternate the sign so repeated calls leave Y bounded.
			alpha := float32(1e-3)
			return func() { lib.Axpy(alpha, d.X, d.Y); alpha = -alpha }
		}},
		{Name: "dot", Bytes: 8, Kind: probe.Read, Arrays: 2, bind: func(lib impls.Library, d *VecData) func() {
			return func() { sink += lib.Dot(d.X, d.Y) }
		}},
		{Name: "scale", Bytes: 8, Kind: probe.Triad, Arrays: 1, bind: func(lib impls.Library, d *VecData) func() {
			// Scaling by -1 in place keeps X unchanged in magnitude forever.
			return func() { lib.Scale(-1, d.X) }
		}},
		{Name: "add", Bytes: 12, Kind: probe.Triad, Arrays: 3, bind: lanesOnly(func(d *VecData) { kernels.Add(d.Dst, d.X, d.Y) })},
		{Name: "sum", Bytes: 4, Kind: probe.Read, Arrays: 1, bind: lanesOnly(func(d *VecData) { sink += kernels.Sum(d.X) })},
		{Name: "relu", Bytes: 8, Kind: probe.Triad, Arrays: 2, bind: lanesOnly(func(d *VecData) { kernels.ReLU(d.Dst, d.X) })},
		{Name: "exp", Bytes: 8, Kind: probe.Triad, Arrays: 2, bind: lanesOnly(func(d *VecData) { kernels.Exp(d.Dst, d.X) })},
		{Name: "sigmoid", Bytes: 8, Kind: probe.Triad, Arrays: 2, bind: lanesOnly(func(d *VecData) { kernels.Sigmoid(d.Dst, d.X) })},
		{Name: "tanh", Bytes: 8, Kind: probe.Triad, Arrays: 2, bind: lanesOnly(func(d *VecData) { kernels.Tanh(d.Dst, d.X) })},
		{Name: "softmax", Bytes: 8, Kind: probe.Triad, Arrays: 2, bind: lanesOnly(func(d *VecData) { kernels.Softmax(d.Dst, d.X) })},
	}
}

// VecOpByName finds an op of VecOps.
func VecOpByName(name string) (VecOp, bool) {
	ops := VecOps()
	i := slices.IndexFunc(ops, func(op VecOp) bool { return op.Name == name })
	if i < 0 {
		return VecOp{}, false
	}
	return ops[i], true
}

// VecSizes are the vector lengths: one per memory level (4096 elements sit in
// L1, 64Ki in L2, 1Mi in L3 on most machines, 16Mi only in DRAM); quick keeps
// the L1 and L2 ones.
func VecSizes(quick bool) []int {
	if quick {
		return []int{4096, 1 << 16}
	}
	return []int{4096, 1 << 16, 1 << 20, 1 << 24}
}

// MeasureOnce warms fn up, then calls it repeatedly for at least minTime and
// returns the mean time per call. Warm-up is one call, plus more until a
// tenth of minTime has passed, so caches, page tables, thread pools and
// clocks settle first. If the first call alone takes longer than budget, that
// call is the measurement (too slow to repeat), and single reports it.
func MeasureOnce(fn func(), minTime, budget time.Duration) (perCall time.Duration, single bool) {
	start := time.Now()
	fn()
	first := time.Since(start)
	if first > budget {
		return first, true
	}
	for time.Since(start) < minTime/10 {
		fn()
	}
	calls := 0
	start = time.Now()
	for {
		fn()
		calls++
		if elapsed := time.Since(start); elapsed >= minTime {
			return elapsed / time.Duration(calls), false
		}
	}
}
