package mlp

import "github.com/lanes-go/lanes/kernels"

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
	maskSeed uint64 // the run's seed, from which each batch's masks are keyed (maskKey)

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
		b.sampleMasks(maskBatch, rows)
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
// examples, with kernels.DropoutMask: each hidden unit is kept with
// probability keepProb, rounded to a multiple of 2⁻¹⁶, from a SplitMix64
// stream keyed by the run's seed, the batch number and the layer
// (maskKey). The generator is counter-based, so the masks depend on
// nothing else: not on the thread count, nor on which goroutine draws
// them. One call per layer: a 128×256 layer's mask (32,768 units) takes
// about 2 µs with AVX-512 (BenchmarkSampleMasks), against 28-37 µs for the
// four math/rand/v2 PCG streams that drew masks before.
func (b *batchInput) sampleMasks(batch uint64, rows int) {
	for i, mask := range b.masks {
		words := (rows*b.outs[i] + 63) / 64
		kernels.DropoutMask(mask[:words], b.keepProb, maskKey(b.maskSeed, batch, i), 0)
	}
}

// maskKey is the DropoutMask seed of layer's mask in batch number batch of
// a run seeded with seed. Each step of the derivation goes through the
// SplitMix64 finaliser, so keys of neighbouring batches and layers, and
// with them the streams they start, are unrelated.
func maskKey(seed, batch uint64, layer int) uint64 {
	return splitMix64(splitMix64(seed^seedStreamDropout<<56^batch) + uint64(layer))
}

// splitMix64 scrambles x (the SplitMix64 finaliser), so that seeds which
// differ in a few bits start streams far apart.
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
