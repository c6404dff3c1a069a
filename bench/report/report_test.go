package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func TestSummarize(t *testing.T) {
	s := Summarize([]float64{30, 10, 20})
	if s.Median != 20 || s.Min != 10 || s.Max != 30 || s.N != 3 {
		t.Errorf("Summarize(30,10,20) = %+v, want median 20, min 10, max 30, N 3", s)
	}
	if got := s.Spread(); got != 1 {
		t.Errorf("Spread = %v, want (30-10)/20 = 1", got)
	}
	if s := Summarize([]float64{4, 1, 3, 2}); s.Median != 2.5 {
		t.Errorf("even-length median = %v, want 2.5", s.Median)
	}
	if s := Summarize(nil); s.N != 0 {
		t.Errorf("Summarize(nil).N = %d, want 0", s.N)
	}
}

func stat(v float64) Stat { return Stat{Median: v, Min: v * 0.9, Max: v * 1.1, N: 5} }

// fixture is a small report with round numbers, so expected cells can be
// worked out by hand: lanes 100 GFLOP/s against a peak of 200 is 50%, and
// 10× gonum.
func fixture() *Report {
	return &Report{
		Machine: Machine{
			CPU: "Test CPU <model 9> & co", Caches: "L1d 48 KiB", Cores: 2,
			Platform: "linux/amd64, go1.26", Date: time.Date(2026, 11, 27, 5, 0, 0, 0, time.UTC),
			Command: "go run ./cmd/report", Notes: []string{"OPENBLAS_CORETYPE unset"},
		},
		Impls:    []string{"lanes avx512", "lanes generic", "gonum", "openblas SkylakeX", "openblas Haswell"},
		Baseline: "lanes avx512",
		Peaks: []Peak{
			{ISA: "avx512", Threads: 1, GFLOPS: 200}, {ISA: "avx2", Threads: 1, GFLOPS: 100},
			{ISA: "avx512", Threads: 2, GFLOPS: 400},
		},
		Bandwidth: []Bandwidth{
			{Level: "L1", Bytes: 24 << 10, Kind: "read", Threads: 1, GBps: 300},
			{Level: "L1", Bytes: 24 << 10, Kind: "triad", Threads: 1, GBps: 400},
		},
		Gemm: []Gemm{
			{Impl: "lanes avx512", Shape: "NN_64x64x64", Name: "square", Square: 64, Threads: 1, GFLOPS: stat(100)},
			{Impl: "gonum", Shape: "NN_64x64x64", Name: "square", Square: 64, Threads: 1, GFLOPS: stat(10)},
			{Impl: "openblas SkylakeX", Shape: "NN_64x64x64", Name: "square", Square: 64, Threads: 1, GFLOPS: stat(125)},
			{Impl: "openblas Haswell", Shape: "NN_64x64x64", Name: "square", Square: 64, Threads: 1, GFLOPS: stat(80)},
			{Impl: "lanes generic", Shape: "NN_64x64x64", Name: "square", Square: 64, Threads: 1, GFLOPS: Stat{Median: 2, Min: 2, Max: 2, N: 1}},
			{Impl: "lanes avx512", Shape: "NN_128x128x128", Name: "square", Square: 128, Threads: 1, GFLOPS: stat(150)},
			{Impl: "gonum", Shape: "NN_128x128x128", Name: "square", Square: 128, Threads: 1, GFLOPS: stat(12)},
			{Impl: "lanes avx512", Shape: "TN_784x256x128", Name: "mlp weight grad", Threads: 1, GFLOPS: stat(120)},
			{Impl: "lanes avx512", Shape: "NN_64x64x64", Name: "square", Square: 64, Threads: 2, GFLOPS: stat(100)},
		},
		Vec: []Vec{
			{Impl: "lanes avx512", Op: "dot", N: 4096, Level: "L1", Kind: "read", GBps: stat(150)},
			{Impl: "gonum", Op: "dot", N: 4096, Level: "L1", Kind: "read", GBps: stat(50)},
			{Impl: "lanes avx512", Op: "sum", N: 4096, Level: "L1", Kind: "read", GBps: stat(150), ProbeGBps: 200},
		},
		MLPNote: "package mlp not built yet",
	}
}

func TestMarkdownCells(t *testing.T) {
	var b bytes.Buffer
	if err := fixture().Markdown(&b); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{
		"Measured 2026-11-27 05:00 UTC on Test CPU <model 9> & co; L1d 48 KiB; 2 logical CPUs",
		"| ISA | 1 thread | 2 threads |",
		"| avx512 | 200.0 | 400.0 |",
		"| avx2 | 100.0 | — |",
		"| L1 | 24 KiB | 300 | 400 |",
		"### 1 thread",
		"### 2 threads",
		"% of peak (avx512 200)",
		"lanes avx512 ÷ gonum",
		"lanes avx512 ÷ best openblas",
		// 100 ±20%, 2 (single call, footnoted), 10, 125, 80; 50% of 200;
		// 10× gonum; 0.8× the better OpenBLAS (125, not 80).
		"| square NN | 64×64×64 | 100.0 ±20% | 2¹ | 10.0 ±20% | 125.0 ±20% | 80.0 ±20% | 50% | 10.00× | 0.80× |",
		"| mlp weight grad TN | 784×256×128 | 120.0 ±20% | — | — | — | — | 60% | — | — |",
		"% of peak (avx512 400)",
		"¹ one call only",
		// dot: 150 GB/s against a 300 GB/s read probe = 50%, 3× gonum.
		"| dot | 4096 | L1 | 150.0 ±20% | — | 50.0 ±20% | — | — | 50% | 3.00× | — |",
		// sum: compared with its own working set's probe, 150/200 = 75%.
		"| sum | 4096 | L1 | 150.0 ±20% | — | — | — | — | 75% | — | — |",
		"package mlp not built yet",
		"Regenerate with `go run ./cmd/report`.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q; got:\n%s", want, md)
		}
	}
	// Every table row has as many cells as its header.
	var cols int
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			cols = 0
			continue
		}
		n := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|")
		if cols == 0 {
			cols = n
		} else if n != cols {
			t.Errorf("row has %d separators, header %d: %s", n, cols, line)
		}
	}
}

// TestSVGIsWellFormed parses the chart with encoding/xml and checks that it
// draws what the data says: a line per implementation with square results,
// a point per measurement, a dashed line per peak.
func TestSVGIsWellFormed(t *testing.T) {
	var b bytes.Buffer
	if err := fixture().SVG(&b, 1); err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(&b)
	counts := map[string]int{}
	dashed := 0
	var texts []string
	var root string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("chart is not well-formed XML: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = el.Name.Local
				if el.Name.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("root namespace %q, want the SVG namespace", el.Name.Space)
				}
			}
			counts[el.Name.Local]++
			for _, a := range el.Attr {
				if a.Name.Local == "stroke-dasharray" {
					dashed++
				}
			}
		case xml.CharData:
			texts = append(texts, string(el))
		}
	}
	if root != "svg" {
		t.Fatalf("root element %q, want svg", root)
	}
	// 1-thread squares: lanes avx512 (2 points), lanes generic (1), gonum (2),
	// openblas SkylakeX (1), openblas Haswell (1); plus the axis polyline.
	if got, want := counts["polyline"], 5+1; got != want {
		t.Errorf("%d polylines, want %d", got, want)
	}
	if got, want := counts["circle"], 7; got != want {
		t.Errorf("%d points, want %d", got, want)
	}
	// Two 1-thread peaks plus the legend's sample.
	if dashed != 3 {
		t.Errorf("%d dashed lines, want 3", dashed)
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"Test CPU <model 9> & co", "peak avx512 200", "lanes avx512", "GFLOP/s"} {
		if !strings.Contains(all, want) {
			t.Errorf("chart text lacks %q", want)
		}
	}
}

func TestSVGWithoutSquaresFails(t *testing.T) {
	r := fixture()
	if err := r.SVG(io.Discard, 8); err == nil {
		t.Error("SVG for a thread count with no results returned no error")
	}
}

func TestNiceStep(t *testing.T) {
	for _, c := range []struct{ max, want float64 }{{230, 50}, {100, 20}, {9, 2}, {1000, 200}} {
		if got := niceStep(c.max); got != c.want {
			t.Errorf("niceStep(%v) = %v, want %v", c.max, got, c.want)
		}
	}
}
