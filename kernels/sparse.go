package kernels

import (
	"fmt"
	"math"
	"sync/atomic"
)

// Sparse × dense products. A sparse matrix is held in compressed sparse row
// form (CSR); SgemmCSR multiplies it by a dense row-major matrix. Each row of
// C is computed on its own: for a tile of C's columns held in registers
// (256 with AVX-512, 96 with AVX2 and NEON), the row's nonzeros (p, v) are
// taken in stored order and v·B[p, tile] is added for each, one FMA per
// register, then the alpha/beta epilogue writes the tile. The work is
// proportional to the number of nonzeros, not to A's size.
//
// What limits it is reading B: a nonzero costs a row of B (1 KiB for 256
// columns), from L2 when B is the MLP's 784×256 weights, at about 25 bytes a
// cycle on the development machine (Zen 4), against the dense Sgemm's
// register-blocked reuse. So the sparse product wins only below a density
// of about 0.4 (BenchmarkSgemmCSRDensity, one core), and by a factor of
// about 0.5/density: 2.5-3× on MNIST pixels (19% nonzero). The AVX-512 tier
// takes rows two at a time where it can (csrRowPair), reading once a row of
// B that both rows reference, which helps most when neighbouring rows share
// columns, as neighbouring pixels share the images they are inked in (the
// transposed batch of the weight gradient). Where B is short (at most 128
// rows, like dY in that gradient) and the call runs on one thread, it
// copies B into tiles of 64 columns that each fit L1 and takes all the rows
// against one tile after the other (csrRowsNarrow): 4 multiply-adds per
// nonzero, all useful, with B from L1; on MNIST's gradient about 10-15%
// faster than the pairs. Where B is large (the forward X·W), it takes
// blocks of 16 rows of A against blocks of 48 rows of B held in L1 instead
// (csrRowsBlocked), which reads each row of B from L2 once
// per block of rows, not once per nonzero: on MNIST's forward product,
// with the same bits, 2-15% faster on one core and about 10% on two,
// from run to run (BenchmarkSgemmCSRMNIST, path=csr against csr-rows).

// CSR is a sparse matrix in compressed sparse row form: row i holds the
// entries Val[RowPtr[i]:RowPtr[i+1]] at columns ColIdx[RowPtr[i]:RowPtr[i+1]],
// columns increasing within a row.
//
// FromDense and FromDenseTransposed fill a CSR from a dense matrix; a CSR
// may also be built by hand, and SgemmCSR checks it (see there).
type CSR struct {
	Rows, Cols int
	RowPtr     []int32 // len Rows+1, RowPtr[0] == 0
	ColIdx     []int32
	Val        []float32
}

// NNZ is the number of stored entries.
func (s *CSR) NNZ() int { return len(s.Val) }

// FromDense sets s to the nonzero entries of the rows×cols row-major matrix a
// (row stride lda). Entries equal to zero (+0 or -0) are dropped; NaN and
// ±Inf are kept.
//
// It reuses s's slices when they have the capacity. When they have not, they
// are reallocated with room for rows·cols entries, the most a matrix of this
// size can have, so a CSR filled again and again with matrices of the same
// size (whatever their density) allocates nothing after the first time. That
// room costs at most twice the memory of the dense matrix itself.
//
// Invalid arguments panic: negative sizes, lda < max(1, cols), a too short,
// or more than 2³¹-1 elements (the indices are int32).
func (s *CSR) FromDense(rows, cols int, a []float32, lda int) {
	checkCSRDense("kernels.CSR.FromDense", rows, cols, a, lda)
	s.RowPtr = resize(s.RowPtr, rows+1)
	if full := rows * cols; cap(s.Val) < full || cap(s.ColIdx) < full {
		// Only a count tells whether the slices are big enough.
		s.reserve(countNonzero(rows, cols, a, lda), full)
	}
	s.Rows, s.Cols = rows, cols
	vals, idx := s.Val[:cap(s.Val)], s.ColIdx[:cap(s.ColIdx)]
	nnz := 0
	s.RowPtr[0] = 0
	for i := 0; i < rows; i++ {
		if cols > 0 { // with no columns, a may be empty
			nnz += compressRow(vals[nnz:], idx[nnz:], a[i*lda:][:cols])
		}
		s.RowPtr[i+1] = int32(nnz)
	}
	s.Val, s.ColIdx = vals[:nnz], idx[:nnz]
}

// FromDenseTransposed sets s to the cols×rows transpose of the rows×cols
// row-major matrix a (row stride lda): a's columns become s's rows, a's row
// numbers s's column indices. The rules are those of FromDense.
func (s *CSR) FromDenseTransposed(rows, cols int, a []float32, lda int) {
	checkCSRDense("kernels.CSR.FromDenseTransposed", rows, cols, a, lda)
	s.RowPtr = resize(s.RowPtr, cols+1)
	ptr := s.RowPtr
	clear(ptr)
	// A counting pass, then a scatter. ptr[j+1] first counts column j's
	// nonzeros, then becomes the position where the next entry of s's row
	// j goes: it starts at the row's beginning and, once the scatter has
	// placed the row's entries, ends at the row's end, which is where
	// RowPtr[j+1] must point. So no scratch array is needed.
	if cols > 0 {
		for i := 0; i < rows; i++ {
			countNonzeroColumns(ptr[1:], a[i*lda:][:cols])
		}
	}
	nnz := int32(0)
	for j := 1; j <= cols; j++ {
		nnz, ptr[j] = nnz+ptr[j], nnz
	}
	s.reserve(int(nnz), rows*cols)
	s.Rows, s.Cols = cols, rows
	vals, idx := s.Val[:nnz], s.ColIdx[:nnz]
	next := ptr[1:]
	// AVX-512 places whole blocks of 16 rows, transposing 16×16 tiles in
	// registers; the rest goes through the loop below.
	first := csrTransposeRows(rows, cols, a, lda, next, vals, idx)
	// A piece of each row of a is compressed (as FromDense does) into a
	// stack buffer, then its entries are placed; only the placing is per
	// nonzero. The buffer holds csrPiece columns, so a is taken a band of
	// csrPiece columns at a time, all its rows before the next band, which
	// keeps the places being written (one in each of the band's rows of s)
	// few; at 128×784 it measured the same as going row by row.
	var pieceVals [csrPiece]float32
	var pieceCols [csrPiece]int32
	for j0 := 0; j0 < cols; j0 += csrPiece {
		j1 := min(j0+csrPiece, cols)
		band := next[j0:j1]
		for i := first; i < rows; i++ {
			count := compressRow(pieceVals[:], pieceCols[:], a[i*lda+j0:i*lda+j1])
			for t, j := range pieceCols[:count] {
				k := band[j]
				vals[k], idx[k] = pieceVals[t], int32(i)
				band[j] = k + 1
			}
		}
	}
	s.Val, s.ColIdx = vals, idx
}

// csrPiece is the width of the bands of columns FromDenseTransposed's Go
// loop converts one after the other (1 KiB of stack buffers).
const csrPiece = 128

// reserve makes Val and ColIdx hold at least nnz entries, reallocating a
// short one with room for full entries.
func (s *CSR) reserve(nnz, full int) {
	if cap(s.Val) < nnz {
		s.Val = make([]float32, full)
	}
	if cap(s.ColIdx) < nnz {
		s.ColIdx = make([]int32, full)
	}
}

// resize returns s with length n, reallocated only if its capacity is short.
func resize(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}

// checkCSRDense panics, naming the method fn, unless a is a rows×cols
// matrix with stride lda of at most 2³¹-1 elements.
func checkCSRDense(fn string, rows, cols int, a []float32, lda int) {
	if rows < 0 || cols < 0 {
		panic(fmt.Sprintf("%s: negative dimension rows=%d cols=%d", fn, rows, cols))
	}
	checkMatrix(fn, "a", "lda", a, rows, cols, lda)
	if int64(rows)*int64(cols) > math.MaxInt32 {
		panic(fmt.Sprintf("%s: %d×%d has more than 2³¹-1 elements", fn, rows, cols))
	}
}

// SgemmCSR computes C = alpha·A·B + beta·C for the sparse A (A.Rows × A.Cols),
// the dense row-major B (A.Cols × n, row stride ldb) and C (A.Rows × n, row
// stride ldc), with Sgemm's BLAS rules: beta == 0 never reads C (NaN there is
// overwritten), alpha == 0 reads neither A's entries nor B, columns of C
// beyond n are never written, and n == 0 or A.Rows == 0 is valid.
//
// Only the stored entries of A take part, in stored order: rows of B that A
// never references are never read, so a NaN or Inf there does not reach C,
// where the dense product with the zeros of A written out would give NaN
// (0·Inf = NaN). Otherwise the result is that of the dense product up to
// rounding. Each element of C is computed by the same operations whatever
// the number of threads (SetMaxThreads), so results do not depend on it.
//
// Invalid arguments panic with a message naming the argument: n < 0,
// ldb or ldc < max(1, n), b or c too short, and CSR data that is
// inconsistent (len(RowPtr) != Rows+1, RowPtr[0] != 0, RowPtr decreasing,
// RowPtr[Rows], len(ColIdx) and len(Val) not all equal) or out of range (a
// column index outside [0, Cols)). RowPtr is checked before any work (a pass
// over Rows+1 entries); column indices are checked by the kernels as they
// use them (a compare and branch per nonzero, beside up to 16 FMAs), so a
// bad one panics with C partly written: its own row untouched, other rows
// (all those before it, in a serial call) computed. FromDense and
// FromDenseTransposed always produce valid data. SgemmCSR does not rely on the columns of a row being
// increasing: a repeated column adds its entries.
func SgemmCSR(n int, alpha float32, a *CSR, b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkSgemmCSRArgs(n, a, b, ldb, c, ldc)
	m := a.Rows
	if m == 0 || n == 0 {
		return
	}
	if alpha == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	threads := 1
	// The work is about one multiply-add per nonzero and column of C, plus
	// the epilogue (about one nonzero's worth per row); the same threshold
	// as Sgemm's keeps the pool's hand-off cost small against it.
	if cost := int64(len(a.Val)) + int64(m); cost*int64(n) >= int64(gemmSerialWork) {
		threads = min(maxThreads(), m)
	}
	if threads <= 1 {
		// Where B is short and wide, AVX-512 copies it into narrow tiles
		// that each fit L1 (csrRowsNarrow). Only on one thread: on two,
		// the pairs measured faster (see csrPackNarrow).
		packed := csrPackNarrow(a, n, b, ldb)
		bad := csrRows(a, 0, m, n, alpha, b, ldb, beta, c, ldc, packed)
		csrPutPacked(packed)
		if bad >= 0 {
			panicColIdx(a, bad)
		}
		return
	}
	var call *csrCall
	select {
	case call = <-csrCallFree:
	default:
		call = new(csrCall)
	}
	call.a, call.n, call.alpha, call.beta = a, n, alpha, beta
	call.b, call.ldb, call.c, call.ldc = b, ldb, c, ldc
	call.chunks = min(threads*gemmChunksPerThread, m)
	call.bad.Store(math.MaxInt64)
	runParallel(call, call.chunks, threads, &call.run)
	bad := call.bad.Load()
	call.a, call.b, call.c = nil, nil, nil // do not keep the caller's matrices alive
	select {
	case csrCallFree <- call:
	default:
	}
	if bad != math.MaxInt64 {
		panicColIdx(a, int(bad))
	}
}

// csrCall is one SgemmCSR call split over threads. Chunk k computes the rows
// whose cumulative cost (nonzeros plus one per row) falls in the k-th of
// `chunks` equal shares, so chunks carry similar work however the nonzeros
// are spread. Rows are independent, so the split does not change any result.
type csrCall struct {
	a           *CSR
	n           int
	alpha, beta float32
	b, c        []float32
	ldb, ldc    int
	chunks      int
	bad         atomic.Int64 // the smallest out-of-range ColIdx position seen, or MaxInt64
	run         parallelRun
}

var csrCallFree = make(chan *csrCall, maxThreadsLimit)

func (call *csrCall) runChunk(chunk int, _ *gemmBuffers) {
	a := call.a
	i0, i1 := csrChunkRow(a, chunk, call.chunks), csrChunkRow(a, chunk+1, call.chunks)
	bad := csrRows(a, i0, i1, call.n, call.alpha, call.b, call.ldb, call.beta, call.c, call.ldc, nil)
	if bad < 0 {
		return
	}
	// Keep the smallest position, so the panic names the same entry as a
	// serial call would, whichever chunk finishes first.
	for {
		old := call.bad.Load()
		if int64(bad) >= old || call.bad.CompareAndSwap(old, int64(bad)) {
			return
		}
	}
}

// csrChunkRow returns the first row of chunk k of chunks: the first row i
// whose cost before it, RowPtr[i] + i, reaches k/chunks of the total.
func csrChunkRow(a *CSR, k, chunks int) int {
	total := int64(len(a.Val)) + int64(a.Rows)
	target := total * int64(k) / int64(chunks)
	lo, hi := 0, a.Rows // the answer is in [lo, hi]
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if int64(a.RowPtr[mid])+int64(mid) < target {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// csrRows computes rows [i0, i1) of C and returns -1, or the position in
// a.ColIdx of an out-of-range column index, after which it stops. The
// AVX-512 tier takes the rows against narrow tiles of B when csrPackNarrow
// made them (packed != nil; csrRowsNarrow), or in blocks where B is large
// (csrRowsBlocked), with the same results; otherwise csrRowsUnblocked takes
// them one or two at a time.
func csrRows(a *CSR, i0, i1, n int, alpha float32, b []float32, ldb int, beta float32, c []float32, ldc int, packed []float32) int {
	if bad, ok := csrRowsNarrow(a, i0, i1, n, alpha, b, ldb, beta, c, ldc, packed); ok {
		return bad
	}
	if bad, ok := csrRowsBlocked(a, i0, i1, n, alpha, b, ldb, beta, c, ldc); ok {
		return bad
	}
	return csrRowsUnblocked(a, i0, i1, n, alpha, b, ldb, beta, c, ldc)
}

// csrBlocks enables csrRowsBlocked (which only the AVX-512 tier has); tests
// and BenchmarkSgemmCSRMNIST turn it off to compare.
var csrBlocks = true

// csrNarrow likewise enables csrPackNarrow and csrRowsNarrow.
var csrNarrow = true

// csrRowsUnblocked is csrRows with each row of C computed from start to end
// before the next (two rows at once where csrRowPair can).
func csrRowsUnblocked(a *CSR, i0, i1, n int, alpha float32, b []float32, ldb int, beta float32, c []float32, ldc int) int {
	for i := i0; i < i1; i++ {
		lo, hi := a.RowPtr[i], a.RowPtr[i+1]
		if i+1 < i1 {
			hi2 := a.RowPtr[i+2]
			if csrRowPair(n, alpha, a.Val[lo:hi], a.ColIdx[lo:hi], a.Val[hi:hi2], a.ColIdx[hi:hi2],
				a.Cols, b, ldb, beta, c[i*ldc:][:n], c[(i+1)*ldc:][:n]) {
				i++
				continue
			}
		}
		if bad := csrRow(n, alpha, a.Val[lo:hi], a.ColIdx[lo:hi], a.Cols, b, ldb, beta, c[i*ldc:][:n]); bad >= 0 {
			return int(lo) + bad
		}
	}
	return -1
}

func panicColIdx(a *CSR, k int) {
	panic(fmt.Sprintf("kernels.SgemmCSR: a.ColIdx[%d] = %d, out of range for a.Cols = %d", k, a.ColIdx[k], a.Cols))
}

func checkSgemmCSRArgs(n int, a *CSR, b []float32, ldb int, c []float32, ldc int) {
	const fn = "kernels.SgemmCSR"
	if a == nil {
		panic(fn + ": a is nil")
	}
	if n < 0 {
		panic(fmt.Sprintf("%s: n = %d, must not be negative", fn, n))
	}
	if a.Rows < 0 || a.Cols < 0 {
		panic(fmt.Sprintf("%s: negative dimension a.Rows = %d, a.Cols = %d", fn, a.Rows, a.Cols))
	}
	if len(a.RowPtr) != a.Rows+1 {
		panic(fmt.Sprintf("%s: len(a.RowPtr) = %d, must be a.Rows+1 = %d", fn, len(a.RowPtr), a.Rows+1))
	}
	if len(a.ColIdx) != len(a.Val) {
		panic(fmt.Sprintf("%s: len(a.ColIdx) = %d, len(a.Val) = %d; they must be equal", fn, len(a.ColIdx), len(a.Val)))
	}
	if a.RowPtr[0] != 0 {
		panic(fmt.Sprintf("%s: a.RowPtr[0] = %d, must be 0", fn, a.RowPtr[0]))
	}
	if int(a.RowPtr[a.Rows]) != len(a.Val) {
		panic(fmt.Sprintf("%s: a.RowPtr[%d] = %d, must be len(a.Val) = %d", fn, a.Rows, a.RowPtr[a.Rows], len(a.Val)))
	}
	for i := 0; i < a.Rows; i++ {
		if a.RowPtr[i+1] < a.RowPtr[i] {
			panic(fmt.Sprintf("%s: a.RowPtr[%d] = %d < a.RowPtr[%d] = %d, must not decrease",
				fn, i+1, a.RowPtr[i+1], i, a.RowPtr[i]))
		}
	}
	checkMatrix("kernels.SgemmCSR", "b", "ldb", b, a.Cols, n, ldb)
	checkMatrix("kernels.SgemmCSR", "c", "ldc", c, a.Rows, n, ldc)
}
