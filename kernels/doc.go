// Package kernels is lanes' float32 compute core: GEMM and elementwise,
// reduction and activation kernels in hand-written assembly (AVX-512 and
// AVX2+FMA on amd64, NEON on arm64), with a generic Go version of every kernel
// that is always compiled and chosen at run time where no assembly applies.
//
// # Contract
//
// Matrices are row-major. The destination comes first. No kernel allocates or
// starts a goroutine per call. Slices whose lengths must match are checked and
// a mismatch panics with the function's name and both lengths: like an index
// out of range, it is a programmer error. dst may be the same slice as an input
// (in place); partial overlap is not supported. Empty slices are valid and do
// nothing.
//
// # Implementations
//
// The tier is chosen once at start-up from golang.org/x/sys/cpu and reported
// by ISA(): "avx512" (AVX-512 F/DQ/BW/VL with AVX2 and FMA), "avx2" (AVX2 and
// FMA), "neon" (arm64) or "generic". GODEBUG selects a lower tier at run time:
// cpu.avx512f=off gives avx2, cpu.avx2=off or cpu.all=off gives generic on
// amd64, cpu.asimd=off gives generic on arm64. The build tag purego compiles no
// assembly at all.
//
// Assembly cannot be preempted by the Go runtime, so a garbage collection waits
// for a running assembly call to return. Long elementwise inputs are therefore
// processed in chunks of 16384 elements per call, and GEMM calls its
// micro-kernel once per micro-panel, which keeps each call to a few
// microseconds.
//
// # Special values
//
// (elementwise and reductions: NaN rules for Max, ArgMax and ReLU, -0, ±Inf)
//
// # Accuracy
//
// (ulp table per function and tier)
//
// # GEMM
//
// (blocking, threads, determinism)
package kernels
