package kernels

import "math"

// Generic reference versions of the transcendental kernels, computed in
// float64 and rounded once, so within half an ulp (plus the float64 error).

func expGeneric(dst, x []float32) {
	for i, v := range x {
		dst[i] = float32(math.Exp(float64(v)))
	}
}

func sigmoidGeneric(dst, x []float32) {
	for i, v := range x {
		dst[i] = float32(1 / (1 + math.Exp(-float64(v))))
	}
}

func tanhGeneric(dst, x []float32) {
	for i, v := range x {
		dst[i] = float32(math.Tanh(float64(v)))
	}
}

// expShiftSumGeneric sets dst[i] = e**(x[i]-m) and returns their sum.
func expShiftSumGeneric(dst, x []float32, m float32) float32 {
	var s float64
	for i, v := range x {
		e := float32(math.Exp(float64(v - m)))
		dst[i] = e
		s += float64(e)
	}
	return float32(s)
}
