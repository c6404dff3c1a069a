package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"
)

// gemmCase is one Sgemm call with its stored operands.
type gemmCase struct {
	tA, tB        Transpose
	m, n, k       int
	alpha, beta   float32
	a, b, c       []float32
	lda, ldb, ldc int
}

// padNaN marks padding between rows of A and B: a kernel that reads it
// poisons its result. padC marks C's padding, which must never be written.
var padNaN = float32(math.NaN())

const padC = float32(-12345.5)

// newGemmCase builds random operands with row strides wider than the rows
// (by pad elements, filled with NaN in A and B and padC in C). With
// beta == 0, C's window holds NaN, which Sgemm must overwrite unread.
func newGemmCase(rng *rand.Rand, tA, tB Transpose, m, n, k, pad int, alpha, beta float32) *gemmCase {
	aRows, aCols := m, k
	if tA == Trans {
		aRows, aCols = k, m
	}
	bRows, bCols := k, n
	if tB == Trans {
		bRows, bCols = n, k
	}
	g := &gemmCase{tA: tA, tB: tB, m: m, n: n, k: k, alpha: alpha, beta: beta,
		lda: max(1, aCols) + pad, ldb: max(1, bCols) + pad, ldc: max(1, n) + pad}
	fill := func(rows, cols, ld int, padValue float32, value func() float32) []float32 {
		s := make([]float32, rows*ld)
		for i := range s {
			if i%ld < cols {
				s[i] = value()
			} else {
				s[i] = padValue
			}
		}
		return s
	}
	uniform := func() float32 { return rng.Float32()*2 - 1 }
	g.a = fill(aRows, aCols, g.lda, padNaN, uniform)
	g.b = fill(bRows, bCols, g.ldb, padNaN, uniform)
	cValue := uniform
	if beta == 0 {
		cValue = func() float32 { return float32(math.NaN()) }
	}
	g.c = fill(m, n, g.ldc, padC, cValue)
	return g
}

func (g *gemmCase) run(c []float32) {
	Sgemm(g.tA, g.tB, g.m, g.n, g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta, c, g.ldc)
}

// opA and opB read op(A)[i][p] and op(B)[p][j] from the stored matrices.
func (g *gemmCase) opA(i, p int) float64 {
	if g.tA == Trans {
		return float64(g.a[p*g.lda+i])
	}
	return float64(g.a[i*g.lda+p])
}

func (g *gemmCase) opB(p, j int) float64 {
	if g.tB == Trans {
		return float64(g.b[j*g.ldb+p])
	}
	return float64(g.b[p*g.ldb+j])
}

// check compares got (Sgemm's output for g.c) with a float64 triple loop.
// Each element may be off by the float32 rounding of k products and sums
// plus the epilogue: |got-want| <= 2(k+4)·2⁻²⁴·(|alpha|·Σ|a·b| + |beta·c|).
func (g *gemmCase) check(t testing.TB, got []float32) {
	t.Helper()
	errs := 0
	for i := 0; i < g.m; i++ {
		for j := 0; j < g.ldc; j++ {
			idx := i*g.ldc + j
			if j >= g.n {
				if got[idx] != padC {
					t.Fatalf("%v: C padding at row %d col %d written: %v", g, i, j, got[idx])
				}
				continue
			}
			var dot, mag float64
			if g.alpha != 0 {
				for p := 0; p < g.k; p++ {
					prod := g.opA(i, p) * g.opB(p, j)
					dot += prod
					mag += math.Abs(prod)
				}
			}
			want := float64(g.alpha) * dot
			bound := math.Abs(float64(g.alpha)) * mag
			if g.beta != 0 {
				want += float64(g.beta) * float64(g.c[idx])
				bound += math.Abs(float64(g.beta) * float64(g.c[idx]))
			}
			bound *= 2 * float64(g.k+4) * 0x1p-24
			if diff := math.Abs(float64(got[idx]) - want); !(diff <= bound) {
				t.Errorf("%v: C[%d][%d] = %v, want %v (bound %g)", g, i, j, got[idx], want, bound)
				if errs++; errs > 5 {
					t.FailNow()
				}
			}
		}
	}
}

func (g *gemmCase) String() string {
	return fmt.Sprintf("Sgemm(%v, %v, m=%d n=%d k=%d alpha=%v lda=%d ldb=%d beta=%v ldc=%d)",
		g.tA, g.tB, g.m, g.n, g.k, g.alpha, g.lda, g.ldb, g.beta, g.ldc)
}

func (t Transpose) String() string {
	if t == Trans {
		return "T"
	}
	return "N"
}

var transposes = []Transpose{NoTrans, Trans}

// gemmDims are the sizes tried for m, n and k: empty, tiny, around the
// current tier's tile edges, and larger than one block.
func gemmDims() []int {
	g := gemmFor(active)
	mr, nr := g.mr, g.nr
	dims := []int{0, 1, 2, mr - 1, mr, mr + 1, nr - 1, nr, nr + 1, 2*mr + 1, 17, 64, 127, 300}
	seen := map[int]bool{}
	out := dims[:0]
	for _, d := range dims {
		if d >= 0 && !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

func TestSgemmShapes(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		alphas := []float32{1, -0.5, 0}
		betas := []float32{0, 1, 0.25}
		dims := gemmDims()
		n := 0
		for _, tA := range transposes {
			for _, tB := range transposes {
				for _, m := range dims {
					for _, nn := range dims {
						for _, k := range dims {
							n++
							big := 0
							for _, d := range []int{m, nn, k} {
								if d >= 127 {
									big++
								}
							}
							// -short (and qemu) samples about one case in 12 and skips
							// the slowest; the full run tries every combination.
							if testing.Short() && (rng.IntN(12) != 0 || big >= 2) {
								continue
							}
							if big == 3 && k > 200 {
								continue // 300³ three ways adds time, not coverage
							}
							alpha, beta := alphas[n%3], betas[(n/3)%3]
							g := newGemmCase(rng, tA, tB, m, nn, k, n%3, alpha, beta)
							got := append([]float32(nil), g.c...)
							g.run(got)
							g.check(t, got)
						}
					}
				}
			}
		}
	})
}

// TestSgemmAlphaBeta covers every alpha and beta on a shape with edge tiles
// on both the packed path and the GEMV paths.
func TestSgemmAlphaBeta(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		g0 := gemmFor(active)
		shapes := [][3]int{{2*g0.mr + 1, g0.nr + 3, 37}, {1, 45, 33}, {45, 1, 33}, {1, 1, 5}}
		for _, s := range shapes {
			for _, tA := range transposes {
				for _, tB := range transposes {
					for _, alpha := range []float32{0, 1, -0.5} {
						for _, beta := range []float32{0, 1, 0.25} {
							g := newGemmCase(rng, tA, tB, s[0], s[1], s[2], 2, alpha, beta)
							got := append([]float32(nil), g.c...)
							g.run(got)
							g.check(t, got)
						}
					}
				}
			}
		}
	})
}

// TestSgemmAlphaZeroDoesNotReadAB: with alpha == 0, A and B may hold
// anything (here NaN) and C = beta·C.
func TestSgemmAlphaZeroDoesNotReadAB(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		for _, beta := range []float32{0, 2} {
			m, n, k := 5, 7, 9
			a := make([]float32, m*k)
			b := make([]float32, k*n)
			for i := range a {
				a[i] = float32(math.NaN())
			}
			for i := range b {
				b[i] = float32(math.Inf(1))
			}
			c := make([]float32, m*n)
			for i := range c {
				c[i] = float32(i)
			}
			Sgemm(NoTrans, NoTrans, m, n, k, 0, a, k, b, n, beta, c, n)
			for i, v := range c {
				if want := beta * float32(i); v != want {
					t.Fatalf("beta=%v: c[%d] = %v, want %v", beta, i, v, want)
				}
			}
		}
	})
}

// TestSgemmThreadsBitwise checks that results do not depend on the number
// of threads, for shapes split by rows and by columns with edge tiles.
func TestSgemmThreadsBitwise(t *testing.T) {
	shapes := [][3]int{{301, 133, 270}, {70, 517, 300}, {128, 256, 784}, {301, 13, 270}}
	if testing.Short() {
		// Small enough for qemu; withSerialWork makes them split anyway.
		shapes = [][3]int{{61, 37, 70}, {21, 131, 45}, {70, 13, 20}}
	}
	withSerialWork(t, 0)
	defer SetMaxThreads(SetMaxThreads(0))
	forEachISA(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(5, 6))
		for _, s := range shapes {
			for _, tA := range transposes {
				for _, tB := range transposes {
					g := newGemmCase(rng, tA, tB, s[0], s[1], s[2], 1, 0.75, 0.5)
					var first []float32
					for _, threads := range []int{1, 2, 3} {
						SetMaxThreads(threads)
						got := append([]float32(nil), g.c...)
						g.run(got)
						if first == nil {
							g.check(t, got)
							first = got
							continue
						}
						for i := range got {
							if math.Float32bits(got[i]) != math.Float32bits(first[i]) {
								t.Fatalf("%v: threads=%d differs from threads=1 at %d: %v vs %v",
									g, threads, i, got[i], first[i])
							}
						}
					}
				}
			}
		}
	})
}

// TestSgemmConcurrentCalls runs parallel Sgemm calls from several goroutines
// at once: they must not share buffers or deadlock in the pool.
func TestSgemmConcurrentCalls(t *testing.T) {
	defer SetMaxThreads(SetMaxThreads(2))
	withSerialWork(t, 0)
	rng := rand.New(rand.NewPCG(7, 8))
	const callers = 4
	cases := make([]*gemmCase, callers)
	want := make([][]float32, callers)
	for i := range cases {
		cases[i] = newGemmCase(rng, transposes[i%2], transposes[i/2%2], 60+i*7, 70, 50, 1, 1, 0.5)
		want[i] = append([]float32(nil), cases[i].c...)
		cases[i].run(want[i])
	}
	var wg sync.WaitGroup
	for i := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rep := 0; rep < 5; rep++ {
				got := append([]float32(nil), cases[i].c...)
				cases[i].run(got)
				for j := range got {
					if math.Float32bits(got[j]) != math.Float32bits(want[i][j]) {
						t.Errorf("caller %d rep %d: element %d = %v, want %v", i, rep, j, got[j], want[i][j])
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

// TestSgemmNoAllocs: steady-state calls allocate nothing, serial or parallel,
// on the packed and GEMV paths.
func TestSgemmNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	defer SetMaxThreads(SetMaxThreads(0))
	withSerialWork(t, 50*50*50)
	rng := rand.New(rand.NewPCG(9, 10))
	forEachISA(t, func(t *testing.T) {
		for _, s := range [][3]int{{100, 100, 100}, {12, 16, 10}, {1, 256, 784}, {256, 1, 784}} {
			for _, threads := range []int{1, 2} {
				SetMaxThreads(threads)
				g := newGemmCase(rng, NoTrans, Trans, s[0], s[1], s[2], 0, 1, 0)
				allocs := testing.AllocsPerRun(20, func() { g.run(g.c) })
				if allocs != 0 {
					t.Errorf("%v threads=%d: %v allocations per call", g, threads, allocs)
				}
			}
		}
		// Both operands not transposed: the narrow-columns path (40×10×64
		// is below the serial threshold) and the m == 1 GEMV, whose
		// two-thread split is turned on for the test.
		defer func(saved bool) { gemvSplitEnabled = saved }(gemvSplitEnabled)
		gemvSplitEnabled = true
		for _, s := range [][3]int{{40, 10, 64}, {1, 256, 784}} {
			for _, threads := range []int{1, 2} {
				SetMaxThreads(threads)
				g := newGemmCase(rng, NoTrans, NoTrans, s[0], s[1], s[2], 0, 1, 0)
				g.run(g.c) // the split's first calls set up its reused state
				allocs := testing.AllocsPerRun(20, func() { g.run(g.c) })
				if allocs != 0 {
					t.Errorf("%v threads=%d: %v allocations per call", g, threads, allocs)
				}
			}
		}
	})
}

// withSerialWork sets the parallel threshold until the test ends, so that
// small shapes (quick under qemu) take the multi-threaded path.
func withSerialWork(t *testing.T, work int) {
	saved := gemmSerialWork
	gemmSerialWork = work
	t.Cleanup(func() { gemmSerialWork = saved })
}

// TestSgemmSplitsWork checks that the parallel path is taken at all: with
// two threads allowed and no threshold, calls must hand chunks to a worker,
// and with one thread they must not. A call's caller takes every chunk no
// worker has claimed yet, so a single call may legitimately run alone (the
// worker still waking up); the test repeats the call until a worker shows.
func TestSgemmSplitsWork(t *testing.T) {
	defer SetMaxThreads(SetMaxThreads(2))
	withSerialWork(t, 0)
	g := newGemmCase(rand.New(rand.NewPCG(1, 1)), NoTrans, NoTrans, 256, 64, 64, 0, 1, 0)
	before := workers.chunksRun.Load()
	for attempt := 0; attempt < 2000 && workers.chunksRun.Load() == before; attempt++ {
		g.run(g.c)
	}
	if workers.chunksRun.Load() == before {
		t.Fatal("2000 calls of 256×64×64 with 2 threads and no threshold ran no chunk on a worker")
	}
	SetMaxThreads(1)
	before = workers.chunksRun.Load()
	for range 20 {
		g.run(g.c)
	}
	if got := workers.chunksRun.Load() - before; got != 0 {
		t.Fatalf("with SetMaxThreads(1), %d chunks ran on workers", got)
	}
}

func TestSgemmPanics(t *testing.T) {
	a := make([]float32, 6)
	tests := []struct {
		name string
		call func()
		want string
	}{
		{"tA", func() { Sgemm(7, NoTrans, 2, 3, 1, 1, a, 1, a, 3, 0, a, 3) }, "tA"},
		{"negative", func() { Sgemm(NoTrans, NoTrans, -1, 3, 1, 1, a, 1, a, 3, 0, a, 3) }, "negative"},
		{"lda", func() { Sgemm(NoTrans, NoTrans, 2, 3, 2, 1, a, 1, a, 3, 0, a, 3) }, "lda"},
		{"short c", func() { Sgemm(NoTrans, NoTrans, 2, 3, 1, 1, a, 1, a, 3, 0, a[:5], 3) }, "len(c)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				msg := fmt.Sprint(recover())
				if !strings.Contains(msg, "kernels.Sgemm") || !strings.Contains(msg, tc.want) {
					t.Fatalf("panic %q, want one naming kernels.Sgemm and %q", msg, tc.want)
				}
			}()
			tc.call()
		})
	}
}

func TestSetMaxThreads(t *testing.T) {
	defer SetMaxThreads(SetMaxThreads(0))
	SetMaxThreads(3)
	if got := SetMaxThreads(-5); got != 3 {
		t.Fatalf("SetMaxThreads returned %d, want the previous setting 3", got)
	}
	if got := maxThreads(); got < 1 {
		t.Fatalf("default maxThreads() = %d", got)
	}
	if got := SetMaxThreads(1); got != 0 {
		t.Fatalf("after restoring the default SetMaxThreads returned %d, want 0", got)
	}
	if got := maxThreads(); got != 1 {
		t.Fatalf("maxThreads() = %d after SetMaxThreads(1)", got)
	}
}

// TestSgemmSmallBlocks shrinks the block sizes so that moderate shapes run
// through several jc, pc and ic blocks, partial ones included, and checks
// the results: the default blocks are larger than any shape tested here.
func TestSgemmSmallBlocks(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		impls := []*gemmImpl{gemmFor(active)}
		if narrow := gemmFor(active).narrow; narrow != nil {
			impls = append(impls, narrow)
		}
		// The loop order for products whose B outgrows the L2 block (the
		// avx2 tier's), with blocks small enough that k takes several
		// equal slices here.
		if large := gemmFor(active).large; large != nil {
			impls = append(impls, large)
		}
		for _, g := range impls {
			saved := *g
			defer func() { *g = saved }()
			g.kc, g.mc, g.nc = 16, 2*g.mr, 2*g.nr
		}
		rng := rand.New(rand.NewPCG(11, 12))
		g := impls[0]
		shapes := [][3]int{{5*g.mr + 3, 5*g.nr + 1, 37}, {2 * g.mr, 3 * g.nr, 32}, {3*g.mr + 1, 15, 40}}
		for _, tA := range transposes {
			for _, tB := range transposes {
				for _, s := range shapes {
					gc := newGemmCase(rng, tA, tB, s[0], s[1], s[2], 3, -0.5, 0.25)
					got := append([]float32(nil), gc.c...)
					gc.run(got)
					gc.check(t, got)
				}
			}
		}
	})
}

// TestSgemmGEMV covers the m == 1 and n == 1 paths over lengths around the
// vector widths and the per-call chunking of the assembly.
func TestSgemmGEMV(t *testing.T) {
	lens := []int{1, 3, 15, 16, 17, 33, 255, 256, 257, 531}
	ks := []int{1, 15, 16, 31, 32, 33, 784}
	if !testing.Short() {
		ks = append(ks, 1100) // more rows than one gemvN call takes
	}
	forEachISA(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(13, 14))
		for _, tA := range transposes {
			for _, tB := range transposes {
				for _, n := range lens {
					for _, k := range ks {
						for _, mn := range [][2]int{{1, n}, {n, 1}} {
							g := newGemmCase(rng, tA, tB, mn[0], mn[1], k, k%3, 1.5, float32(k%2)*0.5)
							got := append([]float32(nil), g.c...)
							g.run(got)
							g.check(t, got)
						}
					}
				}
			}
		}
	})
}

// TestSgemmGEMVSplit turns on the two-thread column split of m == 1
// products (gemvSplit) and checks that it gives bit for bit the serial
// result, for widths that split evenly or not, with padding (NaN in A and
// B, a marker in C) and several alpha and beta. Each case runs many times,
// so that the worker computes some high halves and the caller takes back
// others; the test reports how many the worker did.
func TestSgemmGEMVSplit(t *testing.T) {
	defer SetMaxThreads(SetMaxThreads(2))
	defer func(saved bool) { gemvSplitEnabled = saved }(gemvSplitEnabled)
	reps := 40
	if testing.Short() {
		reps = 10
	}
	forEachISA(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(15, 16))
		before := workers.chunksRun.Load()
		for _, n := range []int{128, 129, 200, 256, 300, 531} {
			for _, k := range []int{512, 784} {
				for _, ab := range [][2]float32{{1, 0}, {-0.5, 0.25}} {
					for _, tA := range transposes {
						g := newGemmCase(rng, tA, NoTrans, 1, n, k, 3, ab[0], ab[1])
						gemvSplitEnabled = false
						want := append([]float32(nil), g.c...)
						g.run(want)
						g.check(t, want)
						gemvSplitEnabled = true
						wakeWorkerForTest(t)
						for range reps {
							gemvHoldUntil.Store(0) // a take-back must not stop the test splitting
							got := append([]float32(nil), g.c...)
							g.run(got)
							for i := range got {
								if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
									t.Fatalf("%v split: c[%d] = %v, serial %v", g, i, got[i], want[i])
								}
							}
						}
					}
				}
			}
		}
		t.Logf("the worker computed %d high halves", workers.chunksRun.Load()-before)
	})
}

// wakeWorkerForTest wakes a pool worker and waits until it polls, so that
// the calls that follow can be split at once.
func wakeWorkerForTest(t *testing.T) {
	deadline := time.Now().Add(5 * time.Second)
	for !helperAwake() {
		if time.Now().After(deadline) {
			t.Fatal("no pool worker woke up within 5 s")
		}
		wakeWorker()
		time.Sleep(20 * time.Microsecond)
	}
}

// TestSgemmNarrowColumns covers op(B) up to 12 columns wide with both
// operands not transposed, which the AVX-512 tier computes with the
// vectors along the rows of C (gemmImpl.cols): every width, row counts
// around its 32-row tile, k past its 512-step chunk, padding (NaN in A and
// B, a marker in C) and alpha and beta cases, NaN in C with beta == 0.
func TestSgemmNarrowColumns(t *testing.T) {
	ks := []int{1, 3, 17, 256}
	if !testing.Short() {
		ks = append(ks, 600)
	}
	forEachISA(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(17, 18))
		for n := 2; n <= 12; n++ {
			for _, m := range []int{2, 5, 31, 32, 33, 70} {
				for _, k := range ks {
					for _, ab := range [][2]float32{{1, 0}, {-1.5, 0}, {-0.5, 0.25}, {2, 1}} {
						g := newGemmCase(rng, NoTrans, NoTrans, m, n, k, (m+n)%4, ab[0], ab[1])
						got := append([]float32(nil), g.c...)
						g.run(got)
						g.check(t, got)
					}
				}
			}
		}
	})
}
