package kernels

import "math"

// Reductions. Long inputs are reduced one bounded chunk per dispatched call
// and the chunk results combined in Go, so no assembly call runs long.

// Dot returns the sum of x[i]*y[i]. The order of the additions depends on the
// tier (vector accumulators), so results may differ between tiers in the last
// bits; see the package doc for the error bound.
func Dot(x, y []float32) float32 {
	checkLen2("Dot", "x", x, "y", y)
	var s float32
	for len(x) > 0 {
		n := min(len(x), chunk)
		s += dot(x[:n], y[:n])
		x, y = x[n:], y[n:]
	}
	return s
}

// Sum returns the sum of x[i], 0 for an empty slice. Like Dot, the order of
// the additions depends on the tier; see the package doc for the error bound.
func Sum(x []float32) float32 {
	var s float32
	for len(x) > 0 {
		n := min(len(x), chunk)
		s += sum(x[:n])
		x = x[n:]
	}
	return s
}

// SumSquares returns the sum of x[i]*x[i], 0 for an empty slice, within the
// error bound in the package doc.
func SumSquares(x []float32) float32 {
	var s float32
	for len(x) > 0 {
		n := min(len(x), chunk)
		s += sumSquares(x[:n])
		x = x[n:]
	}
	return s
}

// ArgMax returns the index of the first maximum of x, or -1 if x is empty.
// NaN counts as greater than every number, so the first NaN wins; -0 and +0
// compare equal, so the first of them wins.
func ArgMax(x []float32) int {
	best := -1
	var bestV float32
	for off := 0; off < len(x); off += chunk {
		n := min(len(x)-off, chunk)
		i := argMax(x[off : off+n])
		v := x[off+i]
		if best < 0 || greater(v, bestV) {
			best, bestV = off+i, v
		}
		if v != v {
			break // the first NaN wins
		}
	}
	return best
}

// Max returns x[ArgMax(x)] (so NaN if x holds a NaN, and the first of -0/+0
// when those tie for the maximum), or -Inf if x is empty.
func Max(x []float32) float32 {
	if len(x) == 0 {
		return float32(math.Inf(-1))
	}
	return x[ArgMax(x)]
}

// greater orders float32s for ArgMax: NaN above everything, -0 == +0.
func greater(a, b float32) bool {
	if b != b {
		return false
	}
	return a > b || a != a
}

// argMaxBlock is how many elements argMaxBlocked hands to one maxBlock call:
// large enough that the call overhead is noise, small enough that the block
// holding the maximum is still in L1 when indexOf scans it again.
const argMaxBlock = 1024

// argMaxBlocked is ArgMax for one non-empty chunk, built from two vector
// kernels that each do one simple thing: maxBlock (the maximum of a block, NaN
// if it holds one) and indexOf (the first index of a value). It finds the
// first block whose maximum beats all earlier ones (strictly, so ties keep
// the earlier block; -0 == +0 is a tie), then the first index of that value
// in that block. A NaN block ends the search and its first NaN is the answer.
func argMaxBlocked(x []float32) int {
	bestOff, bestV := 0, maxBlock(x[:min(len(x), argMaxBlock)])
	for off := argMaxBlock; off < len(x) && bestV == bestV; off += argMaxBlock {
		v := maxBlock(x[off:min(len(x), off+argMaxBlock)])
		if v > bestV || v != v {
			bestOff, bestV = off, v
		}
	}
	block := x[bestOff:min(len(x), bestOff+argMaxBlock)]
	if bestV != bestV {
		return bestOff + argMaxGeneric(block) // the first NaN, rare enough for scalar code
	}
	return bestOff + indexOf(block, bestV)
}
