//go:build !purego

package kernels

// Assembly training kernels for amd64 (train_amd64.s). Each computes exactly
// the generic loop it names in train_generic.go, operation for operation, so
// the results match it bit for bit. The callers in train.go check lengths and
// bound each call by chunk.

// The avx512 tier uses AVX-512 kernels for colSumsAcc and dropoutApply only;
// for the others they measured slower than AVX2 (see train_amd64.s).

// biasAddAVX2 is biasAddGeneric: len(x) == len(dst) is a multiple of
// len(bias) > 0.
//
//go:noescape
func biasAddAVX2(dst, x, bias []float32)

// colSumsAccAVX2 and colSumsAccAVX512 are colSumsAccGeneric: len(x) is a
// multiple of len(dst) > 0. They keep a block of columns in registers while
// adding the rows in order, so the sums are associated as in the generic code.
//
//go:noescape
func colSumsAccAVX2(dst, x []float32)

//go:noescape
func colSumsAccAVX512(dst, x []float32)

// sgdMomentumAVX2 is sgdMomentumGeneric with nesterov == false and
// sgdNesterovAVX2 with nesterov == true; v and g have len(w) elements.
//
//go:noescape
func sgdMomentumAVX2(w, v, g []float32, lr, momentum float32)

//go:noescape
func sgdNesterovAVX2(w, v, g []float32, lr, momentum float32)

// adamAVX2 is adamGeneric with c1 = 1-beta1 and c2 = 1-beta2 (float32
// subtractions, as the generic loop does them); m, v and g have len(w)
// elements.
//
//go:noescape
func adamAVX2(w, m, v, g []float32, step, beta1, c1, beta2, c2, eps, invSqrtC2 float32)

// dropoutApplyAVX2 and dropoutApplyAVX512 are dropoutApplyGeneric: len(x) ==
// len(dst) and keep holds at least ceil(len(x)/64) words.
//
//go:noescape
func dropoutApplyAVX2(dst, x []float32, keep []uint64, scale float32)

//go:noescape
func dropoutApplyAVX512(dst, x []float32, keep []uint64, scale float32)

func biasAdd(dst, x, bias []float32) {
	switch active {
	case isaAVX512, isaAVX2:
		biasAddAVX2(dst, x, bias)
	default:
		biasAddGeneric(dst, x, bias)
	}
}

func colSumsAcc(dst, x []float32) {
	switch active {
	case isaAVX512:
		colSumsAccAVX512(dst, x)
	case isaAVX2:
		colSumsAccAVX2(dst, x)
	default:
		colSumsAccGeneric(dst, x)
	}
}

func sgdMomentum(w, v, g []float32, lr, momentum float32, nesterov bool) {
	switch {
	case (active == isaAVX512 || active == isaAVX2) && nesterov:
		sgdNesterovAVX2(w, v, g, lr, momentum)
	case active == isaAVX512 || active == isaAVX2:
		sgdMomentumAVX2(w, v, g, lr, momentum)
	default:
		sgdMomentumGeneric(w, v, g, lr, momentum, nesterov)
	}
}

func adam(w, m, v, g []float32, step, beta1, beta2, eps, invSqrtC2 float32) {
	switch active {
	case isaAVX512, isaAVX2:
		adamAVX2(w, m, v, g, step, beta1, 1-beta1, beta2, 1-beta2, eps, invSqrtC2)
	default:
		adamGeneric(w, m, v, g, step, beta1, beta2, eps, invSqrtC2)
	}
}

func dropoutApply(dst, x []float32, keep []uint64, scale float32) {
	switch active {
	case isaAVX512:
		dropoutApplyAVX512(dst, x, keep, scale)
	case isaAVX2:
		dropoutApplyAVX2(dst, x, keep, scale)
	default:
		dropoutApplyGeneric(dst, x, keep, scale)
	}
}
