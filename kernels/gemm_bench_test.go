package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// gemmBenchShape is one benchmarked Sgemm: names are m×n×k (C is m×n, the
// inner dimension k).
type gemmBenchShape struct {
	op      string // NN, TN or NT: op(A), op(B)
	m, n, k int
}

var gemmBenchShapes = []gemmBenchShape{
	{"NN", 64, 64, 64},
	{"NN", 128, 128, 128},
	{"NN", 256, 256, 256},
	{"NN", 512, 512, 512},
	{"NN", 1024, 1024, 1024},
	{"NT", 1024, 1024, 1024},
	{"TN", 1024, 1024, 1024},
	{"NN", 2048, 2048, 2048},
	// The MLP (784-256-10, batch 128): forward X·W, weight gradient Xᵀ·dY,
	// input gradient dY·Wᵀ, output layer, single-sample inference.
	{"NN", 128, 256, 784},
	{"TN", 784, 256, 128},
	{"NT", 128, 784, 256},
	{"NN", 128, 10, 256},
	{"NN", 1, 256, 784},
}

// BenchmarkSgemm reports GFLOP/s (2·m·n·k per call) per tier, thread count,
// transposition and shape. The generic tier runs only shapes up to 256³ so
// that -benchtime 1x over everything stays quick.
func BenchmarkSgemm(b *testing.B) {
	defer SetMaxThreads(SetMaxThreads(0))
	for _, i := range availableISAs() {
		for _, threads := range []int{1, 2} {
			for _, s := range gemmBenchShapes {
				if i == isaGeneric && s.m*s.n*s.k > 256*256*256 {
					continue
				}
				name := fmt.Sprintf("isa=%v/threads=%d/op=%s/shape=%dx%dx%d", i, threads, s.op, s.m, s.n, s.k)
				b.Run(name, func(b *testing.B) {
					withISA(b, i)
					SetMaxThreads(threads)
					benchSgemm(b, s)
				})
			}
		}
	}
}

func benchSgemm(b *testing.B, s gemmBenchShape) {
	rng := rand.New(rand.NewPCG(1, 1))
	tA, tB := NoTrans, NoTrans
	if s.op[0] == 'T' {
		tA = Trans
	}
	if s.op[1] == 'T' {
		tB = Trans
	}
	g := newGemmCase(rng, tA, tB, s.m, s.n, s.k, 0, 1, 0)
	for b.Loop() {
		g.run(g.c)
	}
	flops := 2 * float64(s.m) * float64(s.n) * float64(s.k)
	b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkSgemvSplit measures 1×256×784 (single-sample inference's first
// layer) at two threads with the column split of gemvSplit off (its
// default) and on, to judge a gate for it; run it on a quiet machine and
// with the other core busy.
func BenchmarkSgemvSplit(b *testing.B) {
	defer SetMaxThreads(SetMaxThreads(2))
	defer func(saved bool) { gemvSplitEnabled = saved }(gemvSplitEnabled)
	for _, on := range []bool{false, true} {
		b.Run(fmt.Sprintf("split=%v", on), func(b *testing.B) {
			gemvSplitEnabled = on
			benchSgemm(b, gemmBenchShape{"NN", 1, 256, 784})
		})
	}
}
