//go:build !purego

#include "textflag.h"

// Transcendental kernels for AVX-512 (ZMM, 16 lanes) and AVX2+FMA (YMM, 8 lanes).
//
// What they compute, as Go (n = len(x) = len(dst), checked by the Go caller):
//
//	for i := range x { dst[i] = e**x[i] }                            // exp*
//	for i := range x { dst[i] = 1 / (1 + e**-x[i]) }                 // sigmoid*
//	for i := range x { dst[i] = tanh(x[i]) }                         // tanh*
//	for i := range x { dst[i] = e**(x[i]-m); s += dst[i] }; return s // expShiftSum*
//
// Algorithm of e**x, per lane, in float32:
//
//	t = x*log2(e) + 1.5*2**23 // one FMA rounds x*log2(e) to the nearest
//	n = t - 1.5*2**23         // integer n, which also sits in t's low bits
//	r = x - n*ln2hi - n*ln2lo // Cody-Waite: ln2hi has 9 significant bits, so
//	                          // n*ln2hi and x - n*ln2hi are exact
//	p = 1 + r + c2 r² + ... + c6 r⁶ // minimax on |r| <= ln2/2, Horner with FMA
//	e**x = p * 2**n
//
// Fast path, taken when every lane of a block has |x| <= 86: the result is a
// normal float, so 2**n is applied by adding n<<23 (t<<23, the shifter's bits
// fall off the top) to p's bits. Otherwise the block takes the general path:
// x is clamped to [-104, 89] (e**-104 rounds to 0 and e**89 overflows, so
// nothing changes but r stays small; NaN passes the clamp) and the scaling
// produces +Inf on overflow and rounds subnormal results once.
// AVX-512 uses VSCALEFPS for that; AVX2 multiplies in two steps,
// p * 2**(n>>1) * 2**(n-n>>1), since n in [-150, 128] does not fit one normal
// float: the first product is exact and the second rounds once.
//
// Sigmoid uses z = e**-|x| in (0, 1], so nothing overflows:
// sigmoid(x) = 1/(1+z) for x >= 0 and z/(1+z) for x < 0 (the latter keeps the
// tiny and subnormal results of large negative x accurate).
//
// Tanh computes E = e**-2a - 1 for a = min(|x|, 9.1) (tanh rounds to ±1 from
// 9.02 on) as an expm1: with the reduction above, E = s*u + (s-1) where
// s = 2**n <= 1 is exact, s-1 is exact, and u = e**r - 1 = r + r²·Q(r) keeps
// full relative accuracy for small r. Then tanh(a) = -E/(2+E), and the sign
// of x is copied onto the result, so tanh(±0) = ±0 and |x| < 2**-25 gives x
// exactly. The -2 is folded in: 2a is an add, and -1/ln(2) and FNMSUB
// supply the signs.
// AVX-512 Tanh trims this to nine FMA-unit operations per vector, the
// resource its loop is bound by:
//   - one-constant reduction r = -2a - n*ln2f (one FNMSUB) instead of the
//     ln2hi/ln2lo pair: n is in [-26, 0] here and ln2f = float32(ln(2)) is
//     within 1.9e-9 of ln(2), so r is off by at most |n|*1.9e-9: a relative
//     error of e**-2a of 2**-28 for n = -1, where it matters most, and at
//     most 5e-8 for n = -26, where e**-2a < 2**-24 hardly shows in tanh;
//   - t = a*(-2/ln(2)) + (1.5*2**23 + 127): the shifter carries the exponent
//     bias, so t's low 9 bits hold n+127 and t<<23 is 2**n with no add;
//   - it rounds 2a*(-1/ln(2)) as a*(-2/ln(2)), the same value, from a, so
//     no register copy is needed;
// and runs three independent 16-lane chains per iteration. AVX2 keeps the
// ln2hi/ln2lo pair, so its results stay bit-identical to NEON's.
//
// NaN inputs propagate: clamps use VMAXPS/VMINPS with x as the Intel second
// source, which is the operand those instructions return when either is NaN,
// and the fast-path range check sends NaN to the general path.
//
// Register map, AVX-512 (constants broadcast once per call):
//
//	all:      Z23 1.0  Z22 89 (upper clamp)  Z21 -104 (lower clamp)
//	          Z20 0x7fffffff (abs mask)  Z19 1.5*2**23 (rounding shifter)
//	          Z18 86 (fast-path bound)  Z15 0x80000000 (sign mask)
//	exp, sigmoid, expShiftSum (table-driven e**x, below):
//	          Z31 16/ln(2)  Z30 ln2hi/16  Z29 ln2lo/16  Z28 1/6  Z27 1/2
//	          Z26 2**(j/16) rounded, j = 0..15  Z17 its rounding errors
//	          Z25 0xff800000  Z24 1/16  Z16 m (expShiftSum)
//	tanh:     Z12 -2/ln(2)  Z30 ln2f  Z28..Z24 c6..c2  Z14 9.1  Z13 2.0
//	          Z19 1.5*2**23 + 127 (shifter with the exponent bias)
//	          work: Z0..Z11, Z16..Z18, Z21, Z22 (Z21/Z22 not clamps here)
//	Z0..Z11 work (Z10, Z11 the two sum accumulators of expShiftSum)
//	K1 tail mask  K3, K4 range checks
//
// AVX-512 e**x is table-driven: VPERMPS looks up a 16-entry table held in
// one register, so the reduction is by ln(2)/16 and a cubic suffices:
//
//	k = round(x*16/ln(2)); r = x - k*ln2hi/16 - k*ln2lo/16   (|r| <= ln(2)/32)
//	q = r*(1 + r/2 + r²/6) ≈ e**r - 1
//	e**x = 2**(k>>4) * (hi + (hi*q + lo)), hi + lo = 2**((k&15)/16)
//
// which takes 7 FMA-unit operations per vector instead of 9.
//
// Register map, AVX2 (the polynomial coefficients are memory operands):
//
//	Y15 log2(e)  Y14 ln2hi  Y13 ln2lo  Y12 1.0  Y11 1.5*2**23
//	Y10 0x7fffffff (abs mask)  Y9 m (expShiftSum) or 9.1 (tanh)
//	Y8 sum accumulator (expShiftSum)  Y7 tail mask (in the tail)
//	Y0..Y7 work; sigmoid also uses Y8 and Y9
//
// Loops: AVX-512 runs 32 elements per iteration (two independent 16-lane
// chains, interleaved; tanh 48 with three), then one 16-lane block (tanh:
// up to two), then the tail; AVX2 runs 16
// per iteration the same way (8 for tanh, which needs more registers), then
// 8, then the tail. Tails: AVX-512 finishes with one masked 16-lane block
// (masked-off lanes are neither read nor written, and do not fault); AVX2
// with one VMASKMOVPS block. The AVX-512 16-lane block and both tails use the
// general path.
// expShiftSum adds only the active lanes of the tail to its sum.

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
#define ABSMASK 352
#define SIGNMASK 384
#define SHIFTER 416
#define RANGE 448
#define TCLAMP 480
#define TWO 512
#define MLOG2E 544
#define BIAS 576
#define LOG2E16 608
#define LN2HI16 640
#define LN2LO16 672
#define C3T 704
#define EXPMASK 736
#define SIXTEENTH 768
#define LN2F 800
#define M2LOG2E 832
#define TSHIFTER 864

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
VEC8(C6, 0x3ab68883)       // e**r ≈ 1 + r + Σ ck r**k, k = 2..6, minimax on |r| <= ln2/2
VEC8(C5, 0x3c0905b6)
VEC8(C4, 0x3d2aaa8d)
VEC8(C3, 0x3e2aaa6e)
VEC8(C2, 0x3f000000)
VEC8(ONE, 0x3f800000)
VEC8(XMAX, 0x42b20000)     // 89: e**89 overflows, and so does every larger x
VEC8(XMIN, 0xc2d00000)     // -104: e**-104 < 2**-150 rounds to 0
VEC8(ABSMASK, 0x7fffffff)
VEC8(SIGNMASK, 0x80000000)
VEC8(SHIFTER, 0x4b400000)  // 1.5*2**23: adding it rounds to an integer
VEC8(RANGE, 0x42ac0000)    // 86: |x| <= 86 keeps e**x normal with |n| <= 125
VEC8(TCLAMP, 0x4111999a)   // 9.1: tanh(9.1) rounds to 1
VEC8(TWO, 0x40000000)
VEC8(MLOG2E, 0xbfb8aa3b)   // -1/ln(2)
VEC8(BIAS, 0x0000007f)     // float32 exponent bias
VEC8(LOG2E16, 0x41b8aa3b)  // 16/ln(2)
VEC8(LN2HI16, 0x3d318000)  // ln2hi/16
VEC8(LN2LO16, 0xb75e8083)  // ln2lo/16
VEC8(C3T, 0x3e2aaaab)      // 1/6
VEC8(EXPMASK, 0xff800000)  // sign and exponent bits
VEC8(SIXTEENTH, 0x3d800000)
VEC8(LN2F, 0x3f317218)     // ln(2) rounded to float32 (AVX-512 tanh's one-constant reduction)
VEC8(M2LOG2E, 0xc038aa3b)  // -2/ln(2)
VEC8(TSHIFTER, 0x4b40007f) // 1.5*2**23 + 127: rounds to an integer n and leaves n+127 in the low bits
GLOBL mathConst<>(SB), RODATA|NOPTR, $896

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

// exp2Table<> holds 2**(j/16) for j = 0..15 rounded to float32 (bytes 0-63)
// and the rounding errors 2**(j/16) - hi (bytes 64-127), for the AVX-512
// table-driven e**x.
DATA exp2Table<>+0(SB)/8, $0x3f85aac33f800000
DATA exp2Table<>+8(SB)/8, $0x3f91c3d33f8b95c2
DATA exp2Table<>+16(SB)/8, $0x3f9ef5323f9837f0
DATA exp2Table<>+24(SB)/8, $0x3fad583f3fa5fed7
DATA exp2Table<>+32(SB)/8, $0x3fbd08a43fb504f3
DATA exp2Table<>+40(SB)/8, $0x3fce248c3fc5672a
DATA exp2Table<>+48(SB)/8, $0x3fe0ccdf3fd744fd
DATA exp2Table<>+56(SB)/8, $0x3ff5257d3feac0c7
DATA exp2Table<>+64(SB)/8, $0x334f989100000000
DATA exp2Table<>+72(SB)/8, $0x33675624b260aba1
DATA exp2Table<>+80(SB)/8, $0x3341234233231b71
DATA exp2Table<>+88(SB)/8, $0xb22deaf6b32c9d5e
DATA exp2Table<>+96(SB)/8, $0xb3414fe832cfe77a
DATA exp2Table<>+104(SB)/8, $0x3228fc24320aa837
DATA exp2Table<>+112(SB)/8, $0xb21eab59b2d4a58a
DATA exp2Table<>+120(SB)/8, $0x32292436b24116de
GLOBL exp2Table<>(SB), RODATA|NOPTR, $128

// ---------------------------------------------------------------- AVX-512

// Constants of every AVX-512 function.
#define LOADCOMMON512 \
	VBROADCASTSS mathConst<>+ONE(SB), Z23; \
	VBROADCASTSS mathConst<>+XMAX(SB), Z22; \
	VBROADCASTSS mathConst<>+XMIN(SB), Z21; \
	VBROADCASTSS mathConst<>+ABSMASK(SB), Z20; \
	VBROADCASTSS mathConst<>+SHIFTER(SB), Z19; \
	VBROADCASTSS mathConst<>+RANGE(SB), Z18; \
	VBROADCASTSS mathConst<>+SIGNMASK(SB), Z15

// Constants of the table-driven e**x (exp, sigmoid, expShiftSum).
#define LOADEXP512 \
	LOADCOMMON512; \
	VBROADCASTSS mathConst<>+LOG2E16(SB), Z31; \
	VBROADCASTSS mathConst<>+LN2HI16(SB), Z30; \
	VBROADCASTSS mathConst<>+LN2LO16(SB), Z29; \
	VBROADCASTSS mathConst<>+C3T(SB), Z28; \
	VBROADCASTSS mathConst<>+C2(SB), Z27; \
	VMOVUPS exp2Table<>+0(SB), Z26; \
	VBROADCASTSS mathConst<>+EXPMASK(SB), Z25; \
	VBROADCASTSS mathConst<>+SIXTEENTH(SB), Z24; \
	VMOVUPS exp2Table<>+64(SB), Z17

// Constants of tanh. Z19 is replaced by the biased shifter; Z18, Z21 and
// Z22 are left for work registers.
#define LOADTANH512 \
	VBROADCASTSS mathConst<>+ONE(SB), Z23; \
	VBROADCASTSS mathConst<>+ABSMASK(SB), Z20; \
	VBROADCASTSS mathConst<>+SIGNMASK(SB), Z15; \
	VBROADCASTSS mathConst<>+TSHIFTER(SB), Z19; \
	VBROADCASTSS mathConst<>+LN2F(SB), Z30; \
	VBROADCASTSS mathConst<>+C6(SB), Z28; \
	VBROADCASTSS mathConst<>+C5(SB), Z27; \
	VBROADCASTSS mathConst<>+C4(SB), Z26; \
	VBROADCASTSS mathConst<>+C3(SB), Z25; \
	VBROADCASTSS mathConst<>+C2(SB), Z24; \
	VBROADCASTSS mathConst<>+TCLAMP(SB), Z14; \
	VBROADCASTSS mathConst<>+TWO(SB), Z13; \
	VBROADCASTSS mathConst<>+M2LOG2E(SB), Z12

// EXPCORE512(x, t, k, q): the table-driven reduction. t = x*16/ln(2) +
// shifter, so t's low bits hold k = round(x*16/ln(2)); k as a float;
// x = r = x - k*ln(2)/16, |r| <= ln(2)/32; q = e**r - 1 = r*(1 + r/2 + r²/6).
#define EXPCORE512(x, t, k, q) \
	VMOVAPS Z19, t; \
	VFMADD231PS x, Z31, t; \
	VSUBPS Z19, t, k; \
	VFNMADD231PS k, Z30, x; \
	VFNMADD231PS k, Z29, x; \
	VMOVAPS Z27, q; \
	VFMADD231PS x, Z28, q; \
	VFMADD213PS Z23, x, q; \
	VMULPS x, q, q

// EXPFAST512(x, t, k, p): p = e**x for |x| <= 86; x, t, k are clobbered.
// e**x = 2**(k>>4) * 2**((k&15)/16) * e**r, with 2**((k&15)/16) = hi + lo
// from the table (VPERMPS uses the low 4 bits of t as the index), and
// hi*e**r = hi + (hi*q + lo). The result is normal, so 2**(k>>4) is added
// to the exponent bits: t<<19 moves k>>4 to bit 23.
#define EXPFAST512(x, t, k, p) \
	EXPCORE512(x, t, k, p); \
	VPERMPS Z17, t, x; \
	VPERMPS Z26, t, k; \
	VFMADD213PS x, k, p; \
	VADDPS k, p, p; \
	VPSLLD $19, t, t; \
	VPANDD Z25, t, t; \
	VPADDD t, p, p

// EXPSLOW512(x, t, k, p): p = e**x for any x; x, t, k are clobbered. The
// clamp keeps r small (and changes no result: e**-104 rounds to 0, e**89
// overflows); VSCALEFPS multiplies by 2**floor(k/16) with overflow to +Inf
// and one rounding into the subnormals.
#define EXPSLOW512(x, t, k, p) \
	VMAXPS x, Z21, x; \
	VMINPS x, Z22, x; \
	EXPCORE512(x, t, k, p); \
	VPERMPS Z17, t, x; \
	VPERMPS Z26, t, t; \
	VFMADD213PS x, t, p; \
	VADDPS t, p, p; \
	VMULPS k, Z24, k; \
	VSCALEFPS k, p, p

// EXPFAST512X2 is EXPFAST512 on two independent blocks, interleaved so
// that both dependency chains are in flight at once.
#define EXPFAST512X2(x0, t0, k0, p0, x1, t1, k1, p1) \
	VMOVAPS Z19, t0; \
	VMOVAPS Z19, t1; \
	VFMADD231PS x0, Z31, t0; \
	VFMADD231PS x1, Z31, t1; \
	VSUBPS Z19, t0, k0; \
	VSUBPS Z19, t1, k1; \
	VFNMADD231PS k0, Z30, x0; \
	VFNMADD231PS k1, Z30, x1; \
	VFNMADD231PS k0, Z29, x0; \
	VFNMADD231PS k1, Z29, x1; \
	VMOVAPS Z27, p0; \
	VMOVAPS Z27, p1; \
	VFMADD231PS x0, Z28, p0; \
	VFMADD231PS x1, Z28, p1; \
	VFMADD213PS Z23, x0, p0; \
	VFMADD213PS Z23, x1, p1; \
	VMULPS x0, p0, p0; \
	VMULPS x1, p1, p1; \
	VPERMPS Z17, t0, x0; \
	VPERMPS Z17, t1, x1; \
	VPERMPS Z26, t0, k0; \
	VPERMPS Z26, t1, k1; \
	VFMADD213PS x0, k0, p0; \
	VFMADD213PS x1, k1, p1; \
	VADDPS k0, p0, p0; \
	VADDPS k1, p1, p1; \
	VPSLLD $19, t0, t0; \
	VPSLLD $19, t1, t1; \
	VPANDD Z25, t0, t0; \
	VPANDD Z25, t1, t1; \
	VPADDD t0, p0, p0; \
	VPADDD t1, p1, p1

// INRANGE512(a0, a1): jumps to slow32 unless |a0| and |a1| are <= 86 in
// every lane (NaN fails); clobbers Z4, Z5, K3, K4.
#define INRANGE512(a0, a1) \
	VPANDD a0, Z20, Z4; \
	VPANDD a1, Z20, Z5; \
	VCMPPS $0x16, Z18, Z4, K3; \
	VCMPPS $0x16, Z18, Z5, K4; \
	KORTESTW K3, K4; \
	JNE slow32

// SIGMOIDARG512(x, a): a = -|x|.
#define SIGMOIDARG512(x, a) \
	VPORD x, Z15, a

// SIGMOIDOUT512(x, p, d): p = z/(1+z) where x's sign bit is set, 1/(1+z)
// elsewhere, for z = p; x and d are clobbered. The numerator is selected
// bitwise (sign of x ? z : 1.0), which needs no mask register. For x = -0
// either choice gives 1/2 (z = 1), and a NaN x gives z = NaN.
#define SIGMOIDOUT512(x, p, d) \
	VADDPS Z23, p, d; \
	VPSRAD $31, x, x; \
	VPTERNLOGD $0xca, Z23, p, x; \
	VDIVPS d, x, p

// TANH512(x, a, n, p, q): p = tanh(x) for one 16-lane block; a, n and q
// are clobbered. Step by step (see the header for the algorithm):
//
//	VPANDD x, Z20, a               // a = |x|
//	VMINPS a, Z14, a               // a = min(a, 9.1); a NaN stays NaN
//	VADDPS a, a, q                 // q = 2a
//	VFMADD213PS Z19, Z12, a        // a = t = a*(-2/ln2) + shifter
//	VSUBPS Z19, a, n               // n = round(-2a/ln2)
//	VFNMSUB231PS n, Z30, q         // q = r = -2a - n*ln2f
//	VMULPS q, q, n                 // n = r²
//	VMOVAPS Z27, p
//	VFMADD231PS q, Z28, p          // p = c5 + c6*r
//	VFMADD213PS Z26, q, p
//	VFMADD213PS Z25, q, p
//	VFMADD213PS Z24, q, p          // p = Q(r) = c2 + c3*r + ... + c6*r⁴
//	VFMADD213PS q, n, p            // p = u = r + r²*Q(r) = e**r - 1
//	VPSLLD $23, a, a               // a = s = 2**n
//	VSUBPS Z23, a, q               // q = s - 1, exact
//	VFMADD213PS q, a, p            // p = E = s*u + (s-1) = e**-2a - 1
//	VADDPS Z13, p, q               // q = 2 + E
//	VDIVPS q, p, p                 // p = E/(2+E) = -tanh(a)
//	VPTERNLOGD $0xd8, Z15, x, p    // p = |p| with the sign of x
#define TANH512(x, a, n, p, q) \
	VPANDD x, Z20, a; \
	VMINPS a, Z14, a; \
	VADDPS a, a, q; \
	VFMADD213PS Z19, Z12, a; \
	VSUBPS Z19, a, n; \
	VFNMSUB231PS n, Z30, q; \
	VMULPS q, q, n; \
	VMOVAPS Z27, p; \
	VFMADD231PS q, Z28, p; \
	VFMADD213PS Z26, q, p; \
	VFMADD213PS Z25, q, p; \
	VFMADD213PS Z24, q, p; \
	VFMADD213PS q, n, p; \
	VPSLLD $23, a, a; \
	VSUBPS Z23, a, q; \
	VFMADD213PS q, a, p; \
	VADDPS Z13, p, q; \
	VDIVPS q, p, p; \
	VPTERNLOGD $0xd8, Z15, x, p

// TANH512X3 is TANH512 on three independent blocks, interleaved.
#define TANH512X3(x0, a0, n0, p0, q0, x1, a1, n1, p1, q1, x2, a2, n2, p2, q2) \
	VPANDD x0, Z20, a0; \
	VPANDD x1, Z20, a1; \
	VPANDD x2, Z20, a2; \
	VMINPS a0, Z14, a0; \
	VMINPS a1, Z14, a1; \
	VMINPS a2, Z14, a2; \
	VADDPS a0, a0, q0; \
	VADDPS a1, a1, q1; \
	VADDPS a2, a2, q2; \
	VFMADD213PS Z19, Z12, a0; \
	VFMADD213PS Z19, Z12, a1; \
	VFMADD213PS Z19, Z12, a2; \
	VSUBPS Z19, a0, n0; \
	VSUBPS Z19, a1, n1; \
	VSUBPS Z19, a2, n2; \
	VFNMSUB231PS n0, Z30, q0; \
	VFNMSUB231PS n1, Z30, q1; \
	VFNMSUB231PS n2, Z30, q2; \
	VMULPS q0, q0, n0; \
	VMULPS q1, q1, n1; \
	VMULPS q2, q2, n2; \
	VMOVAPS Z27, p0; \
	VMOVAPS Z27, p1; \
	VMOVAPS Z27, p2; \
	VFMADD231PS q0, Z28, p0; \
	VFMADD231PS q1, Z28, p1; \
	VFMADD231PS q2, Z28, p2; \
	VFMADD213PS Z26, q0, p0; \
	VFMADD213PS Z26, q1, p1; \
	VFMADD213PS Z26, q2, p2; \
	VFMADD213PS Z25, q0, p0; \
	VFMADD213PS Z25, q1, p1; \
	VFMADD213PS Z25, q2, p2; \
	VFMADD213PS Z24, q0, p0; \
	VFMADD213PS Z24, q1, p1; \
	VFMADD213PS Z24, q2, p2; \
	VFMADD213PS q0, n0, p0; \
	VFMADD213PS q1, n1, p1; \
	VFMADD213PS q2, n2, p2; \
	VPSLLD $23, a0, a0; \
	VPSLLD $23, a1, a1; \
	VPSLLD $23, a2, a2; \
	VSUBPS Z23, a0, q0; \
	VSUBPS Z23, a1, q1; \
	VSUBPS Z23, a2, q2; \
	VFMADD213PS q0, a0, p0; \
	VFMADD213PS q1, a1, p1; \
	VFMADD213PS q2, a2, p2; \
	VADDPS Z13, p0, q0; \
	VADDPS Z13, p1, q1; \
	VADDPS Z13, p2, q2; \
	VDIVPS q0, p0, p0; \
	VDIVPS q1, p1, p1; \
	VDIVPS q2, p2, p2; \
	VPTERNLOGD $0xd8, Z15, x0, p0; \
	VPTERNLOGD $0xd8, Z15, x1, p1; \
	VPTERNLOGD $0xd8, Z15, x2, p2

// K1 = (1<<CX) - 1, the mask of the last CX (< 16) lanes.
#define TAILMASK512 \
	MOVL $1, AX; \
	SHLL CX, AX; \
	DECL AX; \
	KMOVW AX, K1

#define PROLOGUE512 \
	MOVQ dst_base+0(FP), DI; \
	MOVQ x_base+24(FP), SI; \
	MOVQ x_len+32(FP), CX

#define ADVANCE32 \
	ADDQ $128, SI; \
	ADDQ $128, DI; \
	SUBQ $32, CX

// func expAVX512(dst, x []float32)
TEXT ·expAVX512(SB), NOSPLIT, $0-48
	PROLOGUE512
	LOADEXP512

	PCALIGN $16
loop32:
	CMPQ CX, $32
	JB   block16
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z1
	INRANGE512(Z0, Z1)
	EXPFAST512X2(Z0, Z2, Z3, Z4, Z1, Z5, Z6, Z7)   // dst[i:i+32] = e**x[i:i+32]
	VMOVUPS Z4, (DI)
	VMOVUPS Z7, 64(DI)
	ADVANCE32
	JMP  loop32

slow32:
	EXPSLOW512(Z0, Z2, Z3, Z4)
	EXPSLOW512(Z1, Z5, Z6, Z7)
	VMOVUPS Z4, (DI)
	VMOVUPS Z7, 64(DI)
	ADVANCE32
	JMP  loop32

block16:
	CMPQ CX, $16
	JB   tail
	VMOVUPS (SI), Z0
	EXPSLOW512(Z0, Z2, Z3, Z4)
	VMOVUPS Z4, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX

tail:
	TESTQ CX, CX
	JZ    done
	TAILMASK512
	VMOVUPS.Z (SI), K1, Z0
	EXPSLOW512(Z0, Z2, Z3, Z4)
	VMOVUPS Z4, K1, (DI)

done:
	VZEROUPPER
	RET

// func sigmoidAVX512(dst, x []float32)
TEXT ·sigmoidAVX512(SB), NOSPLIT, $0-48
	PROLOGUE512
	LOADEXP512

	PCALIGN $16
loop32:
	CMPQ CX, $32
	JB   block16
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z1
	INRANGE512(Z0, Z1)
	SIGMOIDARG512(Z0, Z2)
	SIGMOIDARG512(Z1, Z3)
	EXPFAST512X2(Z2, Z4, Z5, Z6, Z3, Z7, Z8, Z9)   // z = e**-|x[i:i+32]|
	SIGMOIDOUT512(Z0, Z6, Z2)    // dst[i:i+16] = sigmoid(x[i:i+16])
	SIGMOIDOUT512(Z1, Z9, Z3)
	VMOVUPS Z6, (DI)
	VMOVUPS Z9, 64(DI)
	ADVANCE32
	JMP  loop32

slow32:
	SIGMOIDARG512(Z0, Z2)
	SIGMOIDARG512(Z1, Z3)
	EXPSLOW512(Z2, Z4, Z5, Z6)
	EXPSLOW512(Z3, Z7, Z8, Z9)
	SIGMOIDOUT512(Z0, Z6, Z2)
	SIGMOIDOUT512(Z1, Z9, Z3)
	VMOVUPS Z6, (DI)
	VMOVUPS Z9, 64(DI)
	ADVANCE32
	JMP  loop32

block16:
	CMPQ CX, $16
	JB   tail
	VMOVUPS (SI), Z0
	SIGMOIDARG512(Z0, Z2)
	EXPSLOW512(Z2, Z4, Z5, Z6)
	SIGMOIDOUT512(Z0, Z6, Z2)
	VMOVUPS Z6, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX

tail:
	TESTQ CX, CX
	JZ    done
	TAILMASK512
	VMOVUPS.Z (SI), K1, Z0
	SIGMOIDARG512(Z0, Z2)
	EXPSLOW512(Z2, Z4, Z5, Z6)
	SIGMOIDOUT512(Z0, Z6, Z2)
	VMOVUPS Z6, K1, (DI)

done:
	VZEROUPPER
	RET

// func tanhAVX512(dst, x []float32)
TEXT ·tanhAVX512(SB), NOSPLIT, $0-48
	PROLOGUE512
	LOADTANH512

	PCALIGN $16
loop48:
	CMPQ CX, $48
	JB   block16
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z5
	VMOVUPS 128(SI), Z10
	TANH512X3(Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8, Z9, Z10, Z11, Z16, Z17, Z18)   // dst[i:i+48] = tanh(x[i:i+48])
	VMOVUPS Z3, (DI)
	VMOVUPS Z8, 64(DI)
	VMOVUPS Z17, 128(DI)
	ADDQ $192, SI
	ADDQ $192, DI
	SUBQ $48, CX
	JMP  loop48

block16:
	CMPQ CX, $16
	JB   tail
	VMOVUPS (SI), Z0
	TANH512(Z0, Z1, Z2, Z3, Z4)   // dst[i:i+16] = tanh(x[i:i+16])
	VMOVUPS Z3, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  block16

tail:
	TESTQ CX, CX
	JZ    done
	TAILMASK512
	VMOVUPS.Z (SI), K1, Z0
	TANH512(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z3, K1, (DI)

done:
	VZEROUPPER
	RET

// func expShiftSumAVX512(dst, x []float32, m float32) float32
TEXT ·expShiftSumAVX512(SB), NOSPLIT, $0-60
	PROLOGUE512
	LOADEXP512
	VBROADCASTSS m+48(FP), Z16
	VXORPS Z10, Z10, Z10
	VXORPS Z11, Z11, Z11

	PCALIGN $16
loop32:
	CMPQ CX, $32
	JB   block16
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z1
	VSUBPS Z16, Z0, Z0           // x[i:i+16] - m
	VSUBPS Z16, Z1, Z1
	INRANGE512(Z0, Z1)
	EXPFAST512X2(Z0, Z2, Z3, Z4, Z1, Z5, Z6, Z7)   // dst[i:i+32] = e**(x[i:i+32]-m)
	VMOVUPS Z4, (DI)
	VMOVUPS Z7, 64(DI)
	VADDPS Z4, Z10, Z10          // two accumulators, so the adds do not serialise
	VADDPS Z7, Z11, Z11
	ADVANCE32
	JMP  loop32

slow32:
	EXPSLOW512(Z0, Z2, Z3, Z4)
	EXPSLOW512(Z1, Z5, Z6, Z7)
	VMOVUPS Z4, (DI)
	VMOVUPS Z7, 64(DI)
	VADDPS Z4, Z10, Z10
	VADDPS Z7, Z11, Z11
	ADVANCE32
	JMP  loop32

block16:
	CMPQ CX, $16
	JB   tail
	VMOVUPS (SI), Z0
	VSUBPS Z16, Z0, Z0
	EXPSLOW512(Z0, Z2, Z3, Z4)
	VMOVUPS Z4, (DI)
	VADDPS Z4, Z10, Z10
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX

tail:
	TESTQ CX, CX
	JZ    reduce
	TAILMASK512
	VMOVUPS.Z (SI), K1, Z0
	VSUBPS Z16, Z0, Z0
	EXPSLOW512(Z0, Z2, Z3, Z4)
	VMOVUPS Z4, K1, (DI)
	VADDPS Z4, Z11, K1, Z11      // only the active lanes join the sum

reduce:
	// Horizontal sum of Z10 + Z11.
	VADDPS Z11, Z10, Z10
	VEXTRACTF64X4 $1, Z10, Y11
	VADDPS Y11, Y10, Y10
	VEXTRACTF128 $1, Y10, X11
	VADDPS X11, X10, X10
	VMOVHLPS X10, X11, X11
	VADDPS X11, X10, X10
	VMOVSHDUP X10, X11
	VADDSS X11, X10, X10
	VMOVSS X10, ret+56(FP)
	VZEROUPPER
	RET

// ---------------------------------------------------------------- AVX2

#define LOADCONST256 \
	VBROADCASTSS mathConst<>+LOG2E(SB), Y15; \
	VBROADCASTSS mathConst<>+LN2HI(SB), Y14; \
	VBROADCASTSS mathConst<>+LN2LO(SB), Y13; \
	VBROADCASTSS mathConst<>+ONE(SB), Y12; \
	VBROADCASTSS mathConst<>+SHIFTER(SB), Y11; \
	VBROADCASTSS mathConst<>+ABSMASK(SB), Y10

// EXPCORE256(x, t, n, p): t = x*log2(e) + shifter, n = round(x*log2(e)),
// x = r, p = e**r.
#define EXPCORE256(x, t, n, p) \
	VMOVAPS Y11, t; \
	VFMADD231PS x, Y15, t; \
	VSUBPS Y11, t, n; \
	VFNMADD231PS n, Y14, x; \
	VFNMADD231PS n, Y13, x; \
	VMOVUPS mathConst<>+C6(SB), p; \
	VFMADD213PS mathConst<>+C5(SB), x, p; \
	VFMADD213PS mathConst<>+C4(SB), x, p; \
	VFMADD213PS mathConst<>+C3(SB), x, p; \
	VFMADD213PS mathConst<>+C2(SB), x, p; \
	VFMADD213PS Y12, x, p; \
	VFMADD213PS Y12, x, p

// EXPFAST256(x, t, n, p): p = e**x for |x| <= 86; x, t, n are clobbered.
#define EXPFAST256(x, t, n, p) \
	EXPCORE256(x, t, n, p); \
	VPSLLD $23, t, t; \
	VPADDD t, p, p

// EXPSLOW256(x, t, n, p): p = e**x for any x; x, t, n are clobbered. t's
// low bits hold n; the two factors are 2**(n>>1) and 2**(n - n>>1).
#define EXPSLOW256(x, t, n, p) \
	VBROADCASTSS mathConst<>+XMIN(SB), n; \
	VMAXPS x, n, x; \
	VBROADCASTSS mathConst<>+XMAX(SB), n; \
	VMINPS x, n, x; \
	EXPCORE256(x, t, n, p); \
	VPSUBD mathConst<>+SHIFTER(SB), t, t; \
	VPSRAD $1, t, n; \
	VPSUBD n, t, t; \
	VPADDD mathConst<>+BIAS(SB), n, n; \
	VPSLLD $23, n, n; \
	VMULPS n, p, p; \
	VPADDD mathConst<>+BIAS(SB), t, t; \
	VPSLLD $23, t, t; \
	VMULPS t, p, p

// EXPFAST256X2 is EXPFAST256 on two independent blocks, interleaved.
#define EXPFAST256X2(x0, t0, n0, p0, x1, t1, n1, p1) \
	VMOVAPS Y11, t0; \
	VMOVAPS Y11, t1; \
	VFMADD231PS x0, Y15, t0; \
	VFMADD231PS x1, Y15, t1; \
	VSUBPS Y11, t0, n0; \
	VSUBPS Y11, t1, n1; \
	VFNMADD231PS n0, Y14, x0; \
	VFNMADD231PS n1, Y14, x1; \
	VFNMADD231PS n0, Y13, x0; \
	VFNMADD231PS n1, Y13, x1; \
	VMOVUPS mathConst<>+C6(SB), p0; \
	VMOVUPS mathConst<>+C6(SB), p1; \
	VFMADD213PS mathConst<>+C5(SB), x0, p0; \
	VFMADD213PS mathConst<>+C5(SB), x1, p1; \
	VFMADD213PS mathConst<>+C4(SB), x0, p0; \
	VFMADD213PS mathConst<>+C4(SB), x1, p1; \
	VFMADD213PS mathConst<>+C3(SB), x0, p0; \
	VFMADD213PS mathConst<>+C3(SB), x1, p1; \
	VFMADD213PS mathConst<>+C2(SB), x0, p0; \
	VFMADD213PS mathConst<>+C2(SB), x1, p1; \
	VFMADD213PS Y12, x0, p0; \
	VFMADD213PS Y12, x1, p1; \
	VFMADD213PS Y12, x0, p0; \
	VFMADD213PS Y12, x1, p1; \
	VPSLLD $23, t0, t0; \
	VPSLLD $23, t1, t1; \
	VPADDD t0, p0, p0; \
	VPADDD t1, p1, p1

// INRANGE256X2(a0, a1, k0, k1): jumps to slow16 unless |a0| and |a1| are
// <= 86 in every lane (NaN fails); clobbers k0 and k1.
#define INRANGE256X2(a0, a1, k0, k1) \
	VANDPS a0, Y10, k0; \
	VANDPS a1, Y10, k1; \
	VCMPPS $0x16, mathConst<>+RANGE(SB), k0, k0; \
	VCMPPS $0x16, mathConst<>+RANGE(SB), k1, k1; \
	VORPS k1, k0, k0; \
	VTESTPS k0, k0; \
	JNE slow16

// INRANGE256(a, k): jumps to slow8 unless |a| <= 86 in every lane (NaN
// fails); clobbers k.
#define INRANGE256(a, k) \
	VANDPS a, Y10, k; \
	VCMPPS $0x16, mathConst<>+RANGE(SB), k, k; \
	VTESTPS k, k; \
	JNE slow8

// SIGMOIDOUT256(x, p, d): p = z/(1+z) where x < 0, 1/(1+z) elsewhere, for
// z = p; d is clobbered.
#define SIGMOIDOUT256(x, p, d) \
	VADDPS Y12, p, d; \
	VBLENDVPS x, p, Y12, p; \
	VDIVPS d, p, p

// TANH256(x, a, t, n, p, q): p = tanh(x); a, t, n and q are clobbered.
#define TANH256(x, a, t, n, p, q) \
	VANDPS x, Y10, a; \
	VMINPS a, Y9, a; \
	VADDPS a, a, a; \
	VMOVAPS Y11, t; \
	VFMADD231PS mathConst<>+MLOG2E(SB), a, t; \
	VSUBPS Y11, t, n; \
	VFNMSUB231PS n, Y14, a; \
	VFNMADD231PS n, Y13, a; \
	VMULPS a, a, q; \
	VMOVUPS mathConst<>+C6(SB), p; \
	VFMADD213PS mathConst<>+C5(SB), a, p; \
	VFMADD213PS mathConst<>+C4(SB), a, p; \
	VFMADD213PS mathConst<>+C3(SB), a, p; \
	VFMADD213PS mathConst<>+C2(SB), a, p; \
	VFMADD213PS a, q, p; \
	VPSLLD $23, t, t; \
	VPADDD Y12, t, t; \
	VSUBPS Y12, t, q; \
	VFMADD213PS q, t, p; \
	VADDPS mathConst<>+TWO(SB), p, q; \
	VDIVPS q, p, p; \
	VANDPS p, Y10, p; \
	VANDNPS x, Y10, q; \
	VORPS q, p, p

// Y7 = mask of the first CX (< 8) lanes; clobbers AX and BX.
#define TAILMASK256 \
	LEAQ tailMask<>+32(SB), AX; \
	MOVQ CX, BX; \
	SHLQ $2, BX; \
	SUBQ BX, AX; \
	VMOVUPS (AX), Y7

#define PROLOGUE256 \
	MOVQ dst_base+0(FP), DI; \
	MOVQ x_base+24(FP), SI; \
	MOVQ x_len+32(FP), CX; \
	LOADCONST256

#define ADVANCE16 \
	ADDQ $64, SI; \
	ADDQ $64, DI; \
	SUBQ $16, CX

#define ADVANCE8 \
	ADDQ $32, SI; \
	ADDQ $32, DI; \
	SUBQ $8, CX

// func expAVX2(dst, x []float32)
TEXT ·expAVX2(SB), NOSPLIT, $0-48
	PROLOGUE256

	PCALIGN $16
loop16:
	CMPQ CX, $16
	JB   loop8
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y4
	INRANGE256X2(Y0, Y4, Y1, Y5)
	EXPFAST256X2(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7)   // dst[i:i+16] = e**x[i:i+16]
	VMOVUPS Y3, (DI)
	VMOVUPS Y7, 32(DI)
	ADVANCE16
	JMP  loop16

slow16:
	EXPSLOW256(Y0, Y1, Y2, Y3)
	EXPSLOW256(Y4, Y5, Y6, Y7)
	VMOVUPS Y3, (DI)
	VMOVUPS Y7, 32(DI)
	ADVANCE16
	JMP  loop16

loop8:
	CMPQ CX, $8
	JB   tail
	VMOVUPS (SI), Y0
	INRANGE256(Y0, Y1)
	EXPFAST256(Y0, Y1, Y2, Y3)   // dst[i:i+8] = e**x[i:i+8]
	VMOVUPS Y3, (DI)
	ADVANCE8
	JMP  loop8

slow8:
	EXPSLOW256(Y0, Y1, Y2, Y3)
	VMOVUPS Y3, (DI)
	ADVANCE8
	JMP  loop8

tail:
	TESTQ CX, CX
	JZ    done
	TAILMASK256
	VMASKMOVPS (SI), Y7, Y0
	EXPSLOW256(Y0, Y1, Y2, Y3)
	VMASKMOVPS Y3, Y7, (DI)

done:
	VZEROUPPER
	RET

// func sigmoidAVX2(dst, x []float32)
TEXT ·sigmoidAVX2(SB), NOSPLIT, $0-48
	PROLOGUE256

	PCALIGN $16
loop16:
	CMPQ CX, $16
	JB   loop8
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y4
	INRANGE256X2(Y0, Y4, Y1, Y5)
	VORPS mathConst<>+SIGNMASK(SB), Y0, Y8   // -|x|
	VORPS mathConst<>+SIGNMASK(SB), Y4, Y9
	EXPFAST256X2(Y8, Y1, Y2, Y3, Y9, Y5, Y6, Y7)   // z = e**-|x[i:i+16]|
	SIGMOIDOUT256(Y0, Y3, Y8)                     // dst[i:i+16] = sigmoid(x[i:i+16])
	SIGMOIDOUT256(Y4, Y7, Y9)
	VMOVUPS Y3, (DI)
	VMOVUPS Y7, 32(DI)
	ADVANCE16
	JMP  loop16

slow16:
	VORPS mathConst<>+SIGNMASK(SB), Y0, Y8
	VORPS mathConst<>+SIGNMASK(SB), Y4, Y9
	EXPSLOW256(Y8, Y1, Y2, Y3)
	EXPSLOW256(Y9, Y5, Y6, Y7)
	SIGMOIDOUT256(Y0, Y3, Y8)
	SIGMOIDOUT256(Y4, Y7, Y9)
	VMOVUPS Y3, (DI)
	VMOVUPS Y7, 32(DI)
	ADVANCE16
	JMP  loop16

loop8:
	CMPQ CX, $8
	JB   tail
	VMOVUPS (SI), Y0
	INRANGE256(Y0, Y1)
	VORPS mathConst<>+SIGNMASK(SB), Y0, Y4   // -|x|
	EXPFAST256(Y4, Y1, Y2, Y3)                // z = e**-|x[i:i+8]|
	SIGMOIDOUT256(Y0, Y3, Y4)                 // dst[i:i+8] = sigmoid(x[i:i+8])
	VMOVUPS Y3, (DI)
	ADVANCE8
	JMP  loop8

slow8:
	VORPS mathConst<>+SIGNMASK(SB), Y0, Y4
	EXPSLOW256(Y4, Y1, Y2, Y3)
	SIGMOIDOUT256(Y0, Y3, Y4)
	VMOVUPS Y3, (DI)
	ADVANCE8
	JMP  loop8

tail:
	TESTQ CX, CX
	JZ    done
	TAILMASK256
	VMASKMOVPS (SI), Y7, Y0
	VORPS mathConst<>+SIGNMASK(SB), Y0, Y4
	EXPSLOW256(Y4, Y1, Y2, Y3)
	SIGMOIDOUT256(Y0, Y3, Y4)
	VMASKMOVPS Y3, Y7, (DI)

done:
	VZEROUPPER
	RET

// func tanhAVX2(dst, x []float32)
TEXT ·tanhAVX2(SB), NOSPLIT, $0-48
	PROLOGUE256
	VBROADCASTSS mathConst<>+TCLAMP(SB), Y9

	PCALIGN $16
loop8:
	CMPQ CX, $8
	JB   tail
	VMOVUPS (SI), Y0
	TANH256(Y0, Y1, Y2, Y3, Y4, Y5)   // dst[i:i+8] = tanh(x[i:i+8])
	VMOVUPS Y4, (DI)
	ADVANCE8
	JMP  loop8

tail:
	TESTQ CX, CX
	JZ    done
	TAILMASK256
	VMASKMOVPS (SI), Y7, Y0
	TANH256(Y0, Y1, Y2, Y3, Y4, Y5)
	VMASKMOVPS Y4, Y7, (DI)

done:
	VZEROUPPER
	RET

// func expShiftSumAVX2(dst, x []float32, m float32) float32
TEXT ·expShiftSumAVX2(SB), NOSPLIT, $0-60
	PROLOGUE256
	VBROADCASTSS m+48(FP), Y9
	VXORPS Y8, Y8, Y8

	PCALIGN $16
loop16:
	CMPQ CX, $16
	JB   loop8
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y4
	VSUBPS Y9, Y0, Y0            // x[i:i+16] - m
	VSUBPS Y9, Y4, Y4
	INRANGE256X2(Y0, Y4, Y1, Y5)
	EXPFAST256X2(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7)   // dst[i:i+16] = e**(x[i:i+16]-m)
	VMOVUPS Y3, (DI)
	VMOVUPS Y7, 32(DI)
	VADDPS Y3, Y8, Y8
	VADDPS Y7, Y8, Y8
	ADVANCE16
	JMP  loop16

slow16:
	EXPSLOW256(Y0, Y1, Y2, Y3)
	EXPSLOW256(Y4, Y5, Y6, Y7)
	VMOVUPS Y3, (DI)
	VMOVUPS Y7, 32(DI)
	VADDPS Y3, Y8, Y8
	VADDPS Y7, Y8, Y8
	ADVANCE16
	JMP  loop16

loop8:
	CMPQ CX, $8
	JB   tail
	VMOVUPS (SI), Y0
	VSUBPS Y9, Y0, Y0            // x[i:i+8] - m
	INRANGE256(Y0, Y1)
	EXPFAST256(Y0, Y1, Y2, Y3)   // dst[i:i+8] = e**(x[i:i+8]-m)
	VMOVUPS Y3, (DI)
	VADDPS Y3, Y8, Y8
	ADVANCE8
	JMP  loop8

slow8:
	EXPSLOW256(Y0, Y1, Y2, Y3)
	VMOVUPS Y3, (DI)
	VADDPS Y3, Y8, Y8
	ADVANCE8
	JMP  loop8

tail:
	TESTQ CX, CX
	JZ    reduce
	TAILMASK256
	VMASKMOVPS (SI), Y7, Y0
	VSUBPS Y9, Y0, Y0
	EXPSLOW256(Y0, Y1, Y2, Y3)
	VMASKMOVPS Y3, Y7, (DI)
	VANDPS Y7, Y3, Y3            // only the active lanes join the sum
	VADDPS Y3, Y8, Y8

reduce:
	VEXTRACTF128 $1, Y8, X0
	VADDPS X0, X8, X8
	VMOVHLPS X8, X0, X0
	VADDPS X0, X8, X8
	VMOVSHDUP X8, X0
	VADDSS X0, X8, X8
	VMOVSS X8, ret+56(FP)
	VZEROUPPER
	RET
