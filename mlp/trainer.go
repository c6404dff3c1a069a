package mlp

import (
	"fmt"
	"math/rand/v2"

	"github.com/lanes-go/lanes/kernels"
)

// trainer holds everything one mini-batch step needs, sized once for the
// largest batch, so steps allocate nothing.
type trainer struct {
	model    *Model
	opt      Optimizer
	l2       float32
	keepProb float32 // 1 = no dropout
	maxBatch int

	// Per layer i, each maxBatch × Out(i):
	out   [][]float32 // hidden: activation output (before dropout); last: logits
	kept  [][]float32 // hidden, with dropout: out after the dropout mask (the next layer's input)
	masks [][]uint64  // hidden, with dropout: the kept-units bit mask
	delta [][]float32 // gradient of the loss with respect to layer i's pre-activation
	tmp   []float32   // scratch for tanh/sigmoid derivatives, maxBatch × widest

	gradW, gradB [][]float32
	// Optimizer state per layer: velocity (momentum) or first moment (Adam),
	// and second moment (Adam).
	stateW1, stateB1, stateW2, stateB2 [][]float32
	step                               int // optimizer steps taken (Adam's t)

	labels []int32 // the batch's labels, as the loss kernel takes them

	// Dropout masks are drawn in ranges of maskGrain words over the
	// kernels' pool (maskRange, built once), each range from its own four
	// PCG streams, seeded from the run's seed, the batch number maskBatch,
	// the layer and the range's first word, so the masks depend neither on
	// the thread count nor on the order in which ranges run.
	maskSeed  uint64
	maskBatch uint64
	maskLayer int
	maskRange func(lo, hi int)

	// sparseInput makes the first layer multiply by its input as a sparse
	// matrix (kernels.SgemmCSR), skipping the zero features: MNIST's pixels
	// are about 81% zeros, and the first layer's two products are nearly
	// all of an epoch's arithmetic. Train sets it from the training set's
	// density (see sparseInputMaxDensity). xs holds the batch and xsT its
	// transpose, rebuilt per batch into the same memory.
	sparseInput bool
	xs, xsT     kernels.CSR

	// The weight update runs over the kernels' thread pool in ranges of
	// updateGrain weights: updateWeights is the range function, built once
	// (a method value built per call would be allocated per call), and
	// updLayer and updLR are its arguments for the current step.
	updateWeights func(lo, hi int)
	updLayer      int
	updLR         float32

	// The current batch (batchRows rows of features batchX) and backward
	// layer, for weightGradient and inputGradient, and backwardPair, which
	// runs them side by side (built once, like updateWeights).
	backwardPair func(lo, hi int)
	bwdLayer     int
	batchX       []float32
	batchRows    int
	// convertInput fills xs and xsT from the batch batchX side by side.
	convertInput func(lo, hi int)
}

// updateGrain is the number of weights per parallel range of an optimizer
// step (64 KiB of each array touched, a few microseconds): small enough to
// balance two threads over the 784×256 layer's 13 ranges, large enough that
// claiming a range costs well under 1% of it. Layers of at most one range
// are updated on the calling goroutine.
const updateGrain = 1 << 14

func newTrainer(m *Model, opt Optimizer, l2, keepProb float32, maxBatch int, seed uint64) *trainer {
	L := len(m.Layers)
	t := &trainer{model: m, opt: opt, l2: l2, keepProb: keepProb, maxBatch: maxBatch,
		out: make([][]float32, L), delta: make([][]float32, L),
		gradW: make([][]float32, L), gradB: make([][]float32, L),
		labels:   make([]int32, maxBatch),
		maskSeed: seed,
	}
	t.updateWeights = t.updateWeightRange
	t.maskRange = t.sampleMaskRange
	t.backwardPair = t.backwardParts
	t.convertInput = t.convertParts
	dropout := keepProb < 1
	if dropout {
		t.kept = make([][]float32, L)
		t.masks = make([][]uint64, L)
	}
	widest := 0
	for i, l := range m.Layers {
		widest = max(widest, l.Out)
		t.out[i] = make([]float32, maxBatch*l.Out)
		t.delta[i] = make([]float32, maxBatch*l.Out)
		t.gradW[i] = make([]float32, len(l.Weights))
		t.gradB[i] = make([]float32, len(l.Bias))
		if dropout && i < L-1 {
			t.kept[i] = make([]float32, maxBatch*l.Out)
			t.masks[i] = make([]uint64, (maxBatch*l.Out+63)/64)
		}
	}
	if m.Activation != ReLU {
		t.tmp = make([]float32, maxBatch*widest)
	}
	alloc := func() [][]float32 {
		s := make([][]float32, L)
		for i, l := range m.Layers {
			s[i] = make([]float32, len(l.Weights))
		}
		return s
	}
	allocB := func() [][]float32 {
		s := make([][]float32, L)
		for i, l := range m.Layers {
			s[i] = make([]float32, len(l.Bias))
		}
		return s
	}
	switch opt.Kind {
	case Momentum:
		t.stateW1, t.stateB1 = alloc(), allocB()
	case Adam:
		t.stateW1, t.stateB1 = alloc(), allocB()
		t.stateW2, t.stateB2 = alloc(), allocB()
	}
	return t
}

// input returns the input of layer i for a batch of rows whose features are x.
func (t *trainer) input(i int, x []float32, rows int) []float32 {
	switch {
	case i == 0:
		return x
	case t.kept != nil:
		return t.kept[i-1][:rows*t.model.Layers[i-1].Out]
	}
	return t.out[i-1][:rows*t.model.Layers[i-1].Out]
}

// sampleMasks draws fresh dropout masks for a batch of rows: each hidden
// unit is kept with probability keepProb, rounded to a multiple of 2⁻¹⁶.
// The draws for a 128×256 layer (8,192 PCG outputs, about 55 µs on one
// core) ran serially while the second thread waited; they now run in
// ranges over the kernels' pool.
func (t *trainer) sampleMasks(rows int) {
	t.maskBatch++
	for i := range len(t.model.Layers) - 1 {
		t.maskLayer = i
		n := rows * t.model.Layers[i].Out
		kernels.ParallelFor((n+63)/64, maskGrain, t.maskRange)
	}
}

// maskGrain is the number of 64-bit mask words per parallel range: 4,096
// units, about 7 µs of draws.
const maskGrain = 64

// sampleMaskRange draws words [lo, hi) of layer maskLayer's mask.
func (t *trainer) sampleMaskRange(lo, hi int) {
	th := uint64(float64(t.keepProb)*(1<<16) + 0.5) // keep units whose uniform is below th
	lanes := keepLanes(th)
	// Four streams drawn in turn: a PCG step is a chain of dependent
	// multiplies, and four independent chains keep the multiplier busy
	// (one stream measured 6.6 ns per draw).
	var g [4]rand.PCG
	s1 := splitMix64(t.maskSeed ^ seedStreamDropout<<56 ^ t.maskBatch)
	for k := range g {
		g[k].Seed(s1, splitMix64(uint64(t.maskLayer)<<40^uint64(lo)<<2^uint64(k)))
	}
	g0, g1, g2, g3 := &g[0], &g[1], &g[2], &g[3]
	mask := t.masks[t.maskLayer][lo:hi]
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

// forward computes every layer's output for rows examples x (dropout
// applied with the current masks when enabled) and returns the logits.
// With sparseInput it also leaves x's sparse forms in xs and xsT for the
// backward pass.
func (t *trainer) forward(x []float32, rows int) []float32 {
	m := t.model
	last := len(m.Layers) - 1
	if t.sparseInput {
		// The two conversions are independent: side by side on two threads.
		t.batchX, t.batchRows = x, rows
		kernels.ParallelFor(2, 1, t.convertInput)
	}
	for i := range m.Layers {
		l := &m.Layers[i]
		in := t.input(i, x, rows)
		z := t.out[i][:rows*l.Out]
		if i == 0 && t.sparseInput {
			kernels.SgemmCSR(l.Out, 1, &t.xs, l.Weights, l.Out, 0, z, l.Out)
		} else {
			kernels.Sgemm(kernels.NoTrans, kernels.NoTrans, rows, l.Out, l.In, 1, in, l.In, l.Weights, l.Out, 0, z, l.Out)
		}
		kernels.BiasAdd(z, z, l.Bias)
		if i == last {
			return z
		}
		activate(m.Activation, z)
		if t.kept != nil {
			kernels.DropoutApply(t.kept[i][:len(z)], z, t.masks[i], 1/t.keepProb)
		}
	}
	panic("unreachable")
}

// gradients runs the forward and backward passes for a batch (features x,
// labels already in t.labels[:rows]) and leaves the gradient of the
// objective — the mean cross-entropy plus l2/2·Σ‖W‖² — in gradW and gradB.
// It returns the summed cross-entropy over the batch and the number of rows
// whose logits put the label first.
func (t *trainer) gradients(x []float32, rows int) (lossSum float64, correct int) {
	m := t.model
	L := len(m.Layers)
	logits := t.forward(x, rows)
	classes := m.Classes()
	labels := t.labels[:rows]
	for r, y := range labels {
		if kernels.ArgMax(logits[r*classes:(r+1)*classes]) == int(y) {
			correct++
		}
	}
	lossSum = kernels.SoftmaxCrossEntropy(t.delta[L-1][:rows*classes], logits, labels, 1/float32(rows))
	t.batchX, t.batchRows = x, rows
	for i := L - 1; i >= 0; i-- {
		t.bwdLayer = i
		l := &m.Layers[i]
		// The weight gradient and the input gradient of a layer are
		// independent. Small layers (an output layer, say) run serially
		// inside each, so run them side by side as two ranges of the
		// kernels' pool instead; large ones split their own work.
		if i > 0 && int64(rows)*int64(l.In)*int64(l.Out) < pairMaxWork {
			kernels.ParallelFor(2, 1, t.backwardPair)
		} else {
			t.weightGradient()
			if i > 0 {
				t.inputGradient()
			}
		}
	}
	t.batchX = nil
	return lossSum, correct
}

// pairMaxWork is the size (multiply-adds of one of its products) below which
// a layer's two backward products run side by side: below Sgemm's own
// threshold for splitting a call (4M), where each runs on one thread.
const pairMaxWork = 4 << 20

// convertParts stores the batch batchX (batchRows rows) as xs (part 0) and its
// transpose as xsT (part 1), for the parts in [lo, hi).
func (t *trainer) convertParts(lo, hi int) {
	in := t.model.Inputs()
	for part := lo; part < hi; part++ {
		if part == 0 {
			t.xs.FromDense(t.batchRows, in, t.batchX, in)
		} else {
			t.xsT.FromDenseTransposed(t.batchRows, in, t.batchX, in)
		}
	}
}

// backwardParts runs part 0 (the weight gradient) and part 1 (the input
// gradient) of layer bwdLayer's backward pass for the parts in [lo, hi).
func (t *trainer) backwardParts(lo, hi int) {
	for part := lo; part < hi; part++ {
		if part == 0 {
			t.weightGradient()
		} else {
			t.inputGradient()
		}
	}
}

// weightGradient sets layer bwdLayer's weight and bias gradients, dW =
// inputᵀ·delta (plus the L2 term) and db = column sums of delta.
func (t *trainer) weightGradient() {
	i, rows := t.bwdLayer, t.batchRows
	l := &t.model.Layers[i]
	in := t.input(i, t.batchX, rows)
	d := t.delta[i][:rows*l.Out]
	if i == 0 && t.sparseInput {
		kernels.SgemmCSR(l.Out, 1, &t.xsT, d, l.Out, 0, t.gradW[i], l.Out)
	} else {
		kernels.Sgemm(kernels.Trans, kernels.NoTrans, l.In, l.Out, rows, 1, in, l.In, d, l.Out, 0, t.gradW[i], l.Out)
	}
	kernels.ColSums(t.gradB[i], d)
	if t.l2 != 0 {
		kernels.Axpy(t.l2, l.Weights, t.gradW[i])
	}
}

// inputGradient sets the delta of the layer below bwdLayer: the gradient
// with respect to bwdLayer's input, delta·Wᵀ, taken back through dropout
// and the lower layer's activation.
func (t *trainer) inputGradient() {
	i, rows := t.bwdLayer, t.batchRows
	l := &t.model.Layers[i]
	d := t.delta[i][:rows*l.Out]
	dIn := t.delta[i-1][:rows*l.In]
	kernels.Sgemm(kernels.NoTrans, kernels.Trans, rows, l.In, l.Out, 1, d, l.Out, l.Weights, l.Out, 0, dIn, l.In)
	if t.kept != nil {
		kernels.DropoutApply(dIn, dIn, t.masks[i-1], 1/t.keepProb)
	}
	activationGrad(t.model.Activation, dIn, t.out[i-1][:len(dIn)], t.tmp)
}

// activationGrad multiplies d in place by the activation's derivative,
// expressed through its output a.
func activationGrad(act Activation, d, a, tmp []float32) {
	switch act {
	case ReLU:
		// relu(z) > 0 exactly where z > 0, so the output serves as the input.
		kernels.ReLUGrad(d, d, a)
	case Tanh:
		// tanh' = 1 - a²: d -= d·a².
		tmp = tmp[:len(d)]
		kernels.Mul(tmp, a, a)
		kernels.Mul(tmp, tmp, d)
		kernels.Sub(d, d, tmp)
	case Sigmoid:
		// σ' = a - a².
		tmp = tmp[:len(d)]
		kernels.Mul(tmp, a, a)
		kernels.Sub(tmp, a, tmp)
		kernels.Mul(d, d, tmp)
	default:
		panic(fmt.Sprintf("mlp: invalid activation %d", act))
	}
}

// l2Penalty returns l2/2·Σ‖W‖² over the weights (not the biases).
func (t *trainer) l2Penalty() float64 {
	if t.l2 == 0 {
		return 0
	}
	var s float64
	for _, l := range t.model.Layers {
		s += float64(kernels.SumSquares(l.Weights))
	}
	return float64(t.l2) / 2 * s
}

// update applies one optimizer step with learning rate lr. Every update
// rule is elementwise, so splitting a layer's weights into ranges run on
// several threads gives the same bits as one pass.
func (t *trainer) update(lr float32) {
	t.step++
	o := t.opt
	t.updLR = lr
	for i := range t.model.Layers {
		l := &t.model.Layers[i]
		t.updLayer = i
		kernels.ParallelFor(len(l.Weights), updateGrain, t.updateWeights)
		switch o.Kind {
		case SGD:
			kernels.Axpy(-lr, t.gradB[i], l.Bias)
		case Momentum:
			kernels.SGDMomentum(l.Bias, t.stateB1[i], t.gradB[i], lr, o.Momentum, o.Nesterov)
		case Adam:
			kernels.Adam(l.Bias, t.stateB1[i], t.stateB2[i], t.gradB[i], lr, o.Beta1, o.Beta2, o.Epsilon, t.step)
		}
	}
}

// updateWeightRange applies the optimizer step to weights [lo, hi) of layer
// updLayer with learning rate updLR.
func (t *trainer) updateWeightRange(lo, hi int) {
	o, i, lr := t.opt, t.updLayer, t.updLR
	w, g := t.model.Layers[i].Weights[lo:hi], t.gradW[i][lo:hi]
	switch o.Kind {
	case SGD:
		kernels.Axpy(-lr, g, w)
	case Momentum:
		kernels.SGDMomentum(w, t.stateW1[i][lo:hi], g, lr, o.Momentum, o.Nesterov)
	case Adam:
		kernels.Adam(w, t.stateW1[i][lo:hi], t.stateW2[i][lo:hi], g, lr, o.Beta1, o.Beta2, o.Epsilon, t.step)
	}
}

// trainStep trains on one batch: features x (rows × inputs) and labels
// already in t.labels[:rows].
func (t *trainer) trainStep(x []float32, rows int, lr float32) (lossSum float64, correct int) {
	if t.kept != nil {
		t.sampleMasks(rows)
	}
	lossSum, correct = t.gradients(x, rows)
	t.update(lr)
	return lossSum, correct
}
