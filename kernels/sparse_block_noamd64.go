//go:build !amd64 || purego

package kernels

// csrRowsBlocked reports that this build computes SgemmCSR's rows without
// blocks of B (only the AVX-512 tier has them; see sparse_amd64.go).
func csrRowsBlocked(*CSR, int, int, int, float32, []float32, int, float32, []float32, int) (int, bool) {
	return -1, false
}

// csrPackNarrow makes no narrow tiles of B on this build (only the AVX-512
// tier has them; see sparse_amd64.go).
func csrPackNarrow(*CSR, int, []float32, int) []float32 { return nil }

func csrPutPacked([]float32) {}

func csrRowsNarrow(*CSR, int, int, int, float32, []float32, int, float32, []float32, int, []float32) (int, bool) {
	return -1, false
}
