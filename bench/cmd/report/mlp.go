package main

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"time"

	"github.com/lanes-go/lanes/bench/report"
	"github.com/lanes-go/lanes/bench/suite"
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
	m := suite.NewMLP()
	train := suite.SyntheticMNIST(examples)
	cfg := suite.MLPConfig(epochs)
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
