//go:build !purego

#include "textflag.h"

// Reductions for arm64 NEON.
//
//	dot:        s = Σ x[i]*y[i]   (FMLA into vector accumulators, fused)
//	sum:        s = Σ x[i]
//	sumSquares: s = Σ x[i]*x[i]   (FMLA)
//	maxBlock:   m = max(x), NaN if any x[i] is NaN (len(x) >= 1)
//	indexOf:    first i with x[i] == v (v is not NaN), or len(x)
//
// dot, sum and sumSquares, as Go pseudocode:
//
//	var acc [8][4]float32      // V16-V23, all +0
//	for ; i+32 <= n; i += 32 { acc[k][j] += term(i + 4*k + j) for k < 8, j < 4 }
//	for ; i+4 <= n; i += 4   { acc[0][j] += term(i + j) }
//	s := ((a0+a1)+(a2+a3)) + ((a4+a5)+(a6+a7)), then lanes (l0+l1)+(l2+l3)
//	for ; i < n; i++         { s += term(i) }
//
// Eight accumulators cover the FMLA/FADD latency at two vector operations per
// cycle. The order of additions depends only on n; reduce.go documents the
// error bound against the exact sum. The scalar tail adds into lane 0 of V16
// with the vector instruction on an FMOVS-loaded register (other lanes zero).
//
// maxBlock uses FMAX, which (unlike x86 MAXPS) returns NaN when either input
// is NaN, so NaN propagates to the result without separate tracking; FMAXV
// reduces the lanes the same way. Which of -0 and +0 it returns when they tie
// is unspecified; the Go caller compares the result only with ==.
//
// Go's assembler has no vector FADD, FADDP, FMAX, FMAXV or FCMEQ: those are
// WORDs with their GNU syntax as comment, checked by kernels/internal/wordcheck.
//
// Register map:
//
//	R1       x, advanced by post-indexed loads
//	R2       y (dot)
//	R3       n
//	R4       iteration counter
//	R5       i (indexOf)
//	V0-V7    x
//	V8-V15   y (dot)
//	V16-V23  accumulators
//	V30      v in every lane (indexOf)
//
// Preconditions (from reduce.go): n <= chunk; maxBlock needs n >= 1. Nothing
// is read outside the slices.


// func dotNEON(x, y []float32) float32
TEXT ·dotNEON(SB), NOSPLIT|NOFRAME, $0-52
	MOVD x_base+0(FP), R1
	MOVD x_len+8(FP), R3
	MOVD y_base+24(FP), R2
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	VEOR V22.B16, V22.B16, V22.B16
	VEOR V23.B16, V23.B16, V23.B16
	LSR  $5, R3, R4 // R4 = n/32
	CBZ  R4, tail4

loop32:
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R1), [V4.S4, V5.S4, V6.S4, V7.S4]
	VLD1.P 64(R2), [V8.S4, V9.S4, V10.S4, V11.S4]
	VLD1.P 64(R2), [V12.S4, V13.S4, V14.S4, V15.S4]
	VFMLA V8.S4, V0.S4, V16.S4 // acc[k] += x[i+4k:i+4k+4] * y[i+4k:i+4k+4]
	VFMLA V9.S4, V1.S4, V17.S4
	VFMLA V10.S4, V2.S4, V18.S4
	VFMLA V11.S4, V3.S4, V19.S4
	VFMLA V12.S4, V4.S4, V20.S4
	VFMLA V13.S4, V5.S4, V21.S4
	VFMLA V14.S4, V6.S4, V22.S4
	VFMLA V15.S4, V7.S4, V23.S4
	SUB  $1, R4
	CBNZ R4, loop32

tail4:
	UBFX $2, R3, $3, R4 // R4 = (n%32)/4
	CBZ  R4, reduce

loop4:
	VLD1.P 16(R1), [V0.S4]
	VLD1.P 16(R2), [V8.S4]
	VFMLA V8.S4, V0.S4, V16.S4
	SUB  $1, R4
	CBNZ R4, loop4

reduce:
	// tree: ((a0+a1)+(a2+a3))+((a4+a5)+(a6+a7))
	WORD $0x4e31d610 // fadd v16.4s, v16.4s, v17.4s
	WORD $0x4e33d652 // fadd v18.4s, v18.4s, v19.4s
	WORD $0x4e35d694 // fadd v20.4s, v20.4s, v21.4s
	WORD $0x4e37d6d6 // fadd v22.4s, v22.4s, v23.4s
	WORD $0x4e32d610 // fadd v16.4s, v16.4s, v18.4s
	WORD $0x4e36d694 // fadd v20.4s, v20.4s, v22.4s
	WORD $0x4e34d610 // fadd v16.4s, v16.4s, v20.4s
	// lanes (l0+l1, l2+l3, ...)
	WORD $0x6e30d610 // faddp v16.4s, v16.4s, v16.4s
	// (l0+l1)+(l2+l3); the other lanes become 0
	WORD $0x7e30da10 // faddp s16, v16.2s
	AND  $3, R3, R4 // R4 = n%4
	CBZ  R4, done

loop1:
	FMOVS.P 4(R1), F0
	FMOVS.P 4(R2), F8
	VFMLA V8.S4, V0.S4, V16.S4 // lane 0: s += x[i]*y[i], fused
	SUB  $1, R4
	CBNZ R4, loop1

done:
	FMOVS F16, ret+48(FP)
	RET

// func sumNEON(x []float32) float32
TEXT ·sumNEON(SB), NOSPLIT|NOFRAME, $0-28
	MOVD x_base+0(FP), R1
	MOVD x_len+8(FP), R3
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	VEOR V22.B16, V22.B16, V22.B16
	VEOR V23.B16, V23.B16, V23.B16
	LSR  $5, R3, R4 // R4 = n/32
	CBZ  R4, tail4

loop32:
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R1), [V4.S4, V5.S4, V6.S4, V7.S4]
	WORD $0x4e20d610 // fadd v16.4s, v16.4s, v0.4s
	WORD $0x4e21d631 // fadd v17.4s, v17.4s, v1.4s
	WORD $0x4e22d652 // fadd v18.4s, v18.4s, v2.4s
	WORD $0x4e23d673 // fadd v19.4s, v19.4s, v3.4s
	WORD $0x4e24d694 // fadd v20.4s, v20.4s, v4.4s
	WORD $0x4e25d6b5 // fadd v21.4s, v21.4s, v5.4s
	WORD $0x4e26d6d6 // fadd v22.4s, v22.4s, v6.4s
	WORD $0x4e27d6f7 // fadd v23.4s, v23.4s, v7.4s
	SUB  $1, R4
	CBNZ R4, loop32

tail4:
	UBFX $2, R3, $3, R4 // R4 = (n%32)/4
	CBZ  R4, reduce

loop4:
	VLD1.P 16(R1), [V0.S4]
	WORD $0x4e20d610 // fadd v16.4s, v16.4s, v0.4s
	SUB  $1, R4
	CBNZ R4, loop4

reduce:
	// tree: ((a0+a1)+(a2+a3))+((a4+a5)+(a6+a7))
	WORD $0x4e31d610 // fadd v16.4s, v16.4s, v17.4s
	WORD $0x4e33d652 // fadd v18.4s, v18.4s, v19.4s
	WORD $0x4e35d694 // fadd v20.4s, v20.4s, v21.4s
	WORD $0x4e37d6d6 // fadd v22.4s, v22.4s, v23.4s
	WORD $0x4e32d610 // fadd v16.4s, v16.4s, v18.4s
	WORD $0x4e36d694 // fadd v20.4s, v20.4s, v22.4s
	WORD $0x4e34d610 // fadd v16.4s, v16.4s, v20.4s
	// lanes (l0+l1, l2+l3, ...)
	WORD $0x6e30d610 // faddp v16.4s, v16.4s, v16.4s
	// (l0+l1)+(l2+l3); the other lanes become 0
	WORD $0x7e30da10 // faddp s16, v16.2s
	AND  $3, R3, R4 // R4 = n%4
	CBZ  R4, done

loop1:
	FMOVS.P 4(R1), F0
	WORD $0x4e20d610 // fadd v16.4s, v16.4s, v0.4s
	SUB  $1, R4
	CBNZ R4, loop1

done:
	FMOVS F16, ret+24(FP)
	RET

// func sumSquaresNEON(x []float32) float32
TEXT ·sumSquaresNEON(SB), NOSPLIT|NOFRAME, $0-28
	MOVD x_base+0(FP), R1
	MOVD x_len+8(FP), R3
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	VEOR V22.B16, V22.B16, V22.B16
	VEOR V23.B16, V23.B16, V23.B16
	LSR  $5, R3, R4 // R4 = n/32
	CBZ  R4, tail4

loop32:
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R1), [V4.S4, V5.S4, V6.S4, V7.S4]
	VFMLA V0.S4, V0.S4, V16.S4
	VFMLA V1.S4, V1.S4, V17.S4
	VFMLA V2.S4, V2.S4, V18.S4
	VFMLA V3.S4, V3.S4, V19.S4
	VFMLA V4.S4, V4.S4, V20.S4
	VFMLA V5.S4, V5.S4, V21.S4
	VFMLA V6.S4, V6.S4, V22.S4
	VFMLA V7.S4, V7.S4, V23.S4
	SUB  $1, R4
	CBNZ R4, loop32

tail4:
	UBFX $2, R3, $3, R4 // R4 = (n%32)/4
	CBZ  R4, reduce

loop4:
	VLD1.P 16(R1), [V0.S4]
	VFMLA V0.S4, V0.S4, V16.S4
	SUB  $1, R4
	CBNZ R4, loop4

reduce:
	// tree: ((a0+a1)+(a2+a3))+((a4+a5)+(a6+a7))
	WORD $0x4e31d610 // fadd v16.4s, v16.4s, v17.4s
	WORD $0x4e33d652 // fadd v18.4s, v18.4s, v19.4s
	WORD $0x4e35d694 // fadd v20.4s, v20.4s, v21.4s
	WORD $0x4e37d6d6 // fadd v22.4s, v22.4s, v23.4s
	WORD $0x4e32d610 // fadd v16.4s, v16.4s, v18.4s
	WORD $0x4e36d694 // fadd v20.4s, v20.4s, v22.4s
	WORD $0x4e34d610 // fadd v16.4s, v16.4s, v20.4s
	// lanes (l0+l1, l2+l3, ...)
	WORD $0x6e30d610 // faddp v16.4s, v16.4s, v16.4s
	// (l0+l1)+(l2+l3); the other lanes become 0
	WORD $0x7e30da10 // faddp s16, v16.2s
	AND  $3, R3, R4 // R4 = n%4
	CBZ  R4, done

loop1:
	FMOVS.P 4(R1), F0
	VFMLA V0.S4, V0.S4, V16.S4
	SUB  $1, R4
	CBNZ R4, loop1

done:
	FMOVS F16, ret+24(FP)
	RET

// func maxBlockNEON(x []float32) float32
TEXT ·maxBlockNEON(SB), NOSPLIT|NOFRAME, $0-28
	MOVD  x_base+0(FP), R1
	MOVD  x_len+8(FP), R3
	VLD1R (R1), [V16.S4] // every accumulator starts at x[0]
	VMOV  V16.B16, V17.B16
	VMOV  V16.B16, V18.B16
	VMOV  V16.B16, V19.B16
	LSR   $4, R3, R4 // R4 = n/16
	CBZ   R4, tail4

loop16:
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	WORD $0x4e20f610 // fmax v16.4s, v16.4s, v0.4s
	WORD $0x4e21f631 // fmax v17.4s, v17.4s, v1.4s
	WORD $0x4e22f652 // fmax v18.4s, v18.4s, v2.4s
	WORD $0x4e23f673 // fmax v19.4s, v19.4s, v3.4s
	SUB  $1, R4
	CBNZ R4, loop16

tail4:
	UBFX $2, R3, $2, R4 // R4 = (n%16)/4
	CBZ  R4, tail1

loop4:
	VLD1.P 16(R1), [V0.S4]
	WORD $0x4e20f610 // fmax v16.4s, v16.4s, v0.4s
	SUB  $1, R4
	CBNZ R4, loop4

tail1:
	AND  $3, R3, R4 // R4 = n%4
	CBZ  R4, reduce

loop1:
	FMOVS.P 4(R1), F0
	VDUP    V0.S[0], V0.S4 // x[i] in every lane, so the zeros FMOVS left do not count
	WORD $0x4e20f610 // fmax v16.4s, v16.4s, v0.4s
	SUB  $1, R4
	CBNZ R4, loop1

reduce:
	WORD $0x4e31f610 // fmax v16.4s, v16.4s, v17.4s
	WORD $0x4e33f652 // fmax v18.4s, v18.4s, v19.4s
	WORD $0x4e32f610 // fmax v16.4s, v16.4s, v18.4s
	WORD $0x6e30fa10 // fmaxv s16, v16.4s
	FMOVS F16, ret+24(FP)
	RET

// func indexOfNEON(x []float32, v float32) int
TEXT ·indexOfNEON(SB), NOSPLIT|NOFRAME, $0-40
	MOVD  x_base+0(FP), R1
	MOVD  x_len+8(FP), R3
	FMOVS v+24(FP), F31
	VDUP  V31.S[0], V30.S4
	MOVD  $0, R5
	LSR   $2, R3, R4 // R4 = n/4
	CBZ   R4, tail1

loop4:
	VLD1 (R1), [V0.S4]
	// lanes where x[i:i+4] == v
	WORD $0x4e3ee400 // fcmeq v0.4s, v0.4s, v30.4s
	VMOV V0.D[0], R6
	VMOV V0.D[1], R7
	ORR  R6, R7, R7
	CBNZ R7, tail1 // a match in x[i:i+4]: the scalar loop finds which
	ADD  $16, R1
	ADD  $4, R5
	SUB  $1, R4
	CBNZ R4, loop4

tail1:
	CMP R3, R5
	BGE notfound

loop1:
	FMOVS.P 4(R1), F0
	FCMPS   F31, F0
	BEQ     found
	ADD     $1, R5
	CMP     R3, R5
	BLT     loop1

notfound:
	MOVD R3, R5

found:
	MOVD R5, ret+32(FP)
	RET
