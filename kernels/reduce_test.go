package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// Tests for the reductions. Dot, Sum and SumSquares are compared with a
// float64 reference within the documented bound (reduceBound); ArgMax and Max
// exactly with the rule in ArgMax's doc.

// reduceBound is the error bound documented in the package doc for Dot, Sum
// and SumSquares on n terms whose absolute values sum to absSum:
//
//	|got - exact| <= (n/8 + 24) * 2^-24 * absSum + n * 2^-149
//
// The first term covers float32 accumulation in at least 8 independent
// partial sums (each term is rounded into its lane at most n/8 + a few times,
// then the tree, the tail and the per-chunk combination add a handful more);
// the second covers rounding in the subnormal range. The float64 reference's
// own error, below n * 2^-53 * absSum, is added by the caller.
func reduceBound(n int, absSum float64) float64 {
	return (float64(n)/8+24)*0x1p-24*absSum + float64(n)*0x1p-149
}

type reduceOp struct {
	name string
	run  func(x, y []float32) float32
	term func(x, y float32) float64 // exact in float64
}

var reduceOps = []reduceOp{
	{"Dot", Dot, func(x, y float32) float64 { return float64(x) * float64(y) }},
	{"Sum", func(x, _ []float32) float32 { return Sum(x) }, func(x, _ float32) float64 { return float64(x) }},
	{"SumSquares", func(x, _ []float32) float32 { return SumSquares(x) }, func(x, _ float32) float64 { return float64(x) * float64(x) }},
}

// checkReduce compares one reduction of x (and y) with the float64
// reference, and checks that the inputs are unchanged and the result is the
// same on a second call.
func checkReduce(t *testing.T, op reduceOp, x, y []float32, what string) {
	t.Helper()
	var want, absSum float64
	for i := range x {
		v := op.term(x[i], y[i])
		want += v
		absSum += math.Abs(v)
	}
	xc, yc := append([]float32(nil), x...), append([]float32(nil), y...)
	got := op.run(x, y)
	if again := op.run(x, y); math.Float32bits(again) != math.Float32bits(got) {
		t.Fatalf("%s %s: not deterministic: %v then %v", op.name, what, got, again)
	}
	tol := reduceBound(len(x), absSum) + float64(len(x))*0x1p-53*absSum
	if err := math.Abs(float64(got) - want); !(err <= tol) {
		t.Fatalf("%s %s: got %v, float64 reference %v: error %.3g exceeds the bound %.3g", op.name, what, got, want, err, tol)
	}
	for i := range x {
		if math.Float32bits(x[i]) != math.Float32bits(xc[i]) || math.Float32bits(y[i]) != math.Float32bits(yc[i]) {
			t.Fatalf("%s %s: input changed at %d", op.name, what, i)
		}
	}
}

func TestReduceWithinBound(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(5, 6))
		for _, op := range reduceOps {
			t.Run(op.name, func(t *testing.T) {
				for _, n := range vecLengths() {
					offsets := 8
					if n > 65 {
						offsets = 2
					}
					x := vecInput(r, n+8, 0)
					y := vecInput(r, n+8, 0)
					for off := range offsets {
						xo, yo := x[off:off+n], y[(off+3)%8:(off+3)%8+n]
						checkReduce(t, op, xo, yo, fmt.Sprintf("n=%d off=%d", n, off))
					}
				}
				// Cancellation-heavy input: large terms of both signs.
				x := vecInput(r, 5000, 0)
				for i := range x {
					x[i] *= float32(math.Pow(2, float64(r.IntN(40)-20)))
				}
				checkReduce(t, op, x, vecInput(r, 5000, 0), "wide exponents")
				// Subnormal terms.
				for i := range x {
					x[i] = math.Float32frombits(uint32(r.IntN(0x800000))) // positive subnormals
				}
				checkReduce(t, op, x, x, "subnormals")
			})
		}
	})
}

// TestReduceSpecialValues checks NaN and infinity propagation, which must be
// the same on every tier: NaN anywhere gives NaN, +Inf alone gives +Inf,
// +Inf and -Inf together give NaN. Inputs stay below overflow otherwise.
func TestReduceSpecialValues(t *testing.T) {
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	forEachISA(t, func(t *testing.T) {
		for _, n := range []int{1, 7, 8, 9, 17, 64, 129, 1000} {
			for _, pos := range []int{0, n / 2, n - 1} {
				ones := func() []float32 {
					s := make([]float32, n)
					for i := range s {
						s[i] = 1
					}
					return s
				}
				x, y := ones(), ones()
				x[pos] = nan
				for _, op := range reduceOps {
					if got := op.run(x, y); got == got {
						t.Errorf("%s with NaN at %d of %d = %v, want NaN", op.name, pos, n, got)
					}
				}
				x[pos] = inf
				for _, op := range reduceOps {
					if got := op.run(x, y); !math.IsInf(float64(got), 1) {
						t.Errorf("%s with +Inf at %d of %d = %v, want +Inf", op.name, pos, n, got)
					}
				}
				y[pos] = 0
				if got := Dot(x, y); got == got {
					t.Errorf("Dot with Inf*0 at %d of %d = %v, want NaN", pos, n, got)
				}
				if n > 1 {
					x[(pos+1)%n] = -inf
					if got := Sum(x); got == got {
						t.Errorf("Sum with +Inf and -Inf = %v, want NaN", got)
					}
				}
			}
		}
		for _, op := range reduceOps {
			if got := op.run(nil, nil); math.Float32bits(got) != 0 {
				t.Errorf("%s(empty) = %v, want +0", op.name, got)
			}
		}
	})
}

// argMaxByRule is ArgMax's documented rule written as plainly as possible:
// the first NaN if there is one, else the first index of the maximum, with
// -0 == +0.
func argMaxByRule(x []float32) int {
	for i, v := range x {
		if v != v {
			return i
		}
	}
	best := -1
	for i, v := range x {
		if best < 0 || v > x[best] {
			best = i
		}
	}
	return best
}

// argMaxInputs returns inputs that probe ArgMax's rules: ties (including
// -0/+0) within a vector, across blocks and across chunks, NaN in various
// places, all -Inf.
func argMaxInputs(r *rand.Rand, n int) [][]float32 {
	negZero := float32(math.Copysign(0, -1))
	var out [][]float32
	// Values from a tiny set, so the maximum repeats.
	small := []float32{-1, negZero, 0, -3, float32(math.Inf(-1))}
	x := make([]float32, n)
	for i := range x {
		x[i] = small[r.IntN(len(small))]
	}
	out = append(out, x)
	// Random values with a NaN or two.
	x = vecInput(r, n, 0)
	if n > 0 {
		x[r.IntN(n)] = float32(math.NaN())
		x[r.IntN(n)] = math.Float32frombits(0xffc00001)
	}
	out = append(out, x)
	// Strictly increasing then a later tie: the first of the two wins.
	x = make([]float32, n)
	for i := range x {
		x[i] = float32(i % 1500)
	}
	out = append(out, x)
	// All -Inf.
	x = make([]float32, n)
	for i := range x {
		x[i] = float32(math.Inf(-1))
	}
	out = append(out, x)
	// Random values, no NaN.
	out = append(out, vecInput(r, n, 0))
	// -0 first, +0 later, the rest negative: -0's index wins.
	x = make([]float32, n)
	for i := range x {
		x[i] = -1
	}
	if n > 1 {
		x[n/3], x[n-1] = negZero, 0
	}
	out = append(out, x)
	return out
}

func TestArgMax(t *testing.T) {
	lengths := append(vecLengths(), argMaxBlock-1, argMaxBlock, argMaxBlock+1, 3*argMaxBlock+17, 2*chunk+7)
	forEachISA(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(7, 8))
		for _, n := range lengths {
			for k, x := range argMaxInputs(r, n) {
				offsets := 8
				if n > 65 {
					offsets = 1
				}
				for off := range offsets {
					buf := make([]float32, off+n)
					xo := buf[off:]
					copy(xo, x)
					want := argMaxByRule(xo)
					got := ArgMax(xo)
					if got != want {
						t.Fatalf("input %d n=%d off=%d: ArgMax = %d, want %d (x[got] = %v, x[want] = %v)",
							k, n, off, got, want, valueAt(xo, got), valueAt(xo, want))
					}
					m := Max(xo)
					if n == 0 {
						if !math.IsInf(float64(m), -1) {
							t.Fatalf("Max(empty) = %v, want -Inf", m)
						}
						continue
					}
					if math.Float32bits(m) != math.Float32bits(xo[want]) {
						t.Fatalf("input %d n=%d: Max = %v (%#08x), want x[ArgMax] = %v (%#08x)",
							k, n, m, math.Float32bits(m), xo[want], math.Float32bits(xo[want]))
					}
				}
			}
		}
	})
}

// valueAt returns x[i], or NaN for an index out of range, for messages.
func valueAt(x []float32, i int) float32 {
	if i < 0 || i >= len(x) {
		return float32(math.NaN())
	}
	return x[i]
}

// TestMaxBlockIndexOf tests ArgMax's two vector kernels against their generic
// references directly, including indexOf's not-found result.
func TestMaxBlockIndexOf(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(9, 10))
		for n := 1; n <= 200; n++ {
			for _, x := range argMaxInputs(r, n) {
				gotM, wantM := maxBlock(x), maxBlockGeneric(x)
				if gotM != wantM && !(gotM != gotM && wantM != wantM) {
					t.Fatalf("n=%d: maxBlock = %v, generic %v", n, gotM, wantM)
				}
				if wantM != wantM {
					continue
				}
				if got, want := indexOf(x, wantM), indexOfGeneric(x, wantM); got != want {
					t.Fatalf("n=%d: indexOf(%v) = %d, generic %d", n, wantM, got, want)
				}
				if got := indexOf(x, 12345); got != n {
					t.Fatalf("n=%d: indexOf(absent) = %d, want %d", n, got, n)
				}
			}
		}
	})
}

func TestReduceLengthMismatchPanics(t *testing.T) {
	msg := vecPanicMessage(func() { Dot(make([]float32, 3), make([]float32, 4)) })
	if !strings.Contains(msg, "kernels.Dot:") || !strings.Contains(msg, "= 3") || !strings.Contains(msg, "= 4") {
		t.Errorf("Dot with lengths 3 and 4 panicked with %q; want the function name and both lengths", msg)
	}
}

func TestReduceNoAllocs(t *testing.T) {
	x := vecInput(rand.New(rand.NewPCG(1, 1)), chunk+100, 0)
	forEachISA(t, func(t *testing.T) {
		for name, f := range map[string]func(){
			"Dot":        func() { Dot(x, x) },
			"Sum":        func() { Sum(x) },
			"SumSquares": func() { SumSquares(x) },
			"ArgMax":     func() { ArgMax(x) },
			"Max":        func() { Max(x) },
		} {
			if a := testing.AllocsPerRun(10, f); a != 0 {
				t.Errorf("%s allocates %v times per call", name, a)
			}
		}
	})
}
