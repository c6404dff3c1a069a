package kernels

// sgemv is Sgemm for m == 1 or n == 1 (and k >= 1, alpha != 0): a
// matrix-vector product, memory-bound, so nothing is packed and it runs on
// the calling goroutine. With m == 1, C's row is xᵀ·op(B) with x = op(A)'s
// row; with n == 1, C's column is op(A)·x with x = op(B)'s column. Either
// way the matrix is read in storage order: gemvN streams its rows with
// axpy-style updates (y += x[p]·row p), gemvT takes one dot product per row.
func sgemv(g *gemmImpl, tA, tB Transpose, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) {
	buf := getGemmBuffers()
	defer putGemmBuffers(buf)
	if m == 1 {
		x := vectorOf(&buf.xRaw, a, k, tA == Trans, lda)
		y := aligned64(&buf.yRaw, n)
		clear(y)
		if tB == NoTrans {
			g.gemvN(k, x, b, ldb, y) // B is k×n: y += x[p]·B[p,:]
		} else {
			g.gemvT(k, x, b, ldb, y) // B is n×k: y[j] = B[j,:]·x
		}
		epilogueVector(y, c, 1, alpha, beta)
		return
	}
	x := vectorOf(&buf.xRaw, b, k, tB == NoTrans, ldb)
	y := aligned64(&buf.yRaw, m)
	clear(y)
	if tA == NoTrans {
		g.gemvT(k, x, a, lda, y) // A is m×k: y[i] = A[i,:]·x
	} else {
		g.gemvN(k, x, a, lda, y) // A is k×m: y += x[p]·A[p,:]
	}
	epilogueVector(y, c, ldc, alpha, beta)
}

// vectorOf returns the k elements s[0], s[ld], s[2·ld]... as a contiguous
// slice: s itself when they are contiguous (strided false), else a copy.
func vectorOf(raw *[]float32, s []float32, k int, strided bool, ld int) []float32 {
	if !strided || ld == 1 {
		return s[:k]
	}
	x := aligned64(raw, k)
	for p := range x {
		x[p] = s[p*ld]
	}
	return x
}

// epilogueVector writes c[i*stride] = alpha*y[i] + beta*c[i*stride], not
// reading c when beta == 0.
func epilogueVector(y, c []float32, stride int, alpha, beta float32) {
	for i, v := range y {
		if beta == 0 {
			c[i*stride] = alpha * v
		} else {
			c[i*stride] = alpha*v + beta*c[i*stride]
		}
	}
}
