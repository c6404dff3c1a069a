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
