//go:build !purego

package kernels

// Placeholder until the NEON kernels land: the generic code.

func biasAdd(dst, x, bias []float32) { biasAddGeneric(dst, x, bias) }
func colSumsAcc(dst, x []float32)    { colSumsAccGeneric(dst, x) }
func sgdMomentum(w, v, g []float32, lr, momentum float32, nesterov bool) {
	sgdMomentumGeneric(w, v, g, lr, momentum, nesterov)
}
func adam(w, m, v, g []float32, step, beta1, beta2, eps, invSqrtC2 float32) {
	adamGeneric(w, m, v, g, step, beta1, beta2, eps, invSqrtC2)
}
func dropoutApply(dst, x []float32, keep []uint64, scale float32) {
	dropoutApplyGeneric(dst, x, keep, scale)
}
func softmaxCrossEntropy(grad, logits []float32, labels []int32, scale float32) float64 {
	return softmaxCrossEntropyGeneric(grad, logits, labels, scale)
}
