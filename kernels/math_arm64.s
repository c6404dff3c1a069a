//go:build !purego

#include "textflag.h"

// Transcendental kernels for arm64 NEON (4 lanes per vector).
//
// What they compute, as Go (n = len(x) = len(dst), a multiple of 4: the Go
// caller checks the lengths and runs the last n%4 elements through a
// 4-element buffer, so these loops never read or write past the slices):
//
//	for i := range x { dst[i] = e**x[i] }                            // expNEON
//	for i := range x { dst[i] = 1 / (1 + e**-x[i]) }                 // sigmoidNEON
//	for i := range x { dst[i] = tanh(x[i]) }                         // tanhNEON
//	for i := range x { dst[i] = e**(x[i]-m); s += dst[i] }; return s // expShiftSumNEON
//
// The algorithms are those of the AVX2 kernels in math_amd64.s (see its
// header for the derivation), operation for operation, so neon and avx2
// return the same bits:
//
//	e**x:    x = clamp(x, -104, 89); t = x*log2(e) + 1.5*2**23; n = t - 1.5*2**23
//	         r = x - n*ln2hi - n*ln2lo; p = 1 + r + c2 r² + ... + c6 r⁶
//	         e**x = p * 2**(n>>1) * 2**(n - n>>1)   (exact, then one rounding,
//	         so overflow gives +Inf and subnormal results are correctly rounded)
//	sigmoid: z = e**-|x|; (x >= 0 ? 1 : z) / (1 + z)
//	tanh:    a = min(|x|, 9.1); E = e**-2a - 1 = s*u + (s-1) with s = 2**n and
//	         u = r + r²·Q(r); tanh(x) = |E/(E+2)| with the sign of x
//
// NaN propagates: FMAX and FMIN return NaN when either operand is NaN.
// Go's assembler has no vector FADD, FSUB, FMUL, FDIV, FMAX, FMIN, FCMGE,
// FNEG, SSHR or FADDP, so those are WORDs whose trailing comment is the
// instruction in GNU syntax (checked by kernels/internal/wordcheck). The
// comment explaining each WORD is on the line above it.
//
// Register map:
//
//	V16 log2(e)  V17 ln2hi  V18 ln2lo  V19 1.5*2**23 (rounding shifter)
//	V20..V24 c6..c2  V25 1.0  V26 -104  V27 89  V28 127 (int32 exponent bias)
//	V29 0x7fffffff (abs mask)  V30 0x80000000 (sign mask; 2.0 in tanh; m in
//	expShiftSum)  V31 9.1 (tanh clamp; the sum in expShiftSum)
//	V0 x  V1..V7 work
//	R0 dst  R1 x  R2 elements left  R3 constant table
//
// One vector per iteration: the chains are long and independent across
// iterations, so an out-of-order core overlaps them.

// Constant table, each constant replicated over 16 bytes so that VLD1 loads
// four of them into four registers at once.
DATA mathConst<>+0(SB)/8, $0x3fb8aa3b3fb8aa3b // log2(e)
DATA mathConst<>+8(SB)/8, $0x3fb8aa3b3fb8aa3b
DATA mathConst<>+16(SB)/8, $0x3f3180003f318000 // ln2hi = 0.693359375, 9 significant bits
DATA mathConst<>+24(SB)/8, $0x3f3180003f318000
DATA mathConst<>+32(SB)/8, $0xb95e8083b95e8083 // ln2lo = ln(2) - ln2hi
DATA mathConst<>+40(SB)/8, $0xb95e8083b95e8083
DATA mathConst<>+48(SB)/8, $0x4b4000004b400000 // 1.5*2**23
DATA mathConst<>+56(SB)/8, $0x4b4000004b400000
DATA mathConst<>+64(SB)/8, $0x3ab688833ab68883 // c6: e**r ≈ 1 + r + Σ ck r**k, minimax on |r| <= ln2/2
DATA mathConst<>+72(SB)/8, $0x3ab688833ab68883
DATA mathConst<>+80(SB)/8, $0x3c0905b63c0905b6 // c5
DATA mathConst<>+88(SB)/8, $0x3c0905b63c0905b6
DATA mathConst<>+96(SB)/8, $0x3d2aaa8d3d2aaa8d // c4
DATA mathConst<>+104(SB)/8, $0x3d2aaa8d3d2aaa8d
DATA mathConst<>+112(SB)/8, $0x3e2aaa6e3e2aaa6e // c3
DATA mathConst<>+120(SB)/8, $0x3e2aaa6e3e2aaa6e
DATA mathConst<>+128(SB)/8, $0x3f0000003f000000 // c2
DATA mathConst<>+136(SB)/8, $0x3f0000003f000000
DATA mathConst<>+144(SB)/8, $0x3f8000003f800000 // 1.0
DATA mathConst<>+152(SB)/8, $0x3f8000003f800000
DATA mathConst<>+160(SB)/8, $0xc2d00000c2d00000 // -104: e**-104 rounds to 0
DATA mathConst<>+168(SB)/8, $0xc2d00000c2d00000
DATA mathConst<>+176(SB)/8, $0x42b2000042b20000 // 89: e**89 overflows
DATA mathConst<>+184(SB)/8, $0x42b2000042b20000
DATA mathConst<>+192(SB)/8, $0x0000007f0000007f // 127
DATA mathConst<>+200(SB)/8, $0x0000007f0000007f
DATA mathConst<>+208(SB)/8, $0x7fffffff7fffffff // abs mask
DATA mathConst<>+216(SB)/8, $0x7fffffff7fffffff
DATA mathConst<>+224(SB)/8, $0x8000000080000000 // sign mask
DATA mathConst<>+232(SB)/8, $0x8000000080000000
DATA mathConst<>+240(SB)/8, $0x4111999a4111999a // 9.1: tanh(9.1) rounds to 1
DATA mathConst<>+248(SB)/8, $0x4111999a4111999a
DATA mathConst<>+256(SB)/8, $0x4000000040000000 // 2.0
DATA mathConst<>+264(SB)/8, $0x4000000040000000
GLOBL mathConst<>(SB), RODATA|NOPTR, $272

// func expNEON(dst, x []float32)
TEXT ·expNEON(SB), NOSPLIT|NOFRAME, $0-48
	MOVD dst_base+0(FP), R0
	MOVD x_base+24(FP), R1
	MOVD x_len+32(FP), R2
	MOVD $mathConst<>(SB), R3
	VLD1.P 64(R3), [V16.S4, V17.S4, V18.S4, V19.S4] // log2(e), ln2hi, ln2lo, shifter
	VLD1.P 64(R3), [V20.S4, V21.S4, V22.S4, V23.S4] // c6, c5, c4, c3
	VLD1.P 64(R3), [V24.S4, V25.S4, V26.S4, V27.S4] // c2, 1.0, -104, 89
	VLD1.P 64(R3), [V28.S4, V29.S4, V30.S4, V31.S4] // 127, abs mask, sign mask, 9.1
	CBZ R2, done

loop:
	VLD1.P 16(R1), [V0.S4]              // x[i:i+4]
	// x = max(x, -104); NaN stays NaN
	WORD $0x4e3af400 // fmax v0.4s, v0.4s, v26.4s
	// x = min(x, 89)
	WORD $0x4ebbf400 // fmin v0.4s, v0.4s, v27.4s
	VMOV V19.B16, V1.B16                // t = 1.5*2**23
	VFMLA V16.S4, V0.S4, V1.S4          // t += x*log2(e): rounds to the integer n in the low bits
	// n = t - 1.5*2**23
	WORD $0x4eb3d422 // fsub v2.4s, v1.4s, v19.4s
	VFMLS V17.S4, V2.S4, V0.S4          // r = x - n*ln2hi (exact)
	VFMLS V18.S4, V2.S4, V0.S4          // r -= n*ln2lo
	VMOV V21.B16, V3.B16                // p = c5 + c6*r
	VFMLA V20.S4, V0.S4, V3.S4
	VMOV V22.B16, V4.B16                // p = c4 + p*r
	VFMLA V0.S4, V3.S4, V4.S4
	VMOV V23.B16, V3.B16                // p = c3 + p*r
	VFMLA V0.S4, V4.S4, V3.S4
	VMOV V24.B16, V4.B16                // p = c2 + p*r
	VFMLA V0.S4, V3.S4, V4.S4
	VMOV V25.B16, V3.B16                // p = 1 + p*r
	VFMLA V0.S4, V4.S4, V3.S4
	VMOV V25.B16, V4.B16                // p = 1 + p*r = e**r
	VFMLA V0.S4, V3.S4, V4.S4
	VSUB V19.S4, V1.S4, V1.S4           // int32 n = t bits - shifter bits
	// n1 = n >> 1
	WORD $0x4f3f0422 // sshr v2.4s, v1.4s, #1
	VSUB V2.S4, V1.S4, V1.S4            // n2 = n - n1
	VADD V28.S4, V2.S4, V2.S4           // 2**n1 = (n1 + 127) << 23
	VSHL $23, V2.S4, V2.S4
	// p *= 2**n1 (exact)
	WORD $0x6e22dc84 // fmul v4.4s, v4.4s, v2.4s
	VADD V28.S4, V1.S4, V1.S4           // 2**n2 = (n2 + 127) << 23
	VSHL $23, V1.S4, V1.S4
	// p *= 2**n2 (one rounding, also for subnormals)
	WORD $0x6e21dc84 // fmul v4.4s, v4.4s, v1.4s
	VST1.P [V4.S4], 16(R0)              // dst[i:i+4] = e**x[i:i+4]
	SUBS $4, R2, R2
	BNE loop

done:
	RET

// func sigmoidNEON(dst, x []float32)
TEXT ·sigmoidNEON(SB), NOSPLIT|NOFRAME, $0-48
	MOVD dst_base+0(FP), R0
	MOVD x_base+24(FP), R1
	MOVD x_len+32(FP), R2
	MOVD $mathConst<>(SB), R3
	VLD1.P 64(R3), [V16.S4, V17.S4, V18.S4, V19.S4] // log2(e), ln2hi, ln2lo, shifter
	VLD1.P 64(R3), [V20.S4, V21.S4, V22.S4, V23.S4] // c6, c5, c4, c3
	VLD1.P 64(R3), [V24.S4, V25.S4, V26.S4, V27.S4] // c2, 1.0, -104, 89
	VLD1.P 64(R3), [V28.S4, V29.S4, V30.S4, V31.S4] // 127, abs mask, sign mask, 9.1
	CBZ R2, done

loop:
	VLD1.P 16(R1), [V0.S4]              // x[i:i+4]
	VORR V30.B16, V0.B16, V5.B16        // a = -|x|
	// a = max(a, -104); NaN stays NaN
	WORD $0x4e3af4a5 // fmax v5.4s, v5.4s, v26.4s
	// a = min(a, 89)
	WORD $0x4ebbf4a5 // fmin v5.4s, v5.4s, v27.4s
	VMOV V19.B16, V1.B16                // t = 1.5*2**23
	VFMLA V16.S4, V5.S4, V1.S4          // t += a*log2(e): rounds to the integer n in the low bits
	// n = t - 1.5*2**23
	WORD $0x4eb3d422 // fsub v2.4s, v1.4s, v19.4s
	VFMLS V17.S4, V2.S4, V5.S4          // r = a - n*ln2hi (exact)
	VFMLS V18.S4, V2.S4, V5.S4          // r -= n*ln2lo
	VMOV V21.B16, V3.B16                // p = c5 + c6*r
	VFMLA V20.S4, V5.S4, V3.S4
	VMOV V22.B16, V4.B16                // p = c4 + p*r
	VFMLA V5.S4, V3.S4, V4.S4
	VMOV V23.B16, V3.B16                // p = c3 + p*r
	VFMLA V5.S4, V4.S4, V3.S4
	VMOV V24.B16, V4.B16                // p = c2 + p*r
	VFMLA V5.S4, V3.S4, V4.S4
	VMOV V25.B16, V3.B16                // p = 1 + p*r
	VFMLA V5.S4, V4.S4, V3.S4
	VMOV V25.B16, V4.B16                // p = 1 + p*r = e**r
	VFMLA V5.S4, V3.S4, V4.S4
	VSUB V19.S4, V1.S4, V1.S4           // int32 n = t bits - shifter bits
	// n1 = n >> 1
	WORD $0x4f3f0422 // sshr v2.4s, v1.4s, #1
	VSUB V2.S4, V1.S4, V1.S4            // n2 = n - n1
	VADD V28.S4, V2.S4, V2.S4           // 2**n1 = (n1 + 127) << 23
	VSHL $23, V2.S4, V2.S4
	// p *= 2**n1 (exact)
	WORD $0x6e22dc84 // fmul v4.4s, v4.4s, v2.4s
	VADD V28.S4, V1.S4, V1.S4           // 2**n2 = (n2 + 127) << 23
	VSHL $23, V1.S4, V1.S4
	// p *= 2**n2 (one rounding, also for subnormals)
	WORD $0x6e21dc84 // fmul v4.4s, v4.4s, v1.4s
	// d = 1 + z, z = e**-|x|
	WORD $0x4e39d486 // fadd v6.4s, v4.4s, v25.4s
	// lanes with x >= 0
	WORD $0x6ea0c807 // fcmge v7.4s, v0.4s, #0
	VBSL V4.B16, V25.B16, V7.B16        // num = x >= 0 ? 1 : z
	// sigmoid = num / d
	WORD $0x6e26fce4 // fdiv v4.4s, v7.4s, v6.4s
	VST1.P [V4.S4], 16(R0)              // dst[i:i+4] = sigmoid(x[i:i+4])
	SUBS $4, R2, R2
	BNE loop

done:
	RET

// func tanhNEON(dst, x []float32)
TEXT ·tanhNEON(SB), NOSPLIT|NOFRAME, $0-48
	MOVD dst_base+0(FP), R0
	MOVD x_base+24(FP), R1
	MOVD x_len+32(FP), R2
	MOVD $mathConst<>(SB), R3
	VLD1.P 64(R3), [V16.S4, V17.S4, V18.S4, V19.S4] // log2(e), ln2hi, ln2lo, shifter
	VLD1.P 64(R3), [V20.S4, V21.S4, V22.S4, V23.S4] // c6, c5, c4, c3
	VLD1.P 64(R3), [V24.S4, V25.S4, V26.S4, V27.S4] // c2, 1.0, -104, 89
	VLD1.P 64(R3), [V28.S4, V29.S4, V30.S4, V31.S4] // 127, abs mask, sign mask, 9.1
	VLD1 (R3), [V30.S4]                 // 2.0, in place of the sign mask
	CBZ R2, done

loop:
	VLD1.P 16(R1), [V0.S4]              // x[i:i+4]
	VAND V29.B16, V0.B16, V5.B16        // a = |x|
	// a = min(a, 9.1); NaN stays NaN
	WORD $0x4ebff4a5 // fmin v5.4s, v5.4s, v31.4s
	// a = 2a
	WORD $0x4e25d4a5 // fadd v5.4s, v5.4s, v5.4s
	// a = -2a
	WORD $0x6ea0f8a5 // fneg v5.4s, v5.4s
	VMOV V19.B16, V1.B16                // t = 1.5*2**23
	VFMLA V16.S4, V5.S4, V1.S4          // t += a*log2(e): rounds to the integer n in the low bits
	// n = t - 1.5*2**23
	WORD $0x4eb3d422 // fsub v2.4s, v1.4s, v19.4s
	VFMLS V17.S4, V2.S4, V5.S4          // r = a - n*ln2hi (exact)
	VFMLS V18.S4, V2.S4, V5.S4          // r -= n*ln2lo
	// r2 = r*r
	WORD $0x6e25dca6 // fmul v6.4s, v5.4s, v5.4s
	VMOV V21.B16, V3.B16                // q = c5 + c6*r
	VFMLA V20.S4, V5.S4, V3.S4
	VMOV V22.B16, V4.B16                // q = c4 + q*r
	VFMLA V5.S4, V3.S4, V4.S4
	VMOV V23.B16, V3.B16                // q = c3 + q*r
	VFMLA V5.S4, V4.S4, V3.S4
	VMOV V24.B16, V4.B16                // q = c2 + q*r
	VFMLA V5.S4, V3.S4, V4.S4
	VFMLA V4.S4, V6.S4, V5.S4           // u = r + r2*q = e**r - 1
	VSHL $23, V1.S4, V1.S4              // s = 2**n: t<<23 is n<<23, the shifter bits fall off
	VADD V25.S4, V1.S4, V1.S4           //     plus the bits of 1.0
	// s - 1 (exact)
	WORD $0x4eb9d422 // fsub v2.4s, v1.4s, v25.4s
	VFMLA V5.S4, V1.S4, V2.S4           // E = (s-1) + s*u = e**-2a - 1
	// E + 2
	WORD $0x4e3ed443 // fadd v3.4s, v2.4s, v30.4s
	// E / (E+2) = -tanh(a)
	WORD $0x6e23fc44 // fdiv v4.4s, v2.4s, v3.4s
	VMOV V29.B16, V6.B16                // tanh(x) = |E/(E+2)| with the sign of x
	VBSL V0.B16, V4.B16, V6.B16
	VST1.P [V6.S4], 16(R0)              // dst[i:i+4] = tanh(x[i:i+4])
	SUBS $4, R2, R2
	BNE loop

done:
	RET

// func expShiftSumNEON(dst, x []float32, m float32) float32
TEXT ·expShiftSumNEON(SB), NOSPLIT|NOFRAME, $0-60
	MOVD dst_base+0(FP), R0
	MOVD x_base+24(FP), R1
	MOVD x_len+32(FP), R2
	MOVD $mathConst<>(SB), R3
	VLD1.P 64(R3), [V16.S4, V17.S4, V18.S4, V19.S4] // log2(e), ln2hi, ln2lo, shifter
	VLD1.P 64(R3), [V20.S4, V21.S4, V22.S4, V23.S4] // c6, c5, c4, c3
	VLD1.P 64(R3), [V24.S4, V25.S4, V26.S4, V27.S4] // c2, 1.0, -104, 89
	VLD1.P 64(R3), [V28.S4, V29.S4, V30.S4, V31.S4] // 127, abs mask, sign mask, 9.1
	FMOVS m+48(FP), F30                 // V30, V31 are free here: m and the sum
	VDUP V30.S[0], V30.S4               // m in every lane
	VEOR V31.B16, V31.B16, V31.B16      // sum = 0
	CBZ R2, done

loop:
	VLD1.P 16(R1), [V0.S4]              // x[i:i+4]
	// d = x - m
	WORD $0x4ebed400 // fsub v0.4s, v0.4s, v30.4s
	// d = max(d, -104); NaN stays NaN
	WORD $0x4e3af400 // fmax v0.4s, v0.4s, v26.4s
	// d = min(d, 89)
	WORD $0x4ebbf400 // fmin v0.4s, v0.4s, v27.4s
	VMOV V19.B16, V1.B16                // t = 1.5*2**23
	VFMLA V16.S4, V0.S4, V1.S4          // t += d*log2(e): rounds to the integer n in the low bits
	// n = t - 1.5*2**23
	WORD $0x4eb3d422 // fsub v2.4s, v1.4s, v19.4s
	VFMLS V17.S4, V2.S4, V0.S4          // r = d - n*ln2hi (exact)
	VFMLS V18.S4, V2.S4, V0.S4          // r -= n*ln2lo
	VMOV V21.B16, V3.B16                // p = c5 + c6*r
	VFMLA V20.S4, V0.S4, V3.S4
	VMOV V22.B16, V4.B16                // p = c4 + p*r
	VFMLA V0.S4, V3.S4, V4.S4
	VMOV V23.B16, V3.B16                // p = c3 + p*r
	VFMLA V0.S4, V4.S4, V3.S4
	VMOV V24.B16, V4.B16                // p = c2 + p*r
	VFMLA V0.S4, V3.S4, V4.S4
	VMOV V25.B16, V3.B16                // p = 1 + p*r
	VFMLA V0.S4, V4.S4, V3.S4
	VMOV V25.B16, V4.B16                // p = 1 + p*r = e**r
	VFMLA V0.S4, V3.S4, V4.S4
	VSUB V19.S4, V1.S4, V1.S4           // int32 n = t bits - shifter bits
	// n1 = n >> 1
	WORD $0x4f3f0422 // sshr v2.4s, v1.4s, #1
	VSUB V2.S4, V1.S4, V1.S4            // n2 = n - n1
	VADD V28.S4, V2.S4, V2.S4           // 2**n1 = (n1 + 127) << 23
	VSHL $23, V2.S4, V2.S4
	// p *= 2**n1 (exact)
	WORD $0x6e22dc84 // fmul v4.4s, v4.4s, v2.4s
	VADD V28.S4, V1.S4, V1.S4           // 2**n2 = (n2 + 127) << 23
	VSHL $23, V1.S4, V1.S4
	// p *= 2**n2 (one rounding, also for subnormals)
	WORD $0x6e21dc84 // fmul v4.4s, v4.4s, v1.4s
	VST1.P [V4.S4], 16(R0)              // dst[i:i+4] = e**(x[i:i+4]-m)
	// sum += dst[i:i+4]
	WORD $0x4e24d7ff // fadd v31.4s, v31.4s, v4.4s
	SUBS $4, R2, R2
	BNE loop

done:
	// pairwise: lanes (0+1, 2+3, ...)
	WORD $0x6e3fd7ff // faddp v31.4s, v31.4s, v31.4s
	// (0+1) + (2+3)
	WORD $0x7e30dbff // faddp s31, v31.2s
	FMOVS F31, ret+56(FP)
	RET
