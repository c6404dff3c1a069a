// Package bench compares lanes with gonum, OpenBLAS and this CPU's own peak.
// It is its own module (bench/go.mod replaces lanes with ../) so the main
// module stays free of gonum and cgo.
//
// Side-by-side benchmarks, from the bench directory:
//
//	go test -bench .                      # everything (long); add -short for the small matrix
//	go test -bench 'Sgemm/.*shape=NN_1024' -count 5 | benchstat -col /impl -
//	go test -tags openblas -bench .       # also OpenBLAS through cgo (libopenblas-dev)
//
// Benchmark names are key=value: BenchmarkSgemm/impl=lanes-avx512/shape=NN_128x256x784/threads=1,
// BenchmarkVec/op=axpy/impl=gonum/n=4096, BenchmarkPeak/isa=avx512/threads=2,
// BenchmarkBandwidth/kind=triad/level=L2/threads=1, BenchmarkMLP/...
// GEMM reports GFLOP/s, vector kernels MB/s (b.SetBytes), the trainer examples/s.
//
// lanes picks its ISA tier once at start-up, so after the benchmarks run at
// the best tier, TestMain runs the test binary again for each lower tier this
// CPU has (GODEBUG=cpu.avx512f=off for avx2, cpu.all=off for generic;
// cpu.asimd=off on arm64), and those runs measure only lanes. Their output
// follows in the same stream, so one command compares every tier. Set
// LANES_BENCH_TIERS=current to measure only the tier GODEBUG selected.
//
// Figures with several threads assume a core per thread, which a virtual
// machine does not always give: cmd/scaling watches that over time
// (probe.Scaling), and with -mlp it groups the trainer's two-thread epochs by
// what it saw.
//
// Without the openblas tag the OpenBLAS benchmarks skip, saying how to enable
// them. For the Markdown table and chart of the README, see cmd/report.
package bench
