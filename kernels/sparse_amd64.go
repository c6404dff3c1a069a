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

// hasPOPCNT says the CPU can run the compress kernels below, which count
// the entries they keep with POPCNT (no tier checks it; every AVX2 CPU has
// it).
var hasPOPCNT = cpu.X86.HasPOPCNT

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

// csrCompressAVX512 stores the nonzero entries of row[:n] (NaN counts as
// nonzero, -0 as zero) and their indices at vals and idx and returns how many
// there are; it writes exactly that many of each.
//
//go:noescape
func csrCompressAVX512(vals *float32, idx *int32, row *float32, n int) int

// csrCountColumnsAVX512 adds 1 to cnt[j] for every nonzero row[j], j < n.
//
//go:noescape
func csrCountColumnsAVX512(cnt *int32, row *float32, n int)

// csrCompressAVX2 is csrCompressAVX512 for n a multiple of 8, except that it
// may write junk up to n entries of vals and idx, past the ones it keeps.
//
//go:noescape
func csrCompressAVX2(vals *float32, idx *int32, row *float32, n int) int

// csrCountColumnsAVX2 is csrCountColumnsAVX512 for n a multiple of 8.
//
//go:noescape
func csrCountColumnsAVX2(cnt *int32, row *float32, n int)

func compressRow(vals []float32, idx []int32, row []float32) int {
	// The kernels are used only with room for a whole row: the AVX2 one
	// needs it, and for the AVX-512 one, which writes exactly the entries
	// it keeps, the room the caller made for them could still be exceeded
	// if another goroutine changed the row meanwhile (a data race), which
	// must not make it write past vals or idx.
	if len(row) == 0 || len(vals) < len(row) || len(idx) < len(row) || !hasPOPCNT {
		return compressRowGeneric(vals, idx, row)
	}
	switch active {
	case isaAVX512:
		return csrCompressAVX512(&vals[0], &idx[0], &row[0], len(row))
	case isaAVX2:
		n := len(row) &^ 7
		k := 0
		if n > 0 {
			k = csrCompressAVX2(&vals[0], &idx[0], &row[0], n)
		}
		for j := n; j < len(row); j++ {
			if v := row[j]; v != 0 {
				vals[k], idx[k] = v, int32(j)
				k++
			}
		}
		return k
	}
	return compressRowGeneric(vals, idx, row)
}

func countNonzeroColumns(cnt []int32, row []float32) {
	cnt = cnt[:len(row)]
	switch {
	case len(row) == 0:
	case active == isaAVX512:
		csrCountColumnsAVX512(&cnt[0], &row[0], len(row))
	case active == isaAVX2:
		n := len(row) &^ 7
		if n > 0 {
			csrCountColumnsAVX2(&cnt[0], &row[0], n)
		}
		countNonzeroColumnsGeneric(cnt[n:], row[n:])
	default:
		countNonzeroColumnsGeneric(cnt, row)
	}
}

func countNonzeroRow(row []float32) int { return countNonzeroGeneric(row) }
