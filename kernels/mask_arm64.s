//go:build !purego

#include "textflag.h"

// Dropout masks for arm64 NEON: dropoutMaskGeneric (mask_generic.go), bit for
// bit. Word w of mask takes draws z = splitmix64Mix(ctr + (16w+j)·γ),
// j = 0..15, and bit 4j+i is set when uint16(z>>(16i)) < th (see
// mask_amd64.s for the same in Go pseudocode).
//
// NEON has no 64-bit lane multiply, so 4 draws at a time are kept split into
// 32-bit halves, lo = (z0, z1, z2, z3) mod 2³² and hi = their upper halves,
// one Q register each (UZP1/UZP2 of two counter vectors). In that form:
//
//	z ^= z>>s:  lo ^= lo>>s | hi<<(32-s)  (SHL, then SRI inserts lo>>s)
//	            hi ^= hi>>s
//	z *= m:     lo, carry = halves of lo·ml        (UMULL, UMULL2, UZP1, UZP2)
//	            hi = carry + hi·ml + lo·mh mod 2³² (MUL, MLA, ADD)
//
// Each 32-bit lane then holds two units' uniforms (lo: units 4k, 4k+1; hi:
// 4k+2, 4k+3); CMHI th > uniform makes them 0xffff (kept) or 0, and ZIP1/ZIP2
// put the 16 units in order, 8 per register. A word's 64 units (4 groups of
// 4 draws) are narrowed to bytes (UZP1), ANDed with the bit weights 1, 2, 4,
// ..., 128 and summed by three rounds of pairwise adds (ADDP) into its 8
// bytes.
//
// Go's assembler has no UMULL, UMULL2, vector MUL, MLA or CMHI, so those are
// WORD directives with their GNU syntax in the trailing comment, checked by
// kernels/internal/wordcheck; their registers are fixed, as in the map, and
// they are written out in each of the loop's four groups rather than in a
// macro, where wordcheck would not see them.
//
// Register map:
//
//	R0       &mask[w], the next word to store
//	R1       words left
//	V0, V1   lo and hi of the current 4 draws, then their compares
//	V2-V4    temporaries (V3, V4 the 64-bit products)
//	V8-V15   a word's compares, 8 units per register in unit order
//	V20, V21 mix1's low and high halves, in every S lane
//	V22, V23 mix2's low and high halves
//	V24      th, in every H lane
//	V25      the bit weights 1, 2, 4, ..., 128, twice
//	V26      4γ in both D lanes
//	V27, V28 counters of the next 4 draws (2 each)
//
// Preconditions, guaranteed by DropoutMask: th in [1, 65535], len(mask) at
// most maskChunk. Every word of mask is stored, nothing outside it.

// XSHIFT sets z ^= z>>S for the split draws in V0 (lo) and V1 (hi); L is
// 32-S.
#define XSHIFT(S, L) \
	VSHL  $L, V1.S4, V2.S4;      \
	VSRI  $S, V0.S4, V2.S4;      \
	VEOR  V2.B16, V0.B16, V0.B16; \
	VUSHR $S, V1.S4, V3.S4;      \
	VEOR  V3.B16, V1.B16, V1.B16

// SPLIT splits the next 4 draws' counters into V0 (lo) and V1 (hi) and
// moves the counters 4 draws on.
#define SPLIT \
	VUZP1 V28.S4, V27.S4, V0.S4;  \
	VUZP2 V28.S4, V27.S4, V1.S4;  \
	VADD  V26.D2, V27.D2, V27.D2; \
	VADD  V26.D2, V28.D2, V28.D2

// z *= m is four WORDs and CARRY: the 64-bit products of lo and the multiplier's low half
// (UMULL, UMULL2 into V3, V4) give the new lo, their low halves, and the
// carry into hi, their high halves, to which CARRY adds the cross terms
// hi·ml + lo·mh (MUL, MLA into V2), mod 2³².
#define CARRY \
	VUZP1 V4.S4, V3.S4, V0.S4; \
	VUZP2 V4.S4, V3.S4, V3.S4; \
	VADD  V2.S4, V3.S4, V1.S4

// func dropoutMaskNEON(mask []uint64, th uint32, ctr uint64)
TEXT ·dropoutMaskNEON(SB), NOSPLIT|NOFRAME, $0-40
	MOVD  mask_base+0(FP), R0
	MOVD  mask_len+8(FP), R1
	MOVWU th+24(FP), R2
	MOVD  ctr+32(FP), R3
	CBZ   R1, done
	MOVD  $0x1ce4e5b9, R4
	VDUP  R4, V20.S4
	MOVD  $0xbf58476d, R4
	VDUP  R4, V21.S4
	MOVD  $0x133111eb, R4
	VDUP  R4, V22.S4
	MOVD  $0x94d049bb, R4
	VDUP  R4, V23.S4
	VDUP  R2, V24.H8
	MOVD  $0x8040201008040201, R4
	VMOV  R4, V25.D[0]
	VMOV  R4, V25.D[1]
	MOVD  $0x78dde6e5fd29f054, R4 // 4γ
	VDUP  R4, V26.D2
	MOVD  $0x9e3779b97f4a7c15, R4 // γ
	VMOV  R3, V27.D[0]            // draws 0, 1, 2, 3: ctr + 0γ ... 3γ
	ADD   R4, R3
	VMOV  R3, V27.D[1]
	ADD   R4, R3
	VMOV  R3, V28.D[0]
	ADD   R4, R3
	VMOV  R3, V28.D[1]

loop:
	// units 0-15
	SPLIT
	XSHIFT(30, 2)
	WORD $0x2eb4c003 // umull v3.2d, v0.2s, v20.2s
	WORD $0x6eb4c004 // umull2 v4.2d, v0.4s, v20.4s
	WORD $0x4eb49c22 // mul v2.4s, v1.4s, v20.4s
	WORD $0x4eb59402 // mla v2.4s, v0.4s, v21.4s
	CARRY            // z *= mix1
	XSHIFT(27, 5)
	WORD $0x2eb6c003 // umull v3.2d, v0.2s, v22.2s
	WORD $0x6eb6c004 // umull2 v4.2d, v0.4s, v22.4s
	WORD $0x4eb69c22 // mul v2.4s, v1.4s, v22.4s
	WORD $0x4eb79402 // mla v2.4s, v0.4s, v23.4s
	CARRY            // z *= mix2
	XSHIFT(31, 1)
	WORD $0x6e603700 // cmhi v0.8h, v24.8h, v0.8h
	WORD $0x6e613701 // cmhi v1.8h, v24.8h, v1.8h
	VZIP1 V1.S4, V0.S4, V8.S4
	VZIP2 V1.S4, V0.S4, V9.S4
	// units 16-31
	SPLIT
	XSHIFT(30, 2)
	WORD $0x2eb4c003 // umull v3.2d, v0.2s, v20.2s
	WORD $0x6eb4c004 // umull2 v4.2d, v0.4s, v20.4s
	WORD $0x4eb49c22 // mul v2.4s, v1.4s, v20.4s
	WORD $0x4eb59402 // mla v2.4s, v0.4s, v21.4s
	CARRY            // z *= mix1
	XSHIFT(27, 5)
	WORD $0x2eb6c003 // umull v3.2d, v0.2s, v22.2s
	WORD $0x6eb6c004 // umull2 v4.2d, v0.4s, v22.4s
	WORD $0x4eb69c22 // mul v2.4s, v1.4s, v22.4s
	WORD $0x4eb79402 // mla v2.4s, v0.4s, v23.4s
	CARRY            // z *= mix2
	XSHIFT(31, 1)
	WORD $0x6e603700 // cmhi v0.8h, v24.8h, v0.8h
	WORD $0x6e613701 // cmhi v1.8h, v24.8h, v1.8h
	VZIP1 V1.S4, V0.S4, V10.S4
	VZIP2 V1.S4, V0.S4, V11.S4
	// units 32-47
	SPLIT
	XSHIFT(30, 2)
	WORD $0x2eb4c003 // umull v3.2d, v0.2s, v20.2s
	WORD $0x6eb4c004 // umull2 v4.2d, v0.4s, v20.4s
	WORD $0x4eb49c22 // mul v2.4s, v1.4s, v20.4s
	WORD $0x4eb59402 // mla v2.4s, v0.4s, v21.4s
	CARRY            // z *= mix1
	XSHIFT(27, 5)
	WORD $0x2eb6c003 // umull v3.2d, v0.2s, v22.2s
	WORD $0x6eb6c004 // umull2 v4.2d, v0.4s, v22.4s
	WORD $0x4eb69c22 // mul v2.4s, v1.4s, v22.4s
	WORD $0x4eb79402 // mla v2.4s, v0.4s, v23.4s
	CARRY            // z *= mix2
	XSHIFT(31, 1)
	WORD $0x6e603700 // cmhi v0.8h, v24.8h, v0.8h
	WORD $0x6e613701 // cmhi v1.8h, v24.8h, v1.8h
	VZIP1 V1.S4, V0.S4, V12.S4
	VZIP2 V1.S4, V0.S4, V13.S4
	// units 48-63
	SPLIT
	XSHIFT(30, 2)
	WORD $0x2eb4c003 // umull v3.2d, v0.2s, v20.2s
	WORD $0x6eb4c004 // umull2 v4.2d, v0.4s, v20.4s
	WORD $0x4eb49c22 // mul v2.4s, v1.4s, v20.4s
	WORD $0x4eb59402 // mla v2.4s, v0.4s, v21.4s
	CARRY            // z *= mix1
	XSHIFT(27, 5)
	WORD $0x2eb6c003 // umull v3.2d, v0.2s, v22.2s
	WORD $0x6eb6c004 // umull2 v4.2d, v0.4s, v22.4s
	WORD $0x4eb69c22 // mul v2.4s, v1.4s, v22.4s
	WORD $0x4eb79402 // mla v2.4s, v0.4s, v23.4s
	CARRY            // z *= mix2
	XSHIFT(31, 1)
	WORD $0x6e603700 // cmhi v0.8h, v24.8h, v0.8h
	WORD $0x6e613701 // cmhi v1.8h, v24.8h, v1.8h
	VZIP1 V1.S4, V0.S4, V14.S4
	VZIP2 V1.S4, V0.S4, V15.S4
	VUZP1 V9.B16, V8.B16, V8.B16     // one byte per unit: 0-15
	VUZP1 V11.B16, V10.B16, V10.B16  // 16-31
	VUZP1 V13.B16, V12.B16, V12.B16  // 32-47
	VUZP1 V15.B16, V14.B16, V14.B16  // 48-63
	VAND  V25.B16, V8.B16, V8.B16    // unit u's byte: 1<<(u%8) if kept
	VAND  V25.B16, V10.B16, V10.B16
	VAND  V25.B16, V12.B16, V12.B16
	VAND  V25.B16, V14.B16, V14.B16
	VADDP V10.B16, V8.B16, V8.B16    // sums of 2 units' bytes: units 0-31
	VADDP V14.B16, V12.B16, V12.B16  // units 32-63
	VADDP V12.B16, V8.B16, V8.B16    // sums of 4: units 0-63
	VADDP V8.B16, V8.B16, V8.B16     // sums of 8: the word, in the low 8 bytes
	FMOVD F8, (R0)
	ADD   $8, R0
	SUB   $1, R1
	CBNZ  R1, loop

done:
	RET
