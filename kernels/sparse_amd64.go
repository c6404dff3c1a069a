//go:build !purego

package kernels

import (
	"math"
	"slices"

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

// csrBlockAVX512 adds the nonzeros of a block of rows of A whose columns
// lie in [k0, k0+kb) into the rows' partial sums, 128 columns each, and
// moves the rows' cursors cur past them (see sparse_amd64.s).
//
//go:noescape
func csrBlockAVX512(vals *float32, cols *int32, cur, end *int32, rows int, b *float32, ldb, k0, kb int, acc *float32)

const (
	// csrBlockWidth is csrBlockAVX512's tile of columns (8 ZMM).
	csrBlockWidth = 128
	// csrBlockRows rows of A take each block of B in turn; their partial
	// sums, 8 KiB, stay in L1 beside the block.
	csrBlockRows = 16
	// csrBlockK rows of B make a block: 24 KiB at csrBlockWidth columns.
	// With B's rows 1 KiB apart (n = 256) they fill only half of L1's sets,
	// 12 lines each against 8 ways, so part of the block is read again
	// from L2; but 24 rows, which fit, measured slower on MNIST (twice the
	// visits to the partial sums), and 32 or 64 the same as 48.
	csrBlockK = 48

	// csrBlockMinK is the fewest rows of B for which blocks are used.
	csrBlockMinK = 512
)

// csrRowsBlocked is csrRows for the AVX-512 tier where B is large; it
// reports false, having done nothing, where it does not apply.
//
// The one-row kernels read a row of B for every nonzero, from L2 for the
// MLP's 784×256 weights, and L2 bandwidth is what limits them. Here the
// rows of A are taken csrBlockRows at a time, a tile of 128 columns at a
// time, and B's rows in blocks of csrBlockK: every row of the block of A
// adds its nonzeros that fall in the block of B (csrBlockAVX512) into
// partial sums kept in L1, so a row of B is read from L2 once per block of
// rows of A rather than once per nonzero.
//
// It pays less than that suggests, because on Zen 4 one ZMM multiply-add a
// cycle with its B operand from memory already uses the whole L1 load
// bandwidth, and each time a row meets a block of B it has nonzeros in, its
// partial sums are loaded and stored again (512 bytes each way). Measured
// (BenchmarkSgemmCSRMNIST, forward X·W, path=csr against csr-rows in one
// process, four runs): 153-197 µs against 161-210 µs row by row on one
// core (medians 2-15% apart from run to run), 92-135 against 101-157 on
// two; random rows of density 0.1-0.3 (BenchmarkSgemmCSRDensity) gain
// 10-30% on one core. So it is kept
// to B of at least csrBlockMinK rows and to rows of density 4/csrBlockK
// (about 4 nonzeros a block) to 0.35: denser rows already stream B's rows
// in order, which L2's prefetchers serve well, and with B's row stride a
// multiple of 1 KiB (n = 256) the rows of a block of B fall into half of
// L1's sets and evict each other: at density 1, blocks measured 1.5× slower.
//
// Where the time goes, on MNIST's forward product, one core (min of 30-40
// runs interleaved in one process): with every row of B in L1 (columns
// mapped into 24 rows) the one-row kernel takes 100-103 µs, these blocks
// 124-138, against 140-148 for the real B. So about half of the loss is
// the blocks' ~3000 visits (a row meeting a block of B: its partial sums
// loaded and stored, a mispredicted loop exit; some 20 cycles each), half
// B's rows coming from L2. Tried and not kept: all the rows against each
// block of B, with the partial sums in L2 (16-128 rows × blocks of 32-64
// rows of B: 136-147 µs, flat); B copied to a padded stride, so that a
// block spreads over all of L1's sets (the same time, plus 20 µs for the
// copy); prefetching the next row's partial sums (slower); two rows of A
// at a time in lockstep (136-147 against 141-144, within noise).
//
// The columns of a row must be increasing, as FromDense and
// FromDenseTransposed make them, for its nonzeros to come block by block.
// Then each sum is the same chain of multiply-adds, in stored order, as in
// the one-row kernels, and the epilogue is theirs (csrTileAVX512 applied to
// the partial sums), so the results are the same bits, whatever the split
// over threads. A row whose columns are not increasing, or out of range,
// leaves its cursor short of its end; the whole block of rows, none of it
// written yet, is then computed again by csrRowsUnblocked, which finds a
// bad index as it would have anyway.
func csrRowsBlocked(a *CSR, i0, i1, n int, alpha float32, b []float32, ldb int, beta float32, c []float32, ldc int) (bad int, ok bool) {
	bRows := a.Cols
	if !csrBlocks || active != isaAVX512 || n < csrBlockWidth || bRows < csrBlockMinK || bRows > math.MaxInt32 ||
		i1-i0 < csrBlockRows/2 {
		return -1, false
	}
	// The density window; its lower end also makes a.Val non-empty.
	nnz, area := int64(a.RowPtr[i1]-a.RowPtr[i0]), int64(bRows)*int64(i1-i0)
	if nnz*csrBlockK < 4*area || nnz*20 > 7*area {
		return -1, false
	}
	var acc [csrBlockRows * csrBlockWidth]float32
	// Blocks of equal size, so that 17 rows (a chunk of the two-thread
	// forward product) make blocks of 9 and 8 rather than 16 and a lone
	// row that would read all of B for itself.
	blocks := (i1 - i0 + csrBlockRows - 1) / csrBlockRows
	size := (i1 - i0 + blocks - 1) / blocks
	for r0 := i0; r0 < i1; r0 += size {
		if bad := csrRowBlock(a, r0, min(r0+size, i1), n, alpha, b, ldb, beta, c, ldc, &acc); bad >= 0 {
			return bad, true
		}
	}
	return -1, true
}

// csrRowBlock computes rows [r0, r1) of C, at most csrBlockRows, for
// csrRowsBlocked, with acc for the partial sums, and returns -1 or the
// position of a bad column index.
func csrRowBlock(a *CSR, r0, r1, n int, alpha float32, b []float32, ldb int, beta float32, c []float32, ldc int,
	acc *[csrBlockRows * csrBlockWidth]float32) int {
	var cur [csrBlockRows]int32
	rows, bRows := r1-r0, a.Cols
	start, end := a.RowPtr[r0:r1], a.RowPtr[r0+1:r1+1]
	full := n / csrBlockWidth * csrBlockWidth
	for j0 := 0; j0 < full; j0 += csrBlockWidth {
		copy(cur[:], start)
		clear(acc[:rows*csrBlockWidth])
		// One call per block of B: at most csrBlockRows·csrBlockK·128
		// multiply-adds (96K), within csrCallWork.
		for k0 := 0; k0 < bRows; k0 += csrBlockK {
			csrBlockAVX512(&a.Val[0], &a.ColIdx[0], &cur[0], &end[0], rows, &b[k0*ldb+j0], ldb, k0, min(csrBlockK, bRows-k0), &acc[0])
		}
		// The first tile tells whether every row went through (the others
		// see the same columns), before anything is written.
		if j0 == 0 && !slices.Equal(cur[:rows], end) {
			return csrRowsUnblocked(a, r0, r1, n, alpha, b, ldb, beta, c, ldc)
		}
		for r := range rows {
			csrTileAVX512(&acc[r*csrBlockWidth], nil, nil, 0, nil, ldb, bRows, &c[(r0+r)*ldc+j0],
				csrBlockWidth/16, 0, alpha, beta, csrAccIn|csrFinal)
		}
	}
	for i := r0; i < r1 && full < n; i++ { // the last n%128 columns, row by row
		lo, hi := a.RowPtr[i], a.RowPtr[i+1]
		if bad := csrRowTiled(isaAVX512, n-full, alpha, a.Val[lo:hi], a.ColIdx[lo:hi], bRows, b[full:], ldb, beta, c[i*ldc+full:][:n-full]); bad >= 0 {
			return int(lo) + bad
		}
	}
	return -1
}

// csrNarrowAVX512 computes rows rows of C, 64 columns each, against a tile
// of B packed 64 floats to a row, two rows at a time (see sparse_amd64.s):
// rowPtr points at the rows' RowPtr entries (rows+1 of them), positions in
// vals and cols; c at the first row's first column, ldc floats apart. It
// returns -1, or the position of an out-of-range column index, having
// written only the rows of the pairs before that row's pair.
//
//go:noescape
func csrNarrowAVX512(vals *float32, cols *int32, rowPtr *int32, rows int, b *float32, bRows int, c *float32, ldc int, alpha, beta float32) int

const (
	// csrNarrowWidth is csrNarrowAVX512's tile of columns (4 ZMM a row).
	csrNarrowWidth = 64
	// csrNarrowMaxK rows of B make a packed tile of at most 32 KiB.
	csrNarrowMaxK = 128
	// csrNarrowMaxPacked bounds the packed copy of B (1 MiB).
	csrNarrowMaxPacked = 1 << 18
	// csrNarrowCallNNZ bounds one kernel call to csrCallWork multiply-adds.
	csrNarrowCallNNZ = csrCallWork / csrNarrowWidth
)

// csrPackedFree keeps the packed copies between calls, so that steady use
// allocates nothing.
var csrPackedFree = make(chan []float32, maxThreadsLimit)

// csrPackNarrow returns B's first n/64·64 columns packed for csrRowsNarrow
// (tile t, the columns [64t, 64t+64), is the bRows×64 matrix at
// [t·bRows·64:], rows 64 floats apart), or nil where that path does not
// apply: another tier, B too tall for a tile to fit L1 (more than
// csrNarrowMaxK rows), so small that it fits L1 whole (the row kernels
// then read it from there anyway), too few nonzeros to repay the copy, or
// a row too long for csrRowsNarrow's bounded kernel calls.
//
// The path is for the MLP's weight gradient Xᵀ·dY (784×128 sparse, dY
// 128×256: 128 KiB, from L2 for every nonzero of the one-row kernels; the
// pair kernel halves that traffic but spends 18% more multiply-adds on
// masked lanes). Against a tile in L1 every nonzero costs 4 unmasked FMAs
// with B's operand from L1. On the MNIST gradient, one core
// (BenchmarkSgemmCSRMNIST, path=csr against csr-pairs in one process, six
// runs each): 145-155 µs against 159-183, copy included (about 3 µs).
// SgemmCSR uses it on one thread only: on two it measured slower than the
// pairs, with one copy made by one core and read by both (123-163 µs
// against 97-119) and with chunks of one tile and a range of rows, each
// core copying the tiles it uses (94-130 against 79-120), for a reason
// not found: the pairs scale with the cores (each has its own L2), these
// tiles did not.
func csrPackNarrow(a *CSR, n int, b []float32, ldb int) []float32 {
	bRows := a.Cols
	tiles := n / csrNarrowWidth
	size := bRows * tiles * csrNarrowWidth
	if !csrNarrow || active != isaAVX512 || tiles == 0 || bRows > csrNarrowMaxK || bRows*n <= 8<<10 ||
		size > csrNarrowMaxPacked || len(a.Val) < 2*bRows {
		return nil
	}
	for i := range a.Rows {
		if a.RowPtr[i+1]-a.RowPtr[i] > csrNarrowCallNNZ/2 {
			return nil // a pair could exceed one call's work
		}
	}
	var packed []float32
	select {
	case packed = <-csrPackedFree:
	default:
	}
	if cap(packed) < size {
		packed = make([]float32, size)
	}
	packed = packed[:size]
	for r := range bRows {
		row := b[r*ldb:][:tiles*csrNarrowWidth]
		for t := range tiles {
			copy(packed[(t*bRows+r)*csrNarrowWidth:][:csrNarrowWidth], row[t*csrNarrowWidth:])
		}
	}
	return packed
}

// csrPutPacked returns a packed copy to csrPackedFree.
func csrPutPacked(packed []float32) {
	if packed == nil {
		return
	}
	select {
	case csrPackedFree <- packed:
	default:
	}
}

// csrRowsNarrow is csrRows against the packed tiles of B (csrPackNarrow);
// it reports false, having done nothing, when there are none.
//
// Tile by tile, all the rows [i0, i1) go through csrNarrowAVX512 while the
// tile stays in L1; the last n%64 columns are done row by row from B
// itself. Each element is the same chain as in the one-row kernels, so the
// results are the same bits as on every other path. Every tile
// sees the same column indices, so a bad one is found in the first tile:
// the rows before it are then completed (they are valid) and the rest is
// left untouched, as row by row.
func csrRowsNarrow(a *CSR, i0, i1, n int, alpha float32, b []float32, ldb int, beta float32, c []float32, ldc int, packed []float32) (bad int, ok bool) {
	if packed == nil || i0 == i1 {
		return -1, packed != nil
	}
	bRows := a.Cols
	tiles := n / csrNarrowWidth
	full := tiles * csrNarrowWidth
	tileSize := bRows * csrNarrowWidth
	// rows runs the kernel over rows [r0, r1) of tile t, in calls of at
	// most csrNarrowCallNNZ nonzeros (an even number of rows each, so the
	// pairs stay put), and returns -1 or a bad position.
	rows := func(t, r0, r1 int) int {
		for g0 := r0; g0 < r1; {
			g1 := min(g0+2, r1)
			for g1+2 <= r1 && a.RowPtr[g1+2]-a.RowPtr[g0] <= csrNarrowCallNNZ {
				g1 += 2
			}
			if g1 < r1 && g1+1 == r1 && a.RowPtr[r1]-a.RowPtr[g0] <= csrNarrowCallNNZ {
				g1 = r1
			}
			if k := csrNarrowAVX512(&a.Val[0], &a.ColIdx[0], &a.RowPtr[g0], g1-g0, &packed[t*tileSize], bRows,
				&c[g0*ldc+t*csrNarrowWidth], ldc, alpha, beta); k >= 0 {
				return k
			}
			g0 = g1
		}
		return -1
	}
	last := i1 // rows [i0, last) are computed
	for t := range tiles {
		k := rows(t, i0, last)
		if k < 0 {
			continue
		}
		// Only the first tile can fail. The kernel stopped in the pair
		// holding the row of position k, having written the rows before
		// the pair; the first bad index is in that pair, perhaps in its
		// first row when k is in the second.
		r := csrRowOf(a, i0, i1, k)
		pair := i0 + (r-i0)&^1
		first := int(a.RowPtr[pair])
		for first < int(a.RowPtr[pair+1]) && uint(a.ColIdx[first]) < uint(bRows) {
			first++
		}
		if first == int(a.RowPtr[pair+1]) {
			first = k // the first row of the pair is valid
		}
		last = csrRowOf(a, i0, i1, first)
		rows(t, pair, last) // at most the pair's first row
		bad = first
	}
	for i := i0; i < last && full < n; i++ {
		lo, hi := a.RowPtr[i], a.RowPtr[i+1]
		csrRowTiled(isaAVX512, n-full, alpha, a.Val[lo:hi], a.ColIdx[lo:hi], bRows, b[full:], ldb, beta, c[i*ldc+full:][:n-full])
	}
	if last < i1 {
		return bad, true
	}
	return -1, true
}

// csrRowOf returns the row i in [i0, i1) that holds position k.
func csrRowOf(a *CSR, i0, i1, k int) int {
	lo, hi := i0, i1-1
	for lo < hi { // the last row whose start is <= k
		mid := int(uint(lo+hi+1) >> 1)
		if int(a.RowPtr[mid]) <= k {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}
