//go:build !purego

#include "textflag.h"

// Sparse × dense tile kernel for arm64 (SgemmCSR), NEON.
//
// csrTileNEON computes one tile of one row of C = alpha·A·B + beta·C, the
// w = 4·regs + tail columns starting at b and c, from the nnz nonzeros of
// the row (or a chunk of them), exactly as the amd64 kernels do:
//
//	for j < w:
//		s := 0 (or acc[j] if flags&1, csrAccIn)
//		for k < nnz { s = fma(vals[k], b[cols[k]*ldb+j], s) }
//		if flags&2 == 0 { acc[j] = s; continue }   // csrFinal
//		if beta == 0 { c[j] = alpha*s } else { c[j] = fma(beta, c[j], alpha*s) }
//
// and returns -1, or the first k whose cols[k] is outside [0, bRows), before
// writing anything (an unsigned compare, so negative indices fail too).
//
// Tile: up to 24 full accumulators V0-V23 (96 columns) and tail < 4 more
// columns in the scalar registers F24-F26, loaded and stored one float at a
// time, so no memory beyond the tile is touched. Per nonzero: broadcast
// vals[k] (VLD1R into V28), then one VFMLA per accumulator with B's row
// loaded 4 registers at a time (full tiles) or one at a time behind a
// compare-and-branch (narrower tiles).
//
// The epilogue forms alpha·s as fma(alpha, s, -0), which is alpha·s rounded
// once with its sign (x + -0 = x for every x, zeros included), so only
// instructions the Go assembler has natively are needed: no WORDs.
//
// Register map:
//
//	R0   acc           R6   bRows           R10  regs
//	R1   vals (post-incremented)           R11  tail
//	R2   cols (post-incremented)           R12  scratch
//	R3   nnz           R7   c               R9   k
//	R4   b             R8   B's row cols[k] at the tile
//	R5   ldb*4
//	V0-V23 accumulators, F24-F26 tail accumulators, V27 a loaded piece of
//	B (narrow tiles) or of C, V24-V27 four pieces of B (full tiles), V28
//	vals[k] broadcast, then alpha; V29 beta, V30 -0, V31 the output.

// CHAIN runs STEP(r, Vr, end) for the 24 accumulators; STEP leaves for end
// once r reaches regs.
#define CHAIN(STEP, end) \
	STEP(0, V0, end); STEP(1, V1, end); STEP(2, V2, end); STEP(3, V3, end); \
	STEP(4, V4, end); STEP(5, V5, end); STEP(6, V6, end); STEP(7, V7, end); \
	STEP(8, V8, end); STEP(9, V9, end); STEP(10, V10, end); STEP(11, V11, end); \
	STEP(12, V12, end); STEP(13, V13, end); STEP(14, V14, end); STEP(15, V15, end); \
	STEP(16, V16, end); STEP(17, V17, end); STEP(18, V18, end); STEP(19, V19, end); \
	STEP(20, V20, end); STEP(21, V21, end); STEP(22, V22, end); STEP(23, V23, end)

#define ZERO(r, V, end) VEOR V.B16, V.B16, V.B16
// acc pieces are loaded from R12 (= acc), post-incremented.
#define LOAD(r, V, end) CMP $r, R10; BLE end; VLD1.P 16(R12), [V.S4]
#define SAVE(r, V, end) CMP $r, R10; BLE end; VST1.P [V.S4], 16(R12)
// B's row is read from R8, post-incremented.
#define FMA(r, V, end) CMP $r, R10; BLE end; VLD1.P 16(R8), [V27.S4]; VFMLA V28.S4, V27.S4, V.S4
// C is written through R12 (= c), post-incremented.
#define OUT0(r, V, end) CMP $r, R10; BLE end; VMOV V30.B16, V31.B16; VFMLA V28.S4, V.S4, V31.S4; VST1.P [V31.S4], 16(R12)
#define OUT(r, V, end) CMP $r, R10; BLE end; VMOV V30.B16, V31.B16; VFMLA V28.S4, V.S4, V31.S4; VLD1 (R12), [V27.S4]; VFMLA V29.S4, V27.S4, V31.S4; VST1.P [V31.S4], 16(R12)

// TAIL runs STEP(i, off, Fi) for the tail columns (off their byte offset),
// with R12 pointing at the first, and leaves for end after the last.
#define TAIL(STEP, end) \
	CBZ R11, end; STEP(0, 0, F24); \
	CMP $1, R11; BLE end; STEP(1, 4, F25); \
	CMP $2, R11; BLE end; STEP(2, 8, F26)

#define T_LOAD(i, off, F) FMOVS off(R12), F
#define T_SAVE(i, off, F) FMOVS F, off(R12)
// F = F + vals[k]·b (F28 is lane 0 of the broadcast)
#define T_FMA(i, off, F) FMOVS off(R8), F27; FMADDS F27, F, F28, F
#define T_OUT0(i, off, F) FMULS F28, F, F31; FMOVS F31, off(R12)
#define T_OUT(i, off, F) FMULS F28, F, F31; FMOVS off(R12), F27; FMADDS F27, F31, F29, F31; FMOVS F31, off(R12)

// func csrTileNEON(acc, vals *float32, cols *int32, nnz int, b *float32, ldb, bRows int, c *float32, regs, tail int, alpha, beta float32, flags int) int
TEXT ·csrTileNEON(SB), NOSPLIT|NOFRAME, $0-104
	MOVD acc+0(FP), R0
	MOVD vals+8(FP), R1
	MOVD cols+16(FP), R2
	MOVD nnz+24(FP), R3
	MOVD b+32(FP), R4
	MOVD ldb+40(FP), R5
	LSL  $2, R5, R5
	MOVD bRows+48(FP), R6
	MOVD c+56(FP), R7
	MOVD regs+64(FP), R10
	MOVD tail+72(FP), R11

	// The accumulators start at 0, or at the previous chunk's sums.
	CHAIN(ZERO, unused)
	VEOR V24.B16, V24.B16, V24.B16
	VEOR V25.B16, V25.B16, V25.B16
	VEOR V26.B16, V26.B16, V26.B16
	MOVD flags+88(FP), R12
	TBZ  $0, R12, start
	MOVD R0, R12
	CHAIN(LOAD, load_tail)
load_tail:
	TAIL(T_LOAD, start)

start:
	MOVD $0, R9
	CBZ  R3, epilogue
	CMP  $24, R10
	BLT  loop
	CBNZ R11, loop
	// 96 columns, no tail: B's row in 4 loads of 4 registers, no branches.
	PCALIGN $16
loop_full:
	MOVW.P 4(R2), R8 // cols[k], sign-extended
	CMP    R6, R8
	BHS    bad
	MUL    R5, R8, R8
	ADD    R4, R8, R8
	VLD1R.P 4(R1), [V28.S4]
	VLD1.P 64(R8), [V24.S4, V25.S4, V26.S4, V27.S4]
	VFMLA  V28.S4, V24.S4, V0.S4
	VFMLA  V28.S4, V25.S4, V1.S4
	VFMLA  V28.S4, V26.S4, V2.S4
	VFMLA  V28.S4, V27.S4, V3.S4
	VLD1.P 64(R8), [V24.S4, V25.S4, V26.S4, V27.S4]
	VFMLA  V28.S4, V24.S4, V4.S4
	VFMLA  V28.S4, V25.S4, V5.S4
	VFMLA  V28.S4, V26.S4, V6.S4
	VFMLA  V28.S4, V27.S4, V7.S4
	VLD1.P 64(R8), [V24.S4, V25.S4, V26.S4, V27.S4]
	VFMLA  V28.S4, V24.S4, V8.S4
	VFMLA  V28.S4, V25.S4, V9.S4
	VFMLA  V28.S4, V26.S4, V10.S4
	VFMLA  V28.S4, V27.S4, V11.S4
	VLD1.P 64(R8), [V24.S4, V25.S4, V26.S4, V27.S4]
	VFMLA  V28.S4, V24.S4, V12.S4
	VFMLA  V28.S4, V25.S4, V13.S4
	VFMLA  V28.S4, V26.S4, V14.S4
	VFMLA  V28.S4, V27.S4, V15.S4
	VLD1.P 64(R8), [V24.S4, V25.S4, V26.S4, V27.S4]
	VFMLA  V28.S4, V24.S4, V16.S4
	VFMLA  V28.S4, V25.S4, V17.S4
	VFMLA  V28.S4, V26.S4, V18.S4
	VFMLA  V28.S4, V27.S4, V19.S4
	VLD1.P 64(R8), [V24.S4, V25.S4, V26.S4, V27.S4]
	VFMLA  V28.S4, V24.S4, V20.S4
	VFMLA  V28.S4, V25.S4, V21.S4
	VFMLA  V28.S4, V26.S4, V22.S4
	VFMLA  V28.S4, V27.S4, V23.S4
	ADD    $1, R9
	CMP    R3, R9
	BLT    loop_full
	B      epilogue

	PCALIGN $16
loop:
	MOVW.P 4(R2), R8 // cols[k], sign-extended
	CMP    R6, R8
	BHS    bad
	MUL    R5, R8, R8
	ADD    R4, R8, R8
	VLD1R.P 4(R1), [V28.S4]
	CHAIN(FMA, fma_tail)
fma_tail:
	// R8 has advanced past the full registers, to the tail.
	TAIL(T_FMA, next)
next:
	ADD    $1, R9
	CMP    R3, R9
	BLT    loop

epilogue:
	MOVD flags+88(FP), R12
	TBNZ $1, R12, final
	MOVD R0, R12
	CHAIN(SAVE, save_tail)
save_tail:
	TAIL(T_SAVE, done)
	B    done

final:
	FMOVS alpha+80(FP), F28
	VDUP  V28.S[0], V28.S4
	FMOVS beta+84(FP), F29
	VDUP  V29.S[0], V29.S4
	MOVW  $0x80000000, R12
	VDUP  R12, V30.S4 // -0
	MOVWU beta+84(FP), R12
	LSLW  $1, R12, R12 // drops the sign: -0 is zero too
	CBNZW R12, with_beta
	MOVD  R7, R12
	CHAIN(OUT0, out0_tail)
out0_tail:
	TAIL(T_OUT0, done)
	B     done

with_beta:
	MOVD R7, R12
	CHAIN(OUT, out_tail)
out_tail:
	TAIL(T_OUT, done)

done:
	MOVD $-1, R12
	MOVD R12, ret+96(FP)
	RET

bad:
	MOVD R9, ret+96(FP)
	RET
