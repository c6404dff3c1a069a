package kernels

// sgemmGeneric is the straightforward reference: each element of C is one dot
// product, accumulated in float32 in k order.
func sgemmGeneric(tA, tB Transpose, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float32
			if alpha != 0 {
				for p := 0; p < k; p++ {
					av := a[i*lda+p]
					if tA == Trans {
						av = a[p*lda+i]
					}
					bv := b[p*ldb+j]
					if tB == Trans {
						bv = b[j*ldb+p]
					}
					s += float32(av * bv)
				}
				s = float32(alpha * s)
			}
			if beta != 0 {
				s += float32(beta * c[i*ldc+j])
			}
			c[i*ldc+j] = s
		}
	}
}
