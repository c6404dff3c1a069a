package mlp

import (
	"math/rand/v2"

	"github.com/lanes-go/lanes/kernels"
)

// batchInput holds what a training step reads of its batch besides the
// weights and the dense features: the labels, the features as CSR and its
// transpose (on the sparse path) and the dropout masks. None of it depends
// on the weights, so with two threads Train fills the next batch's
// batchInput (prepare) on the kernels pool's worker while the current step
// runs, and the two alternate (see batchFeeder).
type batchInput struct {
	labels  []int32     // maxBatch
	xs, xsT kernels.CSR // the batch, and its transpose, on the sparse path
	masks   [][]uint64  // per hidden layer, with dropout: the kept-units bit mask

	outs     []int // units per layer
	inputs   int   // features per example
	keepProb float32

	// Dropout masks are drawn in ranges of maskGrain words over the
	// kernels' pool (maskRange, built once), each range from its own four
	// PCG streams, seeded from the run's seed, the batch number maskBatch,
	// the layer and the range's first word, so the masks depend neither on
	// the thread count, nor on the order in which ranges run, nor on which
	// goroutine draws them.
	maskSeed  uint64
	maskBatch uint64
	maskLayer int
	maskWords int
	maskRange func(lo, hi int)

	// convertParts' arguments: the batch being converted (rows × inputs).
	convX       []float32
	convRows    int
	convertPart func(lo, hi int)
}

// newBatchInput returns an empty batchInput sized for t's model and
// largest batch, with dropout masks if t has dropout.
func (t *trainer) newBatchInput(seed uint64) *batchInput {
	m := t.model
	b := &batchInput{labels: make([]int32, t.maxBatch), inputs: m.Inputs(), keepProb: t.keepProb, maskSeed: seed}
	for _, l := range m.Layers {
		b.outs = append(b.outs, l.Out)
	}
	if t.keepProb < 1 {
		b.masks = make([][]uint64, len(m.Layers)-1)
		for i := range b.masks {
			b.masks[i] = make([]uint64, (t.maxBatch*m.Layers[i].Out+63)/64)
		}
	}
	b.maskRange = b.sampleMaskRanges
	b.convertPart = b.convertParts
	return b
}

// prepare fills b for a batch of rows examples whose features x and labels
// are already in place: the CSR forms if sparse, and with dropout the masks
// of batch number maskBatch (the step's count, from 1). With parallel it
// spreads the work over the kernels' pool; without, it runs on the calling
// goroutine only, for the same bits.
func (b *batchInput) prepare(x []float32, rows int, sparse bool, maskBatch uint64, parallel bool) {
	if sparse {
		b.convert(x, rows, parallel)
	}
	if b.masks != nil {
		b.sampleMasks(maskBatch, rows, parallel)
	}
}

// convert stores the batch x (rows × inputs) as xs and its transpose as
// xsT. The two conversions are independent: with parallel, side by side on
// two threads.
func (b *batchInput) convert(x []float32, rows int, parallel bool) {
	b.convX, b.convRows = x, rows
	forRanges(parallel, 2, 1, b.convertPart)
	b.convX = nil
}

// convertParts does part 0 (xs) and part 1 (xsT) of convert for the parts
// in [lo, hi).
func (b *batchInput) convertParts(lo, hi int) {
	for part := lo; part < hi; part++ {
		if part == 0 {
			b.xs.FromDense(b.convRows, b.inputs, b.convX, b.inputs)
		} else {
			b.xsT.FromDenseTransposed(b.convRows, b.inputs, b.convX, b.inputs)
		}
	}
}

// sampleMasks draws the dropout masks of batch number batch, rows
// examples: each hidden unit is kept with probability keepProb, rounded to
// a multiple of 2⁻¹⁶. The draws for a 128×256 layer (8,192 PCG outputs)
// come in ranges of maskGrain words, which run over the kernels' pool with
// parallel.
func (b *batchInput) sampleMasks(batch uint64, rows int, parallel bool) {
	b.maskBatch = batch
	for i := range b.masks {
		b.maskLayer = i
		b.maskWords = (rows*b.outs[i] + 63) / 64
		forRanges(parallel, (b.maskWords+maskGrain-1)/maskGrain, 1, b.maskRange)
	}
}

// sampleMaskRanges draws ranges [lo, hi) of maskGrain words of layer
// maskLayer's mask. (Ranges, not words, are what ParallelFor splits, so
// that every range starts at a multiple of maskGrain, which seeds it,
// however the calls are cut.)
func (b *batchInput) sampleMaskRanges(lo, hi int) {
	for r := lo; r < hi; r++ {
		b.sampleMaskRange(r*maskGrain, min((r+1)*maskGrain, b.maskWords))
	}
}

// maskGrain is the number of 64-bit mask words per parallel range: 4,096
// units, about 7 µs of draws.
const maskGrain = 64

// sampleMaskRange draws words [lo, hi) of layer maskLayer's mask.
func (b *batchInput) sampleMaskRange(lo, hi int) {
	th := uint64(float64(b.keepProb)*(1<<16) + 0.5) // keep units whose uniform is below th
	lanes := keepLanes(th)
	// Four streams drawn in turn: a PCG step is a chain of dependent
	// multiplies, and four independent chains keep the multiplier busy
	// (one stream measured 6.6 ns per draw).
	var g [4]rand.PCG
	s1 := splitMix64(b.maskSeed ^ seedStreamDropout<<56 ^ b.maskBatch)
	for k := range g {
		g[k].Seed(s1, splitMix64(uint64(b.maskLayer)<<40^uint64(lo)<<2^uint64(k)))
	}
	g0, g1, g2, g3 := &g[0], &g[1], &g[2], &g[3]
	mask := b.masks[b.maskLayer][lo:hi]
	for w := range mask {
		// Bits 16j..16j+15 of the word come from the j-th draw of the four
		// streams, four bits each (see keep4). The shifts are constants:
		// Go gives a variable shift extra instructions (the result must be
		// 0 for shifts of 64 or more), which, with a loop over j, made the
		// masks 20% slower (BenchmarkSampleMasks).
		mask[w] = keep4(g0.Uint64(), lanes) | keep4(g1.Uint64(), lanes)<<4 | keep4(g2.Uint64(), lanes)<<8 | keep4(g3.Uint64(), lanes)<<12 |
			keep4(g0.Uint64(), lanes)<<16 | keep4(g1.Uint64(), lanes)<<20 | keep4(g2.Uint64(), lanes)<<24 | keep4(g3.Uint64(), lanes)<<28 |
			keep4(g0.Uint64(), lanes)<<32 | keep4(g1.Uint64(), lanes)<<36 | keep4(g2.Uint64(), lanes)<<40 | keep4(g3.Uint64(), lanes)<<44 |
			keep4(g0.Uint64(), lanes)<<48 | keep4(g1.Uint64(), lanes)<<52 | keep4(g2.Uint64(), lanes)<<56 | keep4(g3.Uint64(), lanes)<<60
	}
}

// keepLanes returns the addend keep4 takes for a threshold th ≤ 2¹⁶:
// 2¹⁶ - th in each 32-bit half.
func keepLanes(th uint64) uint64 { return (1<<16 - th) * (1<<32 | 1) }

// keep4 returns, in bits 0-3, whether each of r's four 16-bit uniforms u
// (lowest first) is below the threshold th of lanes = keepLanes(th), so
// that its unit is kept. Two uniforms at a time, one in each 32-bit half:
// u + 2¹⁶ - th has bit 16 clear exactly when u < th, and never carries
// into the other half. Branch-free, since a kept/dropped branch would be
// mispredicted about 1 - keepProb of the time; about 15 operations for the
// four units against 22 for a compare per unit, which BenchmarkSampleMasks
// measured at 37.6 µs (median of 12 runs) against 32.8 µs this way.
func keep4(r, lanes uint64) uint64 {
	const halves = 0x0000_ffff_0000_ffff   // u in bits 0-15 and 32-47
	const bit16 = 0x0001_0000_0001_0000    // bit 16 of each half
	even := ^(r&halves + lanes) & bit16    // units 0 and 2 kept, in bits 16 and 48
	odd := ^(r>>16&halves + lanes) & bit16 // units 1 and 3
	both := even>>16 | odd>>15             // units 0-3 in bits 0, 1, 32, 33
	return (both | both>>30) & 0xf
}

// splitMix64 scrambles x (the SplitMix64 finaliser), so that seeds which
// differ in a few bits start PCG streams far apart.
func splitMix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// forRanges calls body for the ranges [0, grain), [grain, 2·grain)... of
// [0, n): over the kernels' pool (ParallelFor) with parallel, in order on
// the calling goroutine without, as batchFeeder's task does, which runs on
// the pool's only spare thread.
func forRanges(parallel bool, n, grain int, body func(lo, hi int)) {
	if parallel {
		kernels.ParallelFor(n, grain, body)
		return
	}
	for lo := 0; lo < n; lo += grain {
		body(lo, min(lo+grain, n))
	}
}
