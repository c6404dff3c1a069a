//go:build !purego

package kernels

import (
	"math/rand/v2"
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
				csrPairs = pairs
				defer func() { csrPairs = true }()
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
