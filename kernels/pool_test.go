package kernels

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestParallelForRanges checks that ParallelFor calls body on ranges that
// start at multiples of grain, are at most grain long and cover [0, n)
// exactly once, whatever the thread count.
func TestParallelForRanges(t *testing.T) {
	defer SetMaxThreads(SetMaxThreads(0))
	for _, threads := range []int{1, 2, 3} {
		SetMaxThreads(threads)
		for _, n := range []int{0, 1, 5, 64, 1000} {
			for _, grain := range []int{1, 3, 64, 1000, 5000} {
				visits := make([]atomic.Int32, n)
				var bad atomic.Value
				ParallelFor(n, grain, func(lo, hi int) {
					if lo%grain != 0 || hi <= lo || hi-lo > grain || hi > n || (hi < n && hi-lo != grain) {
						bad.Store(fmt.Sprintf("range [%d, %d)", lo, hi))
						return
					}
					for i := lo; i < hi; i++ {
						visits[i].Add(1)
					}
				})
				if b := bad.Load(); b != nil {
					t.Fatalf("threads=%d n=%d grain=%d: bad %v", threads, n, grain, b)
				}
				for i := range visits {
					if v := visits[i].Load(); v != 1 {
						t.Fatalf("threads=%d n=%d grain=%d: index %d visited %d times", threads, n, grain, i, v)
					}
				}
			}
		}
	}
}

// TestParallelForRunsConcurrently: with two threads, the two ranges of a
// call run at the same time on different goroutines. Each waits for the
// other to start, which a single goroutine running them in turn never sees.
func TestParallelForRunsConcurrently(t *testing.T) {
	defer SetMaxThreads(SetMaxThreads(2))
	var started atomic.Int32
	var timedOut atomic.Bool
	ParallelFor(2, 1, func(lo, hi int) {
		started.Add(1)
		deadline := time.Now().Add(10 * time.Second)
		for started.Load() < 2 {
			if time.Now().After(deadline) {
				timedOut.Store(true)
				return
			}
			time.Sleep(10 * time.Microsecond)
		}
	})
	if timedOut.Load() {
		t.Fatal("range waited 10 s for the other range to start: ParallelFor ran them on one goroutine")
	}
}

// TestParallelForConcurrentCalls runs many small calls from several
// goroutines at once, so that workers often arrive after the call they were
// asked to help has finished (and its state has been reused): they must
// neither run a chunk of a later call twice nor miss one.
func TestParallelForConcurrentCalls(t *testing.T) {
	defer SetMaxThreads(SetMaxThreads(3))
	const callers, calls, n = 4, 200, 40
	var wg sync.WaitGroup
	errs := make(chan string, callers)
	for c := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sums := make([]atomic.Int64, n)
			for call := range calls {
				ParallelFor(n, 1+c, func(lo, hi int) {
					for i := lo; i < hi; i++ {
						sums[i].Add(int64(call))
					}
				})
			}
			want := int64(calls * (calls - 1) / 2)
			for i := range sums {
				if got := sums[i].Load(); got != want {
					errs <- fmt.Sprintf("caller %d: index %d summed %d, want %d", c, i, got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestParallelForNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	defer SetMaxThreads(SetMaxThreads(2))
	x := make([]float32, 1<<16)
	body := func(lo, hi int) { Scale(x[lo:hi], 0.5, x[lo:hi]) }
	if a := testing.AllocsPerRun(50, func() { ParallelFor(len(x), 4096, body) }); a != 0 {
		t.Fatalf("%v allocations per ParallelFor call", a)
	}
}

func TestParallelForBadGrain(t *testing.T) {
	defer func() {
		msg := fmt.Sprint(recover())
		if !strings.Contains(msg, "kernels.ParallelFor") || !strings.Contains(msg, "grain") {
			t.Fatalf("panic %q, want one naming kernels.ParallelFor and grain", msg)
		}
	}()
	ParallelFor(10, 0, func(lo, hi int) {})
}

func TestTaskRunsOnWorker(t *testing.T) {
	defer SetMaxThreads(SetMaxThreads(2))
	var task Task
	for range 20 {
		release := make(chan struct{})
		var sawRelease bool
		// fn waits for the caller to go on past Start: it cannot have run
		// inside Start (which would time out and leave sawRelease false).
		fn := func() {
			select {
			case <-release:
				sawRelease = true
			case <-time.After(5 * time.Second):
			}
		}
		task.Start(fn)
		close(release)
		task.Wait()
		if !sawRelease {
			t.Fatal("the Task ran inside Start, not beside the caller")
		}
	}
}

func TestTaskOneThreadRunsInStart(t *testing.T) {
	defer SetMaxThreads(SetMaxThreads(1))
	var task Task
	ran := 0
	task.Start(func() { ran++ })
	if ran != 1 {
		t.Fatalf("with one thread, Start ran fn %d times before returning, want 1", ran)
	}
	task.Wait()
	task.Wait() // a second Wait returns at once
	if ran != 1 {
		t.Fatalf("fn ran %d times, want 1", ran)
	}
}

func TestTaskWaitRunsUnclaimedTask(t *testing.T) {
	// With the worker busy in a long ParallelFor range, nothing takes the
	// Task, and Wait must run it rather than wait for the worker.
	defer SetMaxThreads(SetMaxThreads(2))
	busy, done := make(chan struct{}), make(chan struct{})
	var outer Task
	outer.Start(func() { // occupies the worker
		close(busy)
		<-done
	})
	<-busy
	var task Task
	ran := false
	task.Start(func() { ran = true })
	task.Wait()
	if !ran {
		t.Fatal("Wait returned before fn ran")
	}
	close(done)
	outer.Wait()
}

func TestTaskStartTwicePanics(t *testing.T) {
	defer SetMaxThreads(SetMaxThreads(2))
	var task Task
	block := make(chan struct{})
	task.Start(func() { <-block })
	defer func() {
		if recover() == nil {
			t.Error("a second Start before Wait did not panic")
		}
		close(block)
		task.Wait()
	}()
	task.Start(func() {})
}

func TestTaskAllocatesNothing(t *testing.T) {
	defer SetMaxThreads(SetMaxThreads(2))
	var task Task
	n := 0
	fn := func() { n++ }
	if a := testing.AllocsPerRun(200, func() {
		task.Start(fn)
		task.Wait()
	}); a != 0 {
		t.Errorf("Start and Wait allocate %v times per call, want 0", a)
	}
	if n != 201 {
		t.Errorf("fn ran %d times, want 201", n)
	}
}
