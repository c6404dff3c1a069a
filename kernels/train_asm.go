//go:build (amd64 || arm64) && !purego

package kernels

import "math"

// softmaxCrossEntropy on the assembly tiers takes its exponentials from the
// package's float32 e**x kernel (expShiftSum, within 2 ulp) instead of
// float64 math.Exp, which is where the generic version spends its time. The
// rest is as in softmaxCrossEntropyGeneric: the row maximum, the sum of the
// exponentials and the gradient are computed in float64 from the float32
// exponentials, so each probability is within a relative 2**-21 of the
// generic one (the documented bound; TestSoftmaxCrossEntropyISA checks it).
func softmaxCrossEntropy(grad, logits []float32, labels []int32, scale float32) float64 {
	if active == isaGeneric {
		return softmaxCrossEntropyGeneric(grad, logits, labels, scale)
	}
	classes := len(logits) / len(labels)
	// Σ log(s) is taken as the log of the product of the rows' sums, one
	// Log per 2**500 of product rather than one per row: every s is in
	// [1, classes] (its largest term is e**0), so the product cannot
	// overflow before it is flushed, and its rounding (2**-53 per row) is
	// far below the exponentials' own error.
	var loss float64
	prod := 1.0
	for r, label := range labels {
		z := logits[r*classes : (r+1)*classes]
		d := grad[r*classes : (r+1)*classes]
		m := rowMax(z)
		zy := z[label] // read before d (which may alias z) is written
		// d = e**(z-m), in bounded calls for very wide rows.
		for off := 0; off < len(z); off += chunk {
			end := min(len(z), off+chunk)
			expShiftSum(d[off:end], z[off:end], m)
		}
		var s float64
		for _, e := range d {
			s += float64(e)
		}
		loss -= float64(zy - m)
		if prod *= s; prod > 0x1p500 {
			loss += math.Log(prod)
			prod = 1
		}
		softmaxGradRow(d, 1/s, int(label), scale)
	}
	return loss + math.Log(prod)
}
