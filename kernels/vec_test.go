package kernels

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

// Tests for the elementwise kernels: every exported kernel on every tier is
// compared bit for bit with its generic reference over lengths that cross
// every loop and tail boundary, misaligned slices, guarded outputs, in-place
// use and special values.

// vecGuardBits fills the elements around every output. It is a NaN with a
// payload no kernel produces, so a stray write is visible whatever it writes.
const vecGuardBits = 0x7fa5a5a5

// vecGuardLen is how many guard elements sit on each side of an output.
const vecGuardLen = 8

// vecSpecials are the values that most often expose a wrong instruction or a
// wrong operand order: NaN, infinities, signed zeros, subnormals, extremes.
var vecSpecials = []float32{
	float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)),
	0, float32(math.Copysign(0, -1)), 1, -1, 0.5, -2.5,
	math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32,
	0x1p-127, -0x1.8p-130, // subnormal
	0x1p-126, -0x1p-126, // smallest normal
	math.MaxFloat32, -math.MaxFloat32, 0x1p64, -0x1p-64,
	math.Float32frombits(0x7fc12345), // NaN with a payload
	math.Float32frombits(0xffc00001), // negative NaN
}

// vecSameBits reports whether a and b are the same float32, bit for bit, or
// both NaN: the package does not specify NaN payloads (x86 and ARM pick
// different operands' payloads when both inputs are NaN).
func vecSameBits(a, b float32) bool {
	return math.Float32bits(a) == math.Float32bits(b) || (a != a && b != b)
}

// vecInput returns n values: mostly in [-4, 4), with a share of specials
// (share 0 gives none, 1 gives only specials).
func vecInput(r *rand.Rand, n int, share float64) []float32 {
	s := make([]float32, n)
	for i := range s {
		if r.Float64() < share {
			s[i] = vecSpecials[r.IntN(len(vecSpecials))]
		} else {
			s[i] = float32(r.Float64()*8 - 4)
		}
	}
	return s
}

// vecBuffer is a slice of n elements at element offset off inside a larger
// allocation, with vecGuardLen guard elements on both sides.
type vecBuffer struct {
	all []float32
	lo  int // index of s[0] in all
	s   []float32
}

func newVecBuffer(n, off int) *vecBuffer {
	all := make([]float32, vecGuardLen+off+n+vecGuardLen)
	for i := range all {
		all[i] = math.Float32frombits(vecGuardBits)
	}
	lo := vecGuardLen + off
	return &vecBuffer{all: all, lo: lo, s: all[lo : lo+n : lo+n]}
}

// checkGuards reports an error for each guard element that changed.
func (b *vecBuffer) checkGuards(t *testing.T, what string) {
	t.Helper()
	for i, v := range b.all {
		if i >= b.lo && i < b.lo+len(b.s) {
			continue
		}
		if math.Float32bits(v) != vecGuardBits {
			t.Errorf("%s: guard element %d (relative to dst[0]) overwritten with %v", what, i-b.lo, v)
			return
		}
	}
}

// vecOp describes one elementwise kernel for the table-driven tests. run
// calls the exported kernel, ref the generic one; both write dst from x and
// y. For Axpy, which updates y in place, dst starts as a copy of y and is the
// slice updated.
type vecOp struct {
	name   string
	binary bool // uses y
	run    func(dst, x, y []float32)
	ref    func(dst, x, y []float32)
}

func vecOps(scalar float32) []vecOp {
	return []vecOp{
		{"Add", true, Add, addGeneric},
		{"Sub", true, Sub, subGeneric},
		{"Mul", true, Mul, mulGeneric},
		{"Div", true, Div, divGeneric},
		{"Scale", false,
			func(dst, x, _ []float32) { Scale(dst, scalar, x) },
			func(dst, x, _ []float32) { scaleGeneric(dst, scalar, x) }},
		{"AddScalar", false,
			func(dst, x, _ []float32) { AddScalar(dst, x, scalar) },
			func(dst, x, _ []float32) { addScalarGeneric(dst, x, scalar) }},
		{"Axpy", true,
			func(dst, x, y []float32) { copy(dst, y); Axpy(scalar, x, dst) },
			func(dst, x, y []float32) { copy(dst, y); axpyGeneric(scalar, x, dst) }},
		{"ReLU", false, func(dst, x, _ []float32) { ReLU(dst, x) }, func(dst, x, _ []float32) { reluGeneric(dst, x) }},
		{"ReLUGrad", true, reluGradXY, func(dst, x, y []float32) { reluGradGeneric(dst, y, x) }},
	}
}

// reluGradXY adapts ReLUGrad to the table's (dst, x, y) order: x is the
// forward input, y the incoming gradient dy.
func reluGradXY(dst, x, y []float32) { ReLUGrad(dst, y, x) }

// vecLengths are the lengths every sweep covers: all of 0..65 (four 16-lane
// vectors plus one, so every loop, step and tail of every tier), and sizes
// that cross a chunk.
func vecLengths() []int {
	var ns []int
	for n := 0; n <= 65; n++ {
		ns = append(ns, n)
	}
	ns = append(ns, 1000, chunk+3)
	if !testing.Short() {
		ns = append(ns, 100003)
	}
	return ns
}

// checkVecOp runs op on copies of x and y at the given offsets and compares
// with the reference, checking guards and that the inputs are unchanged.
func checkVecOp(t *testing.T, op vecOp, x, y []float32, offDst, offX, offY int) {
	t.Helper()
	n := len(x)
	want := make([]float32, n)
	op.ref(want, x, y)

	dst := newVecBuffer(n, offDst)
	xb := newVecBuffer(n, offX)
	yb := newVecBuffer(n, offY)
	copy(xb.s, x)
	copy(yb.s, y)
	op.run(dst.s, xb.s, yb.s)
	what := fmt.Sprintf("%s n=%d offsets=%d,%d,%d", op.name, n, offDst, offX, offY)
	for i := range want {
		if !vecSameBits(dst.s[i], want[i]) {
			t.Fatalf("%s: dst[%d] = %v (%#08x), generic gives %v (%#08x); x = %v, y = %v",
				what, i, dst.s[i], math.Float32bits(dst.s[i]), want[i], math.Float32bits(want[i]), x[i], y[i])
		}
	}
	dst.checkGuards(t, what+" dst")
	for i := range x {
		if math.Float32bits(xb.s[i]) != math.Float32bits(x[i]) || math.Float32bits(yb.s[i]) != math.Float32bits(y[i]) {
			t.Fatalf("%s: input changed at %d", what, i)
		}
	}
	xb.checkGuards(t, what+" x")
	yb.checkGuards(t, what+" y")
}

func TestVecMatchesGeneric(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		for _, op := range vecOps(0.75) {
			t.Run(op.name, func(t *testing.T) {
				for _, n := range vecLengths() {
					x := vecInput(r, n, 0.05)
					y := vecInput(r, n, 0.05)
					offsets := 8
					if n > 65 {
						offsets = 2
					}
					for off := range offsets {
						checkVecOp(t, op, x, y, off, (off+3)%8, (off+5)%8)
					}
				}
			})
		}
	})
}

// TestVecSpecialValues pairs every special value with every other, and uses
// specials as the scalar operand of Scale, AddScalar and Axpy.
func TestVecSpecialValues(t *testing.T) {
	var x, y []float32
	for _, a := range vecSpecials {
		for _, b := range vecSpecials {
			x = append(x, a)
			y = append(y, b)
		}
	}
	forEachISA(t, func(t *testing.T) {
		for _, s := range append([]float32{0.75}, vecSpecials...) {
			for _, op := range vecOps(s) {
				usesScalar := op.name == "Scale" || op.name == "AddScalar" || op.name == "Axpy"
				if !usesScalar && s != 0.75 {
					continue // same inputs as the first round
				}
				t.Run(fmt.Sprintf("%s/scalar=%v", op.name, s), func(t *testing.T) {
					checkVecOp(t, op, x, y, 1, 2, 3)
				})
			}
		}
	})
}

// TestVecSemantics checks the documented special cases directly, not only
// against generic code, so a mistake shared by all tiers is caught too.
func TestVecSemantics(t *testing.T) {
	negZero := float32(math.Copysign(0, -1))
	nan := float32(math.NaN())
	inf := float32(math.Inf(1))
	x := []float32{negZero, 0, -1, 2, nan, inf, float32(math.Inf(-1)), math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32}
	// Repeat to fill full vectors and tails on every tier.
	for len(x) < 70 {
		x = append(x, x[:9]...)
	}
	x = x[:70]
	dy := make([]float32, len(x))
	for i := range dy {
		dy[i] = float32(i + 1)
	}
	forEachISA(t, func(t *testing.T) {
		out := make([]float32, len(x))
		ReLU(out, x)
		for i, v := range x {
			var want float32 // +0
			if v > 0 || v != v {
				want = v
			}
			if !vecSameBits(out[i], want) || (v == 0 && math.Signbit(float64(out[i]))) {
				t.Errorf("ReLU(%v) = %v, want %v", v, out[i], want)
			}
		}
		ReLUGrad(out, dy, x)
		for i, v := range x {
			want := float32(0)
			if v > 0 {
				want = dy[i]
			}
			if math.Float32bits(out[i]) != math.Float32bits(want) {
				t.Errorf("ReLUGrad(dy=%v, x=%v) = %v, want %v", dy[i], v, out[i], want)
			}
		}
		// Axpy is fused: alpha*x + y with one rounding. 1+2^-23 squared is
		// 1 + 2^-22 + 2^-46; minus (1 + 2^-22) leaves exactly 2^-46, where
		// a rounded product would leave 0.
		a := float32(1 + 0x1p-23)
		ys := []float32{-(1 + 0x1p-22)}
		Axpy(a, []float32{a}, ys)
		if ys[0] != 0x1p-46 {
			t.Errorf("Axpy is not fused: got %v, want 2^-46", ys[0])
		}
		// Division by zero and 0/0.
		d := make([]float32, 3)
		Div(d, []float32{1, -1, 0}, []float32{0, 0, 0})
		if !math.IsInf(float64(d[0]), 1) || !math.IsInf(float64(d[1]), -1) || d[2] == d[2] {
			t.Errorf("Div(1,-1,0 / 0) = %v, want +Inf -Inf NaN", d)
		}
	})
}

// TestVecInPlace runs every kernel with dst aliasing x, and with dst
// aliasing y, comparing with an out-of-place generic run.
func TestVecInPlace(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	forEachISA(t, func(t *testing.T) {
		for _, n := range []int{0, 1, 7, 8, 9, 31, 33, 63, 65, 1000, chunk + 5} {
			x := vecInput(r, n, 0.05)
			y := vecInput(r, n, 0.05)
			for _, op := range vecOps(-1.25) {
				want := make([]float32, n)
				op.ref(want, x, y)
				aliases := []string{"dst=x"}
				if op.binary {
					aliases = append(aliases, "dst=y")
				}
				for _, alias := range aliases {
					got := make([]float32, n)
					switch {
					case op.name == "Axpy" && alias == "dst=x":
						continue // Axpy's output is y by definition
					case op.name == "Axpy":
						copy(got, y)
						Axpy(-1.25, x, got)
					case alias == "dst=x":
						copy(got, x)
						op.run(got, got, y)
					default:
						copy(got, y)
						op.run(got, x, got)
					}
					for i := range want {
						if !vecSameBits(got[i], want[i]) {
							t.Fatalf("%s %s n=%d: [%d] = %v, want %v", op.name, alias, n, i, got[i], want[i])
						}
					}
				}
			}
		}
	})
}

// vecPanicMessage runs f and returns the message it panicked with, or "" if
// it did not panic.
func vecPanicMessage(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

func TestVecLengthMismatchPanics(t *testing.T) {
	a3, a4 := make([]float32, 3), make([]float32, 4)
	cases := []struct {
		fn   string
		call func()
	}{
		{"Add", func() { Add(a3, a4, a3) }},
		{"Sub", func() { Sub(a3, a3, a4) }},
		{"Mul", func() { Mul(a4, a3, a3) }},
		{"Div", func() { Div(a3, a4, a4) }},
		{"Scale", func() { Scale(a3, 2, a4) }},
		{"AddScalar", func() { AddScalar(a4, a3, 2) }},
		{"Axpy", func() { Axpy(2, a3, a4) }},
		{"ReLU", func() { ReLU(a3, a4) }},
		{"ReLUGrad", func() { ReLUGrad(a3, a3, a4) }},
	}
	for _, c := range cases {
		msg := vecPanicMessage(c.call)
		if !strings.Contains(msg, "kernels."+c.fn+":") || !strings.Contains(msg, "= 3") || !strings.Contains(msg, "= 4") {
			t.Errorf("%s with lengths 3 and 4 panicked with %q; want the function name and both lengths", c.fn, msg)
		}
	}
}

func TestVecNoAllocs(t *testing.T) {
	x := make([]float32, chunk+100)
	y := make([]float32, len(x))
	dst := make([]float32, len(x))
	forEachISA(t, func(t *testing.T) {
		for _, op := range vecOps(0.5) {
			run := op.run
			if op.name == "Axpy" {
				run = func(dst, x, _ []float32) { Axpy(0.5, x, dst) } // no test-side copy
			}
			if a := testing.AllocsPerRun(10, func() { run(dst, x, y) }); a != 0 {
				t.Errorf("%s allocates %v times per call", op.name, a)
			}
		}
	})
}

// TestFMA32 checks the generic fused multiply-add, and every tier's Axpy,
// against exact big.Float arithmetic rounded once to float32
// (big.Float.Float32 rounds to nearest even, subnormals included). The
// inputs aim at the hard cases: wide exponent ranges, near-total
// cancellation, addends next to the product, subnormal and overflowing
// results.
func TestFMA32(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	randF := func(minExp, maxExp int) float32 {
		m := 1 + r.Float64()
		v := float32(math.Ldexp(m, minExp+r.IntN(maxExp-minExp+1)))
		if r.IntN(2) == 0 {
			v = -v
		}
		return v
	}
	exactFMA := func(a, b, c float32) float32 {
		e := new(big.Float).SetPrec(1000).SetFloat64(float64(a))
		e.Mul(e, new(big.Float).SetFloat64(float64(b)))
		e.Add(e, new(big.Float).SetFloat64(float64(c)))
		f, _ := e.Float32()
		return f
	}
	// Batches share alpha (as Axpy does); 37 elements cover the vector
	// loops and the tails of every tier.
	const batch = 37
	batches := 4000
	if testing.Short() {
		batches = 400
	}
	var alphas []float32
	var xs, ys, want [][]float32
	for k := range batches {
		a := randF(-70, 70)
		if k%4 == 3 {
			a = randF(-80, -60) // tiny alpha for the subnormal batch
		}
		x, y, w := make([]float32, batch), make([]float32, batch), make([]float32, batch)
		for i := range x {
			x[i] = randF(-70, 70)
			switch k % 4 {
			case 0: // unrelated addend
				y[i] = randF(-140, 140)
			case 1: // cancel the rounded product: the result is its rounding error
				y[i] = -(a * x[i])
			case 2: // addend one ulp beside the rounded product
				y[i] = -math.Nextafter32(a*x[i], float32(math.Inf(r.IntN(2)*2-1)))
			case 3: // tiny operands: subnormal products and results
				x[i], y[i] = randF(-80, -60), randF(-149, -120)
			}
		}
		for i := range x {
			w[i] = exactFMA(a, x[i], y[i])
			if got := fma32(a, x[i], y[i]); math.Float32bits(got) != math.Float32bits(w[i]) {
				t.Fatalf("fma32(%g, %g, %g) = %g (%#08x), exact rounding gives %g (%#08x)",
					a, x[i], y[i], got, math.Float32bits(got), w[i], math.Float32bits(w[i]))
			}
		}
		alphas, xs, ys, want = append(alphas, a), append(xs, x), append(ys, y), append(want, w)
	}
	for _, c := range [][3]float32{
		{math.MaxFloat32, 2, -math.MaxFloat32}, // exact result despite an overflowing product
		{math.MaxFloat32, 1.5, 0},              // overflow to +Inf
		{2, 3, -6},                             // exact zero: +0
		{float32(math.Copysign(0, -1)), 1, float32(math.Copysign(0, -1))}, // -0 + -0 = -0
	} {
		if got, w := fma32(c[0], c[1], c[2]), exactFMA(c[0], c[1], c[2]); math.Float32bits(got) != math.Float32bits(w) {
			t.Errorf("fma32(%g, %g, %g) = %g, want %g", c[0], c[1], c[2], got, w)
		}
	}
	forEachISA(t, func(t *testing.T) {
		got := make([]float32, batch)
		for k := range alphas {
			copy(got, ys[k])
			Axpy(alphas[k], xs[k], got)
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(want[k][i]) {
					t.Fatalf("Axpy(%g, x[%d]=%g, y[%d]=%g) = %g, exact rounding gives %g",
						alphas[k], i, xs[k][i], i, ys[k][i], got[i], want[k][i])
				}
			}
		}
	})
}
