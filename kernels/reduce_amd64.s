//go:build !purego

#include "textflag.h"

// Reductions for amd64, AVX2+FMA and AVX-512 versions.
//
//	dot:        s = Σ x[i]*y[i]     (FMA into vector accumulators)
//	sum:        s = Σ x[i]
//	sumSquares: s = Σ x[i]*x[i]     (FMA)
//	maxBlock:   m = max(x), or NaN if any x[i] is NaN (len(x) >= 1)
//	indexOf:    first i with x[i] == v (v is not NaN), or len(x)
//
// dot, sum and sumSquares (Go pseudocode, L = lanes per vector: 8 or 16):
//
//	var acc [8][L]float32      // eight vector accumulators, all +0
//	for ; i+8*L <= n; i += 8*L { acc[k][j] += term(i + k*L + j) for k < 8, j < L }
//	for ; i+L <= n; i += L     { acc[0][j] += term(i + j) }
//	s := tree-sum of acc: ((a0+a1)+(a2+a3))+((a4+a5)+(a6+a7)), then its lanes pairwise
//	for ; i < n; i++           { s += term(i) }   // AVX2; AVX-512 does one masked step instead
//
// Eight accumulators hide the 3-4 cycle latency of VADDPS/VFMADD at two
// vector operations per cycle. The order of additions is fixed by n alone, so
// a result is reproducible for a given tier, but it differs from the generic
// (float64) sum by rounding; the package doc (doc.go) states the bound.
//
// maxBlock keeps four max accumulators plus NaN flags (VCMPPS UNORD): MAXPS
// drops a NaN in one of its operands, so NaN is tracked on the side and, if
// seen, the result is the canonical NaN. Which of -0 and +0 it returns when
// they tie is unspecified; the Go caller only compares it with ==.
//
// Register map:
//
//	SI       x
//	DX       y (dot)
//	R8       n
//	AX       i
//	BX       loop limit, then scratch
//	CX, R9   AVX-512 tail mask computation
//	Y0-Y7    accumulators (Z0-Z7); maxBlock: Y0-Y3 maxima, Y4-Y5 NaN flags
//	Y8       the term just loaded (Z8); renaming makes one register enough
//	Y9-Y10   maxBlock: second loaded vector (Z9), compare result
//	Y15      broadcast v (indexOf)
//	K1       AVX-512 lane mask (all ones, or the low n%16 lanes in the tail)
//	K2, K3   AVX-512 compare results and NaN flags
//
// Preconditions (from reduce.go): n <= chunk; maxBlock needs n >= 1.
// Tails never touch memory past the slices: AVX2 uses scalar (SS) steps,
// AVX-512 masked loads, which do not fault on masked-off lanes.

// SUM_TREE_Y adds Y1-Y7 into Y0 in a fixed tree order.
#define SUM_TREE_Y \
	VADDPS Y1, Y0, Y0; \
	VADDPS Y3, Y2, Y2; \
	VADDPS Y5, Y4, Y4; \
	VADDPS Y7, Y6, Y6; \
	VADDPS Y2, Y0, Y0; \
	VADDPS Y6, Y4, Y4; \
	VADDPS Y4, Y0, Y0

// HSUM_Y0 sets X0[0] to the sum of the 8 lanes of Y0, pairwise.
#define HSUM_Y0 \
	VEXTRACTF128 $1, Y0, X1; \
	VADDPS       X1, X0, X0; \
	VMOVHLPS     X0, X0, X1; \
	VADDPS       X1, X0, X0; \
	VMOVSHDUP    X0, X1; \
	VADDSS       X1, X0, X0

// REDUCE_AVX2 accumulates STEP(off, acc) over [0, n) 64 elements at a time,
// then 8 at a time, reduces to X0[0], then adds STEP1 one element at a time.
#define REDUCE_AVX2(STEP, STEP1) \
	XORQ   AX, AX; \
	VXORPS Y0, Y0, Y0; \
	VXORPS Y1, Y1, Y1; \
	VXORPS Y2, Y2, Y2; \
	VXORPS Y3, Y3, Y3; \
	VXORPS Y4, Y4, Y4; \
	VXORPS Y5, Y5, Y5; \
	VXORPS Y6, Y6, Y6; \
	VXORPS Y7, Y7, Y7; \
	MOVQ   R8, BX; \
	ANDQ   $-64, BX; \
	JZ     tail8; \
	PCALIGN $32; \
loop64: \
	STEP(0, Y0); \
	STEP(32, Y1); \
	STEP(64, Y2); \
	STEP(96, Y3); \
	STEP(128, Y4); \
	STEP(160, Y5); \
	STEP(192, Y6); \
	STEP(224, Y7); \
	ADDQ   $64, AX; \
	CMPQ   AX, BX; \
	JB     loop64; \
tail8: \
	MOVQ   R8, BX; \
	ANDQ   $-8, BX; \
	CMPQ   AX, BX; \
	JAE    reduce; \
loop8: \
	STEP(0, Y0); \
	ADDQ   $8, AX; \
	CMPQ   AX, BX; \
	JB     loop8; \
reduce: \
	SUM_TREE_Y; \
	HSUM_Y0; \
	CMPQ   AX, R8; \
	JAE    done; \
loop1: \
	STEP1(X0); \
	INCQ   AX; \
	CMPQ   AX, R8; \
	JB     loop1; \
done: \
	VZEROUPPER

// REDUCE_AVX512 is REDUCE_AVX2 with 16 lanes: 128 elements per iteration,
// then 16 at a time, then one step under the tail mask in K1 (STEP must
// leave masked-off accumulator lanes unchanged), then the reduction to X0[0].
#define REDUCE_AVX512(STEP) \
	XORQ   AX, AX; \
	KXNORW K1, K1, K1; \
	VXORPS Y0, Y0, Y0; \
	VXORPS Y1, Y1, Y1; \
	VXORPS Y2, Y2, Y2; \
	VXORPS Y3, Y3, Y3; \
	VXORPS Y4, Y4, Y4; \
	VXORPS Y5, Y5, Y5; \
	VXORPS Y6, Y6, Y6; \
	VXORPS Y7, Y7, Y7; \
	MOVQ   R8, BX; \
	ANDQ   $-128, BX; \
	JZ     tail16; \
	PCALIGN $32; \
loop128: \
	STEP(0, Z0); \
	STEP(64, Z1); \
	STEP(128, Z2); \
	STEP(192, Z3); \
	STEP(256, Z4); \
	STEP(320, Z5); \
	STEP(384, Z6); \
	STEP(448, Z7); \
	ADDQ   $128, AX; \
	CMPQ   AX, BX; \
	JB     loop128; \
tail16: \
	MOVQ   R8, BX; \
	ANDQ   $-16, BX; \
	CMPQ   AX, BX; \
	JAE    tailmask; \
loop16: \
	STEP(0, Z0); \
	ADDQ   $16, AX; \
	CMPQ   AX, BX; \
	JB     loop16; \
tailmask: \
	MOVQ   R8, CX; \
	SUBQ   AX, CX; \
	JZ     reduce; \
	MOVL   $1, R9; \
	SHLL   CX, R9; \
	DECL   R9; \
	KMOVW  R9, K1; \
	STEP(0, Z1); \
reduce: \
	VADDPS Z1, Z0, Z0; \
	VADDPS Z3, Z2, Z2; \
	VADDPS Z5, Z4, Z4; \
	VADDPS Z7, Z6, Z6; \
	VADDPS Z2, Z0, Z0; \
	VADDPS Z6, Z4, Z4; \
	VADDPS Z4, Z0, Z0; \
	VEXTRACTF64X4 $1, Z0, Y1; \
	VADDPS Y1, Y0, Y0; \
	HSUM_Y0; \
	VZEROUPPER

// Per-vector steps. acc += x*y, fused; acc += x; acc += x*x, fused.
#define DOT_Y(off, ACC) \
	VMOVUPS     off(SI)(AX*4), Y8; \
	VFMADD231PS off(DX)(AX*4), Y8, ACC
#define DOT_Z(off, ACC) \
	VMOVUPS.Z   off(SI)(AX*4), K1, Z8; \
	VFMADD231PS off(DX)(AX*4), Z8, K1, ACC
#define DOT_1(ACC) \
	VMOVSS      (SI)(AX*4), X8; \
	VFMADD231SS (DX)(AX*4), X8, ACC
#define SUM_Y(off, ACC) VADDPS off(SI)(AX*4), ACC, ACC
#define SUM_Z(off, ACC) VADDPS off(SI)(AX*4), ACC, K1, ACC
#define SUM_1(ACC) VADDSS (SI)(AX*4), ACC, ACC
#define SUMSQ_Y(off, ACC) \
	VMOVUPS     off(SI)(AX*4), Y8; \
	VFMADD231PS Y8, Y8, ACC
#define SUMSQ_Z(off, ACC) \
	VMOVUPS.Z   off(SI)(AX*4), K1, Z8; \
	VFMADD231PS Z8, Z8, K1, ACC
#define SUMSQ_1(ACC) \
	VMOVSS      (SI)(AX*4), X8; \
	VFMADD231SS X8, X8, ACC

// func dotAVX2(x, y []float32) float32
TEXT ·dotAVX2(SB), NOSPLIT, $0-52
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), R8
	MOVQ y_base+24(FP), DX
	REDUCE_AVX2(DOT_Y, DOT_1)
	MOVSS X0, ret+48(FP)
	RET

// func dotAVX512(x, y []float32) float32
TEXT ·dotAVX512(SB), NOSPLIT, $0-52
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), R8
	MOVQ y_base+24(FP), DX
	REDUCE_AVX512(DOT_Z)
	MOVSS X0, ret+48(FP)
	RET

// func sumAVX2(x []float32) float32
TEXT ·sumAVX2(SB), NOSPLIT, $0-28
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), R8
	REDUCE_AVX2(SUM_Y, SUM_1)
	MOVSS X0, ret+24(FP)
	RET

// func sumAVX512(x []float32) float32
TEXT ·sumAVX512(SB), NOSPLIT, $0-28
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), R8
	REDUCE_AVX512(SUM_Z)
	MOVSS X0, ret+24(FP)
	RET

// func sumSquaresAVX2(x []float32) float32
TEXT ·sumSquaresAVX2(SB), NOSPLIT, $0-28
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), R8
	REDUCE_AVX2(SUMSQ_Y, SUMSQ_1)
	MOVSS X0, ret+24(FP)
	RET

// func sumSquaresAVX512(x []float32) float32
TEXT ·sumSquaresAVX512(SB), NOSPLIT, $0-28
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), R8
	REDUCE_AVX512(SUMSQ_Z)
	MOVSS X0, ret+24(FP)
	RET

// The canonical quiet NaN maxBlock returns when x holds a NaN.
#define QNAN $0x7fc00000

// MAX2_Y folds 16 elements into ACC and their NaN-ness into FLAGS:
// UNORD(a, b) is true in a lane where a or b is NaN.
#define MAX2_Y(off, ACC, FLAGS) \
	VMOVUPS off(SI)(AX*4), Y8; \
	VMOVUPS off+32(SI)(AX*4), Y9; \
	VMAXPS  Y8, ACC, ACC; \
	VMAXPS  Y9, ACC, ACC; \
	VCMPPS  $3, Y9, Y8, Y10; \
	VORPS   Y10, FLAGS, FLAGS

// func maxBlockAVX2(x []float32) float32
TEXT ·maxBlockAVX2(SB), NOSPLIT, $0-28
	MOVQ         x_base+0(FP), SI
	MOVQ         x_len+8(FP), R8
	XORQ         AX, AX
	VBROADCASTSS (SI), Y0       // every accumulator starts at x[0]
	VMOVAPS      Y0, Y1
	VMOVAPS      Y0, Y2
	VMOVAPS      Y0, Y3
	VXORPS       Y4, Y4, Y4     // NaN flags
	VXORPS       Y5, Y5, Y5
	MOVQ         R8, BX
	ANDQ         $-64, BX
	JZ           tail8
	PCALIGN      $32

loop64:
	MAX2_Y(0, Y0, Y4)
	MAX2_Y(64, Y1, Y5)
	MAX2_Y(128, Y2, Y4)
	MAX2_Y(192, Y3, Y5)
	ADDQ $64, AX
	CMPQ AX, BX
	JB   loop64

tail8:
	MOVQ R8, BX
	ANDQ $-8, BX
	CMPQ AX, BX
	JAE  tail1

loop8:
	VMOVUPS (SI)(AX*4), Y8
	VMAXPS  Y8, Y0, Y0
	VCMPPS  $3, Y8, Y8, Y10
	VORPS   Y10, Y4, Y4
	ADDQ    $8, AX
	CMPQ    AX, BX
	JB      loop8

tail1:
	CMPQ AX, R8
	JAE  reduce

loop1:
	VBROADCASTSS (SI)(AX*4), Y8 // x[i] in every lane: max over copies is max over x[i]
	VMAXPS       Y8, Y0, Y0
	VCMPPS       $3, Y8, Y8, Y10
	VORPS        Y10, Y4, Y4
	INCQ         AX
	CMPQ         AX, R8
	JB           loop1

reduce:
	VORPS     Y5, Y4, Y4
	VMOVMSKPS Y4, BX
	TESTL     BX, BX
	JNZ       nan
	VMAXPS    Y1, Y0, Y0
	VMAXPS    Y3, Y2, Y2
	VMAXPS    Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VMAXPS    X1, X0, X0
	VMOVHLPS  X0, X0, X1
	VMAXPS    X1, X0, X0
	VMOVSHDUP X0, X1
	VMAXSS    X1, X0, X0
	VZEROUPPER
	MOVSS     X0, ret+24(FP)
	RET

nan:
	VZEROUPPER
	MOVL QNAN, ret+24(FP)
	RET

// MAX_Z folds 16 elements (the lanes of K1) into ACC, leaving masked-off
// lanes of ACC unchanged, and ORs their NaN lanes into K3.
#define MAX_Z(off, ACC) \
	VMOVUPS.Z off(SI)(AX*4), K1, Z8; \
	VCMPPS    $3, Z8, Z8, K1, K2; \
	KORW      K2, K3, K3; \
	VMAXPS    Z8, ACC, K1, ACC

// MAX2_Z folds 32 elements into ACC1 and ACC2 (no masking: main loop only)
// and ORs their NaN lanes into K3; one UNORD compare covers both vectors.
#define MAX2_Z(off, ACC1, ACC2) \
	VMOVUPS off(SI)(AX*4), Z8; \
	VMOVUPS off+64(SI)(AX*4), Z9; \
	VMAXPS  Z8, ACC1, ACC1; \
	VMAXPS  Z9, ACC2, ACC2; \
	VCMPPS  $3, Z9, Z8, K2; \
	KORW    K2, K3, K3

// func maxBlockAVX512(x []float32) float32
TEXT ·maxBlockAVX512(SB), NOSPLIT, $0-28
	MOVQ         x_base+0(FP), SI
	MOVQ         x_len+8(FP), R8
	XORQ         AX, AX
	KXNORW       K1, K1, K1
	KXORW        K3, K3, K3     // NaN flags
	VBROADCASTSS (SI), Z0       // every accumulator starts at x[0]
	VMOVAPS      Z0, Z1
	VMOVAPS      Z0, Z2
	VMOVAPS      Z0, Z3
	MOVQ         R8, BX
	ANDQ         $-64, BX
	JZ           tail16
	PCALIGN      $32

loop64:
	MAX2_Z(0, Z0, Z1)
	MAX2_Z(128, Z2, Z3)
	ADDQ $64, AX
	CMPQ AX, BX
	JB   loop64

tail16:
	MOVQ R8, BX
	ANDQ $-16, BX
	CMPQ AX, BX
	JAE  tailmask

loop16:
	MAX_Z(0, Z0)
	ADDQ $16, AX
	CMPQ AX, BX
	JB   loop16

tailmask:
	MOVQ  R8, CX
	SUBQ  AX, CX
	JZ    reduce
	MOVL  $1, R9
	SHLL  CX, R9
	DECL  R9
	KMOVW R9, K1
	MAX_Z(0, Z1)

reduce:
	KORTESTW K3, K3
	JNZ      nan
	VMAXPS   Z1, Z0, Z0
	VMAXPS   Z3, Z2, Z2
	VMAXPS   Z2, Z0, Z0
	VEXTRACTF64X4 $1, Z0, Y1
	VMAXPS   Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VMAXPS   X1, X0, X0
	VMOVHLPS X0, X0, X1
	VMAXPS   X1, X0, X0
	VMOVSHDUP X0, X1
	VMAXSS   X1, X0, X0
	VZEROUPPER
	MOVSS    X0, ret+24(FP)
	RET

nan:
	VZEROUPPER
	MOVL QNAN, ret+24(FP)
	RET

// func indexOfAVX2(x []float32, v float32) int
TEXT ·indexOfAVX2(SB), NOSPLIT, $0-40
	MOVQ         x_base+0(FP), SI
	MOVQ         x_len+8(FP), R8
	VBROADCASTSS v+24(FP), Y15
	XORQ         AX, AX
	MOVQ         R8, BX
	ANDQ         $-8, BX
	JZ           tail1

loop8:
	VCMPPS    $0, (SI)(AX*4), Y15, Y0 // lanes where x[i:i+8] == v (EQ_OQ)
	VMOVMSKPS Y0, CX
	TESTL     CX, CX
	JNZ       found
	ADDQ      $8, AX
	CMPQ      AX, BX
	JB        loop8

tail1:
	CMPQ AX, R8
	JAE  notfound

loop1:
	VUCOMISS (SI)(AX*4), X15 // ZF=1, PF=0 when equal (v is not NaN)
	JNE      next
	JPS      next
	JMP      done

next:
	INCQ AX
	CMPQ AX, R8
	JB   loop1

notfound:
	MOVQ R8, AX
	JMP  done

found:
	BSFL CX, CX // first matching lane
	ADDQ CX, AX

done:
	VZEROUPPER
	MOVQ AX, ret+32(FP)
	RET

// func indexOfAVX512(x []float32, v float32) int
TEXT ·indexOfAVX512(SB), NOSPLIT, $0-40
	MOVQ         x_base+0(FP), SI
	MOVQ         x_len+8(FP), R8
	VBROADCASTSS v+24(FP), Z15
	XORQ         AX, AX
	KXNORW       K1, K1, K1
	MOVQ         R8, BX
	ANDQ         $-16, BX
	JZ           tailmask

loop16:
	VCMPPS $0, (SI)(AX*4), Z15, K1, K2 // lanes where x[i:i+16] == v (EQ_OQ)
	KMOVW  K2, CX
	TESTL  CX, CX
	JNZ    found
	ADDQ   $16, AX
	CMPQ   AX, BX
	JB     loop16

tailmask:
	MOVQ   R8, CX
	SUBQ   AX, CX
	JZ     notfound
	MOVL   $1, R9
	SHLL   CX, R9
	DECL   R9
	KMOVW  R9, K1
	VCMPPS $0, (SI)(AX*4), Z15, K1, K2
	KMOVW  K2, CX
	TESTL  CX, CX
	JNZ    found

notfound:
	MOVQ R8, AX
	JMP  done

found:
	BSFL CX, CX // first matching lane
	ADDQ CX, AX

done:
	VZEROUPPER
	MOVQ AX, ret+32(FP)
	RET
