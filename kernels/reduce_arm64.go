//go:build !purego

package kernels

// NEON reductions for arm64 (reduce_arm64.s). The callers in reduce.go
// guarantee equal lengths and n <= chunk. dot, sum and sumSquares add in a
// tier-specific order (eight vector accumulators, see the .s header); the
// others are exact. See reduce_generic.go for the references.

// dotNEON computes, in float32 with fused multiply-adds,
//
//	for i := range x { s += x[i] * y[i] }
//
//go:noescape
func dotNEON(x, y []float32) float32

// sumNEON computes
//
//	for _, v := range x { s += v }
//
//go:noescape
func sumNEON(x []float32) float32

// sumSquaresNEON computes, with fused multiply-adds,
//
//	for _, v := range x { s += v * v }
//
//go:noescape
func sumSquaresNEON(x []float32) float32

// maxBlockNEON returns, for len(x) >= 1,
//
//	m := x[0]; for _, v := range x { if v != v { return NaN }; m = max(m, v) }
//
// (which of ±0 is returned when they tie for the maximum is unspecified).
//
//go:noescape
func maxBlockNEON(x []float32) float32

// indexOfNEON returns, for v not NaN,
//
//	for i := range x { if x[i] == v { return i } }; return len(x)
//
//go:noescape
func indexOfNEON(x []float32, v float32) int

func dot(x, y []float32) float32 {
	if active == isaNEON {
		return dotNEON(x, y)
	}
	return dotGeneric(x, y)
}

func sum(x []float32) float32 {
	if active == isaNEON {
		return sumNEON(x)
	}
	return sumGeneric(x)
}

func sumSquares(x []float32) float32 {
	if active == isaNEON {
		return sumSquaresNEON(x)
	}
	return sumSquaresGeneric(x)
}

func maxBlock(x []float32) float32 {
	if active == isaNEON {
		return maxBlockNEON(x)
	}
	return maxBlockGeneric(x)
}

func indexOf(x []float32, v float32) int {
	if active == isaNEON {
		return indexOfNEON(x, v)
	}
	return indexOfGeneric(x, v)
}

func argMax(x []float32) int {
	if active == isaNEON {
		return argMaxBlocked(x)
	}
	return argMaxGeneric(x)
}
