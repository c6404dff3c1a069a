package kernels

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// randSlice returns n values uniform in [-scale, scale) from r.
func randSlice(r *rand.Rand, n int, scale float32) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = (2*r.Float32() - 1) * scale
	}
	return s
}

// guarded returns a slice of n elements inside a NaN-filled buffer, starting
// at element offset off, and a func that fails the test if the guard
// elements around it were written.
func guarded(t *testing.T, n, off int) ([]float32, func()) {
	t.Helper()
	buf := make([]float32, off+n+8)
	nan := float32(math.NaN())
	for i := range buf {
		buf[i] = nan
	}
	s := buf[off : off+n : off+n]
	return s, func() {
		t.Helper()
		for i := 0; i < off; i++ {
			if buf[i] == buf[i] {
				t.Fatalf("guard before dst[%d] written", i-off)
			}
		}
		for i := off + n; i < len(buf); i++ {
			if buf[i] == buf[i] {
				t.Fatalf("guard after dst (element %d) written", i-off)
			}
		}
	}
}

func sameBits(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) }

func mustPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Fatalf("no panic, want one containing %q", want)
		}
		if msg, _ := r.(string); !strings.Contains(msg, want) {
			t.Fatalf("panic %v, want it to contain %q", r, want)
		}
	}()
	f()
}

// trainShapes are (rows, cols) pairs covering empty, single, vector-width
// edges and one shape larger than a chunk.
var trainShapes = [][2]int{{0, 1}, {1, 1}, {1, 7}, {3, 8}, {2, 15}, {5, 16}, {4, 17}, {3, 31}, {2, 33}, {7, 64}, {3, 65}, {128, 10}, {9, 256}, {70, 300}}

func TestBiasAdd(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		for _, sh := range trainShapes {
			rows, cols := sh[0], sh[1]
			for off := range 3 {
				x := randSlice(r, rows*cols, 4)
				bias := randSlice(r, cols, 4)
				dst, check := guarded(t, rows*cols, off)
				BiasAdd(dst, x, bias)
				check()
				for i := range dst {
					if want := x[i] + bias[i%cols]; !sameBits(dst[i], want) {
						t.Fatalf("rows=%d cols=%d: dst[%d] = %v, want %v", rows, cols, i, dst[i], want)
					}
				}
				// In place gives the same bits.
				BiasAdd(x, x, bias)
				for i := range x {
					if !sameBits(x[i], dst[i]) {
						t.Fatalf("rows=%d cols=%d in place: x[%d] = %v, want %v", rows, cols, i, x[i], dst[i])
					}
				}
			}
		}
	})
	mustPanic(t, "kernels.BiasAdd: len(x) = 7 is not a multiple of len(bias) = 2", func() {
		BiasAdd(make([]float32, 7), make([]float32, 7), make([]float32, 2))
	})
	mustPanic(t, "kernels.BiasAdd: len(dst) = 6, len(x) = 4", func() {
		BiasAdd(make([]float32, 6), make([]float32, 4), make([]float32, 2))
	})
	mustPanic(t, "kernels.BiasAdd: len(bias) = 0", func() { BiasAdd(make([]float32, 1), make([]float32, 1), nil) })
	BiasAdd(nil, nil, nil) // empty is valid
}

func TestColSums(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		for _, sh := range trainShapes {
			rows, cols := sh[0], sh[1]
			x := randSlice(r, rows*cols, 2)
			dst, check := guarded(t, cols, 1)
			ColSums(dst, x)
			check()
			for j := range cols {
				// The documented association: rows added in order, in float32.
				var want float32
				var exact, abs float64
				for i := range rows {
					want += x[i*cols+j]
					exact += float64(x[i*cols+j])
					abs += math.Abs(float64(x[i*cols+j]))
				}
				if !sameBits(dst[j], want) {
					t.Fatalf("rows=%d cols=%d: dst[%d] = %v, want %v (rows in order)", rows, cols, j, dst[j], want)
				}
				if d := math.Abs(float64(dst[j]) - exact); d > float64(rows)*0x1p-24*abs+1e-30 {
					t.Fatalf("rows=%d cols=%d: dst[%d] = %v, float64 sum %v", rows, cols, j, dst[j], exact)
				}
			}
		}
	})
	mustPanic(t, "kernels.ColSums: len(x) = 5 is not a multiple of len(dst) = 2", func() {
		ColSums(make([]float32, 2), make([]float32, 5))
	})
	// Zero rows give zeros, overwriting what dst held.
	dst := []float32{1, 2}
	ColSums(dst, nil)
	if dst[0] != 0 || dst[1] != 0 {
		t.Fatalf("ColSums of zero rows = %v, want zeros", dst)
	}
}

func TestSGDMomentumHandComputed(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		// lr 0.1, momentum 0.9, w 1, v 0.5, g 0.2:
		// v = 0.9*0.5 + 0.2 = 0.65; classic w = 1 - 0.1*0.65 = 0.935;
		// Nesterov w = 1 - 0.1*(0.2 + 0.9*0.65) = 0.9215.
		for _, c := range []struct {
			nesterov bool
			wantW    float64
		}{{false, 0.935}, {true, 0.9215}} {
			w, v, g := []float32{1}, []float32{0.5}, []float32{0.2}
			SGDMomentum(w, v, g, 0.1, 0.9, c.nesterov)
			if math.Abs(float64(v[0])-0.65) > 1e-7 || math.Abs(float64(w[0])-c.wantW) > 1e-7 {
				t.Fatalf("nesterov=%v: w=%v v=%v, want w=%v v=0.65", c.nesterov, w[0], v[0], c.wantW)
			}
		}
		// Momentum 0 is plain SGD: w -= lr*g.
		w, v, g := []float32{2, -1}, []float32{7, 7}, []float32{0.5, -0.25}
		SGDMomentum(w, v, g, 0.5, 0, false)
		if w[0] != 1.75 || w[1] != -0.875 || v[0] != 0.5 || v[1] != -0.25 {
			t.Fatalf("plain SGD: w=%v v=%v, want [1.75 -0.875] [0.5 -0.25]", w, v)
		}
	})
}

func TestSGDMomentumMatchesGeneric(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(5, 6))
		for n := range 70 {
			for _, nesterov := range []bool{false, true} {
				w, v, g := randSlice(r, n, 1), randSlice(r, n, 1), randSlice(r, n, 1)
				w2, v2 := append([]float32(nil), w...), append([]float32(nil), v...)
				SGDMomentum(w, v, g, 0.05, 0.9, nesterov)
				sgdMomentumGeneric(w2, v2, g, 0.05, 0.9, nesterov)
				for i := range n {
					if !sameBits(w[i], w2[i]) || !sameBits(v[i], v2[i]) {
						t.Fatalf("n=%d nesterov=%v i=%d: got w=%v v=%v, generic w=%v v=%v", n, nesterov, i, w[i], v[i], w2[i], v2[i])
					}
				}
			}
		}
	})
	mustPanic(t, "kernels.SGDMomentum: len(w) = 2, len(g) = 3", func() {
		SGDMomentum(make([]float32, 2), make([]float32, 2), make([]float32, 3), 1, 0, false)
	})
}

func TestAdamHandComputed(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		const lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
		w := []float32{1, 1}
		m := []float32{0, 0}
		v := []float32{0, 0}
		g1 := []float32{0.5, -2}
		// Step 1: the bias-corrected moments are g and g², so each weight
		// moves by lr*g/(|g|+eps) ≈ lr*sign(g).
		Adam(w, m, v, g1, lr, b1, b2, eps, 1)
		for i, want := range []float64{0.99, 1.01} {
			if math.Abs(float64(w[i])-want) > 1e-6 {
				t.Fatalf("step 1: w[%d] = %v, want %v", i, w[i], want)
			}
		}
		// Step 2 with gradient 0.1 on both, worked out in float64.
		g2 := []float32{0.1, 0.1}
		wBefore := []float64{float64(w[0]), float64(w[1])}
		Adam(w, m, v, g2, lr, b1, b2, eps, 2)
		// The optimizer sees the betas as float32s; so does the reference.
		b1f, b2f := float64(float32(b1)), float64(float32(b2))
		for i := range 2 {
			b1, b2 := b1f, b2f
			gA, gB := float64(g1[i]), float64(g2[i])
			mm := b1*(1-b1)*gA + (1-b1)*gB
			vv := b2*(1-b2)*gA*gA + (1-b2)*gB*gB
			mHat := mm / (1 - b1*b1)
			vHat := vv / (1 - b2*b2)
			want := wBefore[i] - lr*mHat/(math.Sqrt(vHat)+eps)
			if math.Abs(float64(w[i])-want) > 1e-6 {
				t.Fatalf("step 2: w[%d] = %v, want %v", i, w[i], want)
			}
			if math.Abs(float64(m[i])-mm) > 1e-7 || math.Abs(float64(v[i])-vv)/vv > 1e-5 {
				t.Fatalf("step 2: m[%d]=%v v[%d]=%v, want %v %v", i, m[i], i, v[i], mm, vv)
			}
		}
	})
	mustPanic(t, "kernels.Adam: step t = 0", func() {
		Adam(nil, nil, nil, nil, 1, 0.9, 0.999, 1e-8, 0)
	})
	mustPanic(t, "kernels.Adam: len(w) = 1, len(v) = 2", func() {
		Adam(make([]float32, 1), make([]float32, 1), make([]float32, 2), make([]float32, 1), 1, 0.9, 0.999, 1e-8, 1)
	})
}

func TestAdamMatchesGeneric(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(7, 8))
		for n := range 70 {
			w, m, g := randSlice(r, n, 1), randSlice(r, n, 0.1), randSlice(r, n, 1)
			v := make([]float32, n)
			for i := range v {
				v[i] = r.Float32() * 0.01
			}
			w2, m2, v2 := append([]float32(nil), w...), append([]float32(nil), m...), append([]float32(nil), v...)
			Adam(w, m, v, g, 1e-3, 0.9, 0.999, 1e-8, 3)
			f64 := func(v float32) float64 { return float64(v) }
			step := float32(f64(1e-3) / (1 - math.Pow(f64(0.9), 3)))
			inv := float32(1 / math.Sqrt(1-math.Pow(f64(0.999), 3)))
			adamGeneric(w2, m2, v2, g, step, 0.9, 0.999, 1e-8, inv)
			for i := range n {
				// sqrt and division are exactly rounded everywhere; the
				// products are rounded separately, so the bits match.
				if !sameBits(w[i], w2[i]) || !sameBits(m[i], m2[i]) || !sameBits(v[i], v2[i]) {
					t.Fatalf("n=%d i=%d: got %v %v %v, generic %v %v %v", n, i, w[i], m[i], v[i], w2[i], m2[i], v2[i])
				}
			}
		}
	})
}

func TestDropoutApply(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(9, 10))
		for _, n := range []int{0, 1, 7, 8, 15, 16, 17, 63, 64, 65, 130, chunk + 100} {
			for off := range 3 {
				x := randSlice(r, n, 3)
				keep := make([]uint64, (n+63)/64+1)
				for i := range keep {
					keep[i] = r.Uint64()
				}
				dst, check := guarded(t, n, off)
				DropoutApply(dst, x, keep, 2.5)
				check()
				for i := range n {
					want := float32(0)
					if keep[i/64]&(1<<(i%64)) != 0 {
						want = 2.5 * x[i]
					}
					if !sameBits(dst[i], want) {
						t.Fatalf("n=%d i=%d: dst = %v, want %v", n, i, dst[i], want)
					}
				}
			}
		}
	})
	mustPanic(t, "kernels.DropoutApply: len(keep) = 1 words, 65 elements need 2", func() {
		DropoutApply(make([]float32, 65), make([]float32, 65), make([]uint64, 1), 1)
	})
}

// sceReference returns the loss of one row and its gradient, in float64
// with log-sum-exp computed independently of the kernel's formulation.
func sceReference(z []float32, label int) (float64, []float64) {
	m := math.Inf(-1)
	for _, v := range z {
		m = math.Max(m, float64(v))
	}
	var s float64
	for _, v := range z {
		s += math.Exp(float64(v) - m)
	}
	lse := m + math.Log(s)
	grad := make([]float64, len(z))
	for j, v := range z {
		grad[j] = math.Exp(float64(v) - lse)
	}
	grad[label]--
	return lse - float64(z[label]), grad
}

func TestSoftmaxCrossEntropy(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(11, 12))
		for _, sh := range [][2]int{{1, 1}, {1, 2}, {3, 10}, {128, 10}, {5, 17}, {2, 100}, {4000, 10}} {
			rows, classes := sh[0], sh[1]
			for _, spread := range []float32{1, 30, 1000} {
				logits := randSlice(r, rows*classes, spread)
				labels := make([]int32, rows)
				for i := range labels {
					labels[i] = int32(r.IntN(classes))
				}
				scale := 1 / float32(rows)
				grad, check := guarded(t, rows*classes, 2)
				loss := SoftmaxCrossEntropy(grad, logits, labels, scale)
				check()
				var want float64
				for i := range rows {
					l, g := sceReference(logits[i*classes:(i+1)*classes], int(labels[i]))
					want += l
					for j := range classes {
						if d := math.Abs(float64(grad[i*classes+j]) - float64(scale)*g[j]); d > 1e-6*float64(scale) {
							t.Fatalf("rows=%d classes=%d spread=%v: grad[%d][%d] = %v, want %v", rows, classes, spread, i, j, grad[i*classes+j], float64(scale)*g[j])
						}
					}
				}
				if math.IsInf(loss, 0) || math.IsNaN(loss) || math.Abs(loss-want) > 1e-5*(math.Abs(want)+float64(rows)) {
					t.Fatalf("rows=%d classes=%d spread=%v: loss = %v, want %v", rows, classes, spread, loss, want)
				}
				// grad may alias logits.
				SoftmaxCrossEntropy(logits, logits, labels, scale)
				for i := range logits {
					if !sameBits(logits[i], grad[i]) {
						t.Fatalf("in place: element %d = %v, want %v", i, logits[i], grad[i])
					}
				}
			}
		}
	})
}

// TestSoftmaxCrossEntropyFiniteDifference checks that the gradient is the
// derivative of the loss the kernel itself returns.
func TestSoftmaxCrossEntropyFiniteDifference(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	const rows, classes = 4, 6
	logits := randSlice(r, rows*classes, 3)
	labels := []int32{0, 5, 2, 2}
	grad := make([]float32, len(logits))
	SoftmaxCrossEntropy(grad, logits, labels, 1)
	scratch := make([]float32, len(logits))
	const h = 1e-2
	for i := range logits {
		orig := logits[i]
		logits[i] = orig + h
		up := SoftmaxCrossEntropy(scratch, logits, labels, 1)
		logits[i] = orig - h
		down := SoftmaxCrossEntropy(scratch, logits, labels, 1)
		logits[i] = orig
		num := (up - down) / (2 * h)
		if math.Abs(num-float64(grad[i])) > 1e-3 {
			t.Fatalf("logit %d: analytic %v, finite difference %v", i, grad[i], num)
		}
	}
}

func TestSoftmaxCrossEntropyPanics(t *testing.T) {
	mustPanic(t, "kernels.SoftmaxCrossEntropy: labels[1] = 10 outside [0, 10)", func() {
		SoftmaxCrossEntropy(make([]float32, 20), make([]float32, 20), []int32{3, 10}, 1)
	})
	mustPanic(t, "kernels.SoftmaxCrossEntropy: labels[0] = -1", func() {
		SoftmaxCrossEntropy(make([]float32, 10), make([]float32, 10), []int32{-1}, 1)
	})
	mustPanic(t, "not a positive multiple of len(labels) = 2", func() {
		SoftmaxCrossEntropy(make([]float32, 9), make([]float32, 9), []int32{0, 0}, 1)
	})
	if loss := SoftmaxCrossEntropy(nil, nil, nil, 1); loss != 0 {
		t.Fatalf("empty batch loss = %v, want 0", loss)
	}
	// A NaN logit poisons its own row only.
	logits := []float32{0, float32(math.NaN()), 1, 2}
	grad := make([]float32, 4)
	SoftmaxCrossEntropy(grad, logits, []int32{0, 1}, 1)
	if grad[0] == grad[0] || grad[2] != grad[2] || grad[3] != grad[3] {
		t.Fatalf("grad with a NaN in row 0 = %v, want NaN in row 0 only", grad)
	}
}

func TestTrainKernelsDoNotAllocate(t *testing.T) {
	x := make([]float32, 128*256)
	bias := make([]float32, 256)
	keep := make([]uint64, len(x)/64)
	labels := make([]int32, 128)
	logits := make([]float32, 128*10)
	allocs := testing.AllocsPerRun(10, func() {
		BiasAdd(x, x, bias)
		ColSums(bias, x)
		SGDMomentum(bias, bias, bias, 0.1, 0.9, true)
		Adam(bias, bias, bias, bias, 0.1, 0.9, 0.999, 1e-8, 2)
		DropoutApply(x, x, keep, 2)
		SoftmaxCrossEntropy(logits, logits, labels, 1)
	})
	if allocs != 0 {
		t.Fatalf("training kernels allocate %v times per run", allocs)
	}
}

// Benchmarks at the default MNIST network's per-step sizes: the 784×256
// weights for the optimizers, a 128×256 batch of hidden activations for the
// rest.
func BenchmarkTrainKernels(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	const rows, cols, params = 128, 256, 784 * 256
	x := randSlice(r, rows*cols, 1)
	bias := randSlice(r, cols, 1)
	w, v, m, g := randSlice(r, params, 1), randSlice(r, params, 1), randSlice(r, params, 1), randSlice(r, params, 1)
	for i := range v {
		v[i] = v[i] * v[i]
	}
	keep := make([]uint64, rows*cols/64)
	for i := range keep {
		keep[i] = r.Uint64()
	}
	logits := randSlice(r, rows*10, 3)
	labels := make([]int32, rows)
	for _, i := range availableISAs() {
		b.Run("isa="+i.String(), func(b *testing.B) {
			withISA(b, i)
			b.Run("op=BiasAdd", func(b *testing.B) {
				b.SetBytes(4 * 2 * rows * cols)
				for b.Loop() {
					BiasAdd(x, x, bias)
				}
			})
			b.Run("op=ColSums", func(b *testing.B) {
				b.SetBytes(4 * rows * cols)
				for b.Loop() {
					ColSums(bias, x)
				}
			})
			b.Run("op=SGDMomentum", func(b *testing.B) {
				b.SetBytes(4 * 5 * params)
				for b.Loop() {
					SGDMomentum(w, m, g, 1e-9, 0.9, true)
				}
			})
			b.Run("op=Adam", func(b *testing.B) {
				b.SetBytes(4 * 7 * params)
				for b.Loop() {
					Adam(w, m, v, g, 1e-9, 0.9, 0.999, 1e-8, 10)
				}
			})
			b.Run("op=DropoutApply", func(b *testing.B) {
				b.SetBytes(4 * 2 * rows * cols)
				for b.Loop() {
					DropoutApply(x, x, keep, 1)
				}
			})
			b.Run("op=SoftmaxCrossEntropy", func(b *testing.B) {
				grad := make([]float32, len(logits))
				for b.Loop() {
					SoftmaxCrossEntropy(grad, logits, labels, 1)
				}
			})
		})
	}
}
