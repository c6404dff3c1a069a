// Command report measures lanes against gonum, OpenBLAS and this CPU's own
// FMA peak and memory bandwidth, prints a Markdown table and writes it to
// RESULTS.md beside an SVG chart of SGEMM GFLOP/s against matrix size.
//
// Run it from the bench directory (bench is its own Go module):
//
//	cd bench && go run ./cmd/report            # full matrix, a few minutes
//	cd bench && go run ./cmd/report -quick     # CI smoke run, well under a minute
//	cd bench && go run -tags openblas ./cmd/report   # also OpenBLAS (cgo, libopenblas-dev)
//
// or from the repository root with go run -C bench ./cmd/report.
//
// lanes is measured at every ISA tier this CPU supports (each in a worker
// process started with the GODEBUG setting that selects it), OpenBLAS at its
// auto-detected core type and, on amd64, with OPENBLAS_CORETYPE=SkylakeX and
// Haswell (AVX-512 and AVX2 kernels).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/klauspost/cpuid/v2"
	"github.com/lanes-go/lanes/bench/impls"
	"github.com/lanes-go/lanes/bench/probe"
	"github.com/lanes-go/lanes/bench/report"
	"github.com/lanes-go/lanes/bench/suite"
)

type options struct {
	quick   bool
	reps    int
	minTime time.Duration
	budget  time.Duration // a first call slower than this is measured once
	maxCall time.Duration // a call predicted slower than this is skipped
	out     string
	mlp     bool
}

func main() {
	var o options
	workerKind := flag.String("worker", "", "internal: run as a measurement worker of this kind (lanes, gonum, openblas)")
	flag.BoolVar(&o.quick, "quick", false, "small matrix and short repetitions, for CI (well under a minute)")
	flag.IntVar(&o.reps, "reps", 0, "repetitions per case (default 5, -quick 3)")
	flag.DurationVar(&o.minTime, "mintime", 0, "minimum duration of one repetition (default 150ms, -quick 15ms)")
	flag.StringVar(&o.out, "out", ".", "directory for RESULTS.md, chart.svg and chart-threads.svg; empty writes nothing")
	flag.BoolVar(&o.mlp, "mlp", true, "measure the MLP trainer's throughput and Predict latency")
	flag.Parse()

	if *workerKind != "" {
		if err := serveWorker(*workerKind, os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "report worker:", err)
			os.Exit(1)
		}
		return
	}
	if o.reps == 0 {
		o.reps = 5
		if o.quick {
			o.reps = 3
		}
	}
	if o.minTime == 0 {
		o.minTime = 150 * time.Millisecond
		if o.quick {
			o.minTime = 15 * time.Millisecond
		}
	}
	o.budget, o.maxCall = 3*time.Second, 30*time.Second
	if o.quick {
		o.budget, o.maxCall = 200*time.Millisecond, time.Second
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

var started = time.Now()

// progress reports to stderr, stamped with the time since start.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%6.1fs "+format+"\n", append([]any{time.Since(started).Seconds()}, args...)...)
}

func run(o options) error {
	start := time.Now()
	cores := runtime.NumCPU()
	threadCounts := []int{1}
	if cores > 1 {
		threadCounts = append(threadCounts, cores)
	}
	r := &report.Report{Machine: machine(o, cores)}
	startLoad := loadAverage()

	progress("probing FMA peak and memory bandwidth ...")
	measureProbes(r, o, threadCounts)

	workers, notes := startWorkers()
	defer func() {
		for _, w := range workers {
			w.stop()
		}
	}()
	r.Machine.Notes = append(r.Machine.Notes, notes...)
	if len(workers) == 0 {
		return fmt.Errorf("no implementation could be started")
	}
	for _, w := range workers {
		r.Impls = append(r.Impls, w.label)
		if r.Baseline == "" && w.kind == "lanes" {
			r.Baseline = w.label
		}
	}
	progress("implementations: %s", strings.Join(r.Impls, ", "))

	measureMatrix(r, o, workers, threadCounts)
	for _, w := range workers {
		w.stop()
	}
	workers = nil

	if o.mlp {
		progress("measuring the MLP trainer and Predict ...")
		measureMLP(r, o)
	}
	if startLoad != "" {
		// Other processes competing for the cores lower every figure and
		// widen the spreads; say how busy the machine was.
		r.Machine.Notes = append(r.Machine.Notes, fmt.Sprintf("system load average (1 min) at start %s, at end %s", startLoad, loadAverage()))
	}

	var md bytes.Buffer
	if err := r.Markdown(&md); err != nil {
		return err
	}
	os.Stdout.Write(md.Bytes())
	if o.out != "" {
		if err := writeFile(filepath.Join(o.out, "RESULTS.md"), md.Bytes()); err != nil {
			return err
		}
		for _, t := range threadCounts {
			name := "chart.svg"
			if t > 1 {
				name = "chart-threads.svg"
			}
			var svg bytes.Buffer
			if err := r.SVG(&svg, t); err != nil {
				return err
			}
			if err := writeFile(filepath.Join(o.out, name), svg.Bytes()); err != nil {
				return err
			}
		}
		progress("wrote RESULTS.md and charts to %s", o.out)
	}
	progress("done in %s", time.Since(start).Round(time.Second))
	return nil
}

// writeFile replaces path atomically, so an interrupted run never leaves a
// half-written table for the README.
func writeFile(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func machine(o options, cores int) report.Machine {
	l1, l2, l3 := probe.CacheSizes()
	cpu := strings.TrimSpace(cpuid.CPU.BrandName)
	if cpu == "" {
		cpu = "unknown CPU"
	}
	if cpuid.CPU.Family != 0 {
		// Brand strings in VMs can be bare ("AMD EPYC"); family and model
		// name the generation (AMD family 25 is Zen 3/4, 26 is Zen 5).
		cpu += fmt.Sprintf(", family %d model %d", cpuid.CPU.Family, cpuid.CPU.Model)
	}
	cmd := "cd bench && go run ./cmd/report"
	if impls.OpenBLASBuilt {
		cmd = "cd bench && go run -tags openblas ./cmd/report"
	}
	if o.quick {
		cmd += " -quick"
	}
	m := report.Machine{
		CPU:      cpu,
		Caches:   fmt.Sprintf("L1d %s, L2 %s, L3 %s", kib(l1), kib(l2), kib(l3)),
		Cores:    cores,
		Platform: fmt.Sprintf("%s/%s, %s", runtime.GOOS, runtime.GOARCH, runtime.Version()),
		Date:     time.Now(),
		Command:  cmd,
		Method: fmt.Sprintf("Each figure is the median of %d repetitions, each at least %s of back-to-back calls after a warm-up; "+
			"repetitions are interleaved across implementations, each running in its own process "+
			"(lanes' ISA tier is chosen at start-up, selected here with GODEBUG; OpenBLAS's kernels with OPENBLAS_CORETYPE).",
			o.reps, o.minTime),
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == "gonum.org/v1/gonum" {
				m.Libraries = append(m.Libraries, "gonum "+d.Version+" (blas/gonum)")
			}
		}
	}
	if rev, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output(); err == nil {
		lanes := "lanes at commit " + strings.TrimSpace(string(rev))
		// bench builds lanes from ../, the working tree, not the commit.
		if exec.Command("git", "diff", "--quiet", "HEAD", "--", "..").Run() != nil {
			lanes += " plus uncommitted changes in the working tree"
		}
		m.Libraries = append([]string{lanes}, m.Libraries...)
	}
	for _, name := range []string{"GODEBUG", "OPENBLAS_CORETYPE", "GOMAXPROCS"} {
		if v, ok := os.LookupEnv(name); ok {
			m.Notes = append(m.Notes, fmt.Sprintf("environment: %s=%s", name, v))
		}
	}
	if o.quick {
		m.Notes = append(m.Notes, "quick mode: a reduced matrix with short repetitions, for smoke tests; do not quote these figures")
	}
	return m
}

func kib(b int) string {
	if b >= 1<<20 {
		return fmt.Sprintf("%d MiB", b>>20)
	}
	return fmt.Sprintf("%d KiB", b>>10)
}

// measureProbes fills the peak and bandwidth tables: the best of the
// repetitions, since a probe measures a ceiling.
func measureProbes(r *report.Report, o options, threadCounts []int) {
	dur := o.minTime
	for _, isa := range probe.ISAs() {
		for _, t := range threadCounts {
			for range o.reps {
				if f, err := probe.PeakFLOPS(isa, t, dur); err == nil {
					raisePeak(r, isa, t, f/1e9)
				}
			}
		}
	}
	if len(probe.ISAs()) == 0 {
		return
	}
	for _, lv := range probe.Levels() {
		for _, t := range threadCounts {
			for _, k := range []probe.Kind{probe.Read, probe.Triad} {
				best := 0.0
				for range o.reps {
					if bw, err := probe.Bandwidth("", k, lv, t, dur); err == nil {
						best = max(best, bw)
					}
				}
				r.Bandwidth = append(r.Bandwidth, report.Bandwidth{Level: lv.Name, Bytes: lv.Bytes, Kind: k.String(), Threads: t, GBps: best / 1e9})
			}
		}
	}
	probe.ReleaseBuffers()
}

// startWorkers starts one worker per distinct implementation: lanes at each
// ISA tier, gonum, and OpenBLAS at each core type. Settings that land on an
// implementation already running (an AVX2-only CPU ignores
// cpu.avx512f=off) are dropped.
func startWorkers() ([]*worker, []string) {
	type config struct {
		kind string
		env  []string
	}
	var configs []config
	switch runtime.GOARCH {
	case "amd64":
		configs = append(configs, config{"lanes", nil}, config{"lanes", []string{"GODEBUG=cpu.avx512f=off"}},
			config{"lanes", []string{"GODEBUG=cpu.all=off"}})
	case "arm64":
		configs = append(configs, config{"lanes", nil}, config{"lanes", []string{"GODEBUG=cpu.asimd=off"}})
	default:
		configs = append(configs, config{"lanes", nil})
	}
	configs = append(configs, config{"gonum", nil})
	var notes []string
	if impls.OpenBLASBuilt {
		configs = append(configs, config{"openblas", nil})
		if runtime.GOARCH == "amd64" {
			configs = append(configs, config{"openblas", []string{"OPENBLAS_CORETYPE=SkylakeX"}},
				config{"openblas", []string{"OPENBLAS_CORETYPE=Haswell"}})
		}
		notes = append(notes, "OpenBLAS runs at its auto-detected core type and, on amd64, with OPENBLAS_CORETYPE=SkylakeX (AVX-512 kernels) and Haswell (AVX2); duplicates are dropped")
	} else {
		_, err := impls.OpenBLAS()
		notes = append(notes, "OpenBLAS skipped: "+err.Error())
	}
	var workers []*worker
	for _, c := range configs {
		w, err := startWorker(c.kind, c.env)
		if err != nil {
			notes = append(notes, err.Error())
			continue
		}
		if slices.ContainsFunc(workers, func(o *worker) bool { return o.label == w.label }) {
			w.stop()
			continue
		}
		workers = append(workers, w)
	}
	return workers, notes
}

type caseResult struct {
	samples []float64 // seconds per call
	skip    bool      // no such operation, or predicted too slow
	single  bool
}

// measureMatrix runs every case on every worker, repetitions interleaved.
func measureMatrix(r *report.Report, o options, workers []*worker, threadCounts []int) {
	var gemmCases []Case
	for _, t := range threadCounts {
		for _, n := range suite.SquareSizes(o.quick) {
			s := suite.Square(n)
			gemmCases = append(gemmCases, Case{Gemm: &s, Threads: t})
		}
		for _, s := range suite.MLPShapes(o.quick) {
			gemmCases = append(gemmCases, Case{Gemm: &s, Threads: t})
		}
	}
	var vecCases []Case
	for _, op := range suite.VecOps() {
		for _, n := range suite.VecSizes(o.quick) {
			vecCases = append(vecCases, Case{Op: op.Name, N: n})
		}
	}
	// lastSquare[worker][threads] is the per-call time on the previous square,
	// to skip a larger one that would take too long (generic code at 2048³).
	type wt struct {
		w       *worker
		threads int
	}
	lastSquare := map[wt][2]float64{} // flops, seconds
	skipped := map[string]bool{}
	for ci, c := range append(gemmCases, vecCases...) {
		progress("[%d/%d] %s", ci+1, len(gemmCases)+len(vecCases), c)
		results := make([]caseResult, len(workers))
		var probeGBps float64
		if op, ok := suite.VecOpByName(c.Op); ok && len(probe.ISAs()) > 0 {
			// The bandwidth this op's traffic could reach: the probe of the
			// same kind on the same working set, measured now (workers idle).
			lv := probe.Level{Name: "op", Bytes: op.Arrays * c.N * 4}
			for range o.reps {
				if bw, err := probe.Bandwidth("", op.Kind, lv, 1, o.minTime); err == nil {
					probeGBps = max(probeGBps, bw/1e9)
				}
			}
		}
		if c.Gemm != nil && c.Gemm.Name == "square" {
			for i, w := range workers {
				if prev, ok := lastSquare[wt{w, c.Threads}]; ok {
					predicted := prev[1] * c.Gemm.FLOPs() / prev[0]
					if predicted > o.maxCall.Seconds() {
						results[i].skip = true
						skipped[fmt.Sprintf("%s at %d³ (predicted %.0f s per call)", w.label, c.Gemm.M, predicted)] = true
					}
				}
			}
		}
		for range o.reps {
			for i, w := range workers {
				if w.dead || results[i].skip || results[i].single {
					continue
				}
				rep, err := w.do(request{Case: c, MinTime: o.minTime, Budget: o.budget})
				if err != nil {
					progress("  %s: worker died: %v", w.label, err)
					r.Machine.Notes = append(r.Machine.Notes, fmt.Sprintf("%s stopped answering on %s (%v); its later cases are missing", w.label, c, err))
					w.dead = true
					continue
				}
				switch {
				case rep.Error != "":
					progress("  %s: %s", w.label, rep.Error)
					r.Machine.Notes = append(r.Machine.Notes, fmt.Sprintf("%s failed on %s: %s", w.label, c, rep.Error))
					results[i].skip = true
				case rep.Skip:
					results[i].skip = true
				default:
					results[i].samples = append(results[i].samples, rep.Seconds)
					results[i].single = rep.Single
				}
				// OpenBLAS's threads spin for a while after a parallel call;
				// let them sleep before the next implementation runs.
				if w.kind == "openblas" && c.Threads > 1 {
					time.Sleep(100 * time.Millisecond)
				}
			}
		}
		if c.Gemm != nil {
			// Re-probe the peak between cases and keep the best: on a shared
			// or throttling machine one probe at the start can catch a bad
			// moment, and a low ceiling would inflate every % of peak.
			for _, isa := range probe.ISAs() {
				if f, err := probe.PeakFLOPS(isa, c.Threads, o.minTime/2); err == nil {
					raisePeak(r, isa, c.Threads, f/1e9)
				}
			}
		}
		for i, w := range workers {
			res := results[i]
			if len(res.samples) == 0 {
				continue
			}
			if c.Gemm != nil {
				if c.Gemm.Name == "square" {
					lastSquare[wt{w, c.Threads}] = [2]float64{c.Gemm.FLOPs(), slices.Min(res.samples)}
				}
				rates := make([]float64, len(res.samples))
				for j, s := range res.samples {
					rates[j] = c.Gemm.FLOPs() / s / 1e9
				}
				g := report.Gemm{Impl: w.label, Shape: c.Gemm.Label(), Name: c.Gemm.Name, Threads: c.Threads, GFLOPS: report.Summarize(rates)}
				if c.Gemm.Name == "square" {
					g.Square = c.Gemm.M
				}
				r.Gemm = append(r.Gemm, g)
				progress("  %-22s %8.1f GFLOP/s", w.label, g.GFLOPS.Median)
			} else {
				op, _ := suite.VecOpByName(c.Op)
				rates := make([]float64, len(res.samples))
				for j, s := range res.samples {
					rates[j] = float64(op.Bytes*c.N) / s / 1e9
				}
				v := report.Vec{Impl: w.label, Op: c.Op, N: c.N, Level: probe.LevelOf(op.Arrays * c.N * 4),
					Kind: op.Kind.String(), GBps: report.Summarize(rates), ProbeGBps: probeGBps}
				r.Vec = append(r.Vec, v)
				progress("  %-22s %8.1f GB/s", w.label, v.GBps.Median)
			}
		}
	}
	for _, s := range slices.Sorted(maps.Keys(skipped)) {
		r.Machine.Notes = append(r.Machine.Notes, "skipped "+s)
	}
}

// raisePeak records a peak sample, keeping the best per ISA and thread count.
func raisePeak(r *report.Report, isa string, threads int, gflops float64) {
	for i, p := range r.Peaks {
		if p.ISA == isa && p.Threads == threads {
			r.Peaks[i].GFLOPS = max(p.GFLOPS, gflops)
			return
		}
	}
	r.Peaks = append(r.Peaks, report.Peak{ISA: isa, Threads: threads, GFLOPS: gflops})
}

// loadAverage is the 1-minute load average on Linux, or "" elsewhere.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	first, _, _ := strings.Cut(string(b), " ")
	return first
}
