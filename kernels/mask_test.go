package kernels

import (
	"fmt"
	"math"
	"math/bits"
	"strings"
	"sync"
	"testing"
)

// dropoutMaskReference computes words mask words from DropoutMask's
// definition, one unit at a time, sharing no code with the kernels.
func dropoutMaskReference(words int, keep float32, seed uint64, first int) []uint64 {
	th := uint32(float64(keep)*65536 + 0.5)
	out := make([]uint64, words)
	for w := range out {
		for b := range 64 {
			// Unit u = 64·(first+w) + b has u/4 = 16·(first+w) + b/4 and
			// u%4 = b%4, taken apart so that u/4 stays exact (mod 2⁶⁴) where
			// u itself would overflow.
			k := 16*uint64(first+w) + uint64(b/4)
			z := seed + (k+1)*0x9e3779b97f4a7c15
			z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
			z = (z ^ z>>27) * 0x94d049bb133111eb
			z ^= z >> 31
			if uint32(uint16(z>>(16*(b%4)))) < th {
				out[w] |= 1 << b
			}
		}
	}
	return out
}

// TestDropoutMaskReferenceIsSplitMix64 pins the reference to published
// SplitMix64 outputs: seeded with 0, the generator's first three outputs
// are these (the reference C code of Vigna's splitmix64.c), so bits 0-15 of
// unit 0's uniform etc. must come from them.
func TestDropoutMaskReferenceIsSplitMix64(t *testing.T) {
	outputs := []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f}
	for k, z := range outputs {
		for i := range 4 {
			u := 4*k + i
			x := uint32(uint16(z >> (16 * i)))
			// keep = (x+1)/65536 gives th = x+1: kept; keep = x/65536: dropped.
			for _, c := range []struct {
				th   uint32
				kept bool
			}{{x + 1, true}, {x, false}} {
				keep := float32(float64(c.th) / 65536)
				if uint32(float64(keep)*65536+0.5) != c.th {
					t.Fatalf("keep %v does not round to th %d", keep, c.th)
				}
				got := dropoutMaskReference(1, keep, 0, 0)[0]>>u&1 == 1
				if got != c.kept {
					t.Errorf("output %d (%#x), unit %d, th = %d: kept = %v, want %v", k, z, u, c.th, got, c.kept)
				}
			}
		}
	}
}

var (
	maskWordCounts = []int{0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 100, 512, 1000}
	// 1<<40 (0 where int has 32 bits); from 1<<60 on, 16·first wraps, and
	// the counter must too.
	maskFirsts = []int{0, 1, 5, 1 << 40 & math.MaxInt, math.MaxInt - 1024}
	// 1e-6 rounds to th = 0, 3e-5 to th = 2, 1-1e-6 to th = 65536.
	maskKeeps = []float32{0, 1e-6, 3e-5, 0.5, 0.8, 0.9999, 1 - 1e-6, 1}
	maskSeeds = []uint64{0, ^uint64(0), 42, 0x0123456789abcdef}
)

// TestDropoutMask compares every tier with the reference bit for bit, around
// the kernels' unroll widths (1 and 4 words) and past maskChunk, with mask
// words prefilled with a pattern so that unwritten words show, and guard
// words on both sides that must stay untouched.
func TestDropoutMask(t *testing.T) {
	const guard = 0x5a5a_a5a5_5a5a_a5a5
	forEachISA(t, func(t *testing.T) {
		for _, words := range maskWordCounts {
			if testing.Short() && words > 512 {
				continue
			}
			buf := make([]uint64, words+2)
			for _, first := range maskFirsts {
				for _, keep := range maskKeeps {
					for _, seed := range maskSeeds {
						want := dropoutMaskReference(words, keep, seed, first)
						for i := range buf {
							buf[i] = guard
						}
						mask := buf[1 : 1+words]
						DropoutMask(mask, keep, seed, first)
						if buf[0] != guard || buf[words+1] != guard {
							t.Fatalf("words=%d first=%d keep=%v seed=%#x: wrote outside the mask: %#x, %#x", words, first, keep, seed, buf[0], buf[words+1])
						}
						for w := range mask {
							if mask[w] != want[w] {
								t.Fatalf("words=%d first=%d keep=%v seed=%#x: mask[%d] = %#016x, want %#016x", words, first, keep, seed, w, mask[w], want[w])
							}
						}
					}
				}
			}
		}
	})
}

// TestDropoutMaskThresholds runs every tier at thresholds where an unsigned
// 16-bit compare done as signed, or off by one, would go wrong: th = 1, 2,
// 32767, 32768, 32769, 65534, 65535 (keep = th/65536 exactly).
func TestDropoutMaskThresholds(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		for _, th := range []uint32{1, 2, 0x7fff, 0x8000, 0x8001, 0xfffe, 0xffff} {
			keep := float32(float64(th) / 65536)
			want := dropoutMaskReference(300, keep, 7, 3)
			got := make([]uint64, 300)
			DropoutMask(got, keep, 7, 3)
			for w := range got {
				if got[w] != want[w] {
					t.Fatalf("th=%d: mask[%d] = %#016x, want %#016x", th, w, got[w], want[w])
				}
			}
		}
	})
}

// TestDropoutMaskPieces fills a 1000-word mask in uneven pieces, each with
// its own first, one after another and then concurrently, and expects the
// words of one call.
func TestDropoutMaskPieces(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		const words, first = 1000, 77
		whole := make([]uint64, words)
		DropoutMask(whole, 0.7, 99, first)
		pieces := make([]uint64, words)
		cuts := []int{0, 1, 4, 9, 130, 131, 600, 999, words}
		for i := 1; i < len(cuts); i++ {
			a, b := cuts[i-1], cuts[i]
			DropoutMask(pieces[a:b], 0.7, 99, first+a)
		}
		for w := range whole {
			if pieces[w] != whole[w] {
				t.Fatalf("word %d: pieces give %#016x, one call %#016x", w, pieces[w], whole[w])
			}
		}
		// The same pieces at once, one goroutine each (run with -race too).
		clear(pieces)
		var wg sync.WaitGroup
		for i := 1; i < len(cuts); i++ {
			a, b := cuts[i-1], cuts[i]
			wg.Add(1)
			go func() {
				defer wg.Done()
				DropoutMask(pieces[a:b], 0.7, 99, first+a)
			}()
		}
		wg.Wait()
		for w := range whole {
			if pieces[w] != whole[w] {
				t.Fatalf("word %d: concurrent pieces give %#016x, one call %#016x", w, pieces[w], whole[w])
			}
		}
	})
}

// TestDropoutMaskStatistics checks, on 2²² units, that the kept fraction is
// th/65536 and that units 1, 4 and 64 apart are kept independently (their
// joint frequency is p²), each within 5 standard deviations; and that
// another seed gives another mask.
func TestDropoutMaskStatistics(t *testing.T) {
	const words = 1 << 16 // 2²² units
	n := float64(64 * words)
	mask := make([]uint64, words)
	for _, keep := range []float32{0.8, 0.3} {
		DropoutMask(mask, keep, 12345, 0)
		p := float64(uint32(float64(keep)*65536+0.5)) / 65536
		kept := 0
		for _, m := range mask {
			kept += bits.OnesCount64(m)
		}
		if f, sd := float64(kept)/n, math.Sqrt(p*(1-p)/n); math.Abs(f-p) > 5*sd {
			t.Errorf("keep %v: kept fraction %.6f, want %.6f ± 5·%.6f", keep, f, p, sd)
		}
		bit := func(u int) bool { return mask[u/64]>>(u%64)&1 == 1 }
		for _, lag := range []int{1, 4, 64} {
			both, pairs := 0, 0
			for u := 0; u+lag < 64*words; u += 2 * lag {
				// Disjoint pairs (u, u+lag), so the counts are independent trials.
				for v := u; v < u+lag && v+lag < 64*words; v++ {
					pairs++
					if bit(v) && bit(v+lag) {
						both++
					}
				}
			}
			q := p * p
			if f, sd := float64(both)/float64(pairs), math.Sqrt(q*(1-q)/float64(pairs)); math.Abs(f-q) > 5*sd {
				t.Errorf("keep %v, units %d apart: both kept in %.6f of %d pairs, want %.6f ± 5·%.6f", keep, lag, f, pairs, q, sd)
			}
		}
	}
	a, b := make([]uint64, 64), make([]uint64, 64)
	DropoutMask(a, 0.5, 1, 0)
	DropoutMask(b, 0.5, 2, 0)
	same := 0
	for w := range a {
		same += 64 - bits.OnesCount64(a[w]^b[w])
	}
	if f := float64(same) / 4096; math.Abs(f-0.5) > 5*0.5/64 {
		t.Errorf("seeds 1 and 2 agree on %.3f of 4096 units, want about 0.5", f)
	}
}

// TestDropoutMaskPanics checks that a keep outside [0, 1] or NaN, and a
// negative first, panic naming the function and the value.
func TestDropoutMaskPanics(t *testing.T) {
	mask := make([]uint64, 4)
	for _, c := range []struct {
		keep  float32
		first int
		value string
	}{
		{float32(math.NaN()), 0, "NaN"},
		{-0.1, 0, "-0.1"},
		{1.1, 0, "1.1"},
		{0.5, -1, "-1"},
	} {
		t.Run(fmt.Sprintf("keep=%v/first=%d", c.keep, c.first), func(t *testing.T) {
			defer func() {
				msg := fmt.Sprint(recover())
				if !strings.Contains(msg, "kernels.DropoutMask") || !strings.Contains(msg, c.value) {
					t.Fatalf("panic %q, want one naming kernels.DropoutMask and %s", msg, c.value)
				}
			}()
			DropoutMask(mask, c.keep, 1, c.first)
		})
	}
}

// FuzzDropoutMask compares every tier with the reference for any seed,
// first (made non-negative), threshold and length up to 2047 words, a
// range that crosses maskChunk.
func FuzzDropoutMask(f *testing.F) {
	f.Add(uint64(0), int64(0), uint16(52429), uint16(1))
	f.Add(^uint64(0), int64(1<<40), uint16(1), uint16(513))
	f.Add(uint64(42), int64(math.MaxInt64-5000), uint16(65535), uint16(17))
	f.Fuzz(func(t *testing.T, seed uint64, first int64, th, words uint16) {
		if th == 0 {
			th = 1 // the kernels take th in [1, 65535]; 0 and 65536 are filled in Go
		}
		n := int(words % 2048)
		start := int(uint64(first) & math.MaxInt)
		if start > math.MaxInt-n {
			start -= n
		}
		keep := float32(float64(th) / 65536)
		want := dropoutMaskReference(n, keep, seed, start)
		mask := make([]uint64, n)
		saved := active
		defer func() { active = saved }()
		for _, tier := range availableISAs() {
			active = tier
			DropoutMask(mask, keep, seed, start)
			for w := range mask {
				if mask[w] != want[w] {
					t.Fatalf("%v: seed=%#x first=%d th=%d words=%d: mask[%d] = %#016x, want %#016x", tier, seed, start, th, n, w, mask[w], want[w])
				}
			}
		}
	})
}

// TestDropoutMaskAllocs checks the package promise that kernels do not
// allocate, on every tier and across chunks.
func TestDropoutMaskAllocs(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		mask := make([]uint64, 1500)
		if n := testing.AllocsPerRun(10, func() { DropoutMask(mask, 0.8, 3, 7) }); n != 0 {
			t.Fatalf("DropoutMask allocated %v times per call", n)
		}
	})
}
