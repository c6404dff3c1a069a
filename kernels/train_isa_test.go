package kernels

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"
)

// Tier-versus-generic tests for the training kernels: every tier this
// machine runs (forEachISA) must give the generic reference's bits, over all
// lengths up to a few vector widths, at every element offset within a 32-byte
// line, with NaN guards around every output, in place, and at sizes that
// cross the chunk boundary. The generic functions are called directly, so
// the reference does not depend on the tier under test.

// isaLengths are 0..65 (every tail of 8-, 16- and 64-element loops) plus
// sizes around the loop and chunk boundaries.
func isaLengths() []int {
	var out []int
	for n := range 66 {
		out = append(out, n)
	}
	return append(out, 127, 128, 129, 255, 256, 1000, 1023, 4096+13, chunk, chunk+77)
}

// sameOrBothNaN reports whether a and b have the same bits or are both NaN.
// NaN payloads are not part of the contract: a NaN produced by an invalid
// operation is the CPU's default NaN, which differs between x86 and ARM.
func sameOrBothNaN(a, b float32) bool {
	return sameBits(a, b) || (a != a && b != b)
}

// placed copies src into a NaN-guarded buffer at element offset off and
// returns the copy and the guard check.
func placed(t *testing.T, src []float32, off int) ([]float32, func()) {
	t.Helper()
	s, check := guarded(t, len(src), off)
	copy(s, src)
	return s, check
}

// specialsInto overwrites a few elements of x with signed zeros, ±Inf,
// subnormals and a NaN, at positions that move with the length.
func specialsInto(x []float32) {
	specials := []float32{float32(math.Copysign(0, -1)), 0, float32(math.Inf(1)), float32(math.Inf(-1)), 1e-40, -1e-40, float32(math.NaN())}
	for k, v := range specials {
		if i := (k*7 + 3) * (len(x) / 11); len(x) > 40 && i < len(x) {
			x[i] = v
		}
	}
}

func TestBiasAddISA(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(21, 22))
		for cols := 1; cols <= 65; cols++ {
			for _, rows := range []int{1, 2, 3} {
				checkBiasAdd(t, r, rows, cols, cols%8)
			}
		}
		for _, sh := range [][2]int{{128, 256}, {128, 10}, {70, 300}, {3, chunk + 5}, {chunk/64 + 3, 64}} {
			for off := range 8 {
				checkBiasAdd(t, r, sh[0], sh[1], off)
			}
		}
	})
}

func checkBiasAdd(t *testing.T, r *rand.Rand, rows, cols, off int) {
	t.Helper()
	x := randSlice(r, rows*cols, 8)
	bias := randSlice(r, cols, 8)
	specialsInto(x)
	want := make([]float32, len(x))
	biasAddGeneric(want, x, bias)
	// Inputs at a different offset from dst, so no two slices share alignment.
	xs, checkX := placed(t, x, (off+3)%8)
	dst, check := guarded(t, len(x), off)
	BiasAdd(dst, xs, bias)
	check()
	checkX()
	for i := range dst {
		if !sameBits(dst[i], want[i]) {
			t.Fatalf("rows=%d cols=%d off=%d: dst[%d] = %v, generic %v", rows, cols, off, i, dst[i], want[i])
		}
	}
	BiasAdd(xs, xs, bias)
	checkX()
	for i := range xs {
		if !sameBits(xs[i], want[i]) {
			t.Fatalf("rows=%d cols=%d off=%d in place: x[%d] = %v, generic %v", rows, cols, off, i, xs[i], want[i])
		}
	}
}

func TestColSumsISA(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(23, 24))
		for cols := 1; cols <= 65; cols++ {
			for _, rows := range []int{1, 2, 5} {
				checkColSums(t, r, rows, cols, cols%8)
			}
		}
		// Column blocks of 64 and 128 with every kind of tail, a batch
		// that takes several chunks, and the MNIST shapes.
		for _, sh := range [][2]int{{128, 256}, {128, 10}, {3, 128 + 16 + 7}, {4, 129}, {2, 200}, {1000, 33}, {3, chunk + 3}} {
			for off := range 8 {
				checkColSums(t, r, sh[0], sh[1], off)
			}
		}
	})
}

func checkColSums(t *testing.T, r *rand.Rand, rows, cols, off int) {
	t.Helper()
	x := randSlice(r, rows*cols, 4)
	specialsInto(x)
	want := make([]float32, cols)
	colSumsAccGeneric(want, x)
	xs, checkX := placed(t, x, (off+5)%8)
	dst, check := guarded(t, cols, off)
	ColSums(dst, xs)
	check()
	checkX()
	for j := range dst {
		if !sameOrBothNaN(dst[j], want[j]) {
			t.Fatalf("rows=%d cols=%d off=%d: dst[%d] = %v, generic %v", rows, cols, off, j, dst[j], want[j])
		}
	}
}

func TestSGDMomentumISA(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(25, 26))
		for _, n := range isaLengths() {
			off := n % 8
			for _, nesterov := range []bool{false, true} {
				for _, momentum := range []float32{0.9, 0} {
					w, v, g := randSlice(r, n, 1), randSlice(r, n, 1), randSlice(r, n, 1)
					specialsInto(g)
					wantW, wantV := append([]float32(nil), w...), append([]float32(nil), v...)
					sgdMomentumGeneric(wantW, wantV, g, 0.05, momentum, nesterov)
					ws, checkW := placed(t, w, off)
					vs, checkV := placed(t, v, (off+1)%8)
					gs, checkG := placed(t, g, (off+2)%8)
					SGDMomentum(ws, vs, gs, 0.05, momentum, nesterov)
					checkW()
					checkV()
					checkG()
					for i := range n {
						if !sameOrBothNaN(ws[i], wantW[i]) || !sameOrBothNaN(vs[i], wantV[i]) {
							t.Fatalf("n=%d nesterov=%v momentum=%v i=%d: w=%v v=%v, generic w=%v v=%v", n, nesterov, momentum, i, ws[i], vs[i], wantW[i], wantV[i])
						}
					}
				}
			}
		}
	})
}

func TestAdamISA(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(27, 28))
		for _, n := range isaLengths() {
			off := n % 8
			for _, step := range []int{1, 7, 1000} {
				w, m, g := randSlice(r, n, 1), randSlice(r, n, 0.1), randSlice(r, n, 1)
				v := make([]float32, n)
				for i := range v {
					v[i] = r.Float32() * r.Float32() * 0.01
				}
				if n > 3 {
					// Zero moments and gradient: the denominator is eps alone.
					m[1], v[1], g[1] = 0, 0, 0
					v[2], g[2] = 0, 1e-30
				}
				specialsInto(g)
				lr, b1, b2, eps := float32(1e-3), float32(0.9), float32(0.999), float32(1e-8)
				wantW, wantM, wantV := append([]float32(nil), w...), append([]float32(nil), m...), append([]float32(nil), v...)
				// The same float64 bias corrections Adam computes.
				stepSize := float32(float64(lr) / (1 - math.Pow(float64(b1), float64(step))))
				inv := float32(1 / math.Sqrt(1-math.Pow(float64(b2), float64(step))))
				adamGeneric(wantW, wantM, wantV, g, stepSize, b1, b2, eps, inv)
				ws, checkW := placed(t, w, off)
				ms, checkM := placed(t, m, (off+1)%8)
				vs, checkV := placed(t, v, (off+2)%8)
				gs, checkG := placed(t, g, (off+3)%8)
				Adam(ws, ms, vs, gs, lr, b1, b2, eps, step)
				checkW()
				checkM()
				checkV()
				checkG()
				for i := range n {
					if !sameOrBothNaN(ws[i], wantW[i]) || !sameOrBothNaN(ms[i], wantM[i]) || !sameOrBothNaN(vs[i], wantV[i]) {
						t.Fatalf("n=%d t=%d i=%d: w=%v m=%v v=%v, generic w=%v m=%v v=%v", n, step, i, ws[i], ms[i], vs[i], wantW[i], wantM[i], wantV[i])
					}
				}
			}
		}
	})
}

func TestDropoutApplyISA(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(29, 30))
		lengths := append(isaLengths(), 66, 95, 96, 97, 130, 191, 192, 193)
		for _, n := range lengths {
			for _, off := range []int{0, n % 8, 7} {
				x := randSlice(r, n, 3)
				specialsInto(x)
				// Exactly the words needed (TestDropoutApplyReadsOnlyItsMaskWords
				// checks that no others are read): random bits, with an
				// all-clear and an all-set word where there is room.
				keep := make([]uint64, (n+63)/64)
				for i := range keep {
					switch i % 4 {
					case 1:
						keep[i] = 0
					case 2:
						keep[i] = ^uint64(0)
					default:
						keep[i] = r.Uint64()
					}
				}
				want := make([]float32, n)
				dropoutApplyGeneric(want, x, keep, 1.25)
				xs, checkX := placed(t, x, (off+4)%8)
				dst, check := guarded(t, n, off)
				DropoutApply(dst, xs, keep, 1.25)
				check()
				checkX()
				for i := range n {
					if !sameBits(dst[i], want[i]) {
						t.Fatalf("n=%d off=%d i=%d (bit %v): dst = %v, generic %v", n, off, i, keep[i/64]>>(i%64)&1, dst[i], want[i])
					}
				}
				DropoutApply(xs, xs, keep, 1.25)
				checkX()
				for i := range n {
					if !sameBits(xs[i], want[i]) {
						t.Fatalf("n=%d off=%d i=%d in place: x = %v, generic %v", n, off, i, xs[i], want[i])
					}
				}
			}
		}
	})
}

// TestDropoutApplyReadsOnlyItsMaskWords passes keep as a window of exactly
// ceil(n/64) all-ones words between all-zero words, so a kernel that took
// any bit from the wrong word (or from outside keep) would drop an element.
func TestDropoutApplyReadsOnlyItsMaskWords(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		for _, n := range []int{1, 17, 33, 63, 64, 65, 100, 127, 128, 129} {
			words := (n + 63) / 64
			backing := make([]uint64, words+2) // neighbours: drop everything
			keep := backing[1 : 1+words : 1+words]
			for i := range keep {
				keep[i] = ^uint64(0) // this call's words: keep everything
			}
			x := make([]float32, n)
			for i := range x {
				x[i] = float32(i + 1)
			}
			dst := make([]float32, n)
			DropoutApply(dst, x, keep, 2)
			for i := range n {
				if dst[i] != 2*x[i] {
					t.Fatalf("n=%d: dst[%d] = %v, want %v", n, i, dst[i], 2*x[i])
				}
			}
		}
	})
}

// TestSoftmaxCrossEntropyISA checks the assembly tiers against the generic
// code within the documented bound. The tiers take e**x from the package's
// float32 Exp (within 2 ulp, a relative 2**-22) where the generic code uses
// float64 math.Exp, so a probability p may differ by a relative 2**-21 plus
// the generic's own float32 rounding of e**x; the bound allows 2**-20:
//
//	|grad - generic| <= |scale|*2**-20*(p + 2**-100) + 2**-23*|generic| + 2**-149
//	|loss - generic| <= rows * 2**-21
//
// (the 2**-100 and 2**-149 terms cover probabilities and gradients in
// float32's subnormal range, where ulps are absolute).
func TestSoftmaxCrossEntropyISA(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(31, 32))
		shapes := [][2]int{{1, 1}, {1, 2}, {3, 10}, {128, 10}, {7, 3}, {5, 17}, {2, 100}, {4000, 10}, {2, chunk + 5}}
		for _, sh := range shapes {
			rows, classes := sh[0], sh[1]
			for _, spread := range []float32{1, 30, 1000} {
				for _, scale := range []float32{1 / float32(rows), -3} {
					logits := randSlice(r, rows*classes, spread)
					if classes > 2 {
						logits[1] = float32(math.Inf(-1)) // probability exactly 0
					}
					labels := make([]int32, rows)
					for i := range labels {
						labels[i] = int32(r.IntN(classes))
					}
					want := make([]float32, len(logits))
					wantLoss := softmaxCrossEntropyGeneric(want, logits, labels, scale)
					zs, checkZ := placed(t, logits, rows%8)
					grad, check := guarded(t, len(logits), (rows+3)%8)
					loss := SoftmaxCrossEntropy(grad, zs, labels, scale)
					check()
					checkZ()
					checkSCEBound(t, rows, classes, spread, grad, want, labels, scale)
					// Equal covers +Inf, from a label whose logit is -Inf.
					if d := math.Abs(loss - wantLoss); loss != wantLoss && !(d <= float64(rows)*0x1p-21) {
						t.Fatalf("rows=%d classes=%d spread=%v: loss = %v, generic %v (|diff| %g)", rows, classes, spread, loss, wantLoss, d)
					}
					// In place: the same bits as out of place.
					lossInPlace := SoftmaxCrossEntropy(zs, zs, labels, scale)
					checkZ()
					if lossInPlace != loss {
						t.Fatalf("rows=%d classes=%d in place: loss = %v, want %v", rows, classes, lossInPlace, loss)
					}
					for i := range zs {
						if !sameBits(zs[i], grad[i]) {
							t.Fatalf("rows=%d classes=%d in place: grad[%d] = %v, want %v", rows, classes, i, zs[i], grad[i])
						}
					}
				}
			}
		}
		// NaN and +Inf logits poison their own rows only, as in generic.
		logits := []float32{0, float32(math.NaN()), 1, 2, float32(math.Inf(1)), 0, 5, -5, 1}
		grad := make([]float32, len(logits))
		want := make([]float32, len(logits))
		labels := []int32{0, 1, 2}
		loss := SoftmaxCrossEntropy(grad, logits, labels, 1)
		wantLoss := softmaxCrossEntropyGeneric(want, logits, labels, 1)
		if loss == loss || wantLoss == wantLoss {
			t.Fatalf("loss with NaN rows = %v (generic %v), want NaN", loss, wantLoss)
		}
		for i := range grad {
			if (grad[i] != grad[i]) != (want[i] != want[i]) {
				t.Fatalf("grad[%d] = %v, generic %v: NaN in different places", i, grad[i], want[i])
			}
		}
		checkSCEBound(t, 1, 3, 0, grad[6:], want[6:], labels[2:], 1)
	})
}

func checkSCEBound(t *testing.T, rows, classes int, spread float32, grad, want []float32, labels []int32, scale float32) {
	t.Helper()
	for i := range grad {
		g, w := float64(grad[i]), float64(want[i])
		p := w / float64(scale)
		if i%classes == int(labels[i/classes]) {
			p++
		}
		bound := math.Abs(float64(scale))*0x1p-20*(math.Abs(p)+0x1p-100) + 0x1p-23*math.Abs(w) + 0x1p-149
		if d := math.Abs(g - w); !(d <= bound) {
			t.Fatalf("rows=%d classes=%d spread=%v scale=%v: grad[%d] = %v, generic %v (|diff| %g > %g)", rows, classes, spread, scale, i, grad[i], want[i], d, bound)
		}
	}
}

// fuzzTrainKernels names the kernels FuzzTrain exercises; the first input
// byte picks one (modulo the count).
var fuzzTrainKernels = []string{"BiasAdd", "ColSums", "SGDMomentum", "SGDNesterov", "Adam", "DropoutApply", "SoftmaxCrossEntropy"}

// FuzzTrain decodes an input into a training kernel, a row width, two
// scalars and four float32s per element, runs the kernel's dispatch point on
// every tier and compares with the generic code: bit for bit (NaN payloads
// aside) for all but SoftmaxCrossEntropy, which must stay within the bound
// of TestSoftmaxCrossEntropyISA.
//
// Layout: [0] kernel, [1] cols-1 (row width for BiasAdd, ColSums and
// SoftmaxCrossEntropy, whole rows only), [2:6] and [6:10] scalar bits, then
// 16 bytes per element (a, b, c, d bits), little-endian. The kernels read:
// BiasAdd x = a, bias = b of the first row; ColSums x = a; SGD w, v, g =
// a, b, c with lr, momentum = the scalars; Adam w, m, v, g = a, b, |c|, d
// with step and eps = the scalars; DropoutApply x = a, keep bit i = sign of
// d[i]; SoftmaxCrossEntropy logits = a, label of row r = bits of b[r*cols].
func FuzzTrain(f *testing.F) {
	seed := func(kernel, cols byte, s1, s2 float32, n int) []byte {
		b := []byte{kernel, cols, 0, 0, 0, 0, 0, 0, 0, 0}
		binary.LittleEndian.PutUint32(b[2:], math.Float32bits(s1))
		binary.LittleEndian.PutUint32(b[6:], math.Float32bits(s2))
		specials := []float32{1, -2.5, 0, float32(math.Copysign(0, -1)), 1e-40, 3e38, float32(math.Inf(1)), float32(math.NaN()), 0.125, -7}
		for i := range 4 * n {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(specials[(i*7)%len(specials)]*float32(i%5+1)))
		}
		return b
	}
	for k := range fuzzTrainKernels {
		f.Add(seed(byte(k), 9, 0.01, 0.9, 37))
		f.Add(seed(byte(k), 0, 1e-3, 1e-8, 17))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 10 {
			return
		}
		name := fuzzTrainKernels[int(data[0])%len(fuzzTrainKernels)]
		cols := int(data[1]) + 1
		s1 := math.Float32frombits(binary.LittleEndian.Uint32(data[2:]))
		s2 := math.Float32frombits(binary.LittleEndian.Uint32(data[6:]))
		data = data[10:]
		n := min(len(data)/16, chunk)
		a, b, c, d := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
		word := func(i, j int) float32 { return math.Float32frombits(binary.LittleEndian.Uint32(data[16*i+4*j:])) }
		for i := range n {
			a[i], b[i], c[i], d[i] = word(i, 0), word(i, 1), word(i, 2), word(i, 3)
		}
		saved := active
		defer func() { active = saved }()
		for _, tier := range availableISAs() {
			active = tier
			fuzzTrainCheck(t, tier, name, cols, s1, s2, a, b, c, d)
		}
	})
}

// fuzzTrainCheck runs kernel name's dispatch point on tier and the generic
// code on copies of the decoded values a, b, c, d, and compares the results.
func fuzzTrainCheck(t *testing.T, tier isa, name string, cols int, s1, s2 float32, a, b, c, d []float32) {
	t.Helper()
	cp := func(s []float32) []float32 { return append([]float32(nil), s...) }
	n := len(a)
	same := func(what string, got, want []float32) {
		t.Helper()
		for i := range want {
			if !sameOrBothNaN(got[i], want[i]) {
				t.Fatalf("isa=%v %s: %s[%d] = %v, generic %v", tier, name, what, i, got[i], want[i])
			}
		}
	}
	switch name {
	case "BiasAdd", "ColSums", "SoftmaxCrossEntropy":
		rows := n / cols
		if rows == 0 {
			return
		}
		x := a[:rows*cols]
		switch name {
		case "BiasAdd":
			bias := b[:cols]
			got, want := make([]float32, len(x)), make([]float32, len(x))
			biasAdd(got, x, bias)
			biasAddGeneric(want, x, bias)
			same("dst", got, want)
		case "ColSums":
			got, want := make([]float32, cols), make([]float32, cols)
			colSumsAcc(got, x)
			colSumsAccGeneric(want, x)
			same("dst", got, want)
		default:
			labels := make([]int32, rows)
			for r := range labels {
				labels[r] = int32(math.Float32bits(b[r*cols]) % uint32(cols))
			}
			got, want := make([]float32, len(x)), make([]float32, len(x))
			loss := softmaxCrossEntropy(got, x, labels, s1)
			wantLoss := softmaxCrossEntropyGeneric(want, x, labels, s1)
			if loss != wantLoss && !(loss != loss && wantLoss != wantLoss) && !(math.Abs(loss-wantLoss) <= float64(rows)*0x1p-21) {
				t.Fatalf("isa=%v %s: loss = %v, generic %v", tier, name, loss, wantLoss)
			}
			for i := range got {
				if sameOrBothNaN(got[i], want[i]) {
					continue
				}
				p := float64(want[i]) / float64(s1)
				if i%cols == int(labels[i/cols]) {
					p++
				}
				bound := math.Abs(float64(s1))*0x1p-20*(math.Abs(p)+0x1p-100) + 0x1p-23*math.Abs(float64(want[i])) + 0x1p-149
				if d := math.Abs(float64(got[i]) - float64(want[i])); !(d <= bound) {
					t.Fatalf("isa=%v %s: grad[%d] = %v, generic %v (|diff| %g > %g)", tier, name, i, got[i], want[i], d, bound)
				}
			}
		}
	case "SGDMomentum", "SGDNesterov":
		nesterov := name == "SGDNesterov"
		w1, v1, w2, v2 := cp(a), cp(b), cp(a), cp(b)
		sgdMomentum(w1, v1, c, s1, s2, nesterov)
		sgdMomentumGeneric(w2, v2, c, s1, s2, nesterov)
		same("w", w1, w2)
		same("v", v1, v2)
	case "Adam":
		v := cp(c)
		for i := range v {
			v[i] = float32(math.Abs(float64(v[i])))
		}
		w1, m1, v1 := cp(a), cp(b), cp(v)
		w2, m2, v2 := cp(a), cp(b), cp(v)
		adam(w1, m1, v1, d, s1, 0.9, 0.999, s2, 1.25)
		adamGeneric(w2, m2, v2, d, s1, 0.9, 0.999, s2, 1.25)
		same("w", w1, w2)
		same("m", m1, m2)
		same("v", v1, v2)
	case "DropoutApply":
		keep := make([]uint64, (n+63)/64)
		for i, v := range d {
			if math.Signbit(float64(v)) {
				keep[i/64] |= 1 << (i % 64)
			}
		}
		got, want := make([]float32, n), make([]float32, n)
		dropoutApply(got, a, keep, s1)
		dropoutApplyGeneric(want, a, keep, s1)
		same("dst", got, want)
	}
}
