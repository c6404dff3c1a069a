package mlp

import (
	"context"
	"testing"
)

// BenchmarkTrainEpoch trains the default 784-256-10 network (momentum SGD,
// batch 128) on a synthetic 784-feature set of 6,000 examples per iteration
// and reports the full 60,000-example epoch equivalent: s/epoch and
// examples/s. Real MNIST gives the same timing, as the work per example does
// not depend on the pixel values.
func BenchmarkTrainEpoch(b *testing.B) {
	const n = 6000
	data := blobs(1, n, 784, 10, 1)
	m, _ := New([]int{784, 256, 10}, ReLU)
	m.Init(He, 1)
	cfg := Config{Optimizer: Optimizer{Kind: Momentum, LR: 0.01, Nesterov: true}, Epochs: 1, BatchSize: 128}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Train(context.Background(), m, data, Data{}, cfg); err != nil {
			b.Fatal(err)
		}
	}
	perExample := b.Elapsed().Seconds() / float64(b.N) / n
	b.ReportMetric(1/perExample, "examples/s")
	b.ReportMetric(60000*perExample, "s/epoch")
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
