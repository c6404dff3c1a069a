package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/lanes-go/lanes/bench/probe"
	"github.com/lanes-go/lanes/bench/suite"
	"github.com/lanes-go/lanes/kernels"
	"github.com/lanes-go/lanes/mlp"
	"github.com/lanes-go/lanes/mnist"
)

// epochRound is one round of -mlp: a two-thread epoch between two scaling
// windows, then a one-thread epoch for reference.
type epochRound struct {
	before, after float64 // probe.Scaling around the two-thread epoch
	twoT, oneT    time.Duration
}

// class names where a round's two-thread epoch ran: "separate" when both
// windows around it found a core per thread, "shared" when neither did,
// "changed" otherwise.
func (r epochRound) class() string {
	switch {
	case r.before >= shared && r.after >= shared:
		return "separate"
	case r.before < shared && r.after < shared:
		return "shared"
	}
	return "changed"
}

// watchMLP runs rounds of mlp's BenchmarkTrainEpoch input=mnist set-up
// (784-256-10 ReLU, Nesterov momentum, cosine schedule, batch 128, keep
// probability 0.8, the first 55,000 MNIST training images as bytes) for
// about total: per round, one two-thread epoch between two windows of
// probe.Scaling, then one one-thread epoch. It prints the epoch times
// grouped by the class of the two-thread epoch.
func watchMLP(w io.Writer, total, window time.Duration, isa string, verbose bool) error {
	train, _, err := mnist.Load(context.Background(), mnist.Options{})
	if err != nil {
		return err
	}
	const n = 55000
	dim := train.Dim()
	data := mlp.Data{Codes: train.Pixels[:n*dim], Palette: mnist.Palette(), Labels: train.Labels[:n], Dim: dim}
	epoch := func(threads int) (time.Duration, error) {
		defer kernels.SetMaxThreads(kernels.SetMaxThreads(threads))
		m := suite.NewMLP()
		cfg := mlp.Config{Optimizer: mlp.Optimizer{Kind: mlp.Momentum, LR: 0.01, Nesterov: true},
			Schedule: mlp.Schedule{Kind: mlp.Cosine}, Epochs: 1, BatchSize: 128, KeepProb: 0.8}
		start := time.Now()
		_, err = mlp.Train(context.Background(), m, data, mlp.Data{}, cfg)
		return time.Since(start), err
	}
	var rounds []epochRound
	for start := time.Now(); time.Since(start) < total; {
		var r epochRound
		var err error
		if r.before, err = probe.Scaling(isa, 2, window/2); err != nil {
			return err
		}
		if r.twoT, err = epoch(2); err != nil {
			return err
		}
		if r.after, err = probe.Scaling(isa, 2, window/2); err != nil {
			return err
		}
		if r.oneT, err = epoch(1); err != nil {
			return err
		}
		rounds = append(rounds, r)
		if verbose {
			fmt.Fprintf(w, "%s  %.2f | 2 threads %.3f s | %.2f  (%s)   1 thread %.3f s\n", time.Now().Format("15:04:05.000"),
				r.before, r.twoT.Seconds(), r.after, r.class(), r.oneT.Seconds())
		}
	}
	summarizeRounds(w, rounds)
	return nil
}

// summarizeRounds prints, per class of round, the number of rounds and the
// median epoch times at two threads and at one.
func summarizeRounds(w io.Writer, rounds []epochRound) {
	fmt.Fprintf(w, "%-9s %6s %22s %22s\n", "cores", "rounds", "2 threads, s/epoch", "1 thread, s/epoch")
	for _, c := range []string{"separate", "shared", "changed"} {
		var two, one []time.Duration
		for _, r := range rounds {
			if r.class() == c {
				two, one = append(two, r.twoT), append(one, r.oneT)
			}
		}
		if len(two) == 0 {
			fmt.Fprintf(w, "%-9s %6d\n", c, 0)
			continue
		}
		fmt.Fprintf(w, "%-9s %6d %22s %22s\n", c, len(two), spread(two), spread(one))
	}
}

// spread formats durations as "median (min-max)" in seconds.
func spread(d []time.Duration) string {
	s := slices.Sorted(slices.Values(d))
	return fmt.Sprintf("%.3f (%.3f-%.3f)", s[len(s)/2].Seconds(), s[0].Seconds(), s[len(s)-1].Seconds())
}
