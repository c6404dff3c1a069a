package kernels

import "fmt"

// DropoutMask fills mask with the keep bits of inverted dropout, for
// DropoutApply: bit b of mask[w] stands for unit u = 64·(first+w) + b and is
// set with probability keep, rounded to a multiple of 2⁻¹⁶, independently of
// every other unit.
//
// The bits are a contract, the same on every tier and every GOARCH, so that
// training with a given seed is reproducible (checkpoints do not depend on
// them). Exactly:
//
//	th  = uint32(float64(keep)*65536 + 0.5)              // in [0, 65536]
//	z_k = splitmix64Mix(seed + (k+1)·0x9e3779b97f4a7c15)  // wrapping uint64 arithmetic
//	unit u is kept  ⇔  uint16(z_{u/4} >> (16·(u%4))) < th
//
// where splitmix64Mix(z) is z = (z ^ z>>30) * 0xbf58476d1ce4e5b9;
// z = (z ^ z>>27) * 0x94d049bb133111eb; return z ^ z>>31. So z_k is output k
// of the SplitMix64 generator seeded with seed (Steele, Lea and Flood, "Fast
// splittable pseudorandom number generators", OOPSLA 2014; it passes
// TestU01's BigCrush, and is Java's SplittableRandom), and each output gives
// four units a 16-bit uniform each. keep = 0 (th = 0) keeps no unit and
// keep = 1 (th = 65536) keeps every one.
//
// The generator is counter-based: z_k is a function of k alone, with no state
// carried from one draw to the next. Any range of a mask can therefore be
// filled directly, DropoutMask(mask[a:b], keep, seed, first+a) writes the
// same words as the whole call does there, so a mask can be filled in pieces
// on several threads with the bits of one call; and the draws are
// independent, so the assembly tiers mix 8 (AVX-512) or 4 (AVX2, NEON) of
// them per vector. For the 128×256 hidden layer of the MNIST network (512
// words) that is 1.8-2.0 µs with AVX-512, 4.7-5.2 µs with AVX2 and 22-23 µs in
// generic Go on the development machine (Zen 4, BenchmarkDropoutMask, medians
// of 5 over several runs), against about 31 µs for four math/rand/v2 PCG
// streams (package mlp's BenchmarkSampleMasks before it used DropoutMask).
//
// Every bit of every word is written, including bits past the caller's last
// unit. first must be at least 0 (a negative first panics); the counter
// wraps like uint64 arithmetic, so any first works. keep must be in [0, 1]:
// NaN or a value outside panics. An empty mask does nothing. Like every
// kernel, DropoutMask does not allocate, and calls on disjoint parts of a
// mask may run concurrently.
func DropoutMask(mask []uint64, keep float32, seed uint64, first int) {
	if !(keep >= 0 && keep <= 1) {
		panic(fmt.Sprintf("kernels.DropoutMask: keep = %v, must be in [0, 1]", keep))
	}
	if first < 0 {
		panic(fmt.Sprintf("kernels.DropoutMask: first = %d, must be at least 0", first))
	}
	th := uint32(float64(keep)*65536 + 0.5)
	switch th {
	case 0:
		clear(mask)
		return
	case 1 << 16:
		for w := range mask {
			mask[w] = ^uint64(0)
		}
		return
	}
	// ctr is the generator's state for the first draw of mask[0], draw
	// k = 16·first: seed + (k+1)·γ. Each word takes 16 draws.
	ctr := seed + (16*uint64(first)+1)*splitmixGamma
	for len(mask) > 0 {
		n := min(len(mask), maskChunk)
		dropoutMask(mask[:n], th, ctr)
		ctr += 16 * uint64(n) * splitmixGamma
		mask = mask[n:]
	}
}

// maskChunk bounds the words one dropoutMask call fills (see chunk): 512
// words, 32768 units, take about 2 µs with AVX-512 and 5 µs with AVX2 on the
// development machine (BenchmarkDropoutMask), so a call never holds up a
// garbage collection for long.
const maskChunk = 512

// splitmixGamma is SplitMix64's increment, the odd integer nearest 2⁶⁴/φ.
const splitmixGamma = 0x9e3779b97f4a7c15

// splitmix64Mix is SplitMix64's output function (Stafford's Mix13 variant of
// the MurmurHash3 finaliser).
func splitmix64Mix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
