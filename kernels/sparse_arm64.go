//go:build !purego

package kernels

// Assembly sparse kernels for arm64 (sparse_arm64.s); the Go tiling around
// them is csrRowTiled (sparse_asm.go).

// csrTileNEON is csrTileAVX512 (see sparse_amd64.go) with NEON registers: a
// tile of w = 4·regs + tail columns, regs ≤ 24 full accumulators (V0-V23)
// and tail < 4 columns kept in scalar registers, so no memory beyond the
// tile is touched.
//
//go:noescape
func csrTileNEON(acc, vals *float32, cols *int32, nnz int, b *float32, ldb, bRows int, c *float32, regs, tail int, alpha, beta float32, flags int) int

func csrRow(n int, alpha float32, vals []float32, cols []int32, bRows int, b []float32, ldb int, beta float32, c []float32) int {
	if active == isaNEON {
		return csrRowTiled(active, n, alpha, vals, cols, bRows, b, ldb, beta, c)
	}
	return csrRowGeneric(alpha, vals, cols, bRows, b, ldb, beta, c[:n])
}

func csrTile(_ isa, acc, vals *float32, cols *int32, nnz int, b *float32, ldb, bRows int, c *float32, regs, tail int, alpha, beta float32, flags int) int {
	return csrTileNEON(acc, vals, cols, nnz, b, ldb, bRows, c, regs, tail, alpha, beta, flags)
}

func csrTileShape(isa) (unit, maxRegs int) { return 4, 24 }
