//go:build !purego

#include "textflag.h"

// Sparse × dense tile kernels for amd64 (SgemmCSR), AVX-512 and AVX2+FMA.
//
// Each call computes one tile of one row of C = alpha·A·B + beta·C, the
// w = UNIT·regs + tail columns starting at b and c, from the nnz nonzeros of
// the row (or a chunk of them):
//
//	for j < w:
//		s := 0 (or acc[j] if flags&1, csrAccIn)
//		for k < nnz { s = fma(vals[k], b[cols[k]*ldb+j], s) }
//		if flags&2 == 0 { acc[j] = s; continue }   // csrFinal
//		if beta == 0 { c[j] = alpha*s } else { c[j] = fma(beta, c[j], alpha*s) }
//
// and returns -1, or the first k whose cols[k] is outside [0, bRows), before
// writing anything (the unsigned compare catches negative indices too). That
// check is what makes a hand-built CSR safe: every row of B addressed is one
// of the bRows rows the Go caller checked b holds.
//
// Tile: AVX-512 keeps up to 16 full ZMM accumulators (Z0-Z15, 256 columns)
// plus a partial one, Z16, whose loads and stores run under the lane mask
// K1 (masked-off lanes are not accessed, so no memory beyond the tile is
// touched). AVX2 keeps up to 12 YMM accumulators (Y0-Y11, 96 columns) plus a
// partial Y12 loaded and stored with VMASKMOVPS under the lane mask Y13.
// Per nonzero the loop broadcasts vals[k] (Z17 / Y15) and does one FMA per
// accumulator with B's row as the memory operand: B is read once per
// nonzero, in consecutive 64- or 32-byte pieces of one row.
//
// Narrower tiles run the same loop with a compare-and-branch before each
// accumulator (regs < n skips the rest); full-width tiles, the common case
// (256 columns with AVX-512), take a straight loop instead.
//
// Register map:
//
//	DI   acc, the partial sums of a chunked row (csrTileMax floats)
//	SI   vals
//	DX   cols
//	CX   nnz
//	BX   b (the tile's first column)
//	R9   ldb*4, B's row stride in bytes
//	R10  bRows
//	R11  regs, the full accumulators in use
//	R12  regs*UNIT*4, the partial accumulator's byte offset in the tile
//	R13  c (the tile's first column)
//	R14  tail, the partial accumulator's width (0: none)
//	AX   k, the nonzero index
//	R8   the address of B's row cols[k] at the tile

// ---- AVX-512 ----

// ZCHAIN runs STEP(r, off, Zr, end) for the 16 full accumulators, where STEP
// skips to end once r reaches regs.
#define ZCHAIN(STEP, end) \
	STEP(0, 0, Z0, end); \
	STEP(1, 64, Z1, end); \
	STEP(2, 128, Z2, end); \
	STEP(3, 192, Z3, end); \
	STEP(4, 256, Z4, end); \
	STEP(5, 320, Z5, end); \
	STEP(6, 384, Z6, end); \
	STEP(7, 448, Z7, end); \
	STEP(8, 512, Z8, end); \
	STEP(9, 576, Z9, end); \
	STEP(10, 640, Z10, end); \
	STEP(11, 704, Z11, end); \
	STEP(12, 768, Z12, end); \
	STEP(13, 832, Z13, end); \
	STEP(14, 896, Z14, end); \
	STEP(15, 960, Z15, end)

#define Z_ZERO(r, off, Z, end) VPXORD Z, Z, Z
#define Z_LOAD(r, off, Z, end) CMPQ R11, $r; JBE end; VMOVUPS off(DI), Z
#define Z_FMA(r, off, Z, end) CMPQ R11, $r; JBE end; VFMADD231PS off(R8), Z17, Z
#define Z_FMA_FULL(r, off, Z, end) VFMADD231PS off(R8), Z17, Z
#define Z_SAVE(r, off, Z, end) CMPQ R11, $r; JBE end; VMOVUPS Z, off(DI)
// c = alpha*s (Z18 = alpha), and with beta (Z19): c = fma(beta, c, alpha*s)
#define Z_OUT0(r, off, Z, end) CMPQ R11, $r; JBE end; VMULPS Z18, Z, Z; VMOVUPS Z, off(R13)
#define Z_OUT(r, off, Z, end) CMPQ R11, $r; JBE end; VMULPS Z18, Z, Z; VFMADD231PS off(R13), Z19, Z; VMOVUPS Z, off(R13)

// ROW_ADDR sets R8 to B's row cols[k] at the tile, or leaves with k when
// cols[k] is out of range.
#define ROW_ADDR(bad) \
	MOVLQSX (DX)(AX*4), R8; \
	CMPQ    R8, R10; \
	JAE     bad; \
	IMULQ   R9, R8; \
	ADDQ    BX, R8

// func csrTileAVX512(acc, vals *float32, cols *int32, nnz int, b *float32, ldb, bRows int, c *float32, regs, tail int, alpha, beta float32, flags int) int
TEXT ·csrTileAVX512(SB), NOSPLIT, $0-104
	MOVQ tail+72(FP), CX
	MOVQ CX, R14
	MOVL $1, AX
	SHLL CX, AX
	DECL AX
	KMOVW AX, K1 // the low tail lanes
	MOVQ acc+0(FP), DI
	MOVQ vals+8(FP), SI
	MOVQ cols+16(FP), DX
	MOVQ nnz+24(FP), CX
	MOVQ b+32(FP), BX
	MOVQ ldb+40(FP), R9
	SHLQ $2, R9
	MOVQ bRows+48(FP), R10
	MOVQ c+56(FP), R13
	MOVQ regs+64(FP), R11
	MOVQ R11, R12
	SHLQ $6, R12

	// The accumulators start at 0, or at the previous chunk's sums.
	ZCHAIN(Z_ZERO, z_zeroed)
	VPXORD Z16, Z16, Z16
	TESTQ $1, flags+88(FP)
	JZ    z_start
	ZCHAIN(Z_LOAD, z_load_tail)
z_load_tail:
	TESTQ R14, R14
	JZ    z_start
	VMOVUPS (DI)(R12*1), K1, Z16

z_start:
	XORQ AX, AX
	TESTQ CX, CX
	JZ   z_epilogue
	CMPQ R11, $16
	JB   z_loop
	// 256 columns: no tail, no per-accumulator branches.
	PCALIGN $32
z_loop_full:
	ROW_ADDR(z_bad)
	VBROADCASTSS (SI)(AX*4), Z17
	ZCHAIN(Z_FMA_FULL, z_unused)
	INCQ AX
	CMPQ AX, CX
	JB   z_loop_full
	JMP  z_epilogue

	PCALIGN $32
z_loop:
	ROW_ADDR(z_bad)
	VBROADCASTSS (SI)(AX*4), Z17
	ZCHAIN(Z_FMA, z_fma_tail)
z_fma_tail:
	TESTQ R14, R14
	JZ    z_next
	VFMADD231PS (R8)(R12*1), Z17, K1, Z16
z_next:
	INCQ AX
	CMPQ AX, CX
	JB   z_loop

z_epilogue:
	TESTQ $2, flags+88(FP)
	JNZ   z_final
	ZCHAIN(Z_SAVE, z_save_tail)
z_save_tail:
	TESTQ R14, R14
	JZ    z_done
	VMOVUPS Z16, K1, (DI)(R12*1)
	JMP   z_done

z_final:
	VBROADCASTSS alpha+80(FP), Z18
	VBROADCASTSS beta+84(FP), Z19
	MOVL beta+84(FP), AX
	SHLL $1, AX // drops the sign: -0 is zero too
	JNZ  z_beta
	ZCHAIN(Z_OUT0, z_out0_tail)
z_out0_tail:
	TESTQ R14, R14
	JZ    z_done
	VMULPS  Z18, Z16, Z16
	VMOVUPS Z16, K1, (R13)(R12*1)
	JMP   z_done

z_beta:
	ZCHAIN(Z_OUT, z_out_tail)
z_out_tail:
	TESTQ R14, R14
	JZ    z_done
	VMULPS      Z18, Z16, Z16
	VFMADD231PS (R13)(R12*1), Z19, K1, Z16
	VMOVUPS     Z16, K1, (R13)(R12*1)

z_done:
	MOVQ $-1, ret+96(FP)
	VZEROUPPER
	RET

z_bad:
	MOVQ AX, ret+96(FP)
	VZEROUPPER
	RET

// ---- AVX2 ----

// YCHAIN is ZCHAIN for the 12 full YMM accumulators.
#define YCHAIN(STEP, end) \
	STEP(0, 0, Y0, end); \
	STEP(1, 32, Y1, end); \
	STEP(2, 64, Y2, end); \
	STEP(3, 96, Y3, end); \
	STEP(4, 128, Y4, end); \
	STEP(5, 160, Y5, end); \
	STEP(6, 192, Y6, end); \
	STEP(7, 224, Y7, end); \
	STEP(8, 256, Y8, end); \
	STEP(9, 288, Y9, end); \
	STEP(10, 320, Y10, end); \
	STEP(11, 352, Y11, end)

#define Y_ZERO(r, off, Y, end) VXORPS Y, Y, Y
#define Y_LOAD(r, off, Y, end) CMPQ R11, $r; JBE end; VMOVUPS off(DI), Y
#define Y_FMA(r, off, Y, end) CMPQ R11, $r; JBE end; VFMADD231PS off(R8), Y15, Y
#define Y_FMA_FULL(r, off, Y, end) VFMADD231PS off(R8), Y15, Y
#define Y_SAVE(r, off, Y, end) CMPQ R11, $r; JBE end; VMOVUPS Y, off(DI)
// c = alpha*s (Y15 = alpha), and with beta (Y14): c = fma(beta, c, alpha*s)
#define Y_OUT0(r, off, Y, end) CMPQ R11, $r; JBE end; VMULPS Y15, Y, Y; VMOVUPS Y, off(R13)
#define Y_OUT(r, off, Y, end) CMPQ R11, $r; JBE end; VMULPS Y15, Y, Y; VFMADD231PS off(R13), Y14, Y; VMOVUPS Y, off(R13)

// func csrTileAVX2(acc, vals *float32, cols *int32, nnz int, b *float32, ldb, bRows int, c *float32, regs, tail int, alpha, beta float32, flags int) int
TEXT ·csrTileAVX2(SB), NOSPLIT, $0-104
	MOVQ tail+72(FP), R14
	// Y13: the low tail lanes all ones, from a window into csrMask8
	LEAQ csrMask8<>+32(SB), AX
	MOVQ R14, R8
	SHLQ $2, R8
	SUBQ R8, AX
	VMOVUPS (AX), Y13
	MOVQ acc+0(FP), DI
	MOVQ vals+8(FP), SI
	MOVQ cols+16(FP), DX
	MOVQ nnz+24(FP), CX
	MOVQ b+32(FP), BX
	MOVQ ldb+40(FP), R9
	SHLQ $2, R9
	MOVQ bRows+48(FP), R10
	MOVQ c+56(FP), R13
	MOVQ regs+64(FP), R11
	MOVQ R11, R12
	SHLQ $5, R12

	YCHAIN(Y_ZERO, y_zeroed)
	VXORPS Y12, Y12, Y12
	TESTQ $1, flags+88(FP)
	JZ    y_start
	YCHAIN(Y_LOAD, y_load_tail)
y_load_tail:
	TESTQ R14, R14
	JZ    y_start
	VMASKMOVPS (DI)(R12*1), Y13, Y12

y_start:
	XORQ AX, AX
	TESTQ CX, CX
	JZ   y_epilogue
	CMPQ R11, $12
	JB   y_loop
	TESTQ R14, R14
	JNZ  y_loop
	// 96 columns: no tail, no per-accumulator branches.
	PCALIGN $32
y_loop_full:
	ROW_ADDR(y_bad)
	VBROADCASTSS (SI)(AX*4), Y15
	YCHAIN(Y_FMA_FULL, y_unused)
	INCQ AX
	CMPQ AX, CX
	JB   y_loop_full
	JMP  y_epilogue

	PCALIGN $32
y_loop:
	ROW_ADDR(y_bad)
	VBROADCASTSS (SI)(AX*4), Y15
	YCHAIN(Y_FMA, y_fma_tail)
y_fma_tail:
	TESTQ R14, R14
	JZ    y_next
	VMASKMOVPS  (R8)(R12*1), Y13, Y14
	VFMADD231PS Y14, Y15, Y12
y_next:
	INCQ AX
	CMPQ AX, CX
	JB   y_loop

y_epilogue:
	TESTQ $2, flags+88(FP)
	JNZ   y_final
	YCHAIN(Y_SAVE, y_save_tail)
y_save_tail:
	TESTQ R14, R14
	JZ    y_done
	VMASKMOVPS Y12, Y13, (DI)(R12*1)
	JMP   y_done

y_final:
	VBROADCASTSS alpha+80(FP), Y15
	VBROADCASTSS beta+84(FP), Y14
	MOVL beta+84(FP), AX
	SHLL $1, AX // drops the sign: -0 is zero too
	JNZ  y_beta
	YCHAIN(Y_OUT0, y_out0_tail)
y_out0_tail:
	TESTQ R14, R14
	JZ    y_done
	VMULPS     Y15, Y12, Y12
	VMASKMOVPS Y12, Y13, (R13)(R12*1)
	JMP   y_done

y_beta:
	YCHAIN(Y_OUT, y_out_tail)
y_out_tail:
	TESTQ R14, R14
	JZ    y_done
	VMULPS      Y15, Y12, Y12
	VMASKMOVPS  (R13)(R12*1), Y13, Y15
	VFMADD231PS Y15, Y14, Y12
	VMASKMOVPS  Y12, Y13, (R13)(R12*1)

y_done:
	MOVQ $-1, ret+96(FP)
	VZEROUPPER
	RET

y_bad:
	MOVQ AX, ret+96(FP)
	VZEROUPPER
	RET

// csrMask8 is eight all-ones words then eight zeros: the 8 words starting
// tail words before the middle have exactly their low tail lanes set.
DATA csrMask8<>+0(SB)/8, $-1
DATA csrMask8<>+8(SB)/8, $-1
DATA csrMask8<>+16(SB)/8, $-1
DATA csrMask8<>+24(SB)/8, $-1
DATA csrMask8<>+32(SB)/8, $0
DATA csrMask8<>+40(SB)/8, $0
DATA csrMask8<>+48(SB)/8, $0
DATA csrMask8<>+56(SB)/8, $0
GLOBL csrMask8<>(SB), RODATA|NOPTR, $64

