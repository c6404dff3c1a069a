//go:build !purego

#include "textflag.h"

// func lookupAVX512(dst *float32, codes *uint8, n int, table *[256]float32)
//
// 64 codes per iteration in four independent gathers, then 16 at a time,
// then the last n%16 under the lane mask K2, which both the load of the
// codes (so nothing past them is read) and the gather and store use. A run
// of 64 zero codes (the blank margins of an image: most of an MNIST digit)
// is stored as table[0] without gathering, since a gather costs about 20
// cycles on Zen 4.
// Registers: DI dst, SI codes, CX n, R8 table, AX the index i; Z8 table[0]
// in every lane.
TEXT ·lookupAVX512(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ codes+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ table+24(FP), R8
	VPBROADCASTD (R8), Z8
	XORQ AX, AX
	MOVQ CX, DX
	ANDQ $-64, DX
l5_64:
	CMPQ AX, DX
	JAE  l5_16
	VMOVDQU8 (SI)(AX*1), Z9
	VPTESTMB Z9, Z9, K5
	KORTESTQ K5, K5
	JNZ  l5_gather
	VMOVDQU32 Z8, (DI)(AX*4)
	VMOVDQU32 Z8, 64(DI)(AX*4)
	VMOVDQU32 Z8, 128(DI)(AX*4)
	VMOVDQU32 Z8, 192(DI)(AX*4)
	ADDQ $64, AX
	JMP  l5_64
l5_gather:
	VPMOVZXBD (SI)(AX*1), Z0
	VPMOVZXBD 16(SI)(AX*1), Z1
	VPMOVZXBD 32(SI)(AX*1), Z2
	VPMOVZXBD 48(SI)(AX*1), Z3
	KXNORW K1, K1, K1
	KXNORW K2, K2, K2
	KXNORW K3, K3, K3
	KXNORW K4, K4, K4
	VPGATHERDD (R8)(Z0*4), K1, Z4
	VPGATHERDD (R8)(Z1*4), K2, Z5
	VPGATHERDD (R8)(Z2*4), K3, Z6
	VPGATHERDD (R8)(Z3*4), K4, Z7
	VMOVDQU32 Z4, (DI)(AX*4)
	VMOVDQU32 Z5, 64(DI)(AX*4)
	VMOVDQU32 Z6, 128(DI)(AX*4)
	VMOVDQU32 Z7, 192(DI)(AX*4)
	ADDQ $64, AX
	JMP  l5_64
l5_16:
	MOVQ CX, DX
	ANDQ $-16, DX
l5_16loop:
	CMPQ AX, DX
	JAE  l5_tail
	VPMOVZXBD (SI)(AX*1), Z0
	KXNORW K1, K1, K1
	VPGATHERDD (R8)(Z0*4), K1, Z4
	VMOVDQU32 Z4, (DI)(AX*4)
	ADDQ $16, AX
	JMP  l5_16loop
l5_tail:
	CMPQ AX, CX
	JAE  l5_done
	MOVQ CX, BX
	SUBQ AX, BX
	MOVL $1, DX
	SHLXL BX, DX, DX
	DECL DX
	KMOVW DX, K2
	KMOVW DX, K1
	VPMOVZXBD.Z (SI)(AX*1), K2, Z0
	VPXORD Z4, Z4, Z4
	VPGATHERDD (R8)(Z0*4), K1, Z4
	VMOVDQU32 Z4, K2, (DI)(AX*4)
l5_done:
	VZEROUPPER
	RET

// func lookupAVX2(dst *float32, codes *uint8, n int, table *[256]float32)
//
// 32 codes per iteration in four gathers of 8, then 8 at a time, then the
// last n%8 one by one (the byte loads of VPMOVZXBD cannot be masked).
// Y8 holds all ones, copied into each gather's mask (which the gather
// clears).
TEXT ·lookupAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ codes+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ table+24(FP), R8
	XORQ AX, AX
	VPCMPEQD Y8, Y8, Y8
	MOVQ CX, DX
	ANDQ $-32, DX
l2_32:
	CMPQ AX, DX
	JAE  l2_8
	VPMOVZXBD (SI)(AX*1), Y0
	VPMOVZXBD 8(SI)(AX*1), Y1
	VPMOVZXBD 16(SI)(AX*1), Y2
	VPMOVZXBD 24(SI)(AX*1), Y3
	VMOVDQA Y8, Y9
	VMOVDQA Y8, Y10
	VMOVDQA Y8, Y11
	VMOVDQA Y8, Y12
	VPGATHERDD Y9, (R8)(Y0*4), Y4
	VPGATHERDD Y10, (R8)(Y1*4), Y5
	VPGATHERDD Y11, (R8)(Y2*4), Y6
	VPGATHERDD Y12, (R8)(Y3*4), Y7
	VMOVDQU Y4, (DI)(AX*4)
	VMOVDQU Y5, 32(DI)(AX*4)
	VMOVDQU Y6, 64(DI)(AX*4)
	VMOVDQU Y7, 96(DI)(AX*4)
	ADDQ $32, AX
	JMP  l2_32
l2_8:
	MOVQ CX, DX
	ANDQ $-8, DX
l2_8loop:
	CMPQ AX, DX
	JAE  l2_tail
	VPMOVZXBD (SI)(AX*1), Y0
	VMOVDQA Y8, Y9
	VPGATHERDD Y9, (R8)(Y0*4), Y4
	VMOVDQU Y4, (DI)(AX*4)
	ADDQ $8, AX
	JMP  l2_8loop
l2_tail:
	CMPQ AX, CX
	JAE  l2_done
	MOVBLZX (SI)(AX*1), BX
	MOVL (R8)(BX*4), DX
	MOVL DX, (DI)(AX*4)
	INCQ AX
	JMP  l2_tail
l2_done:
	VZEROUPPER
	RET

// SPLIT_QUARTER(off, p0, p1, p2, p3) sets pK to byte K of the 64 entries
// at off(R8). VPERMB with lookupPlaneSplit (in Z15) gathers byte K of a
// register's 16 entries into its 128-bit lane K; a 4x4 transpose of lanes
// (VSHUFI64X2) then brings lane K of the four registers together.
#define SPLIT_QUARTER(off, p0, p1, p2, p3) \
	VPERMB off+0(R8), Z15, Z0 \
	VPERMB off+64(R8), Z15, Z1 \
	VPERMB off+128(R8), Z15, Z2 \
	VPERMB off+192(R8), Z15, Z3 \
	VSHUFI64X2 $0x44, Z1, Z0, Z4 \
	VSHUFI64X2 $0xee, Z1, Z0, Z5 \
	VSHUFI64X2 $0x44, Z3, Z2, Z6 \
	VSHUFI64X2 $0xee, Z3, Z2, Z7 \
	VSHUFI64X2 $0x88, Z6, Z4, p0 \
	VSHUFI64X2 $0xdd, Z6, Z4, p1 \
	VSHUFI64X2 $0x88, Z7, Z5, p2 \
	VSHUFI64X2 $0xdd, Z7, Z5, p3

// PLANE(q0, q1, q2, q3, out) looks up one byte plane (q0..q3 its four
// quarters of 64 entries) for the 64 codes in Z1: codes with bit 7 set
// (K1) index q2:q3, the others (K2) q0:q1, each by its low 7 bits (bit 6
// picks the register). Both VPERMI2B write into out, a copy of the codes,
// under complementary masks, so the second still finds its codes there.
#define PLANE(q0, q1, q2, q3, out) \
	VMOVDQA64 Z1, out \
	VPERMI2B q3, q2, K1, out \
	VPERMI2B q1, q0, K2, out

// LOOKUP64 sets Z10..Z13 to the table entries of the 64 codes in Z1
// (permuted by lookupCodeOrder), ready to store in order.
#define LOOKUP64 \
	VPMOVB2M Z1, K1 \
	KNOTQ K1, K2 \
	PLANE(Z16, Z17, Z18, Z19, Z2) \
	PLANE(Z20, Z21, Z22, Z23, Z3) \
	PLANE(Z24, Z25, Z26, Z27, Z4) \
	PLANE(Z28, Z29, Z30, Z31, Z5) \
	VPUNPCKLBW Z3, Z2, Z6 \
	VPUNPCKHBW Z3, Z2, Z7 \
	VPUNPCKLBW Z5, Z4, Z8 \
	VPUNPCKHBW Z5, Z4, Z9 \
	VPUNPCKLWD Z8, Z6, Z10 \
	VPUNPCKHWD Z8, Z6, Z11 \
	VPUNPCKLWD Z9, Z7, Z12 \
	VPUNPCKHWD Z9, Z7, Z13

// lookupPlaneSplit: byte 16p+j is 4j+p, a VPERMB index that gathers byte p
// of sixteen 4-byte entries into lane p.
DATA lookupPlaneSplit<>+0(SB)/8, $0x1c1814100c080400
DATA lookupPlaneSplit<>+8(SB)/8, $0x3c3834302c282420
DATA lookupPlaneSplit<>+16(SB)/8, $0x1d1915110d090501
DATA lookupPlaneSplit<>+24(SB)/8, $0x3d3935312d292521
DATA lookupPlaneSplit<>+32(SB)/8, $0x1e1a16120e0a0602
DATA lookupPlaneSplit<>+40(SB)/8, $0x3e3a36322e2a2622
DATA lookupPlaneSplit<>+48(SB)/8, $0x1f1b17130f0b0703
DATA lookupPlaneSplit<>+56(SB)/8, $0x3f3b37332f2b2723
GLOBL lookupPlaneSplit<>(SB), RODATA|NOPTR, $64

// lookupCodeOrder: dword 4L+m is 4m+L, a VPERMD index (a 4x4 transpose of
// 4-code groups) after which the in-lane unpacks leave elements in order.
DATA lookupCodeOrder<>+0(SB)/4, $0
DATA lookupCodeOrder<>+4(SB)/4, $4
DATA lookupCodeOrder<>+8(SB)/4, $8
DATA lookupCodeOrder<>+12(SB)/4, $12
DATA lookupCodeOrder<>+16(SB)/4, $1
DATA lookupCodeOrder<>+20(SB)/4, $5
DATA lookupCodeOrder<>+24(SB)/4, $9
DATA lookupCodeOrder<>+28(SB)/4, $13
DATA lookupCodeOrder<>+32(SB)/4, $2
DATA lookupCodeOrder<>+36(SB)/4, $6
DATA lookupCodeOrder<>+40(SB)/4, $10
DATA lookupCodeOrder<>+44(SB)/4, $14
DATA lookupCodeOrder<>+48(SB)/4, $3
DATA lookupCodeOrder<>+52(SB)/4, $7
DATA lookupCodeOrder<>+56(SB)/4, $11
DATA lookupCodeOrder<>+60(SB)/4, $15
GLOBL lookupCodeOrder<>(SB), RODATA|NOPTR, $64

// func lookupVBMI(dst *float32, codes *uint8, n int, table *[256]float32)
//
// Splits the table into byte planes once per call (SPLIT_QUARTER: 48
// shuffles in all, about 20 ns, which is why for n <= 16 this kernel is
// some 5 ns slower than the gather; not worth a branch), then decodes 64
// codes per iteration with LOOKUP64, and the last n%64 the same way under
// masks: K3 loads only the codes that exist (a masked load does not fault
// on the lanes it skips), and each 16-lane store takes its part of the
// same mask. A block of 64 zero codes (the blank margins of an image) is
// stored as table[0] without the lookup: on the 128×784 batch of
// digit-like codes that took 7.9 µs down to 6.7 µs (medians of 5, same
// process), and uniform codes 8.1 µs to 8.0 µs.
// Registers: DI dst, SI codes, CX n, R8 table, AX the index i, DX the end
// of the whole blocks; Z16+4p+q byte p of table[64q .. 64q+63]; Z15
// lookupCodeOrder; Z14 table[0] in every lane.
TEXT ·lookupVBMI(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ codes+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ table+24(FP), R8
	VMOVDQU64 lookupPlaneSplit<>(SB), Z15
	SPLIT_QUARTER(0, Z16, Z20, Z24, Z28)
	SPLIT_QUARTER(256, Z17, Z21, Z25, Z29)
	SPLIT_QUARTER(512, Z18, Z22, Z26, Z30)
	SPLIT_QUARTER(768, Z19, Z23, Z27, Z31)
	VMOVDQU64 lookupCodeOrder<>(SB), Z15
	VPBROADCASTD (R8), Z14
	XORQ AX, AX
	MOVQ CX, DX
	ANDQ $-64, DX
lv_64:
	CMPQ AX, DX
	JAE  lv_tail
	VPERMD (SI)(AX*1), Z15, Z1
	VPTESTMB Z1, Z1, K3
	KORTESTQ K3, K3
	JZ   lv_zero
	LOOKUP64
	VMOVDQU32 Z10, (DI)(AX*4)
	VMOVDQU32 Z11, 64(DI)(AX*4)
	VMOVDQU32 Z12, 128(DI)(AX*4)
	VMOVDQU32 Z13, 192(DI)(AX*4)
	ADDQ $64, AX
	JMP  lv_64
lv_zero:
	VMOVDQU32 Z14, (DI)(AX*4)
	VMOVDQU32 Z14, 64(DI)(AX*4)
	VMOVDQU32 Z14, 128(DI)(AX*4)
	VMOVDQU32 Z14, 192(DI)(AX*4)
	ADDQ $64, AX
	JMP  lv_64
lv_tail:
	CMPQ AX, CX
	JAE  lv_done
	MOVQ CX, BX
	SUBQ AX, BX  // 1 <= BX <= 63 codes left
	MOVL $1, DX
	SHLXQ BX, DX, DX
	DECQ DX      // their mask, bit k for code AX+k
	KMOVQ DX, K3
	VMOVDQU8.Z (SI)(AX*1), K3, Z0
	VPERMD Z0, Z15, Z1
	LOOKUP64
	KMOVW DX, K4 // Z10 holds codes AX+0..15: bits 0-15 of the mask
	VMOVDQU32 Z10, K4, (DI)(AX*4)
	SHRQ $16, DX
	KMOVW DX, K4
	VMOVDQU32 Z11, K4, 64(DI)(AX*4)
	SHRQ $16, DX
	KMOVW DX, K4
	VMOVDQU32 Z12, K4, 128(DI)(AX*4)
	SHRQ $16, DX
	KMOVW DX, K4
	VMOVDQU32 Z13, K4, 192(DI)(AX*4)
lv_done:
	VZEROUPPER
	RET
