//go:build !purego

package kernels

// Assembly reductions for amd64 (reduce_amd64.s). The callers in reduce.go
// guarantee equal lengths and n <= chunk. dot, sum and sumSquares add in a
// tier-specific order (vector accumulators, see the .s header); the others are
// exact. See reduce_generic.go for the references they are tested against.
//
// The AVX-512 tier uses the ZMM kernels throughout: side by side they tie with
// AVX2 at n=4096 for Dot, Sum and SumSquares and win at n=1e6 and for ArgMax
// (26 vs 20x generic at n=4096).

// dotAVX2 and dotAVX512 compute, in float32 with fused multiply-adds,
//
//	for i := range x { s += x[i] * y[i] }
//
//go:noescape
func dotAVX2(x, y []float32) float32

//go:noescape
func dotAVX512(x, y []float32) float32

// sumAVX2 and sumAVX512 compute
//
//	for _, v := range x { s += v }
//
//go:noescape
func sumAVX2(x []float32) float32

//go:noescape
func sumAVX512(x []float32) float32

// sumSquaresAVX2 and sumSquaresAVX512 compute, with fused multiply-adds,
//
//	for _, v := range x { s += v * v }
//
//go:noescape
func sumSquaresAVX2(x []float32) float32

//go:noescape
func sumSquaresAVX512(x []float32) float32

// maxBlockAVX2 and maxBlockAVX512 return, for len(x) >= 1,
//
//	m := x[0]; for _, v := range x { if v != v { return NaN }; m = max(m, v) }
//
// (NaN is the canonical quiet NaN; which of ±0 is returned when they tie for
// the maximum is unspecified).
//
//go:noescape
func maxBlockAVX2(x []float32) float32

//go:noescape
func maxBlockAVX512(x []float32) float32

// indexOfAVX2 and indexOfAVX512 return, for v not NaN,
//
//	for i := range x { if x[i] == v { return i } }; return len(x)
//
//go:noescape
func indexOfAVX2(x []float32, v float32) int

//go:noescape
func indexOfAVX512(x []float32, v float32) int

func dot(x, y []float32) float32 {
	switch active {
	case isaAVX512:
		return dotAVX512(x, y)
	case isaAVX2:
		return dotAVX2(x, y)
	}
	return dotGeneric(x, y)
}

func sum(x []float32) float32 {
	switch active {
	case isaAVX512:
		return sumAVX512(x)
	case isaAVX2:
		return sumAVX2(x)
	}
	return sumGeneric(x)
}

func sumSquares(x []float32) float32 {
	switch active {
	case isaAVX512:
		return sumSquaresAVX512(x)
	case isaAVX2:
		return sumSquaresAVX2(x)
	}
	return sumSquaresGeneric(x)
}

func maxBlock(x []float32) float32 {
	switch active {
	case isaAVX512:
		return maxBlockAVX512(x)
	case isaAVX2:
		return maxBlockAVX2(x)
	}
	return maxBlockGeneric(x)
}

func indexOf(x []float32, v float32) int {
	switch active {
	case isaAVX512:
		return indexOfAVX512(x, v)
	case isaAVX2:
		return indexOfAVX2(x, v)
	}
	return indexOfGeneric(x, v)
}

func argMax(x []float32) int {
	switch active {
	case isaAVX512, isaAVX2:
		return argMaxBlocked(x)
	}
	return argMaxGeneric(x)
}
