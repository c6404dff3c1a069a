package kernels

import "math"

// Generic reference versions of the fused training kernels. Products are
// written float32(a*b) so the compiler cannot fuse them into an FMA, which
// keeps the documented rounding (and the bits) the same on every target.

// biasAddGeneric sets dst[r*len(bias)+j] = x[r*len(bias)+j] + bias[j];
// len(x) is a multiple of len(bias) > 0.
func biasAddGeneric(dst, x, bias []float32) {
	cols := len(bias)
	for off := 0; off+cols <= len(x); off += cols {
		// Equal-length reslices let the compiler drop the bounds checks.
		d, s := dst[off:off+cols], x[off:off+cols]
		for j, b := range bias {
			d[j] = s[j] + b
		}
	}
}

// colSumsAccGeneric adds the rows of x (len(dst) columns) to dst, row by row
// in order; len(x) is a multiple of len(dst) > 0.
func colSumsAccGeneric(dst, x []float32) {
	cols := len(dst)
	for off := 0; off+cols <= len(x); off += cols {
		s := x[off : off+cols]
		s = s[:len(dst)]
		for j, v := range s {
			dst[j] += v
		}
	}
}

func sgdMomentumGeneric(w, v, g []float32, lr, momentum float32, nesterov bool) {
	v, g = v[:len(w)], g[:len(w)]
	if nesterov {
		for i, gi := range g {
			vi := float32(momentum*v[i]) + gi
			v[i] = vi
			w[i] -= float32(lr * (gi + float32(momentum*vi)))
		}
		return
	}
	for i, gi := range g {
		vi := float32(momentum*v[i]) + gi
		v[i] = vi
		w[i] -= float32(lr * vi)
	}
}

// adamGeneric is one Adam step with the bias corrections folded in by the
// caller: step = lr/(1-beta1**t), invSqrtC2 = 1/sqrt(1-beta2**t).
func adamGeneric(w, m, v, g []float32, step, beta1, beta2, eps, invSqrtC2 float32) {
	m, v, g = m[:len(w)], v[:len(w)], g[:len(w)]
	for i, gi := range g {
		mi := float32(beta1*m[i]) + float32((1-beta1)*gi)
		vi := float32(beta2*v[i]) + float32(float32((1-beta2)*gi)*gi)
		m[i], v[i] = mi, vi
		den := float32(float32(math.Sqrt(float64(vi)))*invSqrtC2) + eps
		w[i] -= float32(step*mi) / den
	}
}

// dropoutApplyGeneric sets dst[i] = scale*x[i] where bit i of keep is set,
// else +0.
func dropoutApplyGeneric(dst, x []float32, keep []uint64, scale float32) {
	for i, v := range x {
		if keep[i>>6]>>(i&63)&1 != 0 {
			dst[i] = scale * v
		} else {
			dst[i] = 0
		}
	}
}

// softmaxCrossEntropyGeneric handles whole rows of len(logits)/len(labels)
// classes with valid labels, and returns their summed loss.
func softmaxCrossEntropyGeneric(grad, logits []float32, labels []int32, scale float32) float64 {
	classes := len(logits) / len(labels)
	var loss float64
	for r, label := range labels {
		z := logits[r*classes : (r+1)*classes]
		d := grad[r*classes : (r+1)*classes]
		m := rowMax(z)
		zy := z[label] // read before d (which may alias z) is written
		var s float64
		for j, v := range z {
			e := math.Exp(float64(v - m))
			d[j] = float32(e)
			s += e
		}
		loss += math.Log(s) - float64(zy-m)
		softmaxGradRow(d, 1/s, int(label), scale)
	}
	return loss
}

// rowMax returns the maximum of a non-empty row, NaN if it holds one.
func rowMax(z []float32) float32 {
	m := z[0]
	for _, v := range z[1:] {
		if v > m || v != v {
			m = v
		}
	}
	return m
}

// softmaxGradRow turns d, holding a row's exponentials e**(z-max), into the
// cross-entropy gradient scale*(p - onehot(label)) with p = d*inv.
func softmaxGradRow(d []float32, inv float64, label int, scale float32) {
	for j := range d {
		p := float64(d[j]) * inv
		if j == label {
			p-- // in float64, so p close to 1 keeps its small difference
		}
		d[j] = float32(float64(scale) * p)
	}
}
