package kernels

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// The worker pool runs the parallel parts of a kernel call. Workers are
// goroutines started lazily, the first time a call needs them, and kept for
// the life of the process, so a call never starts a goroutine. A call runs
// part 0 itself on the calling goroutine and hands the other parts to the
// workers through a channel. Workers only ever wait on that channel, and parts
// never submit work themselves, so concurrent calls from several goroutines
// cannot deadlock: every queued part is eventually picked up.

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

// maxThreads is the number of threads a call may use now.
func maxThreads() int {
	if n := int(maxThreadsSetting.Load()); n > 0 {
		return n
	}
	return min(runtime.GOMAXPROCS(0), maxThreadsLimit)
}

// parallelJob is one kernel call split into parts numbered from 0.
type parallelJob interface {
	runPart(part int)
}

type poolTask struct {
	job  parallelJob
	part int
	done *poolDone
}

// poolDone tracks the parts of one call that run on workers.
type poolDone struct {
	pending atomic.Int64   // parts not finished yet, polled while spinning
	wg      sync.WaitGroup // the same count, for blocking once spinning stops
}

// spinTime is how long an idle worker keeps polling for the next part, and
// a caller for its workers to finish, before parking. Waking a parked
// goroutine on the other core took tens of microseconds on the development
// machine (a VM, whose idle vCPU halts), which cost most of the gain of
// splitting a half-millisecond GEMM (the MLP's shapes ran only 1.1-1.3x
// faster on two threads). Calls that follow each other, as in training, find
// the workers still polling. The cost is at most this much busy waiting
// (yielding to other goroutines) after each parallel call.
const spinTime = 100 * time.Microsecond

var workers struct {
	mu      sync.Mutex
	started atomic.Int64
	tasks   chan poolTask
	// partsRun counts parts run by workers (not by callers), so tests can
	// tell that a call was really split.
	partsRun atomic.Int64
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
		go worker(workers.tasks)
		workers.started.Add(1)
	}
}

func worker(tasks <-chan poolTask) {
	for {
		t := nextTask(tasks)
		t.job.runPart(t.part)
		workers.partsRun.Add(1)
		t.done.pending.Add(-1)
		t.done.wg.Done()
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
			return <-tasks
		}
		runtime.Gosched()
	}
}

// runParallel runs job's parts 0..parts-1, part 0 on the calling goroutine,
// and returns when all are done. done must be unused (zero counts); it is
// passed in so that callers can keep it in a reused struct and not allocate.
func runParallel(job parallelJob, parts int, done *poolDone) {
	if parts <= 1 {
		job.runPart(0)
		return
	}
	ensureWorkers(parts - 1)
	done.pending.Store(int64(parts - 1))
	done.wg.Add(parts - 1)
	for p := 1; p < parts; p++ {
		workers.tasks <- poolTask{job: job, part: p, done: done}
	}
	job.runPart(0)
	for start := time.Now(); done.pending.Load() > 0 && time.Since(start) < spinTime; {
		runtime.Gosched()
	}
	done.wg.Wait()
}
