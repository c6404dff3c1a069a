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

// maxBlockGeneric is the reference for the maxBlock kernels: the maximum of a
// non-empty x, or NaN if x holds a NaN.
func maxBlockGeneric(x []float32) float32 {
	m := x[0]
	for _, v := range x {
		if v != v {
			return v
		}
		if v > m {
			m = v
		}
	}
	return m
}

// indexOfGeneric is the reference for the indexOf kernels: the first index
// of v (not NaN) in x, -0 and +0 being equal, or len(x) if absent.
func indexOfGeneric(x []float32, v float32) int {
	for i, e := range x {
		if e == v {
			return i
		}
	}
	return len(x)
}
