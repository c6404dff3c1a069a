package mlp

import (
	"context"
	"fmt"
	"testing"

	"github.com/lanes-go/lanes/kernels"
)

// BenchmarkTrainEpoch trains the default 784-256-10 network (Nesterov
// momentum, batch 128, cosine schedule, the train command's keep
// probability 0.8) on 6,000 synthetic examples per iteration, at 1 and 2
// threads, and reports the full 60,000-example epoch equivalent: s/epoch
// and examples/s. input=sparse has MNIST's density (about 20% nonzero
// features, so the first layer takes the sparse path); input=dense has no
// zeros (the dense Sgemm path, as for inputs like standardised features).
func BenchmarkTrainEpoch(b *testing.B) {
	const n = 6000
	inputs := []struct {
		name string
		data Data
	}{{"sparse", sparseBlobs(1, n, 784, 10)}, {"dense", blobs(1, n, 784, 10, 1)}}
	for _, in := range inputs {
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("input=%s/threads=%d", in.name, threads), func(b *testing.B) {
				prev := kernels.SetMaxThreads(threads)
				defer kernels.SetMaxThreads(prev)
				m, _ := New([]int{784, 256, 10}, ReLU)
				m.Init(He, 1)
				cfg := Config{Optimizer: Optimizer{Kind: Momentum, LR: 0.01, Nesterov: true},
					Schedule: Schedule{Kind: Cosine}, Epochs: 1, BatchSize: 128, KeepProb: 0.8}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Train(context.Background(), m, in.data, Data{}, cfg); err != nil {
						b.Fatal(err)
					}
				}
				perExample := b.Elapsed().Seconds() / float64(b.N) / n
				b.ReportMetric(1/perExample, "examples/s")
				b.ReportMetric(60000*perExample, "s/epoch")
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
