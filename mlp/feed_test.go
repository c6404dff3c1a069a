package mlp

import (
	"context"
	"testing"

	"github.com/lanes-go/lanes/kernels"
)

// TestTrainFeedAheadSameBits: filling the next batch beside the current
// step (batchFeeder on the pool's worker) gives the weights of filling it
// between steps, on the sparse and the dense path, with dropout, over
// epoch boundaries and a partial last batch (1000 = 7·128 + 104).
func TestTrainFeedAheadSameBits(t *testing.T) {
	defer kernels.SetMaxThreads(kernels.SetMaxThreads(2))
	defer func(old bool) { feedAhead = old }(feedAhead)
	for _, d := range []struct {
		name string
		data Data
	}{{"sparse", sparseBlobs(6, 1000, 300, 10)}, {"dense", blobs(6, 1000, 300, 10, 1)}} {
		run := func(ahead bool) *Model {
			feedAhead = ahead
			m, _ := New([]int{300, 64, 32, 10}, ReLU)
			m.Init(He, 3)
			if _, err := Train(context.Background(), m, d.data, Data{}, Config{
				Optimizer: Optimizer{Kind: Momentum, LR: 0.05, Nesterov: true}, Epochs: 3, BatchSize: 128, KeepProb: 0.8, Seed: 2,
			}); err != nil {
				t.Fatal(err)
			}
			return m
		}
		if !sameParams(run(true), run(false)) {
			t.Errorf("%s: weights differ with the next batch filled beside the step", d.name)
		}
	}
}

// TestTrainCancelledWhileFeeding: a cancellation between steps, with the
// next batch being filled beside the step, returns the context's error
// after the task is done (the race detector would see a task still
// writing the trainer's buffers).
func TestTrainCancelledWhileFeeding(t *testing.T) {
	defer kernels.SetMaxThreads(kernels.SetMaxThreads(2))
	d := sparseBlobs(7, 1000, 300, 10)
	m, _ := New([]int{300, 64, 10}, ReLU)
	m.Init(He, 3)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res, err := Train(ctx, m, d, Data{}, Config{
		Optimizer: Optimizer{Kind: SGD, LR: 0.05}, Epochs: 2, BatchSize: 128, KeepProb: 0.8,
		OnBatch: func(done, _ int) {
			if done == 384 { // after the third step: the fourth is being filled
				cancel()
			}
		},
	})
	if err != context.Canceled {
		t.Fatalf("Train returned %v, want context.Canceled", err)
	}
	if len(res.Epochs) != 0 {
		t.Fatalf("Train reports %d finished epochs after a cancel in the first", len(res.Epochs))
	}
}
