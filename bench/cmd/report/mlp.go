package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"time"

	"github.com/lanes-go/lanes/bench/report"
	"github.com/lanes-go/lanes/kernels"
	"github.com/lanes-go/lanes/mlp"
)

// measureMLP times the trainer (examples/s per epoch) and single-sample
// Predict (latency percentiles) on the README's network, 784-256-10 ReLU with
// batches of 128 and SGD with momentum, at lanes' default tier and thread
// cap. The data is synthetic (uniform pixels in [0,1), random labels): the
// cost of a step does not depend on the values, and the report then needs
// no download.
func measureMLP(r *report.Report, o options) {
	examples, epochs, calls := 60000, 3, 20000
	if o.quick {
		examples, epochs, calls = 4096, 2, 2000
	}
	sizes := []int{784, 256, 10}
	m, err := mlp.New(sizes, mlp.ReLU)
	if err != nil {
		r.MLPNote = "MLP not measured: " + err.Error()
		return
	}
	m.Init(mlp.He, 1)
	rng := rand.New(rand.NewPCG(1, 2))
	train := mlp.Data{X: make([]float32, examples*784), Labels: make([]uint8, examples), Dim: 784}
	for i := range train.X {
		train.X[i] = rng.Float32()
	}
	for i := range train.Labels {
		train.Labels[i] = uint8(rng.IntN(10))
	}
	cfg := mlp.Config{
		Optimizer: mlp.Optimizer{Kind: mlp.Momentum, LR: 0.01},
		BatchSize: 128,
		Epochs:    epochs,
	}
	res, err := mlp.Train(context.Background(), m, train, mlp.Data{Dim: 784}, cfg)
	if err != nil {
		r.MLPNote = "MLP not measured: " + err.Error()
		return
	}
	var rates []float64
	for _, e := range res.Epochs {
		rates = append(rates, e.ExamplesPerS)
	}

	p := mlp.NewPredictor(m, 1)
	x := train.X[:784]
	for range calls / 10 { // warm-up
		p.Predict(x)
	}
	lat := make([]time.Duration, calls)
	for i := range lat {
		x := train.X[(i%examples)*784 : (i%examples+1)*784]
		t0 := time.Now()
		p.Predict(x)
		lat[i] = time.Since(t0)
	}
	slices.Sort(lat)
	r.MLP = &report.MLP{
		Config: fmt.Sprintf("784-256-10 ReLU, batch 128, SGD momentum, %d synthetic examples × %d epochs, lanes %s, up to %d threads",
			examples, epochs, kernels.ISA(), runtime.GOMAXPROCS(0)),
		ExamplesPerS: report.Summarize(rates),
		PredictP50:   lat[len(lat)/2],
		PredictP99:   lat[len(lat)*99/100],
		Calls:        calls,
	}
}
