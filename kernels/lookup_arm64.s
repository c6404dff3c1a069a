//go:build !purego

#include "textflag.h"

// Lookup for arm64 NEON: lookupGeneric (lookup_generic.go), bit for bit,
//
//	for i := range n { dst[i] = table[codes[i]] }
//
// done on the float32s' bytes. TBL Vd, {Vt-Vt+3}, Vi sets byte lane l of
// Vd to byte Vi[l] of the 64-byte table {Vt-Vt+3}, or to 0 where Vi[l] >= 64;
// TBX does the same but leaves those lanes unchanged. So the table is taken
// apart into byte planes and segments (in Go terms, on bytes b(c, p) = byte
// p of table[c], little endian):
//
//	planes[256s+64p+j] = b(64s+j, p)    s, p in 0..3, j in 0..63
//
// which the split loop writes once per call: VLD4 de-interleaves 16 entries
// (64 bytes) into four registers, one per byte, and single-register stores
// put each where its plane and segment belong. Then, for each block of 16
// codes c (one register) and each plane p,
//
//	r = TBL(segment 0 of plane p, c)       codes 0-63; others give 0
//	r = TBX(segment 1 of plane p, c - 64)  codes 64-127; others keep r
//	r = TBX(segment 2 of plane p, c - 128)
//	r = TBX(segment 3 of plane p, c - 192)
//
// The subtractions wrap mod 256, so a code below the segment becomes an
// index of 64 or more and keeps its lane: each lane is written by exactly
// one segment. ST4 stores the four planes' results interleaved, byte p of
// element l from plane p's lane l: sixteen float32s, in order.
//
// A segment's four planes fill 16 registers, and the whole table 64, more
// than NEON's 32, so the segments take turns: the main loop reloads them
// from planes (1 KiB from L1 per block) and amortises that over 48 codes,
// as many as the remaining 16 registers hold (3 code registers, a constant,
// 12 result registers). The last 0, 16 or 32 codes go through the same
// steps 16 at a time. The speed of either loop is unmeasured (no arm64
// hardware; see lookup_arm64.go).
//
// Register map:
//
//	R0       dst, advanced by post-indexed stores
//	R1       codes, advanced by post-indexed loads
//	R2       codes left (a multiple of 16)
//	R3       table, during the split
//	R4       planes
//	R5       the next segment to load from planes (split: to store into)
//	R6       segments left to split
//	V0-V15   the current segment: plane p in V4p-V4p+3 (split: 64 entries'
//	         de-interleaved bytes)
//	V16-V18  the block's codes, less 64 per segment already done
//	V19      64 in every byte
//	V20-V31  results: plane p of the codes in V16+k in V20+4k+p
//
// Preconditions, guaranteed by lookup_arm64.go: n > 0 and n%16 == 0; dst
// and codes hold n elements; planes is 1 KiB of scratch. Only dst[:n] and
// planes are written.

// LOOKUP looks the 16 indices in C up in the four planes of the segment in
// V0-V15 with OP (VTBL or VTBX), into P0 (plane 0) to P3 (plane 3).
#define LOOKUP(OP, C, P0, P1, P2, P3) \
	OP C.B16, [V0.B16, V1.B16, V2.B16, V3.B16], P0.B16;     \
	OP C.B16, [V4.B16, V5.B16, V6.B16, V7.B16], P1.B16;     \
	OP C.B16, [V8.B16, V9.B16, V10.B16, V11.B16], P2.B16;   \
	OP C.B16, [V12.B16, V13.B16, V14.B16, V15.B16], P3.B16

// SEGMENT loads the next segment's planes from R5 into V0-V15.
#define SEGMENT \
	VLD1.P 64(R5), [V0.B16, V1.B16, V2.B16, V3.B16];     \
	VLD1.P 64(R5), [V4.B16, V5.B16, V6.B16, V7.B16];     \
	VLD1.P 64(R5), [V8.B16, V9.B16, V10.B16, V11.B16];   \
	VLD1.P 64(R5), [V12.B16, V13.B16, V14.B16, V15.B16]

// LOOKUP48 looks up 48 codes (V16-V18) in the current segment.
#define LOOKUP48(OP) \
	LOOKUP(OP, V16, V20, V21, V22, V23); \
	LOOKUP(OP, V17, V24, V25, V26, V27); \
	LOOKUP(OP, V18, V28, V29, V30, V31)

// NEXT48 turns 48 codes into indices into the next segment.
#define NEXT48 \
	VSUB V19.B16, V16.B16, V16.B16; \
	VSUB V19.B16, V17.B16, V17.B16; \
	VSUB V19.B16, V18.B16, V18.B16

// func lookupNEON(dst *float32, codes *uint8, n int, table *[256]float32, planes *[1024]byte)
TEXT ·lookupNEON(SB), NOSPLIT|NOFRAME, $0-40
	MOVD dst+0(FP), R0
	MOVD codes+8(FP), R1
	MOVD n+16(FP), R2
	MOVD table+24(FP), R3
	MOVD planes+32(FP), R4

	// planes[256s+64p+j] = byte p of table[64s+j], one segment s per pass.
	MOVD R4, R5
	MOVD $4, R6

split:
	VLD4.P 64(R3), [V0.B16, V1.B16, V2.B16, V3.B16]     // V0+p: byte p of entries 64s+0..15
	VLD4.P 64(R3), [V4.B16, V5.B16, V6.B16, V7.B16]     // V4+p: of entries 64s+16..31
	VLD4.P 64(R3), [V8.B16, V9.B16, V10.B16, V11.B16]   // 64s+32..47
	VLD4.P 64(R3), [V12.B16, V13.B16, V14.B16, V15.B16] // 64s+48..63
	VST1.P [V0.B16], 16(R5)  // plane 0
	VST1.P [V4.B16], 16(R5)
	VST1.P [V8.B16], 16(R5)
	VST1.P [V12.B16], 16(R5)
	VST1.P [V1.B16], 16(R5)  // plane 1
	VST1.P [V5.B16], 16(R5)
	VST1.P [V9.B16], 16(R5)
	VST1.P [V13.B16], 16(R5)
	VST1.P [V2.B16], 16(R5)  // plane 2
	VST1.P [V6.B16], 16(R5)
	VST1.P [V10.B16], 16(R5)
	VST1.P [V14.B16], 16(R5)
	VST1.P [V3.B16], 16(R5)  // plane 3
	VST1.P [V7.B16], 16(R5)
	VST1.P [V11.B16], 16(R5)
	VST1.P [V15.B16], 16(R5)
	SUB  $1, R6
	CBNZ R6, split

	VMOVI $64, V19.B16
	CMP   $48, R2
	BLT   loop16

loop48:
	// dst[i:i+48] = table[codes[i:i+48]]
	VLD1.P 48(R1), [V16.B16, V17.B16, V18.B16]
	MOVD   R4, R5
	SEGMENT            // entries 0-63
	LOOKUP48(VTBL)
	NEXT48
	SEGMENT            // 64-127
	LOOKUP48(VTBX)
	NEXT48
	SEGMENT            // 128-191
	LOOKUP48(VTBX)
	NEXT48
	SEGMENT            // 192-255
	LOOKUP48(VTBX)
	VST4.P [V20.B16, V21.B16, V22.B16, V23.B16], 64(R0)
	VST4.P [V24.B16, V25.B16, V26.B16, V27.B16], 64(R0)
	VST4.P [V28.B16, V29.B16, V30.B16, V31.B16], 64(R0)
	SUB    $48, R2
	CMP    $48, R2
	BGE    loop48
	CBZ    R2, done

loop16:
	// dst[i:i+16] = table[codes[i:i+16]]
	VLD1.P 16(R1), [V16.B16]
	MOVD   R4, R5
	SEGMENT            // entries 0-63
	LOOKUP(VTBL, V16, V20, V21, V22, V23)
	VSUB   V19.B16, V16.B16, V16.B16
	SEGMENT            // 64-127
	LOOKUP(VTBX, V16, V20, V21, V22, V23)
	VSUB   V19.B16, V16.B16, V16.B16
	SEGMENT            // 128-191
	LOOKUP(VTBX, V16, V20, V21, V22, V23)
	VSUB   V19.B16, V16.B16, V16.B16
	SEGMENT            // 192-255
	LOOKUP(VTBX, V16, V20, V21, V22, V23)
	VST4.P [V20.B16, V21.B16, V22.B16, V23.B16], 64(R0)
	SUBS   $16, R2
	BNE    loop16

done:
	RET
