//go:build !purego

#include "textflag.h"

// Elementwise kernels for arm64 NEON (Advanced SIMD).
//
// Every kernel computes, for i in [0, n), exactly what its generic Go loop in
// vec_generic.go computes (see vec_arm64.go), one IEEE operation per element
// (or a compare and a bitwise select), so results match bit for bit:
//
//	add/sub/mul/div: dst[i] = x[i] op y[i]
//	scale:           dst[i] = x[i] * alpha       (multiplication commutes)
//	addScalar:       dst[i] = x[i] + c
//	axpy:            y[i] = fma(alpha, x[i], y[i])  (FMLA, one rounding)
//	relu:            dst[i] = x[i] &^ (x[i] <= 0 ? all ones : 0)  (NaN <= 0 is false)
//	reluGrad:        dst[i] = dy[i] & (x[i] > 0 ? all ones : 0)
//
// Shape: 16 elements (four Q registers) per iteration, then 4 (one Q
// register), then one element at a time. The scalar tail loads a single S
// lane with FMOVS (which zeroes the other lanes) and runs the same vector
// instruction, so every element goes through the same operation; only lane 0
// is stored.
//
// Go's assembler has no vector FADD, FSUB, FMUL, FDIV, FCMLE, FCMGT or BIC, so
// those are WORD directives whose trailing comment is their GNU syntax,
// checked by kernels/internal/wordcheck.
//
// Register map:
//
//	R0       dst (y for axpy), advanced by post-indexed stores
//	R1       x, advanced by post-indexed loads
//	R2       y (dy for reluGrad; y again, for reading, in axpy)
//	R3       n
//	R4       iteration counter of the current loop
//	V0-V3    x (the result is built in place, except axpy)
//	V4-V7    y (axpy builds its result here), or the compare masks of relu
//	V31      the broadcast scalar (alpha, c)
//
// Preconditions, guaranteed by vec.go: all slices have n elements, n may be
// 0, dst equals an input or does not overlap it. Each element is loaded
// before its index is stored, so in-place use is safe. Nothing is read or
// written outside the slices.


// func addNEON(dst, x, y []float32)
TEXT ·addNEON(SB), NOSPLIT|NOFRAME, $0-72
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R3
	MOVD x_base+24(FP), R1
	MOVD y_base+48(FP), R2
	LSR  $4, R3, R4 // R4 = n/16
	CBZ  R4, tail4

loop16:
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R2), [V4.S4, V5.S4, V6.S4, V7.S4]
	// x[i:i+16] += y[i:i+16]
	WORD $0x4e24d400 // fadd v0.4s, v0.4s, v4.4s
	WORD $0x4e25d421 // fadd v1.4s, v1.4s, v5.4s
	WORD $0x4e26d442 // fadd v2.4s, v2.4s, v6.4s
	WORD $0x4e27d463 // fadd v3.4s, v3.4s, v7.4s
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R0)
	SUB  $1, R4
	CBNZ R4, loop16

tail4:
	UBFX $2, R3, $2, R4 // R4 = (n%16)/4
	CBZ  R4, tail1

loop4:
	VLD1.P 16(R1), [V0.S4]
	VLD1.P 16(R2), [V4.S4]
	WORD $0x4e24d400 // fadd v0.4s, v0.4s, v4.4s
	VST1.P [V0.S4], 16(R0)
	SUB  $1, R4
	CBNZ R4, loop4

tail1:
	AND  $3, R3, R4 // R4 = n%4
	CBZ  R4, done

loop1:
	FMOVS.P 4(R1), F0
	FMOVS.P 4(R2), F4
	WORD $0x4e24d400 // fadd v0.4s, v0.4s, v4.4s
	FMOVS.P F0, 4(R0)
	SUB  $1, R4
	CBNZ R4, loop1

done:
	RET

// func subNEON(dst, x, y []float32)
TEXT ·subNEON(SB), NOSPLIT|NOFRAME, $0-72
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R3
	MOVD x_base+24(FP), R1
	MOVD y_base+48(FP), R2
	LSR  $4, R3, R4 // R4 = n/16
	CBZ  R4, tail4

loop16:
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R2), [V4.S4, V5.S4, V6.S4, V7.S4]
	// x[i:i+16] -= y[i:i+16]
	WORD $0x4ea4d400 // fsub v0.4s, v0.4s, v4.4s
	WORD $0x4ea5d421 // fsub v1.4s, v1.4s, v5.4s
	WORD $0x4ea6d442 // fsub v2.4s, v2.4s, v6.4s
	WORD $0x4ea7d463 // fsub v3.4s, v3.4s, v7.4s
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R0)
	SUB  $1, R4
	CBNZ R4, loop16

tail4:
	UBFX $2, R3, $2, R4 // R4 = (n%16)/4
	CBZ  R4, tail1

loop4:
	VLD1.P 16(R1), [V0.S4]
	VLD1.P 16(R2), [V4.S4]
	WORD $0x4ea4d400 // fsub v0.4s, v0.4s, v4.4s
	VST1.P [V0.S4], 16(R0)
	SUB  $1, R4
	CBNZ R4, loop4

tail1:
	AND  $3, R3, R4 // R4 = n%4
	CBZ  R4, done

loop1:
	FMOVS.P 4(R1), F0
	FMOVS.P 4(R2), F4
	WORD $0x4ea4d400 // fsub v0.4s, v0.4s, v4.4s
	FMOVS.P F0, 4(R0)
	SUB  $1, R4
	CBNZ R4, loop1

done:
	RET

// func mulNEON(dst, x, y []float32)
TEXT ·mulNEON(SB), NOSPLIT|NOFRAME, $0-72
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R3
	MOVD x_base+24(FP), R1
	MOVD y_base+48(FP), R2
	LSR  $4, R3, R4 // R4 = n/16
	CBZ  R4, tail4

loop16:
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R2), [V4.S4, V5.S4, V6.S4, V7.S4]
	// x[i:i+16] *= y[i:i+16]
	WORD $0x6e24dc00 // fmul v0.4s, v0.4s, v4.4s
	WORD $0x6e25dc21 // fmul v1.4s, v1.4s, v5.4s
	WORD $0x6e26dc42 // fmul v2.4s, v2.4s, v6.4s
	WORD $0x6e27dc63 // fmul v3.4s, v3.4s, v7.4s
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R0)
	SUB  $1, R4
	CBNZ R4, loop16

tail4:
	UBFX $2, R3, $2, R4 // R4 = (n%16)/4
	CBZ  R4, tail1

loop4:
	VLD1.P 16(R1), [V0.S4]
	VLD1.P 16(R2), [V4.S4]
	WORD $0x6e24dc00 // fmul v0.4s, v0.4s, v4.4s
	VST1.P [V0.S4], 16(R0)
	SUB  $1, R4
	CBNZ R4, loop4

tail1:
	AND  $3, R3, R4 // R4 = n%4
	CBZ  R4, done

loop1:
	FMOVS.P 4(R1), F0
	FMOVS.P 4(R2), F4
	WORD $0x6e24dc00 // fmul v0.4s, v0.4s, v4.4s
	FMOVS.P F0, 4(R0)
	SUB  $1, R4
	CBNZ R4, loop1

done:
	RET

// func divNEON(dst, x, y []float32)
TEXT ·divNEON(SB), NOSPLIT|NOFRAME, $0-72
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R3
	MOVD x_base+24(FP), R1
	MOVD y_base+48(FP), R2
	LSR  $4, R3, R4 // R4 = n/16
	CBZ  R4, tail4

loop16:
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R2), [V4.S4, V5.S4, V6.S4, V7.S4]
	// x[i:i+16] /= y[i:i+16]
	WORD $0x6e24fc00 // fdiv v0.4s, v0.4s, v4.4s
	WORD $0x6e25fc21 // fdiv v1.4s, v1.4s, v5.4s
	WORD $0x6e26fc42 // fdiv v2.4s, v2.4s, v6.4s
	WORD $0x6e27fc63 // fdiv v3.4s, v3.4s, v7.4s
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R0)
	SUB  $1, R4
	CBNZ R4, loop16

tail4:
	UBFX $2, R3, $2, R4 // R4 = (n%16)/4
	CBZ  R4, tail1

loop4:
	VLD1.P 16(R1), [V0.S4]
	VLD1.P 16(R2), [V4.S4]
	WORD $0x6e24fc00 // fdiv v0.4s, v0.4s, v4.4s
	VST1.P [V0.S4], 16(R0)
	SUB  $1, R4
	CBNZ R4, loop4

tail1:
	AND  $3, R3, R4 // R4 = n%4
	CBZ  R4, done

loop1:
	FMOVS.P 4(R1), F0
	FMOVS.P 4(R2), F4
	WORD $0x6e24fc00 // fdiv v0.4s, v0.4s, v4.4s
	FMOVS.P F0, 4(R0)
	SUB  $1, R4
	CBNZ R4, loop1

done:
	RET

// func scaleNEON(dst []float32, alpha float32, x []float32)
TEXT ·scaleNEON(SB), NOSPLIT|NOFRAME, $0-56
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R3
	FMOVS alpha+24(FP), F31
	VDUP V31.S[0], V31.S4
	MOVD x_base+32(FP), R1
	LSR  $4, R3, R4 // R4 = n/16
	CBZ  R4, tail4

loop16:
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	WORD $0x6e3fdc00 // fmul v0.4s, v0.4s, v31.4s
	WORD $0x6e3fdc21 // fmul v1.4s, v1.4s, v31.4s
	WORD $0x6e3fdc42 // fmul v2.4s, v2.4s, v31.4s
	WORD $0x6e3fdc63 // fmul v3.4s, v3.4s, v31.4s
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R0)
	SUB  $1, R4
	CBNZ R4, loop16

tail4:
	UBFX $2, R3, $2, R4 // R4 = (n%16)/4
	CBZ  R4, tail1

loop4:
	VLD1.P 16(R1), [V0.S4]
	WORD $0x6e3fdc00 // fmul v0.4s, v0.4s, v31.4s
	VST1.P [V0.S4], 16(R0)
	SUB  $1, R4
	CBNZ R4, loop4

tail1:
	AND  $3, R3, R4 // R4 = n%4
	CBZ  R4, done

loop1:
	FMOVS.P 4(R1), F0
	WORD $0x6e3fdc00 // fmul v0.4s, v0.4s, v31.4s
	FMOVS.P F0, 4(R0)
	SUB  $1, R4
	CBNZ R4, loop1

done:
	RET

// func addScalarNEON(dst []float32, x []float32, c float32)
TEXT ·addScalarNEON(SB), NOSPLIT|NOFRAME, $0-52
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R3
	MOVD x_base+24(FP), R1
	FMOVS c+48(FP), F31
	VDUP V31.S[0], V31.S4
	LSR  $4, R3, R4 // R4 = n/16
	CBZ  R4, tail4

loop16:
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	WORD $0x4e3fd400 // fadd v0.4s, v0.4s, v31.4s
	WORD $0x4e3fd421 // fadd v1.4s, v1.4s, v31.4s
	WORD $0x4e3fd442 // fadd v2.4s, v2.4s, v31.4s
	WORD $0x4e3fd463 // fadd v3.4s, v3.4s, v31.4s
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R0)
	SUB  $1, R4
	CBNZ R4, loop16

tail4:
	UBFX $2, R3, $2, R4 // R4 = (n%16)/4
	CBZ  R4, tail1

loop4:
	VLD1.P 16(R1), [V0.S4]
	WORD $0x4e3fd400 // fadd v0.4s, v0.4s, v31.4s
	VST1.P [V0.S4], 16(R0)
	SUB  $1, R4
	CBNZ R4, loop4

tail1:
	AND  $3, R3, R4 // R4 = n%4
	CBZ  R4, done

loop1:
	FMOVS.P 4(R1), F0
	WORD $0x4e3fd400 // fadd v0.4s, v0.4s, v31.4s
	FMOVS.P F0, 4(R0)
	SUB  $1, R4
	CBNZ R4, loop1

done:
	RET

// func axpyNEON(alpha float32, x, y []float32)
TEXT ·axpyNEON(SB), NOSPLIT|NOFRAME, $0-56
	FMOVS alpha+0(FP), F31
	VDUP V31.S[0], V31.S4
	MOVD x_base+8(FP), R1
	MOVD y_base+32(FP), R0
	MOVD y_len+40(FP), R3
	MOVD R0, R2 // y is read through R2 and written through R0
	LSR  $4, R3, R4 // R4 = n/16
	CBZ  R4, tail4

loop16:
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R2), [V4.S4, V5.S4, V6.S4, V7.S4]
	VFMLA V0.S4, V31.S4, V4.S4 // y[i:i+4] += alpha*x[i:i+4], fused
	VFMLA V1.S4, V31.S4, V5.S4
	VFMLA V2.S4, V31.S4, V6.S4
	VFMLA V3.S4, V31.S4, V7.S4
	VST1.P [V4.S4, V5.S4, V6.S4, V7.S4], 64(R0)
	SUB  $1, R4
	CBNZ R4, loop16

tail4:
	UBFX $2, R3, $2, R4 // R4 = (n%16)/4
	CBZ  R4, tail1

loop4:
	VLD1.P 16(R1), [V0.S4]
	VLD1.P 16(R2), [V4.S4]
	VFMLA V0.S4, V31.S4, V4.S4
	VST1.P [V4.S4], 16(R0)
	SUB  $1, R4
	CBNZ R4, loop4

tail1:
	AND  $3, R3, R4 // R4 = n%4
	CBZ  R4, done

loop1:
	FMOVS.P 4(R1), F0
	FMOVS.P 4(R2), F4
	VFMLA V0.S4, V31.S4, V4.S4
	FMOVS.P F4, 4(R0)
	SUB  $1, R4
	CBNZ R4, loop1

done:
	RET

// func reluNEON(dst, x []float32)
TEXT ·reluNEON(SB), NOSPLIT|NOFRAME, $0-48
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R3
	MOVD x_base+24(FP), R1
	LSR  $4, R3, R4 // R4 = n/16
	CBZ  R4, tail4

loop16:
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	WORD $0x6ea0d804 // fcmle v4.4s, v0.4s, #0
	WORD $0x6ea0d825 // fcmle v5.4s, v1.4s, #0
	WORD $0x6ea0d846 // fcmle v6.4s, v2.4s, #0
	WORD $0x6ea0d867 // fcmle v7.4s, v3.4s, #0
	WORD $0x4e641c00 // bic v0.16b, v0.16b, v4.16b
	WORD $0x4e651c21 // bic v1.16b, v1.16b, v5.16b
	WORD $0x4e661c42 // bic v2.16b, v2.16b, v6.16b
	WORD $0x4e671c63 // bic v3.16b, v3.16b, v7.16b
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R0)
	SUB  $1, R4
	CBNZ R4, loop16

tail4:
	UBFX $2, R3, $2, R4 // R4 = (n%16)/4
	CBZ  R4, tail1

loop4:
	VLD1.P 16(R1), [V0.S4]
	// all ones where x <= 0 (not NaN)
	WORD $0x6ea0d804 // fcmle v4.4s, v0.4s, #0
	// x &^ mask: +0 there, x elsewhere
	WORD $0x4e641c00 // bic v0.16b, v0.16b, v4.16b
	VST1.P [V0.S4], 16(R0)
	SUB  $1, R4
	CBNZ R4, loop4

tail1:
	AND  $3, R3, R4 // R4 = n%4
	CBZ  R4, done

loop1:
	FMOVS.P 4(R1), F0
	// all ones where x <= 0 (not NaN)
	WORD $0x6ea0d804 // fcmle v4.4s, v0.4s, #0
	// x &^ mask: +0 there, x elsewhere
	WORD $0x4e641c00 // bic v0.16b, v0.16b, v4.16b
	FMOVS.P F0, 4(R0)
	SUB  $1, R4
	CBNZ R4, loop1

done:
	RET

// func reluGradNEON(dst, dy, x []float32)
TEXT ·reluGradNEON(SB), NOSPLIT|NOFRAME, $0-72
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R3
	MOVD dy_base+24(FP), R2
	MOVD x_base+48(FP), R1
	LSR  $4, R3, R4 // R4 = n/16
	CBZ  R4, tail4

loop16:
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R2), [V4.S4, V5.S4, V6.S4, V7.S4]
	WORD $0x4ea0c800 // fcmgt v0.4s, v0.4s, #0
	WORD $0x4ea0c821 // fcmgt v1.4s, v1.4s, #0
	WORD $0x4ea0c842 // fcmgt v2.4s, v2.4s, #0
	WORD $0x4ea0c863 // fcmgt v3.4s, v3.4s, #0
	VAND V4.B16, V0.B16, V0.B16
	VAND V5.B16, V1.B16, V1.B16
	VAND V6.B16, V2.B16, V2.B16
	VAND V7.B16, V3.B16, V3.B16
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R0)
	SUB  $1, R4
	CBNZ R4, loop16

tail4:
	UBFX $2, R3, $2, R4 // R4 = (n%16)/4
	CBZ  R4, tail1

loop4:
	VLD1.P 16(R1), [V0.S4]
	VLD1.P 16(R2), [V4.S4]
	// all ones where x > 0 (not NaN)
	WORD $0x4ea0c800 // fcmgt v0.4s, v0.4s, #0
	VAND V4.B16, V0.B16, V0.B16 // dy & mask
	VST1.P [V0.S4], 16(R0)
	SUB  $1, R4
	CBNZ R4, loop4

tail1:
	AND  $3, R3, R4 // R4 = n%4
	CBZ  R4, done

loop1:
	FMOVS.P 4(R1), F0
	FMOVS.P 4(R2), F4
	// all ones where x > 0 (not NaN)
	WORD $0x4ea0c800 // fcmgt v0.4s, v0.4s, #0
	VAND V4.B16, V0.B16, V0.B16 // dy & mask
	FMOVS.P F0, 4(R0)
	SUB  $1, R4
	CBNZ R4, loop1

done:
	RET
