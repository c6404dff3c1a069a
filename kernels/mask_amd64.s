//go:build !purego

#include "textflag.h"

// Dropout masks for amd64: AVX-512 and AVX2 versions of dropoutMaskGeneric
// (mask_generic.go), giving exactly its bits:
//
//	for w := range mask {
//		for j := range 16 {                              // draw j of word w
//			z := splitmix64Mix(ctr + uint64(16*w+j)*γ)
//			for i := range 4 {                          // unit 4j+i of the word
//				if uint16(z>>(16*i)) < th { mask[w] |= 1 << (4*j + i) }
//			}
//		}
//	}
//
// A vector of consecutive counters holds, after the mix, the 16-bit uniforms
// of consecutive units in unit order (little endian: the uniform of unit 4j+i
// is word i of qword j), so one unsigned 16-bit compare per vector gives the
// units' keep bits in order.
//
// AVX-512: 8 draws per ZMM, 32 units; the two 64-bit multiplies are VPMULLQ
// (AVX512DQ), the compare is VPCMPUW (AVX512BW) into a 32-bit K mask, and
// KUNPCKDQ joins a word's two K masks into the 64 bits it stores. The main
// loop fills 4 words per iteration from 8 counter vectors, 8 independent
// chains of 2 multiplies that keep the multiplier busy; a 1-word loop does
// the rest.
//
// AVX2: 4 draws per YMM, 16 units; no 64-bit multiply, so x·m is built from
// three VPMULUDQ (32×32→64): xl·ml + ((xh·ml + xl·mh) << 32), mod 2⁶⁴. No
// unsigned 16-bit compare either: x < th as signed (th^0x8000) > (x^0x8000)
// (VPCMPGTW). VPACKSSWB packs two compares' 0/-1 words into bytes (per 128-bit
// lane: 8 of the first, then 8 of the second), VPERMQ $0xd8 puts the qwords
// back in unit order and VPMOVMSKB takes 32 bits; two of those make a word.
// One word (4 vectors, 4 independent chains) per iteration.
//
// Register map:
//
//	DI       &mask[w], the next word to store
//	CX       words left
//	AVX-512: Z0-Z7 counters of the next 4 words (Z2i, Z2i+1: word i's draws
//	         0-7 and 8-15); Z8-Z15 mixed draws; Z16-Z23 temporaries;
//	         Z25 16γ; Z26 64γ; Z27 8γ; Z28, Z29 the two multipliers;
//	         Z31 th in every word; K1-K6 compares, K7 a word's 64 bits
//	AVX2:    Y0 counters of draws 0-3 of the next word; Y4 counters of the
//	         later draws; Y1, Y5, Y8, Y9 mixed draws; Y2, Y3, Y6, Y7
//	         temporaries; Y10 4γ; Y11-Y14 the multipliers' high and low
//	         halves; Y15 th^0x8000 in every word; AX, BX a word's two halves
//
// Preconditions, guaranteed by DropoutMask: th in [1, 65535] (0 and 65536
// are handled in Go), len(mask) at most maskChunk. Every word of mask is
// stored, nothing outside it is touched.

// gammaLanes[i] = i·γ (mod 2⁶⁴): added to a broadcast counter, the counters
// of 8 (AVX-512) or 4 (AVX2) consecutive draws.
DATA gammaLanes<>+0x00(SB)/8, $0x0000000000000000
DATA gammaLanes<>+0x08(SB)/8, $0x9e3779b97f4a7c15
DATA gammaLanes<>+0x10(SB)/8, $0x3c6ef372fe94f82a
DATA gammaLanes<>+0x18(SB)/8, $0xdaa66d2c7ddf743f
DATA gammaLanes<>+0x20(SB)/8, $0x78dde6e5fd29f054
DATA gammaLanes<>+0x28(SB)/8, $0x1715609f7c746c69
DATA gammaLanes<>+0x30(SB)/8, $0xb54cda58fbbee87e
DATA gammaLanes<>+0x38(SB)/8, $0x538454127b096493
GLOBL gammaLanes<>(SB), RODATA|NOPTR, $64

// maskConsts: the mix's two multipliers and their high halves, and the
// counter steps 4γ, 8γ, 16γ, 64γ (mod 2⁶⁴), one qword each, broadcast as
// needed.
DATA maskConsts<>+0x00(SB)/8, $0xbf58476d1ce4e5b9 // mix1
DATA maskConsts<>+0x08(SB)/8, $0x94d049bb133111eb // mix2
DATA maskConsts<>+0x10(SB)/8, $0x00000000bf58476d // mix1 >> 32
DATA maskConsts<>+0x18(SB)/8, $0x0000000094d049bb // mix2 >> 32
DATA maskConsts<>+0x20(SB)/8, $0x78dde6e5fd29f054 // 4γ
DATA maskConsts<>+0x28(SB)/8, $0xf1bbcdcbfa53e0a8 // 8γ
DATA maskConsts<>+0x30(SB)/8, $0xe3779b97f4a7c150 // 16γ
DATA maskConsts<>+0x38(SB)/8, $0x8dde6e5fd29f0540 // 64γ
GLOBL maskConsts<>(SB), RODATA|NOPTR, $64

// signBias flips the sign bit of each of 16 uint16s, so that a signed
// compare orders them as unsigned.
DATA signBias<>+0x00(SB)/8, $0x8000800080008000
DATA signBias<>+0x08(SB)/8, $0x8000800080008000
DATA signBias<>+0x10(SB)/8, $0x8000800080008000
DATA signBias<>+0x18(SB)/8, $0x8000800080008000
GLOBL signBias<>(SB), RODATA|NOPTR, $32

// MIX512 mixes the 8 counters in V into X (T is clobbered) and sets K to
// the 32 units' keep bits: bit i for word i of X below th. In order:
// z = ctr ^ ctr>>30; z *= mix1; z ^= z>>27; z *= mix2; z ^= z>>31;
// K = uint16 lanes of z < th (predicate 1, unsigned less-than).
#define MIX512(V, X, T, K) \
	VPSRLQ  $30, V, T;   \
	VPXORQ  V, T, X;     \
	VPMULLQ Z29, X, X;   \
	VPSRLQ  $27, X, T;   \
	VPXORQ  X, T, X;     \
	VPMULLQ Z28, X, X;   \
	VPSRLQ  $31, X, T;   \
	VPXORQ  X, T, X;     \
	VPCMPUW $1, Z31, X, K

// WORD512 stores at OFF(DI) the word whose draws 0-7 are counted in VA and
// 8-15 in VB: units 0-31 from KA, 32-63 from KB.
#define WORD512(VA, VB, XA, XB, TA, TB, KA, KB, OFF) \
	MIX512(VA, XA, TA, KA); \
	MIX512(VB, XB, TB, KB); \
	KUNPCKDQ KA, KB, K7;    \
	KMOVQ    K7, OFF(DI)

// func dropoutMaskAVX512(mask []uint64, th uint32, ctr uint64)
TEXT ·dropoutMaskAVX512(SB), NOSPLIT, $0-40
	MOVQ mask_base+0(FP), DI
	MOVQ mask_len+8(FP), CX
	MOVL th+24(FP), AX
	MOVQ ctr+32(FP), BX
	TESTQ CX, CX
	JZ    done512
	VPBROADCASTW AX, Z31
	VPBROADCASTQ maskConsts<>+0x00(SB), Z29
	VPBROADCASTQ maskConsts<>+0x08(SB), Z28
	VPBROADCASTQ maskConsts<>+0x28(SB), Z27
	VPBROADCASTQ maskConsts<>+0x38(SB), Z26
	VPBROADCASTQ maskConsts<>+0x30(SB), Z25
	VPBROADCASTQ BX, Z0
	VPADDQ gammaLanes<>(SB), Z0, Z0 // word 0, draws 0-7
	VPADDQ Z27, Z0, Z1              // word 0, draws 8-15
	VPADDQ Z27, Z1, Z2              // word 1 ...
	VPADDQ Z27, Z2, Z3
	VPADDQ Z27, Z3, Z4
	VPADDQ Z27, Z4, Z5
	VPADDQ Z27, Z5, Z6
	VPADDQ Z27, Z6, Z7
	CMPQ CX, $4
	JB   tail512

	PCALIGN $16
loop4x512:
	WORD512(Z0, Z1, Z8, Z9, Z16, Z17, K1, K2, 0)
	WORD512(Z2, Z3, Z10, Z11, Z18, Z19, K3, K4, 8)
	WORD512(Z4, Z5, Z12, Z13, Z20, Z21, K5, K6, 16)
	WORD512(Z6, Z7, Z14, Z15, Z22, Z23, K1, K2, 24)
	VPADDQ Z26, Z0, Z0 // every counter 4 words on
	VPADDQ Z26, Z1, Z1
	VPADDQ Z26, Z2, Z2
	VPADDQ Z26, Z3, Z3
	VPADDQ Z26, Z4, Z4
	VPADDQ Z26, Z5, Z5
	VPADDQ Z26, Z6, Z6
	VPADDQ Z26, Z7, Z7
	ADDQ $32, DI
	SUBQ $4, CX
	CMPQ CX, $4
	JAE  loop4x512
	TESTQ CX, CX
	JZ    end512

tail512: // 1-3 words, Z0 and Z1 counting the next one
	WORD512(Z0, Z1, Z8, Z9, Z16, Z17, K1, K2, 0)
	VPADDQ Z25, Z0, Z0 // one word on
	VPADDQ Z25, Z1, Z1
	ADDQ $8, DI
	DECQ CX
	JNZ  tail512

end512:
	VZEROUPPER

done512:
	RET

// MUL64 sets X = X·m mod 2⁶⁴ for m's low half in LO and high half in HI
// (each in the low dword of every qword); T1, T2 are clobbered. In order:
// T1 = xh; T1 = xh·ml; T2 = xl·mh; T1 = (T1+T2) << 32; X = xl·ml (the full
// 64 bits) + T1.
#define MUL64(X, LO, HI, T1, T2) \
	VPSRLQ   $32, X, T1;  \
	VPMULUDQ LO, T1, T1;  \
	VPMULUDQ HI, X, T2;   \
	VPADDQ   T1, T2, T1;  \
	VPSLLQ   $32, T1, T1; \
	VPMULUDQ LO, X, X;    \
	VPADDQ   T1, X, X

// MIX256 mixes the 4 counters in V into X (T1, T2 clobbered) and sets X's
// 16 words to -1 where the unit is kept (uniform < th), 0 where dropped:
// z = ctr ^ ctr>>30; z *= mix1; z ^= z>>27; z *= mix2; z ^= z>>31; then
// the signed compare th^0x8000 > z^0x8000 in each word.
#define MIX256(V, X, T1, T2) \
	VPSRLQ   $30, V, T1;                 \
	VPXOR    V, T1, X;                   \
	MUL64(X, Y14, Y13, T1, T2);          \
	VPSRLQ   $27, X, T1;                 \
	VPXOR    X, T1, X;                   \
	MUL64(X, Y12, Y11, T1, T2);          \
	VPSRLQ   $31, X, T1;                 \
	VPXOR    X, T1, X;                   \
	VPXOR    signBias<>(SB), X, X;       \
	VPCMPGTW X, Y15, X

// func dropoutMaskAVX2(mask []uint64, th uint32, ctr uint64)
TEXT ·dropoutMaskAVX2(SB), NOSPLIT, $0-40
	MOVQ mask_base+0(FP), DI
	MOVQ mask_len+8(FP), CX
	MOVL th+24(FP), AX
	MOVQ ctr+32(FP), BX
	TESTQ CX, CX
	JZ    done256
	XORL $0x8000, AX
	VMOVD AX, X15
	VPBROADCASTW X15, Y15
	VPBROADCASTQ maskConsts<>+0x00(SB), Y14
	VPBROADCASTQ maskConsts<>+0x10(SB), Y13
	VPBROADCASTQ maskConsts<>+0x08(SB), Y12
	VPBROADCASTQ maskConsts<>+0x18(SB), Y11
	VPBROADCASTQ maskConsts<>+0x20(SB), Y10
	VMOVQ BX, X0
	VPBROADCASTQ X0, Y0
	VPADDQ gammaLanes<>(SB), Y0, Y0 // draws 0-3 of word 0

	PCALIGN $16
loop256:
	MIX256(Y0, Y1, Y2, Y3)  // units 0-15
	VPADDQ Y10, Y0, Y4
	MIX256(Y4, Y5, Y6, Y7)  // units 16-31
	VPADDQ Y10, Y4, Y4
	MIX256(Y4, Y8, Y2, Y3)  // units 32-47
	VPADDQ Y10, Y4, Y4
	MIX256(Y4, Y9, Y6, Y7)  // units 48-63
	VPADDQ Y10, Y4, Y0      // the next word's draws 0-3
	VPACKSSWB Y5, Y1, Y1    // qwords: units 0-7, 16-23, 8-15, 24-31
	VPERMQ    $0xd8, Y1, Y1 // units 0-31 in order
	VPMOVMSKB Y1, AX
	VPACKSSWB Y9, Y8, Y8
	VPERMQ    $0xd8, Y8, Y8 // units 32-63
	VPMOVMSKB Y8, BX
	SHLQ $32, BX
	ORQ  BX, AX
	MOVQ AX, (DI)
	ADDQ $8, DI
	DECQ CX
	JNZ  loop256

	VZEROUPPER

done256:
	RET
