package mlp

import (
	"context"
	"fmt"
	"testing"

	"github.com/lanes-go/lanes/kernels"
)

// BenchmarkTrainEpoch trains the default 784-256-10 network (Nesterov
// momentum, batch 128, cosine schedule) on a synthetic 784-feature set of
// 6,000 examples per iteration, at 1 and 2 threads, without dropout and with
// the train command's default keep probability 0.8, and reports the full
// 60,000-example epoch equivalent: s/epoch and examples/s. Real MNIST costs
// the same per example, as no kernel's work depends on the pixel values.
func BenchmarkTrainEpoch(b *testing.B) {
	const n = 6000
	data := blobs(1, n, 784, 10, 1)
	for _, threads := range []int{1, 2} {
		for _, keep := range []float32{1, 0.8} {
			b.Run(fmt.Sprintf("threads=%d/keep=%v", threads, keep), func(b *testing.B) {
				prev := kernels.SetMaxThreads(threads)
				defer kernels.SetMaxThreads(prev)
				m, _ := New([]int{784, 256, 10}, ReLU)
				m.Init(He, 1)
				cfg := Config{Optimizer: Optimizer{Kind: Momentum, LR: 0.01, Nesterov: true},
					Schedule: Schedule{Kind: Cosine}, Epochs: 1, BatchSize: 128, KeepProb: keep}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Train(context.Background(), m, data, Data{}, cfg); err != nil {
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

// BenchmarkPredict is single-sample inference with the 784-256-10 network.
func BenchmarkPredict(b *testing.B) {
	m, _ := New([]int{784, 256, 10}, ReLU)
	m.Init(He, 1)
	p := NewPredictor(m, 1)
	x := blobs(2, 1, 784, 10, 1).X
	b.ReportAllocs()
	for b.Loop() {
		p.Predict(x)
	}
}
