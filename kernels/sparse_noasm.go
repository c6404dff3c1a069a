//go:build (!amd64 && !arm64) || purego

package kernels

// Without assembly the sparse dispatchers are the generic kernels.

func csrRow(n int, alpha float32, vals []float32, cols []int32, bRows int, b []float32, ldb int, beta float32, c []float32) int {
	return csrRowGeneric(alpha, vals, cols, bRows, b, ldb, beta, c[:n])
}

// csrRowPair reports that this tier computes rows one at a time.
func csrRowPair(int, float32, []float32, []int32, []float32, []int32, int, []float32, int, float32, []float32, []float32) bool {
	return false
}

// csrTransposeRows leaves every row to FromDenseTransposed's Go loop.
func csrTransposeRows(int, int, []float32, int, []int32, []float32, []int32) int { return 0 }

func compressRow(vals []float32, idx []int32, row []float32) int {
	return compressRowGeneric(vals, idx, row)
}

func countNonzeroColumns(cnt []int32, row []float32) { countNonzeroColumnsGeneric(cnt, row) }

func countNonzeroRow(row []float32) int { return countNonzeroGeneric(row) }
