package kernels

// Elementwise kernels. Each loops over the slices in Go, one bounded chunk per
// dispatched call (see chunk), so no assembly call runs long.

var dstXY = [3]string{"dst", "x", "y"}

// Add sets dst[i] = x[i] + y[i].
func Add(dst, x, y []float32) {
	checkLen3("Add", dst, x, y, dstXY)
	for len(dst) > 0 {
		n := min(len(dst), chunk)
		add(dst[:n], x[:n], y[:n])
		dst, x, y = dst[n:], x[n:], y[n:]
	}
}

// Sub sets dst[i] = x[i] - y[i].
func Sub(dst, x, y []float32) {
	checkLen3("Sub", dst, x, y, dstXY)
	for len(dst) > 0 {
		n := min(len(dst), chunk)
		sub(dst[:n], x[:n], y[:n])
		dst, x, y = dst[n:], x[n:], y[n:]
	}
}

// Mul sets dst[i] = x[i] * y[i].
func Mul(dst, x, y []float32) {
	checkLen3("Mul", dst, x, y, dstXY)
	for len(dst) > 0 {
		n := min(len(dst), chunk)
		mul(dst[:n], x[:n], y[:n])
		dst, x, y = dst[n:], x[n:], y[n:]
	}
}

// Div sets dst[i] = x[i] / y[i] (IEEE division: x/0 is ±Inf, 0/0 is NaN).
func Div(dst, x, y []float32) {
	checkLen3("Div", dst, x, y, dstXY)
	for len(dst) > 0 {
		n := min(len(dst), chunk)
		div(dst[:n], x[:n], y[:n])
		dst, x, y = dst[n:], x[n:], y[n:]
	}
}

// Scale sets dst[i] = alpha * x[i].
func Scale(dst []float32, alpha float32, x []float32) {
	checkLen2("Scale", "dst", dst, "x", x)
	for len(dst) > 0 {
		n := min(len(dst), chunk)
		scale(dst[:n], alpha, x[:n])
		dst, x = dst[n:], x[n:]
	}
}

// AddScalar sets dst[i] = x[i] + c.
func AddScalar(dst []float32, x []float32, c float32) {
	checkLen2("AddScalar", "dst", dst, "x", x)
	for len(dst) > 0 {
		n := min(len(dst), chunk)
		addScalar(dst[:n], x[:n], c)
		dst, x = dst[n:], x[n:]
	}
}

// Axpy sets y[i] += alpha * x[i]. The multiply-add is fused (one rounding)
// on every tier, the generic one included.
func Axpy(alpha float32, x, y []float32) {
	checkLen2("Axpy", "y", y, "x", x)
	for len(y) > 0 {
		n := min(len(y), chunk)
		axpy(alpha, x[:n], y[:n])
		x, y = x[n:], y[n:]
	}
}

// ReLU sets dst[i] = x[i] if x[i] > 0, NaN if x[i] is NaN, and +0 otherwise
// (so ReLU(-0) = +0).
func ReLU(dst, x []float32) {
	checkLen2("ReLU", "dst", dst, "x", x)
	for len(dst) > 0 {
		n := min(len(dst), chunk)
		relu(dst[:n], x[:n])
		dst, x = dst[n:], x[n:]
	}
}

// ReLUGrad sets dst[i] = dy[i] if x[i] > 0, else +0 (NaN in x counts as not
// positive). It is the backward pass of ReLU given its input x.
func ReLUGrad(dst, dy, x []float32) {
	checkLen3("ReLUGrad", dst, dy, x, [3]string{"dst", "dy", "x"})
	for len(dst) > 0 {
		n := min(len(dst), chunk)
		reluGrad(dst[:n], dy[:n], x[:n])
		dst, dy, x = dst[n:], dy[n:], x[n:]
	}
}
