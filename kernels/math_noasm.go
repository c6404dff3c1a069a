//go:build (!amd64 && !arm64) || purego

package kernels

func exp(dst, x []float32)     { expGeneric(dst, x) }
func sigmoid(dst, x []float32) { sigmoidGeneric(dst, x) }
func tanh(dst, x []float32)    { tanhGeneric(dst, x) }
func expShiftSum(dst, x []float32, m float32) float32 {
	return expShiftSumGeneric(dst, x, m)
}
