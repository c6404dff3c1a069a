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
				// Blocks would take the forward shape (784 columns of A) away
				// from the pairs.
				csrPairs, csrBlocks = pairs, false
				defer func() { csrPairs, csrBlocks = true, true }()
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
			for _, beta := range []float32{0, 0.25} {
				c0 := nanSlice(sh.m * ldc)
				if beta != 0 {
					c0 = randomDense(rng, sh.m*ldc)
				}
				run := func(threads int, blocks bool) []float32 {
					SetMaxThreads(threads)
					csrBlocks = blocks
					defer func() { csrBlocks = true }()
					c := append([]float32(nil), c0...)
					SgemmCSR(n, -0.5, &a, b, ldb, beta, c, ldc)
					return c
				}
				if _, ok := csrRowsBlocked(&a, 0, sh.m, n, -0.5, b, ldb, beta, append([]float32(nil), c0...), ldc); !ok {
					t.Fatalf("%d×%d, n=%d: not taken in blocks", sh.m, sh.k, n)
				}
				want := run(1, false)
				for _, threads := range []int{1, 2} {
					got := run(threads, true)
					for idx := range got {
						if !sameBits(got[idx], want[idx]) {
							t.Fatalf("%d×%d, n=%d, beta=%g, threads=%d: element %d = %v in blocks, %v row by row",
								sh.m, sh.k, n, beta, threads, idx, got[idx], want[idx])
						}
					}
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
