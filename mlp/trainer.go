package mlp

import (
	"fmt"

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
	// tmpWidth is the widest layer: rows [lo, hi) of any layer use
	// tmp[lo·tmpWidth:hi·tmpWidth], so blocks of rows never share scratch.
	tmpWidth int

	gradW, gradB [][]float32
	// Optimizer state per layer: velocity (momentum) or first moment (Adam),
	// and second moment (Adam).
	stateW1, stateB1, stateW2, stateB2 [][]float32
	step                               int // optimizer steps taken (Adam's t)

	// in holds the current batch's labels, its features as CSR (on the
	// sparse path) and its dropout masks; inputReady says they were filled
	// ahead of the step (by Train's batchFeeder), so
	// trainStep and forward must not fill them again. maskBatch counts the
	// batches whose masks were drawn: the masks' seed.
	in         *batchInput
	inputReady bool
	maskBatch  uint64

	// sparseInput makes the first layer multiply by its input as a sparse
	// matrix (kernels.SgemmCSR), skipping the zero features: MNIST's pixels
	// are about 81% zeros, and the first layer's two products are nearly
	// all of an epoch's arithmetic. Train sets it from the training set's
	// density (see sparseInputMaxDensity).
	sparseInput bool

	// The weight update runs over the kernels' thread pool in ranges of
	// updateGrain weights: updateWeights is the range function, built once
	// (a method value built per call would be allocated per call), and
	// updLayer and updLR are its arguments for the current step.
	updateWeights func(lo, hi int)
	updLayer      int
	updLR         float32

	// The current batch (batchRows rows of features batchX), and
	// backwardPair, which runs layer bwdLayer's weightGradient and
	// inputGradient side by side (built once, like updateWeights).
	backwardPair func(lo, hi int)
	bwdLayer     int
	batchX       []float32
	batchRows    int

	// The per-example part of a step, over the pool in blocks of rowBlock
	// examples (see gradients): rowChainFn runs one block (built once),
	// and blockLoss and blockCorrect receive each block's loss and count.
	// upperGrads runs upperGradsFn, the later layers' weight gradients,
	// on the pool's worker beside the first layer's.
	rowChainFn   func(lo, hi int)
	blockLoss    []float64
	blockCorrect []int
	upperGrads   kernels.Task
	upperGradsFn func()
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
	}
	t.in = t.newBatchInput(seed)
	t.updateWeights = t.updateWeightRange
	t.backwardPair = t.backwardParts
	t.rowChainFn = t.rowChain
	t.upperGradsFn = t.upperWeightGradients
	blocks := (maxBatch + rowBlock - 1) / rowBlock
	t.blockLoss, t.blockCorrect = make([]float64, blocks), make([]int, blocks)
	dropout := keepProb < 1
	if dropout {
		t.kept = make([][]float32, L)
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
		}
	}
	if m.Activation != ReLU {
		t.tmp, t.tmpWidth = make([]float32, maxBatch*widest), widest
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

// sampleMasks draws fresh dropout masks for a batch of rows into t.in (see
// batchInput.sampleMasks).
func (t *trainer) sampleMasks(rows int) {
	t.maskBatch++
	t.in.sampleMasks(t.maskBatch, rows)
}

// gradients runs the forward and backward passes for a batch (features x,
// labels already in t.in.labels[:rows]) and leaves the gradient of the
// objective — the mean cross-entropy plus l2/2·Σ‖W‖² — in gradW and gradB.
// It returns the summed cross-entropy over the batch and the number of rows
// whose logits put the label first.
//
// The first layer's product, and each layer's weight gradient, take the
// whole batch. Everything else in a step is per example: the later layers'
// products, every bias, activation and dropout, the loss and its gradient,
// and the input gradients down to the first layer's delta. Where the later
// layers are small (smallTail), Sgemm runs each of their products on one
// thread, so taken layer by layer all of that runs on the caller while the
// other threads wait: about 60 µs of each 400 µs two-thread step of the
// 784-256-10 network. Instead, each block of rowBlock examples goes through
// all of it in one pass (rowChain), the blocks spread over the kernels'
// pool, and the small layers' weight gradients then run as a Task beside
// the first layer's. Every element is computed by the same operations as
// layer by layer, so the gradients are the same bits as that order's, on
// any number of threads (the loss is summed per block, in block order). Measured on the
// development VM (2 vCPUs) with one-epoch Train calls alternating with the
// layer-by-layer order, 16-24 pairs a run: on two threads the median epoch
// was lower in all eight runs, by 2-11% (4% in most), on one unchanged.
// Networks with larger later layers keep the layer-by-layer order
// (backwardByLayer), where each product splits its own work.
func (t *trainer) gradients(x []float32, rows int) (lossSum float64, correct int) {
	if !t.smallTail(rows) {
		t.forward(x, rows)
		lossSum, correct = t.backwardByLayer()
		t.batchX = nil // do not keep the caller's batch alive
		return lossSum, correct
	}
	t.firstProduct(x, rows)
	blocks := (rows + rowBlock - 1) / rowBlock
	kernels.ParallelFor(rows, rowBlock, t.rowChainFn)
	// Block order, whichever thread ran each: the same sum on any number
	// of threads.
	for b := range blocks {
		lossSum += t.blockLoss[b]
		correct += t.blockCorrect[b]
	}
	// The weight gradients are sums over the batch. The small layers' go
	// to a Task, which the pool's worker runs while the caller starts the
	// first layer's product, and then joins that.
	t.upperGrads.Start(t.upperGradsFn)
	t.weightGradient(0)
	t.upperGrads.Wait()
	t.batchX = nil
	return lossSum, correct
}

// rowChains lets gradients use rowChain where it applies;
// BenchmarkTrainEpoch turns it off to measure what it gains.
var rowChains = true

// rowBlock is the number of examples per block of rowChain: a 128-example
// batch makes two, one per thread on two cores. A multiple of 64, so that
// each block's dropout mask starts on a word of the bit masks.
const rowBlock = 64

// smallTail reports whether every layer after the first is small enough
// for rowChain: products that Sgemm would run on one thread anyway
// (pairMaxWork multiply-adds for the batch), so that computing them a block
// at a time, one block per thread, loses nothing.
func (t *trainer) smallTail(rows int) bool {
	if !rowChains {
		return false
	}
	for _, l := range t.model.Layers[1:] {
		if int64(rows)*int64(l.In)*int64(l.Out) >= pairMaxWork {
			return false
		}
	}
	return true
}

// forward computes every layer's output for rows examples x (dropout
// applied with the current masks when enabled) and returns the logits.
func (t *trainer) forward(x []float32, rows int) []float32 {
	t.firstProduct(x, rows)
	t.forwardRows(0, rows)
	classes := t.model.Classes()
	return t.out[len(t.model.Layers)-1][:rows*classes]
}

// firstProduct makes x (rows examples) the current batch and computes the
// first layer's product for all of it, with x's sparse form where
// sparseInput says so: filled here, with the transpose the backward pass
// uses, unless inputReady says Train's feeder filled both ahead.
func (t *trainer) firstProduct(x []float32, rows int) {
	t.batchX, t.batchRows = x, rows
	if t.sparseInput && !t.inputReady {
		t.in.convert(x, rows, true)
	}
	l := &t.model.Layers[0]
	z := t.out[0][:rows*l.Out]
	if t.sparseInput {
		kernels.SgemmCSR(l.Out, 1, &t.in.xs, l.Weights, l.Out, 0, z, l.Out)
	} else {
		kernels.Sgemm(kernels.NoTrans, kernels.NoTrans, rows, l.Out, l.In, 1, x, l.In, l.Weights, l.Out, 0, z, l.Out)
	}
}

// forwardRows completes the forward pass for rows [lo, hi) of the batch
// after firstProduct: the first layer's bias, activation and dropout, then
// every later layer.
func (t *trainer) forwardRows(lo, hi int) {
	t.epilogue(0, lo, hi)
	for i := 1; i < len(t.model.Layers); i++ {
		t.layerProduct(i, lo, hi)
		t.epilogue(i, lo, hi)
	}
}

// rowChain runs the per-example part of a step for the examples [lo, hi)
// (see gradients): the forward pass after the first layer's product, the
// loss and the input gradients, into the block's rows of out, kept and
// delta, and its loss and count into blockLoss and blockCorrect.
func (t *trainer) rowChain(lo, hi int) {
	L := len(t.model.Layers)
	t.forwardRows(lo, hi)
	b := lo / rowBlock
	t.blockLoss[b], t.blockCorrect[b] = t.loss(lo, hi)
	for i := L - 1; i > 0; i-- {
		t.inputGradient(i, lo, hi)
	}
}

// backwardByLayer is the rest of gradients, after forward, for networks
// whose later layers are large: the loss, then the backward pass layer by
// layer over the whole batch.
func (t *trainer) backwardByLayer() (lossSum float64, correct int) {
	m := t.model
	L := len(m.Layers)
	rows := t.batchRows
	lossSum, correct = t.loss(0, rows)
	for i := L - 1; i >= 0; i-- {
		l := &m.Layers[i]
		// The weight gradient and the input gradient of a layer are
		// independent. Small layers (an output layer, say) run serially
		// inside each, so run them side by side as two ranges of the
		// kernels' pool instead; large ones split their own work.
		if i > 0 && int64(rows)*int64(l.In)*int64(l.Out) < pairMaxWork {
			t.bwdLayer = i
			kernels.ParallelFor(2, 1, t.backwardPair)
		} else {
			t.weightGradient(i)
			if i > 0 {
				t.inputGradient(i, 0, rows)
			}
		}
	}
	return lossSum, correct
}

// pairMaxWork is the size (multiply-adds of one of its products) below which
// a layer's two backward products run side by side: below Sgemm's own
// threshold for splitting a call (4M), where each runs on one thread.
const pairMaxWork = 4 << 20

// backwardParts runs part 0 (the weight gradient) and part 1 (the input
// gradient) of layer bwdLayer's backward pass for the parts in [lo, hi).
func (t *trainer) backwardParts(lo, hi int) {
	for part := lo; part < hi; part++ {
		if part == 0 {
			t.weightGradient(t.bwdLayer)
		} else {
			t.inputGradient(t.bwdLayer, 0, t.batchRows)
		}
	}
}

// upperWeightGradients sets the weight gradients of every layer but the
// first.
func (t *trainer) upperWeightGradients() {
	for i := len(t.model.Layers) - 1; i > 0; i-- {
		t.weightGradient(i)
	}
}

// layerProduct computes rows [lo, hi) of layer i's product (i > 0): its
// input times its weights.
func (t *trainer) layerProduct(i, lo, hi int) {
	l := &t.model.Layers[i]
	in := t.input(i, t.batchX, t.batchRows)[lo*l.In : hi*l.In]
	z := t.out[i][lo*l.Out : hi*l.Out]
	kernels.Sgemm(kernels.NoTrans, kernels.NoTrans, hi-lo, l.Out, l.In, 1, in, l.In, l.Weights, l.Out, 0, z, l.Out)
}

// epilogue finishes rows [lo, hi) of layer i's output after its product:
// the bias, and for a hidden layer the activation and, with dropout, the
// mask (into kept). lo is a multiple of rowBlock (or 0), so the block's
// mask starts on a word.
func (t *trainer) epilogue(i, lo, hi int) {
	l := &t.model.Layers[i]
	z := t.out[i][lo*l.Out : hi*l.Out]
	kernels.BiasAdd(z, z, l.Bias)
	if i == len(t.model.Layers)-1 {
		return
	}
	activate(t.model.Activation, z)
	if t.kept != nil {
		kernels.DropoutApply(t.kept[i][lo*l.Out:hi*l.Out], z, t.in.masks[i][lo*l.Out/64:], 1/t.keepProb)
	}
}

// loss computes, for rows [lo, hi) of the batch, the gradient of the mean
// cross-entropy with respect to the logits (into the last delta), and
// returns those rows' summed cross-entropy and the number whose logits
// put the label first.
func (t *trainer) loss(lo, hi int) (lossSum float64, correct int) {
	L := len(t.model.Layers)
	classes := t.model.Classes()
	logits := t.out[L-1][lo*classes : hi*classes]
	labels := t.in.labels[lo:hi]
	for r, y := range labels {
		if kernels.ArgMax(logits[r*classes:(r+1)*classes]) == int(y) {
			correct++
		}
	}
	lossSum = kernels.SoftmaxCrossEntropy(t.delta[L-1][lo*classes:hi*classes], logits, labels, 1/float32(t.batchRows))
	return lossSum, correct
}

// weightGradient sets layer i's weight and bias gradients, dW = inputᵀ·delta
// (plus the L2 term) and db = column sums of delta.
func (t *trainer) weightGradient(i int) {
	rows := t.batchRows
	l := &t.model.Layers[i]
	in := t.input(i, t.batchX, rows)
	d := t.delta[i][:rows*l.Out]
	if i == 0 && t.sparseInput {
		kernels.SgemmCSR(l.Out, 1, &t.in.xsT, d, l.Out, 0, t.gradW[i], l.Out)
	} else {
		kernels.Sgemm(kernels.Trans, kernels.NoTrans, l.In, l.Out, rows, 1, in, l.In, d, l.Out, 0, t.gradW[i], l.Out)
	}
	kernels.ColSums(t.gradB[i], d)
	if t.l2 != 0 {
		kernels.Axpy(t.l2, l.Weights, t.gradW[i])
	}
}

// inputGradient sets rows [lo, hi) of the delta of the layer below layer i
// (i > 0): the gradient with respect to layer i's input, delta·Wᵀ, taken
// back through dropout and the lower layer's activation.
func (t *trainer) inputGradient(i, lo, hi int) {
	l := &t.model.Layers[i]
	d := t.delta[i][lo*l.Out : hi*l.Out]
	dIn := t.delta[i-1][lo*l.In : hi*l.In]
	kernels.Sgemm(kernels.NoTrans, kernels.Trans, hi-lo, l.In, l.Out, 1, d, l.Out, l.Weights, l.Out, 0, dIn, l.In)
	if t.kept != nil {
		kernels.DropoutApply(dIn, dIn, t.in.masks[i-1][lo*l.In/64:], 1/t.keepProb)
	}
	var tmp []float32
	if t.tmp != nil {
		tmp = t.tmp[lo*t.tmpWidth:][:(hi-lo)*l.In]
	}
	activationGrad(t.model.Activation, dIn, t.out[i-1][lo*l.In:hi*l.In], tmp)
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
// already in t.in.labels[:rows] (and, if inputReady, its CSR forms and
// dropout masks already in t.in).
func (t *trainer) trainStep(x []float32, rows int, lr float32) (lossSum float64, correct int) {
	if t.kept != nil && !t.inputReady {
		t.sampleMasks(rows)
	}
	lossSum, correct = t.gradients(x, rows)
	t.update(lr)
	return lossSum, correct
}
