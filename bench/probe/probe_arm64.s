//go:build !purego

#include "textflag.h"

// Throughput probes for arm64 (NEON), the same contracts as probe_amd64.s:
//
//   fmaLoopNEON(iters, x, y): for iters times, acc[j] += x*y for 24
//   independent 4-lane accumulators (V0..V23; enough for 4 FMA pipes of
//   latency 4 with room to spare). Returns lane 0 of acc[0].
//   FLOPs = iters * 24 * 4 * 2.
//
//   readNEON(x, out): acc[j] += 1.0*x[...] over 4-lane vectors with eight
//   accumulators V0..V7 (Go's assembler has VFMLA but no vector FADD, so the
//   add is an FMA by one, exact for the test's data); stores them to out[0:32].
//   Requires len(x) % 128 == 0.
//
//   triadNEON(a, b, c, s): a[i] = b[i] + s*c[i], 16 floats per iteration.
//   Requires len(a) % 128 == 0 and len(b), len(c) >= len(a).
//
// VFMLA Vm, Vn, Vd computes Vd += Vn*Vm.

// func fmaLoopNEON(iters int, x, y float32) float32
TEXT ·fmaLoopNEON(SB), NOSPLIT, $0-20
	MOVD  iters+0(FP), R0
	FMOVS x+8(FP), F28
	FMOVS y+12(FP), F29
	VDUP  V28.S[0], V28.S4
	VDUP  V29.S[0], V29.S4
	VEOR  V0.B16, V0.B16, V0.B16
	VEOR  V1.B16, V1.B16, V1.B16
	VEOR  V2.B16, V2.B16, V2.B16
	VEOR  V3.B16, V3.B16, V3.B16
	VEOR  V4.B16, V4.B16, V4.B16
	VEOR  V5.B16, V5.B16, V5.B16
	VEOR  V6.B16, V6.B16, V6.B16
	VEOR  V7.B16, V7.B16, V7.B16
	VEOR  V8.B16, V8.B16, V8.B16
	VEOR  V9.B16, V9.B16, V9.B16
	VEOR  V10.B16, V10.B16, V10.B16
	VEOR  V11.B16, V11.B16, V11.B16
	VEOR  V12.B16, V12.B16, V12.B16
	VEOR  V13.B16, V13.B16, V13.B16
	VEOR  V14.B16, V14.B16, V14.B16
	VEOR  V15.B16, V15.B16, V15.B16
	VEOR  V16.B16, V16.B16, V16.B16
	VEOR  V17.B16, V17.B16, V17.B16
	VEOR  V18.B16, V18.B16, V18.B16
	VEOR  V19.B16, V19.B16, V19.B16
	VEOR  V20.B16, V20.B16, V20.B16
	VEOR  V21.B16, V21.B16, V21.B16
	VEOR  V22.B16, V22.B16, V22.B16
	VEOR  V23.B16, V23.B16, V23.B16
	CMP   $0, R0
	BLE   fmaNEONDone

fmaNEONLoop:
	VFMLA V28.S4, V29.S4, V0.S4 // acc0 += x*y
	VFMLA V28.S4, V29.S4, V1.S4
	VFMLA V28.S4, V29.S4, V2.S4
	VFMLA V28.S4, V29.S4, V3.S4
	VFMLA V28.S4, V29.S4, V4.S4
	VFMLA V28.S4, V29.S4, V5.S4
	VFMLA V28.S4, V29.S4, V6.S4
	VFMLA V28.S4, V29.S4, V7.S4
	VFMLA V28.S4, V29.S4, V8.S4
	VFMLA V28.S4, V29.S4, V9.S4
	VFMLA V28.S4, V29.S4, V10.S4
	VFMLA V28.S4, V29.S4, V11.S4
	VFMLA V28.S4, V29.S4, V12.S4
	VFMLA V28.S4, V29.S4, V13.S4
	VFMLA V28.S4, V29.S4, V14.S4
	VFMLA V28.S4, V29.S4, V15.S4
	VFMLA V28.S4, V29.S4, V16.S4
	VFMLA V28.S4, V29.S4, V17.S4
	VFMLA V28.S4, V29.S4, V18.S4
	VFMLA V28.S4, V29.S4, V19.S4
	VFMLA V28.S4, V29.S4, V20.S4
	VFMLA V28.S4, V29.S4, V21.S4
	VFMLA V28.S4, V29.S4, V22.S4
	VFMLA V28.S4, V29.S4, V23.S4
	SUBS  $1, R0, R0
	BNE   fmaNEONLoop

fmaNEONDone:
	FMOVS F0, ret+16(FP)
	RET

// func readNEON(x []float32, out *[128]float32)
TEXT ·readNEON(SB), NOSPLIT, $0-32
	MOVD  x_base+0(FP), R0
	MOVD  x_len+8(FP), R1
	MOVD  out+24(FP), R2
	LSR   $5, R1, R1              // 32 floats (8 vectors) per iteration
	FMOVS $(1.0), F31
	VDUP  V31.S[0], V31.S4         // ones
	VEOR  V0.B16, V0.B16, V0.B16
	VEOR  V1.B16, V1.B16, V1.B16
	VEOR  V2.B16, V2.B16, V2.B16
	VEOR  V3.B16, V3.B16, V3.B16
	VEOR  V4.B16, V4.B16, V4.B16
	VEOR  V5.B16, V5.B16, V5.B16
	VEOR  V6.B16, V6.B16, V6.B16
	VEOR  V7.B16, V7.B16, V7.B16
	CBZ   R1, readNEONDone

readNEONLoop:
	VLD1.P 64(R0), [V16.S4, V17.S4, V18.S4, V19.S4]
	VLD1.P 64(R0), [V20.S4, V21.S4, V22.S4, V23.S4]
	VFMLA  V31.S4, V16.S4, V0.S4 // acc0 += x[i:i+4]
	VFMLA  V31.S4, V17.S4, V1.S4
	VFMLA  V31.S4, V18.S4, V2.S4
	VFMLA  V31.S4, V19.S4, V3.S4
	VFMLA  V31.S4, V20.S4, V4.S4
	VFMLA  V31.S4, V21.S4, V5.S4
	VFMLA  V31.S4, V22.S4, V6.S4
	VFMLA  V31.S4, V23.S4, V7.S4
	SUBS   $1, R1, R1
	BNE    readNEONLoop

readNEONDone:
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R2)
	VST1   [V4.S4, V5.S4, V6.S4, V7.S4], (R2)
	RET

// func triadNEON(a, b, c []float32, s float32)
TEXT ·triadNEON(SB), NOSPLIT, $0-76
	MOVD  a_base+0(FP), R0
	MOVD  a_len+8(FP), R1
	MOVD  b_base+24(FP), R2
	MOVD  c_base+48(FP), R3
	FMOVS s+72(FP), F30
	VDUP  V30.S[0], V30.S4
	LSR   $4, R1, R1              // 16 floats (4 vectors) per iteration
	CBZ   R1, triadNEONDone

triadNEONLoop:
	VLD1.P 64(R2), [V0.S4, V1.S4, V2.S4, V3.S4] // b[i:i+16]
	VLD1.P 64(R3), [V4.S4, V5.S4, V6.S4, V7.S4] // c[i:i+16]
	VFMLA  V30.S4, V4.S4, V0.S4                 // b += s*c
	VFMLA  V30.S4, V5.S4, V1.S4
	VFMLA  V30.S4, V6.S4, V2.S4
	VFMLA  V30.S4, V7.S4, V3.S4
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R0) // a[i:i+16] = b + s*c
	SUBS   $1, R1, R1
	BNE    triadNEONLoop

triadNEONDone:
	RET
