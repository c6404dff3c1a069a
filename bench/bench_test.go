package bench

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/lanes-go/lanes/bench/impls"
	"github.com/lanes-go/lanes/bench/probe"
	"github.com/lanes-go/lanes/bench/suite"
	"github.com/lanes-go/lanes/kernels"
	"github.com/lanes-go/lanes/mlp"
)

// tierEnv is set in the re-run for a lower lanes tier to the tier expected.
const tierEnv = "LANES_BENCH_CHILD_TIER"

// lowerTiers lists the tiers below the current one and the GODEBUG setting
// selecting each.
func lowerTiers() [][2]string {
	switch kernels.ISA() {
	case "avx512":
		return [][2]string{{"avx2", "cpu.avx512f=off"}, {"generic", "cpu.all=off"}}
	case "avx2":
		return [][2]string{{"generic", "cpu.all=off"}}
	case "neon":
		return [][2]string{{"generic", "cpu.asimd=off"}}
	}
	return nil
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	bench := flag.Lookup("test.bench").Value.String()
	if bench == "" || os.Getenv(tierEnv) != "" {
		os.Exit(code)
	}
	if _, err := impls.OpenBLAS(); err != nil {
		// Skip messages of benchmarks show only with -v; say it once anyway.
		fmt.Fprintln(os.Stderr, "bench: OpenBLAS benchmarks skipped:", err)
	}
	if os.Getenv("LANES_BENCH_TIERS") == "current" {
		os.Exit(code)
	}
	for _, t := range lowerTiers() {
		if err := runTier(t[0], t[1]); err != nil {
			fmt.Fprintf(os.Stderr, "bench: re-running for lanes %s: %v\n", t[0], err)
			code = 1
		}
	}
	os.Exit(code)
}

// runTier re-runs this test binary with the benchmarks only, for lanes at
// tier (selected by the GODEBUG setting), streaming its output.
func runTier(tier, godebug string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	args := []string{"-test.run=^$"}
	for _, a := range os.Args[1:] {
		// The re-run measures only; profiles would overwrite the first run's.
		if !strings.HasPrefix(a, "-test.run") && !strings.Contains(a, "profile") {
			args = append(args, a)
		}
	}
	cmd := exec.Command(exe, args...)
	debug := godebug
	if old := os.Getenv("GODEBUG"); old != "" {
		debug = old + "," + godebug
	}
	cmd.Env = append(os.Environ(), "GODEBUG="+debug, tierEnv+"="+tier)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}

// childTier is the tier a lower-tier re-run measures, or "".
func childTier() string { return os.Getenv(tierEnv) }

// onlyInParent skips benchmarks that do not depend on lanes' tier in the
// lower-tier re-runs, which would only repeat them.
func onlyInParent(b *testing.B) {
	if childTier() != "" {
		b.Skip("does not depend on lanes' ISA tier; measured in the first run")
	}
}

// lanesOrSkip returns lanes, skipping if a re-run did not get its tier.
func lanesOrSkip(b *testing.B) impls.Library {
	if want := childTier(); want != "" && kernels.ISA() != want {
		b.Skipf("GODEBUG=%s selected lanes %s, not %s", os.Getenv("GODEBUG"), kernels.ISA(), want)
	}
	return impls.Lanes()
}

// libraries returns the libraries to compare; OpenBLAS's absence is a skip
// reason, reported by the OpenBLAS sub-benchmark.
func libraries(b *testing.B) (libs []impls.Library, openblasErr error) {
	libs = []impls.Library{lanesOrSkip(b)}
	if childTier() != "" {
		return libs, nil
	}
	libs = append(libs, impls.Gonum())
	ob, err := impls.OpenBLAS()
	if err == nil {
		libs = append(libs, ob)
	}
	return libs, err
}

func implName(l impls.Library) string { return strings.ReplaceAll(l.Label(), " ", "-") }

func threadCounts() []int {
	if n := runtime.NumCPU(); n > 1 {
		return []int{1, n}
	}
	return []int{1}
}

func BenchmarkSgemm(b *testing.B) {
	quick := testing.Short()
	var shapes []suite.GemmShape
	for _, n := range suite.SquareSizes(quick) {
		shapes = append(shapes, suite.Square(n))
	}
	shapes = append(shapes, suite.MLPShapes(quick)...)
	libs, obErr := libraries(b)
	procs := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(procs)
	for _, lib := range libs {
		b.Run("impl="+implName(lib), func(b *testing.B) {
			for _, s := range shapes {
				d := suite.NewGemmData(s)
				for _, t := range threadCounts() {
					b.Run(fmt.Sprintf("shape=%s/threads=%d", s.Label(), t), func(b *testing.B) {
						lib.SetThreads(t)
						defer lib.SetThreads(procs)
						for b.Loop() {
							d.Run(lib)
						}
						b.ReportMetric(s.FLOPs()*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
					})
				}
			}
		})
	}
	if obErr != nil && childTier() == "" {
		b.Run("impl=openblas", func(b *testing.B) { b.Skip(obErr) })
	}
}

func BenchmarkVec(b *testing.B) {
	libs, obErr := libraries(b)
	procs := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(procs)
	for _, op := range suite.VecOps() {
		b.Run("op="+op.Name, func(b *testing.B) {
			for _, lib := range libs {
				for _, n := range suite.VecSizes(testing.Short()) {
					d := suite.NewVecData(n)
					fn := op.Bind(lib, d)
					if fn == nil {
						continue // the BLAS libraries lack lanes' elementwise ops
					}
					b.Run(fmt.Sprintf("impl=%s/n=%d", implName(lib), n), func(b *testing.B) {
						lib.SetThreads(1)
						defer lib.SetThreads(procs)
						b.SetBytes(int64(op.Bytes * n))
						for b.Loop() {
							fn()
						}
					})
				}
			}
			if obErr != nil && childTier() == "" && op.Bind(impls.Gonum(), suite.NewVecData(0)) != nil {
				b.Run("impl=openblas", func(b *testing.B) { b.Skip(obErr) })
			}
		})
	}
}

// BenchmarkPeak reports the FMA ceiling that GFLOP/s figures compare with.
func BenchmarkPeak(b *testing.B) {
	onlyInParent(b)
	if len(probe.ISAs()) == 0 {
		b.Skip("no assembly peak probe in this build (purego or an unsupported GOARCH)")
	}
	for _, isa := range probe.ISAs() {
		for _, t := range threadCounts() {
			b.Run(fmt.Sprintf("isa=%s/threads=%d", isa, t), func(b *testing.B) {
				best := 0.0
				for b.Loop() {
					f, err := probe.PeakFLOPS(isa, t, 20*time.Millisecond)
					if err != nil {
						b.Fatal(err)
					}
					best = max(best, f)
				}
				b.ReportMetric(best/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkBandwidth reports the memory bandwidth that vector kernels'
// throughput compares with.
func BenchmarkBandwidth(b *testing.B) {
	onlyInParent(b)
	if len(probe.ISAs()) == 0 {
		b.Skip("no assembly bandwidth probe in this build (purego or an unsupported GOARCH)")
	}
	for _, k := range []probe.Kind{probe.Read, probe.Triad} {
		for _, lv := range probe.Levels() {
			for _, t := range threadCounts() {
				b.Run(fmt.Sprintf("kind=%s/level=%s/threads=%d", k, lv.Name, t), func(b *testing.B) {
					best := 0.0
					for b.Loop() {
						bw, err := probe.Bandwidth("", k, lv, t, 20*time.Millisecond)
						if err != nil {
							b.Fatal(err)
						}
						best = max(best, bw)
					}
					b.ReportMetric(best/1e9, "GB/s")
				})
			}
		}
	}
}

// BenchmarkMLP measures the trainer (one epoch per iteration) and
// single-sample inference on the README's network with synthetic data.
func BenchmarkMLP(b *testing.B) {
	lib := lanesOrSkip(b)
	tier := "isa=" + lib.Variant
	b.Run(tier+"/op=train-epoch", func(b *testing.B) {
		examples := 8192
		if testing.Short() {
			examples = 1024
		}
		data := suite.SyntheticMNIST(examples)
		m := suite.NewMLP()
		for b.Loop() {
			if _, err := mlp.Train(b.Context(), m, data, mlp.Data{Dim: data.Dim}, suite.MLPConfig(1)); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(examples)*float64(b.N)/b.Elapsed().Seconds(), "examples/s")
	})
	b.Run(tier+"/op=predict", func(b *testing.B) {
		data := suite.SyntheticMNIST(64)
		p := mlp.NewPredictor(suite.NewMLP(), 1)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			p.Predict(data.X[i*data.Dim : (i+1)*data.Dim])
			i = (i + 1) % data.Len()
		}
	})
}

// TestBenchmarksRunOnce runs every benchmark body once, so go test (without
// -bench) catches a broken case; testing.Benchmark reports a failure as a
// zero result.
func TestBenchmarksRunOnce(t *testing.T) {
	if !testing.Short() {
		t.Skip("runs only with -short, where the matrix is small")
	}
	d := suite.NewGemmData(suite.Square(64))
	for _, lib := range []impls.Library{impls.Lanes(), impls.Gonum()} {
		d.Run(lib)
		var nonzero bool
		for _, v := range d.C {
			nonzero = nonzero || v != 0
		}
		if !nonzero {
			t.Errorf("%s: Sgemm left C all zero", lib.Label())
		}
		for _, op := range suite.VecOps() {
			if fn := op.Bind(lib, suite.NewVecData(256)); fn != nil {
				fn()
			}
		}
	}
}
