// Package impls puts lanes, gonum and OpenBLAS behind one set of function
// types, so benchmarks and the report run the same cases on each.
//
// OpenBLAS is reached through cgo and only in builds with the tag openblas
// (Debian/Ubuntu: apt-get install libopenblas-dev); without it OpenBLAS
// returns an error saying so.
package impls

import (
	"runtime"

	"github.com/lanes-go/lanes/kernels"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// SgemmFunc computes C = alpha*op(A)*op(B) + beta*C on row-major matrices, as
// kernels.Sgemm does; transA/transB select op(X) = Xᵀ.
type SgemmFunc func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int)

// Library is one implementation of the operations being compared. A nil
// function means the library has no such operation.
type Library struct {
	Name    string // "lanes", "gonum" or "openblas"
	Variant string // lanes: its ISA; openblas: its core type; gonum: empty
	Sgemm   SgemmFunc
	Axpy    func(alpha float32, x, y []float32) // y += alpha*x
	Dot     func(x, y []float32) float32
	Scale   func(alpha float32, x []float32) // x *= alpha, in place
	// SetThreads caps the threads the following calls may use.
	SetThreads func(n int)
}

// Label names the library and its variant, e.g. "lanes avx512".
func (l Library) Label() string {
	if l.Variant == "" {
		return l.Name
	}
	return l.Name + " " + l.Variant
}

func trans(t bool) kernels.Transpose {
	if t {
		return kernels.Trans
	}
	return kernels.NoTrans
}

// Lanes is this module's kernels at the ISA chosen at start-up (GODEBUG
// lowers it; see kernels.ISA).
func Lanes() Library {
	return Library{
		Name:    "lanes",
		Variant: kernels.ISA(),
		Sgemm: func(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int,
			b []float32, ldb int, beta float32, c []float32, ldc int) {
			kernels.Sgemm(trans(tA), trans(tB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		},
		Axpy:       kernels.Axpy,
		Dot:        kernels.Dot,
		Scale:      func(alpha float32, x []float32) { kernels.Scale(x, alpha, x) },
		SetThreads: setLanesThreads,
	}
}

// setLanesThreads caps the threads one lanes call may use (its pool; it
// leaves GOMAXPROCS alone).
func setLanesThreads(n int) { kernels.SetMaxThreads(n) }

func blasTrans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

// Gonum is gonum.org/v1/gonum/blas/gonum, the pure-Go BLAS most Go code uses.
// Its Sgemm splits work over GOMAXPROCS goroutines, so that is its thread cap.
func Gonum() Library {
	var impl gonum.Implementation
	return Library{
		Name: "gonum",
		Sgemm: func(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int,
			b []float32, ldb int, beta float32, c []float32, ldc int) {
			impl.Sgemm(blasTrans(tA), blasTrans(tB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		},
		Axpy:       func(alpha float32, x, y []float32) { impl.Saxpy(len(x), alpha, x, 1, y, 1) },
		Dot:        func(x, y []float32) float32 { return impl.Sdot(len(x), x, 1, y, 1) },
		Scale:      func(alpha float32, x []float32) { impl.Sscal(len(x), alpha, x, 1) },
		SetThreads: func(n int) { runtime.GOMAXPROCS(n) },
	}
}
