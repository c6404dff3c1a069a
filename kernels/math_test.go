package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// mathKernel is one elementwise transcendental: its exported entry point, a
// float64 reference and the worst error, in float32 ulp, the package promises.
type mathKernel struct {
	name    string
	fn      func(dst, x []float32)
	ref     func(x float64) float64
	maxUlps float64
}

var mathKernels = []mathKernel{
	{"Exp", Exp, math.Exp, 2},
	{"Sigmoid", Sigmoid, func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }, 4},
	{"Tanh", Tanh, math.Tanh, 4},
}

// mathUlpErr is the distance from got to the exact value want in units of the
// float32 spacing at want: subnormal spacing 2**-149 below the smallest
// normal, and overflow counted as 2**128 so that a result of +Inf where the
// exact value is just below the overflow threshold counts as about one ulp.
// NaN must match NaN; otherwise a NaN on either side is an infinite error.
func mathUlpErr(got float32, want float64) float64 {
	if math.IsNaN(want) || math.IsNaN(float64(got)) {
		if math.IsNaN(want) && math.IsNaN(float64(got)) {
			return 0
		}
		return math.Inf(1)
	}
	const overflow = 0x1p128
	g := max(min(float64(got), overflow), -overflow)
	w := max(min(want, overflow), -overflow)
	var ulp float64
	if a := math.Abs(w); a < 0x1p-126 {
		ulp = 0x1p-149
	} else {
		_, e := math.Frexp(a) // a = f * 2**e, f in [0.5, 1)
		ulp = math.Ldexp(1, e-24)
	}
	return math.Abs(g-w) / ulp
}

// mathWorst records the largest ulp error seen and its input.
type mathWorst struct {
	ulps float64
	x    float32
	got  float32
	want float64
}

// check compares got[i] with the exact values want[i] for the inputs x[i].
// A correctly rounded result is within half an ulp; once the worst case has
// reached that, such results skip the exact (slow) error computation.
func (w *mathWorst) check(x, got []float32, want []float64) {
	for i, v := range x {
		if w.ulps >= 0.5 && got[i] == float32(want[i]) {
			continue
		}
		if e := mathUlpErr(got[i], want[i]); e > w.ulps || math.IsNaN(e) {
			*w = mathWorst{e, v, got[i], want[i]}
		}
	}
}

// checkRef is check with the exact values computed by ref.
func (w *mathWorst) checkRef(x, got []float32, ref func(float64) float64) {
	want := make([]float64, len(x))
	for i, v := range x {
		want[i] = ref(float64(v))
	}
	w.check(x, got, want)
}

func (w mathWorst) String() string {
	return fmt.Sprintf("%.3f ulp at x=%v (%#08x): got %v, want %v",
		w.ulps, w.x, math.Float32bits(w.x), w.got, w.want)
}

// mathSweepInputs returns the inputs of the short accuracy sweep: a stride
// through all 2**32 bit patterns, and every float32 in windows around the
// points where the algorithms change regime or the results change range.
func mathSweepInputs() []float32 {
	const stride = 40009 // prime, so the low mantissa bits vary too
	var xs []float32
	for b := uint64(0); b < 1<<32; b += stride {
		xs = append(xs, math.Float32frombits(uint32(b)))
	}
	window := func(center float32, half int) {
		c := int64(math.Float32bits(center))
		for d := -int64(half); d <= int64(half); d++ {
			if b := c + d; b >= 0 && b < 1<<31 {
				v := math.Float32frombits(uint32(b))
				xs = append(xs, v, -v)
			}
		}
	}
	for _, c := range []float32{
		0, 0x1p-126, 0x1p-20, 0x1p-12, // tiny: tanh(x) = x, subnormal results
		0.34657, 0.5, 0.55, 1, 2, // exp reduction edge; tanh branch point
		9.01, 16.6, 17.4, // tanh and sigmoid saturate to 1
		87.336, 88.7228, 89, // exp: smallest normal result, overflow, clamp
		103.278, 103.972, 104, // exp: smallest subnormal, rounding to 0, clamp
	} {
		window(c, 1<<12)
	}
	return xs
}

// TestMathUlp sweeps float32 inputs for every tier and asserts the ulp bound
// of each function against float64 math. With LANES_ULP_FULL=1 it covers all
// 2**32 inputs (minutes; run it on demand and copy the table into doc.go);
// LANES_ULP_STRIDE=k covers every k-th bit pattern instead, for emulators.
// LANES_ULP_FUNCS=Tanh (a comma-separated list of names) sweeps only those
// functions, so a change to one kernel can be checked exhaustively in a few
// minutes.
func TestMathUlp(t *testing.T) {
	funcs := mathKernels
	if v := os.Getenv("LANES_ULP_FUNCS"); v != "" {
		funcs = nil
		for _, name := range strings.Split(v, ",") {
			i := slices.IndexFunc(mathKernels, func(mk mathKernel) bool { return mk.name == name })
			if i < 0 {
				t.Fatalf("LANES_ULP_FUNCS=%q: no math kernel named %q", v, name)
			}
			funcs = append(funcs, mathKernels[i])
		}
	}
	stride := uint64(0)
	if mathEnvFull() {
		stride = 1
	} else if v := os.Getenv("LANES_ULP_STRIDE"); v != "" {
		k, err := strconv.ParseUint(v, 10, 32)
		if err != nil || k == 0 {
			t.Fatalf("LANES_ULP_STRIDE=%q: want a positive integer", v)
		}
		stride = k
	}
	isas := availableISAs()
	worst := make([][]mathWorst, len(funcs))
	for k := range worst {
		worst[k] = make([]mathWorst, len(isas))
	}
	got := make([]float32, chunk)
	want := make([]float64, chunk)
	run := func(xs []float32) {
		for k, mk := range funcs {
			for i, v := range xs {
				want[i] = mk.ref(float64(v))
			}
			for j, i := range isas {
				withISAOnce(i, func() { mk.fn(got[:len(xs)], xs) })
				worst[k][j].check(xs, got[:len(xs)], want[:len(xs)])
			}
		}
	}
	start := time.Now()
	if stride > 0 {
		xs := make([]float32, 0, chunk)
		for b := uint64(0); b < 1<<32; b += stride {
			xs = append(xs, math.Float32frombits(uint32(b)))
			if len(xs) == chunk {
				run(xs)
				xs = xs[:0]
			}
		}
		run(xs)
	} else {
		xs := mathSweepInputs()
		for len(xs) > 0 {
			n := min(len(xs), chunk)
			run(xs[:n])
			xs = xs[n:]
		}
	}
	t.Logf("sweep took %v", time.Since(start).Round(time.Second))
	for k, mk := range funcs {
		for j, i := range isas {
			w := worst[k][j]
			t.Logf("%-7s isa=%-7s worst %v", mk.name, i, w)
			if !(w.ulps <= mk.maxUlps) {
				t.Errorf("%s isa=%s: %v exceeds the %g ulp bound", mk.name, i, w, mk.maxUlps)
			}
		}
	}
}

// mathEnvFull reports whether LANES_ULP_FULL=1 asks for the exhaustive sweep.
func mathEnvFull() bool { return os.Getenv("LANES_ULP_FULL") == "1" }

// withISAOnce runs f with the dispatchers switched to tier i.
func withISAOnce(i isa, f func()) {
	saved := active
	active = i
	defer func() { active = saved }()
	f()
}

// mathRandomInputs returns n inputs mixing the interesting ranges: small,
// moderate, the overflow/underflow region, huge, and special values.
func mathRandomInputs(rng *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		switch rng.IntN(8) {
		case 0:
			x[i] = float32(rng.NormFloat64()) * 0.3
		case 1, 2:
			x[i] = float32(rng.NormFloat64()) * 8
		case 3:
			x[i] = float32(rng.Float64()*220 - 110)
		case 4:
			x[i] = math.Float32frombits(rng.Uint32())
		case 5:
			specials := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)),
				float32(math.Inf(-1)), float32(math.NaN()), 0x1p-149, -0x1p-149, 88.72284, -103.97}
			x[i] = specials[rng.IntN(len(specials))]
		default:
			x[i] = float32(rng.NormFloat64()) * 2
		}
	}
	return x
}

// mathGuard is the NaN payload written around outputs; kernels never produce it.
const mathGuard = 0x7fc0dead

func TestMathKernels(t *testing.T) {
	sizes := []int{}
	for n := 0; n <= 65; n++ {
		sizes = append(sizes, n)
	}
	sizes = append(sizes, 127, 1000, chunk-1, chunk, chunk+17)
	if !testing.Short() {
		sizes = append(sizes, 3*chunk+5)
	}
	forEachISA(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(7, uint64(active)))
		for _, mk := range mathKernels {
			for _, n := range sizes {
				for off := 0; off < 8; off++ {
					if n > 65 && off > 1 {
						break // offsets matter for the vector tails; keep big sizes cheap
					}
					mathCheckOne(t, rng, mk, n, off)
				}
			}
		}
	})
}

func mathCheckOne(t *testing.T, rng *rand.Rand, mk mathKernel, n, off int) {
	t.Helper()
	const guard = 8
	xbuf := mathRandomInputs(rng, off+n)
	x := xbuf[off:]
	saved := append([]float32(nil), x...)
	dbuf := make([]float32, off+n+guard)
	for i := range dbuf {
		dbuf[i] = math.Float32frombits(mathGuard)
	}
	dst := dbuf[off : off+n]
	mk.fn(dst, x)
	for i := range dbuf {
		if (i < off || i >= off+n) && math.Float32bits(dbuf[i]) != mathGuard {
			t.Fatalf("%s n=%d off=%d: wrote outside dst at %d", mk.name, n, off, i-off)
		}
	}
	for i := range x {
		if math.Float32bits(x[i]) != math.Float32bits(saved[i]) {
			t.Fatalf("%s n=%d off=%d: input changed at %d", mk.name, n, off, i)
		}
	}
	var w mathWorst
	w.checkRef(x, dst, mk.ref)
	if !(w.ulps <= mk.maxUlps) {
		t.Fatalf("%s n=%d off=%d: %v", mk.name, n, off, w)
	}
	// In place: same bits as out of place.
	y := append([]float32(nil), x...)
	mk.fn(y, y)
	for i := range y {
		if math.Float32bits(y[i]) != math.Float32bits(dst[i]) {
			t.Fatalf("%s n=%d off=%d: in-place result %v differs from %v at %d",
				mk.name, n, off, y[i], dst[i], i)
		}
	}
}

// TestMathSpecialValues puts each special input at every position of a
// vector, so the main loops and the tails all see it.
func TestMathSpecialValues(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	negZero := math.Copysign(0, -1)
	cases := []struct {
		fn   string
		x    float64
		want float64
	}{
		{"Exp", inf, inf}, {"Exp", -inf, 0}, {"Exp", nan, nan},
		{"Exp", 0, 1}, {"Exp", negZero, 1},
		{"Exp", 88.72284, inf}, {"Exp", 1e30, inf}, {"Exp", -103.98, 0}, {"Exp", -1e30, 0},
		{"Exp", math.MaxFloat32, inf}, {"Exp", -math.MaxFloat32, 0},
		{"Sigmoid", inf, 1}, {"Sigmoid", -inf, 0}, {"Sigmoid", nan, nan},
		{"Sigmoid", 0, 0.5}, {"Sigmoid", negZero, 0.5}, {"Sigmoid", 1e30, 1}, {"Sigmoid", -1e30, 0},
		{"Tanh", inf, 1}, {"Tanh", -inf, -1}, {"Tanh", nan, nan},
		{"Tanh", 0, 0}, {"Tanh", negZero, negZero}, {"Tanh", 1e30, 1}, {"Tanh", -1e30, -1},
		{"Tanh", 0x1p-149, 0x1p-149}, {"Tanh", -0x1p-149, -0x1p-149},
	}
	fns := map[string]func(dst, x []float32){"Exp": Exp, "Sigmoid": Sigmoid, "Tanh": Tanh}
	forEachISA(t, func(t *testing.T) {
		for _, c := range cases {
			for _, n := range []int{1, 7, 8, 9, 16, 33, 47} {
				for pos := 0; pos < n; pos++ {
					x := make([]float32, n)
					for i := range x {
						x[i] = 0.25
					}
					x[pos] = float32(c.x)
					dst := make([]float32, n)
					fns[c.fn](dst, x)
					got, want := dst[pos], float32(c.want)
					same := math.Float32bits(got) == math.Float32bits(want) ||
						(math.IsNaN(float64(got)) && math.IsNaN(float64(want)))
					if !same {
						t.Fatalf("%s(%v) = %v (%#08x) at position %d of %d, want %v (%#08x)",
							c.fn, c.x, got, math.Float32bits(got), pos, n, want, math.Float32bits(want))
					}
				}
			}
		}
	})
}

// TestMathDocumentedRanges checks the ranges the function docs promise:
// Tanh(x) = x exactly for |x| < 2**-25 and ±1 from |x| = 9.02 on, Exp
// overflows to +Inf above 88.72 and underflows to 0 below -103.97, Sigmoid
// is 1 from 17.34 on. The thresholds follow from float32 rounding of the
// exact functions.
func TestMathDocumentedRanges(t *testing.T) {
	between := func(lo, hi float32, n int) []float32 {
		xs := make([]float32, 0, n+1)
		for i := 0; i <= n; i++ {
			xs = append(xs, lo+(hi-lo)*float32(i)/float32(n))
		}
		return xs
	}
	var tiny []float32
	for b := uint32(0); b < math.Float32bits(0x1p-25); b += 997 {
		tiny = append(tiny, math.Float32frombits(b), -math.Float32frombits(b))
	}
	cases := []struct {
		name string
		fn   func(dst, x []float32)
		xs   []float32
		want func(x float32) float32
	}{
		{"Tanh tiny", Tanh, tiny, func(x float32) float32 { return x }},
		{"Tanh saturated", Tanh, append(between(9.02, 60, 5000), between(-60, -9.02, 5000)...),
			func(x float32) float32 { return float32(math.Copysign(1, float64(x))) }},
		{"Exp overflow", Exp, between(88.7229, 1e6, 5000), func(float32) float32 { return float32(math.Inf(1)) }},
		{"Exp underflow", Exp, between(-1e6, -103.973, 5000), func(float32) float32 { return 0 }},
		{"Sigmoid saturated", Sigmoid, between(17.34, 1e6, 5000), func(float32) float32 { return 1 }},
	}
	forEachISA(t, func(t *testing.T) {
		for _, c := range cases {
			dst := make([]float32, len(c.xs))
			c.fn(dst, c.xs)
			for i, v := range c.xs {
				if w := c.want(v); math.Float32bits(dst[i]) != math.Float32bits(w) {
					t.Fatalf("%s: f(%v) = %v, want %v (i=%d of %d, bits %#08x)", c.name, v, dst[i], w, i, len(c.xs), math.Float32bits(v))
				}
			}
		}
	})
}

func TestMathLengthMismatchPanics(t *testing.T) {
	fns := map[string]func(dst, x []float32){
		"Exp": Exp, "Sigmoid": Sigmoid, "Tanh": Tanh, "Softmax": Softmax,
	}
	for name, fn := range fns {
		func() {
			defer func() {
				r := recover()
				msg, _ := r.(string)
				if r == nil || !strings.Contains(msg, "kernels."+name+":") ||
					!strings.Contains(msg, "3") || !strings.Contains(msg, "4") {
					t.Errorf("%s with lengths 3 and 4: recovered %v, want a panic naming kernels.%s and both lengths", name, r, name)
				}
			}()
			fn(make([]float32, 3), make([]float32, 4))
		}()
	}
}

func TestMathAllocs(t *testing.T) {
	x := mathRandomInputs(rand.New(rand.NewPCG(1, 1)), 1000)
	dst := make([]float32, len(x))
	forEachISA(t, func(t *testing.T) {
		for name, fn := range map[string]func(dst, x []float32){
			"Exp": Exp, "Sigmoid": Sigmoid, "Tanh": Tanh, "Softmax": Softmax,
		} {
			if a := testing.AllocsPerRun(20, func() { fn(dst, x) }); a != 0 {
				t.Errorf("%s allocates %v times per call", name, a)
			}
		}
	})
}

// softmaxRef is Softmax in float64 on the float32 differences x[i]-max that
// the kernels exponentiate, so only the exp, sum and scale errors remain.
func softmaxRef(x []float32) (p []float64, d []float64) {
	m := float32(math.Inf(-1))
	for _, v := range x {
		m = max(m, v)
	}
	p = make([]float64, len(x))
	d = make([]float64, len(x))
	var s float64
	for i, v := range x {
		d[i] = float64(v - m)
		p[i] = math.Exp(d[i])
		s += p[i]
	}
	for i := range p {
		p[i] /= s
	}
	return p, d
}

func TestSoftmax(t *testing.T) {
	sizes := []int{1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 64, 65, 1000, chunk + 3, 2*chunk + 40}
	forEachISA(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, uint64(active)))
		for _, n := range sizes {
			for trial := 0; trial < 4; trial++ {
				x := make([]float32, n)
				scale := []float64{1, 10, 100, 1e4}[trial]
				for i := range x {
					x[i] = float32(rng.NormFloat64() * scale)
					if trial == 3 {
						x[i] += 1e30 // huge but finite: exp(x) overflows, softmax must not
					}
					if rng.IntN(9) == 0 {
						x[i] = float32(math.Inf(-1))
					}
				}
				x[rng.IntN(n)] = float32(scale) // at least one finite entry
				saved := append([]float32(nil), x...)
				dst := make([]float32, n)
				Softmax(dst, x)
				want, d := softmaxRef(saved)
				var sum float64
				for i := range dst {
					if math.Float32bits(x[i]) != math.Float32bits(saved[i]) {
						t.Fatalf("n=%d: input changed at %d", n, i)
					}
					g := float64(dst[i])
					sum += g
					if math.IsInf(float64(x[i]), -1) && g != 0 {
						t.Fatalf("n=%d: x[%d] = -Inf gives probability %v, want 0", n, i, g)
					}
					// exp within 2 ulp, float32 partial sums of at most
					// chunk/4 terms each (4 on neon, more elsewhere) and one
					// float32 addition per chunk, one division and one
					// product: the bound documented in doc.go.
					tol := want[i]*(8+float64(min(n, chunk))/4+float64(n/chunk))*0x1p-24 + 0x1p-148
					if math.IsNaN(g) || math.Abs(g-want[i]) > tol {
						t.Fatalf("n=%d trial %d: dst[%d] = %v, want %v ± %v (x-max = %v)",
							n, trial, i, g, want[i], tol, d[i])
					}
				}
				if e := math.Abs(sum - 1); e > float64(n+16)*0x1p-24 {
					t.Fatalf("n=%d trial %d: probabilities sum to %v", n, trial, sum)
				}
				// In place gives the same bits.
				y := append([]float32(nil), x...)
				Softmax(y, y)
				for i := range y {
					if math.Float32bits(y[i]) != math.Float32bits(dst[i]) {
						t.Fatalf("n=%d: in-place result differs at %d", n, i)
					}
				}
			}
		}
	})
}

func TestSoftmaxSpecial(t *testing.T) {
	inf := float32(math.Inf(1))
	forEachISA(t, func(t *testing.T) {
		for _, n := range []int{1, 5, 17, 40} {
			allNaN := func(name string, x []float32) {
				dst := make([]float32, n)
				Softmax(dst, x)
				for i, v := range dst {
					if !math.IsNaN(float64(v)) {
						t.Fatalf("n=%d %s: dst[%d] = %v, want NaN", n, name, i, v)
					}
				}
			}
			x := make([]float32, n)
			for i := range x {
				x[i] = -inf
			}
			allNaN("all -Inf", x)
			for i := range x {
				x[i] = float32(i)
			}
			x[n/2] = float32(math.NaN())
			allNaN("one NaN", x)
			// A single finite entry among -Inf gets all the probability.
			for i := range x {
				x[i] = -inf
			}
			x[n-1] = 3
			dst := make([]float32, n)
			Softmax(dst, x)
			for i, v := range dst {
				if want := float32(0); i == n-1 && v != 1 || i != n-1 && v != want {
					t.Fatalf("n=%d one finite entry: dst[%d] = %v", n, i, v)
				}
			}
		}
	})
}

// TestExpShiftSum checks the returned sum of each tier against a float64 sum
// of the values it wrote.
func TestExpShiftSum(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(5, 5))
		for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 100, chunk} {
			x := make([]float32, n)
			for i := range x {
				x[i] = float32(rng.Float64()*-30 + 1)
			}
			dst := make([]float32, n)
			s := expShiftSum(dst, x, 1)
			var want float64
			for i, v := range dst {
				want += float64(v)
				if e := mathUlpErr(v, math.Exp(float64(x[i]-1))); e > 2 {
					t.Fatalf("n=%d: dst[%d] off by %v ulp", n, i, e)
				}
			}
			if tol := want * float64(n/4+2) * 0x1p-24; math.Abs(float64(s)-want) > tol {
				t.Fatalf("n=%d: sum = %v, want %v ± %v", n, s, want, tol)
			}
		}
	})
}

// FuzzMath runs each function on fuzzed inputs for every tier and checks the
// ulp bound against float64 math, at a fuzzed offset so the tails vary.
func FuzzMath(f *testing.F) {
	f.Add([]byte{0, 0, 0x80, 0x3f, 0, 0, 0x80, 0x7f}, uint8(0), uint8(0))
	f.Add([]byte{0xcd, 0xcc, 0x0c, 0x3f, 0x01, 0, 0, 0, 0, 0, 0xc0, 0xff}, uint8(2), uint8(3))
	f.Add([]byte{0x3d, 0x72, 0xb1, 0x42, 0xf8, 0xc3, 0xcf, 0xc2, 0, 0, 0xb2, 0x42, 1, 2, 3, 4, 5}, uint8(1), uint8(7))
	f.Fuzz(func(t *testing.T, data []byte, op uint8, off uint8) {
		n := len(data) / 4
		buf := make([]float32, int(off%8)+n)
		x := buf[off%8:]
		for i := range x {
			b := data[4*i : 4*i+4]
			x[i] = math.Float32frombits(uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24)
		}
		mk := mathKernels[int(op)%len(mathKernels)]
		dst := make([]float32, n)
		for _, i := range availableISAs() {
			withISAOnce(i, func() { mk.fn(dst, x) })
			var w mathWorst
			w.checkRef(x, dst, mk.ref)
			if !(w.ulps <= mk.maxUlps) {
				t.Fatalf("%s isa=%s: %v", mk.name, i, w)
			}
		}
	})
}

func benchMath(b *testing.B, fn func(dst, x []float32)) {
	for _, i := range availableISAs() {
		for _, n := range []int{4096, 1000000} {
			b.Run(fmt.Sprintf("isa=%s/n=%d", i, n), func(b *testing.B) {
				withISA(b, i)
				rng := rand.New(rand.NewPCG(1, 2))
				x := make([]float32, n)
				for j := range x {
					x[j] = float32(rng.NormFloat64() * 4)
				}
				dst := make([]float32, n)
				b.SetBytes(int64(8 * n))
				for b.Loop() {
					fn(dst, x)
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gelem/s")
			})
		}
	}
}

func BenchmarkExp(b *testing.B)     { benchMath(b, Exp) }
func BenchmarkSigmoid(b *testing.B) { benchMath(b, Sigmoid) }
func BenchmarkTanh(b *testing.B)    { benchMath(b, Tanh) }
func BenchmarkSoftmax(b *testing.B) { benchMath(b, Softmax) }
