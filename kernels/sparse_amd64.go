//go:build !purego

package kernels

import "golang.org/x/sys/cpu"

// Assembly sparse kernels for amd64 (sparse_amd64.s); the Go tiling around
// them is csrRowTiled (sparse_asm.go).

// csrTileAVX512 computes one tile of a row of C = alpha·A·B + beta·C: the
// w = 16·regs + tail columns starting at b and c (regs ≤ 16, tail < 16,
// w ≥ 1), from the nnz nonzeros vals[k] at rows cols[k] of B, which has
// bRows rows of stride ldb floats:
//
//	for j < w:
//		s := 0 (or acc[j] if flags&csrAccIn)
//		for k < nnz { s = fma32(vals[k], b[cols[k]*ldb+j], s) }
//		if flags&csrFinal == 0 { acc[j] = s; continue }
//		if beta == 0 { c[j] = alpha*s } else { c[j] = fma32(beta, c[j], alpha*s) }
//
// It first checks every cols[k] against [0, bRows) and returns the first k
// that is outside, having written nothing; otherwise it returns -1. acc has
// room for w floats (csrTileMax). The full registers are Z0-Z15, the tail is
// Z16 under a lane mask, so only masked lanes of b and c are touched.
//
//go:noescape
func csrTileAVX512(acc, vals *float32, cols *int32, nnz int, b *float32, ldb, bRows int, c *float32, regs, tail int, alpha, beta float32, flags int) int

// csrTileAVX2 is csrTileAVX512 with YMM registers: w = 8·regs + tail columns,
// regs ≤ 12 (Y0-Y11), tail < 8 (Y12 with VMASKMOVPS loads and stores).
//
//go:noescape
func csrTileAVX2(acc, vals *float32, cols *int32, nnz int, b *float32, ldb, bRows int, c *float32, regs, tail int, alpha, beta float32, flags int) int

// hasAVX512CSR says the CPU can run the AVX-512 compress kernels below,
// which also use POPCNT (the AVX-512 tier implies neither).
var hasAVX512CSR = cpu.X86.HasPOPCNT

func csrRow(n int, alpha float32, vals []float32, cols []int32, bRows int, b []float32, ldb int, beta float32, c []float32) int {
	switch active {
	case isaAVX512, isaAVX2:
		return csrRowTiled(active, n, alpha, vals, cols, bRows, b, ldb, beta, c)
	}
	return csrRowGeneric(alpha, vals, cols, bRows, b, ldb, beta, c[:n])
}

// csrTile dispatches one tile to tier t's kernel.
func csrTile(t isa, acc, vals *float32, cols *int32, nnz int, b *float32, ldb, bRows int, c *float32, regs, tail int, alpha, beta float32, flags int) int {
	if t == isaAVX512 {
		return csrTileAVX512(acc, vals, cols, nnz, b, ldb, bRows, c, regs, tail, alpha, beta, flags)
	}
	return csrTileAVX2(acc, vals, cols, nnz, b, ldb, bRows, c, regs, tail, alpha, beta, flags)
}

// csrTileShape returns tier t's tile: the register width in floats and the
// most full registers a tile holds.
func csrTileShape(t isa) (unit, maxRegs int) {
	if t == isaAVX512 {
		return 16, 16
	}
	return 8, 12
}

func compressRow(vals []float32, idx []int32, row []float32) int {
	return compressRowGeneric(vals, idx, row)
}

func countNonzeroColumns(cnt []int32, row []float32) { countNonzeroColumnsGeneric(cnt, row) }

func countNonzeroRow(row []float32) int { return countNonzeroGeneric(row) }
