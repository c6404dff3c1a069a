//go:build (amd64 || arm64) && !purego

package kernels

// The Go side of the assembly SgemmCSR kernels, shared by every tier: it
// cuts a row of C into tiles of columns that fit the tier's registers and a
// long row's nonzeros into chunks, so that each assembly call is bounded.

const (
	csrAccIn = 1 << iota // start from the partial sums in acc, not from 0
	csrFinal             // the last chunk: write C, not acc

	// csrTileMax is the widest tile of any tier (AVX-512: 16 ZMM), the size
	// of the partial-sum buffer.
	csrTileMax = 256

	// csrCallWork bounds one assembly call to this many multiply-adds
	// (nonzeros × tile width): 128K, a few microseconds with B in L2 and
	// about 25 µs if every row of B came from DRAM, so a garbage-collector
	// stop-the-world never waits long for a kernel call to return.
	csrCallWork = 1 << 17
)

// csrRowTiled is csrRowGeneric on tier t's assembly kernels (same contract;
// n == len(c) columns).
func csrRowTiled(t isa, n int, alpha float32, vals []float32, cols []int32, bRows int, b []float32, ldb int, beta float32, c []float32) int {
	nnz := len(vals)
	cols = cols[:nnz]
	if bRows == 0 && nnz > 0 {
		return 0 // every column index is out of range, and b may be empty
	}
	var vp *float32
	var cp *int32
	if nnz > 0 {
		vp, cp = &vals[0], &cols[0]
	}
	unit, maxRegs := csrTileShape(t)
	width := unit * maxRegs
	for j0 := 0; j0 < n; j0 += width {
		w := min(width, n-j0)
		var bp *float32
		if bRows > 0 {
			bp = &b[j0] // b holds (bRows-1)·ldb + n floats
		}
		var bad int
		if nnz*w <= csrCallWork {
			// The common case: one call, no partial sums to keep.
			bad = csrTile(t, nil, vp, cp, nnz, bp, ldb, bRows, &c[j0], w/unit, w%unit, alpha, beta, csrFinal)
		} else {
			bad = csrTileChunked(t, vals, cols, bp, ldb, bRows, &c[j0], w, unit, alpha, beta)
		}
		if bad >= 0 {
			return bad
		}
	}
	return -1
}

// csrTileChunked is one tile of csrRowTiled for a row whose nonzeros are
// too many for one bounded kernel call: it passes them in chunks, keeping
// the partial sums in acc between calls. (A separate function because Go
// zeroes acc on every call, which would cost more than a short row's whole
// product.)
func csrTileChunked(t isa, vals []float32, cols []int32, bp *float32, ldb, bRows int, cp *float32, w, unit int, alpha, beta float32) int {
	var acc [csrTileMax]float32
	nnz := len(vals)
	step := max(1, csrCallWork/w)
	for k0 := 0; k0 < nnz; k0 += step {
		k1 := min(k0+step, nnz)
		flags := 0
		if k0 > 0 {
			flags |= csrAccIn
		}
		if k1 == nnz {
			flags |= csrFinal
		}
		if bad := csrTile(t, &acc[0], &vals[k0], &cols[k0], k1-k0, bp, ldb, bRows, cp, w/unit, w%unit, alpha, beta, flags); bad >= 0 {
			return k0 + bad
		}
	}
	return -1
}
