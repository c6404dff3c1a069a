package kernels

import (
	"runtime"
	"sync/atomic"
	"time"
)

// sgemv is Sgemm for m == 1 or n == 1 (and k >= 1, alpha != 0): a
// matrix-vector product, memory-bound, so nothing is packed and it runs on
// the calling goroutine. With m == 1, C's row is xᵀ·op(B) with x = op(A)'s
// row; with n == 1, C's column is op(A)·x with x = op(B)'s column. Either
// way the matrix is read in storage order: gemvN streams its rows with
// axpy-style updates (y += x[p]·row p), gemvT takes one dot product per row.
func sgemv(g *gemmImpl, tA, tB Transpose, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 1 && beta == 0 && (tA == NoTrans || lda == 1) {
		// x is contiguous in A, and C's row, which beta == 0 says is not
		// read, serves as the accumulator: no scratch buffers, no copy.
		sgemvRow(g, tB, n, k, alpha, a[:k], b, ldb, c[:n], 0, c[:n])
		return
	}
	buf := getGemmBuffers()
	defer putGemmBuffers(buf)
	if m == 1 {
		x := vectorOf(&buf.xRaw, a, k, tA == Trans, lda)
		sgemvRow(g, tB, n, k, alpha, x, b, ldb, aligned64(&buf.yRaw, n), beta, c[:n])
		return
	}
	x := vectorOf(&buf.xRaw, b, k, tB == NoTrans, ldb)
	y := aligned64(&buf.yRaw, m)
	clear(y)
	if tA == NoTrans {
		g.gemvT(k, x, a, lda, y) // A is m×k: y[i] = A[i,:]·x
	} else {
		g.gemvN(k, x, a, lda, y) // A is k×m: y += x[p]·A[p,:]
	}
	epilogueVector(y, c, ldc, alpha, beta)
}

// sgemvRow sets the row c = alpha·xᵀ·op(B) + beta·c, accumulating in y,
// which may be c itself when beta == 0.
func sgemvRow(g *gemmImpl, tB Transpose, n, k int, alpha float32, x, b []float32, ldb int, y []float32, beta float32, c []float32) {
	if tB == NoTrans && gemvSplit(g, n, k, x, b, ldb, y, c, alpha, beta) {
		return
	}
	clear(y)
	if tB == NoTrans {
		g.gemvN(k, x, b, ldb, y) // B is k×n: y += x[p]·B[p,:]
	} else {
		g.gemvT(k, x, b, ldb, y) // B is n×k: y[j] = B[j,:]·x
	}
	epilogueVector(y, c, 1, alpha, beta)
}

// vectorOf returns the k elements s[0], s[ld], s[2·ld]... as a contiguous
// slice: s itself when they are contiguous (strided false), else a copy.
func vectorOf(raw *[]float32, s []float32, k int, strided bool, ld int) []float32 {
	if !strided || ld == 1 {
		return s[:k]
	}
	x := aligned64(raw, k)
	for p := range x {
		x[p] = s[p*ld]
	}
	return x
}

// epilogueVector writes c[i*stride] = alpha*y[i] + beta*c[i*stride], not
// reading c when beta == 0. y may be c itself (stride 1), which with
// alpha == 1 and beta == 0 leaves nothing to do.
func epilogueVector(y, c []float32, stride int, alpha, beta float32) {
	switch {
	case beta != 0:
		for i, v := range y {
			c[i*stride] = alpha*v + beta*c[i*stride]
		}
	case alpha != 1 || stride != 1 || &y[0] != &c[0]:
		for i, v := range y {
			c[i*stride] = alpha * v
		}
	}
}

// A product with m == 1 and B not transposed (a single sample through a
// dense layer: x·W) is split by columns over two threads when that pays.
// Alone on a core it is bound by the L2 bandwidth: 1×256×784 reads 784 KB
// of B, which takes 8.3-8.9 µs, the same as a bare load loop over those
// bytes (83-95 GB/s measured on the Zen 4 development VM), so no kernel
// variant (prefetching, two rows per iteration) gains on one core. Two
// cores each read half of every row from their own L2.
//
// The halves take a few microseconds, so the split is offered only to a
// pool worker that is already awake (waking a parked one costs more than
// the split saves), and the caller never waits long for it: when it has
// done its half (the low columns), it takes the high half back if the
// worker has not started it, or has not finished it within gemvMaxWait
// (the worker lost its core to another process, which can last a whole
// scheduler time slice, milliseconds). A worker whose half was taken back
// finishes it into the call's own buffer and drops it. Either way every
// column is computed by the same sequence of operations as in a serial
// call, so results do not depend on who computed what.
//
// The split is off by default (gemvSplitEnabled), as no gate tried so far
// keeps it from losing when the machine is busy. On a quiet machine it
// took 1×256×784 from 8.7-10 µs to 4.8-6.5 µs per call (half of the calls
// split in 4.0-4.3 µs) and BenchmarkPredict to about 7 µs. With other
// processes on the cores, the polling worker takes CPU time from the
// caller: Predict measured 11.2-12.9 µs against 9.5-10.1 µs serial with
// the first holdoffs, and with the ones below BenchmarkSgemvSplit still
// measured 9.6-10.2 µs against 9.1-9.4 µs with one core running another
// test and the other `yes`. Tests turn it on, so it stays correct.
var gemvSplitEnabled = false

const (
	// gemvSplitWork is the smallest n·k split: 64K multiply-adds stream
	// 256 KB of B, about 3 µs on one core, several times the handoff.
	gemvSplitWork = 64 << 10
	// gemvSplitUnit is the column granularity of the split, so that each
	// half runs the same kernels as a serial call on the same columns (the
	// AVX2 tier leaves the last n mod 64 columns to Go code).
	gemvSplitUnit = 64
	// gemvMaxWait is how long the caller waits for a worker that has
	// started the high half, once its own half is done. The halves are
	// the same size, so a worker on its core finishes within a microsecond
	// or two of the caller.
	gemvMaxWait = 10 * time.Microsecond
	// After a call in which the worker did not start its half in time, or
	// did not finish it, no split is offered (and no worker woken) for a
	// holdoff that starts at gemvMinHoldoff and grows fourfold with each
	// failure, up to gemvMaxHoldoff. Such failures mean the other core is
	// busy with something else, and then a worker polling for work only
	// takes CPU time from the caller or the other process: on the
	// development VM, with another process on each core, polling doubled
	// the time of single-sample inference. The holdoff lets the worker
	// park; it halves after every gemvShrinkAfter successes, so that a few
	// successes on a busy machine do not bring the polling back at once.
	gemvMinHoldoff  = 4 * time.Millisecond
	gemvMaxHoldoff  = 256 * time.Millisecond
	gemvShrinkAfter = 1024
)

// The phases of a gemvCall, in the low bits of its state.
const (
	gemvOffered   = iota // the high half waits for a worker
	gemvClaimed          // a worker is computing it
	gemvDone             // the worker finished it, in call.hi
	gemvTakenBack        // the caller computes it
	gemvPhaseBits = 2
)

var (
	// gemvClock is the origin of gemvLastCall and gemvHoldUntil, which are
	// nanoseconds since it (monotonic).
	gemvClock = time.Now()
	// gemvLastCall is when the last splittable product started, to tell a
	// stream of calls (worth waking a worker for) from isolated ones.
	gemvLastCall atomic.Int64
	// gemvHoldUntil is when the holdoff ends, gemvHoldoff its length (0
	// after a success).
	gemvHoldUntil, gemvHoldoff atomic.Int64
	// gemvSuccesses counts splits the worker completed, to halve the
	// holdoff after every gemvShrinkAfter of them.
	gemvSuccesses atomic.Int64
	// gemvGeneration numbers the offers; 62 bits do not wrap.
	gemvGeneration atomic.Uint64
	// gemvCallFree recycles gemvCalls, so a split call allocates nothing.
	gemvCallFree = make(chan *gemvCall, maxThreadsLimit)
)

// gemvCall is the high half of one split product, offered to a worker.
type gemvCall struct {
	// state is the offer's generation << gemvPhaseBits | phase. Whoever
	// moves it out of gemvClaimed decides who owns the call afterwards:
	// claimed→done, the worker hands its result to the caller, who
	// recycles the call; claimed→takenBack, the caller leaves, and the
	// worker recycles the call when it is done with it.
	state    atomic.Uint64
	g        *gemmImpl
	k, ldb   int
	x, b     []float32 // b starts at the first column of the half
	hi, hiRw []float32 // the worker's result (hi) in its own buffer (hiRw)
}

// join computes the high half if the offer gen still wants it.
func (call *gemvCall) join(gen uint64, _ *gemmBuffers) int {
	if !call.state.CompareAndSwap(gen<<gemvPhaseBits|gemvOffered, gen<<gemvPhaseBits|gemvClaimed) {
		return 0 // taken back, and perhaps recycled for a later offer
	}
	clear(call.hi)
	call.g.gemvN(call.k, call.x, call.b, call.ldb, call.hi)
	if call.state.CompareAndSwap(gen<<gemvPhaseBits|gemvClaimed, gen<<gemvPhaseBits|gemvDone) {
		return 1
	}
	call.recycle() // the caller took the half back and left the call to us
	return 0
}

func (call *gemvCall) recycle() {
	call.x, call.b = nil, nil // do not keep the caller's data alive
	select {
	case gemvCallFree <- call:
	default:
	}
}

// gemvSplit computes C's row (c[0:n]) = alpha·x·B + beta·C's row with the
// columns split over the caller and a worker, using y as scratch, and
// reports true; or reports false, doing nothing, when the split would not
// pay (too little work, one thread allowed, no worker awake, the holdoff
// running).
func gemvSplit(g *gemmImpl, n, k int, x, b []float32, ldb int, y, c []float32, alpha, beta float32) bool {
	if !gemvSplitEnabled || n < 2*gemvSplitUnit || n*k < gemvSplitWork || maxThreads() < 2 {
		return false
	}
	now := int64(time.Since(gemvClock))
	last := gemvLastCall.Swap(now)
	if now < gemvHoldUntil.Load() {
		return false
	}
	if !helperAwake() {
		if now-last < int64(spinTime) {
			// Calls are coming in a stream: have a worker poll for the
			// next ones. This call stays serial.
			wakeWorker()
		}
		return false
	}
	half := ((n+1)/2 + gemvSplitUnit - 1) / gemvSplitUnit * gemvSplitUnit // < n as n >= 2 units
	var call *gemvCall
	select {
	case call = <-gemvCallFree:
	default:
		call = new(gemvCall)
	}
	call.g, call.k, call.ldb, call.x, call.b = g, k, ldb, x, b[half:]
	call.hi = aligned64(&call.hiRw, n-half)
	gen := gemvGeneration.Add(1)
	call.state.Store(gen<<gemvPhaseBits | gemvOffered) // publishes the fields above
	if !offerTask(call, gen) {
		call.recycle()
		return false
	}

	lo := y[:half]
	clear(lo)
	g.gemvN(k, x, b, ldb, lo)
	epilogueVector(lo, c[:half], 1, alpha, beta)

	offered, claimed := gen<<gemvPhaseBits|gemvOffered, gen<<gemvPhaseBits|gemvClaimed
	done, takenBack := gen<<gemvPhaseBits|gemvDone, gen<<gemvPhaseBits|gemvTakenBack
	var start time.Time
	for polls := 0; ; polls++ {
		s := call.state.Load()
		if s == done {
			epilogueVector(call.hi, c[half:n], 1, alpha, beta)
			call.recycle()
			if gemvHoldoff.Load() != 0 && gemvSuccesses.Add(1)%gemvShrinkAfter == 0 {
				gemvHoldoff.Store(gemvHoldoff.Load() / 2) // below gemvMinHoldoff, as good as 0
			}
			return true
		}
		if s == offered && call.state.CompareAndSwap(offered, takenBack) {
			// The worker has not started: it is busy or off its core.
			gemvHoldOff()
			call.recycle() // a late worker's claim fails on the new state
			break
		}
		if polls%16 != 0 {
			continue
		}
		if raceBuild {
			runtime.Gosched()
		}
		if polls == 0 {
			start = time.Now()
		} else if time.Since(start) > gemvMaxWait && !raceBuild &&
			call.state.CompareAndSwap(claimed, takenBack) {
			// The worker has lost its core; the call is now its to recycle.
			// (Race builds always wait: the worker still reads x and B,
			// which the caller's caller may write once we return.)
			gemvHoldOff()
			break
		}
	}
	hi := y[half:n]
	clear(hi)
	g.gemvN(k, x, b[half:], ldb, hi)
	epilogueVector(hi, c[half:n], 1, alpha, beta)
	return true
}

// gemvHoldOff starts the next holdoff after a failed split.
func gemvHoldOff() {
	d := min(max(4*gemvHoldoff.Load(), int64(gemvMinHoldoff)), int64(gemvMaxHoldoff))
	gemvHoldoff.Store(d)
	gemvHoldUntil.Store(int64(time.Since(gemvClock)) + d)
}
