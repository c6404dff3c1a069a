package kernels

import (
	"fmt"
	"math"
)

// Fused training kernels: the per-step passes of a dense network's training
// loop that would otherwise take two or three elementwise calls (and as many
// trips through memory) each. Like the rest of the package they check
// lengths in Go, process long inputs in bounded chunks, and never allocate.
// BiasAdd, ColSums, SGDMomentum, Adam and DropoutApply round every operation
// as their generic versions do, so all tiers give the same bits.

// BiasAdd sets dst = x + bias broadcast over rows: x and dst hold rows of
// len(bias) elements, and dst[r*len(bias)+j] = x[r*len(bias)+j] + bias[j].
// dst may be x. len(x) must be a multiple of len(bias); an empty bias
// requires empty x and dst.
func BiasAdd(dst, x, bias []float32) {
	checkLen2("BiasAdd", "dst", dst, "x", x)
	cols := len(bias)
	if cols == 0 {
		if len(x) != 0 {
			panic(fmt.Sprintf("kernels.BiasAdd: len(bias) = 0 but len(x) = %d", len(x)))
		}
		return
	}
	if len(x)%cols != 0 {
		panic(fmt.Sprintf("kernels.BiasAdd: len(x) = %d is not a multiple of len(bias) = %d", len(x), cols))
	}
	// Whole rows per call, at least one, about a chunk of elements.
	rowsPer := max(1, chunk/cols)
	for len(dst) > 0 {
		n := min(len(dst), rowsPer*cols)
		biasAdd(dst[:n], x[:n], bias)
		dst, x = dst[n:], x[n:]
	}
}

// ColSums sets dst[j] to the sum over rows of x[r*len(dst)+j]: the column sums
// of a row-major matrix with len(dst) columns, as the bias gradient of a
// dense layer needs. The rows are added in order, in float32, with the same
// association on every tier, so the result does not depend on the tier or on
// how the caller splits work. len(x) must be a multiple of len(dst); an empty
// dst requires an empty x. x == 0 rows gives zeros.
func ColSums(dst, x []float32) {
	cols := len(dst)
	if cols == 0 {
		if len(x) != 0 {
			panic(fmt.Sprintf("kernels.ColSums: len(dst) = 0 but len(x) = %d", len(x)))
		}
		return
	}
	if len(x)%cols != 0 {
		panic(fmt.Sprintf("kernels.ColSums: len(x) = %d is not a multiple of len(dst) = %d", len(x), cols))
	}
	clear(dst)
	rowsPer := max(1, chunk/cols)
	for len(x) > 0 {
		n := min(len(x), rowsPer*cols)
		colSumsAcc(dst, x[:n])
		x = x[n:]
	}
}

// SGDMomentum performs one step of stochastic gradient descent with momentum
// on the parameters w, velocity v and gradient g, in PyTorch's formulation:
//
//	v[i] = momentum*v[i] + g[i]
//	w[i] -= lr * v[i]                       // nesterov == false
//	w[i] -= lr * (g[i] + momentum*v[i])     // nesterov == true (with the new v)
//
// With momentum == 0 this is plain SGD (v then holds g). Every product and
// sum is rounded separately (no fused multiply-add) on every tier, so all
// tiers give the same bits.
func SGDMomentum(w, v, g []float32, lr, momentum float32, nesterov bool) {
	checkLen3("SGDMomentum", w, v, g, [3]string{"w", "v", "g"})
	for len(w) > 0 {
		n := min(len(w), chunk)
		sgdMomentum(w[:n], v[:n], g[:n], lr, momentum, nesterov)
		w, v, g = w[n:], v[n:], g[n:]
	}
}

// Adam performs step number t (t ≥ 1) of the Adam optimizer on the
// parameters w with first and second moment estimates m and v and gradient
// g, as in Kingma & Ba and PyTorch:
//
//	m[i] = beta1*m[i] + (1-beta1)*g[i]
//	v[i] = beta2*v[i] + (1-beta2)*g[i]*g[i]
//	w[i] -= lr/(1-beta1**t) * m[i] / (sqrt(v[i])/sqrt(1-beta2**t) + eps)
//
// The bias corrections are computed once per call in float64.
func Adam(w, m, v, g []float32, lr, beta1, beta2, eps float32, t int) {
	checkLen2("Adam", "w", w, "m", m)
	checkLen2("Adam", "w", w, "v", v)
	checkLen2("Adam", "w", w, "g", g)
	if t < 1 {
		panic(fmt.Sprintf("kernels.Adam: step t = %d, must be at least 1", t))
	}
	step := float32(float64(lr) / (1 - math.Pow(float64(beta1), float64(t))))
	invSqrtC2 := float32(1 / math.Sqrt(1-math.Pow(float64(beta2), float64(t))))
	for len(w) > 0 {
		n := min(len(w), chunk)
		adam(w[:n], m[:n], v[:n], g[:n], step, beta1, beta2, eps, invSqrtC2)
		w, m, v, g = w[n:], m[n:], v[n:], g[n:]
	}
}

// DropoutApply sets dst[i] = scale*x[i] where bit i of keep is set (bit i%64
// of keep[i/64]) and +0 where it is clear. With scale = 1/p for keep
// probability p it is inverted dropout's forward pass; applied to the upstream
// gradient with the same mask and scale it is the backward pass. keep must
// hold at least len(x) bits; dst may be x.
func DropoutApply(dst, x []float32, keep []uint64, scale float32) {
	checkLen2("DropoutApply", "dst", dst, "x", x)
	if need := (len(x) + 63) / 64; len(keep) < need {
		panic(fmt.Sprintf("kernels.DropoutApply: len(keep) = %d words, %d elements need %d", len(keep), len(x), need))
	}
	// Chunks are multiples of 64 elements, so each starts on a mask word.
	for len(dst) > 0 {
		n := min(len(dst), chunk)
		dropoutApply(dst[:n], x[:n], keep[:(n+63)/64], scale)
		dst, x, keep = dst[n:], x[n:], keep[n/64:]
	}
}

// SoftmaxCrossEntropy computes, for a batch of len(labels) rows of logits with
// classes = len(logits)/len(labels) columns, the softmax cross-entropy of each
// row against its label and the gradient of scale times the summed loss with
// respect to the logits, in one pass per row:
//
//	p = softmax(logits[r]) (max-subtracted, so it never overflows)
//	loss += log Σ e**(z-max) - (z[labels[r]]-max)
//	grad[r*classes+j] = scale * (p[j] - [j == labels[r]])
//
// It returns the summed loss (accumulated in float64). Pass scale = 1/rows for
// the gradient of the mean loss. grad may be logits. The generic tier
// computes the exponentials in float64; the assembly tiers take them from
// the float32 Exp kernel, so each probability there is within a relative
// 2⁻²¹ of the generic one. Labels outside
// [0, classes) and a len(logits) that is not a multiple of len(labels) are
// programmer errors and panic. A NaN logit makes its row's loss and gradient NaN.
func SoftmaxCrossEntropy(grad, logits []float32, labels []int32, scale float32) float64 {
	checkLen2("SoftmaxCrossEntropy", "grad", grad, "logits", logits)
	rows := len(labels)
	if rows == 0 {
		if len(logits) != 0 {
			panic(fmt.Sprintf("kernels.SoftmaxCrossEntropy: len(labels) = 0 but len(logits) = %d", len(logits)))
		}
		return 0
	}
	if len(logits)%rows != 0 || len(logits) == 0 {
		panic(fmt.Sprintf("kernels.SoftmaxCrossEntropy: len(logits) = %d is not a positive multiple of len(labels) = %d", len(logits), rows))
	}
	classes := len(logits) / rows
	for r, l := range labels {
		if l < 0 || int(l) >= classes {
			panic(fmt.Sprintf("kernels.SoftmaxCrossEntropy: labels[%d] = %d outside [0, %d)", r, l, classes))
		}
	}
	var loss float64
	rowsPer := max(1, chunk/classes)
	for off := 0; off < rows; off += rowsPer {
		n := min(rows-off, rowsPer)
		loss += softmaxCrossEntropy(grad[off*classes:(off+n)*classes], logits[off*classes:(off+n)*classes], labels[off:off+n], scale)
	}
	return loss
}
