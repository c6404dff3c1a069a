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
	unit, maxRegs := csrTileShape(t)
	width := unit * maxRegs
	var acc [csrTileMax]float32
	for j0 := 0; j0 < n; j0 += width {
		w := min(width, n-j0)
		var bp *float32
		if bRows > 0 {
			bp = &b[j0] // b holds (bRows-1)·ldb + n floats
		}
		maxNNZ := max(1, csrCallWork/w)
		for k0 := 0; ; k0 += maxNNZ {
			k1 := min(k0+maxNNZ, nnz)
			flags := 0
			if k0 > 0 {
				flags |= csrAccIn
			}
			if k1 == nnz {
				flags |= csrFinal
			}
			var vp *float32
			var cp *int32
			if k1 > k0 {
				vp, cp = &vals[k0], &cols[k0]
			}
			if bad := csrTile(t, &acc[0], vp, cp, k1-k0, bp, ldb, bRows, &c[j0], w/unit, w%unit, alpha, beta, flags); bad >= 0 {
				return k0 + bad
			}
			if k1 == nnz {
				break
			}
		}
	}
	return -1
}
