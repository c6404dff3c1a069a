package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"slices"
)

// palette gives each implementation line a colour that stays distinct in
// print and for the common colour-vision deficiencies (Okabe-Ito).
var palette = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"}

// Chart geometry in SVG user units.
const (
	chartW, chartH               = 760, 440
	plotL, plotR, plotT, plotB   = 70, 560, 50, 380
	legendX, legendY, legendStep = 580, 70, 22
)

func xmlText(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s)) // writes to a bytes.Buffer cannot fail
	return b.String()
}

// niceStep picks a tick step of 1, 2 or 5 × 10^k giving about five ticks.
func niceStep(max float64) float64 {
	raw := max / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

// SVG draws GFLOP/s against n for the square n×n×n problems measured with
// the given thread count: one line per implementation, and each ISA's FMA
// peak as a dashed line. It uses only the standard library.
func (r *Report) SVG(w io.Writer, threads int) error {
	type point struct{ n, v float64 }
	series := map[string][]point{}
	var sizes []int
	ymax := 0.0
	for _, g := range r.Gemm {
		if g.Square == 0 || g.Threads != threads || g.GFLOPS.N == 0 || !finite(g.GFLOPS.Median) {
			continue
		}
		series[g.Impl] = append(series[g.Impl], point{float64(g.Square), g.GFLOPS.Median})
		if !slices.Contains(sizes, g.Square) {
			sizes = append(sizes, g.Square)
		}
		ymax = max(ymax, g.GFLOPS.Median)
	}
	if len(sizes) == 0 {
		return fmt.Errorf("report: no square GEMM results with %d threads to chart", threads)
	}
	slices.Sort(sizes)
	var peaks []Peak
	for _, p := range r.Peaks {
		if p.Threads == threads && finite(p.GFLOPS) && p.GFLOPS > 0 {
			peaks = append(peaks, p)
			ymax = max(ymax, p.GFLOPS)
		}
	}
	step := niceStep(ymax * 1.05)
	ytop := math.Ceil(ymax*1.05/step) * step

	lx0, lx1 := math.Log2(float64(sizes[0])), math.Log2(float64(sizes[len(sizes)-1]))
	if lx1 == lx0 {
		lx0, lx1 = lx0-1, lx1+1
	}
	xpos := func(n float64) float64 { return plotL + (math.Log2(n)-lx0)/(lx1-lx0)*(plotR-plotL) }
	ypos := func(v float64) float64 { return plotB - v/ytop*(plotB-plotT) }

	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n",
		chartW, chartH, chartW, chartH)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", chartW, chartH)
	title := fmt.Sprintf("SGEMM n×n×n, %s — %s", threadsLabel(threads), r.Machine.CPU)
	fmt.Fprintf(&b, `<text x="%d" y="24" font-size="15" font-weight="bold">%s</text>`+"\n", plotL, xmlText(title))

	// Axes, grid and ticks.
	for v := 0.0; v <= ytop+step/2; v += step {
		y := ypos(v)
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#dddddd"/>`+"\n", plotL, y, plotR, y)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%g</text>`+"\n", plotL-6, y+4, v)
	}
	for _, n := range sizes {
		x := xpos(float64(n))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#dddddd"/>`+"\n", x, plotT, x, plotB)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%d</text>`+"\n", x, plotB+18, n)
	}
	fmt.Fprintf(&b, `<polyline points="%d,%d %d,%d %d,%d" fill="none" stroke="#333333"/>`+"\n", plotL, plotT, plotL, plotB, plotR, plotB)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">matrix size n (log scale)</text>`+"\n", (plotL+plotR)/2, plotB+40)
	fmt.Fprintf(&b, `<text x="18" y="%d" text-anchor="middle" transform="rotate(-90 18 %d)">GFLOP/s</text>`+"\n", (plotT+plotB)/2, (plotT+plotB)/2)

	// Peaks, dashed.
	lastLabel := math.Inf(-1)
	for i, p := range peaks {
		y := ypos(p.GFLOPS)
		grey := []string{"#555555", "#888888", "#aaaaaa"}[min(i, 2)]
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="%s" stroke-width="1.5" stroke-dasharray="6 4"/>`+"\n",
			plotL, y, plotR, y, grey)
		// Peaks close together (AVX-512 double-pumped on 256-bit units
		// equals AVX2) would print their labels on top of each other: put
		// the later one below its line.
		labelY := y - 4
		if math.Abs(labelY-lastLabel) < 14 {
			labelY = y + 14
		}
		lastLabel = labelY
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" fill="%s">%s</text>`+"\n",
			plotR-4, labelY, grey, xmlText(fmt.Sprintf("peak %s %.0f", p.ISA, p.GFLOPS)))
	}

	// One line per implementation, in column order, with a legend entry.
	entry := 0
	for _, impl := range r.Impls {
		pts := series[impl]
		if len(pts) == 0 {
			continue
		}
		slices.SortFunc(pts, func(a, b point) int { return int(a.n - b.n) })
		color := palette[entry%len(palette)]
		var coords bytes.Buffer
		for _, p := range pts {
			fmt.Fprintf(&coords, "%.1f,%.1f ", xpos(p.n), ypos(p.v))
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", bytes.TrimSpace(coords.Bytes()), color)
		for _, p := range pts {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s</title></circle>`+"\n",
				xpos(p.n), ypos(p.v), color, xmlText(fmt.Sprintf("%s n=%g: %.1f GFLOP/s", impl, p.n, p.v)))
		}
		y := legendY + entry*legendStep
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"/>`+"\n", legendX, y, legendX+24, y, color)
		fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`+"\n", legendX+30, y+4, xmlText(impl))
		entry++
	}
	if len(peaks) > 0 {
		y := legendY + entry*legendStep
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#555555" stroke-width="1.5" stroke-dasharray="6 4"/>`+"\n", legendX, y, legendX+24, y)
		fmt.Fprintf(&b, `<text x="%d" y="%d">FMA peak</text>`+"\n", legendX+30, y+4)
	}
	date := r.Machine.Date.UTC().Format("2006-01-02")
	fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#666666" font-size="11">%s</text>`+"\n", plotL, chartH-12,
		xmlText(fmt.Sprintf("%s, %s. Median of repetitions. lanes/bench/cmd/report", date, r.Machine.Platform)))
	fmt.Fprintf(&b, "</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}
