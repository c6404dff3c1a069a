//go:build !purego

#include "textflag.h"

// SGEMM micro-kernel for arm64 (NEON / Advanced SIMD).
//
//	// sgemmKernel8x12NEON(kc, a, b, t):
//	for p := 0; p < kc; p++ {
//		for r := 0; r < 8; r++ {
//			acc[r][0:12] += a[p*8+r] * b[p*12 : p*12+12]
//		}
//	}
//	t[0:96] = acc // row-major 8×12
//
// The tile is 8 rows of packed A by 12 columns of packed B (see
// gemm_packed.go). alpha, beta and edge tiles are applied by the Go caller
// (tile8x12NEON) from t, which keeps the assembly to instructions the Go
// arm64 assembler has natively (VLD1, VDUP, VFMLA, VST1): no WORD encodings.
//
// Register map:
//	V0-V23   accumulators, row r in V(3r), V(3r+1), V(3r+2) (columns 0-3, 4-7, 8-11)
//	V24, V25 a[p*8 : p*8+8]
//	V26-V28  b[p*12 : p*12+12]
//	V29      a[p*8+r] broadcast to four lanes
//	R0 k counter, R1 a, R2 b, R3 t
// Preconditions: kc >= 1; a holds 8*kc and b 12*kc floats (zero-padded by
// the packing); t holds 96 floats.

// func sgemmKernel8x12NEON(kc int, a, b, t *float32)
TEXT ·sgemmKernel8x12NEON(SB), NOSPLIT|NOFRAME, $0-32
	MOVD kc+0(FP), R0
	MOVD a+8(FP), R1
	MOVD b+16(FP), R2
	MOVD t+24(FP), R3
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16
	VEOR V4.B16, V4.B16, V4.B16
	VEOR V5.B16, V5.B16, V5.B16
	VEOR V6.B16, V6.B16, V6.B16
	VEOR V7.B16, V7.B16, V7.B16
	VEOR V8.B16, V8.B16, V8.B16
	VEOR V9.B16, V9.B16, V9.B16
	VEOR V10.B16, V10.B16, V10.B16
	VEOR V11.B16, V11.B16, V11.B16
	VEOR V12.B16, V12.B16, V12.B16
	VEOR V13.B16, V13.B16, V13.B16
	VEOR V14.B16, V14.B16, V14.B16
	VEOR V15.B16, V15.B16, V15.B16
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	VEOR V22.B16, V22.B16, V22.B16
	VEOR V23.B16, V23.B16, V23.B16
loop:
	VLD1.P 32(R1), [V24.S4, V25.S4] // a[p*8 : p*8+8]
	VLD1.P 48(R2), [V26.S4, V27.S4, V28.S4] // b[p*12 : p*12+12]
	// acc[0][0:12] += a[p*8+0] * b[p*12 : p*12+12]
	VDUP V24.S[0], V29.S4
	VFMLA V26.S4, V29.S4, V0.S4
	VFMLA V27.S4, V29.S4, V1.S4
	VFMLA V28.S4, V29.S4, V2.S4
	// acc[1][0:12] += a[p*8+1] * b[p*12 : p*12+12]
	VDUP V24.S[1], V29.S4
	VFMLA V26.S4, V29.S4, V3.S4
	VFMLA V27.S4, V29.S4, V4.S4
	VFMLA V28.S4, V29.S4, V5.S4
	// acc[2][0:12] += a[p*8+2] * b[p*12 : p*12+12]
	VDUP V24.S[2], V29.S4
	VFMLA V26.S4, V29.S4, V6.S4
	VFMLA V27.S4, V29.S4, V7.S4
	VFMLA V28.S4, V29.S4, V8.S4
	// acc[3][0:12] += a[p*8+3] * b[p*12 : p*12+12]
	VDUP V24.S[3], V29.S4
	VFMLA V26.S4, V29.S4, V9.S4
	VFMLA V27.S4, V29.S4, V10.S4
	VFMLA V28.S4, V29.S4, V11.S4
	// acc[4][0:12] += a[p*8+4] * b[p*12 : p*12+12]
	VDUP V25.S[0], V29.S4
	VFMLA V26.S4, V29.S4, V12.S4
	VFMLA V27.S4, V29.S4, V13.S4
	VFMLA V28.S4, V29.S4, V14.S4
	// acc[5][0:12] += a[p*8+5] * b[p*12 : p*12+12]
	VDUP V25.S[1], V29.S4
	VFMLA V26.S4, V29.S4, V15.S4
	VFMLA V27.S4, V29.S4, V16.S4
	VFMLA V28.S4, V29.S4, V17.S4
	// acc[6][0:12] += a[p*8+6] * b[p*12 : p*12+12]
	VDUP V25.S[2], V29.S4
	VFMLA V26.S4, V29.S4, V18.S4
	VFMLA V27.S4, V29.S4, V19.S4
	VFMLA V28.S4, V29.S4, V20.S4
	// acc[7][0:12] += a[p*8+7] * b[p*12 : p*12+12]
	VDUP V25.S[3], V29.S4
	VFMLA V26.S4, V29.S4, V21.S4
	VFMLA V27.S4, V29.S4, V22.S4
	VFMLA V28.S4, V29.S4, V23.S4
	SUBS $1, R0, R0
	BNE  loop
	// t[0:96] = acc, row-major
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R3)
	VST1.P [V4.S4, V5.S4, V6.S4, V7.S4], 64(R3)
	VST1.P [V8.S4, V9.S4, V10.S4, V11.S4], 64(R3)
	VST1.P [V12.S4, V13.S4, V14.S4, V15.S4], 64(R3)
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], 64(R3)
	VST1.P [V20.S4, V21.S4, V22.S4, V23.S4], 64(R3)
	RET
