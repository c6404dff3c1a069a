package kernels

// Generic reference reductions. They accumulate in float64, so they are also
// the accurate reference that the vector versions are bounded against.

func dotGeneric(x, y []float32) float32 {
	var s float64
	for i := range x {
		s += float64(x[i]) * float64(y[i])
	}
	return float32(s)
}

func sumGeneric(x []float32) float32 {
	var s float64
	for _, v := range x {
		s += float64(v)
	}
	return float32(s)
}

func sumSquaresGeneric(x []float32) float32 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return float32(s)
}

// argMaxGeneric returns the index of the first maximum of a non-empty x, with
// NaN above every number.
func argMaxGeneric(x []float32) int {
	best := 0
	for i, v := range x {
		if v != v {
			return i
		}
		if v > x[best] {
			best = i
		}
	}
	return best
}
