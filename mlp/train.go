package mlp

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/lanes-go/lanes/kernels"
)

// Data is a labelled set of examples: len(Labels) rows of Dim features,
// held as float32 in X or as one byte each in Codes.
type Data struct {
	X      []float32 // row-major, len(Labels) × Dim; nil when Codes holds the features
	Labels []uint8
	Dim    int

	// Codes and Palette hold the features as bytes instead of X: feature i
	// is Palette[Codes[i]]. Data whose features take at most 256 values
	// (pixels above all: package mnist gives its images this way too) then
	// takes a quarter of the memory, and each training step reads a
	// quarter of the bytes for its mini-batch, scattered over the set,
	// and decodes them with kernels.Lookup. Exactly one of X and Codes is
	// set, except for an empty set.
	Codes   []uint8
	Palette *[256]float32
}

// Len is the number of examples.
func (d Data) Len() int { return len(d.Labels) }

// values is the number of stored features, as floats or as codes.
func (d Data) values() int { return max(len(d.X), len(d.Codes)) }

// features sets dst to the features of examples [lo, lo+n) as float32,
// n×Dim, decoding Codes if d holds them.
func (d Data) features(dst []float32, lo, n int) {
	if d.Codes != nil {
		kernels.Lookup(dst[:n*d.Dim], d.Codes[lo*d.Dim:(lo+n)*d.Dim], d.Palette)
		return
	}
	copy(dst[:n*d.Dim], d.X[lo*d.Dim:(lo+n)*d.Dim])
}

func (d Data) check(m *Model, what string) error {
	switch {
	case d.X != nil && d.Codes != nil:
		return fmt.Errorf("mlp: %s data has both X and Codes; set one", what)
	case d.Codes != nil && d.Palette == nil:
		return fmt.Errorf("mlp: %s data has Codes but no Palette", what)
	}
	if len(d.Labels) == 0 && d.values() == 0 {
		return nil // empty (no validation set, say), whatever its Dim
	}
	if d.Dim != m.Inputs() {
		return fmt.Errorf("mlp: %s data has %d features per example, the model takes %d", what, d.Dim, m.Inputs())
	}
	if d.values() != len(d.Labels)*d.Dim {
		return fmt.Errorf("mlp: %s data has %d values for %d examples of %d features", what, d.values(), len(d.Labels), d.Dim)
	}
	for i, y := range d.Labels {
		if int(y) >= m.Classes() {
			return fmt.Errorf("mlp: %s example %d has label %d, the model has %d classes", what, i, y, m.Classes())
		}
	}
	return nil
}

// Config configures Train. Zero values take the defaults shown.
type Config struct {
	Optimizer Optimizer // required: at least a learning rate
	Schedule  Schedule
	BatchSize int     // default 128; the last, partial batch of an epoch is used too
	Epochs    int     // maximum number of epochs, default 20
	Patience  int     // stop after this many epochs without a new best validation score; 0 never stops early
	Select    Select  // the validation score that picks the best epoch, default ByAccuracy
	L2        float32 // β in the penalty β/2·Σ‖W‖² over weights (not biases)
	KeepProb  float32 // dropout keep probability of hidden activations; 0 means 1 (no dropout)
	Seed      uint64  // seeds shuffling and dropout (the model's Init has its own seed)

	// CheckpointPath, if set, is where Train saves the final model (the best
	// epoch's weights) with its architecture and training state
	// (TrainingMeta) plus CheckpointMeta in the metadata, also when ctx is
	// cancelled after at least one epoch.
	CheckpointPath string
	CheckpointMeta map[string]string

	// OnEpoch, if set, is called after every epoch.
	OnEpoch func(EpochStats)
	// OnBatch, if set, is called after every mini-batch with the examples
	// done so far in the epoch and the epoch's total (for progress display).
	OnBatch func(done, total int)
}

// Select is the validation score by which Train picks the best epoch.
type Select int

const (
	// ByAccuracy picks the highest validation accuracy.
	ByAccuracy Select = iota
	// ByLoss picks the lowest validation cross-entropy, a smoother statistic
	// than accuracy (whose standard error near 98% on 5,000 examples is
	// about 0.2 points), but one that rises as a network grows confident
	// while its accuracy still improves.
	ByLoss
)

var selectNames = []string{ByAccuracy: "accuracy", ByLoss: "loss"}

func (s Select) String() string {
	if s >= 0 && int(s) < len(selectNames) {
		return selectNames[s]
	}
	return "Select(" + strconv.Itoa(int(s)) + ")"
}

// ParseSelect accepts "accuracy" or "loss".
func ParseSelect(s string) (Select, error) {
	for i, n := range selectNames {
		if s == n {
			return Select(i), nil
		}
	}
	return 0, fmt.Errorf("unknown selection %q (want accuracy or loss)", s)
}

// EpochStats reports one epoch.
type EpochStats struct {
	Epoch         int     // from 1
	Loss          float64 // mean cross-entropy over the epoch's mini-batches (dropout on, weights changing)
	TrainAccuracy float64 // fraction classified correctly during the epoch, measured the same way
	ValLoss       float64 // mean cross-entropy on the validation set; NaN without one
	ValAccuracy   float64 // NaN without a validation set
	LR            float32 // learning rate of the epoch's last mini-batch
	Duration      time.Duration
	ExamplesPerS  float64 // training examples per second (Duration excludes validation)
	Best          bool    // the validation accuracy equals or beats the best so far (always true without validation)
}

// Result summarises a training run.
type Result struct {
	Epochs          []EpochStats
	BestEpoch       int     // the epoch whose weights the model holds at the end
	BestValAccuracy float64 // that epoch's validation accuracy; NaN without a validation set
	BestValLoss     float64 // that epoch's validation loss; NaN without a validation set
	StoppedEarly    bool    // patience ran out before Epochs
	Steps           int     // optimizer steps taken
}

func (c Config) withDefaults() Config {
	if c.BatchSize == 0 {
		c.BatchSize = 128
	}
	if c.Epochs == 0 {
		c.Epochs = 20
	}
	if c.KeepProb == 0 {
		c.KeepProb = 1
	}
	c.Optimizer = c.Optimizer.withDefaults()
	c.Schedule = c.Schedule.withDefaults()
	return c
}

// Validate reports the first invalid setting, after defaults are applied.
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case c.BatchSize < 1:
		return fmt.Errorf("batch size %d must be at least 1", c.BatchSize)
	case c.Epochs < 1:
		return fmt.Errorf("epochs %d must be at least 1", c.Epochs)
	case c.Patience < 0:
		return fmt.Errorf("patience %d must not be negative", c.Patience)
	case !(c.L2 >= 0) || math.IsInf(float64(c.L2), 0):
		return fmt.Errorf("L2 strength %v must be a non-negative number", c.L2)
	case !(c.KeepProb > 0) || c.KeepProb > 1:
		return fmt.Errorf("keep probability %v must be in (0, 1]", c.KeepProb)
	case c.Select < 0 || int(c.Select) >= len(selectNames):
		return fmt.Errorf("invalid selection %d", c.Select)
	}
	if err := c.Optimizer.validate(); err != nil {
		return err
	}
	return c.Schedule.validate()
}

// Train trains m in place on train with mini-batch gradient descent, checking
// val (which may be empty) after every epoch. With a validation set, m ends
// holding the weights of the epoch with the best validation score (see
// Select; the last, on ties) and training stops once Patience epochs pass
// without reaching it again. The same model, data and Config give bit-identical weights
// whatever the number of threads kernels.Sgemm uses. When ctx is cancelled
// Train stops after the current mini-batch, restores the best weights so far
// and returns ctx's error with the Result of the completed epochs.
func Train(ctx context.Context, m *Model, train, val Data, cfg Config) (Result, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return Result{}, fmt.Errorf("mlp: %w", err)
	}
	if err := train.check(m, "training"); err != nil {
		return Result{}, err
	}
	if train.Len() == 0 {
		return Result{}, errors.New("mlp: no training examples")
	}
	if err := val.check(m, "validation"); err != nil {
		return Result{}, err
	}
	n := train.Len()
	batch := min(cfg.BatchSize, n)
	t := newTrainer(m, cfg.Optimizer, cfg.L2, cfg.KeepProb, batch, cfg.Seed)
	t.sparseInput = inputDensity(train) <= sparseInputMaxDensity
	shuffle := rand.New(rand.NewPCG(cfg.Seed, seedStreamShuffle))
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	feed := newBatchFeeder(t, train, batch)
	defer feed.close()
	stepsPerEpoch := (n + batch - 1) / batch
	totalSteps := stepsPerEpoch * cfg.Epochs

	res := Result{BestValAccuracy: math.NaN(), BestValLoss: math.NaN()}
	var best *Model
	var eval *evaluator
	if val.Len() > 0 {
		best = m.Clone()
		eval = newEvaluator(m, 1000)
	}
	sinceBest := 0
	var cancelled error
	for epoch := 0; epoch < cfg.Epochs && cancelled == nil; epoch++ {
		start := time.Now()
		shuffle.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
		var lossSum float64
		var correct int
		var lr float32
		for s := range stepsPerEpoch {
			if err := ctx.Err(); err != nil {
				cancelled = err
				break
			}
			lo, hi := s*batch, min((s+1)*batch, n)
			upcoming := order[hi:min(hi+batch, n)] // the next step's examples; none after the epoch's last
			step := epoch*stepsPerEpoch + s
			x, rows := feed.next(order[lo:hi], upcoming, uint64(step+1))
			lr = cfg.Schedule.Rate(cfg.Optimizer.LR, epoch, float64(step)/float64(totalSteps))
			l, c := t.trainStep(x, rows, lr)
			lossSum += l
			correct += c
			if cfg.OnBatch != nil {
				cfg.OnBatch(hi, n)
			}
		}
		if cancelled != nil {
			break
		}
		dur := time.Since(start)
		st := EpochStats{Epoch: epoch + 1, Loss: lossSum / float64(n), TrainAccuracy: float64(correct) / float64(n),
			ValLoss: math.NaN(), ValAccuracy: math.NaN(), LR: lr, Duration: dur,
			ExamplesPerS: float64(n) / dur.Seconds(), Best: true}
		res.Steps = t.step
		if eval != nil {
			st.ValLoss, st.ValAccuracy = eval.evaluate(val)
			// Ties go to the later epoch: with a decaying learning rate its
			// weights are the more settled ones.
			if cfg.Select == ByAccuracy {
				st.Best = res.BestEpoch == 0 || st.ValAccuracy >= res.BestValAccuracy
			} else {
				st.Best = res.BestEpoch == 0 || st.ValLoss <= res.BestValLoss
			}
			if st.Best {
				res.BestEpoch, res.BestValAccuracy, res.BestValLoss = st.Epoch, st.ValAccuracy, st.ValLoss
				best.CopyFrom(m)
				sinceBest = 0
			} else {
				sinceBest++
			}
		} else {
			res.BestEpoch = st.Epoch
		}
		res.Epochs = append(res.Epochs, st)
		if cfg.OnEpoch != nil {
			cfg.OnEpoch(st)
		}
		if cfg.Patience > 0 && sinceBest >= cfg.Patience && epoch+1 < cfg.Epochs {
			res.StoppedEarly = true
			break
		}
	}
	if best != nil && res.BestEpoch > 0 {
		m.CopyFrom(best)
	}
	if cfg.CheckpointPath != "" && res.BestEpoch > 0 {
		meta := TrainingMeta(cfg, res)
		for k, v := range cfg.CheckpointMeta {
			meta[k] = v
		}
		if err := m.Save(cfg.CheckpointPath, meta); err != nil {
			return res, fmt.Errorf("mlp: saving the best model: %w", err)
		}
	}
	return res, cancelled
}

// sparseInputMaxDensity is the largest fraction of nonzero input features
// for which the first layer multiplies by its input as a sparse matrix.
// BenchmarkSgemmCSRDensity in package kernels puts the break-even, where the
// sparse product of the first layer's forward shape (128×784 by 784×256) is
// as fast as the dense Sgemm, between densities 0.4 and 0.5 on the
// development machine (a Zen 4); 0.35 leaves a margin. MNIST's pixels are
// 19% nonzero, where the sparse product measured 2.3× the dense one.
const sparseInputMaxDensity = 0.35

// inputDensity estimates the fraction of nonzero features in d from up to
// 256 examples spread evenly over it (all of them if fewer): for MNIST that
// is 200,000 pixels, whose density it gets within a fraction of a percent.
func inputDensity(d Data) float64 {
	const sample = 256
	n := d.Len()
	if n == 0 || d.Dim == 0 {
		return 1
	}
	stride := max(1, n/sample)
	nonzero, total := 0, 0
	row := make([]float32, d.Dim)
	for i := 0; i < n; i += stride {
		d.features(row, i, 1)
		for _, v := range row {
			if v != 0 {
				nonzero++
			}
		}
		total += d.Dim
	}
	return float64(nonzero) / float64(total)
}

// batchFeeder gathers each step's examples, in shuffled order, into a
// contiguous batch for the GEMMs and prepares its batchInput (CSR forms,
// dropout masks), in one of two slots that alternate. None of it depends on
// the weights, so with a second thread (kernels.MaxThreads() > 1) the next
// step's slot is filled by a kernels.Task on the pool's worker while the
// current step trains on the caller: the gather waits on DRAM (the rows are
// scattered over tens of MB) and, with the conversions and the masks, took
// about a third of a two-thread step. The prepared values are the same bits
// either way.
type batchFeeder struct {
	t       *trainer
	dim     int
	slots   [2]feedSlot
	cur     int  // the slot next() returns
	ahead   bool // fill the next step's slot beside the current step
	pending bool // the task filling slot cur, started by the last next(), may still run
	task    kernels.Task
	job     feedJob // the task's job
	fillJob func()  // fills job without the pool (the task's function, built once)
}

// feedAhead lets batchFeeder fill the next step's slot beside the current
// step; BenchmarkTrainEpoch turns it off to measure what it gains.
var feedAhead = true

// feedSlot is one batch: its dense features x, its batchInput, and the
// gather that fills both.
type feedSlot struct {
	x      []float32
	input  *batchInput
	gather *batchGather
	rows   int
}

// feedJob asks for slot to be filled with the examples rows, as step
// number batch (from 1: the dropout masks' seed).
type feedJob struct {
	slot  int
	rows  []int
	batch uint64
}

func newBatchFeeder(t *trainer, src Data, maxBatch int) *batchFeeder {
	f := &batchFeeder{t: t, dim: src.Dim, ahead: feedAhead && kernels.MaxThreads() > 1}
	for k := range f.slots {
		in := t.in
		if k > 0 {
			in = t.newBatchInput(t.in.maskSeed)
		}
		x := make([]float32, maxBatch*src.Dim)
		g := &batchGather{src: src, dst: x, labels: in.labels, grain: max(1, gatherFloats/src.Dim)}
		if src.Codes != nil {
			g.codes = make([]uint8, maxBatch*src.Dim)
		}
		g.copyFn = g.copy
		f.slots[k] = feedSlot{x: x, input: in, gather: g}
	}
	f.fillJob = func() { f.fill(f.job, false) }
	return f
}

// fill gathers job j's examples into its slot and prepares the slot's
// batchInput: with parallel over the kernels' pool (from the step's
// goroutine, between steps), without on the calling goroutine alone (the
// task, on the pool's worker, beside a step).
func (f *batchFeeder) fill(j feedJob, parallel bool) {
	s := &f.slots[j.slot]
	s.rows = len(j.rows)
	s.gather.rows = j.rows
	forRanges(parallel, s.rows, s.gather.grain, s.gather.copyFn)
	s.input.prepare(s.x[:s.rows*f.dim], s.rows, f.t.sparseInput, j.batch, parallel)
}

// next returns the features of the step whose examples are rows (step
// number batch, from 1), with its labels, CSR forms and masks made t's
// current input, and, with a second thread, starts filling the next
// step's (examples upcoming; none after an epoch's last step, whose
// successor needs the next epoch's shuffle).
func (f *batchFeeder) next(rows, upcoming []int, batch uint64) (x []float32, n int) {
	if f.pending {
		f.task.Wait() // started by the previous call, for this step
		f.pending = false
	} else {
		f.fill(feedJob{f.cur, rows, batch}, true)
	}
	s := &f.slots[f.cur]
	f.t.in, f.t.inputReady, f.t.maskBatch = s.input, true, batch
	if f.ahead && len(upcoming) > 0 {
		f.cur = 1 - f.cur
		f.job = feedJob{f.cur, upcoming, batch + 1}
		f.task.Start(f.fillJob)
		f.pending = true
	}
	return s.x[:s.rows*f.dim], s.rows
}

// close waits for a task still filling a slot (after a cancelled step).
func (f *batchFeeder) close() {
	if f.pending {
		f.task.Wait()
		f.pending = false
	}
}

// batchGather copies a mini-batch's examples into one contiguous block,
// over the kernels' thread pool in ranges of grain rows.
type batchGather struct {
	src    Data
	dst    []float32
	codes  []uint8 // for src.Codes: the batch's codes, decoded into dst
	labels []int32
	grain  int              // rows per range: about gatherFloats features
	rows   []int            // the batch's example indices
	copyFn func(lo, hi int) // copy, built once (a method value per call would allocate)
}

// gatherFloats is the number of features per parallel range of a batch
// copy: 48 KiB, 15 rows of 784, so a batch of 128 makes 9 ranges; small
// inputs stay on the calling goroutine.
const gatherFloats = 12 << 10

func (g *batchGather) copy(lo, hi int) {
	dim := g.src.Dim
	for r := lo; r < hi; r++ {
		g.labels[r] = int32(g.src.Labels[g.rows[r]])
	}
	if g.src.Codes == nil {
		for r := lo; r < hi; r++ {
			idx := g.rows[r]
			copy(g.dst[r*dim:(r+1)*dim], g.src.X[idx*dim:(idx+1)*dim])
		}
		return
	}
	// The rows' codes first, then one decoding pass: copying lets the
	// loads of scattered rows overlap (memmove), where decoding row by
	// row from the set measured a third slower than the float copy.
	for r := lo; r < hi; r++ {
		idx := g.rows[r]
		copy(g.codes[r*dim:(r+1)*dim], g.src.Codes[idx*dim:(idx+1)*dim])
	}
	kernels.Lookup(g.dst[lo*dim:hi*dim], g.codes[lo*dim:hi*dim], g.src.Palette)
}

// TrainingMeta describes a training run as checkpoint metadata, under keys
// starting with "train.".
func TrainingMeta(cfg Config, res Result) map[string]string {
	cfg = cfg.withDefaults()
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	f32 := func(v float32) string { return strconv.FormatFloat(float64(v), 'g', -1, 32) }
	o := cfg.Optimizer
	meta := map[string]string{
		"train.optimizer":         o.Kind.String(),
		"train.lr":                f32(o.LR),
		"train.schedule":          cfg.Schedule.Kind.String(),
		"train.batch":             strconv.Itoa(cfg.BatchSize),
		"train.max_epochs":        strconv.Itoa(cfg.Epochs),
		"train.patience":          strconv.Itoa(cfg.Patience),
		"train.l2":                f32(cfg.L2),
		"train.keep_prob":         f32(cfg.KeepProb),
		"train.seed":              strconv.FormatUint(cfg.Seed, 10),
		"train.epochs_run":        strconv.Itoa(len(res.Epochs)),
		"train.steps":             strconv.Itoa(res.Steps),
		"train.best_epoch":        strconv.Itoa(res.BestEpoch),
		"train.best_val_accuracy": f(res.BestValAccuracy),
		"train.best_val_loss":     f(res.BestValLoss),
		"train.select":            cfg.Select.String(),
		"train.stopped_early":     strconv.FormatBool(res.StoppedEarly),
	}
	switch o.Kind {
	case Momentum:
		meta["train.momentum"] = f32(o.Momentum)
		meta["train.nesterov"] = strconv.FormatBool(o.Nesterov)
	case Adam:
		meta["train.adam_betas"] = f32(o.Beta1) + "," + f32(o.Beta2)
		meta["train.adam_epsilon"] = f32(o.Epsilon)
	}
	if cfg.Schedule.Kind == Step {
		meta["train.step_epochs"] = strconv.Itoa(cfg.Schedule.StepEpochs)
		meta["train.gamma"] = f32(cfg.Schedule.Gamma)
	}
	if n := len(res.Epochs); n > 0 {
		last := res.Epochs[n-1]
		meta["train.last_loss"] = f(last.Loss)
		meta["train.last_train_accuracy"] = f(last.TrainAccuracy)
	}
	return meta
}

// evaluator computes loss and accuracy over a data set in batches.
type evaluator struct {
	p      *Predictor
	grad   []float32
	labels []int32
	x      []float32 // a batch's decoded features, for Data with Codes
}

func newEvaluator(m *Model, batch int) *evaluator {
	return &evaluator{p: NewPredictor(m, batch), grad: make([]float32, batch*m.Classes()), labels: make([]int32, batch)}
}

func (e *evaluator) evaluate(d Data) (loss, accuracy float64) {
	m := e.p.model
	in, c := m.Inputs(), m.Classes()
	var lossSum float64
	correct := 0
	for off := 0; off < d.Len(); off += e.p.maxBatch {
		n := min(d.Len()-off, e.p.maxBatch)
		var x []float32
		if d.Codes != nil {
			if e.x == nil {
				e.x = make([]float32, e.p.maxBatch*in)
			}
			x = e.x[:n*in]
			d.features(x, off, n)
		} else {
			x = d.X[off*in : (off+n)*in]
		}
		logits := e.p.Logits(x)
		for r := range n {
			y := d.Labels[off+r]
			e.labels[r] = int32(y)
			if kernels.ArgMax(logits[r*c:(r+1)*c]) == int(y) {
				correct++
			}
		}
		lossSum += kernels.SoftmaxCrossEntropy(e.grad[:n*c], logits, e.labels[:n], 1)
	}
	return lossSum / float64(d.Len()), float64(correct) / float64(d.Len())
}

// Evaluate returns m's mean cross-entropy and accuracy on d (dropout off).
func Evaluate(m *Model, d Data) (loss, accuracy float64, err error) {
	if err := d.check(m, "evaluation"); err != nil {
		return 0, 0, err
	}
	if d.Len() == 0 {
		return 0, 0, errors.New("mlp: no examples to evaluate")
	}
	loss, accuracy = newEvaluator(m, min(1000, d.Len())).evaluate(d)
	return loss, accuracy, nil
}
