//go:build (!amd64 && !arm64) || purego

package kernels

// Without assembly the sparse dispatchers are the generic kernels.

func csrRow(n int, alpha float32, vals []float32, cols []int32, bRows int, b []float32, ldb int, beta float32, c []float32) int {
	return csrRowGeneric(alpha, vals, cols, bRows, b, ldb, beta, c[:n])
}
