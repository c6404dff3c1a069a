//go:build !purego

package kernels

// Assembly kernels in math_amd64.s. Each processes all of x; the exported
// functions have checked len(dst) == len(x) and bound len(x) by chunk.

// expAVX512 sets dst[i] = e**x[i] for i in [0, len(x)). See expGeneric.
//
//go:noescape
func expAVX512(dst, x []float32)

// sigmoidAVX512 sets dst[i] = 1 / (1 + e**-x[i]) for i in [0, len(x)). See
// sigmoidGeneric.
//
//go:noescape
func sigmoidAVX512(dst, x []float32)

// tanhAVX512 sets dst[i] = tanh(x[i]) for i in [0, len(x)). See tanhGeneric.
//
//go:noescape
func tanhAVX512(dst, x []float32)

// expShiftSumAVX512 sets dst[i] = e**(x[i]-m) for i in [0, len(x)) and
// returns the float32 sum of dst. See expShiftSumGeneric.
//
//go:noescape
func expShiftSumAVX512(dst, x []float32, m float32) float32

// expAVX2 is expAVX512 for AVX2+FMA.
//
//go:noescape
func expAVX2(dst, x []float32)

// sigmoidAVX2 is sigmoidAVX512 for AVX2+FMA.
//
//go:noescape
func sigmoidAVX2(dst, x []float32)

// tanhAVX2 is tanhAVX512 for AVX2+FMA.
//
//go:noescape
func tanhAVX2(dst, x []float32)

// expShiftSumAVX2 is expShiftSumAVX512 for AVX2+FMA.
//
//go:noescape
func expShiftSumAVX2(dst, x []float32, m float32) float32

func exp(dst, x []float32) {
	switch active {
	case isaAVX512:
		expAVX512(dst, x)
	case isaAVX2:
		expAVX2(dst, x)
	default:
		expGeneric(dst, x)
	}
}

func sigmoid(dst, x []float32) {
	switch active {
	case isaAVX512:
		sigmoidAVX512(dst, x)
	case isaAVX2:
		sigmoidAVX2(dst, x)
	default:
		sigmoidGeneric(dst, x)
	}
}

func tanh(dst, x []float32) {
	switch active {
	case isaAVX512:
		tanhAVX512(dst, x)
	case isaAVX2:
		tanhAVX2(dst, x)
	default:
		tanhGeneric(dst, x)
	}
}

func expShiftSum(dst, x []float32, m float32) float32 {
	switch active {
	case isaAVX512:
		return expShiftSumAVX512(dst, x, m)
	case isaAVX2:
		return expShiftSumAVX2(dst, x, m)
	}
	return expShiftSumGeneric(dst, x, m)
}
