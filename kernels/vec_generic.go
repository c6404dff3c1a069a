package kernels

import "math"

// Generic reference versions of the elementwise kernels: compiled on every
// target, the fallback where there is no assembly and the reference every
// assembly version is tested against. Products are written float32(a*b) so
// the compiler cannot fuse them into an FMA the assembly does not use.

func addGeneric(dst, x, y []float32) {
	for i := range dst {
		dst[i] = x[i] + y[i]
	}
}

func subGeneric(dst, x, y []float32) {
	for i := range dst {
		dst[i] = x[i] - y[i]
	}
}

func mulGeneric(dst, x, y []float32) {
	for i := range dst {
		dst[i] = x[i] * y[i]
	}
}

func divGeneric(dst, x, y []float32) {
	for i := range dst {
		dst[i] = x[i] / y[i]
	}
}

func scaleGeneric(dst []float32, alpha float32, x []float32) {
	for i := range dst {
		dst[i] = alpha * x[i]
	}
}

func addScalarGeneric(dst []float32, x []float32, c float32) {
	for i := range dst {
		dst[i] = x[i] + c
	}
}

func axpyGeneric(alpha float32, x, y []float32) {
	for i := range y {
		y[i] = fma32(alpha, x[i], y[i])
	}
}

func reluGeneric(dst, x []float32) {
	for i, v := range x {
		switch {
		case v > 0 || v != v:
			dst[i] = v
		default:
			dst[i] = 0
		}
	}
}

func reluGradGeneric(dst, dy, x []float32) {
	for i := range dst {
		if x[i] > 0 {
			dst[i] = dy[i]
		} else {
			dst[i] = 0
		}
	}
}

// fma32 returns a*b+c rounded once to float32, as the FMA instructions do.
// The product of two float32s is exact in float64; the sum is rounded to
// float64 "to odd" (its exact error, from TwoSum, decides a nudge of the last
// bit), which makes the final rounding to float32 correct: rounding to odd
// with at least two extra bits never double-rounds.
func fma32(a, b, c float32) float32 {
	p := float64(a) * float64(b)
	s := p + float64(c)
	if math.IsInf(s, 0) || s != s {
		return float32(s)
	}
	t := s - p
	err := (p - (s - t)) + (float64(c) - t)
	if err != 0 && math.Float64bits(s)&1 == 0 {
		s = math.Nextafter(s, math.Copysign(math.Inf(1), err))
	}
	return float32(s)
}
