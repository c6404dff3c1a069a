//go:build !purego

package kernels

// NEON training kernels (train_arm64.s). Each computes exactly the generic
// loop it names in train_generic.go, operation for operation, so the results
// match it bit for bit. The callers in train.go check lengths and bound each
// call by chunk.

// biasAddNEON is biasAddGeneric: len(x) == len(dst) is a multiple of
// len(bias) > 0.
//
//go:noescape
func biasAddNEON(dst, x, bias []float32)

// colSumsAccNEON is colSumsAccGeneric: len(x) is a multiple of len(dst) > 0.
// It keeps a block of columns in registers while adding the rows in order, so
// the sums are associated as in the generic code.
//
//go:noescape
func colSumsAccNEON(dst, x []float32)

// sgdMomentumNEON is sgdMomentumGeneric with nesterov == false and
// sgdNesterovNEON with nesterov == true; v and g have len(w) elements.
//
//go:noescape
func sgdMomentumNEON(w, v, g []float32, lr, momentum float32)

//go:noescape
func sgdNesterovNEON(w, v, g []float32, lr, momentum float32)

// adamNEON is adamGeneric with c1 = 1-beta1 and c2 = 1-beta2 (float32
// subtractions, as the generic loop does them); m, v and g have len(w)
// elements.
//
//go:noescape
func adamNEON(w, m, v, g []float32, step, beta1, c1, beta2, c2, eps, invSqrtC2 float32)

// dropoutApplyNEON is dropoutApplyGeneric: len(x) == len(dst) and keep holds
// at least ceil(len(x)/64) words.
//
//go:noescape
func dropoutApplyNEON(dst, x []float32, keep []uint64, scale float32)

func biasAdd(dst, x, bias []float32) {
	if active == isaNEON {
		biasAddNEON(dst, x, bias)
		return
	}
	biasAddGeneric(dst, x, bias)
}

func colSumsAcc(dst, x []float32) {
	if active == isaNEON {
		colSumsAccNEON(dst, x)
		return
	}
	colSumsAccGeneric(dst, x)
}

func sgdMomentum(w, v, g []float32, lr, momentum float32, nesterov bool) {
	switch {
	case active == isaNEON && nesterov:
		sgdNesterovNEON(w, v, g, lr, momentum)
	case active == isaNEON:
		sgdMomentumNEON(w, v, g, lr, momentum)
	default:
		sgdMomentumGeneric(w, v, g, lr, momentum, nesterov)
	}
}

func adam(w, m, v, g []float32, step, beta1, beta2, eps, invSqrtC2 float32) {
	if active == isaNEON {
		adamNEON(w, m, v, g, step, beta1, 1-beta1, beta2, 1-beta2, eps, invSqrtC2)
		return
	}
	adamGeneric(w, m, v, g, step, beta1, beta2, eps, invSqrtC2)
}

func dropoutApply(dst, x []float32, keep []uint64, scale float32) {
	if active == isaNEON {
		dropoutApplyNEON(dst, x, keep, scale)
		return
	}
	dropoutApplyGeneric(dst, x, keep, scale)
}
