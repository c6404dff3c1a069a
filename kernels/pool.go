package kernels

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// The worker pool runs the parallel parts of a kernel call. Workers are
// goroutines started lazily, the first time a call needs them, and kept for
// the life of the process, so a call never starts a goroutine.
//
// A split call is cut into chunks (whole blocks of rows or columns for
// Sgemm). The calling goroutine and up to threads-1 workers claim chunks
// from a shared counter until none are left, so the split adapts to whoever
// actually runs: a worker that is slow to start (waking a parked goroutine
// on the other core took 120-170 µs in traces of the MLP trainer on the
// development VM) or that loses its core to another process delays the call
// by at most the chunk it holds, since the caller takes every chunk nobody
// has claimed. Which thread runs a chunk never changes what the chunk
// computes, so results do not depend on the thread count or the timing.
//
// Workers only ever wait on the task channel, and chunks never submit work
// themselves, so concurrent calls from several goroutines cannot deadlock;
// a call does not even need its helpers to show up.

// maxThreadsSetting is the cap set by SetMaxThreads; 0 means the default.
var maxThreadsSetting atomic.Int64

// maxThreadsLimit bounds SetMaxThreads so a typo cannot start thousands of
// workers.
const maxThreadsLimit = 256

// SetMaxThreads caps the number of threads (goroutines, including the
// caller's) that one kernel call may use and returns the previous setting.
// n <= 0 restores the default, GOMAXPROCS at the time of each call, which is
// reported as 0; 1 makes every call serial. Values above 256 are treated as
// 256. The setting does not change GOMAXPROCS, and results do not depend on
// it: kernels split work only in ways that leave every output element
// computed by the same sequence of operations.
func SetMaxThreads(n int) (previous int) {
	if n < 0 {
		n = 0
	}
	if n > maxThreadsLimit {
		n = maxThreadsLimit
	}
	return int(maxThreadsSetting.Swap(int64(n)))
}

// MaxThreads returns the number of threads (the caller's included) that a
// kernel call or ParallelFor may use now: SetMaxThreads' cap, or GOMAXPROCS
// when none is set. Code that keeps a second goroutine of its own busy
// alongside kernel calls (package mlp prepares the next mini-batch that way)
// asks it whether a second thread is there to use.
func MaxThreads() int { return maxThreads() }

// maxThreads is the number of threads a call may use now.
func maxThreads() int {
	if n := int(maxThreadsSetting.Load()); n > 0 {
		return n
	}
	return min(runtime.GOMAXPROCS(0), maxThreadsLimit)
}

// parallelJob is one kernel call cut into chunks numbered from 0. runChunk
// may run on any goroutine; buf is that goroutine's scratch, owned by it for
// the duration of the call.
type parallelJob interface {
	runChunk(chunk int, buf *gemmBuffers)
}

// maxChunks is the most chunks one call may be cut into (the chunk counter
// is 16 bits wide).
const maxChunks = 1<<16 - 1

// parallelRun is the shared state of one split call. Its owner may reuse it
// for later calls: each call has a fresh generation number, and a worker
// that arrives after its call has finished sees a different generation and
// leaves without touching anything else.
type parallelRun struct {
	// state packs the generation (bits 32-63), the number of chunks (bits
	// 16-31) and the next chunk to claim (bits 0-15), so that a claim checks
	// all three in one compare-and-swap.
	state    atomic.Uint64
	finished atomic.Int64   // chunks done, polled by the caller while it spins
	wg       sync.WaitGroup // 1 until the last chunk is done, for the caller once it parks
	job      parallelJob    // read only after a successful claim
}

// generation numbers parallel calls; it may wrap: a stale task would have
// to wait 2³² calls to be confused with a new one.
var generation atomic.Uint32

// claim takes the next chunk of the call numbered gen. ok is false when that
// call has no chunk left (or is over and the run reused).
func (r *parallelRun) claim(gen uint64) (chunk, chunks int, ok bool) {
	for {
		s := r.state.Load()
		next, total := s&0xffff, s>>16&0xffff
		if s>>32 != gen || next >= total {
			return 0, 0, false
		}
		if r.state.CompareAndSwap(s, s+1) {
			return int(next), int(total), true
		}
	}
}

// work runs chunks of the call numbered gen until none is left and returns
// how many it ran.
func (r *parallelRun) work(gen uint64, buf *gemmBuffers) (ran int) {
	for {
		chunk, chunks, ok := r.claim(gen)
		if !ok {
			return ran
		}
		r.job.runChunk(chunk, buf)
		ran++
		if r.finished.Add(1) == int64(chunks) {
			r.wg.Done()
		}
	}
}

// poolTask asks a worker to join the call numbered gen of work.
type poolTask struct {
	work poolWork // nil: only wake up (see wakeWorker)
	gen  uint64
}

// poolWork is a call that workers can join: a parallelRun, or a call with
// its own protocol (gemvCall). join runs the worker's share of call gen, if
// that call still wants it, and returns the number of chunks it ran.
type poolWork interface {
	join(gen uint64, buf *gemmBuffers) (ran int)
}

func (r *parallelRun) join(gen uint64, buf *gemmBuffers) int { return r.work(gen, buf) }

// spinTime is how long an idle worker keeps polling for the next task, and
// a caller for the last chunks to finish, before parking. Waking a parked
// goroutine on the other core takes tens to hundreds of microseconds on
// virtual machines (the idle vCPU halts), so calls that follow each other,
// as in training, should find the workers still polling. The cost is at
// most this much busy waiting (yielding to other goroutines) after each
// parallel call.
const spinTime = 100 * time.Microsecond

var workers struct {
	mu      sync.Mutex
	started atomic.Int64
	tasks   chan poolTask
	// chunksRun counts chunks run by workers (not by callers), so tests can
	// tell that a call was really shared.
	chunksRun atomic.Int64
	// awake counts workers that are not parked: polling the task channel
	// or running a task. A task sent now reaches a polling worker within
	// a poll, without the futex wake (microseconds, paid by the sender)
	// that a parked worker needs, and a running worker is back to polling
	// within a chunk. Calls too short to pay for a wake split only while
	// it is positive (see helperAwake).
	awake atomic.Int64
	// wakePending is set while a wake-up task sent by wakeWorker has not
	// been received, so that a stream of calls sends one, not one each.
	wakePending atomic.Bool
}

// ensureWorkers starts workers until at least n are running.
func ensureWorkers(n int) {
	if int(workers.started.Load()) >= n {
		return
	}
	workers.mu.Lock()
	defer workers.mu.Unlock()
	if workers.tasks == nil {
		workers.tasks = make(chan poolTask, maxThreadsLimit)
	}
	for int(workers.started.Load()) < n {
		workers.awake.Add(1)
		go worker(workers.tasks)
		workers.started.Add(1)
	}
}

func worker(tasks <-chan poolTask) {
	buf := new(gemmBuffers) // this worker's scratch for its whole life
	for {
		t := nextTask(tasks)
		if t.work == nil { // a wake-up from wakeWorker: go back to polling
			workers.wakePending.Store(false)
			continue
		}
		if ran := t.work.join(t.gen, buf); ran > 0 {
			workers.chunksRun.Add(int64(ran))
		}
	}
}

// nextTask polls tasks for up to spinTime, then blocks.
func nextTask(tasks <-chan poolTask) poolTask {
	start := time.Now()
	for {
		for range 64 { // several cheap polls per clock read
			select {
			case t := <-tasks:
				return t
			default:
			}
		}
		if time.Since(start) > spinTime {
			workers.awake.Add(-1)
			t := <-tasks
			workers.awake.Add(1)
			return t
		}
		runtime.Gosched()
	}
}

// helperAwake reports whether a pool worker is awake (polling for a task or
// finishing one), so that a call of a few microseconds can be split without
// waiting for a parked worker to wake up.
func helperAwake() bool { return workers.awake.Load() > 0 }

// offerTask hands call gen of w to one worker, if the task channel has
// room, and reports whether it did. It never blocks.
func offerTask(w poolWork, gen uint64) bool {
	select {
	case workers.tasks <- poolTask{work: w, gen: gen}:
		return true
	default:
		return false
	}
}

// wakeWorker makes one parked worker poll again for spinTime, without
// giving it work, so that the calls that follow find it polling. It costs
// the caller the wake (a futex call), so callers use it only when such
// calls are coming. It never blocks, and does nothing while an earlier
// wake-up is still on its way (the wake takes up to a few hundred
// microseconds on a VM) or the task channel is full.
func wakeWorker() {
	ensureWorkers(1)
	if !workers.wakePending.CompareAndSwap(false, true) {
		return
	}
	select {
	case workers.tasks <- poolTask{}:
	default:
		workers.wakePending.Store(false)
	}
}

// runParallel runs job's chunks 0..chunks-1 on the calling goroutine and up
// to threads-1 workers and returns when all are done. run must not be in use
// by another call; it is passed in so that callers can keep it in a reused
// struct and not allocate.
func runParallel(job parallelJob, chunks, threads int, run *parallelRun) {
	if chunks > maxChunks {
		panic("kernels: internal error: too many chunks")
	}
	helpers := min(threads, chunks) - 1
	if helpers <= 0 {
		buf := getGemmBuffers()
		for c := range chunks {
			job.runChunk(c, buf)
		}
		putGemmBuffers(buf)
		return
	}
	ensureWorkers(helpers)
	gen := uint64(generation.Add(1))
	run.job = job
	run.finished.Store(0)
	run.wg.Add(1)
	run.state.Store(gen<<32 | uint64(chunks)<<16) // publishes the fields above
	for range helpers {
		workers.tasks <- poolTask{work: run, gen: gen}
	}
	buf := getGemmBuffers()
	run.work(gen, buf)
	putGemmBuffers(buf)
	for start := time.Now(); run.finished.Load() < int64(chunks) && time.Since(start) < spinTime; {
		runtime.Gosched()
	}
	run.wg.Wait()
	run.job = nil // do not keep the caller's data alive
}

// ParallelFor calls body(lo, hi) for the consecutive ranges [0, grain),
// [grain, 2·grain)... that cover [0, n), spread over the calling goroutine
// and up to SetMaxThreads' cap minus one pool workers, and returns when all
// have returned. It lets code built on the kernels split its own
// elementwise work (an optimizer step over a large weight matrix, say) over
// the same threads as Sgemm, without starting goroutines. The ranges do not
// depend on the thread count, so neither do the results of a body whose
// ranges are independent. body must be safe to run concurrently on
// different ranges and must not panic (a worker cannot hand a panic back).
// With one thread, or n <= grain, the calling goroutine runs the ranges in
// order. (Past 65535 ranges, grain is raised so that there are 65535.)
//
// ParallelFor itself allocates nothing, but a func value built at the call
// site (a closure, or a method value such as t.step) is allocated on every
// call, as it outlives the call's stack frame from the compiler's point of
// view: build it once and keep it, for instance in a struct field.
func ParallelFor(n, grain int, body func(lo, hi int)) {
	if grain < 1 {
		panic(fmt.Sprintf("kernels.ParallelFor: grain = %d, must be at least 1", grain))
	}
	if n <= 0 {
		return
	}
	chunks := (n-1)/grain + 1
	if chunks > maxChunks {
		grain = (n-1)/maxChunks + 1
		chunks = (n-1)/grain + 1
	}
	threads := maxThreads()
	if chunks == 1 || threads == 1 {
		for lo := 0; lo < n; lo += grain {
			body(lo, min(lo+grain, n))
		}
		return
	}
	var call *forCall
	select {
	case call = <-forCallFree:
	default:
		call = new(forCall)
	}
	call.body, call.n, call.grain = body, n, grain
	runParallel(call, chunks, threads, &call.run)
	call.body = nil
	select {
	case forCallFree <- call:
	default:
	}
}

// forCall is one ParallelFor call.
type forCall struct {
	body     func(lo, hi int)
	n, grain int
	run      parallelRun
}

var forCallFree = make(chan *forCall, maxThreadsLimit)

func (f *forCall) runChunk(chunk int, _ *gemmBuffers) {
	lo := chunk * f.grain
	f.body(lo, min(lo+f.grain, f.n))
}

// A Task runs one function on a pool worker while the caller goes on,
// for work that is independent of what the caller does meanwhile, such
// as preparing the next mini-batch of a training loop while the current
// one trains. Where ParallelFor splits one piece of work over the threads,
// a Task gives the second thread a piece of its own: while the worker runs
// it, the caller's kernel calls and ParallelFor calls find no worker free
// and run on the caller alone, so the two threads are never more than
// SetMaxThreads allows. With one thread, Start runs the function itself.
//
// Start hands fn to a worker; Wait returns once fn has returned, running it
// on the caller if no worker has taken it yet, so a Task never waits for a
// busy or parked worker. The zero Task is ready to Start; after Wait it
// can Start again. Start and Wait allocate nothing (fn built once, as for
// ParallelFor's body), and fn must not panic (a worker cannot hand a panic
// back).
type Task struct {
	fn    func()
	state atomic.Int32 // taskIdle, taskQueued, taskRunning, taskDone
	wg    sync.WaitGroup
}

const (
	taskIdle = iota
	taskQueued
	taskRunning
	taskDone
)

// Start hands fn to a pool worker, or runs it now with one thread. It
// panics if the Task was started and not yet waited for.
func (t *Task) Start(fn func()) {
	if t.state.Load() != taskIdle {
		panic("kernels: Task.Start on a Task started and not yet waited for")
	}
	// fn is stored before the state says queued, which publishes it: a
	// worker holding a stale poolTask of this Task may run it at once.
	t.fn = fn
	t.wg.Add(1)
	t.state.Store(taskQueued)
	if maxThreads() < 2 {
		t.run()
		return
	}
	ensureWorkers(1)
	if !offerTask(t, 0) {
		t.run() // the task channel is full: no worker would take it soon
	}
}

// Wait returns once the function given to Start has returned, running it
// on the calling goroutine if no worker has started it. Wait on a Task that
// was not started returns at once.
func (t *Task) Wait() {
	switch t.state.Load() {
	case taskIdle:
		return
	case taskQueued:
		t.run() // does nothing if a worker took it in between
	}
	// A worker runs it: poll for a while (its end is usually near, since
	// the caller waits once its own share is done), then block.
	for start := time.Now(); t.state.Load() != taskDone && time.Since(start) < spinTime; {
		runtime.Gosched()
	}
	t.wg.Wait()
	t.fn = nil // do not keep the caller's data alive
	t.state.Store(taskIdle)
}

// run runs fn if the Task is still queued: on a worker (through join) or on
// the caller (Start with one thread, or Wait).
func (t *Task) run() {
	if !t.state.CompareAndSwap(taskQueued, taskRunning) {
		return
	}
	t.fn()
	t.state.Store(taskDone)
	t.wg.Done()
}

// join is the worker's side: the gen of a Task's poolTask is unused, and a
// stale poolTask (the Task was run by its caller, or waited for and started
// again) finds it not queued, or runs the new function, which is queued
// anyway.
func (t *Task) join(uint64, *gemmBuffers) int {
	t.run()
	return 0
}
