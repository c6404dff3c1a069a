package kernels

// The generic sparse kernels: the reference the assembly tiers are tested
// against, and what every target without them runs.

// csrGenericTile is how many columns of C csrRowGeneric accumulates at a
// time, in a stack array (1 KiB) that stays in L1.
const csrGenericTile = 256

// csrRowGeneric computes one row of C = alpha·A·B + beta·C:
//
//	c[j] = alpha·Σ_k vals[k]·b[cols[k]*ldb + j] + beta·c[j]   for j < len(c)
//
// with the sum taken in k order and C not read when beta == 0. It returns -1,
// or the first k whose cols[k] is outside [0, bRows), in which case c is
// untouched. b holds at least (bRows-1)·ldb + len(c) elements.
func csrRowGeneric(alpha float32, vals []float32, cols []int32, bRows int, b []float32, ldb int, beta float32, c []float32) int {
	cols = cols[:len(vals)]
	for k := range cols {
		if uint(int(cols[k])) >= uint(bRows) {
			return k
		}
	}
	var acc [csrGenericTile]float32
	n := len(c)
	for j0 := 0; j0 < n; j0 += csrGenericTile {
		t := acc[:min(csrGenericTile, n-j0)]
		clear(t)
		for k, v := range vals {
			row := b[int(cols[k])*ldb+j0:][:len(t)]
			for j, x := range row {
				t[j] += v * x
			}
		}
		epilogueTile(t, len(t), c[j0:], len(c), 1, len(t), alpha, beta)
	}
	return -1
}

// compressRowGeneric stores the nonzero entries of row (NaN counts as
// nonzero, -0 as zero) and their indices at the start of vals and idx, which
// must have room for them, and returns how many there are.
func compressRowGeneric(vals []float32, idx []int32, row []float32) int {
	k := 0
	if len(vals) >= len(row) && len(idx) >= len(row) {
		// With room for the whole row, every entry can be written and
		// kept only if nonzero: no branch to mispredict on the pattern.
		vals, idx = vals[:len(row)], idx[:len(row)]
		for j, v := range row {
			vals[k], idx[k] = v, int32(j)
			if v != 0 {
				k++
			}
		}
		return k
	}
	for j, v := range row {
		if v != 0 {
			vals[k], idx[k] = v, int32(j)
			k++
		}
	}
	return k
}

// countNonzeroColumnsGeneric adds 1 to cnt[j] for every nonzero row[j].
func countNonzeroColumnsGeneric(cnt []int32, row []float32) {
	cnt = cnt[:len(row)]
	for j, v := range row {
		d := int32(0)
		if v != 0 {
			d = 1
		}
		cnt[j] += d // branch-free: digit rows alternate runs of zeros and ink
	}
}

// countNonzeroGeneric returns the number of nonzero entries of row.
func countNonzeroGeneric(row []float32) int {
	k := 0
	for _, v := range row {
		if v != 0 {
			k++
		}
	}
	return k
}

// countNonzero returns the number of nonzero entries of the rows×cols
// matrix a with row stride lda.
func countNonzero(rows, cols int, a []float32, lda int) int {
	nnz := 0
	if cols == 0 {
		return 0 // and a may be empty
	}
	for i := 0; i < rows; i++ {
		nnz += countNonzeroGeneric(a[i*lda:][:cols])
	}
	return nnz
}
