//go:build !purego

package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestCSRTransposeBoundsAVX512: if the counts the placing relies on do not
// match a (as when another goroutine writes a during FromDenseTransposed),
// the kernel stops instead of writing past vals and idx.
func TestCSRTransposeBoundsAVX512(t *testing.T) {
	if detected != isaAVX512 || !hasPOPCNT {
		t.Skip("no AVX-512")
	}
	a := make([]float32, 16*20)
	for i := range a {
		a[i] = 1 // 320 nonzeros
	}
	next := make([]int32, 20)
	for j := range next {
		next[j] = int32(16 * j) // room for exactly 320
	}
	vals := make([]float32, 321)
	idx := make([]int32, 321)
	if got := csrTransposeAVX512(&a[0], 20, 20, 0, &next[0], &vals[0], &idx[0], 320); got != 0 {
		t.Fatalf("with exact room: returned %d, want 0", got)
	}
	for j := range next {
		next[j] = int32(16*j + 1) // one too far: the last column would end at 321
	}
	if got := csrTransposeAVX512(&a[0], 20, 20, 0, &next[0], &vals[0], &idx[0], 320); got != 1 {
		t.Fatalf("without room: returned %d, want 1", got)
	}
	if vals[320] != 0 || idx[320] != 0 {
		t.Fatal("wrote past nnz")
	}
}

// TestSgemmCSRPairsMatchOneRow: on AVX-512, rows computed two at a time
// (csrRowPair) have the bits of rows computed one at a time, on MNIST-like
// batches and their transposes, serial and split over threads.
func TestSgemmCSRPairsMatchOneRow(t *testing.T) {
	if detected != isaAVX512 {
		t.Skip("no AVX-512")
	}
	defer SetMaxThreads(SetMaxThreads(2))
	withSerialWork(t, 0)
	rng := rand.New(rand.NewPCG(23, 24))
	x := digitBatch(rng, 37)
	var xs, xt CSR
	xs.FromDense(37, 784, x, 784)
	xt.FromDenseTransposed(37, 784, x, 784)
	for _, n := range []int{128, 256, 300} {
		for _, tc := range []struct {
			a *CSR
			k int
		}{{&xs, 784}, {&xt, 37}} {
			b := randomDense(rng, tc.k*n)
			c0 := randomDense(rng, tc.a.Rows*n)
			run := func(pairs bool) []float32 {
				// Blocks would take the forward shape (784 columns of A), and
				// narrow tiles the transposed one, away from the pairs.
				csrPairs, csrBlocks, csrNarrow = pairs, false, false
				defer func() { csrPairs, csrBlocks, csrNarrow = true, true, true }()
				c := append([]float32(nil), c0...)
				SgemmCSR(n, 0.5, tc.a, b, n, 0.25, c, n)
				return c
			}
			one, two := run(false), run(true)
			for i := range one {
				if !sameBits(one[i], two[i]) {
					t.Fatalf("n=%d, %d×%d: element %d = %v in pairs, %v one row at a time", n, tc.a.Rows, tc.a.Cols, i, two[i], one[i])
				}
			}
		}
	}
}

// TestSgemmCSRBlocksMatchRows: on AVX-512, rows computed in blocks against
// blocks of B (csrRowsBlocked) have the bits of rows computed one or two at
// a time, on shapes that take that path: MNIST-like batches (784 columns of
// A) and a random one whose last block of B is partial, with several blocks
// of rows and a partial one, tiles of 128 columns with and without a tail,
// row strides beyond n, beta == 0 over a C full of NaN and beta != 0,
// serial and split over two threads (where some chunks are too short for
// blocks, so both paths meet in one call).
func TestSgemmCSRBlocksMatchRows(t *testing.T) {
	if detected != isaAVX512 {
		t.Skip("no AVX-512")
	}
	withISA(t, isaAVX512)
	defer SetMaxThreads(SetMaxThreads(1))
	withSerialWork(t, 0)
	rng := rand.New(rand.NewPCG(25, 26))
	shapes := []struct {
		m, k int
		x    []float32
	}{
		{37, 784, digitBatch(rng, 37)},
		{128, 784, digitBatch(rng, 128)},
		{21, 600, randomSparse(rng, 21, 600, 0.3)}, // 600 = 12·48 + 24
	}
	for _, sh := range shapes {
		var a CSR
		a.FromDense(sh.m, sh.k, sh.x, sh.k)
		for _, n := range []int{128, 200, 256, 300} {
			ldb, ldc := n+3, n+5
			b := randomDense(rng, sh.k*ldb)
			if _, ok := csrRowsBlocked(&a, 0, sh.m, n, -0.5, b, ldb, 0, nanSlice(sh.m*ldc), ldc); !ok {
				t.Fatalf("%d×%d, n=%d: not taken in blocks", sh.m, sh.k, n)
			}
			checkCSRPathBits(t, rng, "in blocks", &csrBlocks, &a, n, b, ldb, ldc)
		}
	}
}

// checkCSRPathBits asserts that SgemmCSR(n, -0.5, a, b, ldb, beta, c, ldc)
// gives the same bits with the path that *enabled switches (named by how,
// "in blocks" say) as without it, on one thread and on two, for beta == 0
// over a C full of NaN and for beta != 0.
func checkCSRPathBits(t *testing.T, rng *rand.Rand, how string, enabled *bool, a *CSR, n int, b []float32, ldb, ldc int) {
	t.Helper()
	for _, beta := range []float32{0, 0.25} {
		c0 := nanSlice(a.Rows * ldc)
		if beta != 0 {
			c0 = randomDense(rng, a.Rows*ldc)
		}
		run := func(threads int, on bool) []float32 {
			SetMaxThreads(threads)
			*enabled = on
			defer func() { *enabled = true }()
			c := append([]float32(nil), c0...)
			SgemmCSR(n, -0.5, a, b, ldb, beta, c, ldc)
			return c
		}
		want := run(1, false)
		for _, threads := range []int{1, 2} {
			got := run(threads, true)
			for idx := range got {
				if !sameBits(got[idx], want[idx]) {
					t.Fatalf("%d×%d, n=%d, beta=%g, threads=%d: element %d = %v %s, %v row by row",
						a.Rows, a.Cols, n, beta, threads, idx, got[idx], how, want[idx])
				}
			}
		}
	}
}

// TestSgemmCSRBlocksFallBack: in a shape that takes blocks, a row whose
// columns are not increasing is still computed in stored order (the fused
// reference's bits), and an out-of-range index panics naming its entry,
// with the rows before it computed and the rest of its block of rows
// untouched, as row by row.
func TestSgemmCSRBlocksFallBack(t *testing.T) {
	if detected != isaAVX512 {
		t.Skip("no AVX-512")
	}
	withISA(t, isaAVX512)
	defer SetMaxThreads(SetMaxThreads(1))
	const m, k, n = 20, 600, 256
	build := func() *csrCase {
		rows := make([][]int32, m)
		for i := range rows {
			for j := i; j < k; j += 7 { // 80-86 increasing columns
				rows[i] = append(rows[i], int32(j))
			}
		}
		r := rows[5]
		r[10], r[40] = r[40], r[10] // row 5 goes back from column 355 to 75
		return handCSR(rand.New(rand.NewPCG(27, 28)), k, rows, n, -0.5, 0.25)
	}
	cs := build()
	if _, ok := csrRowsBlocked(&cs.a, 0, m, n, 1, cs.b[cs.bOff:], cs.ldb, 0, make([]float32, m*cs.ldc), cs.ldc); !ok {
		t.Fatal("the shape is not taken in blocks")
	}
	got, want := cs.run(), cs.fusedRef()
	for idx := range got {
		if !sameBits(got[idx], want[idx]) {
			t.Fatalf("unsorted row: element %d (row %d) = %v, want %v", idx, (idx-cs.cOff)/cs.ldc, got[idx], want[idx])
		}
	}
	for _, badCol := range []int32{k, -1, math.MaxInt32} {
		cs := build()
		want := cs.fusedRef()
		pos := int(cs.a.RowPtr[17]) + 3 // in the second block of rows, 10-19
		cs.a.ColIdx[pos] = badCol
		c := append([]float32(nil), cs.c0...)
		func() {
			defer func() {
				msg := fmt.Sprint(recover())
				if w := fmt.Sprintf("a.ColIdx[%d] = %d,", pos, badCol); !strings.Contains(msg, w) {
					t.Fatalf("panic %q, want one naming %q", msg, w)
				}
			}()
			SgemmCSR(cs.n, cs.alpha, &cs.a, cs.b[cs.bOff:], cs.ldb, cs.beta, c[cs.cOff:], cs.ldc)
		}()
		for i := range m {
			for j := range n {
				idx := cs.cOff + i*cs.ldc + j
				w := want[idx]
				if i >= 17 {
					w = cs.c0[idx]
				}
				if !sameBits(c[idx], w) {
					t.Fatalf("column index %d in row 17: C[%d][%d] = %v, want %v", badCol, i, j, c[idx], w)
				}
			}
		}
	}
}

// TestSgemmCSRNarrowMatchesRows: on AVX-512, rows computed against packed
// 64-column tiles of a short B (csrRowsNarrow) have the bits of rows
// computed one or two at a time from B itself, on shapes that take that
// path: the transposes of MNIST-like batches (B with 37 and 128 rows, like
// the MLP's weight gradient) and a random matrix, with an odd number of
// rows, tiles with and without a remainder of columns, row strides beyond
// n, beta == 0 over a C full of NaN and beta != 0; and split over two
// threads (which take the other paths) the bits are the same again.
func TestSgemmCSRNarrowMatchesRows(t *testing.T) {
	if detected != isaAVX512 {
		t.Skip("no AVX-512")
	}
	withISA(t, isaAVX512)
	defer SetMaxThreads(SetMaxThreads(1))
	withSerialWork(t, 0)
	rng := rand.New(rand.NewPCG(29, 30))
	var small, mnist, random CSR
	small.FromDenseTransposed(37, 784, digitBatch(rng, 37), 784)
	mnist.FromDenseTransposed(128, 784, digitBatch(rng, 128), 784)
	random.FromDense(97, 100, randomSparse(rng, 97, 100, 0.3), 100)
	for _, a := range []*CSR{&small, &mnist, &random} {
		for _, n := range []int{64, 100, 128, 200, 256, 300} {
			ldb, ldc := n+3, n+5
			b := randomDense(rng, a.Cols*ldb)
			taken := a.Cols*n > 8<<10
			if packed := csrPackNarrow(a, n, b, ldb); (packed != nil) != taken {
				t.Fatalf("%d×%d, n=%d: narrow tiles %v, want %v", a.Rows, a.Cols, n, packed != nil, taken)
			} else {
				csrPutPacked(packed)
			}
			checkCSRPathBits(t, rng, "in narrow tiles", &csrNarrow, a, n, b, ldb, ldc)
		}
	}
}

// TestSgemmCSRNarrowFallBack: in a shape that takes narrow tiles, unsorted
// and repeated columns are added in stored order (the fused reference's
// bits) and a row of B no entry references may hold NaN; an out-of-range
// index in either row of a pair, or in both (the second row's met first),
// panics naming the first bad entry, with the rows before its row computed
// and the rest untouched, as row by row; a row too long for the kernel's
// bounded calls leaves the path to the other kernels.
func TestSgemmCSRNarrowFallBack(t *testing.T) {
	if detected != isaAVX512 {
		t.Skip("no AVX-512")
	}
	withISA(t, isaAVX512)
	defer SetMaxThreads(SetMaxThreads(1))
	const m, k, n = 9, 100, 200 // n%64 = 8: a remainder of columns
	build := func() *csrCase {
		rows := make([][]int32, m)
		for i := range rows {
			for j := (i * 5) % 7; j < k-1; j += 3 + i%4 { // column 99 unreferenced
				rows[i] = append(rows[i], int32(j))
			}
		}
		rows[3] = append(rows[3], 40, 2, 40, 0) // back down, repeated
		cs := handCSR(rand.New(rand.NewPCG(31, 32)), k, rows, n, -0.5, 0.25)
		for j := range n {
			cs.b[cs.bOff+(k-1)*cs.ldb+j] = float32(math.NaN())
		}
		return cs
	}
	cs := build()
	if packed := csrPackNarrow(&cs.a, n, cs.b[cs.bOff:], cs.ldb); packed == nil {
		t.Fatal("the shape does not take narrow tiles")
	} else {
		csrPutPacked(packed)
	}
	got, want := cs.run(), cs.fusedRef()
	for idx := range got {
		if !sameBits(got[idx], want[idx]) {
			t.Fatalf("element %d (row %d) = %v, want %v", idx, (idx-cs.cOff)/cs.ldc, got[idx], want[idx])
		}
	}
	// A row longer than one bounded kernel call allows for a pair (only
	// repeated columns make one, B being short) turns the path off: the
	// other kernels compute it, with the same bits.
	longRow := make([]int32, csrNarrowCallNNZ/2+1)
	for j := range longRow {
		longRow[j] = int32(j % (k - 1))
	}
	long := handCSR(rand.New(rand.NewPCG(33, 34)), k, [][]int32{longRow, {1, 2}, {3}}, n, -0.5, 0.25)
	if packed := csrPackNarrow(&long.a, n, long.b[long.bOff:], long.ldb); packed != nil {
		csrPutPacked(packed)
		t.Fatal("a row of csrNarrowCallNNZ/2+1 entries takes narrow tiles")
	}
	got, want = long.run(), long.fusedRef()
	for idx := range got {
		if !sameBits(got[idx], want[idx]) {
			t.Fatalf("long row: element %d = %v, want %v", idx, got[idx], want[idx])
		}
	}
	for _, tc := range []struct {
		name    string
		badRow  int   // the row of the first bad entry
		entries []int // positions to spoil, relative to their row's start: row, entry
	}{
		{"first row of a pair", 4, []int{4, 5}},
		{"second row of a pair", 5, []int{5, 2}},
		{"both rows, the second's met first", 4, []int{4, 20, 5, 0}},
		{"the odd last row", 8, []int{8, 3}},
	} {
		for _, badCol := range []int32{k, -1, math.MaxInt32} {
			cs := build()
			want := cs.fusedRef()
			first := -1
			for e := 0; e < len(tc.entries); e += 2 {
				pos := int(cs.a.RowPtr[tc.entries[e]]) + tc.entries[e+1]
				cs.a.ColIdx[pos] = badCol
				if tc.entries[e] == tc.badRow {
					first = pos
				}
			}
			c := append([]float32(nil), cs.c0...)
			func() {
				defer func() {
					msg := fmt.Sprint(recover())
					if w := fmt.Sprintf("a.ColIdx[%d] = %d,", first, badCol); !strings.Contains(msg, w) {
						t.Fatalf("%s: panic %q, want one naming %q", tc.name, msg, w)
					}
				}()
				SgemmCSR(cs.n, cs.alpha, &cs.a, cs.b[cs.bOff:], cs.ldb, cs.beta, c[cs.cOff:], cs.ldc)
			}()
			for i := range m {
				for j := range n {
					idx := cs.cOff + i*cs.ldc + j
					w := want[idx]
					if i >= tc.badRow {
						w = cs.c0[idx]
					}
					if !sameBits(c[idx], w) {
						t.Fatalf("%s, column index %d: C[%d][%d] = %v, want %v", tc.name, badCol, i, j, c[idx], w)
					}
				}
			}
		}
	}
}
