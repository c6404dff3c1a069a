package probe

import (
	"math"
	"os"
	"testing"
	"time"
)

// TestRequireProbe fails when LANES_BENCH_REQUIRE_PROBE names an ISA this
// build cannot probe, so CI notices a silent loss of the assembly.
func TestRequireProbe(t *testing.T) {
	want := os.Getenv("LANES_BENCH_REQUIRE_PROBE")
	if want == "" {
		t.Skip("LANES_BENCH_REQUIRE_PROBE not set")
	}
	if _, err := lookup(want); err != nil {
		t.Fatal(err)
	}
}

func forEachProbe(t *testing.T, f func(t *testing.T, v vectorISA)) {
	if len(available) == 0 {
		t.Skip("no assembly probes in this build (purego or unsupported GOARCH)")
	}
	for _, v := range available {
		t.Run(v.name, func(t *testing.T) { f(t, v) })
	}
}

func TestFMALoopRunsEveryIteration(t *testing.T) {
	forEachProbe(t, func(t *testing.T, v vectorISA) {
		for _, iters := range []int{0, 1, 7, 1000} {
			// 0.5*0.25 = 2^-3: every partial sum is exact in float32.
			got := v.fma(iters, 0.5, 0.25)
			if want := float32(iters) / 8; got != want {
				t.Errorf("fma(%d, 0.5, 0.25) = %v, want %v", iters, got, want)
			}
		}
	})
}

func TestReadSumsEveryElement(t *testing.T) {
	forEachProbe(t, func(t *testing.T, v vectorISA) {
		for _, n := range []int{0, 128, 384, 4096} {
			x := alignedFloats(n)
			var want float32
			for i := range x {
				x[i] = float32(i%13) - 6 // small integers: every sum exact
				want += x[i]
			}
			var out [128]float32
			for i := range out {
				out[i] = float32(math.NaN()) // lanes the ISA does not write stay NaN
			}
			v.read(x, &out)
			var got float32
			for _, o := range out {
				if !math.IsNaN(float64(o)) {
					got += o
				}
			}
			if got != want {
				t.Errorf("n=%d: sum of read accumulators = %v, want %v", n, got, want)
			}
		}
	})
}

func TestTriadWritesEveryElement(t *testing.T) {
	forEachProbe(t, func(t *testing.T, v vectorISA) {
		for _, n := range []int{0, 128, 384} {
			a, b, c := alignedFloats(n+8), alignedFloats(n), alignedFloats(n)
			for i := range b {
				b[i], c[i] = float32(i), float32(3*i%11)
			}
			for i := range a {
				a[i] = -1
			}
			v.triad(a[:n], b, c, 0.5)
			for i := range n {
				if want := b[i] + 0.5*c[i]; a[i] != want {
					t.Fatalf("n=%d: a[%d] = %v, want %v", n, i, a[i], want)
				}
			}
			for i := n; i < len(a); i++ {
				if a[i] != -1 {
					t.Fatalf("n=%d: triad wrote past the end: a[%d] = %v", n, i, a[i])
				}
			}
		}
	})
}

func plausible(t *testing.T, what string, v float64, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if !(v > 0) || math.IsInf(v, 0) {
		t.Fatalf("%s = %v, want positive and finite", what, v)
	}
}

func TestPeakAndBandwidthArePlausible(t *testing.T) {
	forEachProbe(t, func(t *testing.T, v vectorISA) {
		dur := 5 * time.Millisecond
		one, err := PeakFLOPS(v.name, 1, dur)
		plausible(t, "PeakFLOPS 1 thread", one, err)
		two, err := PeakFLOPS(v.name, 2, dur)
		plausible(t, "PeakFLOPS 2 threads", two, err)
		for _, lv := range Levels()[:2] {
			for _, k := range []Kind{Read, Triad} {
				bw, err := Bandwidth(v.name, k, lv, 1, dur)
				plausible(t, k.String()+" "+lv.Name, bw, err)
			}
		}
	})
}

// TestScalingIsAFraction checks that Scaling divides by the thread count:
// two threads on separate cores give about 1, on one core about 0.5-0.6,
// never near 2 (the total FLOP/s over one thread's). A window disturbed by
// another process can give anything, so one of five attempts must be in
// range.
func TestScalingIsAFraction(t *testing.T) {
	forEachProbe(t, func(t *testing.T, v vectorISA) {
		var got []float64
		for range 5 {
			s, err := Scaling(v.name, 2, 5*time.Millisecond)
			plausible(t, "Scaling 2 threads", s, err)
			if s <= 1.5 {
				return
			}
			got = append(got, s)
		}
		t.Fatalf("Scaling(2 threads) = %.2f, want at most 1.5 (a fraction of one thread's rate per thread)", got)
	})
	if _, err := Scaling("sve9", 2, time.Millisecond); err == nil {
		t.Fatal("Scaling(\"sve9\") returned no error")
	}
}

func TestUnknownISA(t *testing.T) {
	if _, err := PeakFLOPS("sve9", 1, time.Millisecond); err == nil {
		t.Fatal("PeakFLOPS(\"sve9\") returned no error")
	}
}

func TestLevelsAreOrdered(t *testing.T) {
	lv := Levels()
	for i := 1; i < len(lv); i++ {
		if lv[i].Bytes <= lv[i-1].Bytes {
			t.Errorf("level %s (%d B) not larger than %s (%d B)", lv[i].Name, lv[i].Bytes, lv[i-1].Name, lv[i-1].Bytes)
		}
	}
	for _, l := range lv {
		if got := LevelOf(l.Bytes); got != l.Name {
			t.Errorf("LevelOf(%d) = %s, want %s", l.Bytes, got, l.Name)
		}
	}
}
