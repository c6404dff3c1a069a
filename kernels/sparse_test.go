package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// csrCase is one SgemmCSR problem: the dense m×k matrix A it came from, its
// CSR form, B (k×n) and C (m×n) stored at odd offsets in slices padded with
// NaN, which must stay untouched.
type csrCase struct {
	m, n, k     int
	alpha, beta float32
	dense       []float32 // A, m×k, row stride k
	a           CSR
	b           []float32 // B starts at b[bOff], row stride ldb
	c0          []float32 // C before the call
	bOff, cOff  int
	ldb, ldc    int
}

// newCSRCase builds a case whose rows have the given density, except that
// row 0 is empty and row 1 (when m > 1) is full.
func newCSRCase(rng *rand.Rand, m, n, k int, density float64, alpha, beta float32) *csrCase {
	cs := &csrCase{m: m, n: n, k: k, alpha: alpha, beta: beta}
	cs.dense = make([]float32, m*k)
	for i := range m {
		for p := range k {
			if i == 1 || (i > 1 && rng.Float64() < density) {
				cs.dense[i*k+p] = float32(rng.NormFloat64())
			}
		}
	}
	cs.a.FromDense(m, k, cs.dense, max(k, 1))
	cs.ldb, cs.ldc = n+3, n+5
	cs.bOff, cs.cOff = 1+rng.IntN(7), 1+rng.IntN(7)
	cs.b = nanSlice(cs.bOff + k*cs.ldb)
	for p := range k {
		for j := range n {
			cs.b[cs.bOff+p*cs.ldb+j] = float32(rng.NormFloat64())
		}
	}
	cs.c0 = nanSlice(cs.cOff + m*cs.ldc)
	if beta != 0 { // beta == 0 must overwrite NaN, so C keeps it then
		for i := range m {
			for j := range n {
				cs.c0[cs.cOff+i*cs.ldc+j] = float32(rng.NormFloat64())
			}
		}
	}
	return cs
}

func nanSlice(n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(math.NaN())
	}
	return s
}

func (cs *csrCase) String() string {
	return fmt.Sprintf("m=%d n=%d k=%d nnz=%d alpha=%g beta=%g", cs.m, cs.n, cs.k, cs.a.NNZ(), cs.alpha, cs.beta)
}

// run computes C into a copy of c0 and returns the whole padded slice.
func (cs *csrCase) run() []float32 {
	c := append([]float32(nil), cs.c0...)
	SgemmCSR(cs.n, cs.alpha, &cs.a, cs.b[cs.bOff:], cs.ldb, cs.beta, c[cs.cOff:], cs.ldc)
	return c
}

// check compares got (from run) with the dense product in float64. An
// element's error bound grows with the number of products summed, as for a
// dot product computed in float32 in any order (plus the epilogue's two
// roundings).
func (cs *csrCase) check(t testing.TB, got []float32) {
	t.Helper()
	const eps = 1.0 / (1 << 24)
	for idx := range got {
		i, j := (idx-cs.cOff)/cs.ldc, (idx-cs.cOff)%cs.ldc
		if idx < cs.cOff || i >= cs.m || j >= cs.n {
			if !sameBits(got[idx], cs.c0[idx]) {
				t.Fatalf("%v: element %d outside C changed from %v to %v", cs, idx, cs.c0[idx], got[idx])
			}
			continue
		}
		var sum, mag float64
		terms := 0
		for p := range cs.k {
			if v := float64(cs.dense[i*cs.k+p]); v != 0 {
				x := v * float64(cs.b[cs.bOff+p*cs.ldb+j])
				sum += x
				mag += math.Abs(x)
				terms++
			}
		}
		want := float64(cs.alpha) * sum
		bound := math.Abs(float64(cs.alpha)) * mag * float64(terms+2) * eps
		if cs.beta != 0 {
			old := float64(cs.c0[idx])
			want += float64(cs.beta) * old
			bound += 2 * eps * math.Abs(float64(cs.beta)*old)
		}
		bound += 1e-30
		if g := float64(got[idx]); !(math.Abs(g-want) <= bound) {
			t.Fatalf("%v: C[%d][%d] = %v, want %v ± %.3g", cs, i, j, g, want, bound)
		}
	}
}

var csrTestN = []int{0, 1, 15, 16, 17, 31, 33, 100, 255, 256, 257, 300}

// TestSgemmCSR compares every tier with the float64 dense product over the
// column counts around each tier's tile widths, the three densities, and the
// alpha/beta special cases.
func TestSgemmCSR(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		for _, n := range csrTestN {
			for _, density := range []float64{0, 0.2, 1} {
				for _, alpha := range []float32{1, -0.5, 0} {
					for _, beta := range []float32{0, 1, 0.25} {
						cs := newCSRCase(rng, 6, n, 37, density, alpha, beta)
						cs.check(t, cs.run())
					}
				}
			}
		}
	})
}

// TestCSRFromDense checks both conversions against the dense matrix: -0 and
// +0 are dropped, NaN and ±Inf kept, indices increase within a row, and
// expanding the CSR again gives the matrix back bit for bit.
func TestCSRFromDense(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		specials := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.Copysign(0, -1)), 1e-45}
		for _, shape := range [][2]int{{0, 0}, {0, 5}, {5, 0}, {1, 1}, {3, 17}, {17, 3}, {9, 64}, {16, 16}, {32, 17}, {48, 1}, {33, 31}, {40, 100}, {128, 784},
			{3, 40000}, {17, 2100}} { // the last two: rows and blocks cut into several kernel calls
			rows, cols := shape[0], shape[1]
			lda := cols + 2
			a := nanSlice(max(0, rows*lda))
			for i := range rows {
				for j := range cols {
					v := float32(0)
					switch r := rng.Float64(); {
					case r < 0.05:
						v = specials[rng.IntN(len(specials))]
					case r < 0.3:
						v = float32(rng.NormFloat64())
					}
					a[i*lda+j] = v
				}
			}
			var s CSR
			s.FromDense(rows, cols, a, lda)
			checkCSREquals(t, "FromDense", &s, rows, cols, func(i, j int) float32 { return a[i*lda+j] })
			s.FromDenseTransposed(rows, cols, a, lda)
			checkCSREquals(t, "FromDenseTransposed", &s, cols, rows, func(i, j int) float32 { return a[j*lda+i] })
		}
		// Rows without columns need no data at all.
		var s CSR
		s.FromDense(7, 0, nil, 1)
		checkCSREquals(t, "FromDense", &s, 7, 0, nil)
		s.FromDenseTransposed(0, 7, nil, 7)
		checkCSREquals(t, "FromDenseTransposed", &s, 7, 0, nil)
	})
}

// checkCSREquals checks that s holds exactly the nonzero entries of the
// rows×cols matrix at(i, j), in increasing column order.
func checkCSREquals(t *testing.T, name string, s *CSR, rows, cols int, at func(i, j int) float32) {
	t.Helper()
	if s.Rows != rows || s.Cols != cols || len(s.RowPtr) != rows+1 || s.RowPtr[0] != 0 ||
		len(s.ColIdx) != s.NNZ() || int(s.RowPtr[rows]) != s.NNZ() {
		t.Fatalf("%s %d×%d: got Rows=%d Cols=%d len(RowPtr)=%d RowPtr[0]=%v len(ColIdx)=%d NNZ=%d",
			name, rows, cols, s.Rows, s.Cols, len(s.RowPtr), s.RowPtr[0], len(s.ColIdx), s.NNZ())
	}
	for i := range rows {
		k := int(s.RowPtr[i])
		for j := range cols {
			v := at(i, j)
			if v == 0 {
				continue
			}
			if k >= int(s.RowPtr[i+1]) || int(s.ColIdx[k]) != j || !sameBits(s.Val[k], v) {
				t.Fatalf("%s %d×%d: row %d: entry %d is (%d, %v) or missing, want (%d, %v)",
					name, rows, cols, i, k, s.ColIdx[min(k, len(s.ColIdx)-1)], s.Val[min(k, len(s.Val)-1)], j, v)
			}
			k++
		}
		if k != int(s.RowPtr[i+1]) {
			t.Fatalf("%s %d×%d: row %d holds %d entries, want %d", name, rows, cols, i, int(s.RowPtr[i+1])-int(s.RowPtr[i]), k-int(s.RowPtr[i]))
		}
	}
}

func TestSgemmCSRPanics(t *testing.T) {
	good := func() *CSR {
		var s CSR
		s.FromDense(2, 3, []float32{1, 0, 2, 0, 3, 0}, 3)
		return &s
	}
	b := make([]float32, 12) // 3×4
	c := make([]float32, 8)  // 2×4
	tests := []struct {
		name string
		call func()
		want string
	}{
		{"nil a", func() { SgemmCSR(4, 1, nil, b, 4, 0, c, 4) }, "a is nil"},
		{"negative n", func() { SgemmCSR(-1, 1, good(), b, 4, 0, c, 4) }, "n = -1"},
		{"ldb", func() { SgemmCSR(4, 1, good(), b, 3, 0, c, 4) }, "ldb = 3"},
		{"ldc", func() { SgemmCSR(4, 1, good(), b, 4, 0, c, 3) }, "ldc = 3"},
		{"short b", func() { SgemmCSR(4, 1, good(), b[:11], 4, 0, c, 4) }, "len(b) = 11"},
		{"short c", func() { SgemmCSR(4, 1, good(), b, 4, 0, c[:7], 4) }, "len(c) = 7"},
		{"RowPtr length", func() { a := good(); a.RowPtr = a.RowPtr[:2]; SgemmCSR(4, 1, a, b, 4, 0, c, 4) }, "len(a.RowPtr) = 2"},
		{"RowPtr[0]", func() { a := good(); a.RowPtr[0] = 1; SgemmCSR(4, 1, a, b, 4, 0, c, 4) }, "a.RowPtr[0] = 1"},
		{"RowPtr end", func() { a := good(); a.RowPtr[2] = 2; SgemmCSR(4, 1, a, b, 4, 0, c, 4) }, "a.RowPtr[2] = 2"},
		{"RowPtr decreasing", func() { a := good(); a.RowPtr[1] = 4; SgemmCSR(4, 1, a, b, 4, 0, c, 4) }, "must not decrease"},
		{"ColIdx length", func() { a := good(); a.ColIdx = a.ColIdx[:2]; SgemmCSR(4, 1, a, b, 4, 0, c, 4) }, "len(a.ColIdx) = 2"},
		{"ColIdx too big", func() { a := good(); a.ColIdx[2] = 3; SgemmCSR(4, 1, a, b, 4, 0, c, 4) }, "a.ColIdx[2] = 3"},
		{"ColIdx negative", func() { a := good(); a.ColIdx[0] = -1; SgemmCSR(4, 1, a, b, 4, 0, c, 4) }, "a.ColIdx[0] = -1"},
		{"FromDense lda", func() { var s CSR; s.FromDense(2, 3, b, 2) }, "lda = 2"},
		{"FromDense short", func() { var s CSR; s.FromDense(4, 3, b[:11], 3) }, "len(a) = 11"},
		{"FromDenseTransposed negative", func() { var s CSR; s.FromDenseTransposed(-1, 3, b, 3) }, "negative"},
	}
	forEachISA(t, func(t *testing.T) {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				defer func() {
					msg := fmt.Sprint(recover())
					if !strings.Contains(msg, "kernels.") || !strings.Contains(msg, tc.want) {
						t.Fatalf("panic %q, want one naming the function and %q", msg, tc.want)
					}
				}()
				tc.call()
			})
		}
	})
}

// fusedCSRRef is what the assembly tiers compute, operation for operation:
// each sum in stored order with one rounding per multiply-add, then
// alpha·s, then fma(beta, c, alpha·s). They must match it bit for bit.
func (cs *csrCase) fusedRef() []float32 {
	c := append([]float32(nil), cs.c0...)
	if cs.alpha == 0 { // C = beta·C without reading A or B, as Sgemm does
		scaleC(cs.m, cs.n, cs.beta, c[cs.cOff:], cs.ldc)
		return c
	}
	a := &cs.a
	for i := range cs.m {
		for j := range cs.n {
			var s float32
			for k := a.RowPtr[i]; k < a.RowPtr[i+1]; k++ {
				s = fma32(a.Val[k], cs.b[cs.bOff+int(a.ColIdx[k])*cs.ldb+j], s)
			}
			out := &c[cs.cOff+i*cs.ldc+j]
			if cs.beta == 0 {
				*out = cs.alpha * s
			} else {
				*out = fma32(cs.beta, *out, cs.alpha*s)
			}
		}
	}
	return c
}

// TestSgemmCSRAsmExact checks the assembly tiers bit for bit against
// fusedRef, including rows long enough to be cut into several kernel calls
// (csrCallWork) and partial tiles of every width.
func TestSgemmCSRAsmExact(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		if active == isaGeneric {
			t.Skip("the generic tier rounds like plain Go code (fused or not, by GOARCH)")
		}
		rng := rand.New(rand.NewPCG(5, 6))
		ks := []int{37, 3000}
		if testing.Short() {
			ks = []int{37, 1500}
		}
		for _, k := range ks {
			for _, n := range append(csrTestN, 7, 95, 96, 97, 200, 520) {
				for _, beta := range []float32{0, 0.25} {
					cs := newCSRCase(rng, 4, n, k, 0.5, -0.5, beta)
					got, want := cs.run(), cs.fusedRef()
					for idx := range got {
						if !sameBits(got[idx], want[idx]) {
							t.Fatalf("%v: element %d = %v, want %v", cs, idx, got[idx], want[idx])
						}
					}
				}
			}
		}
		// Enough rows, and rows of B, for AVX-512's blocks (csrRowsBlocked).
		for _, n := range []int{128, 255, 256, 300} {
			for _, beta := range []float32{0, 0.25} {
				cs := newCSRCase(rng, 20, n, 600, 0.25, -0.5, beta)
				got, want := cs.run(), cs.fusedRef()
				for idx := range got {
					if !sameBits(got[idx], want[idx]) {
						t.Fatalf("%v: element %d = %v, want %v", cs, idx, got[idx], want[idx])
					}
				}
			}
		}
	})
}

// TestSgemmCSRLongRows checks rows cut into several kernel calls against the
// float64 product on every tier.
func TestSgemmCSRLongRows(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(7, 8))
		for _, n := range []int{17, 256, 300} {
			cs := newCSRCase(rng, 3, n, 2100, 0.9, 1, 0.25)
			cs.check(t, cs.run())
		}
	})
}

// TestSgemmCSRSkipsUnreferencedRows: rows of B that A never references may
// hold NaN or Inf without reaching C (the dense product would be NaN), and
// alpha == 0 reads neither A's entries nor B.
func TestSgemmCSRSkipsUnreferencedRows(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		const n = 40
		var a CSR
		// Row 0 uses columns 1 and 3 of 5, row 1 none.
		a.FromDense(2, 5, []float32{0, 2, 0, -1, 0, 0, 0, 0, 0, 0}, 5)
		b := make([]float32, 5*n)
		for j := range n {
			b[0*n+j] = float32(math.NaN())
			b[1*n+j] = float32(j)
			b[2*n+j] = float32(math.Inf(1))
			b[3*n+j] = 1
			b[4*n+j] = float32(math.Inf(-1))
		}
		c := nanSlice(2 * n)
		SgemmCSR(n, 1, &a, b, n, 0, c, n)
		for j := range n {
			if want := float32(2*j - 1); c[j] != want || c[n+j] != 0 {
				t.Fatalf("C[0][%d] = %v, C[1][%d] = %v; want %v and 0", j, c[j], j, c[n+j], want)
			}
		}
		for j := range b {
			b[j] = float32(math.NaN())
		}
		a.ColIdx[0] = 1 << 30 // not even checked when alpha == 0
		c = make([]float32, 2*n)
		for j := range c {
			c[j] = 4
		}
		SgemmCSR(n, 0, &a, b, n, 0.5, c, n)
		for j, v := range c {
			if v != 2 {
				t.Fatalf("alpha == 0: C[%d] = %v, want beta·4 = 2", j, v)
			}
		}
	})
}

// TestSgemmCSRThreadsBitwise: the same call at 1 and 2 threads (with the
// serial threshold removed, so small shapes split too) gives the same bits.
func TestSgemmCSRThreadsBitwise(t *testing.T) {
	defer SetMaxThreads(SetMaxThreads(0))
	withSerialWork(t, 0)
	forEachISA(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(9, 10))
		for _, sh := range []struct{ n, k int }{{1, 90}, {33, 90}, {256, 90}, {300, 90}, {256, 700}, {300, 700}} {
			// k = 700: AVX-512 takes the chunks of 8 rows or more in blocks
			// (csrRowsBlocked), shorter ones row by row.
			n := sh.n
			cs := newCSRCase(rng, 61, n, sh.k, 0.2, 1, 0.25)
			SetMaxThreads(1)
			serial := cs.run()
			SetMaxThreads(2)
			for range 5 {
				got := cs.run()
				for idx := range got {
					if !sameBits(got[idx], serial[idx]) {
						t.Fatalf("%v: 2 threads: element %d = %v, 1 thread: %v", cs, idx, got[idx], serial[idx])
					}
				}
			}
		}
	})
}

// TestSgemmCSRParallelBadIndex: an out-of-range column index found by a
// worker panics on the caller's goroutine, naming the first bad entry.
func TestSgemmCSRParallelBadIndex(t *testing.T) {
	defer SetMaxThreads(SetMaxThreads(2))
	withSerialWork(t, 0)
	rng := rand.New(rand.NewPCG(11, 12))
	cs := newCSRCase(rng, 64, 32, 50, 0.3, 1, 0)
	first := int(cs.a.RowPtr[40]) // a row likely handled by a helper
	cs.a.ColIdx[first] = -7
	cs.a.ColIdx[cs.a.NNZ()-1] = 50
	for range 20 {
		func() {
			defer func() {
				msg := fmt.Sprint(recover())
				if want := fmt.Sprintf("a.ColIdx[%d] = -7", first); !strings.Contains(msg, want) {
					t.Fatalf("panic %q, want one naming %q", msg, want)
				}
			}()
			cs.run()
		}()
	}
}

func TestSgemmCSRNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	defer SetMaxThreads(SetMaxThreads(0))
	forEachISA(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(13, 14))
		x := digitBatch(rng, 128)
		var s CSR
		s.FromDense(128, 784, x, 784)
		w := randomDense(rng, 784*256)
		c := make([]float32, 128*256)
		for _, threads := range []int{1, 2} {
			SetMaxThreads(threads)
			if allocs := testing.AllocsPerRun(10, func() { SgemmCSR(256, 1, &s, w, 256, 0.5, c, 256) }); allocs != 0 {
				t.Errorf("SgemmCSR threads=%d: %v allocations per call", threads, allocs)
			}
		}
		y := digitBatch(rng, 128) // a different batch of the same size
		for _, conv := range []func(){
			func() { s.FromDense(128, 784, x, 784); s.FromDense(128, 784, y, 784) },
			func() { s.FromDenseTransposed(128, 784, x, 784); s.FromDenseTransposed(128, 784, y, 784) },
		} {
			var fresh CSR
			s = fresh
			conv() // the first fill allocates
			if allocs := testing.AllocsPerRun(10, conv); allocs != 0 {
				t.Errorf("refilling a CSR: %v allocations", allocs)
			}
		}
	})
}

// TestCSRCompressRow checks the conversion kernels against the generic code:
// every 8-lane nonzero pattern (one per piece of a long row), rows of every
// length up to 70 at every density, NaN, -0 and denormals, and that with
// room for exactly the kept entries nothing past them is written.
func TestCSRCompressRow(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(17, 18))
		rows := [][]float32{make([]float32, 256*8)}
		for m := range 256 {
			for lane := range 8 {
				if m>>lane&1 != 0 {
					rows[0][m*8+lane] = float32(m*8 + lane)
				}
			}
		}
		specials := []float32{float32(math.NaN()), float32(math.Copysign(0, -1)), 1e-45, float32(math.Inf(-1))}
		for n := range 71 {
			for _, density := range []float64{0, 0.1, 0.5, 1} {
				row := make([]float32, n)
				for j := range row {
					if rng.Float64() < density {
						row[j] = float32(rng.NormFloat64())
						if rng.IntN(8) == 0 {
							row[j] = specials[rng.IntN(len(specials))]
						}
					}
				}
				rows = append(rows, row)
			}
		}
		for _, row := range rows {
			wantVals := make([]float32, len(row))
			wantIdx := make([]int32, len(row))
			want := compressRowGeneric(wantVals, wantIdx, row)
			for _, room := range []int{len(row), want} {
				vals, idx := nanSlice(room+1), make([]int32, room+1)
				idx[room] = -5
				got := compressRow(vals[:room], idx[:room], row)
				if got != want {
					t.Fatalf("len %d, room %d: %d entries, want %d", len(row), room, got, want)
				}
				for k := range got {
					if !sameBits(vals[k], wantVals[k]) || idx[k] != wantIdx[k] {
						t.Fatalf("len %d, room %d: entry %d = (%d, %v), want (%d, %v)", len(row), room, k, idx[k], vals[k], wantIdx[k], wantVals[k])
					}
				}
				if !math.IsNaN(float64(vals[room])) || idx[room] != -5 {
					t.Fatalf("len %d, room %d: wrote past the room", len(row), room)
				}
			}
			cnt := make([]int32, len(row)+1)
			wantCnt := make([]int32, len(row))
			for j := range cnt {
				cnt[j] = int32(j)
			}
			countNonzeroColumns(cnt[:len(row)], row)
			for j, v := range row {
				wantCnt[j] = int32(j)
				if v != 0 {
					wantCnt[j]++
				}
				if cnt[j] != wantCnt[j] {
					t.Fatalf("len %d: countNonzeroColumns: cnt[%d] = %d, want %d", len(row), j, cnt[j], wantCnt[j])
				}
			}
			if cnt[len(row)] != int32(len(row)) {
				t.Fatalf("len %d: countNonzeroColumns wrote past the row", len(row))
			}
		}
	})
}

// handCSR builds a csrCase around a hand-written CSR (unsorted and repeated
// columns allowed), for the paths FromDense never produces.
func handCSR(rng *rand.Rand, cols int, rows [][]int32, n int, alpha, beta float32) *csrCase {
	cs := &csrCase{m: len(rows), n: n, k: cols, alpha: alpha, beta: beta}
	cs.a = CSR{Rows: len(rows), Cols: cols, RowPtr: []int32{0}}
	for _, r := range rows {
		for _, j := range r {
			cs.a.ColIdx = append(cs.a.ColIdx, j)
			cs.a.Val = append(cs.a.Val, float32(rng.NormFloat64()))
		}
		cs.a.RowPtr = append(cs.a.RowPtr, int32(len(cs.a.Val)))
	}
	cs.ldb, cs.ldc = n+1, n+2
	cs.bOff, cs.cOff = 3, 5
	cs.b = nanSlice(cs.bOff + cols*cs.ldb)
	for p := range cols {
		for j := range n {
			cs.b[cs.bOff+p*cs.ldb+j] = float32(rng.NormFloat64())
		}
	}
	cs.c0 = nanSlice(cs.cOff + cs.m*cs.ldc)
	for i := range cs.m {
		for j := range n {
			cs.c0[cs.cOff+i*cs.ldc+j] = float32(rng.NormFloat64())
		}
	}
	return cs
}

// TestSgemmCSRRowPairs covers the two-row kernel's merge (csrRowPair, used
// for 128 columns and more): shared, disjoint and interleaved columns, an
// empty row on either side, unsorted and repeated columns, each against the
// fused reference; and a row of B holding Inf that only one row of a pair
// references must not reach the other row.
func TestSgemmCSRRowPairs(t *testing.T) {
	seq := func(from, step, count int) []int32 {
		s := make([]int32, count)
		for i := range s {
			s[i] = int32(from + step*i)
		}
		return s
	}
	pairs := [][2][]int32{
		{seq(0, 1, 40), seq(0, 1, 40)},        // identical
		{seq(0, 2, 30), seq(1, 2, 30)},        // disjoint, interleaved
		{seq(0, 1, 20), seq(20, 1, 20)},       // disjoint, one after the other
		{seq(20, 1, 20), seq(0, 1, 20)},       // the other way round
		{nil, seq(3, 5, 10)},                  // empty first row
		{seq(3, 5, 10), nil},                  // empty second row
		{nil, nil},                            // both empty
		{{50, 3, 3, 7, 1}, {3, 50, 1, 1, 60}}, // unsorted, repeated
		{seq(0, 3, 21), seq(0, 2, 32)},        // partly shared
		{{63}, seq(0, 1, 64)},                 // one entry against a full row
	}
	forEachISA(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(19, 20))
		// From n = 200, AVX-512 takes these 64 rows of B in narrow tiles
		// (csrRowsNarrow) unless they are turned off.
		defer func() { csrNarrow = true }()
		for _, narrow := range []bool{true, false} {
			csrNarrow = narrow
			for _, n := range []int{127, 128, 200, 256, 300, 384} {
				for _, beta := range []float32{0, 0.25} {
					var rows [][]int32
					for _, p := range pairs {
						rows = append(rows, p[0], p[1])
					}
					rows = append(rows, seq(0, 7, 9)) // an odd row out
					cs := handCSR(rng, 64, rows, n, -0.5, beta)
					got, want := cs.run(), cs.fusedRef()
					for idx := range got {
						ok := sameBits(got[idx], want[idx])
						if active == isaGeneric && !ok {
							ok = math.Abs(float64(got[idx]-want[idx])) <= 1e-4*(1+math.Abs(float64(want[idx])))
						}
						if !ok {
							t.Fatalf("narrow=%v n=%d beta=%g: element %d (row %d) = %v, want %v",
								narrow, n, beta, idx, (idx-cs.cOff)/cs.ldc, got[idx], want[idx])
						}
					}
				}
			}
		}
		// Inf in B's row 5, referenced by row 0 only.
		n := 256
		cs := handCSR(rng, 8, [][]int32{{1, 5, 6}, {1, 6, 7}}, n, 1, 0)
		for j := range n {
			cs.b[cs.bOff+5*cs.ldb+j] = float32(math.Inf(1))
		}
		got := cs.run()
		for j := range n {
			if v := got[cs.cOff+cs.ldc+j]; math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatalf("C[1][%d] = %v: Inf from a row of B only row 0 references", j, v)
			}
			if v := got[cs.cOff+j]; !math.IsInf(float64(v), 0) {
				t.Fatalf("C[0][%d] = %v, want ±Inf", j, v)
			}
		}
	})
}

// TestSgemmCSRRowPairsBadIndex: a bad column index in either row of a pair
// panics naming that entry, with nothing of the pair written.
func TestSgemmCSRRowPairsBadIndex(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		for _, bad := range []int{0, 4, 7, 9} { // row 0: entries 0-4; row 1: 5-9
			rng := rand.New(rand.NewPCG(21, 22))
			cs := handCSR(rng, 16, [][]int32{{1, 2, 3, 4, 5}, {0, 2, 4, 6, 8}}, 256, 1, 0.5)
			want := cs.fusedRef()
			cs.a.ColIdx[bad] = 16
			c := append([]float32(nil), cs.c0...)
			func() {
				defer func() {
					msg := fmt.Sprint(recover())
					if want := fmt.Sprintf("a.ColIdx[%d] = 16", bad); !strings.Contains(msg, want) {
						t.Fatalf("panic %q, want one naming %q", msg, want)
					}
				}()
				SgemmCSR(cs.n, cs.alpha, &cs.a, cs.b[cs.bOff:], cs.ldb, cs.beta, c[cs.cOff:], cs.ldc)
			}()
			if bad >= 5 { // row 0 is complete before row 1's bad entry
				for j := range cs.n {
					if g, w := c[cs.cOff+j], want[cs.cOff+j]; active != isaGeneric && !sameBits(g, w) {
						t.Fatalf("bad entry %d: row 0 C[0][%d] = %v, want %v", bad, j, g, w)
					}
				}
			}
			for j := range cs.n {
				if g := c[cs.cOff+cs.ldc+j]; !sameBits(g, cs.c0[cs.cOff+cs.ldc+j]) {
					t.Fatalf("bad entry %d: row 1 was written", bad)
				}
			}
		}
	})
}
