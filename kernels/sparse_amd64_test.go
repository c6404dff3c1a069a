//go:build !purego

package kernels

import "testing"

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
