//go:build !purego

package kernels

// Assembly elementwise kernels for amd64 (vec_amd64.s). Each computes exactly
// the Go loop in its comment, over len(dst) elements (len(y) for axpy); the
// callers in vec.go guarantee equal lengths and bound n by chunk. See
// vec_generic.go for the reference versions they are tested against.
//
// The AVX-512 tier uses the ZMM kernels for every op. Measured side by side
// on the development machine (Zen 5), they tie with AVX2 at n=4096, where the
// ops are bound by L1/L2 traffic rather than instructions, and beat it at
// n=1e6, streaming from L3 (best of 9: Axpy 10.5 vs 5.1 Gelem/s, ReLU 10.6 vs
// 6.3, AddScalar 10.3 vs 8.2), where fewer, wider accesses keep more cache
// misses in flight. On Zen 4 (2 x 256-bit datapaths) the two tiers tie at
// n=1e6 for Add within this VM's noise (medians of twelve 1 s runs: avx2
// 5.9, avx512 5.6 Gelem/s), so the tier choice is left alone. The
// three-array kernels prefetch a page ahead (see PF_AHEAD in vec_amd64.s).

// addAVX2 and addAVX512 compute
//
//	for i := range dst { dst[i] = x[i] + y[i] }
//
//go:noescape
func addAVX2(dst, x, y []float32)

//go:noescape
func addAVX512(dst, x, y []float32)

// subAVX2 and subAVX512 compute
//
//	for i := range dst { dst[i] = x[i] - y[i] }
//
//go:noescape
func subAVX2(dst, x, y []float32)

//go:noescape
func subAVX512(dst, x, y []float32)

// mulAVX2 and mulAVX512 compute
//
//	for i := range dst { dst[i] = x[i] * y[i] }
//
//go:noescape
func mulAVX2(dst, x, y []float32)

//go:noescape
func mulAVX512(dst, x, y []float32)

// divAVX2 and divAVX512 compute
//
//	for i := range dst { dst[i] = x[i] / y[i] }
//
//go:noescape
func divAVX2(dst, x, y []float32)

//go:noescape
func divAVX512(dst, x, y []float32)

// scaleAVX2 and scaleAVX512 compute
//
//	for i := range dst { dst[i] = alpha * x[i] }
//
//go:noescape
func scaleAVX2(dst []float32, alpha float32, x []float32)

//go:noescape
func scaleAVX512(dst []float32, alpha float32, x []float32)

// addScalarAVX2 and addScalarAVX512 compute
//
//	for i := range dst { dst[i] = x[i] + c }
//
//go:noescape
func addScalarAVX2(dst []float32, x []float32, c float32)

//go:noescape
func addScalarAVX512(dst []float32, x []float32, c float32)

// axpyAVX2 and axpyAVX512 compute, with one rounding per element,
//
//	for i := range y { y[i] = fma32(alpha, x[i], y[i]) }
//
//go:noescape
func axpyAVX2(alpha float32, x, y []float32)

//go:noescape
func axpyAVX512(alpha float32, x, y []float32)

// reluAVX2 and reluAVX512 compute
//
//	for i, v := range x { if v > 0 || v != v { dst[i] = v } else { dst[i] = 0 } }
//
//go:noescape
func reluAVX2(dst, x []float32)

//go:noescape
func reluAVX512(dst, x []float32)

// reluGradAVX2 and reluGradAVX512 compute
//
//	for i := range dst { if x[i] > 0 { dst[i] = dy[i] } else { dst[i] = 0 } }
//
//go:noescape
func reluGradAVX2(dst, dy, x []float32)

//go:noescape
func reluGradAVX512(dst, dy, x []float32)

func add(dst, x, y []float32) {
	switch active {
	case isaAVX512:
		addAVX512(dst, x, y)
	case isaAVX2:
		addAVX2(dst, x, y)
	default:
		addGeneric(dst, x, y)
	}
}

func sub(dst, x, y []float32) {
	switch active {
	case isaAVX512:
		subAVX512(dst, x, y)
	case isaAVX2:
		subAVX2(dst, x, y)
	default:
		subGeneric(dst, x, y)
	}
}

func mul(dst, x, y []float32) {
	switch active {
	case isaAVX512:
		mulAVX512(dst, x, y)
	case isaAVX2:
		mulAVX2(dst, x, y)
	default:
		mulGeneric(dst, x, y)
	}
}

func div(dst, x, y []float32) {
	switch active {
	case isaAVX512:
		divAVX512(dst, x, y)
	case isaAVX2:
		divAVX2(dst, x, y)
	default:
		divGeneric(dst, x, y)
	}
}

func scale(dst []float32, alpha float32, x []float32) {
	switch active {
	case isaAVX512:
		scaleAVX512(dst, alpha, x)
	case isaAVX2:
		scaleAVX2(dst, alpha, x)
	default:
		scaleGeneric(dst, alpha, x)
	}
}

func addScalar(dst []float32, x []float32, c float32) {
	switch active {
	case isaAVX512:
		addScalarAVX512(dst, x, c)
	case isaAVX2:
		addScalarAVX2(dst, x, c)
	default:
		addScalarGeneric(dst, x, c)
	}
}

func axpy(alpha float32, x, y []float32) {
	switch active {
	case isaAVX512:
		axpyAVX512(alpha, x, y)
	case isaAVX2:
		axpyAVX2(alpha, x, y)
	default:
		axpyGeneric(alpha, x, y)
	}
}

func relu(dst, x []float32) {
	switch active {
	case isaAVX512:
		reluAVX512(dst, x)
	case isaAVX2:
		reluAVX2(dst, x)
	default:
		reluGeneric(dst, x)
	}
}

func reluGrad(dst, dy, x []float32) {
	switch active {
	case isaAVX512:
		reluGradAVX512(dst, dy, x)
	case isaAVX2:
		reluGradAVX2(dst, dy, x)
	default:
		reluGradGeneric(dst, dy, x)
	}
}
