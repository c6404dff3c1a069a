// Package probe measures what this machine can do at best, so that kernel
// benchmarks can be reported as a fraction of it: the FMA peak in FLOP/s (a
// register-only loop of independent vector FMAs, per ISA, on one core and on
// all cores) and the memory bandwidth for reading and for a STREAM triad at
// working sets that fit in L1, L2, L3 and only in DRAM.
//
// The loops are assembly (probe_amd64.s, probe_arm64.s); builds with the
// purego tag or for other architectures have no probes, and ISAs reports none.
package probe

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/klauspost/cpuid/v2"
)

// vectorISA is one vector instruction set's probe loops.
type vectorISA struct {
	name string
	// flopsPerIter is the FLOPs of one fma loop iteration: accumulators ×
	// lanes × 2 (a multiply and an add per lane).
	flopsPerIter int
	fma          func(iters int, x, y float32) float32
	read         func(x []float32, out *[128]float32)
	triad        func(a, b, c []float32, s float32)
}

// available lists the probes this build and CPU can run, best first. It is
// filled by the architecture's init (probe_amd64.go, probe_arm64.go).
var available []vectorISA

// ISAs names the vector ISAs the probes can run on this machine, best first:
// "avx512", "avx2" on amd64, "neon" on arm64; none in purego builds.
func ISAs() []string {
	names := make([]string, len(available))
	for i, v := range available {
		names[i] = v.name
	}
	return names
}

// ErrNoProbe is returned when this build has no probe for the requested ISA.
var ErrNoProbe = errors.New("probe: no assembly probe for this ISA in this build")

func lookup(isa string) (vectorISA, error) {
	if isa == "" && len(available) > 0 {
		return available[0], nil
	}
	for _, v := range available {
		if v.name == isa {
			return v, nil
		}
	}
	return vectorISA{}, fmt.Errorf("%w: %q (have %v)", ErrNoProbe, isa, ISAs())
}

// fmaChunk bounds one assembly call to about a millisecond, so a garbage
// collection never waits long for the probe (assembly is not preemptible).
const fmaChunk = 1 << 18

// PeakFLOPS measures the FMA throughput of isa ("" for the best) in FLOP/s,
// running one goroutine per thread, each locked to its OS thread, for about
// dur. The rate is the total work over the wall time from a common start to
// the last goroutine's end, so a thread that was descheduled lowers it.
func PeakFLOPS(isa string, threads int, dur time.Duration) (float64, error) {
	v, err := lookup(isa)
	if err != nil {
		return 0, err
	}
	if threads < 1 {
		panic(fmt.Sprintf("probe.PeakFLOPS: threads = %d, must be at least 1", threads))
	}
	// Calibrate on one thread: how many chunks fill dur.
	v.fma(fmaChunk/16, 1, 1) // wake the vector units (AVX-512 ramps its clock)
	start := time.Now()
	v.fma(fmaChunk, 1, 1)
	chunks := max(1, int(float64(dur)/float64(time.Since(start))))
	elapsed := runParallel(threads, func() {
		for range chunks {
			// x*y = 2^-20 keeps the accumulators exact, finite and normal.
			v.fma(fmaChunk, 1.0/1024, 1.0/1024)
		}
	})
	flops := float64(threads) * float64(chunks) * fmaChunk * float64(v.flopsPerIter)
	return flops / elapsed.Seconds(), nil
}

// Scaling measures how much of a core each of threads concurrent FMA loops
// of isa ("" for the best) gets: their FLOP/s together over threads times
// the FLOP/s of one loop alone, measured just before, each for about dur.
// About 1 means every thread has a core to itself. On a virtual machine
// whose host runs two vCPUs on the two hardware threads of one core, it is
// about 0.5-0.6 for as long as the host keeps them there, and figures
// measured with two threads meanwhile are those of one core (see
// cmd/scaling).
func Scaling(isa string, threads int, dur time.Duration) (float64, error) {
	if threads < 1 {
		panic(fmt.Sprintf("probe.Scaling: threads = %d, must be at least 1", threads))
	}
	one, err := PeakFLOPS(isa, 1, dur)
	if err != nil {
		return 0, err
	}
	all, err := PeakFLOPS(isa, threads, dur)
	if err != nil {
		return 0, err
	}
	return all / (float64(threads) * one), nil
}

// runParallel runs work on threads goroutines locked to OS threads, the
// caller's among them, released together, and returns the wall time until
// the last one finished. The others wait for the release by polling, not
// blocked: an idle vCPU of a virtual machine can take milliseconds to wake,
// which would otherwise be measured as a slow thread. (With fewer Ps than
// threads they yield as they poll, or they would hold the P the caller
// needs to release them.)
func runParallel(threads int, work func()) time.Duration {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	yield := runtime.GOMAXPROCS(0) < threads
	var ready atomic.Int32
	var release atomic.Bool
	var done sync.WaitGroup
	done.Add(threads - 1)
	for range threads - 1 {
		go func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			ready.Add(1)
			for !release.Load() {
				if yield {
					runtime.Gosched()
				}
			}
			work()
			done.Done()
		}()
	}
	for ready.Load() < int32(threads-1) {
		runtime.Gosched()
	}
	start := time.Now()
	release.Store(true)
	work()
	done.Wait()
	return time.Since(start)
}

// Kind is a bandwidth access pattern.
type Kind int

const (
	Read  Kind = iota // sum an array: bytes moved = 4 per element
	Triad             // a = b + s*c: bytes moved = 12 per element (STREAM's count, without write-allocate)
)

func (k Kind) String() string {
	if k == Triad {
		return "triad"
	}
	return "read"
}

// Level is a memory level and the working set that lands in it.
type Level struct {
	Name string // "L1", "L2", "L3", "DRAM"
	// Bytes is the working set per thread for private levels (L1, L2) and
	// in total for shared ones (L3, DRAM), which Bandwidth splits.
	Bytes  int
	Shared bool
}

// Cache sizes assumed when cpuid reports none (emulators, some VMs).
const (
	defaultL1 = 32 << 10
	defaultL2 = 512 << 10
	defaultL3 = 8 << 20
)

// CacheSizes returns the L1 data, L2 and L3 sizes in bytes from cpuid, with
// defaults where it reports nothing.
func CacheSizes() (l1, l2, l3 int) {
	l1, l2, l3 = cpuid.CPU.Cache.L1D, cpuid.CPU.Cache.L2, cpuid.CPU.Cache.L3
	if l1 <= 0 {
		l1 = defaultL1
	}
	if l2 <= l1 {
		l2 = max(defaultL2, 4*l1)
	}
	if l3 <= l2 {
		l3 = max(defaultL3, 4*l2)
	}
	return l1, l2, l3
}

// Levels returns a working set per memory level: half of each cache (so the
// data stays resident next to everything else), and four times L3 (at least
// 64 MiB) for DRAM.
func Levels() []Level {
	l1, l2, l3 := CacheSizes()
	return []Level{
		{Name: "L1", Bytes: l1 / 2},
		{Name: "L2", Bytes: l2 / 2},
		{Name: "L3", Bytes: l3 / 2, Shared: true},
		{Name: "DRAM", Bytes: max(4*l3, 64<<20), Shared: true},
	}
}

// LevelOf names the level that a working set of bytes (per thread) lands in.
func LevelOf(bytes int) string {
	l1, l2, l3 := CacheSizes()
	switch {
	case bytes <= l1*3/4:
		return "L1"
	case bytes <= l2*3/4:
		return "L2"
	case bytes <= l3*3/4:
		return "L3"
	}
	return "DRAM"
}

// vectorBlock is the element granularity of the read and triad loops.
const vectorBlock = 128

// Bandwidth measures kind at level in bytes/s using isa ("" for the best),
// on threads goroutines each streaming over its own arrays for about dur.
func Bandwidth(isa string, kind Kind, level Level, threads int, dur time.Duration) (float64, error) {
	v, err := lookup(isa)
	if err != nil {
		return 0, err
	}
	if threads < 1 {
		panic(fmt.Sprintf("probe.Bandwidth: threads = %d, must be at least 1", threads))
	}
	perThread := level.Bytes
	if level.Shared {
		perThread /= threads
	}
	arrays := 1
	if kind == Triad {
		arrays = 3
	}
	n := max(vectorBlock, perThread/4/arrays/vectorBlock*vectorBlock)
	bytesPerPass := float64(n * 4 * arrays)

	bufs := arrays3(threads, n)
	var out [128]float32
	pass := func(bf buffers, out *[128]float32) {
		if kind == Triad {
			v.triad(bf.a, bf.b, bf.c, 0.5)
		} else {
			v.read(bf.b, out)
		}
	}
	// Calibrate: passes to fill dur, at least a few so caches are warm.
	pass(bufs[0], &out)
	start := time.Now()
	pass(bufs[0], &out)
	passes := max(3, int(float64(dur)/float64(time.Since(start))))
	var counter sync.Mutex
	next := 0
	elapsed := runParallel(threads, func() {
		counter.Lock()
		bf := bufs[next]
		next++
		counter.Unlock()
		var local [128]float32
		for range passes {
			pass(bf, &local)
		}
	})
	return float64(threads) * float64(passes) * bytesPerPass / elapsed.Seconds(), nil
}

// buffers are one thread's arrays for the read and triad loops.
type buffers struct{ a, b, c []float32 }

// bufferCache keeps the arrays between Bandwidth calls: allocating and
// filling hundreds of MiB for every DRAM repetition would take longer than
// measuring it.
var bufferCache struct {
	sync.Mutex
	bufs []buffers
}

// arrays3 returns threads sets of three n-element arrays, b and c filled with
// small integers (so sums stay exact and finite), reusing cached ones.
func arrays3(threads, n int) []buffers {
	bufferCache.Lock()
	defer bufferCache.Unlock()
	for len(bufferCache.bufs) < threads {
		bufferCache.bufs = append(bufferCache.bufs, buffers{})
	}
	out := make([]buffers, threads)
	for t := range out {
		bf := &bufferCache.bufs[t]
		if cap(bf.a) < n {
			*bf = buffers{a: alignedFloats(n), b: alignedFloats(n), c: alignedFloats(n)}
			for i := range n {
				bf.b[i] = float32(i % 7)
				bf.c[i] = float32(i % 5)
			}
		}
		out[t] = buffers{a: bf.a[:n], b: bf.b[:n], c: bf.c[:n]}
	}
	return out
}

// ReleaseBuffers drops the arrays Bandwidth keeps for reuse.
func ReleaseBuffers() {
	bufferCache.Lock()
	bufferCache.bufs = nil
	bufferCache.Unlock()
}

// alignedFloats returns n float32s starting on a 64-byte boundary, so vector
// loads never straddle a cache line.
func alignedFloats(n int) []float32 {
	buf := make([]float32, n+16)
	off := 0
	if r := uintptr(unsafe.Pointer(&buf[0])) % 64; r != 0 {
		off = int(64-r) / 4
	}
	return buf[off : off+n : off+n]
}
