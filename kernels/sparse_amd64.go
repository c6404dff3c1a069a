//go:build !purego

package kernels

import (
	"math"

	"golang.org/x/sys/cpu"
)

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
// It checks each cols[k] against [0, bRows) before using it and returns the
// first k that is outside, having written nothing; otherwise it returns -1.
// acc (room for w floats) is read only with csrAccIn and written only
// without csrFinal, and may be nil for a single call (flags == csrFinal).
// The full registers are Z0-Z15, the tail is Z16 under a lane mask, so only
// masked lanes of b and c are touched.
//
//go:noescape
func csrTileAVX512(acc, vals *float32, cols *int32, nnz int, b *float32, ldb, bRows int, c *float32, regs, tail int, alpha, beta float32, flags int) int

// csrTileAVX2 is csrTileAVX512 with YMM registers: w = 8·regs + tail columns,
// regs ≤ 12 (Y0-Y11), tail < 8 (Y12 with VMASKMOVPS loads and stores).
//
//go:noescape
func csrTileAVX2(acc, vals *float32, cols *int32, nnz int, b *float32, ldb, bRows int, c *float32, regs, tail int, alpha, beta float32, flags int) int

// csrPairAVX512 computes two rows of C at once over a tile of 128 columns,
// bit for bit as two csrTileAVX512 calls (regs 8, tail 0, flags csrFinal)
// would, reading each row of B the two rows of A share only once. It
// returns -1, or 0 without writing anything if a column index of either row
// is outside [0, bRows), which must be below 2³².
//
//go:noescape
func csrPairAVX512(vals0 *float32, cols0 *int32, n0 int, vals1 *float32, cols1 *int32, n1 int, b *float32, ldb, bRows int, c0, c1 *float32, alpha, beta float32) int

// csrPairs enables csrRowPair; a test turns it off to compare the bits.
var csrPairs = true

// csrPairWidth is the tile of csrPairAVX512.
const csrPairWidth = 128

// csrRowPair computes two rows of C as two csrRow calls would, with the
// same bits, and reports true; or, having written nothing, reports false
// when it cannot: no pair kernel on this tier, fewer than csrPairWidth
// columns, rows too long for one bounded call, or a bad column index (which
// the caller then finds row by row).
//
// It pays where neighbouring rows share columns. On 128 MNIST images, two
// rows' columns overlap by 23% (pair unions hold 77% of the nonzeros) and
// the forward product X·W measured the same with or without pairs; in the
// transposed batch of the weight gradient (rows are pixels, and
// neighbouring pixels are inked in many of the same images) unions hold
// 59%, and Xᵀ·dY went from 236-242 to 162-179 µs on one core.
func csrRowPair(n int, alpha float32, vals0 []float32, cols0 []int32, vals1 []float32, cols1 []int32,
	bRows int, b []float32, ldb int, beta float32, c0, c1 []float32) bool {
	n0, n1 := len(vals0), len(vals1)
	if !csrPairs || active != isaAVX512 || n < csrPairWidth || bRows == 0 || bRows > math.MaxInt32 ||
		(n0+n1)*csrPairWidth > 2*csrCallWork {
		return false
	}
	cols0, cols1 = cols0[:n0], cols1[:n1]
	var v0, v1 *float32
	var k0, k1 *int32
	if n0 > 0 {
		v0, k0 = &vals0[0], &cols0[0]
	}
	if n1 > 0 {
		v1, k1 = &vals1[0], &cols1[0]
	}
	full := n / csrPairWidth * csrPairWidth
	for j0 := 0; j0 < full; j0 += csrPairWidth {
		// Every tile checks every index, so only the first can fail.
		if csrPairAVX512(v0, k0, n0, v1, k1, n1, &b[j0], ldb, bRows, &c0[j0], &c1[j0], alpha, beta) >= 0 {
			return false
		}
	}
	if full < n {
		csrRowTiled(isaAVX512, n-full, alpha, vals0, cols0, bRows, b[full:], ldb, beta, c0[full:n])
		csrRowTiled(isaAVX512, n-full, alpha, vals1, cols1, bRows, b[full:], ldb, beta, c1[full:n])
	}
	return true
}

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
// nonzero, -0 as zero) and their indices plus base at vals and idx and
// returns how many there are; it writes exactly that many of each.
//
//go:noescape
func csrCompressAVX512(vals *float32, idx *int32, row *float32, n, base int) int

// csrCountColumnsAVX512 adds 1 to cnt[j] for every nonzero row[j], j < n.
//
//go:noescape
func csrCountColumnsAVX512(cnt *int32, row *float32, n int)

// csrTransposeAVX512 places the nonzero entries of the 16 rows of a
// starting at a (row stride lda, cols columns), numbered i0..i0+15, into the
// transposed CSR's arrays: entry (r, j) goes to vals[next[j]] and
// idx[next[j]] (as i0+r), then next[j]++, rows in increasing order. It
// returns 1, at once, if a store would end past nnz = len(vals) = len(idx),
// else 0.
//
//go:noescape
func csrTransposeAVX512(a *float32, lda, cols, i0 int, next *int32, vals *float32, idx *int32, nnz int) int

// csrTransposeCols bounds the columns of one csrTransposeAVX512 call: a
// 16×1024 block takes a few microseconds.
const csrTransposeCols = 1024

// csrTransposeRows places the entries of whole blocks of 16 rows of a with
// csrTransposeAVX512 and returns how many rows it placed (0 on other
// tiers); see FromDenseTransposed. (An AVX2 version with 8×8 tiles measured
// slower than the Go placing loop, 92-118 against 69-87 µs for a 128×784
// batch: its stores must be masked, and VMASKMOVPS stores are slow on Zen.)
func csrTransposeRows(rows, cols int, a []float32, lda int, next []int32, vals []float32, idx []int32) int {
	if active != isaAVX512 || !hasPOPCNT || rows < 16 || cols == 0 || len(vals) == 0 || len(idx) != len(vals) {
		return 0
	}
	next = next[:cols]
	done := 0
	for ; done+16 <= rows; done += 16 {
		_ = a[(done+15)*lda+cols-1] // the block is inside a
		// Up to csrTransposeCols columns per call, to keep each call short.
		for j0 := 0; j0 < cols; j0 += csrTransposeCols {
			w := min(csrTransposeCols, cols-j0)
			if csrTransposeAVX512(&a[done*lda+j0], lda, w, done, &next[j0], &vals[0], &idx[0], len(vals)) != 0 {
				panic("kernels.CSR.FromDenseTransposed: a changed during the call")
			}
		}
	}
	return done
}

// csrCompressAVX2 is csrCompressAVX512 for n a multiple of 8, except that it
// may write junk up to n entries of vals and idx, past the ones it keeps.
//
//go:noescape
func csrCompressAVX2(vals *float32, idx *int32, row *float32, n, base int) int

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
	if len(row) == 0 || len(vals) < len(row) || len(idx) < len(row) || !hasPOPCNT ||
		(active != isaAVX512 && active != isaAVX2) {
		return compressRowGeneric(vals, idx, row)
	}
	// A piece of chunk floats per call keeps each call short; after k
	// entries from j0 floats (k <= j0), the room left still holds the rest.
	k := 0
	for j0 := 0; j0 < len(row); j0 += chunk {
		piece := row[j0:min(j0+chunk, len(row))]
		if active == isaAVX512 {
			k += csrCompressAVX512(&vals[k], &idx[k], &piece[0], len(piece), j0)
			continue
		}
		n := len(piece) &^ 7
		if n > 0 {
			k += csrCompressAVX2(&vals[k], &idx[k], &piece[0], n, j0)
		}
		for j := n; j < len(piece); j++ {
			if v := piece[j]; v != 0 {
				vals[k], idx[k] = v, int32(j0+j)
				k++
			}
		}
	}
	return k
}

func countNonzeroColumns(cnt []int32, row []float32) {
	cnt = cnt[:len(row)]
	for j0 := 0; j0 < len(row); j0 += chunk { // a bounded piece per call
		c, r := cnt[j0:min(j0+chunk, len(row))], row[j0:min(j0+chunk, len(row))]
		switch active {
		case isaAVX512:
			csrCountColumnsAVX512(&c[0], &r[0], len(r))
		case isaAVX2:
			n := len(r) &^ 7
			if n > 0 {
				csrCountColumnsAVX2(&c[0], &r[0], n)
			}
			countNonzeroColumnsGeneric(c[n:], r[n:])
		default:
			countNonzeroColumnsGeneric(c, r)
		}
	}
}
