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


// ---- Conversions from dense (AVX-512) ----
//
// A float counts as nonzero when it compares unequal to 0 (VCMPPS predicate
// 4, NEQ_UQ): NaN is unordered, so it counts; -0 equals 0, so it does not.
// Rows are read 16 floats at a time, the last n%16 under a zeroing lane mask
// (K1), whose zero lanes then count as zeros; nothing beyond the row is read.

// func csrCompressAVX512(vals *float32, idx *int32, row *float32, n, base int) int
//
//	k := 0
//	for j := range n { if row[j] != 0 { vals[k], idx[k] = row[j], base+j; k++ } }
//	return k
//
// Per 16 floats: compare with zero into K2, skip all-zero pieces (digits
// have long runs of them), else compress the nonzero floats and their
// indices into the low lanes of Z1 and Z5 and store popcount(K2) lanes of
// each under the mask K3. Writes exactly the k entries, so vals and idx
// need room for k only. (Compressing in a register and storing under a
// mask avoids VCOMPRESSPS to memory, which is microcoded and slow on Zen 4.)
TEXT ·csrCompressAVX512(SB), NOSPLIT, $0-48
	MOVQ vals+0(FP), DI
	MOVQ idx+8(FP), SI
	MOVQ row+16(FP), DX
	MOVQ n+24(FP), R11
	XORQ AX, AX // j
	XORQ BX, BX // k
	VPBROADCASTD base+32(FP), Z2
	VPADDD csrIota16<>(SB), Z2, Z2 // base+j, base+j+1, ..., base+j+15
	VPBROADCASTD csrSixteen<>(SB), Z3
	VPXORD Z4, Z4, Z4
	KXNORW K1, K1, K1
	MOVQ R11, R10
	ANDQ $-16, R10
	PCALIGN $32
c_loop:
	CMPQ AX, R10
	JAE  c_tail
	VMOVUPS (DX)(AX*4), Z0
c_piece:
	VCMPPS $4, Z4, Z0, K2
	KMOVW  K2, R8
	TESTL  R8, R8
	JZ     c_next
	VCOMPRESSPS Z0, K2, Z1
	VPCOMPRESSD Z2, K2, Z5
	POPCNTL R8, R9
	MOVL    R9, CX
	MOVL    $1, R8
	SHLL    CX, R8
	DECL    R8
	KMOVW   R8, K3 // the low popcount lanes
	VMOVUPS   Z1, K3, (DI)(BX*4)
	VMOVDQU32 Z5, K3, (SI)(BX*4)
	ADDQ    R9, BX
c_next:
	VPADDD Z3, Z2, Z2
	ADDQ   $16, AX
	JMP    c_loop
c_tail:
	CMPQ AX, R11
	JAE  c_done
	MOVQ R11, CX
	SUBQ AX, CX
	MOVL $1, R8
	SHLL CX, R8
	DECL R8
	KMOVW R8, K1
	VMOVUPS.Z (DX)(AX*4), K1, Z0
	MOVQ R11, R10 // the piece ends the loop
	JMP  c_piece
c_done:
	MOVQ BX, ret+40(FP)
	VZEROUPPER
	RET

// func csrCountColumnsAVX512(cnt *int32, row *float32, n int)
//
//	for j := range n { if row[j] != 0 { cnt[j]++ } }
//
// cnt is loaded, incremented and stored only in the lanes that change.
TEXT ·csrCountColumnsAVX512(SB), NOSPLIT, $0-24
	MOVQ cnt+0(FP), DI
	MOVQ row+8(FP), DX
	MOVQ n+16(FP), R11
	XORQ AX, AX
	VPBROADCASTD csrOne<>(SB), Z3
	VPXORD Z4, Z4, Z4
	MOVQ R11, R10
	ANDQ $-16, R10
	PCALIGN $32
n_loop:
	CMPQ AX, R10
	JAE  n_tail
	VMOVUPS (DX)(AX*4), Z0
n_piece:
	VCMPPS $4, Z4, Z0, K2
	VPADDD (DI)(AX*4), Z3, K2, Z1
	VMOVDQU32 Z1, K2, (DI)(AX*4)
	ADDQ $16, AX
	JMP  n_loop
n_tail:
	CMPQ AX, R11
	JAE  n_done
	MOVQ R11, CX
	SUBQ AX, CX
	MOVL $1, R8
	SHLL CX, R8
	DECL R8
	KMOVW R8, K1
	VMOVUPS.Z (DX)(AX*4), K1, Z0
	MOVQ R11, R10
	JMP  n_piece
n_done:
	VZEROUPPER
	RET

DATA csrIota16<>+0(SB)/4, $0
DATA csrIota16<>+4(SB)/4, $1
DATA csrIota16<>+8(SB)/4, $2
DATA csrIota16<>+12(SB)/4, $3
DATA csrIota16<>+16(SB)/4, $4
DATA csrIota16<>+20(SB)/4, $5
DATA csrIota16<>+24(SB)/4, $6
DATA csrIota16<>+28(SB)/4, $7
DATA csrIota16<>+32(SB)/4, $8
DATA csrIota16<>+36(SB)/4, $9
DATA csrIota16<>+40(SB)/4, $10
DATA csrIota16<>+44(SB)/4, $11
DATA csrIota16<>+48(SB)/4, $12
DATA csrIota16<>+52(SB)/4, $13
DATA csrIota16<>+56(SB)/4, $14
DATA csrIota16<>+60(SB)/4, $15
GLOBL csrIota16<>(SB), RODATA|NOPTR, $64

DATA csrSixteen<>+0(SB)/4, $16
GLOBL csrSixteen<>(SB), RODATA|NOPTR, $4

DATA csrOne<>+0(SB)/4, $1
GLOBL csrOne<>(SB), RODATA|NOPTR, $4

// ---- Conversions from dense (AVX2) ----
//
// The same rule (VCMPPS predicate 4, NEQ_UQ) over whole pieces of 8 floats;
// the Go caller handles the last n%8.

// func csrCompressAVX2(vals *float32, idx *int32, row *float32, n, base int) int
//
// csrCompressAVX512 for n a multiple of 8, without a compress instruction:
// the piece's 8-bit nonzero mask m selects csrPerm8[m], the lanes of its set
// bits in increasing order, which VPERMPS uses to pack the nonzero floats
// into the low lanes; their indices are base+j plus those lanes. All 8
// lanes are stored and k advances by popcount(m), so up to 8 entries past
// the k written are overwritten with junk: vals and idx must have room for
// n entries.
TEXT ·csrCompressAVX2(SB), NOSPLIT, $0-48
	MOVQ vals+0(FP), DI
	MOVQ idx+8(FP), SI
	MOVQ row+16(FP), DX
	MOVQ n+24(FP), R11
	LEAQ csrPerm8<>(SB), R10
	XORQ AX, AX // j
	XORQ BX, BX // k
	VXORPS Y4, Y4, Y4
	VPBROADCASTD base+32(FP), Y5 // base+j in every lane
	VPBROADCASTD csrEight<>(SB), Y6
	PCALIGN $32
y_c_loop:
	CMPQ AX, R11
	JAE  y_c_done
	VMOVUPS (DX)(AX*4), Y0
	VCMPPS  $4, Y4, Y0, Y1
	VMOVMSKPS Y1, R8
	TESTL   R8, R8
	JZ      y_c_next
	VPMOVZXBD (R10)(R8*8), Y2  // the nonzero lanes, packed
	VPERMPS   Y0, Y2, Y3
	VPADDD    Y5, Y2, Y2
	VMOVUPS   Y3, (DI)(BX*4)
	VMOVDQU   Y2, (SI)(BX*4)
	POPCNTL   R8, R8
	ADDQ      R8, BX
y_c_next:
	VPADDD Y6, Y5, Y5
	ADDQ   $8, AX
	JMP    y_c_loop
y_c_done:
	MOVQ BX, ret+40(FP)
	VZEROUPPER
	RET

// func csrCountColumnsAVX2(cnt *int32, row *float32, n int)
//
// csrCountColumnsAVX512 for n a multiple of 8: the compare gives -1 in the
// nonzero lanes, which are subtracted from cnt.
TEXT ·csrCountColumnsAVX2(SB), NOSPLIT, $0-24
	MOVQ cnt+0(FP), DI
	MOVQ row+8(FP), DX
	MOVQ n+16(FP), R11
	XORQ AX, AX
	VXORPS Y4, Y4, Y4
	PCALIGN $32
y_n_loop:
	CMPQ AX, R11
	JAE  y_n_done
	VCMPPS  $4, (DX)(AX*4), Y4, Y1 // note: Y4 != row, the same predicate
	VMOVDQU (DI)(AX*4), Y2
	VPSUBD  Y1, Y2, Y2
	VMOVDQU Y2, (DI)(AX*4)
	ADDQ    $8, AX
	JMP     y_n_loop
y_n_done:
	VZEROUPPER
	RET

DATA csrEight<>+0(SB)/4, $8
GLOBL csrEight<>(SB), RODATA|NOPTR, $4

// csrPerm8[m] lists the set bits of m, lowest first, one byte each, then
// zero bytes: the lanes VPERMPS packs for a piece whose nonzero mask is m.
DATA csrPerm8<>+0(SB)/8, $0x0000000000000000
DATA csrPerm8<>+8(SB)/8, $0x0000000000000000
DATA csrPerm8<>+16(SB)/8, $0x0000000000000001
DATA csrPerm8<>+24(SB)/8, $0x0000000000000100
DATA csrPerm8<>+32(SB)/8, $0x0000000000000002
DATA csrPerm8<>+40(SB)/8, $0x0000000000000200
DATA csrPerm8<>+48(SB)/8, $0x0000000000000201
DATA csrPerm8<>+56(SB)/8, $0x0000000000020100
DATA csrPerm8<>+64(SB)/8, $0x0000000000000003
DATA csrPerm8<>+72(SB)/8, $0x0000000000000300
DATA csrPerm8<>+80(SB)/8, $0x0000000000000301
DATA csrPerm8<>+88(SB)/8, $0x0000000000030100
DATA csrPerm8<>+96(SB)/8, $0x0000000000000302
DATA csrPerm8<>+104(SB)/8, $0x0000000000030200
DATA csrPerm8<>+112(SB)/8, $0x0000000000030201
DATA csrPerm8<>+120(SB)/8, $0x0000000003020100
DATA csrPerm8<>+128(SB)/8, $0x0000000000000004
DATA csrPerm8<>+136(SB)/8, $0x0000000000000400
DATA csrPerm8<>+144(SB)/8, $0x0000000000000401
DATA csrPerm8<>+152(SB)/8, $0x0000000000040100
DATA csrPerm8<>+160(SB)/8, $0x0000000000000402
DATA csrPerm8<>+168(SB)/8, $0x0000000000040200
DATA csrPerm8<>+176(SB)/8, $0x0000000000040201
DATA csrPerm8<>+184(SB)/8, $0x0000000004020100
DATA csrPerm8<>+192(SB)/8, $0x0000000000000403
DATA csrPerm8<>+200(SB)/8, $0x0000000000040300
DATA csrPerm8<>+208(SB)/8, $0x0000000000040301
DATA csrPerm8<>+216(SB)/8, $0x0000000004030100
DATA csrPerm8<>+224(SB)/8, $0x0000000000040302
DATA csrPerm8<>+232(SB)/8, $0x0000000004030200
DATA csrPerm8<>+240(SB)/8, $0x0000000004030201
DATA csrPerm8<>+248(SB)/8, $0x0000000403020100
DATA csrPerm8<>+256(SB)/8, $0x0000000000000005
DATA csrPerm8<>+264(SB)/8, $0x0000000000000500
DATA csrPerm8<>+272(SB)/8, $0x0000000000000501
DATA csrPerm8<>+280(SB)/8, $0x0000000000050100
DATA csrPerm8<>+288(SB)/8, $0x0000000000000502
DATA csrPerm8<>+296(SB)/8, $0x0000000000050200
DATA csrPerm8<>+304(SB)/8, $0x0000000000050201
DATA csrPerm8<>+312(SB)/8, $0x0000000005020100
DATA csrPerm8<>+320(SB)/8, $0x0000000000000503
DATA csrPerm8<>+328(SB)/8, $0x0000000000050300
DATA csrPerm8<>+336(SB)/8, $0x0000000000050301
DATA csrPerm8<>+344(SB)/8, $0x0000000005030100
DATA csrPerm8<>+352(SB)/8, $0x0000000000050302
DATA csrPerm8<>+360(SB)/8, $0x0000000005030200
DATA csrPerm8<>+368(SB)/8, $0x0000000005030201
DATA csrPerm8<>+376(SB)/8, $0x0000000503020100
DATA csrPerm8<>+384(SB)/8, $0x0000000000000504
DATA csrPerm8<>+392(SB)/8, $0x0000000000050400
DATA csrPerm8<>+400(SB)/8, $0x0000000000050401
DATA csrPerm8<>+408(SB)/8, $0x0000000005040100
DATA csrPerm8<>+416(SB)/8, $0x0000000000050402
DATA csrPerm8<>+424(SB)/8, $0x0000000005040200
DATA csrPerm8<>+432(SB)/8, $0x0000000005040201
DATA csrPerm8<>+440(SB)/8, $0x0000000504020100
DATA csrPerm8<>+448(SB)/8, $0x0000000000050403
DATA csrPerm8<>+456(SB)/8, $0x0000000005040300
DATA csrPerm8<>+464(SB)/8, $0x0000000005040301
DATA csrPerm8<>+472(SB)/8, $0x0000000504030100
DATA csrPerm8<>+480(SB)/8, $0x0000000005040302
DATA csrPerm8<>+488(SB)/8, $0x0000000504030200
DATA csrPerm8<>+496(SB)/8, $0x0000000504030201
DATA csrPerm8<>+504(SB)/8, $0x0000050403020100
DATA csrPerm8<>+512(SB)/8, $0x0000000000000006
DATA csrPerm8<>+520(SB)/8, $0x0000000000000600
DATA csrPerm8<>+528(SB)/8, $0x0000000000000601
DATA csrPerm8<>+536(SB)/8, $0x0000000000060100
DATA csrPerm8<>+544(SB)/8, $0x0000000000000602
DATA csrPerm8<>+552(SB)/8, $0x0000000000060200
DATA csrPerm8<>+560(SB)/8, $0x0000000000060201
DATA csrPerm8<>+568(SB)/8, $0x0000000006020100
DATA csrPerm8<>+576(SB)/8, $0x0000000000000603
DATA csrPerm8<>+584(SB)/8, $0x0000000000060300
DATA csrPerm8<>+592(SB)/8, $0x0000000000060301
DATA csrPerm8<>+600(SB)/8, $0x0000000006030100
DATA csrPerm8<>+608(SB)/8, $0x0000000000060302
DATA csrPerm8<>+616(SB)/8, $0x0000000006030200
DATA csrPerm8<>+624(SB)/8, $0x0000000006030201
DATA csrPerm8<>+632(SB)/8, $0x0000000603020100
DATA csrPerm8<>+640(SB)/8, $0x0000000000000604
DATA csrPerm8<>+648(SB)/8, $0x0000000000060400
DATA csrPerm8<>+656(SB)/8, $0x0000000000060401
DATA csrPerm8<>+664(SB)/8, $0x0000000006040100
DATA csrPerm8<>+672(SB)/8, $0x0000000000060402
DATA csrPerm8<>+680(SB)/8, $0x0000000006040200
DATA csrPerm8<>+688(SB)/8, $0x0000000006040201
DATA csrPerm8<>+696(SB)/8, $0x0000000604020100
DATA csrPerm8<>+704(SB)/8, $0x0000000000060403
DATA csrPerm8<>+712(SB)/8, $0x0000000006040300
DATA csrPerm8<>+720(SB)/8, $0x0000000006040301
DATA csrPerm8<>+728(SB)/8, $0x0000000604030100
DATA csrPerm8<>+736(SB)/8, $0x0000000006040302
DATA csrPerm8<>+744(SB)/8, $0x0000000604030200
DATA csrPerm8<>+752(SB)/8, $0x0000000604030201
DATA csrPerm8<>+760(SB)/8, $0x0000060403020100
DATA csrPerm8<>+768(SB)/8, $0x0000000000000605
DATA csrPerm8<>+776(SB)/8, $0x0000000000060500
DATA csrPerm8<>+784(SB)/8, $0x0000000000060501
DATA csrPerm8<>+792(SB)/8, $0x0000000006050100
DATA csrPerm8<>+800(SB)/8, $0x0000000000060502
DATA csrPerm8<>+808(SB)/8, $0x0000000006050200
DATA csrPerm8<>+816(SB)/8, $0x0000000006050201
DATA csrPerm8<>+824(SB)/8, $0x0000000605020100
DATA csrPerm8<>+832(SB)/8, $0x0000000000060503
DATA csrPerm8<>+840(SB)/8, $0x0000000006050300
DATA csrPerm8<>+848(SB)/8, $0x0000000006050301
DATA csrPerm8<>+856(SB)/8, $0x0000000605030100
DATA csrPerm8<>+864(SB)/8, $0x0000000006050302
DATA csrPerm8<>+872(SB)/8, $0x0000000605030200
DATA csrPerm8<>+880(SB)/8, $0x0000000605030201
DATA csrPerm8<>+888(SB)/8, $0x0000060503020100
DATA csrPerm8<>+896(SB)/8, $0x0000000000060504
DATA csrPerm8<>+904(SB)/8, $0x0000000006050400
DATA csrPerm8<>+912(SB)/8, $0x0000000006050401
DATA csrPerm8<>+920(SB)/8, $0x0000000605040100
DATA csrPerm8<>+928(SB)/8, $0x0000000006050402
DATA csrPerm8<>+936(SB)/8, $0x0000000605040200
DATA csrPerm8<>+944(SB)/8, $0x0000000605040201
DATA csrPerm8<>+952(SB)/8, $0x0000060504020100
DATA csrPerm8<>+960(SB)/8, $0x0000000006050403
DATA csrPerm8<>+968(SB)/8, $0x0000000605040300
DATA csrPerm8<>+976(SB)/8, $0x0000000605040301
DATA csrPerm8<>+984(SB)/8, $0x0000060504030100
DATA csrPerm8<>+992(SB)/8, $0x0000000605040302
DATA csrPerm8<>+1000(SB)/8, $0x0000060504030200
DATA csrPerm8<>+1008(SB)/8, $0x0000060504030201
DATA csrPerm8<>+1016(SB)/8, $0x0006050403020100
DATA csrPerm8<>+1024(SB)/8, $0x0000000000000007
DATA csrPerm8<>+1032(SB)/8, $0x0000000000000700
DATA csrPerm8<>+1040(SB)/8, $0x0000000000000701
DATA csrPerm8<>+1048(SB)/8, $0x0000000000070100
DATA csrPerm8<>+1056(SB)/8, $0x0000000000000702
DATA csrPerm8<>+1064(SB)/8, $0x0000000000070200
DATA csrPerm8<>+1072(SB)/8, $0x0000000000070201
DATA csrPerm8<>+1080(SB)/8, $0x0000000007020100
DATA csrPerm8<>+1088(SB)/8, $0x0000000000000703
DATA csrPerm8<>+1096(SB)/8, $0x0000000000070300
DATA csrPerm8<>+1104(SB)/8, $0x0000000000070301
DATA csrPerm8<>+1112(SB)/8, $0x0000000007030100
DATA csrPerm8<>+1120(SB)/8, $0x0000000000070302
DATA csrPerm8<>+1128(SB)/8, $0x0000000007030200
DATA csrPerm8<>+1136(SB)/8, $0x0000000007030201
DATA csrPerm8<>+1144(SB)/8, $0x0000000703020100
DATA csrPerm8<>+1152(SB)/8, $0x0000000000000704
DATA csrPerm8<>+1160(SB)/8, $0x0000000000070400
DATA csrPerm8<>+1168(SB)/8, $0x0000000000070401
DATA csrPerm8<>+1176(SB)/8, $0x0000000007040100
DATA csrPerm8<>+1184(SB)/8, $0x0000000000070402
DATA csrPerm8<>+1192(SB)/8, $0x0000000007040200
DATA csrPerm8<>+1200(SB)/8, $0x0000000007040201
DATA csrPerm8<>+1208(SB)/8, $0x0000000704020100
DATA csrPerm8<>+1216(SB)/8, $0x0000000000070403
DATA csrPerm8<>+1224(SB)/8, $0x0000000007040300
DATA csrPerm8<>+1232(SB)/8, $0x0000000007040301
DATA csrPerm8<>+1240(SB)/8, $0x0000000704030100
DATA csrPerm8<>+1248(SB)/8, $0x0000000007040302
DATA csrPerm8<>+1256(SB)/8, $0x0000000704030200
DATA csrPerm8<>+1264(SB)/8, $0x0000000704030201
DATA csrPerm8<>+1272(SB)/8, $0x0000070403020100
DATA csrPerm8<>+1280(SB)/8, $0x0000000000000705
DATA csrPerm8<>+1288(SB)/8, $0x0000000000070500
DATA csrPerm8<>+1296(SB)/8, $0x0000000000070501
DATA csrPerm8<>+1304(SB)/8, $0x0000000007050100
DATA csrPerm8<>+1312(SB)/8, $0x0000000000070502
DATA csrPerm8<>+1320(SB)/8, $0x0000000007050200
DATA csrPerm8<>+1328(SB)/8, $0x0000000007050201
DATA csrPerm8<>+1336(SB)/8, $0x0000000705020100
DATA csrPerm8<>+1344(SB)/8, $0x0000000000070503
DATA csrPerm8<>+1352(SB)/8, $0x0000000007050300
DATA csrPerm8<>+1360(SB)/8, $0x0000000007050301
DATA csrPerm8<>+1368(SB)/8, $0x0000000705030100
DATA csrPerm8<>+1376(SB)/8, $0x0000000007050302
DATA csrPerm8<>+1384(SB)/8, $0x0000000705030200
DATA csrPerm8<>+1392(SB)/8, $0x0000000705030201
DATA csrPerm8<>+1400(SB)/8, $0x0000070503020100
DATA csrPerm8<>+1408(SB)/8, $0x0000000000070504
DATA csrPerm8<>+1416(SB)/8, $0x0000000007050400
DATA csrPerm8<>+1424(SB)/8, $0x0000000007050401
DATA csrPerm8<>+1432(SB)/8, $0x0000000705040100
DATA csrPerm8<>+1440(SB)/8, $0x0000000007050402
DATA csrPerm8<>+1448(SB)/8, $0x0000000705040200
DATA csrPerm8<>+1456(SB)/8, $0x0000000705040201
DATA csrPerm8<>+1464(SB)/8, $0x0000070504020100
DATA csrPerm8<>+1472(SB)/8, $0x0000000007050403
DATA csrPerm8<>+1480(SB)/8, $0x0000000705040300
DATA csrPerm8<>+1488(SB)/8, $0x0000000705040301
DATA csrPerm8<>+1496(SB)/8, $0x0000070504030100
DATA csrPerm8<>+1504(SB)/8, $0x0000000705040302
DATA csrPerm8<>+1512(SB)/8, $0x0000070504030200
DATA csrPerm8<>+1520(SB)/8, $0x0000070504030201
DATA csrPerm8<>+1528(SB)/8, $0x0007050403020100
DATA csrPerm8<>+1536(SB)/8, $0x0000000000000706
DATA csrPerm8<>+1544(SB)/8, $0x0000000000070600
DATA csrPerm8<>+1552(SB)/8, $0x0000000000070601
DATA csrPerm8<>+1560(SB)/8, $0x0000000007060100
DATA csrPerm8<>+1568(SB)/8, $0x0000000000070602
DATA csrPerm8<>+1576(SB)/8, $0x0000000007060200
DATA csrPerm8<>+1584(SB)/8, $0x0000000007060201
DATA csrPerm8<>+1592(SB)/8, $0x0000000706020100
DATA csrPerm8<>+1600(SB)/8, $0x0000000000070603
DATA csrPerm8<>+1608(SB)/8, $0x0000000007060300
DATA csrPerm8<>+1616(SB)/8, $0x0000000007060301
DATA csrPerm8<>+1624(SB)/8, $0x0000000706030100
DATA csrPerm8<>+1632(SB)/8, $0x0000000007060302
DATA csrPerm8<>+1640(SB)/8, $0x0000000706030200
DATA csrPerm8<>+1648(SB)/8, $0x0000000706030201
DATA csrPerm8<>+1656(SB)/8, $0x0000070603020100
DATA csrPerm8<>+1664(SB)/8, $0x0000000000070604
DATA csrPerm8<>+1672(SB)/8, $0x0000000007060400
DATA csrPerm8<>+1680(SB)/8, $0x0000000007060401
DATA csrPerm8<>+1688(SB)/8, $0x0000000706040100
DATA csrPerm8<>+1696(SB)/8, $0x0000000007060402
DATA csrPerm8<>+1704(SB)/8, $0x0000000706040200
DATA csrPerm8<>+1712(SB)/8, $0x0000000706040201
DATA csrPerm8<>+1720(SB)/8, $0x0000070604020100
DATA csrPerm8<>+1728(SB)/8, $0x0000000007060403
DATA csrPerm8<>+1736(SB)/8, $0x0000000706040300
DATA csrPerm8<>+1744(SB)/8, $0x0000000706040301
DATA csrPerm8<>+1752(SB)/8, $0x0000070604030100
DATA csrPerm8<>+1760(SB)/8, $0x0000000706040302
DATA csrPerm8<>+1768(SB)/8, $0x0000070604030200
DATA csrPerm8<>+1776(SB)/8, $0x0000070604030201
DATA csrPerm8<>+1784(SB)/8, $0x0007060403020100
DATA csrPerm8<>+1792(SB)/8, $0x0000000000070605
DATA csrPerm8<>+1800(SB)/8, $0x0000000007060500
DATA csrPerm8<>+1808(SB)/8, $0x0000000007060501
DATA csrPerm8<>+1816(SB)/8, $0x0000000706050100
DATA csrPerm8<>+1824(SB)/8, $0x0000000007060502
DATA csrPerm8<>+1832(SB)/8, $0x0000000706050200
DATA csrPerm8<>+1840(SB)/8, $0x0000000706050201
DATA csrPerm8<>+1848(SB)/8, $0x0000070605020100
DATA csrPerm8<>+1856(SB)/8, $0x0000000007060503
DATA csrPerm8<>+1864(SB)/8, $0x0000000706050300
DATA csrPerm8<>+1872(SB)/8, $0x0000000706050301
DATA csrPerm8<>+1880(SB)/8, $0x0000070605030100
DATA csrPerm8<>+1888(SB)/8, $0x0000000706050302
DATA csrPerm8<>+1896(SB)/8, $0x0000070605030200
DATA csrPerm8<>+1904(SB)/8, $0x0000070605030201
DATA csrPerm8<>+1912(SB)/8, $0x0007060503020100
DATA csrPerm8<>+1920(SB)/8, $0x0000000007060504
DATA csrPerm8<>+1928(SB)/8, $0x0000000706050400
DATA csrPerm8<>+1936(SB)/8, $0x0000000706050401
DATA csrPerm8<>+1944(SB)/8, $0x0000070605040100
DATA csrPerm8<>+1952(SB)/8, $0x0000000706050402
DATA csrPerm8<>+1960(SB)/8, $0x0000070605040200
DATA csrPerm8<>+1968(SB)/8, $0x0000070605040201
DATA csrPerm8<>+1976(SB)/8, $0x0007060504020100
DATA csrPerm8<>+1984(SB)/8, $0x0000000706050403
DATA csrPerm8<>+1992(SB)/8, $0x0000070605040300
DATA csrPerm8<>+2000(SB)/8, $0x0000070605040301
DATA csrPerm8<>+2008(SB)/8, $0x0007060504030100
DATA csrPerm8<>+2016(SB)/8, $0x0000070605040302
DATA csrPerm8<>+2024(SB)/8, $0x0007060504030200
DATA csrPerm8<>+2032(SB)/8, $0x0007060504030201
DATA csrPerm8<>+2040(SB)/8, $0x0706050403020100
GLOBL csrPerm8<>(SB), RODATA|NOPTR, $2048

// ---- Two rows at once (AVX-512) ----

// func csrPairAVX512(vals0 *float32, cols0 *int32, n0 int, vals1 *float32, cols1 *int32, n1 int, b *float32, ldb, bRows int, c0, c1 *float32, alpha, beta float32) int
//
// Two rows of C, 128 columns each (Z0-Z7 for row 0, Z8-Z15 for row 1),
// computed exactly as two csrTileAVX512 calls with regs = 8 and flags =
// csrFinal would, but reading each row of B that both rows of A reference
// once instead of twice: B comes from L2 (W is 784 KB for the MLP), and its
// bandwidth, not the FMAs, is what limits the one-row kernel.
//
// The two rows' nonzeros are merged by column: each step takes the smaller
// of the two current columns (compared as unsigned 32-bit numbers, so a
// negative index is huge), loads that row of B, and adds it to each row
// whose current column it is, under the lane mask K1 (row 0) or K2 (row 1),
// all ones or all zeros, so the other row's sums are untouched (a 0·Inf
// would make NaN); each row then advances past the column it used. Every
// entry of a row is still added in its stored order, sorted or not, so the
// results are bit for bit those of the one-row kernel. When one row runs
// out, the other finishes alone.
//
// It returns -1, or 0 having written nothing if a column index (of either
// row) is outside [0, bRows); the caller then finds which with the one-row
// kernel. bRows < 2³² (the caller checks), so no index wraps into range.
//
// Register map: R8, R9, R10 vals0, cols0, n0; R11, R12, R13 vals1, cols1,
// n1; AX, BX k0, k1; SI b; CX, DX the current columns of rows 0 and 1; DI
// the smaller, then B's row; R14 mask scratch; Z30, Z31 vals0[k0] and
// vals1[k1] broadcast; Z16 a piece of B's row; Z28, Z29 alpha, beta; R15
// ldb*4.
#define PAIR_FMA(off, Z0r, Z1r) \
	VMOVUPS     off(DI), Z16; \
	VFMADD231PS Z16, Z30, K1, Z0r; \
	VFMADD231PS Z16, Z31, K2, Z1r
#define ROW_FMA(off, Zr, Zv) VFMADD231PS off(DI), Zv, Zr
#define PAIR_OUT0(off, Zr, C) VMULPS Z28, Zr, Zr; VMOVUPS Zr, off(C)
#define PAIR_OUT(off, Zr, C) VMULPS Z28, Zr, Zr; VFMADD231PS off(C), Z29, Zr; VMOVUPS Zr, off(C)

TEXT ·csrPairAVX512(SB), NOSPLIT, $0-104
	MOVQ vals0+0(FP), R8
	MOVQ cols0+8(FP), R9
	MOVQ n0+16(FP), R10
	MOVQ vals1+24(FP), R11
	MOVQ cols1+32(FP), R12
	MOVQ n1+40(FP), R13
	MOVQ b+48(FP), SI
	MOVQ ldb+56(FP), R15
	SHLQ $2, R15 // B's row stride in bytes (no global data here, so R15 is free)
	XORQ AX, AX
	XORQ BX, BX
	ZCHAIN(Z_ZERO, unused)

	PCALIGN $32
p_merge:
	CMPQ AX, R10
	JAE  p_only1
	CMPQ BX, R13
	JAE  p_only0
	MOVL (R9)(AX*4), CX  // c0, zero-extended
	MOVL (R12)(BX*4), DX // c1
	MOVQ CX, DI
	CMPQ DX, DI
	CMOVQCS DX, DI       // DI = min(c0, c1)
	CMPQ DI, bRows+64(FP)
	JAE  p_bad
	VBROADCASTSS (R8)(AX*4), Z30
	VBROADCASTSS (R11)(BX*4), Z31
	// Row 0 takes this column if it is its own: K1 all ones, k0++.
	XORL  R14, R14
	CMPQ  CX, DI
	SETEQ R14B
	ADDQ  R14, AX
	NEGQ  R14
	KMOVW R14, K1
	// Row 1 likewise: K2, k1++.
	XORL  R14, R14
	CMPQ  DX, DI
	SETEQ R14B
	ADDQ  R14, BX
	NEGQ  R14
	KMOVW R14, K2
	IMULQ R15, DI
	ADDQ  SI, DI
	PAIR_FMA(0, Z0, Z8)
	PAIR_FMA(64, Z1, Z9)
	PAIR_FMA(128, Z2, Z10)
	PAIR_FMA(192, Z3, Z11)
	PAIR_FMA(256, Z4, Z12)
	PAIR_FMA(320, Z5, Z13)
	PAIR_FMA(384, Z6, Z14)
	PAIR_FMA(448, Z7, Z15)
	JMP   p_merge

p_only0: // row 1 is done: finish row 0
	CMPQ AX, R10
	JAE  p_epilogue
	MOVL (R9)(AX*4), DI
	CMPQ DI, bRows+64(FP)
	JAE  p_bad
	IMULQ R15, DI
	ADDQ  SI, DI
	VBROADCASTSS (R8)(AX*4), Z30
	ROW_FMA(0, Z0, Z30); ROW_FMA(64, Z1, Z30); ROW_FMA(128, Z2, Z30); ROW_FMA(192, Z3, Z30)
	ROW_FMA(256, Z4, Z30); ROW_FMA(320, Z5, Z30); ROW_FMA(384, Z6, Z30); ROW_FMA(448, Z7, Z30)
	INCQ AX
	JMP  p_only0

p_only1: // row 0 is done: finish row 1
	CMPQ BX, R13
	JAE  p_epilogue
	MOVL (R12)(BX*4), DI
	CMPQ DI, bRows+64(FP)
	JAE  p_bad
	IMULQ R15, DI
	ADDQ  SI, DI
	VBROADCASTSS (R11)(BX*4), Z31
	ROW_FMA(0, Z8, Z31); ROW_FMA(64, Z9, Z31); ROW_FMA(128, Z10, Z31); ROW_FMA(192, Z11, Z31)
	ROW_FMA(256, Z12, Z31); ROW_FMA(320, Z13, Z31); ROW_FMA(384, Z14, Z31); ROW_FMA(448, Z15, Z31)
	INCQ BX
	JMP  p_only1

p_epilogue:
	MOVQ c0+72(FP), DI
	MOVQ c1+80(FP), CX
	VBROADCASTSS alpha+88(FP), Z28
	VBROADCASTSS beta+92(FP), Z29
	MOVL beta+92(FP), DX
	SHLL $1, DX // drops the sign: -0 is zero too
	JNZ  p_beta
	PAIR_OUT0(0, Z0, DI); PAIR_OUT0(64, Z1, DI); PAIR_OUT0(128, Z2, DI); PAIR_OUT0(192, Z3, DI)
	PAIR_OUT0(256, Z4, DI); PAIR_OUT0(320, Z5, DI); PAIR_OUT0(384, Z6, DI); PAIR_OUT0(448, Z7, DI)
	PAIR_OUT0(0, Z8, CX); PAIR_OUT0(64, Z9, CX); PAIR_OUT0(128, Z10, CX); PAIR_OUT0(192, Z11, CX)
	PAIR_OUT0(256, Z12, CX); PAIR_OUT0(320, Z13, CX); PAIR_OUT0(384, Z14, CX); PAIR_OUT0(448, Z15, CX)
	JMP p_done
p_beta:
	PAIR_OUT(0, Z0, DI); PAIR_OUT(64, Z1, DI); PAIR_OUT(128, Z2, DI); PAIR_OUT(192, Z3, DI)
	PAIR_OUT(256, Z4, DI); PAIR_OUT(320, Z5, DI); PAIR_OUT(384, Z6, DI); PAIR_OUT(448, Z7, DI)
	PAIR_OUT(0, Z8, CX); PAIR_OUT(64, Z9, CX); PAIR_OUT(128, Z10, CX); PAIR_OUT(192, Z11, CX)
	PAIR_OUT(256, Z12, CX); PAIR_OUT(320, Z13, CX); PAIR_OUT(384, Z14, CX); PAIR_OUT(448, Z15, CX)
p_done:
	MOVQ $-1, ret+96(FP)
	VZEROUPPER
	RET

p_bad:
	MOVQ $0, ret+96(FP)
	VZEROUPPER
	RET

// ---- Transposed conversion, 16 rows at a time (AVX-512) ----

// func csrTransposeAVX512(a *float32, lda, cols, i0 int, next *int32, vals *float32, idx *int32, nnz int) int
//
// Places the nonzero entries of rows i0..i0+15 of a (a points at row i0,
// lda floats apart) into the rows of the transposed CSR:
//
//	for j < cols: for r < 16: if v := a[r*lda+j]; v != 0 {
//		vals[next[j]], idx[next[j]] = v, i0+r; next[j]++
//	}
//
// A 16×16 tile of a is loaded (columns past cols masked to zero), skipped
// if it is all zeros, else transposed in registers (the standard four
// stages: VUNPCKLPS/HPS, VUNPCKLPD/HPD, then two rounds of VSHUFF32X4 that
// transpose the 4×4 grid of 128-bit lanes), so that each column of the tile
// is one vector: its nonzeros and their row numbers are compressed into the
// low lanes and stored at next[j] under a popcount mask, as in
// csrCompressAVX512. Every store is checked to end by nnz = len(vals) =
// len(idx); if one would not (next inconsistent with a, which only a data
// race on a can cause) it returns 1 at once, else 0.
//
// Registers: DI a at the tile, R9 lda*4, R10 cols, R11 the column j0 of the
// tile, R12 next, R13 vals, R14 idx, R15 nnz (no global data after it is
// set: R15 is free); SI the row pointer while loading; Z0-Z15 the tile's
// rows, then (after the transpose) its columns; Z16-Z31 transpose
// temporaries, then Z16 zero, Z17 the row numbers i0+r, Z18, Z19 the
// compressed values and row numbers; K1 the columns in range, K2 a column's
// nonzeros, K3 the low popcount lanes.

#define T_LOAD(Zr) VMOVUPS.Z (SI), K1, Zr; ADDQ R9, SI
#define T_PAIR(lo, hi, a, b) VUNPCKLPS b, a, lo; VUNPCKHPS b, a, hi
#define T_PAIRPD(lo, hi, a, b) VUNPCKLPD b, a, lo; VUNPCKHPD b, a, hi
// v0..v3 of stage 3 for one m: u[m], u[4+m], u[8+m], u[12+m] -> lanes regrouped
#define T_SHUF3(v0, v1, v2, v3, um, u4, u8, u12) \
	VSHUFF32X4 $0x44, u4, um, v0; \
	VSHUFF32X4 $0xEE, u4, um, v1; \
	VSHUFF32X4 $0x44, u12, u8, v2; \
	VSHUFF32X4 $0xEE, u12, u8, v3
#define T_SHUF4(c0, c4, c8, c12, v0, v1, v2, v3) \
	VSHUFF32X4 $0x88, v2, v0, c0; \
	VSHUFF32X4 $0xDD, v2, v0, c4; \
	VSHUFF32X4 $0x88, v3, v1, c8; \
	VSHUFF32X4 $0xDD, v3, v1, c12

// T_PLACE places column c (register Zc) of the tile: j = R11 + c.
#define T_PLACE(c, Zc, skip) \
	VCMPPS $4, Z16, Zc, K2; \
	KMOVW  K2, R8; \
	TESTL  R8, R8; \
	JZ     skip; \
	VCOMPRESSPS Zc, K2, Z18; \
	VPCOMPRESSD Z17, K2, Z19; \
	POPCNTL R8, CX; \
	MOVL    $1, R8; \
	SHLL    CX, R8; \
	DECL    R8; \
	KMOVW   R8, K3; \
	MOVLQSX (c*4)(R12)(R11*4), AX; \
	LEAQ    (AX)(CX*1), BX; \
	CMPQ    BX, R15; \
	JA      t_bad; \
	VMOVUPS   Z18, K3, (R13)(AX*4); \
	VMOVDQU32 Z19, K3, (R14)(AX*4); \
	MOVL    BX, (c*4)(R12)(R11*4); \
skip:

TEXT ·csrTransposeAVX512(SB), NOSPLIT, $0-72
	MOVQ a+0(FP), DI
	MOVQ lda+8(FP), R9
	SHLQ $2, R9
	MOVQ cols+16(FP), R10
	MOVQ next+32(FP), R12
	MOVQ vals+40(FP), R13
	MOVQ idx+48(FP), R14
	MOVQ nnz+56(FP), R15
	XORQ R11, R11
	KXNORW K1, K1, K1

t_tile:
	CMPQ R11, R10
	JAE  t_done
	MOVQ R10, CX
	SUBQ R11, CX
	CMPQ CX, $16
	JAE  t_load
	MOVL $1, R8 // the last tile: columns j0..cols-1 only
	SHLL CX, R8
	DECL R8
	KMOVW R8, K1
t_load:
	LEAQ (DI)(R11*4), SI
	T_LOAD(Z0); T_LOAD(Z1); T_LOAD(Z2); T_LOAD(Z3)
	T_LOAD(Z4); T_LOAD(Z5); T_LOAD(Z6); T_LOAD(Z7)
	T_LOAD(Z8); T_LOAD(Z9); T_LOAD(Z10); T_LOAD(Z11)
	T_LOAD(Z12); T_LOAD(Z13); T_LOAD(Z14); T_LOAD(Z15)
	// All zero bits (the border of a digit): nothing to place.
	VPORD Z0, Z1, Z16
	VPORD Z2, Z3, Z17
	VPORD Z4, Z5, Z18
	VPORD Z6, Z7, Z19
	VPORD Z8, Z9, Z20
	VPORD Z10, Z11, Z21
	VPORD Z12, Z13, Z22
	VPORD Z14, Z15, Z23
	VPORD Z16, Z17, Z16
	VPORD Z18, Z19, Z18
	VPORD Z20, Z21, Z20
	VPORD Z22, Z23, Z22
	VPORD Z16, Z18, Z16
	VPORD Z20, Z22, Z20
	VPORD Z16, Z20, Z16
	VPTESTMD Z16, Z16, K2
	KORTESTW K2, K2
	JZ   t_next

	// Stage 1: t[2k], t[2k+1] = unpack lo/hi of rows 2k, 2k+1 (in Z16+).
	T_PAIR(Z16, Z17, Z0, Z1)
	T_PAIR(Z18, Z19, Z2, Z3)
	T_PAIR(Z20, Z21, Z4, Z5)
	T_PAIR(Z22, Z23, Z6, Z7)
	T_PAIR(Z24, Z25, Z8, Z9)
	T_PAIR(Z26, Z27, Z10, Z11)
	T_PAIR(Z28, Z29, Z12, Z13)
	T_PAIR(Z30, Z31, Z14, Z15)
	// Stage 2: u[4k+m] (in Zm+4k) holds, in 128-bit lane L, column 4L+m of
	// rows 4k..4k+3.
	T_PAIRPD(Z0, Z1, Z16, Z18)
	T_PAIRPD(Z2, Z3, Z17, Z19)
	T_PAIRPD(Z4, Z5, Z20, Z22)
	T_PAIRPD(Z6, Z7, Z21, Z23)
	T_PAIRPD(Z8, Z9, Z24, Z26)
	T_PAIRPD(Z10, Z11, Z25, Z27)
	T_PAIRPD(Z12, Z13, Z28, Z30)
	T_PAIRPD(Z14, Z15, Z29, Z31)
	// Stages 3 and 4: for each m, the 4×4 grid of lanes u[m+4k].L is
	// transposed, giving columns m, 4+m, 8+m, 12+m in Zm, Z4+m, Z8+m, Z12+m.
	T_SHUF3(Z16, Z17, Z18, Z19, Z0, Z4, Z8, Z12)
	T_SHUF3(Z20, Z21, Z22, Z23, Z1, Z5, Z9, Z13)
	T_SHUF3(Z24, Z25, Z26, Z27, Z2, Z6, Z10, Z14)
	T_SHUF3(Z28, Z29, Z30, Z31, Z3, Z7, Z11, Z15)
	T_SHUF4(Z0, Z4, Z8, Z12, Z16, Z17, Z18, Z19)
	T_SHUF4(Z1, Z5, Z9, Z13, Z20, Z21, Z22, Z23)
	T_SHUF4(Z2, Z6, Z10, Z14, Z24, Z25, Z26, Z27)
	T_SHUF4(Z3, Z7, Z11, Z15, Z28, Z29, Z30, Z31)

	VPXORD Z16, Z16, Z16
	VPBROADCASTD i0+24(FP), Z17
	VPADDD csrIota16<>(SB), Z17, Z17 // (global data: R15 is reloaded below)
	MOVQ nnz+56(FP), R15
	T_PLACE(0, Z0, t_s0)
	T_PLACE(1, Z1, t_s1)
	T_PLACE(2, Z2, t_s2)
	T_PLACE(3, Z3, t_s3)
	T_PLACE(4, Z4, t_s4)
	T_PLACE(5, Z5, t_s5)
	T_PLACE(6, Z6, t_s6)
	T_PLACE(7, Z7, t_s7)
	T_PLACE(8, Z8, t_s8)
	T_PLACE(9, Z9, t_s9)
	T_PLACE(10, Z10, t_s10)
	T_PLACE(11, Z11, t_s11)
	T_PLACE(12, Z12, t_s12)
	T_PLACE(13, Z13, t_s13)
	T_PLACE(14, Z14, t_s14)
	T_PLACE(15, Z15, t_s15)
t_next:
	ADDQ $16, R11
	JMP  t_tile

t_done:
	MOVQ $0, ret+64(FP)
	VZEROUPPER
	RET

t_bad:
	MOVQ $1, ret+64(FP)
	VZEROUPPER
	RET

// ---- Blocks of rows against a block of B held in L1 (AVX-512) ----

// func csrBlockAVX512(vals *float32, cols *int32, cur, end *int32, rows int, b *float32, ldb, k0, kb int, acc *float32)
//
// One step of csrRowsBlocked (sparse_amd64.go): for each row r < rows of a
// block of A, the nonzeros from position cur[r] on whose columns lie in
// [k0, k0+kb) are added, in stored order, into the row's 128 partial sums
// acc[r*128:], and cur[r] moves past them:
//
//	for r < rows {
//		p := cur[r]
//		for p < end[r] && uint(cols[p]-k0) < kb {
//			for j < 128 { acc[r*128+j] = fma(vals[p], b[(cols[p]-k0)*ldb+j], acc[r*128+j]) }
//			p++
//		}
//		cur[r] = p
//	}
//
// b points at B's row k0 (at the tile's first column), so only the kb rows
// of B in the block are read, and they stay in L1 (most of them; see
// csrBlockK) while every row of the block of A uses them. A column outside [k0, k0+kb) stops its row (the
// unsigned compare catches a negative one too): with increasing columns,
// until the next block; an out-of-range or out-of-order one for good, which
// the caller sees as cur[r] short of end[r]. A row with nothing in the
// block does not touch acc.
//
// Registers: SI vals, DX cols, R8 cur, R9 end, R10 rows, BX b, R11 ldb*4,
// R12 k0, R13 kb, DI acc at row r, CX r, AX p, R14 end[r], R15 the column
// less k0, then B's row; Z0-Z7 the row's sums, Z17 vals[p]. (No global
// data, so R15 is free.)
#define BLOCK_FMA(off, Z) VFMADD231PS off(R15), Z17, Z

TEXT ·csrBlockAVX512(SB), NOSPLIT, $0-80
	MOVQ vals+0(FP), SI
	MOVQ cols+8(FP), DX
	MOVQ cur+16(FP), R8
	MOVQ end+24(FP), R9
	MOVQ rows+32(FP), R10
	MOVQ b+40(FP), BX
	MOVQ ldb+48(FP), R11
	SHLQ $2, R11
	MOVQ k0+56(FP), R12
	MOVQ kb+64(FP), R13
	MOVQ acc+72(FP), DI
	XORQ CX, CX

blk_row:
	CMPQ CX, R10
	JAE  blk_done
	MOVLQSX (R8)(CX*4), AX
	MOVLQSX (R9)(CX*4), R14
	CMPQ AX, R14
	JGE  blk_next_row // the row is done
	MOVLQSX (DX)(AX*4), R15
	SUBQ R12, R15
	CMPQ R15, R13
	JAE  blk_next_row // nothing in this block
	VMOVUPS 0(DI), Z0
	VMOVUPS 64(DI), Z1
	VMOVUPS 128(DI), Z2
	VMOVUPS 192(DI), Z3
	VMOVUPS 256(DI), Z4
	VMOVUPS 320(DI), Z5
	VMOVUPS 384(DI), Z6
	VMOVUPS 448(DI), Z7
	PCALIGN $32
blk_nz:
	IMULQ R11, R15
	ADDQ  BX, R15
	VBROADCASTSS (SI)(AX*4), Z17
	BLOCK_FMA(0, Z0)
	BLOCK_FMA(64, Z1)
	BLOCK_FMA(128, Z2)
	BLOCK_FMA(192, Z3)
	BLOCK_FMA(256, Z4)
	BLOCK_FMA(320, Z5)
	BLOCK_FMA(384, Z6)
	BLOCK_FMA(448, Z7)
	INCQ AX
	CMPQ AX, R14
	JGE  blk_row_end
	MOVLQSX (DX)(AX*4), R15
	SUBQ R12, R15
	CMPQ R15, R13
	JB   blk_nz
blk_row_end:
	VMOVUPS Z0, 0(DI)
	VMOVUPS Z1, 64(DI)
	VMOVUPS Z2, 128(DI)
	VMOVUPS Z3, 192(DI)
	VMOVUPS Z4, 256(DI)
	VMOVUPS Z5, 320(DI)
	VMOVUPS Z6, 384(DI)
	VMOVUPS Z7, 448(DI)
	MOVL AX, (R8)(CX*4)
blk_next_row:
	INCQ CX
	ADDQ $512, DI
	JMP  blk_row

blk_done:
	VZEROUPPER
	RET

// ---- Rows two at a time against a narrow tile of B held in L1 (AVX-512) ----

// func csrNarrowAVX512(vals *float32, cols *int32, rowPtr *int32, rows int, b *float32, bRows int, c *float32, ldc int, alpha, beta float32) int
//
// csrRowsNarrow's kernel (sparse_amd64.go): rows rows of C, 64 columns each,
// from a tile of B packed 64 floats to a row (256 bytes apart, bRows rows,
// at most 32 KiB, so it stays in L1 while every row of A uses it):
//
//	for r < rows {
//		for j < 64 {
//			s := 0
//			for k := rowPtr[r]; k < rowPtr[r+1]; k++ { s = fma(vals[k], b[cols[k]*64+j], s) }
//			c[r*ldc+j] = alpha*s, or fma(beta, c[r*ldc+j], alpha*s) when beta != 0
//		}
//	}
//
// which is csrTileAVX512's arithmetic (one chain per element, in stored
// order), so the bits are the same. Rows are taken in pairs (the last one
// alone when rows is odd), the two rows' nonzeros in lockstep, one of each
// per step: a row's four accumulators wait 4 cycles per multiply-add, so a
// second, independent row keeps the FMA unit busy. Each column index is
// checked against [0, bRows) before it is used (as an unsigned 32-bit
// number, so a negative one is huge); at the first bad one the kernel stops
// and returns its position k, having written the rows of the pairs before
// its own and nothing else; otherwise it returns -1.
//
// Registers: SI vals, DX cols, R8 rowPtr, R9 rows, BX b, R10 bRows, DI c at
// row r, R11 ldc*4, R13 r; AX and CX the first row's position and end, R15
// and R14 the second's; R12 B's row address. Z0-Z3 and Z8-Z11 the two rows'
// sums, Z4 and Z7 their nonzeros broadcast, Z5 alpha, Z6 beta.

// NR_STEP adds nonzero K (of the row whose accumulators are A0-A3) and
// moves K on, or leaves through bad.
#define NR_STEP(K, Zb, A0, A1, A2, A3, bad) \
	MOVL (DX)(K*4), R12; \
	CMPQ R12, R10; \
	JAE  bad; \
	SHLQ $8, R12; \
	VBROADCASTSS (SI)(K*4), Zb; \
	VFMADD231PS 0(BX)(R12*1), Zb, A0; \
	VFMADD231PS 64(BX)(R12*1), Zb, A1; \
	VFMADD231PS 128(BX)(R12*1), Zb, A2; \
	VFMADD231PS 192(BX)(R12*1), Zb, A3; \
	INCQ K

// NR_OUT writes a row's 64 columns at DI: alpha*s, or, unless the flags
// say beta == 0 (ZF), fma(beta, c, alpha*s).
#define NR_OUT(A0, A1, A2, A3, store) \
	VMULPS Z5, A0, A0; \
	VMULPS Z5, A1, A1; \
	VMULPS Z5, A2, A2; \
	VMULPS Z5, A3, A3; \
	JZ   store; \
	VFMADD231PS 0(DI), Z6, A0; \
	VFMADD231PS 64(DI), Z6, A1; \
	VFMADD231PS 128(DI), Z6, A2; \
	VFMADD231PS 192(DI), Z6, A3; \
store: \
	VMOVUPS A0, 0(DI); \
	VMOVUPS A1, 64(DI); \
	VMOVUPS A2, 128(DI); \
	VMOVUPS A3, 192(DI)

TEXT ·csrNarrowAVX512(SB), NOSPLIT, $0-80
	MOVQ vals+0(FP), SI
	MOVQ cols+8(FP), DX
	MOVQ rowPtr+16(FP), R8
	MOVQ rows+24(FP), R9
	MOVQ b+32(FP), BX
	MOVQ bRows+40(FP), R10
	MOVQ c+48(FP), DI
	MOVQ ldc+56(FP), R11
	SHLQ $2, R11
	VBROADCASTSS alpha+64(FP), Z5
	VBROADCASTSS beta+68(FP), Z6
	XORQ R13, R13

nr_pair:
	CMPQ R13, R9
	JAE  nr_done
	MOVLQSX (R8)(R13*4), AX
	MOVLQSX 4(R8)(R13*4), CX
	MOVQ CX, R15 // the second row starts where the first ends
	MOVQ CX, R14 // and is empty if there is none
	LEAQ 1(R13), R12
	CMPQ R12, R9
	JAE  nr_zero
	MOVLQSX 8(R8)(R13*4), R14
nr_zero:
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	PCALIGN $32
nr_both: // a nonzero of each row per step while both have some
	CMPQ AX, CX
	JAE  nr_second
	CMPQ R15, R14
	JAE  nr_first
	NR_STEP(AX, Z4, Z0, Z1, Z2, Z3, nr_badA)
	NR_STEP(R15, Z7, Z8, Z9, Z10, Z11, nr_badB)
	JMP  nr_both
nr_first: // the second row is done
	NR_STEP(AX, Z4, Z0, Z1, Z2, Z3, nr_badA)
	CMPQ AX, CX
	JB   nr_first
	JMP  nr_out
nr_second: // the first row is done
	CMPQ R15, R14
	JAE  nr_out
	NR_STEP(R15, Z7, Z8, Z9, Z10, Z11, nr_badB)
	JMP  nr_second

nr_out:
	MOVL beta+68(FP), R12
	SHLL $1, R12 // ZF: beta is ±0
	NR_OUT(Z0, Z1, Z2, Z3, nr_store0)
	ADDQ R11, DI
	INCQ R13
	CMPQ R13, R9
	JAE  nr_done
	MOVL beta+68(FP), R12
	SHLL $1, R12
	NR_OUT(Z8, Z9, Z10, Z11, nr_store1)
	ADDQ R11, DI
	INCQ R13
	JMP  nr_pair

nr_done:
	MOVQ $-1, ret+72(FP)
	VZEROUPPER
	RET

nr_badA:
	MOVQ AX, ret+72(FP)
	VZEROUPPER
	RET

nr_badB:
	MOVQ R15, ret+72(FP)
	VZEROUPPER
	RET
