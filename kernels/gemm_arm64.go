//go:build !purego

package kernels

// Assembly in gemm_arm64.s; its header describes the kernel.

//go:noescape
func sgemmKernel8x12NEON(kc int, a, b, t *float32)

var neonGemm = newNEONGemm()

func gemmFor(i isa) *gemmImpl {
	if i == isaNEON {
		return neonGemm
	}
	return genericGemm
}

func newNEONGemm() *gemmImpl {
	g := &gemmImpl{
		name:  "neon",
		mr:    8,
		nr:    12,
		tile:  tile8x12NEON,
		gemvN: gemvNGeneric,
		gemvT: gemvTGeneric,
	}
	g.setBlocking(detectCaches())
	return g
}

// tile8x12NEON runs the kernel into a scratch tile and applies alpha, beta
// and the edge in Go (a 96-element pass per kc·96 multiply-adds).
// Panels are always packed (lda and ldb are 0).
func tile8x12NEON(kc int, a []float32, _ int, b []float32, _ int, c []float32, ldc, rows, cols int, alpha, beta float32) {
	_, _ = a[8*kc-1], b[12*kc-1] // the kernel reads whole panels
	var t [8 * 12]float32
	sgemmKernel8x12NEON(kc, &a[0], &b[0], &t[0])
	epilogueTile(t[:], 12, c, ldc, rows, cols, alpha, beta)
}
