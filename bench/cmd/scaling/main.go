// Command scaling watches whether this machine's threads have cores of their
// own. Every window it measures one FMA loop alone and then one per thread
// together (probe.Scaling), and it prints one mark per window and a summary:
//
//	go run ./cmd/scaling              # 30 s of 100 ms windows, GOMAXPROCS threads
//	go run ./cmd/scaling -for 2m -v   # a line per window
//	go run ./cmd/scaling -mlp         # the MLP trainer's epoch, by cores
//
// A window whose threads got less than 0.8 of a core each is marked X. On a
// virtual machine, such windows mean that the host ran the vCPUs on the
// hardware threads of fewer cores (SMT siblings): benchmarks with several
// threads measured meanwhile, such as the MLP trainer's two-thread epoch,
// get one core's worth of work done, and are no faster than one thread.
//
// With -mlp it alternates: a window, one two-thread epoch of mlp's
// BenchmarkTrainEpoch input=mnist set-up, a window, one one-thread epoch;
// and it reports the epoch times grouped by whether the windows around the
// two-thread epoch found a core per thread (MNIST from mnist.Load's cache
// or download).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/lanes-go/lanes/bench/probe"
)

// shared is the per-thread share of a core below which a window counts as
// one whose threads shared cores: the FMA loop gets about 0.5-0.6 of a
// core on a hardware thread whose sibling runs another, 0.95-1.05 alone.
const shared = 0.8

func main() {
	total := flag.Duration("for", 30*time.Second, "how long to watch")
	window := flag.Duration("window", 100*time.Millisecond, "length of one window (half alone, half together)")
	threads := flag.Int("threads", runtime.GOMAXPROCS(0), "threads run together")
	isa := flag.String("isa", "", "vector ISA of the FMA loop (default: the best, "+strings.Join(probe.ISAs(), ", ")+")")
	verbose := flag.Bool("v", false, "print a line per window (per round with -mlp)")
	withMLP := flag.Bool("mlp", false, "time the MLP trainer's epochs between windows (two threads)")
	flag.Parse()
	if *withMLP {
		if err := watchMLP(os.Stdout, *total, *window, *isa, *verbose); err != nil {
			fmt.Fprintln(os.Stderr, "scaling:", err)
			os.Exit(1)
		}
		return
	}
	if *threads < 2 || *window <= 0 || *total < *window {
		fmt.Fprintln(os.Stderr, "scaling: need -threads >= 2 and 0 < -window <= -for")
		os.Exit(2)
	}
	var shares []float64
	for start := time.Now(); time.Since(start) < *total; {
		s, err := probe.Scaling(*isa, *threads, *window/2)
		if err != nil {
			fmt.Fprintln(os.Stderr, "scaling:", err)
			os.Exit(1)
		}
		shares = append(shares, s)
		if *verbose {
			fmt.Printf("%s  %.2f of a core per thread\n", time.Now().Format("15:04:05.000"), s)
		}
	}
	summarize(os.Stdout, shares, *threads)
}

// summarize prints the windows as a strip of marks (X: the threads shared
// cores, .: they did not), 100 to a line, then the median share and the
// fraction of windows marked X.
func summarize(w io.Writer, shares []float64, threads int) {
	if len(shares) == 0 {
		return
	}
	var strip strings.Builder
	below := 0
	for i, s := range shares {
		if i > 0 && i%100 == 0 {
			strip.WriteByte('\n')
		}
		if s < shared {
			below++
			strip.WriteByte('X')
		} else {
			strip.WriteByte('.')
		}
	}
	sorted := slices.Sorted(slices.Values(shares))
	fmt.Fprintln(w, strip.String())
	fmt.Fprintf(w, "%d windows, %d threads: median %.2f of a core per thread; %d windows (%.0f%%) below %.1f, where the threads shared cores\n",
		len(shares), threads, sorted[len(sorted)/2], below, 100*float64(below)/float64(len(shares)), shared)
}
