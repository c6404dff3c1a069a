package kernels

import "runtime"

// The generic tier: the shared packed algorithm (gemm_packed.go) with a Go
// micro-kernel. It is what riscv64, 386, -tags purego and CPUs without the
// assembly tiers run, and what tests compare the assembly tiers with.

// genericGemm is the generic tier.
var genericGemm = newGenericGemm()

// newGenericGemm picks the Go micro-kernel by register file: a 4×4 tile
// keeps 16 accumulators plus 8 operands live, which fits the 32 floating-
// point registers of arm64, riscv64 and most other targets, but spills on
// amd64 and 386 (16 and 8 XMM registers), where a 2×4 tile (8 accumulators)
// measured 1.5-2x faster (3.8-6.4 against 2.2-2.8 GFLOP/s per kernel call).
func newGenericGemm() *gemmImpl {
	g := &gemmImpl{
		name:  "generic",
		mr:    4,
		nr:    4,
		tile:  tileGeneric4x4,
		gemvN: gemvNGeneric,
		gemvT: gemvTGeneric,
	}
	if runtime.GOARCH == "amd64" || runtime.GOARCH == "386" {
		g.mr, g.tile = 2, tileGeneric2x4
	}
	g.setBlocking(detectCaches())
	return g
}

// tileGeneric2x4 is the generic micro-kernel for targets with few
// floating-point registers (see gemmImpl.tile); panels are always packed.
func tileGeneric2x4(kc int, a []float32, _ int, b []float32, _ int, c []float32, ldc, rows, cols int, alpha, beta float32) {
	var c00, c01, c02, c03, c10, c11, c12, c13 float32
	a = a[:2*kc]
	b = b[:4*kc]
	for p := 0; p < kc; p++ {
		ap := a[2*p : 2*p+2 : 2*p+2]
		bp := b[4*p : 4*p+4 : 4*p+4]
		a0, a1 := ap[0], ap[1]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
	}
	t := [8]float32{c00, c01, c02, c03, c10, c11, c12, c13}
	epilogueTile(t[:], 4, c, ldc, rows, cols, alpha, beta)
}

// tileGeneric4x4 is the generic micro-kernel (see gemmImpl.tile); it reads
// packed panels only (lda and ldb are always 0 here).
func tileGeneric4x4(kc int, a []float32, _ int, b []float32, _ int, c []float32, ldc, rows, cols int, alpha, beta float32) {
	var c00, c01, c02, c03, c10, c11, c12, c13 float32
	var c20, c21, c22, c23, c30, c31, c32, c33 float32
	a = a[:4*kc]
	b = b[:4*kc]
	for p := 0; p < kc; p++ {
		ap := a[4*p : 4*p+4 : 4*p+4]
		bp := b[4*p : 4*p+4 : 4*p+4]
		a0, a1, a2, a3 := ap[0], ap[1], ap[2], ap[3]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	t := [16]float32{
		c00, c01, c02, c03, c10, c11, c12, c13,
		c20, c21, c22, c23, c30, c31, c32, c33,
	}
	epilogueTile(t[:], 4, c, ldc, rows, cols, alpha, beta)
}

// gemvNGeneric adds Σ_p x[p]*b[p*ldb : p*ldb+len(y)] to y, row by row (an
// axpy per row of b, which streams b in storage order).
func gemvNGeneric(k int, x, b []float32, ldb int, y []float32) {
	n := len(y)
	for p := 0; p < k; p++ {
		xp := x[p]
		row := b[p*ldb:][:n]
		for j, v := range row {
			y[j] += xp * v
		}
	}
}

// gemvTGeneric adds the dot product of x[:k] with row j of b to y[j].
func gemvTGeneric(k int, x, b []float32, ldb int, y []float32) {
	x = x[:k]
	for j := range y {
		row := b[j*ldb:][:k]
		var s0, s1, s2, s3 float32
		p := 0
		for ; p+4 <= k; p += 4 {
			s0 += x[p] * row[p]
			s1 += x[p+1] * row[p+1]
			s2 += x[p+2] * row[p+2]
			s3 += x[p+3] * row[p+3]
		}
		for ; p < k; p++ {
			s0 += x[p] * row[p]
		}
		y[j] += (s0 + s1) + (s2 + s3)
	}
}
