//go:build !purego

#include "textflag.h"

// Transcendental kernels for AVX-512 (ZMM, 16 lanes) and AVX2+FMA (YMM, 8 lanes).
//
// What they compute, as Go (n = len(x) = len(dst), checked by the Go caller):
//
//	for i := range x { dst[i] = e**x[i] }                          // exp*
//	for i := range x { dst[i] = 1 / (1 + e**-x[i]) }               // sigmoid*
//	for i := range x { dst[i] = tanh(x[i]) }                       // tanh*
//	for i := range x { dst[i] = e**(x[i]-m); s += dst[i] }; return s // expShiftSum*
//
// Algorithm of e**x, per lane, in float32:
//
//	x = clamp(x, -104, 89)    // e**-104 rounds to 0 and e**89 to +Inf; NaN passes
//	n = round(x * log2(e))    // nearest integer, as a float
//	r = x - n*ln2hi - n*ln2lo // Cody-Waite: ln2hi has 9 significant bits, so
//	                          // n*ln2hi is exact and so is the first subtraction
//	p = 1 + r + c2 r² + ... + c6 r⁶ // minimax on |r| <= ln2/2, Horner with FMA
//	e**x = p * 2**n
//
// The scaling by 2**n must produce +Inf on overflow and the correctly rounded
// subnormal on underflow. AVX-512 has VSCALEFPS, which does exactly that. AVX2
// builds the power of two in the exponent bits and, because n ranges over
// [-150, 128] which a single normal float cannot hold, multiplies in two
// steps: p * 2**(n>>1) * 2**(n-n>>1). The first product is exact and the
// second rounds once, so subnormal results are correctly rounded from p*2**n.
//
// Sigmoid uses z = e**-|x| in (0, 1], so nothing overflows:
// sigmoid(x) = 1/(1+z) for x >= 0 and z/(1+z) for x < 0 (the latter keeps the
// tiny and subnormal results of large negative x accurate).
//
// Tanh uses an odd minimax polynomial x + x³·P(x²) for |x| < 0.55, where
// tanh(x) < 0.5 and 1 - 2/(e**2x + 1) would cancel, and
// sign(x)·(1-z)/(1+z) with z = e**-2|x| elsewhere (saturating to ±1 as z
// reaches 0). Both are computed for every lane and blended.
//
// NaN inputs propagate: clamps use VMAXPS/VMINPS with x as the Intel second
// source, which is the operand those instructions return when either is NaN.
//
// Register map, AVX-512 (constants broadcast once per call):
//
//	Z31 log2(e)  Z30 ln2hi  Z29 ln2lo  Z28..Z24 c6..c2  Z23 1.0
//	Z22 89 (upper clamp)  Z21 -104 (lower clamp)  Z20 0x7fffffff (abs mask)
//	Z19 -2  Z18 0.55 (tanh branch point)  Z17 0.0  Z16 m (expShiftSum)
//	Z15..Z11 tanh P coefficients t0..t4
//	Z0..Z10 work; Z9/Z10 the two sum accumulators of expShiftSum; K1 tail mask
//
// Register map, AVX2 (the polynomial coefficients are memory operands):
//
//	Y15 log2(e)  Y14 ln2hi  Y13 ln2lo  Y12 1.0  Y11 89  Y10 -104
//	Y9 127 (int32 exponent bias)  Y8 m (expShiftSum)  Y7 sum accumulator
//	Y6 tail mask  Y0..Y5 work
//
// Tails: AVX-512 finishes with one masked 16-lane block (masked-off lanes are
// neither read nor written, and do not fault); AVX2 with one VMASKMOVPS
// block. expShiftSum adds only the active lanes of the tail to its sum.
// Loops: AVX-512 runs 32 elements per iteration, then 16, then the tail;
// AVX2 runs 8 per iteration, then the tail.

// Constant table: each constant replicated over 32 bytes, so AVX2 can use it
// as a YMM memory operand and AVX-512 can broadcast its first lane.
#define LOG2E 0
#define LN2HI 32
#define LN2LO 64
#define C6 96
#define C5 128
#define C4 160
#define C3 192
#define C2 224
#define ONE 256
#define XMAX 288
#define XMIN 320
#define BIAS 352
#define ABSMASK 384
#define SIGNMASK 416
#define MINUS2 448
#define SMALL 480
#define T0 512
#define T1 544
#define T2 576
#define T3 608
#define T4 640

#define VEC8(off, bits) \
	DATA mathConst<>+(off)(SB)/4, $bits; \
	DATA mathConst<>+(off+4)(SB)/4, $bits; \
	DATA mathConst<>+(off+8)(SB)/4, $bits; \
	DATA mathConst<>+(off+12)(SB)/4, $bits; \
	DATA mathConst<>+(off+16)(SB)/4, $bits; \
	DATA mathConst<>+(off+20)(SB)/4, $bits; \
	DATA mathConst<>+(off+24)(SB)/4, $bits; \
	DATA mathConst<>+(off+28)(SB)/4, $bits

VEC8(LOG2E, 0x3fb8aa3b)    // 1/ln(2)
VEC8(LN2HI, 0x3f318000)    // 0.693359375, ln(2) rounded to 9 bits
VEC8(LN2LO, 0xb95e8083)    // ln(2) - ln2hi
VEC8(C6, 0x3ab68883)       // e**r ≈ 1 + r + Σ ck r**k, k = 2..6, minimax
VEC8(C5, 0x3c0905b6)
VEC8(C4, 0x3d2aaa8d)
VEC8(C3, 0x3e2aaa6e)
VEC8(C2, 0x3f000000)
VEC8(ONE, 0x3f800000)
VEC8(XMAX, 0x42b20000)     // 89: e**89 overflows, and so does every larger x
VEC8(XMIN, 0xc2d00000)     // -104: e**-104 < 2**-150 rounds to 0
VEC8(BIAS, 0x0000007f)     // float32 exponent bias
VEC8(ABSMASK, 0x7fffffff)
VEC8(SIGNMASK, 0x80000000)
VEC8(MINUS2, 0xc0000000)
VEC8(SMALL, 0x3f0ccccd)    // 0.55 > atanh(0.5)
VEC8(T0, 0xbeaaaaaa)       // tanh(x) ≈ x + x³ Σ tk x**2k, k = 0..4, minimax on |x| < 0.55
VEC8(T1, 0x3e0887f5)
VEC8(T2, 0xbd5cd022)
VEC8(T3, 0x3cae9107)
VEC8(T4, 0xbbd89a9c)
GLOBL mathConst<>(SB), RODATA|NOPTR, $672

// tailMask<>+32-4*k holds k all-ones lanes followed by zero lanes.
DATA tailMask<>+0(SB)/8, $0xffffffffffffffff
DATA tailMask<>+8(SB)/8, $0xffffffffffffffff
DATA tailMask<>+16(SB)/8, $0xffffffffffffffff
DATA tailMask<>+24(SB)/8, $0xffffffffffffffff
DATA tailMask<>+32(SB)/8, $0
DATA tailMask<>+40(SB)/8, $0
DATA tailMask<>+48(SB)/8, $0
DATA tailMask<>+56(SB)/8, $0
GLOBL tailMask<>(SB), RODATA|NOPTR, $64

// ---------------------------------------------------------------- AVX-512

#define LOADEXP512 \
	VBROADCASTSS mathConst<>+LOG2E(SB), Z31; \
	VBROADCASTSS mathConst<>+LN2HI(SB), Z30; \
	VBROADCASTSS mathConst<>+LN2LO(SB), Z29; \
	VBROADCASTSS mathConst<>+C6(SB), Z28; \
	VBROADCASTSS mathConst<>+C5(SB), Z27; \
	VBROADCASTSS mathConst<>+C4(SB), Z26; \
	VBROADCASTSS mathConst<>+C3(SB), Z25; \
	VBROADCASTSS mathConst<>+C2(SB), Z24; \
	VBROADCASTSS mathConst<>+ONE(SB), Z23; \
	VBROADCASTSS mathConst<>+XMAX(SB), Z22; \
	VBROADCASTSS mathConst<>+XMIN(SB), Z21; \
	VBROADCASTSS mathConst<>+ABSMASK(SB), Z20; \
	VBROADCASTSS mathConst<>+MINUS2(SB), Z19; \
	VBROADCASTSS mathConst<>+SMALL(SB), Z18; \
	VXORPS Z17, Z17, Z17

#define LOADTANH512 \
	VBROADCASTSS mathConst<>+T0(SB), Z15; \
	VBROADCASTSS mathConst<>+T1(SB), Z14; \
	VBROADCASTSS mathConst<>+T2(SB), Z13; \
	VBROADCASTSS mathConst<>+T3(SB), Z12; \
	VBROADCASTSS mathConst<>+T4(SB), Z11

// EXP512(x, n, p): p = e**x for x already clamped to [-104, 89]. x is
// overwritten with the reduced argument r, n with round(x*log2(e)).
#define EXP512(x, n, p) \
	VMULPS x, Z31, n; \
	VRNDSCALEPS $0, n, n; \
	VFNMADD231PS n, Z30, x; \
	VFNMADD231PS n, Z29, x; \
	VMOVAPS Z27, p; \
	VFMADD231PS x, Z28, p; \
	VFMADD213PS Z26, x, p; \
	VFMADD213PS Z25, x, p; \
	VFMADD213PS Z24, x, p; \
	VFMADD213PS Z23, x, p; \
	VFMADD213PS Z23, x, p; \
	VSCALEFPS n, p, p

// EXPF512(x, n, p): p = e**x for any x; x and n are clobbered.
#define EXPF512(x, n, p) \
	VMAXPS x, Z21, x; \
	VMINPS x, Z22, x; \
	EXP512(x, n, p)

// SIGMOID512(x, a, n, p): p = sigmoid(x); a and n are clobbered, x is kept.
#define SIGMOID512(x, a, n, p) \
	VPANDD x, Z20, a; \
	VSUBPS a, Z17, a; \
	VMAXPS a, Z21, a; \
	EXP512(a, n, p); \
	VADDPS Z23, p, a; \
	VCMPPS $0x1d, Z17, x, K2; \
	VMOVAPS Z23, K2, p; \
	VDIVPS a, p, p

// TANH512(x, a, n, p, q): p = tanh(x); a, n and q are clobbered, x is kept.
// Both branches work on |x| and the sign of x is applied last, which keeps
// tanh(-0) = -0.
#define TANH512(x, a, n, p, q) \
	VPANDD x, Z20, a; \
	VMULPS a, Z19, q; \
	VMAXPS q, Z21, q; \
	EXP512(q, n, p); \
	VSUBPS p, Z23, q; \
	VADDPS p, Z23, p; \
	VDIVPS p, q, p; \
	VCMPPS $0x11, Z18, a, K2; \
	VMULPS a, a, n; \
	VMOVAPS Z12, q; \
	VFMADD231PS n, Z11, q; \
	VFMADD213PS Z13, n, q; \
	VFMADD213PS Z14, n, q; \
	VFMADD213PS Z15, n, q; \
	VMULPS n, a, n; \
	VFMADD213PS a, n, q; \
	VMOVAPS q, K2, p; \
	VPXORD x, a, q; \
	VPXORD q, p, p

// K1 = (1<<CX) - 1, the mask of the last CX (< 16) lanes.
#define TAILMASK512 \
	MOVL $1, AX; \
	SHLL CX, AX; \
	DECL AX; \
	KMOVW AX, K1

// func expAVX512(dst, x []float32)
TEXT ·expAVX512(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX
	LOADEXP512

	PCALIGN $16
loop32:
	CMPQ CX, $32
	JB   block16
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z1
	EXPF512(Z0, Z2, Z3)   // dst[i:i+16] = e**x[i:i+16]
	EXPF512(Z1, Z4, Z5)   // dst[i+16:i+32] = e**x[i+16:i+32]
	VMOVUPS Z3, (DI)
	VMOVUPS Z5, 64(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	JMP  loop32

block16:
	CMPQ CX, $16
	JB   tail
	VMOVUPS (SI), Z0
	EXPF512(Z0, Z2, Z3)
	VMOVUPS Z3, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX

tail:
	TESTQ CX, CX
	JZ    done
	TAILMASK512
	VMOVUPS.Z (SI), K1, Z0
	EXPF512(Z0, Z2, Z3)
	VMOVUPS Z3, K1, (DI)

done:
	VZEROUPPER
	RET

// func sigmoidAVX512(dst, x []float32)
TEXT ·sigmoidAVX512(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX
	LOADEXP512

	PCALIGN $16
loop32:
	CMPQ CX, $32
	JB   block16
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z1
	SIGMOID512(Z0, Z2, Z3, Z4)   // dst[i:i+16] = sigmoid(x[i:i+16])
	SIGMOID512(Z1, Z5, Z6, Z7)   // dst[i+16:i+32] = sigmoid(x[i+16:i+32])
	VMOVUPS Z4, (DI)
	VMOVUPS Z7, 64(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	JMP  loop32

block16:
	CMPQ CX, $16
	JB   tail
	VMOVUPS (SI), Z0
	SIGMOID512(Z0, Z2, Z3, Z4)
	VMOVUPS Z4, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX

tail:
	TESTQ CX, CX
	JZ    done
	TAILMASK512
	VMOVUPS.Z (SI), K1, Z0
	SIGMOID512(Z0, Z2, Z3, Z4)
	VMOVUPS Z4, K1, (DI)

done:
	VZEROUPPER
	RET

// func tanhAVX512(dst, x []float32)
TEXT ·tanhAVX512(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX
	LOADEXP512
	LOADTANH512

	PCALIGN $16
loop32:
	CMPQ CX, $32
	JB   block16
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z1
	TANH512(Z0, Z2, Z3, Z4, Z5)   // dst[i:i+16] = tanh(x[i:i+16])
	TANH512(Z1, Z6, Z7, Z8, Z9)   // dst[i+16:i+32] = tanh(x[i+16:i+32])
	VMOVUPS Z4, (DI)
	VMOVUPS Z8, 64(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	JMP  loop32

block16:
	CMPQ CX, $16
	JB   tail
	VMOVUPS (SI), Z0
	TANH512(Z0, Z2, Z3, Z4, Z5)
	VMOVUPS Z4, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX

tail:
	TESTQ CX, CX
	JZ    done
	TAILMASK512
	VMOVUPS.Z (SI), K1, Z0
	TANH512(Z0, Z2, Z3, Z4, Z5)
	VMOVUPS Z4, K1, (DI)

done:
	VZEROUPPER
	RET

// func expShiftSumAVX512(dst, x []float32, m float32) float32
TEXT ·expShiftSumAVX512(SB), NOSPLIT, $0-60
	MOVQ dst_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX
	VBROADCASTSS m+48(FP), Z16
	LOADEXP512
	VXORPS Z9, Z9, Z9
	VXORPS Z10, Z10, Z10

	PCALIGN $16
loop32:
	CMPQ CX, $32
	JB   block16
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z1
	VSUBPS Z16, Z0, Z0
	VSUBPS Z16, Z1, Z1
	EXPF512(Z0, Z2, Z3)   // dst[i:i+16] = e**(x[i:i+16]-m)
	EXPF512(Z1, Z4, Z5)
	VMOVUPS Z3, (DI)
	VMOVUPS Z5, 64(DI)
	VADDPS Z3, Z9, Z9     // two accumulators, so the adds do not serialise
	VADDPS Z5, Z10, Z10
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	JMP  loop32

block16:
	CMPQ CX, $16
	JB   tail
	VMOVUPS (SI), Z0
	VSUBPS Z16, Z0, Z0
	EXPF512(Z0, Z2, Z3)
	VMOVUPS Z3, (DI)
	VADDPS Z3, Z9, Z9
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX

tail:
	TESTQ CX, CX
	JZ    reduce
	TAILMASK512
	VMOVUPS.Z (SI), K1, Z0
	VSUBPS Z16, Z0, Z0
	EXPF512(Z0, Z2, Z3)
	VMOVUPS Z3, K1, (DI)
	VADDPS Z3, Z10, K1, Z10   // only the active lanes join the sum

reduce:
	// Horizontal sum of Z9 + Z10.
	VADDPS Z10, Z9, Z9
	VEXTRACTF64X4 $1, Z9, Y10
	VADDPS Y10, Y9, Y9
	VEXTRACTF128 $1, Y9, X10
	VADDPS X10, X9, X9
	VMOVHLPS X9, X10, X10
	VADDPS X10, X9, X9
	VMOVSHDUP X9, X10
	VADDSS X10, X9, X9
	VMOVSS X9, ret+56(FP)
	VZEROUPPER
	RET

// ---------------------------------------------------------------- AVX2

#define LOADEXP256 \
	VBROADCASTSS mathConst<>+LOG2E(SB), Y15; \
	VBROADCASTSS mathConst<>+LN2HI(SB), Y14; \
	VBROADCASTSS mathConst<>+LN2LO(SB), Y13; \
	VBROADCASTSS mathConst<>+ONE(SB), Y12; \
	VBROADCASTSS mathConst<>+XMAX(SB), Y11; \
	VBROADCASTSS mathConst<>+XMIN(SB), Y10; \
	VPBROADCASTD mathConst<>+BIAS(SB), Y9

// EXP256(x, n, h, p): p = e**x for x already clamped to [-104, 89]. x, n and
// h are clobbered.
#define EXP256(x, n, h, p) \
	VMULPS x, Y15, n; \
	VROUNDPS $0, n, n; \
	VFNMADD231PS n, Y14, x; \
	VFNMADD231PS n, Y13, x; \
	VMOVUPS mathConst<>+C6(SB), p; \
	VFMADD213PS mathConst<>+C5(SB), x, p; \
	VFMADD213PS mathConst<>+C4(SB), x, p; \
	VFMADD213PS mathConst<>+C3(SB), x, p; \
	VFMADD213PS mathConst<>+C2(SB), x, p; \
	VFMADD213PS Y12, x, p; \
	VFMADD213PS Y12, x, p; \
	VCVTPS2DQ n, n; \
	VPSRAD $1, n, h; \
	VPSUBD h, n, n; \
	VPADDD Y9, h, h; \
	VPSLLD $23, h, h; \
	VMULPS h, p, p; \
	VPADDD Y9, n, n; \
	VPSLLD $23, n, n; \
	VMULPS n, p, p

// EXPF256(x, n, h, p): p = e**x for any x; x, n and h are clobbered.
#define EXPF256(x, n, h, p) \
	VMAXPS x, Y10, x; \
	VMINPS x, Y11, x; \
	EXP256(x, n, h, p)

// SIGMOID256(x, a, n, h, p): p = sigmoid(x); a, n and h are clobbered.
#define SIGMOID256(x, a, n, h, p) \
	VORPS mathConst<>+SIGNMASK(SB), x, a; \
	VMAXPS a, Y10, a; \
	EXP256(a, n, h, p); \
	VADDPS Y12, p, a; \
	VBLENDVPS x, p, Y12, p; \
	VDIVPS a, p, p

// TANH256(x, a, n, h, p, q): p = tanh(x); a, n, h and q are clobbered.
#define TANH256(x, a, n, h, p, q) \
	VANDPS mathConst<>+ABSMASK(SB), x, a; \
	VMULPS mathConst<>+MINUS2(SB), a, q; \
	VMAXPS q, Y10, q; \
	EXP256(q, n, h, p); \
	VSUBPS p, Y12, q; \
	VADDPS p, Y12, p; \
	VDIVPS p, q, p; \
	VCMPPS $0x11, mathConst<>+SMALL(SB), a, h; \
	VMULPS a, a, n; \
	VMOVUPS mathConst<>+T4(SB), q; \
	VFMADD213PS mathConst<>+T3(SB), n, q; \
	VFMADD213PS mathConst<>+T2(SB), n, q; \
	VFMADD213PS mathConst<>+T1(SB), n, q; \
	VFMADD213PS mathConst<>+T0(SB), n, q; \
	VMULPS n, a, n; \
	VFMADD213PS a, n, q; \
	VBLENDVPS h, q, p, p; \
	VXORPS x, a, q; \
	VXORPS q, p, p

// Y6 = mask of the first CX (< 8) lanes; clobbers AX and BX.
#define TAILMASK256 \
	LEAQ tailMask<>+32(SB), AX; \
	MOVQ CX, BX; \
	SHLQ $2, BX; \
	SUBQ BX, AX; \
	VMOVUPS (AX), Y6

// func expAVX2(dst, x []float32)
TEXT ·expAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX
	LOADEXP256

	PCALIGN $16
loop8:
	CMPQ CX, $8
	JB   tail
	VMOVUPS (SI), Y0
	EXPF256(Y0, Y1, Y2, Y3)   // dst[i:i+8] = e**x[i:i+8]
	VMOVUPS Y3, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  loop8

tail:
	TESTQ CX, CX
	JZ    done
	TAILMASK256
	VMASKMOVPS (SI), Y6, Y0
	EXPF256(Y0, Y1, Y2, Y3)
	VMASKMOVPS Y3, Y6, (DI)

done:
	VZEROUPPER
	RET

// func sigmoidAVX2(dst, x []float32)
TEXT ·sigmoidAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX
	LOADEXP256

	PCALIGN $16
loop8:
	CMPQ CX, $8
	JB   tail
	VMOVUPS (SI), Y0
	SIGMOID256(Y0, Y1, Y2, Y3, Y4)   // dst[i:i+8] = sigmoid(x[i:i+8])
	VMOVUPS Y4, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  loop8

tail:
	TESTQ CX, CX
	JZ    done
	TAILMASK256
	VMASKMOVPS (SI), Y6, Y0
	SIGMOID256(Y0, Y1, Y2, Y3, Y4)
	VMASKMOVPS Y4, Y6, (DI)

done:
	VZEROUPPER
	RET

// func tanhAVX2(dst, x []float32)
TEXT ·tanhAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX
	LOADEXP256

	PCALIGN $16
loop8:
	CMPQ CX, $8
	JB   tail
	VMOVUPS (SI), Y0
	TANH256(Y0, Y1, Y2, Y3, Y4, Y5)   // dst[i:i+8] = tanh(x[i:i+8])
	VMOVUPS Y4, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  loop8

tail:
	TESTQ CX, CX
	JZ    done
	TAILMASK256
	VMASKMOVPS (SI), Y6, Y0
	TANH256(Y0, Y1, Y2, Y3, Y4, Y5)
	VMASKMOVPS Y4, Y6, (DI)

done:
	VZEROUPPER
	RET

// func expShiftSumAVX2(dst, x []float32, m float32) float32
TEXT ·expShiftSumAVX2(SB), NOSPLIT, $0-60
	MOVQ dst_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX
	VBROADCASTSS m+48(FP), Y8
	LOADEXP256
	VXORPS Y7, Y7, Y7

	PCALIGN $16
loop8:
	CMPQ CX, $8
	JB   tail
	VMOVUPS (SI), Y0
	VSUBPS Y8, Y0, Y0
	EXPF256(Y0, Y1, Y2, Y3)   // dst[i:i+8] = e**(x[i:i+8]-m)
	VMOVUPS Y3, (DI)
	VADDPS Y3, Y7, Y7
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  loop8

tail:
	TESTQ CX, CX
	JZ    reduce
	TAILMASK256
	VMASKMOVPS (SI), Y6, Y0
	VSUBPS Y8, Y0, Y0
	EXPF256(Y0, Y1, Y2, Y3)
	VMASKMOVPS Y3, Y6, (DI)
	VANDPS Y6, Y3, Y3         // only the active lanes join the sum
	VADDPS Y3, Y7, Y7

reduce:
	VEXTRACTF128 $1, Y7, X0
	VADDPS X0, X7, X7
	VMOVHLPS X7, X0, X0
	VADDPS X0, X7, X7
	VMOVSHDUP X7, X0
	VADDSS X0, X7, X7
	VMOVSS X7, ret+56(FP)
	VZEROUPPER
	RET
