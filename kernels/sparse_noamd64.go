//go:build !amd64 || purego

package kernels

// The sparse helpers that only amd64 has assembly for (the two-row kernel
// and the conversions); every other build, arm64 with NEON included, uses
// the generic code.

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
