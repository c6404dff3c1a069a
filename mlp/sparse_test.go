package mlp

import (
	"context"
	"math"
	"testing"

	"github.com/lanes-go/lanes/kernels"
)

// sparseBlobs is blobs with every feature shifted down by 1.2 and clipped at
// zero, which leaves about 20% of the features nonzero, like MNIST's pixels,
// and keeps the classes apart.
func sparseBlobs(seed uint64, n, dim, classes int) Data {
	d := blobs(seed, n, dim, classes, 1)
	for i, v := range d.X {
		d.X[i] = max(0, v-1.2)
	}
	return d
}

func TestInputDensity(t *testing.T) {
	d := sparseBlobs(1, 3000, 100, 10)
	nonzero := 0
	for _, v := range d.X {
		if v != 0 {
			nonzero++
		}
	}
	exact := float64(nonzero) / float64(len(d.X))
	if got := inputDensity(d); math.Abs(got-exact) > 0.02 {
		t.Errorf("inputDensity = %.4f, the exact density is %.4f", got, exact)
	}
	if exact > sparseInputMaxDensity || exact < 0.1 {
		t.Fatalf("sparseBlobs' density %.3f is not the MNIST-like one the sparse tests need", exact)
	}
	if got := inputDensity(blobs(1, 100, 50, 3, 1)); got != 1 {
		t.Errorf("dense blobs: inputDensity = %v, want 1", got)
	}
	if got := inputDensity(Data{Dim: 5}); got != 1 {
		t.Errorf("empty data: inputDensity = %v, want 1 (never sparse)", got)
	}
}

// TestSparseInputMatchesDense: the first layer's sparse products give the
// dense path's logits and gradients, up to the rounding of a different
// summation order.
func TestSparseInputMatchesDense(t *testing.T) {
	const rows = 37 // not a multiple of any tile
	d := sparseBlobs(2, rows, 300, 10)
	for _, keep := range []float32{1, 0.7} {
		m, _ := New([]int{300, 40, 23, 10}, ReLU)
		m.Init(He, 3)
		grads := func(sparse bool) (logits []float32, gw, gb [][]float32) {
			tr := newTrainer(m, Optimizer{Kind: SGD, LR: 0.1}, 1e-3, keep, rows, 7)
			tr.sparseInput = sparse
			for r, y := range d.Labels {
				tr.in.labels[r] = int32(y)
			}
			if keep < 1 {
				tr.sampleMasks(rows) // same seed: same masks on both paths
			}
			tr.gradients(d.X, rows)
			return append([]float32(nil), tr.out[len(m.Layers)-1][:rows*m.Classes()]...), tr.gradW, tr.gradB
		}
		dl, dw, db := grads(false)
		sl, sw, sb := grads(true)
		near := func(what string, want, got []float32) {
			t.Helper()
			scale := float64(kernels.Max(absAll(want))) + 1e-30
			for i := range want {
				if math.Abs(float64(got[i]-want[i])) > 1e-5*scale {
					t.Fatalf("keep=%v: %s[%d] = %v on the sparse path, %v on the dense one", keep, what, i, got[i], want[i])
				}
			}
		}
		near("logits", dl, sl)
		for i := range dw {
			near("gradW", dw[i], sw[i])
			near("gradB", db[i], sb[i])
		}
	}
}

func absAll(x []float32) []float32 {
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = float32(math.Abs(float64(v)))
	}
	return out
}

// TestTrainSparseInput: Train takes the sparse path on MNIST-like data,
// learns, and gives the same bits at 1 and 2 threads.
func TestTrainSparseInput(t *testing.T) {
	train, test := sparseBlobs(3, 2048, 300, 10), sparseBlobs(4, 500, 300, 10)
	if inputDensity(train) > sparseInputMaxDensity {
		t.Fatal("the training set is not sparse enough for the sparse path")
	}
	run := func(threads int) *Model {
		defer kernels.SetMaxThreads(kernels.SetMaxThreads(threads))
		m, _ := New([]int{300, 256, 10}, ReLU)
		m.Init(He, 9)
		if _, err := Train(context.Background(), m, train, Data{}, Config{
			Optimizer: Optimizer{Kind: Momentum, LR: 0.05}, Epochs: 2, BatchSize: 128, KeepProb: 0.9, Seed: 4,
		}); err != nil {
			t.Fatal(err)
		}
		return m
	}
	one, two := run(1), run(2)
	if !sameParams(one, two) {
		t.Fatal("weights differ between 1 and 2 threads on the sparse path")
	}
	_, acc, err := Evaluate(one, test)
	if err != nil {
		t.Fatal(err)
	}
	if acc < 0.9 {
		t.Errorf("test accuracy %.3f after 2 epochs on separable sparse data, want ≥ 0.9", acc)
	}
}

// TestTrainStepSparseNoAllocs: the sparse path allocates nothing once its
// sparse matrices have grown to the batch's size.
func TestTrainStepSparseNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	defer kernels.SetMaxThreads(kernels.SetMaxThreads(0))
	d := sparseBlobs(5, 128, 300, 10)
	m, _ := New([]int{300, 256, 10}, ReLU)
	m.Init(He, 1)
	for _, threads := range []int{1, 2} {
		kernels.SetMaxThreads(threads)
		tr := newTrainer(m, Optimizer{Kind: Momentum, LR: 0.01, Nesterov: true}.withDefaults(), 0, 0.8, 128, 1)
		tr.sparseInput = true
		for r, y := range d.Labels {
			tr.in.labels[r] = int32(y)
		}
		tr.trainStep(d.X, 128, 0.01) // sizes the sparse matrices
		if a := testing.AllocsPerRun(10, func() { tr.trainStep(d.X, 128, 0.01) }); a != 0 {
			t.Errorf("threads=%d: %v allocations per sparse training step", threads, a)
		}
	}
}

// TestPredictSparseInput: the Predictor's sparse first layer gives the
// logits of a dense forward pass, up to rounding, for one row and a batch,
// and allocates nothing.
func TestPredictSparseInput(t *testing.T) {
	m, _ := New([]int{300, 64, 10}, ReLU)
	m.Init(He, 2)
	for _, l := range m.Layers {
		for j := range l.Bias {
			l.Bias[j] = 0.1 * float32(j%7)
		}
	}
	d := sparseBlobs(6, 33, 300, 10)
	p := NewPredictor(m, 33)
	for _, rows := range []int{1, 33} {
		x := d.X[:rows*300]
		got := append([]float32(nil), p.Logits(x)...)
		// The dense reference, layer by layer.
		cur := x
		for i, l := range m.Layers {
			out := make([]float32, rows*l.Out)
			kernels.Sgemm(kernels.NoTrans, kernels.NoTrans, rows, l.Out, l.In, 1, cur, l.In, l.Weights, l.Out, 0, out, l.Out)
			kernels.BiasAdd(out, out, l.Bias)
			if i < len(m.Layers)-1 {
				kernels.ReLU(out, out)
			}
			cur = out
		}
		scale := float64(kernels.Max(absAll(cur)))
		for i := range cur {
			if math.Abs(float64(got[i]-cur[i])) > 1e-5*scale {
				t.Fatalf("rows=%d: logit %d = %v, the dense forward pass gives %v", rows, i, got[i], cur[i])
			}
		}
		if !raceEnabled {
			if a := testing.AllocsPerRun(5, func() { p.Logits(x) }); a != 0 {
				t.Errorf("rows=%d: %v allocations per Logits call", rows, a)
			}
		}
	}
}
