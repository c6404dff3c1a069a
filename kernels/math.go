package kernels

// Transcendental kernels. Accuracy per function and tier is in the package doc.

// Exp sets dst[i] = e**x[i], within 2 ulp (see Accuracy in the package doc).
// Exp(+Inf) = +Inf, Exp(-Inf) = 0, NaN stays NaN. Results too large for
// float32 (x > 88.72) are +Inf; results below the smallest normal are
// subnormals rounded once (gradual underflow), and 0 for x < -103.97.
func Exp(dst, x []float32) {
	checkLen2("Exp", "dst", dst, "x", x)
	for len(dst) > 0 {
		n := min(len(dst), chunk)
		exp(dst[:n], x[:n])
		dst, x = dst[n:], x[n:]
	}
}

// Sigmoid sets dst[i] = 1 / (1 + e**-x[i]), within 4 ulp. Nothing overflows:
// large negative x give e**x/(1+e**x), down into the subnormals.
// Sigmoid(+Inf) = 1, Sigmoid(-Inf) = 0, NaN stays NaN.
func Sigmoid(dst, x []float32) {
	checkLen2("Sigmoid", "dst", dst, "x", x)
	for len(dst) > 0 {
		n := min(len(dst), chunk)
		sigmoid(dst[:n], x[:n])
		dst, x = dst[n:], x[n:]
	}
}

// Tanh sets dst[i] = tanh(x[i]), within 4 ulp. |x| < 2**-25 (subnormals
// included) gives x exactly, |x| >= 9.02 gives ±1, Tanh(±Inf) = ±1,
// Tanh(±0) = ±0, NaN stays NaN.
func Tanh(dst, x []float32) {
	checkLen2("Tanh", "dst", dst, "x", x)
	for len(dst) > 0 {
		n := min(len(dst), chunk)
		tanh(dst[:n], x[:n])
		dst, x = dst[n:], x[n:]
	}
}

// Softmax sets dst to the softmax of the row x: e**(x[i]-max) / Σ e**(x[j]-max).
// Subtracting the maximum means it never overflows; -Inf entries get
// probability 0. A NaN anywhere in x makes every output NaN, and so does a row
// whose entries are all -Inf (no probability distribution exists). The error
// bound is in the package doc (Accuracy).
func Softmax(dst, x []float32) {
	checkLen2("Softmax", "dst", dst, "x", x)
	if len(x) == 0 {
		return
	}
	m := Max(x)
	// dst[i] = e**(x[i]-m), summed as it goes.
	var s float32
	for off := 0; off < len(x); off += chunk {
		n := min(len(x)-off, chunk)
		s += expShiftSum(dst[off:off+n], x[off:off+n], m)
	}
	Scale(dst, 1/s, dst)
}
