//go:build !purego

package kernels

// NEON elementwise kernels for arm64 (vec_arm64.s). Each computes exactly the
// Go loop in its comment, over len(dst) elements (len(y) for axpy); the
// callers in vec.go guarantee equal lengths and bound n by chunk. See
// vec_generic.go for the reference versions they are tested against.

// addNEON computes
//
//	for i := range dst { dst[i] = x[i] + y[i] }
//
//go:noescape
func addNEON(dst, x, y []float32)

// subNEON computes
//
//	for i := range dst { dst[i] = x[i] - y[i] }
//
//go:noescape
func subNEON(dst, x, y []float32)

// mulNEON computes
//
//	for i := range dst { dst[i] = x[i] * y[i] }
//
//go:noescape
func mulNEON(dst, x, y []float32)

// divNEON computes
//
//	for i := range dst { dst[i] = x[i] / y[i] }
//
//go:noescape
func divNEON(dst, x, y []float32)

// scaleNEON computes
//
//	for i := range dst { dst[i] = alpha * x[i] }
//
//go:noescape
func scaleNEON(dst []float32, alpha float32, x []float32)

// addScalarNEON computes
//
//	for i := range dst { dst[i] = x[i] + c }
//
//go:noescape
func addScalarNEON(dst []float32, x []float32, c float32)

// axpyNEON computes, with one rounding per element,
//
//	for i := range y { y[i] = fma32(alpha, x[i], y[i]) }
//
//go:noescape
func axpyNEON(alpha float32, x, y []float32)

// reluNEON computes
//
//	for i, v := range x { if v > 0 || v != v { dst[i] = v } else { dst[i] = 0 } }
//
//go:noescape
func reluNEON(dst, x []float32)

// reluGradNEON computes
//
//	for i := range dst { if x[i] > 0 { dst[i] = dy[i] } else { dst[i] = 0 } }
//
//go:noescape
func reluGradNEON(dst, dy, x []float32)

func add(dst, x, y []float32) {
	if active == isaNEON {
		addNEON(dst, x, y)
		return
	}
	addGeneric(dst, x, y)
}

func sub(dst, x, y []float32) {
	if active == isaNEON {
		subNEON(dst, x, y)
		return
	}
	subGeneric(dst, x, y)
}

func mul(dst, x, y []float32) {
	if active == isaNEON {
		mulNEON(dst, x, y)
		return
	}
	mulGeneric(dst, x, y)
}

func div(dst, x, y []float32) {
	if active == isaNEON {
		divNEON(dst, x, y)
		return
	}
	divGeneric(dst, x, y)
}

func scale(dst []float32, alpha float32, x []float32) {
	if active == isaNEON {
		scaleNEON(dst, alpha, x)
		return
	}
	scaleGeneric(dst, alpha, x)
}

func addScalar(dst []float32, x []float32, c float32) {
	if active == isaNEON {
		addScalarNEON(dst, x, c)
		return
	}
	addScalarGeneric(dst, x, c)
}

func axpy(alpha float32, x, y []float32) {
	if active == isaNEON {
		axpyNEON(alpha, x, y)
		return
	}
	axpyGeneric(alpha, x, y)
}

func relu(dst, x []float32) {
	if active == isaNEON {
		reluNEON(dst, x)
		return
	}
	reluGeneric(dst, x)
}

func reluGrad(dst, dy, x []float32) {
	if active == isaNEON {
		reluGradNEON(dst, dy, x)
		return
	}
	reluGradGeneric(dst, dy, x)
}
