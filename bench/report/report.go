// Package report turns benchmark measurements into the Markdown table and the
// SVG chart published in the README. It only formats: the measuring is done
// by cmd/report, so the output can be tested on fixed inputs.
package report

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
)

// Stat summarises repeated measurements of one rate (higher is better).
type Stat struct {
	Median, Min, Max float64
	N                int // repetitions; 1 means a single call, too slow to repeat
}

// Summarize returns the median, minimum and maximum of samples.
func Summarize(samples []float64) Stat {
	if len(samples) == 0 {
		return Stat{}
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return Stat{Median: med, Min: s[0], Max: s[len(s)-1], N: len(s)}
}

// Spread is (max-min)/median, the run-to-run variation as a fraction.
func (s Stat) Spread() float64 {
	if s.Median == 0 {
		return 0
	}
	return (s.Max - s.Min) / s.Median
}

// Machine describes where and when the measurements were taken.
type Machine struct {
	CPU       string // brand and family/model
	Caches    string // e.g. "L1d 48 KiB, L2 1 MiB, L3 32 MiB"
	Cores     int    // logical CPUs used for "all threads"
	Platform  string // GOOS/GOARCH and Go version
	Date      time.Time
	Command   string   // how to regenerate
	Method    string   // warm-up, repetitions, statistics
	Notes     []string // environment that matters (OPENBLAS_CORETYPE, GODEBUG, skipped parts)
	Libraries []string // library versions
}

// Peak is a measured FMA ceiling.
type Peak struct {
	ISA     string
	Threads int
	GFLOPS  float64
}

// Bandwidth is a measured memory bandwidth.
type Bandwidth struct {
	Level   string // L1, L2, L3, DRAM
	Bytes   int    // working set (per thread for L1/L2, total for L3/DRAM)
	Kind    string // "read" or "triad"
	Threads int
	GBps    float64
}

// Gemm is one implementation's rate on one Sgemm shape.
type Gemm struct {
	Impl    string
	Shape   string // label, e.g. "NN_128x784x256"
	Name    string // what the shape stands for, e.g. "mlp forward X·W"
	Square  int    // n for n×n×n NN problems, else 0 (only squares are charted)
	Threads int
	GFLOPS  Stat
}

// Vec is one implementation's rate on one vector kernel.
type Vec struct {
	Impl  string
	Op    string
	N     int
	Level string // memory level the working set lands in
	Kind  string // the bandwidth probe kind to compare with: "read" or "triad"
	GBps  Stat
	// ProbeGBps is the probe of that kind on the same working set, if
	// measured; otherwise the op is compared with the probe at its level.
	ProbeGBps float64
}

// MLP is the trainer's throughput and the inference latency, if measured.
type MLP struct {
	Config       string // network, batch, optimizer, threads
	ExamplesPerS Stat
	PredictP50   time.Duration
	PredictP99   time.Duration
	Calls        int
}

// Report is everything one run measured.
type Report struct {
	Machine Machine
	// Impls orders the implementation columns. Baseline (the first lanes
	// entry, the tier users get by default) is what % of peak and the ratio
	// columns describe.
	Impls     []string
	Baseline  string
	Peaks     []Peak
	Bandwidth []Bandwidth
	Gemm      []Gemm
	Vec       []Vec
	MLP       *MLP
	MLPNote   string // why MLP figures are missing, if they are
}

// bestPeak is the highest FMA ceiling measured with this many threads.
func (r *Report) bestPeak(threads int) (Peak, bool) {
	var best Peak
	for _, p := range r.Peaks {
		if p.Threads == threads && p.GFLOPS > best.GFLOPS {
			best = p
		}
	}
	return best, best.GFLOPS > 0
}

func (r *Report) bandwidth(level, kind string, threads int) float64 {
	for _, b := range r.Bandwidth {
		if b.Level == level && b.Kind == kind && b.Threads == threads {
			return b.GBps
		}
	}
	return 0
}

// threadCounts lists the distinct thread counts in the GEMM results.
func (r *Report) threadCounts() []int {
	var ts []int
	for _, g := range r.Gemm {
		if !slices.Contains(ts, g.Threads) {
			ts = append(ts, g.Threads)
		}
	}
	slices.Sort(ts)
	return ts
}

func threadsLabel(n int) string {
	if n == 1 {
		return "1 thread"
	}
	return fmt.Sprintf("%d threads", n)
}

// rate formats a median with its spread, e.g. "181.2 ±4%".
func rate(s Stat) string {
	if s.N == 0 {
		return "—"
	}
	if s.N == 1 {
		return fmt.Sprintf("%.3g¹", s.Median)
	}
	return fmt.Sprintf("%.1f ±%.0f%%", s.Median, 100*s.Spread())
}

func ratio(a, b Stat) string {
	if a.N == 0 || b.N == 0 || b.Median == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f×", a.Median/b.Median)
}

func percent(v, of float64) string {
	if of <= 0 || v <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", 100*v/of)
}

func sizeLabel(bytes int) string {
	switch {
	case bytes >= 1<<20 && bytes%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", bytes>>20)
	case bytes >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(bytes)/(1<<20))
	case bytes >= 1<<10:
		return fmt.Sprintf("%d KiB", bytes>>10)
	}
	return fmt.Sprintf("%d B", bytes)
}

// library is the library part of an implementation label ("openblas" of
// "openblas SkylakeX").
func library(impl string) string {
	name, _, _ := strings.Cut(impl, " ")
	return name
}

// others are the libraries other than lanes, for the ratio columns.
func (r *Report) others() []string {
	var out []string
	for _, impl := range r.Impls {
		if lib := library(impl); lib != "lanes" && !slices.Contains(out, lib) {
			out = append(out, lib)
		}
	}
	return out
}

// otherHeader names a ratio column: against the library itself when it has
// one variant, against its best variant on each row when it has several.
func (r *Report) otherHeader(lib string) string {
	n := 0
	for _, impl := range r.Impls {
		if library(impl) == lib {
			n++
		}
	}
	if n > 1 {
		return fmt.Sprintf("%s ÷ best %s", r.Baseline, lib)
	}
	return fmt.Sprintf("%s ÷ %s", r.Baseline, lib)
}

// bestOf is the highest median among lib's variants in stats.
func (r *Report) bestOf(lib string, stats map[string]Stat) Stat {
	var best Stat
	for _, impl := range r.Impls {
		if s := stats[impl]; library(impl) == lib && s.N > 0 && s.Median > best.Median {
			best = s
		}
	}
	return best
}

type table struct {
	header []string
	rows   [][]string
}

func (t *table) write(w io.Writer) {
	fmt.Fprintf(w, "| %s |\n", strings.Join(t.header, " | "))
	seps := make([]string, len(t.header))
	for i := range seps {
		seps[i] = "---"
		if i > 0 {
			seps[i] = "---:"
		}
	}
	fmt.Fprintf(w, "|%s|\n", strings.Join(seps, "|"))
	for _, row := range t.rows {
		fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	}
	fmt.Fprintln(w)
}

// escape keeps Markdown table syntax out of free text.
func escape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// Markdown writes the report as Markdown: machine, peaks, bandwidth, GEMM
// and vector tables, the MLP figures, and how to regenerate.
func (r *Report) Markdown(w io.Writer) error {
	var b strings.Builder
	m := r.Machine
	fmt.Fprintf(&b, "# lanes benchmarks\n\n")
	fmt.Fprintf(&b, "Measured %s on %s; %s; %d logical CPUs; %s.\n\n",
		m.Date.UTC().Format("2006-01-02 15:04 MST"), escape(m.CPU), escape(m.Caches), m.Cores, escape(m.Platform))
	if m.Method != "" {
		fmt.Fprintf(&b, "%s\n\n", m.Method)
	}
	for _, lib := range m.Libraries {
		fmt.Fprintf(&b, "- %s\n", escape(lib))
	}
	for _, n := range m.Notes {
		fmt.Fprintf(&b, "- %s\n", escape(n))
	}
	if len(m.Libraries)+len(m.Notes) > 0 {
		fmt.Fprintln(&b)
	}

	r.writePeaks(&b)
	r.writeGemm(&b)
	r.writeVec(&b)
	r.writeMLP(&b)
	if m.Command != "" {
		fmt.Fprintf(&b, "Regenerate with `%s`.\n", m.Command)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *Report) writePeaks(b *strings.Builder) {
	if len(r.Peaks) == 0 {
		fmt.Fprintf(b, "No FMA peak probe in this build (purego or an architecture without one): no %% of peak.\n\n")
		return
	}
	var isas []string
	var threads []int
	for _, p := range r.Peaks {
		if !slices.Contains(isas, p.ISA) {
			isas = append(isas, p.ISA)
		}
		if !slices.Contains(threads, p.Threads) {
			threads = append(threads, p.Threads)
		}
	}
	slices.Sort(threads)
	fmt.Fprintf(b, "## Peak\n\nFMA throughput of a register-only loop of independent vector FMAs, GFLOP/s (the best probe of the run: a ceiling):\n\n")
	t := table{header: []string{"ISA"}}
	for _, n := range threads {
		t.header = append(t.header, threadsLabel(n))
	}
	for _, isa := range isas {
		row := []string{isa}
		for _, n := range threads {
			cell := "—"
			for _, p := range r.Peaks {
				if p.ISA == isa && p.Threads == n {
					cell = fmt.Sprintf("%.1f", p.GFLOPS)
				}
			}
			row = append(row, cell)
		}
		t.rows = append(t.rows, row)
	}
	t.write(b)

	if len(r.Bandwidth) == 0 {
		return
	}
	fmt.Fprintf(b, "Memory bandwidth, GB/s (read: sum an array; triad: a = b + s·c, 12 bytes per element):\n\n")
	t = table{header: []string{"level", "working set"}}
	type col struct {
		kind    string
		threads int
	}
	var cols []col
	for _, bw := range r.Bandwidth {
		c := col{bw.Kind, bw.Threads}
		if !slices.Contains(cols, c) {
			cols = append(cols, c)
		}
	}
	for _, c := range cols {
		t.header = append(t.header, fmt.Sprintf("%s, %s", c.kind, threadsLabel(c.threads)))
	}
	var levels []string
	for _, bw := range r.Bandwidth {
		if !slices.Contains(levels, bw.Level) {
			levels = append(levels, bw.Level)
		}
	}
	for _, lv := range levels {
		row := []string{lv, ""}
		for _, bw := range r.Bandwidth {
			if bw.Level == lv && bw.Threads == 1 {
				row[1] = sizeLabel(bw.Bytes)
			}
		}
		for _, c := range cols {
			row = append(row, fmt.Sprintf("%.0f", r.bandwidth(lv, c.kind, c.threads)))
		}
		t.rows = append(t.rows, row)
	}
	t.write(b)
}

// gemmKey identifies a table row.
type gemmKey struct {
	shape   string
	threads int
}

func (r *Report) writeGemm(b *strings.Builder) {
	if len(r.Gemm) == 0 {
		return
	}
	fmt.Fprintf(b, "## SGEMM\n\nGFLOP/s (2·m·n·k per call; median ±spread, spread = (max−min)/median); "+
		"%% of peak and ratios are for %s, the tier lanes picks by default.\n\n", r.Baseline)
	for _, threads := range r.threadCounts() {
		fmt.Fprintf(b, "### %s\n\n", threadsLabel(threads))
		t := table{header: []string{"shape", "m×n×k"}}
		t.header = append(t.header, r.Impls...)
		peak, havePeak := r.bestPeak(threads)
		if havePeak {
			t.header = append(t.header, fmt.Sprintf("%% of peak (%s %.0f)", peak.ISA, peak.GFLOPS))
		}
		for _, o := range r.others() {
			t.header = append(t.header, r.otherHeader(o))
		}
		var keys []gemmKey
		names := map[string]string{}
		stats := map[gemmKey]map[string]Stat{}
		for _, g := range r.Gemm {
			if g.Threads != threads {
				continue
			}
			k := gemmKey{g.Shape, g.Threads}
			if stats[k] == nil {
				stats[k] = map[string]Stat{}
				keys = append(keys, k)
			}
			stats[k][g.Impl] = g.GFLOPS
			names[g.Shape] = g.Name
		}
		for _, k := range keys {
			dims := k.shape
			trans := ""
			if i := strings.IndexByte(dims, '_'); i >= 0 {
				trans, dims = dims[:i], dims[i+1:]
			}
			row := []string{escape(names[k.shape]) + " " + trans, strings.ReplaceAll(dims, "x", "×")}
			for _, impl := range r.Impls {
				row = append(row, rate(stats[k][impl]))
			}
			base := stats[k][r.Baseline]
			if havePeak {
				row = append(row, percent(base.Median, peak.GFLOPS))
			}
			for _, o := range r.others() {
				row = append(row, ratio(base, r.bestOf(o, stats[k])))
			}
			t.rows = append(t.rows, row)
		}
		t.write(b)
	}
	if slices.ContainsFunc(r.Gemm, func(g Gemm) bool { return g.GFLOPS.N == 1 }) {
		fmt.Fprintf(b, "¹ one call only: too slow to repeat within the time budget.\n\n")
	}
}

func (r *Report) writeVec(b *strings.Builder) {
	if len(r.Vec) == 0 {
		return
	}
	fmt.Fprintf(b, "## Vector kernels, 1 thread\n\nGB/s of memory traffic (4 bytes per element per array read or written); "+
		"%% of bandwidth compares %s with the bandwidth probe's 1-thread read (reductions) or triad (the rest) "+
		"on the same working set; ops that write in place or into lines already cached can exceed 100%%.\n\n", r.Baseline)
	t := table{header: []string{"op", "n", "level"}}
	t.header = append(t.header, r.Impls...)
	t.header = append(t.header, "% of bandwidth")
	for _, o := range r.others() {
		t.header = append(t.header, r.otherHeader(o))
	}
	type key struct {
		op string
		n  int
	}
	var keys []key
	stats := map[key]map[string]Stat{}
	meta := map[key]Vec{}
	for _, v := range r.Vec {
		k := key{v.Op, v.N}
		if stats[k] == nil {
			stats[k] = map[string]Stat{}
			keys = append(keys, k)
			meta[k] = v
		}
		stats[k][v.Impl] = v.GBps
	}
	for _, k := range keys {
		row := []string{k.op, fmt.Sprint(k.n), meta[k].Level}
		for _, impl := range r.Impls {
			row = append(row, rate(stats[k][impl]))
		}
		base := stats[k][r.Baseline]
		ref := meta[k].ProbeGBps
		if ref == 0 {
			ref = r.bandwidth(meta[k].Level, meta[k].Kind, 1)
		}
		row = append(row, percent(base.Median, ref))
		for _, o := range r.others() {
			row = append(row, ratio(base, r.bestOf(o, stats[k])))
		}
		t.rows = append(t.rows, row)
	}
	t.write(b)
}

func (r *Report) writeMLP(b *strings.Builder) {
	if r.MLP == nil && r.MLPNote == "" {
		return
	}
	fmt.Fprintf(b, "## MLP\n\n")
	if r.MLP == nil {
		fmt.Fprintf(b, "%s\n\n", r.MLPNote)
		return
	}
	m := r.MLP
	t := table{header: []string{"configuration", "training examples/s", "Predict p50", "Predict p99"}}
	t.rows = append(t.rows, []string{escape(m.Config), rate(m.ExamplesPerS),
		fmtDuration(m.PredictP50), fmtDuration(m.PredictP99)})
	t.write(b)
	if m.Calls > 0 {
		fmt.Fprintf(b, "Predict latency over %d single-sample calls.", m.Calls)
	}
	if r.MLPNote != "" {
		fmt.Fprintf(b, " %s", r.MLPNote)
	}
	fmt.Fprintf(b, "\n\n")
}

func fmtDuration(d time.Duration) string {
	if d <= 0 {
		return "—"
	}
	us := float64(d) / float64(time.Microsecond)
	if us < 1000 {
		return fmt.Sprintf("%.1f µs", us)
	}
	return fmt.Sprintf("%.2f ms", us/1000)
}

// finite reports whether v can be drawn.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
