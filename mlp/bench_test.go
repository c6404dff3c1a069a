package mlp

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/lanes-go/lanes/internal/mnisttest"
	"github.com/lanes-go/lanes/kernels"
	"github.com/lanes-go/lanes/mnist"
)

// BenchmarkTrainEpoch trains the default 784-256-10 network (Nesterov
// momentum, batch 128, cosine schedule, the train command's keep
// probability 0.8) for one epoch of 55,000 examples per iteration (the
// train command's epoch: MNIST's 60,000 training images less the 5,000 held
// out for validation), at 1 and 2 threads, and reports s/epoch and
// examples/s. For comparison, threads=2/feed=inline prepares the next batch
// between steps rather than beside them (batchFeeder), and
// threads=2/tail=by-layer takes the per-example part of each step layer by
// layer rather than in blocks of examples (see trainer.gradients). Each
// iteration is a whole Train call, so its fixed costs (workspace, the input
// density check) are counted once per epoch, as in the command.
// input=mnist is the first 55,000 MNIST training images (19% nonzero
// pixels: the first layer takes the sparse path; skipped when MNIST is
// unavailable, see internal/mnisttest) with the pixels as bytes
// (Data.Codes), as the train command gives them, and input=mnist-float32
// the same images as float32 (Data.X); input=sparse is synthetic data of
// about the same density, whose nonzeros are scattered rather than inked in
// strokes; input=dense has no zeros (the dense Sgemm path, as for inputs
// like standardised features).
func BenchmarkTrainEpoch(b *testing.B) {
	const n = 55000
	inputs := []struct {
		name string
		data func(b *testing.B) Data
	}{
		{"mnist", func(b *testing.B) Data {
			train, _ := mnisttest.Load(b)
			return Data{Codes: train.Pixels[:n*train.Dim()], Palette: mnist.Palette(), Labels: train.Labels[:n], Dim: train.Dim()}
		}},
		{"mnist-float32", func(b *testing.B) Data {
			train, _ := mnisttest.Load(b)
			return Data{X: train.Images[:n*train.Dim()], Labels: train.Labels[:n], Dim: train.Dim()}
		}},
		{"sparse", func(*testing.B) Data { return sparseBlobs(1, n, 784, 10) }},
		{"dense", func(*testing.B) Data { return blobs(1, n, 784, 10, 1) }},
	}
	type run struct {
		threads int
		name    string
		ahead   bool // batchFeeder fills the next batch beside the step
		blocks  bool // the per-example part of a step in blocks (rowChain)
	}
	runs := []run{{1, "threads=1", true, true}, {2, "threads=2", true, true},
		{2, "threads=2/feed=inline", false, true}, {2, "threads=2/tail=by-layer", true, false}}
	for _, in := range inputs {
		for _, r := range runs {
			b.Run(fmt.Sprintf("input=%s/%s", in.name, r.name), func(b *testing.B) {
				data := in.data(b)
				prev := kernels.SetMaxThreads(r.threads)
				defer kernels.SetMaxThreads(prev)
				defer func(ahead, blocks bool) { feedAhead, rowChains = ahead, blocks }(feedAhead, rowChains)
				feedAhead, rowChains = r.ahead, r.blocks
				m, _ := New([]int{784, 256, 10}, ReLU)
				m.Init(He, 1)
				cfg := Config{Optimizer: Optimizer{Kind: Momentum, LR: 0.01, Nesterov: true},
					Schedule: Schedule{Kind: Cosine}, Epochs: 1, BatchSize: 128, KeepProb: 0.8}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Train(context.Background(), m, data, Data{}, cfg); err != nil {
						b.Fatal(err)
					}
				}
				perEpoch := b.Elapsed().Seconds() / float64(b.N)
				b.ReportMetric(n/perEpoch, "examples/s")
				b.ReportMetric(perEpoch, "s/epoch")
			})
		}
	}
}

// BenchmarkPredict is single-sample inference with the 784-256-10 network,
// on an MNIST-like input (about 20% nonzero features: the first layer takes
// the sparse path) and on a dense one.
func BenchmarkPredict(b *testing.B) {
	m, _ := New([]int{784, 256, 10}, ReLU)
	m.Init(He, 1)
	for _, in := range []struct {
		name string
		x    []float32
	}{{"sparse", sparseBlobs(2, 1, 784, 10).X}, {"dense", blobs(2, 1, 784, 10, 1).X}} {
		b.Run("input="+in.name, func(b *testing.B) {
			p := NewPredictor(m, 1)
			b.ReportAllocs()
			for b.Loop() {
				p.Predict(in.x)
			}
		})
	}
}

// BenchmarkSampleMasks draws the dropout mask of the 784-256-10 network's
// hidden layer for a batch of 128 (32,768 units: 8,192 SplitMix64 draws in
// kernels.DropoutMask) on one thread.
func BenchmarkSampleMasks(b *testing.B) {
	defer kernels.SetMaxThreads(kernels.SetMaxThreads(1))
	m, _ := New([]int{784, 256, 10}, ReLU)
	t := newTrainer(m, Optimizer{Kind: SGD, LR: 0.1}, 0, 0.8, 128, 1)
	b.SetBytes(int64(len(t.in.masks[0]) * 8))
	for b.Loop() {
		t.sampleMasks(128)
	}
}

// BenchmarkFeed times what the feeder does for each training step on one
// thread (batchFeeder.fill): gather 128 random examples of the first
// 55,000 MNIST training images, convert them to the two CSR forms and draw
// the dropout masks, with the features stored as float32 (Data.X) and as
// bytes (Data.Codes with mnist's Palette).
func BenchmarkFeed(b *testing.B) {
	train, _ := mnisttest.Load(b)
	const n = 55000
	dim := train.Dim()
	for _, in := range []struct {
		name string
		data Data
	}{
		{"float32", Data{X: train.Images[:n*dim], Labels: train.Labels[:n], Dim: dim}},
		{"bytes", Data{Codes: train.Pixels[:n*dim], Palette: mnist.Palette(), Labels: train.Labels[:n], Dim: dim}},
	} {
		b.Run("features="+in.name, func(b *testing.B) {
			m, _ := New([]int{dim, 256, 10}, ReLU)
			t := newTrainer(m, Optimizer{Kind: SGD, LR: 0.1}, 0, 0.8, 128, 1)
			t.sparseInput = true
			f := newBatchFeeder(t, in.data, 128)
			order := rand.New(rand.NewPCG(1, 2)).Perm(n)
			step := 0
			for b.Loop() {
				lo := step * 128 % (n - 128)
				step++
				f.fill(feedJob{slot: step % 2, rows: order[lo : lo+128], batch: uint64(step)}, false)
			}
		})
	}
}
