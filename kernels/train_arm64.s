//go:build !purego

#include "textflag.h"

// Fused training kernels for arm64 NEON (Advanced SIMD).
//
// Each computes exactly the Go loop of its generic reference in
// train_generic.go, with the same IEEE operations in the same order and the
// first Go operand as the instruction's first source, so the results match
// bit for bit:
//
//	biasAdd:     for r := range rows { for j := range cols { dst[r*cols+j] = x[r*cols+j] + bias[j] } }
//	colSumsAcc:  for r := range rows { for j := range cols { dst[j] += x[r*cols+j] } }
//	sgdMomentum: vi := float32(momentum*v[i]) + g[i]; v[i] = vi; w[i] -= float32(lr*vi)
//	sgdNesterov: vi := float32(momentum*v[i]) + g[i]; v[i] = vi
//	             w[i] -= float32(lr * (g[i] + float32(momentum*vi)))
//	adam:        mi := float32(beta1*m[i]) + float32(c1*g[i])            (c1 = 1-beta1)
//	             vi := float32(beta2*v[i]) + float32(float32(c2*g[i])*g[i]) (c2 = 1-beta2)
//	             m[i], v[i] = mi, vi
//	             den := float32(sqrt(vi)*invSqrtC2) + eps
//	             w[i] -= float32(step*mi) / den
//	dropout:     dst[i] = scale*x[i] if bit i of keep is set, else +0
//
// No multiply-add is fused (the generic code rounds every product); FSQRT
// and FDIV are exactly rounded, as float32(math.Sqrt(float64(v))) is.
//
// Shape: biasAdd walks each row 16, then 4, then 1 element at a time.
// colSumsAcc keeps a block of 32 dst columns in V0-V7 (eight independent add
// chains) and adds every row into it before storing; then blocks of 4
// columns, then single columns. The optimizers process 8 (SGD) or 4 (Adam)
// elements per iteration, dropout 16: LD1R replicates the 16 mask bits into
// every halfword and CMTST against 1<<k in lane k (bitsS below) turns them
// into lane masks that are ANDed with scale*x.
//
// Scalar tails use the scalar forms (FADDS, FMULS, FSQRTS, ...), which round
// exactly like a vector lane, loading and storing one S register at a time.
// Nothing is read or written outside the slices: dropout reads keep as
// halfwords at byte offset i/8 with i a multiple of 16 and i < n, which
// ceil(n/64) words always cover.
//
// Go's assembler has no vector FADD, FSUB, FMUL, FDIV or FSQRT, so those are
// WORD directives whose trailing comment is their GNU syntax, checked by
// kernels/internal/wordcheck.
//
// Preconditions, guaranteed by the Go callers in train.go/train_arm64.go:
// consistent lengths (len(x) a multiple of cols > 0 for biasAdd and
// colSumsAcc; the optimizer slices of equal length; keep with at least
// ceil(n/64) words), n bounded by chunk, and outputs that equal an input or
// do not overlap it. Every element is loaded before its index is stored.

// bitsS[k] = 1<<k for k in 0..15: lane k of V16-V19 tests mask bit 4q+k.
DATA bitsS<>+0x00(SB)/4, $0x0001
DATA bitsS<>+0x04(SB)/4, $0x0002
DATA bitsS<>+0x08(SB)/4, $0x0004
DATA bitsS<>+0x0c(SB)/4, $0x0008
DATA bitsS<>+0x10(SB)/4, $0x0010
DATA bitsS<>+0x14(SB)/4, $0x0020
DATA bitsS<>+0x18(SB)/4, $0x0040
DATA bitsS<>+0x1c(SB)/4, $0x0080
DATA bitsS<>+0x20(SB)/4, $0x0100
DATA bitsS<>+0x24(SB)/4, $0x0200
DATA bitsS<>+0x28(SB)/4, $0x0400
DATA bitsS<>+0x2c(SB)/4, $0x0800
DATA bitsS<>+0x30(SB)/4, $0x1000
DATA bitsS<>+0x34(SB)/4, $0x2000
DATA bitsS<>+0x38(SB)/4, $0x4000
DATA bitsS<>+0x3c(SB)/4, $0x8000
GLOBL bitsS<>(SB), RODATA|NOPTR, $64

// biasAdd registers: R0 dst, R1 x, R2 bias (reset every row), R3 elements
// left (a multiple of cols), R4 loop counter, R5 bias, R6 cols,
// V0-V3 x and the sums, V4-V7 bias.

// func biasAddNEON(dst, x, bias []float32)
TEXT ·biasAddNEON(SB), NOSPLIT|NOFRAME, $0-72
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R3
	MOVD x_base+24(FP), R1
	MOVD bias_base+48(FP), R5
	MOVD bias_len+56(FP), R6
	CBZ  R3, done

row:
	MOVD R5, R2
	LSR  $4, R6, R4 // R4 = cols/16
	CBZ  R4, tail4

loop16:
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R2), [V4.S4, V5.S4, V6.S4, V7.S4]
	// x[j:j+16] += bias[j:j+16]
	WORD $0x4e24d400 // fadd v0.4s, v0.4s, v4.4s
	WORD $0x4e25d421 // fadd v1.4s, v1.4s, v5.4s
	WORD $0x4e26d442 // fadd v2.4s, v2.4s, v6.4s
	WORD $0x4e27d463 // fadd v3.4s, v3.4s, v7.4s
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R0)
	SUB    $1, R4
	CBNZ   R4, loop16

tail4:
	UBFX $2, R6, $2, R4 // R4 = (cols%16)/4
	CBZ  R4, tail1

loop4:
	VLD1.P 16(R1), [V0.S4]
	VLD1.P 16(R2), [V4.S4]
	WORD $0x4e24d400 // fadd v0.4s, v0.4s, v4.4s
	VST1.P [V0.S4], 16(R0)
	SUB    $1, R4
	CBNZ   R4, loop4

tail1:
	AND $3, R6, R4 // R4 = cols%4
	CBZ R4, nextrow

loop1:
	FMOVS.P 4(R1), F0
	FMOVS.P 4(R2), F4
	FADDS   F4, F0, F0 // x + bias
	FMOVS.P F0, 4(R0)
	SUB     $1, R4
	CBNZ    R4, loop1

nextrow:
	SUB  R6, R3
	CBNZ R3, row

done:
	RET

// colSumsAcc registers: R0 dst (the current block), R1 x at the current
// block's first column, R6 cols, R7 end of x, R8 row stride in bytes,
// R4 block counter, R12/R13 the current row's address for the block,
// V0-V7 the block's sums, V16-V23 one row of the block.

// func colSumsAccNEON(dst, x []float32)
TEXT ·colSumsAccNEON(SB), NOSPLIT|NOFRAME, $0-48
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R6
	MOVD x_base+24(FP), R1
	MOVD x_len+32(FP), R7
	CBZ  R7, done
	ADD  R7<<2, R1, R7 // end of x
	LSL  $2, R6, R8    // row stride
	LSR  $5, R6, R4    // R4 = cols/32
	CBZ  R4, tail4

block32:
	ADD  $64, R0, R10
	VLD1 (R0), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1 (R10), [V4.S4, V5.S4, V6.S4, V7.S4]
	MOVD R1, R12

rows32:
	ADD  $64, R12, R13
	VLD1 (R12), [V16.S4, V17.S4, V18.S4, V19.S4]
	VLD1 (R13), [V20.S4, V21.S4, V22.S4, V23.S4]
	// sums[0:32] += x[r][j:j+32]
	WORD $0x4e30d400 // fadd v0.4s, v0.4s, v16.4s
	WORD $0x4e31d421 // fadd v1.4s, v1.4s, v17.4s
	WORD $0x4e32d442 // fadd v2.4s, v2.4s, v18.4s
	WORD $0x4e33d463 // fadd v3.4s, v3.4s, v19.4s
	WORD $0x4e34d484 // fadd v4.4s, v4.4s, v20.4s
	WORD $0x4e35d4a5 // fadd v5.4s, v5.4s, v21.4s
	WORD $0x4e36d4c6 // fadd v6.4s, v6.4s, v22.4s
	WORD $0x4e37d4e7 // fadd v7.4s, v7.4s, v23.4s
	ADD    R8, R12
	CMP    R7, R12
	BLO    rows32
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R0)
	VST1.P [V4.S4, V5.S4, V6.S4, V7.S4], 64(R0)
	ADD    $128, R1
	SUB    $1, R4
	CBNZ   R4, block32

tail4:
	UBFX $2, R6, $3, R4 // R4 = (cols%32)/4
	CBZ  R4, tail1

block4:
	VLD1 (R0), [V0.S4]
	MOVD R1, R12

rows4:
	VLD1 (R12), [V16.S4]
	WORD $0x4e30d400 // fadd v0.4s, v0.4s, v16.4s
	ADD    R8, R12
	CMP    R7, R12
	BLO    rows4
	VST1.P [V0.S4], 16(R0)
	ADD    $16, R1
	SUB    $1, R4
	CBNZ   R4, block4

tail1:
	AND $3, R6, R4 // R4 = cols%4
	CBZ R4, done

block1:
	FMOVS (R0), F0
	MOVD  R1, R12

rows1:
	FMOVS   (R12), F16
	FADDS   F16, F0, F0
	ADD     R8, R12
	CMP     R7, R12
	BLO     rows1
	FMOVS.P F0, 4(R0)
	ADD     $4, R1
	SUB     $1, R4
	CBNZ    R4, block1

done:
	RET

// SGD registers: R0 w, R1 v, R2 g, R3 n, R4 loop counter, V30 momentum,
// V31 lr, V0-V1 v and then vi, V2-V3 g, V4-V5 w, V6-V7 the update.

// func sgdMomentumNEON(w, v, g []float32, lr, momentum float32)
TEXT ·sgdMomentumNEON(SB), NOSPLIT|NOFRAME, $0-80
	MOVD  w_base+0(FP), R0
	MOVD  w_len+8(FP), R3
	MOVD  v_base+24(FP), R1
	MOVD  g_base+48(FP), R2
	FMOVS lr+72(FP), F31
	FMOVS momentum+76(FP), F30
	VDUP  V31.S[0], V31.S4
	VDUP  V30.S[0], V30.S4
	LSR   $3, R3, R4 // R4 = n/8
	CBZ   R4, tail4

loop8:
	VLD1   (R1), [V0.S4, V1.S4]
	VLD1.P 32(R2), [V2.S4, V3.S4]
	VLD1   (R0), [V4.S4, V5.S4]
	// vi = float32(momentum*v) + g
	WORD $0x6e20dfc0 // fmul v0.4s, v30.4s, v0.4s
	WORD $0x6e21dfc1 // fmul v1.4s, v30.4s, v1.4s
	WORD $0x4e22d400 // fadd v0.4s, v0.4s, v2.4s
	WORD $0x4e23d421 // fadd v1.4s, v1.4s, v3.4s
	VST1.P [V0.S4, V1.S4], 32(R1)
	// w -= float32(lr*vi)
	WORD $0x6e20dfe6 // fmul v6.4s, v31.4s, v0.4s
	WORD $0x6e21dfe7 // fmul v7.4s, v31.4s, v1.4s
	WORD $0x4ea6d484 // fsub v4.4s, v4.4s, v6.4s
	WORD $0x4ea7d4a5 // fsub v5.4s, v5.4s, v7.4s
	VST1.P [V4.S4, V5.S4], 32(R0)
	SUB    $1, R4
	CBNZ   R4, loop8

tail4:
	TBZ $2, R3, tail1 // n%8 >= 4: one more vector
	VLD1   (R1), [V0.S4]
	VLD1.P 16(R2), [V2.S4]
	VLD1   (R0), [V4.S4]
	// vi = float32(momentum*v) + g
	WORD $0x6e20dfc0 // fmul v0.4s, v30.4s, v0.4s
	WORD $0x4e22d400 // fadd v0.4s, v0.4s, v2.4s
	VST1.P [V0.S4], 16(R1)
	// w -= float32(lr*vi)
	WORD $0x6e20dfe6 // fmul v6.4s, v31.4s, v0.4s
	WORD $0x4ea6d484 // fsub v4.4s, v4.4s, v6.4s
	VST1.P [V4.S4], 16(R0)

tail1:
	AND $3, R3, R4 // R4 = n%4
	CBZ R4, done

loop1:
	FMOVS   (R1), F0
	FMOVS.P 4(R2), F2
	FMOVS   (R0), F4
	FMULS   F0, F30, F0 // momentum*v
	FADDS   F2, F0, F0  // + g
	FMOVS.P F0, 4(R1)
	FMULS   F0, F31, F6 // lr*vi
	FSUBS   F6, F4, F4
	FMOVS.P F4, 4(R0)
	SUB     $1, R4
	CBNZ    R4, loop1

done:
	RET

// func sgdNesterovNEON(w, v, g []float32, lr, momentum float32)
TEXT ·sgdNesterovNEON(SB), NOSPLIT|NOFRAME, $0-80
	MOVD  w_base+0(FP), R0
	MOVD  w_len+8(FP), R3
	MOVD  v_base+24(FP), R1
	MOVD  g_base+48(FP), R2
	FMOVS lr+72(FP), F31
	FMOVS momentum+76(FP), F30
	VDUP  V31.S[0], V31.S4
	VDUP  V30.S[0], V30.S4
	LSR   $3, R3, R4 // R4 = n/8
	CBZ   R4, tail4

loop8:
	VLD1   (R1), [V0.S4, V1.S4]
	VLD1.P 32(R2), [V2.S4, V3.S4]
	VLD1   (R0), [V4.S4, V5.S4]
	// vi = float32(momentum*v) + g
	WORD $0x6e20dfc0 // fmul v0.4s, v30.4s, v0.4s
	WORD $0x6e21dfc1 // fmul v1.4s, v30.4s, v1.4s
	WORD $0x4e22d400 // fadd v0.4s, v0.4s, v2.4s
	WORD $0x4e23d421 // fadd v1.4s, v1.4s, v3.4s
	VST1.P [V0.S4, V1.S4], 32(R1)
	// w -= float32(lr * (g + float32(momentum*vi)))
	WORD $0x6e20dfc6 // fmul v6.4s, v30.4s, v0.4s
	WORD $0x6e21dfc7 // fmul v7.4s, v30.4s, v1.4s
	WORD $0x4e26d446 // fadd v6.4s, v2.4s, v6.4s
	WORD $0x4e27d467 // fadd v7.4s, v3.4s, v7.4s
	WORD $0x6e26dfe6 // fmul v6.4s, v31.4s, v6.4s
	WORD $0x6e27dfe7 // fmul v7.4s, v31.4s, v7.4s
	WORD $0x4ea6d484 // fsub v4.4s, v4.4s, v6.4s
	WORD $0x4ea7d4a5 // fsub v5.4s, v5.4s, v7.4s
	VST1.P [V4.S4, V5.S4], 32(R0)
	SUB    $1, R4
	CBNZ   R4, loop8

tail4:
	TBZ $2, R3, tail1 // n%8 >= 4: one more vector
	VLD1   (R1), [V0.S4]
	VLD1.P 16(R2), [V2.S4]
	VLD1   (R0), [V4.S4]
	// vi = float32(momentum*v) + g
	WORD $0x6e20dfc0 // fmul v0.4s, v30.4s, v0.4s
	WORD $0x4e22d400 // fadd v0.4s, v0.4s, v2.4s
	VST1.P [V0.S4], 16(R1)
	// w -= float32(lr * (g + float32(momentum*vi)))
	WORD $0x6e20dfc6 // fmul v6.4s, v30.4s, v0.4s
	WORD $0x4e26d446 // fadd v6.4s, v2.4s, v6.4s
	WORD $0x6e26dfe6 // fmul v6.4s, v31.4s, v6.4s
	WORD $0x4ea6d484 // fsub v4.4s, v4.4s, v6.4s
	VST1.P [V4.S4], 16(R0)

tail1:
	AND $3, R3, R4 // R4 = n%4
	CBZ R4, done

loop1:
	FMOVS   (R1), F0
	FMOVS.P 4(R2), F2
	FMOVS   (R0), F4
	FMULS   F0, F30, F0 // momentum*v
	FADDS   F2, F0, F0  // + g
	FMOVS.P F0, 4(R1)
	FMULS   F0, F30, F6 // momentum*vi
	FADDS   F6, F2, F6  // g + that
	FMULS   F6, F31, F6 // lr * that
	FSUBS   F6, F4, F4
	FMOVS.P F4, 4(R0)
	SUB     $1, R4
	CBNZ    R4, loop1

done:
	RET

// Adam registers: R0 w, R1 m, R2 v, R5 g, R3 n, R4 loop counter,
// V16 beta1, V17 c1, V18 beta2, V19 c2, V20 invSqrtC2, V21 eps, V22 step,
// V0 m then mi then the update, V1 g, V2 v then vi then the denominator,
// V3 products, V4 w.

// func adamNEON(w, m, v, g []float32, step, beta1, c1, beta2, c2, eps, invSqrtC2 float32)
TEXT ·adamNEON(SB), NOSPLIT|NOFRAME, $0-124
	MOVD  w_base+0(FP), R0
	MOVD  w_len+8(FP), R3
	MOVD  m_base+24(FP), R1
	MOVD  v_base+48(FP), R2
	MOVD  g_base+72(FP), R5
	FMOVS step+96(FP), F22
	FMOVS beta1+100(FP), F16
	FMOVS c1+104(FP), F17
	FMOVS beta2+108(FP), F18
	FMOVS c2+112(FP), F19
	FMOVS eps+116(FP), F21
	FMOVS invSqrtC2+120(FP), F20
	VDUP  V16.S[0], V16.S4
	VDUP  V17.S[0], V17.S4
	VDUP  V18.S[0], V18.S4
	VDUP  V19.S[0], V19.S4
	VDUP  V20.S[0], V20.S4
	VDUP  V21.S[0], V21.S4
	VDUP  V22.S[0], V22.S4
	LSR   $2, R3, R4 // R4 = n/4
	CBZ   R4, tail1

loop4:
	VLD1   (R1), [V0.S4]
	VLD1.P 16(R5), [V1.S4]
	VLD1   (R2), [V2.S4]
	WORD $0x6e20de00 // fmul v0.4s, v16.4s, v0.4s
	WORD $0x6e21de23 // fmul v3.4s, v17.4s, v1.4s
	WORD $0x4e23d400 // fadd v0.4s, v0.4s, v3.4s
	VST1.P [V0.S4], 16(R1) // m = mi
	WORD $0x6e22de42 // fmul v2.4s, v18.4s, v2.4s
	WORD $0x6e21de63 // fmul v3.4s, v19.4s, v1.4s
	WORD $0x6e21dc63 // fmul v3.4s, v3.4s, v1.4s
	WORD $0x4e23d442 // fadd v2.4s, v2.4s, v3.4s
	VST1.P [V2.S4], 16(R2) // v = vi
	WORD $0x6ea1f842 // fsqrt v2.4s, v2.4s
	WORD $0x6e34dc42 // fmul v2.4s, v2.4s, v20.4s
	WORD $0x4e35d442 // fadd v2.4s, v2.4s, v21.4s
	WORD $0x6e20dec0 // fmul v0.4s, v22.4s, v0.4s
	WORD $0x6e22fc00 // fdiv v0.4s, v0.4s, v2.4s
	VLD1   (R0), [V4.S4]
	WORD $0x4ea0d484 // fsub v4.4s, v4.4s, v0.4s
	VST1.P [V4.S4], 16(R0) // w -= step*mi/den
	SUB    $1, R4
	CBNZ   R4, loop4

tail1:
	AND $3, R3, R4 // R4 = n%4
	CBZ R4, done

loop1:
	FMOVS   (R1), F0
	FMOVS.P 4(R5), F1
	FMOVS   (R2), F2
	FMULS   F0, F16, F0 // beta1*m
	FMULS   F1, F17, F3 // c1*g
	FADDS   F3, F0, F0  // mi
	FMOVS.P F0, 4(R1)
	FMULS   F2, F18, F2 // beta2*v
	FMULS   F1, F19, F3 // c2*g
	FMULS   F1, F3, F3  // (c2*g)*g
	FADDS   F3, F2, F2  // vi
	FMOVS.P F2, 4(R2)
	FSQRTS  F2, F2
	FMULS   F20, F2, F2 // sqrt(vi)*invSqrtC2
	FADDS   F21, F2, F2 // den
	FMULS   F0, F22, F0 // step*mi
	FDIVS   F2, F0, F0
	FMOVS   (R0), F4
	FSUBS   F0, F4, F4
	FMOVS.P F4, 4(R0)
	SUB     $1, R4
	CBNZ    R4, loop1

done:
	RET

// dropout registers: R0 dst, R1 x, R3 n, R4 loop counter, R11 keep (as
// halfwords, advanced 2 bytes per 16 elements), R6 the tail's mask bits,
// R7 one element's lane mask, V31 scale, V16-V19 bitsS, V8 the 16 mask bits
// in every halfword, V4-V7 lane masks, V0-V3 x and then the results.

// func dropoutApplyNEON(dst, x []float32, keep []uint64, scale float32)
TEXT ·dropoutApplyNEON(SB), NOSPLIT|NOFRAME, $0-76
	MOVD  dst_base+0(FP), R0
	MOVD  dst_len+8(FP), R3
	MOVD  x_base+24(FP), R1
	MOVD  keep_base+48(FP), R11
	FMOVS scale+72(FP), F31
	VDUP  V31.S[0], V31.S4
	MOVD  $bitsS<>(SB), R5
	VLD1  (R5), [V16.S4, V17.S4, V18.S4, V19.S4]
	LSR   $4, R3, R4 // R4 = n/16
	CBZ   R4, tail1

loop16:
	// Each 32-bit lane of V8 holds the 16 bits twice; CMTST against
	// 1<<(4q+k) keeps lane k of vector q where its bit is set.
	VLD1R.P 2(R11), [V8.H8]
	VCMTST  V16.S4, V8.S4, V4.S4
	VCMTST  V17.S4, V8.S4, V5.S4
	VCMTST  V18.S4, V8.S4, V6.S4
	VCMTST  V19.S4, V8.S4, V7.S4
	VLD1.P  64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	// dst[i:i+16] = scale*x[i:i+16] & mask
	WORD $0x6e20dfe0 // fmul v0.4s, v31.4s, v0.4s
	WORD $0x6e21dfe1 // fmul v1.4s, v31.4s, v1.4s
	WORD $0x6e22dfe2 // fmul v2.4s, v31.4s, v2.4s
	WORD $0x6e23dfe3 // fmul v3.4s, v31.4s, v3.4s
	VAND    V4.B16, V0.B16, V0.B16
	VAND    V5.B16, V1.B16, V1.B16
	VAND    V6.B16, V2.B16, V2.B16
	VAND    V7.B16, V3.B16, V3.B16
	VST1.P  [V0.S4, V1.S4, V2.S4, V3.S4], 64(R0)
	SUB     $1, R4
	CBNZ    R4, loop16

tail1:
	// The last n%16 elements' bits are the low bits of the halfword at
	// R11, which keep covers (it holds whole words).
	AND   $15, R3, R4
	CBZ   R4, done
	MOVHU (R11), R6

loop1:
	FMOVS.P 4(R1), F0
	FMULS   F0, F31, F0 // scale*x
	AND     $1, R6, R7
	NEG     R7, R7      // all ones if kept, else 0
	FMOVS   R7, F1
	VAND    V1.B16, V0.B16, V0.B16
	FMOVS.P F0, 4(R0)
	LSR     $1, R6
	SUB     $1, R4
	CBNZ    R4, loop1

done:
	RET
