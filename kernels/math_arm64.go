//go:build !purego

package kernels

// NEON kernels in math_arm64.s. Each requires len(dst) == len(x) and
// len(x) % 4 == 0, so the assembly never touches memory past the slices.

// expNEON sets dst[i] = e**x[i] for i in [0, len(x)). See expGeneric.
//
//go:noescape
func expNEON(dst, x []float32)

// sigmoidNEON sets dst[i] = 1 / (1 + e**-x[i]) for i in [0, len(x)). See
// sigmoidGeneric.
//
//go:noescape
func sigmoidNEON(dst, x []float32)

// tanhNEON sets dst[i] = tanh(x[i]) for i in [0, len(x)). See tanhGeneric.
//
//go:noescape
func tanhNEON(dst, x []float32)

// expShiftSumNEON sets dst[i] = e**(x[i]-m) for i in [0, len(x)) and returns
// the float32 sum of dst. See expShiftSumGeneric.
//
//go:noescape
func expShiftSumNEON(dst, x []float32, m float32) float32

// Each dispatcher runs the last len(x)%4 elements first, through a stack
// buffer (the noescape declarations keep it off the heap), then the
// multiple-of-4 prefix. The two parts do not overlap, so dst may alias x.

func exp(dst, x []float32) {
	if active != isaNEON {
		expGeneric(dst, x)
		return
	}
	n := len(x) &^ 3
	if n < len(x) {
		var buf [4]float32
		copy(buf[:], x[n:])
		expNEON(buf[:], buf[:])
		copy(dst[n:], buf[:])
	}
	expNEON(dst[:n], x[:n])
}

func sigmoid(dst, x []float32) {
	if active != isaNEON {
		sigmoidGeneric(dst, x)
		return
	}
	n := len(x) &^ 3
	if n < len(x) {
		var buf [4]float32
		copy(buf[:], x[n:])
		sigmoidNEON(buf[:], buf[:])
		copy(dst[n:], buf[:])
	}
	sigmoidNEON(dst[:n], x[:n])
}

func tanh(dst, x []float32) {
	if active != isaNEON {
		tanhGeneric(dst, x)
		return
	}
	n := len(x) &^ 3
	if n < len(x) {
		var buf [4]float32
		copy(buf[:], x[n:])
		tanhNEON(buf[:], buf[:])
		copy(dst[n:], buf[:])
	}
	tanhNEON(dst[:n], x[:n])
}

func expShiftSum(dst, x []float32, m float32) float32 {
	if active != isaNEON {
		return expShiftSumGeneric(dst, x, m)
	}
	n := len(x) &^ 3
	var s float32
	if n < len(x) {
		var buf [4]float32
		copy(buf[:], x[n:])
		expShiftSumNEON(buf[:], buf[:], m) // its sum includes the padding lanes
		for i, v := range buf[:len(x)-n] {
			dst[n+i] = v
			s += v
		}
	}
	return s + expShiftSumNEON(dst[:n], x[:n], m)
}
