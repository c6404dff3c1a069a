package kernels

import "fmt"

// Transpose says whether Sgemm uses a matrix as stored or its transpose.
type Transpose int

const (
	NoTrans Transpose = iota // use the matrix as stored
	Trans                    // use its transpose
)

// Sgemm computes C = alpha*op(A)*op(B) + beta*C for row-major matrices, where
// op(X) is X or Xᵀ as tA and tB say, op(A) is m×k, op(B) is k×n and C is m×n.
// lda, ldb and ldc are the row strides (in elements) of A, B and C as stored.
// As in BLAS, beta == 0 means C is not read (NaN there is overwritten),
// alpha == 0 means A and B are not read, and elements of C outside the m×n
// window are never written. Invalid dimensions, strides or short slices are
// programmer errors and panic with a message naming the argument.
func Sgemm(tA, tB Transpose, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkGemmArgs(tA, tB, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	if alpha == 0 || k == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	g := gemmFor(active)
	if g.narrow != nil && n <= g.narrow.nr {
		g = g.narrow
	}
	if m == 1 || n == 1 {
		sgemv(g, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if g.cols != nil && n <= g.colsMax && tA == NoTrans && tB == NoTrans &&
		int64(m)*int64(n)*int64(k) < int64(gemmSerialWork) {
		g.cols(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	sgemmPacked(g, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func checkGemmArgs(tA, tB Transpose, m, n, k int, a []float32, lda int,
	b []float32, ldb int, c []float32, ldc int) {
	if tA != NoTrans && tA != Trans {
		panic(fmt.Sprintf("kernels.Sgemm: invalid tA %d", tA))
	}
	if tB != NoTrans && tB != Trans {
		panic(fmt.Sprintf("kernels.Sgemm: invalid tB %d", tB))
	}
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("kernels.Sgemm: negative dimension m=%d n=%d k=%d", m, n, k))
	}
	// Stored shapes: A is m×k (NoTrans) or k×m (Trans); B is k×n or n×k.
	aRows, aCols := m, k
	if tA == Trans {
		aRows, aCols = k, m
	}
	bRows, bCols := k, n
	if tB == Trans {
		bRows, bCols = n, k
	}
	checkMatrix("kernels.Sgemm", "a", "lda", a, aRows, aCols, lda)
	checkMatrix("kernels.Sgemm", "b", "ldb", b, bRows, bCols, ldb)
	checkMatrix("kernels.Sgemm", "c", "ldc", c, m, n, ldc)
}

// checkMatrix panics, naming the function fn and the argument, unless a
// rows×cols row-major matrix with stride ld fits in s.
func checkMatrix(fn, name, ldName string, s []float32, rows, cols, ld int) {
	if ld < max(1, cols) {
		panic(fmt.Sprintf("%s: %s = %d, must be at least max(1, %d columns)", fn, ldName, ld, cols))
	}
	if rows == 0 || cols == 0 {
		return
	}
	if need := (rows-1)*ld + cols; len(s) < need {
		panic(fmt.Sprintf("%s: len(%s) = %d, a %d×%d matrix with %s = %d needs %d",
			fn, name, len(s), rows, cols, ldName, ld, need))
	}
}
