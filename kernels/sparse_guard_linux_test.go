package kernels

import (
	"math/rand/v2"
	"syscall"
	"testing"
	"unsafe"
)

// guardedFloats returns n float32s that end exactly where an inaccessible
// page begins, so a kernel reading or writing even one element past the end
// crashes the test instead of passing unnoticed.
func guardedFloats(t *testing.T, n int) []float32 {
	t.Helper()
	page := syscall.Getpagesize()
	size := (n*4+page-1)/page*page + page
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Skip("mmap:", err)
	}
	t.Cleanup(func() { syscall.Munmap(mem) })
	if err := syscall.Mprotect(mem[size-page:], syscall.PROT_NONE); err != nil {
		t.Skip("mprotect:", err)
	}
	end := size - page
	return unsafe.Slice((*float32)(unsafe.Pointer(&mem[end-4*n])), n)
}

// TestSgemmCSRGuardPages runs every tier with B, C and the dense input of
// FromDense ending at an inaccessible page, over the tile-tail widths, with
// the last row of B referenced: the masked tails must not touch a byte past
// the matrices.
func TestSgemmCSRGuardPages(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(15, 16))
		const m, k = 3, 20
		for _, n := range []int{1, 3, 5, 7, 9, 15, 17, 31, 95, 97, 100, 255, 257} {
			dense := guardedFloats(t, m*k)
			for i := range dense {
				if rng.IntN(3) == 0 || i%k == k-1 {
					dense[i] = float32(rng.NormFloat64())
				}
			}
			var a CSR
			a.FromDense(m, k, dense, k)
			a.FromDenseTransposed(k, m, dense, m)
			a.FromDense(m, k, dense, k)
			b := guardedFloats(t, k*n)
			for i := range b {
				b[i] = float32(rng.NormFloat64())
			}
			for _, beta := range []float32{0, 0.5} {
				c := guardedFloats(t, m*n) // zeros (fresh pages), as c0 below
				SgemmCSR(n, 1, &a, b, n, beta, c, n)
				var ref CSR
				ref.FromDense(m, k, dense, k)
				cs := &csrCase{m: m, n: n, k: k, alpha: 1, beta: beta, dense: append([]float32(nil), dense...),
					a: ref, b: b, c0: make([]float32, m*n), ldb: n, ldc: n}
				cs.check(t, c)
			}
		}
		// A shape the AVX-512 tier takes in blocks of rows and of B
		// (csrRowsBlocked): its last block of B rows (520 = 10·48 + 40),
		// ending at the guard page, is referenced by every row, and the
		// last 72 columns of n = 200 are a tail tile.
		const bm, bk = 18, 520
		for _, n := range []int{128, 200, 256} {
			dense := make([]float32, bm*bk)
			for i := range dense {
				if rng.IntN(4) == 0 || i%bk == bk-1 {
					dense[i] = float32(rng.NormFloat64())
				}
			}
			var a CSR
			a.FromDense(bm, bk, dense, bk)
			b := guardedFloats(t, bk*n)
			for i := range b {
				b[i] = float32(rng.NormFloat64())
			}
			for _, beta := range []float32{0, 0.5} {
				c := guardedFloats(t, bm*n)
				SgemmCSR(n, 1, &a, b, n, beta, c, n)
				cs := &csrCase{m: bm, n: n, k: bk, alpha: 1, beta: beta, dense: dense, a: a, b: b,
					c0: make([]float32, bm*n), ldb: n, ldc: n}
				cs.check(t, c)
			}
		}
	})
}
