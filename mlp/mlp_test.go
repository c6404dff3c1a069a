package mlp

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/lanes-go/lanes/kernels"
)

// blobs returns n examples of dim features in `classes` Gaussian clusters
// around random centres, a task a small MLP learns to near 100%.
func blobs(seed uint64, n, dim, classes int, noise float64) Data {
	r := rand.New(rand.NewPCG(seed, 99))
	centres := make([]float64, classes*dim)
	cr := rand.New(rand.NewPCG(1234, 5678)) // same centres for every split
	for i := range centres {
		centres[i] = cr.NormFloat64()
	}
	d := Data{X: make([]float32, n*dim), Labels: make([]uint8, n), Dim: dim}
	for i := range n {
		c := r.IntN(classes)
		d.Labels[i] = uint8(c)
		for j := range dim {
			d.X[i*dim+j] = float32(centres[c*dim+j] + noise*r.NormFloat64())
		}
	}
	return d
}

func TestNewAndVariableNames(t *testing.T) {
	m, err := New([]int{784, 256, 10}, ReLU)
	if err != nil {
		t.Fatal(err)
	}
	vars := m.Variables()
	want := []struct {
		name  string
		shape []int
	}{{"dense0/weights", []int{784, 256}}, {"dense0/bias", []int{256}}, {"dense1/weights", []int{256, 10}}, {"dense1/bias", []int{10}}}
	if len(vars) != len(want) {
		t.Fatalf("%d variables, want %d", len(vars), len(want))
	}
	for i, w := range want {
		v := vars[i]
		if v.Name != w.name || !sameSizes(v.Shape, w.shape) || len(v.Data) != w.shape[0]*max(1, product(w.shape[1:])) {
			t.Fatalf("variable %d = %s %v (%d values), want %s %v", i, v.Name, v.Shape, len(v.Data), w.name, w.shape)
		}
	}
	// Data aliases the model.
	vars[0].Data[3] = 7
	if m.Layers[0].Weights[3] != 7 {
		t.Fatal("Variables' Data does not alias the model's weights")
	}
	for _, bad := range [][]int{nil, {5}, {5, 0, 3}, {5, 1}, {-1, 3}, {MaxWidth, MaxWidth, 2}, {MaxWidth + 1, 2}} {
		if _, err := New(bad, ReLU); err == nil {
			t.Errorf("New(%v) succeeded, want an error", bad)
		}
	}
	if _, err := New([]int{3, 2}, Activation(9)); err == nil {
		t.Error("New with an invalid activation succeeded")
	}
}

func product(s []int) int {
	p := 1
	for _, v := range s {
		p *= v
	}
	return p
}

func TestParseSizes(t *testing.T) {
	got, err := ParseSizes("784-1024-1024-10")
	if err != nil || !sameSizes(got, []int{784, 1024, 1024, 10}) {
		t.Fatalf("ParseSizes = %v, %v", got, err)
	}
	if FormatSizes(got) != "784-1024-1024-10" {
		t.Fatalf("FormatSizes = %q", FormatSizes(got))
	}
	for _, bad := range []string{"", "784", "784-x", "784--10-0", "784-99999999-10", "a-b"} {
		if _, err := ParseSizes(bad); err == nil {
			t.Errorf("ParseSizes(%q) succeeded", bad)
		}
	}
}

func TestInitStatistics(t *testing.T) {
	m, _ := New([]int{400, 300, 10}, ReLU)
	for _, c := range []struct {
		kind Init
		std  float64 // expected standard deviation of layer 0's weights
	}{{He, math.Sqrt(2.0 / 400)}, {Xavier, math.Sqrt(6.0/700) / math.Sqrt(3)}, {Normal, 1}} {
		m.Init(c.kind, 42)
		w := m.Layers[0].Weights
		var s, ss float64
		for _, v := range w {
			s += float64(v)
			ss += float64(v) * float64(v)
		}
		mean := s / float64(len(w))
		std := math.Sqrt(ss/float64(len(w)) - mean*mean)
		if math.Abs(mean) > 5*c.std/math.Sqrt(float64(len(w))) || math.Abs(std/c.std-1) > 0.02 {
			t.Errorf("%v: mean %.4g std %.4g, want 0 and %.4g", c.kind, mean, std, c.std)
		}
		biasZero := kernels.SumSquares(m.Layers[0].Bias) == 0
		if biasZero != (c.kind != Normal) {
			t.Errorf("%v: biases all zero = %v", c.kind, biasZero)
		}
	}
	// Same seed, same weights; another seed, other weights.
	a, _ := New([]int{20, 10, 3}, ReLU)
	b, _ := New([]int{20, 10, 3}, ReLU)
	a.Init(He, 7)
	b.Init(He, 7)
	if !sameParams(a, b) {
		t.Fatal("Init with the same seed gave different weights")
	}
	b.Init(He, 8)
	if sameParams(a, b) {
		t.Fatal("Init with another seed gave the same weights")
	}
}

// sameParams reports whether two models' parameters are bit-identical.
func sameParams(a, b *Model) bool {
	for i := range a.Layers {
		for j := range a.Layers[i].Weights {
			if math.Float32bits(a.Layers[i].Weights[j]) != math.Float32bits(b.Layers[i].Weights[j]) {
				return false
			}
		}
		for j := range a.Layers[i].Bias {
			if math.Float32bits(a.Layers[i].Bias[j]) != math.Float32bits(b.Layers[i].Bias[j]) {
				return false
			}
		}
	}
	return true
}

// TestOptimizerSteps checks one update of each optimizer against the rule
// worked out by hand from the gradient the trainer computed.
func TestOptimizerSteps(t *testing.T) {
	for _, opt := range []Optimizer{
		{Kind: SGD, LR: 0.1},
		{Kind: Momentum, LR: 0.1, Momentum: 0.9},
		{Kind: Momentum, LR: 0.1, Momentum: 0.9, Nesterov: true},
		{Kind: Adam, LR: 0.01, Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-8},
	} {
		m, _ := New([]int{4, 3, 2}, ReLU)
		m.Init(He, 1)
		tr := newTrainer(m, opt, 0, 1, 2, 1)
		x := []float32{1, -1, 0.5, 2, 0.3, 0.1, -0.4, 1}
		tr.in.labels[0], tr.in.labels[1] = 0, 1
		w0 := float64(m.Layers[1].Weights[0])
		// Two steps, so momentum and Adam's moments matter.
		var gs []float64
		w := w0
		vel, m1, m2 := 0.0, 0.0, 0.0
		for step := 1; step <= 2; step++ {
			tr.gradients(x, 2)
			g := float64(tr.gradW[1][0])
			gs = append(gs, g)
			tr.update(opt.LR)
			lr := float64(opt.LR)
			switch opt.Kind {
			case SGD:
				w -= lr * g
			case Momentum:
				mu := float64(opt.Momentum)
				vel = mu*vel + g
				if opt.Nesterov {
					w -= lr * (g + mu*vel)
				} else {
					w -= lr * vel
				}
			case Adam:
				b1, b2 := float64(opt.Beta1), float64(opt.Beta2)
				m1 = b1*m1 + (1-b1)*g
				m2 = b2*m2 + (1-b2)*g*g
				mh := m1 / (1 - math.Pow(b1, float64(step)))
				vh := m2 / (1 - math.Pow(b2, float64(step)))
				w -= lr * mh / (math.Sqrt(vh) + float64(opt.Epsilon))
			}
			if got := float64(m.Layers[1].Weights[0]); math.Abs(got-w) > 1e-6 {
				t.Fatalf("%v nesterov=%v step %d (gradients %v): weight %v, want %v", opt.Kind, opt.Nesterov, step, gs, got, w)
			}
		}
		if w == w0 {
			t.Fatalf("%v: the weight did not move", opt.Kind)
		}
	}
}

func TestScheduleRates(t *testing.T) {
	st := Schedule{Kind: Step, StepEpochs: 3, Gamma: 0.5}
	for epoch, want := range []float32{1, 1, 1, 0.5, 0.5, 0.5, 0.25} {
		if got := st.Rate(1, epoch, 0); got != want {
			t.Errorf("step schedule epoch %d: %v, want %v", epoch, got, want)
		}
	}
	cos := Schedule{Kind: Cosine}
	for _, c := range []struct{ p, want float64 }{{0, 1}, {0.5, 0.5}, {1, 0}, {0.25, 0.5 + math.Sqrt2/4}} {
		if got := cos.Rate(1, 0, c.p); math.Abs(float64(got)-c.want) > 1e-6 {
			t.Errorf("cosine at %v: %v, want %v", c.p, got, c.want)
		}
	}
	if got := (Schedule{}).Rate(0.3, 10, 0.9); got != 0.3 {
		t.Errorf("constant: %v", got)
	}
}

// TestMaskLayout pins down where the masks come from, so that training
// with a seed stays reproducible: layer l's mask for batch number b is
// kernels.DropoutMask's for the key maskKey(seed, b, l) (whose bits that
// package pins down), and the keys differ between layers and batches.
func TestMaskLayout(t *testing.T) {
	const keep, rows = 0.6, 21 // 21×100 units: 33 words, the last partial
	m, _ := New([]int{5, 100, 70, 3}, ReLU)
	tr := newTrainer(m, Optimizer{Kind: SGD, LR: 0.1}, 0, keep, rows, 9)
	tr.sampleMasks(rows)
	first := slices.Clone(tr.in.masks[0])
	tr.sampleMasks(rows) // the second batch: maskBatch matters
	for l, outs := range []int{100, 70} {
		want := make([]uint64, (rows*outs+63)/64)
		kernels.DropoutMask(want, keep, maskKey(9, 2, l), 0)
		if got := tr.in.masks[l][:len(want)]; !slices.Equal(got, want) {
			t.Fatalf("layer %d, batch 2: mask %x, want %x", l, got, want)
		}
	}
	if slices.Equal(first, tr.in.masks[0]) {
		t.Fatal("batches 1 and 2 drew the same mask")
	}
	if a, b := tr.in.masks[0][:20], tr.in.masks[1][:20]; slices.Equal(a, b) {
		t.Fatal("layers 0 and 1 drew the same mask")
	}
}

// TestDropoutStatistics checks that each unit is kept with probability p
// and that kept units are scaled by 1/p (so the expected activation is
// unchanged), and that evaluation applies no dropout.
func TestDropoutStatistics(t *testing.T) {
	const keep, rows = 0.7, 64
	m, _ := New([]int{10, 500, 3}, ReLU)
	m.Init(He, 3)
	// Positive biases so (almost) every hidden unit is active.
	for j := range m.Layers[0].Bias {
		m.Layers[0].Bias[j] = 5
	}
	tr := newTrainer(m, Optimizer{Kind: SGD, LR: 0.1}, 0, keep, rows, 5)
	x := blobs(1, rows, 10, 3, 1).X
	tr.sampleMasks(rows)
	tr.forward(x, rows)
	out, kept := tr.out[0], tr.kept[0]
	nKept, n := 0, 0
	var sumOut, sumKept float64
	for i := range out {
		if out[i] <= 0 {
			continue
		}
		n++
		sumOut += float64(out[i])
		sumKept += float64(kept[i])
		switch kept[i] {
		case 0:
		case float32(1/float32(keep)) * out[i]:
			nKept++
		default:
			t.Fatalf("unit %d: %v after dropout, want 0 or %v·(1/%v)", i, kept[i], out[i], keep)
		}
	}
	frac := float64(nKept) / float64(n)
	sigma := math.Sqrt(keep * (1 - keep) / float64(n))
	if math.Abs(frac-keep) > 5*sigma {
		t.Fatalf("kept %.4f of %d units, want %v ± %.4f", frac, n, keep, 5*sigma)
	}
	if math.Abs(sumKept/sumOut-1) > 0.03 {
		t.Fatalf("mean activation after dropout / before = %.4f, want 1 (inverted scaling)", sumKept/sumOut)
	}
	// Fresh masks differ from the last ones.
	before := append([]uint64(nil), tr.in.masks[0]...)
	tr.sampleMasks(rows)
	same := true
	for i := range before {
		same = same && before[i] == tr.in.masks[0][i]
	}
	if same {
		t.Fatal("two mask draws are identical")
	}
	// Evaluation: the Predictor's logits equal a dropout-free forward pass.
	plain := newTrainer(m, Optimizer{Kind: SGD, LR: 0.1}, 0, 1, rows, 5)
	want := plain.forward(x, rows)
	got := NewPredictor(m, rows).Logits(x)
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("logit %d: predictor %v, training forward without dropout %v", i, got[i], want[i])
		}
	}
}

func TestTrainLearnsBlobs(t *testing.T) {
	train := blobs(1, 2000, 20, 4, 1.2)
	val := blobs(2, 500, 20, 4, 1.2)
	for _, c := range []struct {
		name string
		act  Activation
		cfg  Config
	}{
		{"momentum-cosine", ReLU, Config{Optimizer: Optimizer{Kind: Momentum, LR: 0.05}, Schedule: Schedule{Kind: Cosine}}},
		{"sgd-step-tanh", Tanh, Config{Optimizer: Optimizer{Kind: SGD, LR: 0.2}, Schedule: Schedule{Kind: Step, StepEpochs: 3}}},
		{"adam-dropout-l2-sigmoid", Sigmoid, Config{Optimizer: Optimizer{Kind: Adam, LR: 0.01}, KeepProb: 0.8, L2: 1e-4}},
		{"nesterov-partial-batch", ReLU, Config{Optimizer: Optimizer{Kind: Momentum, LR: 0.05, Nesterov: true}, BatchSize: 300}},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, _ := New([]int{20, 32, 4}, c.act)
			m.Init(He, 1)
			_, acc0, _ := Evaluate(m, val)
			cfg := c.cfg
			cfg.Epochs = 6
			res, err := Train(context.Background(), m, train, val, cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, acc, _ := Evaluate(m, val)
			if acc < 0.9 || acc <= acc0 {
				t.Fatalf("validation accuracy %.3f after training (%.3f before), want ≥ 0.9; epochs %+v", acc, acc0, res.Epochs)
			}
			if acc != res.BestValAccuracy {
				t.Fatalf("model's validation accuracy %v is not the best epoch's %v", acc, res.BestValAccuracy)
			}
			if acc < 0.9 {
				t.Fatalf("validation accuracy %v below 0.9", acc)
			}
			if want := 6 * ((2000 + cfg.withDefaults().BatchSize - 1) / cfg.withDefaults().BatchSize); res.Steps != want {
				t.Fatalf("%d optimizer steps, want %d (the partial batch included)", res.Steps, want)
			}
		})
	}
}

func TestEarlyStoppingRestoresBest(t *testing.T) {
	train := blobs(1, 500, 20, 4, 1.5)
	val := blobs(2, 300, 20, 4, 1.5)
	for _, sel := range []Select{ByLoss, ByAccuracy} {
		t.Run("select="+sel.String(), func(t *testing.T) {
			m, _ := New([]int{20, 32, 4}, ReLU)
			m.Init(He, 1)
			// A learning rate that overshoots makes the validation score
			// wander, so patience runs out; the model must end with the best
			// epoch's weights.
			var snapshots []*Model
			res, err := Train(context.Background(), m, train, val, Config{
				Optimizer: Optimizer{Kind: Momentum, LR: 1.5}, Epochs: 40, Patience: 2, Select: sel,
				OnEpoch: func(EpochStats) { snapshots = append(snapshots, m.Clone()) },
			})
			if err != nil {
				t.Fatal(err)
			}
			if !res.StoppedEarly || len(res.Epochs) == 40 {
				t.Fatalf("did not stop early: %d epochs, best %d", len(res.Epochs), res.BestEpoch)
			}
			if last := res.Epochs[len(res.Epochs)-1].Epoch; last-res.BestEpoch != 2 {
				t.Fatalf("stopped at epoch %d with best %d, want patience 2 after the best", last, res.BestEpoch)
			}
			if !sameParams(m, snapshots[res.BestEpoch-1]) {
				t.Fatal("the model does not hold the best epoch's weights")
			}
			for _, e := range res.Epochs {
				if sel == ByAccuracy && e.ValAccuracy > res.BestValAccuracy || sel == ByLoss && e.ValLoss < res.BestValLoss {
					t.Fatalf("epoch %d (validation accuracy %v, loss %v) beats the best (%v, %v)",
						e.Epoch, e.ValAccuracy, e.ValLoss, res.BestValAccuracy, res.BestValLoss)
				}
			}
			loss, acc, _ := Evaluate(m, val)
			if loss != res.BestValLoss || acc != res.BestValAccuracy {
				t.Fatalf("final model scores %v, %v; the best epoch scored %v, %v", loss, acc, res.BestValLoss, res.BestValAccuracy)
			}
		})
	}
}

func TestTrainDeterministicAcrossThreads(t *testing.T) {
	// Shapes large enough that Sgemm, the weight update (76,800 weights,
	// several ranges of updateGrain) and the batch copy split their work
	// across threads.
	train := blobs(3, 1024, 300, 10, 1)
	run := func(threads int, opt Optimizer, l2 float32) *Model {
		prev := kernels.SetMaxThreads(threads)
		defer kernels.SetMaxThreads(prev)
		m, _ := New([]int{300, 256, 10}, ReLU)
		m.Init(He, 9)
		if _, err := Train(context.Background(), m, train, Data{}, Config{
			Optimizer: opt, Epochs: 1, BatchSize: 256, KeepProb: 0.9, Seed: 4, L2: l2,
		}); err != nil {
			t.Fatal(err)
		}
		return m
	}
	for _, c := range []struct {
		opt Optimizer
		l2  float32
	}{
		{Optimizer{Kind: Momentum, LR: 0.05}, 0},
		{Optimizer{Kind: Adam, LR: 0.001}, 0},
		{Optimizer{Kind: SGD, LR: 0.05}, 1e-4},
	} {
		one, two, four := run(1, c.opt, c.l2), run(2, c.opt, c.l2), run(4, c.opt, c.l2)
		if !sameParams(one, two) || !sameParams(one, four) {
			t.Fatalf("%v: weights differ between 1, 2 and 4 threads", c.opt.Kind)
		}
	}
	// And the seed matters: another seed gives other weights.
	one := run(1, Optimizer{Kind: Momentum, LR: 0.05}, 0)
	prev := kernels.SetMaxThreads(1)
	defer kernels.SetMaxThreads(prev)
	m, _ := New([]int{300, 256, 10}, ReLU)
	m.Init(He, 9)
	Train(context.Background(), m, train, Data{}, Config{Optimizer: Optimizer{Kind: Momentum, LR: 0.05}, Epochs: 1, BatchSize: 256, KeepProb: 0.9, Seed: 5})
	if sameParams(one, m) {
		t.Fatal("another shuffling seed gave identical weights")
	}
}

// TestRowChainMatchesLayerOrder checks that the per-example part of a step
// in blocks (rowChain, over two threads) gives the same gradients, bit for
// bit, and the same count as the layer-by-layer order, with the loss equal
// up to the order of its float64 sum: for each activation, two hidden
// layers of different widths, dropout, L2, and a batch that ends in a
// partial block. The blocks run side by side only some of the time, so each
// case runs a few times over.
func TestRowChainMatchesLayerOrder(t *testing.T) {
	defer kernels.SetMaxThreads(kernels.SetMaxThreads(2))
	const rows = 100 // blocks of 64 and 36
	d := blobs(7, rows, 40, 5, 1)
	for k := range 90 {
		act := []Activation{ReLU, Tanh, Sigmoid}[k%3]
		m, _ := New([]int{40, 300, 100, 5}, act)
		m.Init(He, 2)
		tr := newTrainer(m, Optimizer{Kind: SGD, LR: 0.1}, 1e-3, 0.8, rows, 3)
		for r, y := range d.Labels {
			tr.in.labels[r] = int32(y)
		}
		tr.sampleMasks(rows)
		if !tr.smallTail(rows) {
			t.Fatal("the test network does not take the per-example blocks")
		}
		loss, correct := tr.gradients(d.X, rows)
		gw, gb := cloneAll(tr.gradW), cloneAll(tr.gradB)
		for _, g := range append(tr.gradW, tr.gradB...) {
			clear(g)
		}
		tr.forward(d.X, rows)
		loss2, correct2 := tr.backwardByLayer()
		for i := range gw {
			if !slices.Equal(gw[i], tr.gradW[i]) || !slices.Equal(gb[i], tr.gradB[i]) {
				t.Fatalf("%v: layer %d's gradients differ between the blocks and the layer order", act, i)
			}
		}
		if correct != correct2 || math.Abs(loss-loss2) > 1e-12*math.Abs(loss2) {
			t.Fatalf("%v: blocks gave loss %v, %d correct; the layer order %v, %d", act, loss, correct, loss2, correct2)
		}
	}
}

func cloneAll(s [][]float32) [][]float32 {
	c := make([][]float32, len(s))
	for i := range s {
		c[i] = slices.Clone(s[i])
	}
	return c
}

// TestTrainStepNoAllocs: a training step (forward, backward, the parallel
// weight update) allocates nothing, at one thread or two.
func TestTrainStepNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	defer kernels.SetMaxThreads(kernels.SetMaxThreads(0))
	d := blobs(5, 128, 300, 10, 1)
	m, _ := New([]int{300, 256, 10}, ReLU)
	m.Init(He, 1)
	for _, threads := range []int{1, 2} {
		kernels.SetMaxThreads(threads)
		tr := newTrainer(m, Optimizer{Kind: Momentum, LR: 0.01, Nesterov: true}.withDefaults(), 0, 0.8, 128, 1)
		for r, y := range d.Labels {
			tr.in.labels[r] = int32(y)
		}
		if a := testing.AllocsPerRun(10, func() { tr.trainStep(d.X, 128, 0.01) }); a != 0 {
			t.Errorf("threads=%d: %v allocations per training step", threads, a)
		}
	}
}

func TestTrainRejectsBadInput(t *testing.T) {
	m, _ := New([]int{4, 3, 2}, ReLU)
	good := Data{X: make([]float32, 8), Labels: []uint8{0, 1}, Dim: 4}
	for _, c := range []struct {
		name       string
		train, val Data
		cfg        Config
		want       string
	}{
		{"no lr", good, Data{Dim: 4}, Config{}, "learning rate"},
		{"dim", Data{X: make([]float32, 6), Labels: []uint8{0, 1}, Dim: 3}, Data{Dim: 4}, Config{Optimizer: Optimizer{LR: 1}}, "3 features"},
		{"label", Data{X: make([]float32, 8), Labels: []uint8{0, 2}, Dim: 4}, Data{Dim: 4}, Config{Optimizer: Optimizer{LR: 1}}, "label 2"},
		{"keep", good, Data{Dim: 4}, Config{Optimizer: Optimizer{LR: 1}, KeepProb: 1.5}, "keep probability"},
		{"empty", Data{Dim: 4}, Data{Dim: 4}, Config{Optimizer: Optimizer{LR: 1}}, "no training examples"},
		{"momentum", good, Data{Dim: 4}, Config{Optimizer: Optimizer{Kind: Momentum, LR: 1, Momentum: 1}}, "momentum"},
	} {
		_, err := Train(context.Background(), m, c.train, c.val, c.cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
		}
	}
}

func TestTrainCancelled(t *testing.T) {
	m, _ := New([]int{20, 8, 4}, ReLU)
	m.Init(He, 1)
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	_, err := Train(ctx, m, blobs(1, 1000, 20, 4, 1), blobs(2, 100, 20, 4, 1), Config{
		Optimizer: Optimizer{LR: 0.1}, BatchSize: 10,
		OnBatch: func(done, total int) {
			if calls++; calls == 3 {
				cancel()
			}
		},
	})
	if err != context.Canceled || calls != 3 {
		t.Fatalf("err = %v after %d batches, want context.Canceled after 3", err, calls)
	}
}

func TestPredictMatchesBatchAndDoesNotAllocate(t *testing.T) {
	m, _ := New([]int{30, 16, 12, 5}, Tanh)
	m.Init(Xavier, 2)
	d := blobs(4, 37, 30, 5, 1)
	p := NewPredictor(m, 8)
	batch := make([]int, d.Len())
	p.PredictBatch(batch, d.X) // in pieces of 8 rows
	probs := make([]float32, 5)
	for i := range d.Len() {
		x := d.X[i*30 : (i+1)*30]
		if got := p.Predict(x); got != batch[i] {
			t.Fatalf("row %d: Predict %d, PredictBatch %d", i, got, batch[i])
		}
		p.Probabilities(probs, x)
		if kernels.ArgMax(probs) != batch[i] || math.Abs(float64(kernels.Sum(probs))-1) > 1e-6 {
			t.Fatalf("row %d: probabilities %v do not sum to 1 or disagree with class %d", i, probs, batch[i])
		}
	}
	x := d.X[:30]
	if a := testing.AllocsPerRun(100, func() { p.Predict(x) }); a != 0 {
		t.Fatalf("Predict allocates %v times per call", a)
	}
	// And at the default network's size, where Sgemm takes its GEMV path.
	big, _ := New([]int{784, 256, 10}, ReLU)
	big.Init(He, 1)
	bp := NewPredictor(big, 1)
	bx := blobs(1, 1, 784, 10, 1).X
	if a := testing.AllocsPerRun(100, func() { bp.Predict(bx) }); a != 0 {
		t.Fatalf("784-256-10 Predict allocates %v times per call", a)
	}
	if a := testing.AllocsPerRun(20, func() { p.PredictBatch(batch, d.X) }); a != 0 {
		t.Fatalf("PredictBatch allocates %v times per call", a)
	}
}

func TestEnsembleAveragesProbabilities(t *testing.T) {
	a, _ := New([]int{6, 8, 3}, ReLU)
	b, _ := New([]int{6, 4, 4, 3}, Sigmoid)
	a.Init(He, 1)
	b.Init(Xavier, 2)
	e, err := NewEnsemble([]*Model{a, b}, 4)
	if err != nil {
		t.Fatal(err)
	}
	d := blobs(5, 10, 6, 3, 1)
	got := make([]float32, 3)
	pa, pb := make([]float32, 3), make([]float32, 3)
	preds := make([]int, 10)
	e.PredictBatch(preds, d.X)
	for i := range 10 {
		x := d.X[i*6 : (i+1)*6]
		e.Probabilities(got, x)
		NewPredictor(a, 1).Probabilities(pa, x)
		NewPredictor(b, 1).Probabilities(pb, x)
		for j := range 3 {
			if want := (pa[j] + pb[j]) / 2; math.Abs(float64(got[j]-want)) > 1e-7 {
				t.Fatalf("row %d class %d: ensemble %v, mean of members %v", i, j, got[j], want)
			}
		}
		if preds[i] != kernels.ArgMax(got) {
			t.Fatalf("row %d: PredictBatch %d, argmax of mean %d", i, preds[i], kernels.ArgMax(got))
		}
	}
	c, _ := New([]int{6, 8, 4}, ReLU)
	if _, err := NewEnsemble([]*Model{a, c}, 4); err == nil || !strings.Contains(err.Error(), "classes must match") {
		t.Fatalf("mismatched ensemble: err = %v", err)
	}
}
