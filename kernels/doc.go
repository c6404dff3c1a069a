// Package kernels is lanes' float32 compute core: GEMM and elementwise,
// reduction and activation kernels in hand-written assembly (AVX-512 and
// AVX2+FMA on amd64, NEON on arm64), with a generic Go version of every kernel
// that is always compiled and chosen at run time where no assembly applies.
//
// # Contract
//
// Matrices are row-major. The destination comes first. No kernel allocates or
// starts a goroutine per call (CSR.FromDense and FromDenseTransposed grow the
// CSR's own slices when they are too small, so only a first fill allocates). Slices whose lengths must match are checked and
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
// The elementwise kernels and ArgMax give the same result on every tier, bit
// for bit, except for NaN payloads: a NaN result is a NaN, but which input's
// payload it carries when several inputs are NaN may differ between tiers
// (x86 and ARM pick different operands).
//
//   - Add, Sub, Mul, Div, Scale and AddScalar are one IEEE 754 operation per
//     element, rounded to nearest even: x/0 is ±Inf, 0/0 and Inf-Inf are NaN,
//     subnormal inputs and results are kept (no flush to zero).
//   - Axpy is fused on every tier, generic included: y + alpha*x rounded once.
//   - ReLU(x) is x where x > 0 or x is NaN (NaN passes through), +0 elsewhere:
//     ReLU(-0) = +0, ReLU(-Inf) = +0.
//   - ReLUGrad passes dy where x > 0 and gives +0 where x <= 0 or x is NaN,
//     whatever dy holds there (NaN or Inf included).
//   - ArgMax returns the index of the first maximum. NaN counts as greater
//     than every number, so the first NaN wins; -0 and +0 are equal, so the
//     first of them wins; +Inf beats every finite value; an empty slice gives
//     -1. Max(x) is x[ArgMax(x)] bit for bit (NaN if x holds one, -0 if a -0
//     comes before any +0 among the maxima) and -Inf for an empty slice. x86
//     MAXPS drops a NaN operand while ARM FMAX propagates it; the kernels
//     track NaN explicitly so that neither behaviour shows through.
//
// Dot, Sum and SumSquares add in float32 into several vector partial sums on
// the assembly tiers (the generic code adds in float64), so tiers differ in
// the last bits. For n terms t[i] (x[i]*y[i], x[i] or x[i]*x[i]) every tier
// returns s with
//
//	|s - Σ t[i]| <= (n/8 + 24) * 2^-24 * Σ|t[i]| + n * 2^-149
//
// as long as no partial sum overflows float32 (Σ|t[i]| <= MaxFloat32/2
// ensures that). The assembly tiers fuse each product into its sum. A NaN
// term gives NaN; infinite terms of one sign give that infinity, of both signs
// NaN. When partial sums overflow, a tier may return ±Inf or NaN where the
// exact sum is finite, and different tiers may disagree. On a given tier the
// result depends only on the values and n, not on the slices' alignment or on
// earlier calls.
//
// # Accuracy
//
// Exp, Sigmoid and Tanh are compared with float64 math (math.Exp,
// 1/(1+math.Exp(-x)) and math.Tanh). The error of a result is its distance
// from the exact value in float32 ulps at that value: 2^-149 for subnormal
// results, and +Inf counts as 2^128 (so overflowing one ulp early costs about
// one ulp). Worst case over all 2^32 float32 inputs, and the bound the tests
// assert on every tier:
//
//	           bound  generic  avx2   avx512  neon
//	Exp        2      0.50     0.98   0.81    0.98
//	Sigmoid    4      0.50     2.40   2.47    2.40
//	Tanh       4      0.50     2.50   2.50    2.50
//
// generic computes in float64 and rounds once (correctly rounded results
// count as 0.5). neon runs the same operations per lane as avx2 and returns
// the same bits (checked by hashing both tiers' outputs on 4.6 million inputs;
// its own sweep under qemu samples every 16th input and stays within the avx2
// figures). avx512 uses a table-driven e^x for Exp, Sigmoid and Softmax and
// differs from avx2 in the last bit; its Tanh reduces by ln 2 with a single
// constant (n stays within [-26, 0] there) and so differs from avx2's in the
// last bits too (334 of 4.2 million sampled inputs, at most 3 ulp apart), at
// the same worst case; avx2 and neon return the same bits for every function.
// `LANES_ULP_FULL=1 go test -run '^TestMathUlp$' -timeout 2h ./kernels`
// reproduces the amd64 columns (19 minutes on the shared 2-core development
// machine; LANES_ULP_FUNCS=Tanh,Exp limits the sweep to the named functions);
// LANES_ULP_STRIDE=k samples every k-th input instead. Plain
// `go test` samples a stride of all inputs plus every input in windows around
// the points where the algorithms change regime.
//
// Underflow is gradual: results of Exp below 2^-126 are subnormals rounded
// once from the full-precision value, and Exp(x) is 0 for x < -103.97.
// Sigmoid computes e^x/(1+e^x) for negative x, so it never overflows and
// its results for x below -87.3 are subnormals within the bound above. Tanh(x) is x exactly for
// |x| < 2^-25, subnormals included. The table covers these ranges. Within a
// tier the results depend only on the input value.
//
// Softmax takes m = Max(x) and the float32 differences x[i]-m (rounded like
// any float32 subtraction), computes e^(x[i]-m) as Exp does, sums them in
// float32 partial sums (at most 16384/4 terms each; float64 in generic) and
// scales by the reciprocal of the sum. Against the float64 softmax of those
// differences each output is within (8 + min(n, 16384)/4 + n/16384) * 2^-24
// relative error plus 2^-148, and the outputs add up to 1 within
// (n+16) * 2^-24.
//
// # Training kernels
//
// BiasAdd, ColSums, SGDMomentum, Adam and DropoutApply do the generic code's
// operations in the same order on every tier (products rounded separately,
// exactly rounded sqrt and division), so every tier gives the same bits. The
// avx512 tier uses ZMM for ColSums and DropoutApply and the AVX2 code for the
// rest, which measured faster on the development machine. SoftmaxCrossEntropy
// subtracts each row's maximum; on the assembly tiers its exponentials come
// from the Exp kernel (within 2 ulp), which keeps the gradient within
// |scale|·2⁻²⁰·(p+2⁻¹⁰⁰) + 2⁻²³·|grad| + 2⁻¹⁴⁹ and the loss within
// rows·2⁻²¹ of the generic result.
//
// DropoutMask draws inverted dropout's keep bits for DropoutApply from a
// counter-based generator (SplitMix64: unit u is kept when the 16-bit
// uniform u%4 of output u/4 is below round(keep·2¹⁶)), so any range of a
// mask can be filled on its own, on any thread, with the bits of one call.
// The bits are part of the contract: every tier and GOARCH gives the same
// ones (tested against a one-unit-at-a-time reference). AVX-512 mixes 8
// draws per ZMM and compares 32 units with one VPCMPUW; AVX2 and NEON mix 4,
// building the 64-bit multiply from 32-bit ones. A 128×256 layer's mask
// (512 words) takes 1.8-2.0 µs with AVX-512, 4.7-5.2 µs with AVX2 and
// 22-23 µs in generic Go on the development machine.
//
// Lookup decodes byte codes through a 256-entry float32 table (dst[i] =
// table[codes[i]]), for data sets kept as bytes: a training step gathers a
// quarter of the bytes for its batch and decodes them. Every tier copies
// the table's bits. With AVX512_VBMI (Zen 4 has it) the table is split into
// four byte planes held in registers and 64 codes are looked up at a time
// with byte permutes (VPERMI2B): a 128×784 batch takes 6.6-8.4 µs on the
// development machine, against 31-47 µs for the zmm gathers (VPGATHERDD,
// about 20 cycles each on Zen 4) that AVX-512 without VBMI and AVX2 use
// (GODEBUG=cpu.avx512vbmi=off selects them). NEON splits the table into
// byte planes the same way and looks up 16 codes at a time with TBL/TBX
// over 64-entry segments, ST4 interleaving the planes into float32s; its
// speed is unmeasured, for lack of arm64 hardware (qemu checks its bits).
//
// # GEMM
//
// Sgemm follows Goto and BLIS: op(B) is packed into kc×nr panels and op(A)
// into mr×kc panels (packing absorbs the transpositions), and five loops
// (n blocks of nc, k slices of kc, m blocks of mc, then mr-row and nr-column
// tiles) drive a micro-kernel that keeps an mr×nr tile of C in registers and
// applies alpha and beta once per tile. Tiles: AVX-512 12×32 (24 ZMM
// accumulators, A broadcast from memory; 12×16 when op(B) is at most 16
// columns wide), AVX2 6×16, NEON 8×12, generic Go 4×4 (2×4 on amd64 and
// 386, which have too few registers for 16 accumulators). kc comes from the
// L1d size and nc and mc from the L2 size (L3 caps nc) reported by
// github.com/klauspost/cpuid/v2, with defaults when it reports none. Packing
// is skipped where it would not pay: the AVX-512 and AVX2 kernels read a
// row-major A in place when op(B) is at most 8 tiles wide (and lda is not a
// multiple of 256, whose rows would share L1 sets), and the AVX-512 kernel
// reads a row-major B in place when op(A) is at most 12 tiles tall and
// reads A in place when it is stored transposed (tA == Trans); otherwise a
// row-major A is copied row by row rather than transposed.
// When op(B) outgrows the L2-sized block (1024³ and up), the AVX2 tier
// switches to BLIS's loop order: each 16-wide panel of packed B stays in L1
// while the blocks of A stream past it from L2, and k is cut into equal
// slices.
// Edge tiles are masked (AVX-512) or computed into a scratch tile, so
// elements of C outside the m×n window are never read or written. On
// AVX-512, serial products whose op(B) is at most 12 columns wide (neither
// operand transposed; an MLP's output layer) run a 32×n kernel instead,
// each vector holding 16 rows of one column of C, so no lanes are wasted
// on columns that do not exist. m == 1 and n == 1 are matrix-vector
// products that read the matrix once, in storage order, without packing
// (m == 1 with beta == 0 accumulates in C's row itself); they run on the
// calling goroutine, as a column split measured slower whenever the other
// core was busy.
//
// Threads: calls of at least 4M multiply-adds (m·n·k) are split and run by
// the calling goroutine and a pool of goroutines started on first use and
// kept; smaller calls run on the calling goroutine. A split call is cut into
// chunks that own whole blocks of rows (when m >= n) or of columns of C,
// with boundaries on multiples of the tile size: up to 4 per thread where a
// chunk reads the shared operand in place (so smaller chunks cost no extra
// packing), one per thread otherwise. The caller and up to SetMaxThreads'
// cap (GOMAXPROCS by default) minus one workers claim chunks until none is
// left, so a worker that starts late or loses its core delays the call by
// at most one chunk. An idle worker polls for new work for up to 100 µs
// (yielding the processor between polls) before it parks, so calls in quick
// succession do not each pay for waking it. k is never split, so every
// element of C is computed by the same operations in the same order
// whatever the thread count or the timing: results are
// bitwise identical for 1, 2 or any number of threads. They differ between
// tiers (FMA contraction and tile shapes change the rounding) within the
// bound |error| <= 2(k+4)·2⁻²⁴·(|alpha|·Σ|a·b| + |beta·c|) per element that
// the tests check against a float64 reference. Steady-state calls allocate
// nothing: packing buffers are recycled through a free list, and concurrent
// calls from several goroutines each get their own.
//
// The same pool serves code built on the kernels: ParallelFor splits a
// loop of the caller's over it, and a Task runs one function on a worker
// while the caller goes on (package mlp prepares the next mini-batch that
// way while the current one trains); while a Task runs, the caller's calls
// find that worker busy and run with one thread fewer, and Task.Wait runs
// the function on the caller if no worker has taken it. MaxThreads reports
// the current cap.
//
// # Sparse products
//
// SgemmCSR computes C = alpha·A·B + beta·C for a sparse A in compressed
// sparse row form (CSR, filled from a dense matrix by FromDense or, for its
// transpose, FromDenseTransposed; both drop ±0 and keep NaN and ±Inf) and a
// dense row-major B, with Sgemm's alpha/beta rules. Each row of C is computed
// in register tiles (256 columns with AVX-512, 96 with AVX2 and NEON): for
// each stored entry (p, v) of the row, in stored order, v·B[p, tile] is added
// with one FMA per register, so rows of B that A never references are never
// read, and a NaN or Inf there does not reach C, where the dense product
// would give NaN (0·Inf). The assembly tiers give identical bits; the generic
// tier rounds like plain Go; no tier depends on the thread count (whole rows
// are split over threads, from 4M multiply-adds). The AVX-512 tier merges two
// rows' entries by column, so a row of B that both reference is read once.
// Where B is large (512 rows or more, rows of density 8-35%), the AVX-512
// tier instead takes blocks of 16 rows of A against blocks of 48 rows of B
// (24 KiB of a 128-column tile) kept in L1, so each row of B is read from L2
// once per block of rows rather than once per nonzero, with the same bits.
// Where B is short (at most 128 rows) but too big for L1, as dY in the MLP's
// weight gradient Xᵀ·dY, the AVX-512 tier on one thread copies B into
// 64-column tiles held in L1 and runs all the rows against one tile after
// the other, again with the same bits.
// RowPtr is checked before any work and column indices inside the kernels.
// Each nonzero costs about one row of B read from L2, so the sparse product
// beats the dense Sgemm below a density of about 0.4 on the development
// machine (one Zen 4 core). On 128 MNIST images (18.8% nonzero) it took
// 175-202 µs for X·W with W 784×256 (dense Sgemm: 505-557 µs) and 142-147 µs
// for Xᵀ·dY (dense 547-581), plus 11 µs for FromDense and 24-26 µs for
// FromDenseTransposed (BenchmarkSgemmCSRMNIST). The mlp package uses it for
// the first layer of MNIST models.
package kernels
