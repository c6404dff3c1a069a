//go:build !purego

#include "textflag.h"

// Throughput probes for amd64. They measure the hardware, not an algorithm:
//
//   fmaLoop*(iters, x, y): for iters times, acc[j] += x*y for 12 independent
//   vector accumulators, so no FMA waits on another (12 covers latency 4 ×
//   2 FMA pipes with room to spare). Returns lane 0 of acc[0], which is
//   iters*x*y exactly when that is representable: the test's proof that the
//   loop ran iters times. FLOPs = iters * 12 * lanes * 2.
//
//   read*(x, out): acc[j] += x[8*i+j] over vectors, eight accumulators so the
//   adds never limit the loads; the accumulators are stored to out (the sum of
//   out is the sum of x). Requires len(x) % 128 == 0.
//
//   triad*(a, b, c, s): a[i] = b[i] + s*c[i] (STREAM triad), four vectors per
//   iteration. Requires len(a) % 128 == 0 and len(b), len(c) >= len(a).
//
// Register map: AX = pointer / counter, CX = remaining iterations, Y/Z0..11
// accumulators, Y/Z14 and Y/Z15 the broadcast operands. VZEROUPPER before RET
// avoids the AVX-SSE transition penalty in the caller.

// func fmaLoopAVX2(iters int, x, y float32) float32
TEXT ·fmaLoopAVX2(SB), NOSPLIT, $0-20
	MOVQ         iters+0(FP), CX
	VBROADCASTSS x+8(FP), Y14
	VBROADCASTSS y+12(FP), Y15
	VXORPS       Y0, Y0, Y0
	VXORPS       Y1, Y1, Y1
	VXORPS       Y2, Y2, Y2
	VXORPS       Y3, Y3, Y3
	VXORPS       Y4, Y4, Y4
	VXORPS       Y5, Y5, Y5
	VXORPS       Y6, Y6, Y6
	VXORPS       Y7, Y7, Y7
	VXORPS       Y8, Y8, Y8
	VXORPS       Y9, Y9, Y9
	VXORPS       Y10, Y10, Y10
	VXORPS       Y11, Y11, Y11
	TESTQ        CX, CX
	JLE          fmaAVX2Done

fmaAVX2Loop:
	VFMADD231PS Y14, Y15, Y0 // acc0 += x*y
	VFMADD231PS Y14, Y15, Y1
	VFMADD231PS Y14, Y15, Y2
	VFMADD231PS Y14, Y15, Y3
	VFMADD231PS Y14, Y15, Y4
	VFMADD231PS Y14, Y15, Y5
	VFMADD231PS Y14, Y15, Y6
	VFMADD231PS Y14, Y15, Y7
	VFMADD231PS Y14, Y15, Y8
	VFMADD231PS Y14, Y15, Y9
	VFMADD231PS Y14, Y15, Y10
	VFMADD231PS Y14, Y15, Y11
	DECQ        CX
	JNZ         fmaAVX2Loop

fmaAVX2Done:
	VMOVSS     X0, ret+16(FP)
	VZEROUPPER
	RET

// func fmaLoopAVX512(iters int, x, y float32) float32
TEXT ·fmaLoopAVX512(SB), NOSPLIT, $0-20
	MOVQ         iters+0(FP), CX
	VBROADCASTSS x+8(FP), Z14
	VBROADCASTSS y+12(FP), Z15
	VPXORD       Z0, Z0, Z0
	VPXORD       Z1, Z1, Z1
	VPXORD       Z2, Z2, Z2
	VPXORD       Z3, Z3, Z3
	VPXORD       Z4, Z4, Z4
	VPXORD       Z5, Z5, Z5
	VPXORD       Z6, Z6, Z6
	VPXORD       Z7, Z7, Z7
	VPXORD       Z8, Z8, Z8
	VPXORD       Z9, Z9, Z9
	VPXORD       Z10, Z10, Z10
	VPXORD       Z11, Z11, Z11
	TESTQ        CX, CX
	JLE          fmaAVX512Done

fmaAVX512Loop:
	VFMADD231PS Z14, Z15, Z0 // acc0 += x*y
	VFMADD231PS Z14, Z15, Z1
	VFMADD231PS Z14, Z15, Z2
	VFMADD231PS Z14, Z15, Z3
	VFMADD231PS Z14, Z15, Z4
	VFMADD231PS Z14, Z15, Z5
	VFMADD231PS Z14, Z15, Z6
	VFMADD231PS Z14, Z15, Z7
	VFMADD231PS Z14, Z15, Z8
	VFMADD231PS Z14, Z15, Z9
	VFMADD231PS Z14, Z15, Z10
	VFMADD231PS Z14, Z15, Z11
	DECQ        CX
	JNZ         fmaAVX512Loop

fmaAVX512Done:
	VMOVSS     X0, ret+16(FP)
	VZEROUPPER
	RET

// func readAVX2(x []float32, out *[128]float32)
TEXT ·readAVX2(SB), NOSPLIT, $0-32
	MOVQ   x_base+0(FP), AX
	MOVQ   x_len+8(FP), CX
	MOVQ   out+24(FP), DX
	SHRQ   $6, CX             // 64 floats (8 YMM) per iteration
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	TESTQ  CX, CX
	JZ     readAVX2Done

readAVX2Loop:
	VADDPS 0(AX), Y0, Y0     // acc0 += x[i:i+8]
	VADDPS 32(AX), Y1, Y1
	VADDPS 64(AX), Y2, Y2
	VADDPS 96(AX), Y3, Y3
	VADDPS 128(AX), Y4, Y4
	VADDPS 160(AX), Y5, Y5
	VADDPS 192(AX), Y6, Y6
	VADDPS 224(AX), Y7, Y7
	ADDQ   $256, AX
	DECQ   CX
	JNZ    readAVX2Loop

readAVX2Done:
	VMOVUPS    Y0, 0(DX)
	VMOVUPS    Y1, 32(DX)
	VMOVUPS    Y2, 64(DX)
	VMOVUPS    Y3, 96(DX)
	VMOVUPS    Y4, 128(DX)
	VMOVUPS    Y5, 160(DX)
	VMOVUPS    Y6, 192(DX)
	VMOVUPS    Y7, 224(DX)
	VZEROUPPER
	RET

// func readAVX512(x []float32, out *[128]float32)
TEXT ·readAVX512(SB), NOSPLIT, $0-32
	MOVQ   x_base+0(FP), AX
	MOVQ   x_len+8(FP), CX
	MOVQ   out+24(FP), DX
	SHRQ   $7, CX             // 128 floats (8 ZMM) per iteration
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	TESTQ  CX, CX
	JZ     readAVX512Done

readAVX512Loop:
	VADDPS 0(AX), Z0, Z0     // acc0 += x[i:i+16]
	VADDPS 64(AX), Z1, Z1
	VADDPS 128(AX), Z2, Z2
	VADDPS 192(AX), Z3, Z3
	VADDPS 256(AX), Z4, Z4
	VADDPS 320(AX), Z5, Z5
	VADDPS 384(AX), Z6, Z6
	VADDPS 448(AX), Z7, Z7
	ADDQ   $512, AX
	DECQ   CX
	JNZ    readAVX512Loop

readAVX512Done:
	VMOVUPS    Z0, 0(DX)
	VMOVUPS    Z1, 64(DX)
	VMOVUPS    Z2, 128(DX)
	VMOVUPS    Z3, 192(DX)
	VMOVUPS    Z4, 256(DX)
	VMOVUPS    Z5, 320(DX)
	VMOVUPS    Z6, 384(DX)
	VMOVUPS    Z7, 448(DX)
	VZEROUPPER
	RET

// func triadAVX2(a, b, c []float32, s float32)
TEXT ·triadAVX2(SB), NOSPLIT, $0-76
	MOVQ         a_base+0(FP), DI
	MOVQ         a_len+8(FP), CX
	MOVQ         b_base+24(FP), SI
	MOVQ         c_base+48(FP), DX
	VBROADCASTSS s+72(FP), Y15
	SHRQ         $5, CX           // 32 floats (4 YMM) per iteration
	TESTQ        CX, CX
	JZ           triadAVX2Done

triadAVX2Loop:
	VMOVUPS     0(SI), Y0
	VMOVUPS     32(SI), Y1
	VMOVUPS     64(SI), Y2
	VMOVUPS     96(SI), Y3
	VFMADD231PS 0(DX), Y15, Y0   // b[i:i+8] + s*c[i:i+8]
	VFMADD231PS 32(DX), Y15, Y1
	VFMADD231PS 64(DX), Y15, Y2
	VFMADD231PS 96(DX), Y15, Y3
	VMOVUPS     Y0, 0(DI)        // a[i:i+8] = ...
	VMOVUPS     Y1, 32(DI)
	VMOVUPS     Y2, 64(DI)
	VMOVUPS     Y3, 96(DI)
	ADDQ        $128, SI
	ADDQ        $128, DX
	ADDQ        $128, DI
	DECQ        CX
	JNZ         triadAVX2Loop

triadAVX2Done:
	VZEROUPPER
	RET

// func triadAVX512(a, b, c []float32, s float32)
TEXT ·triadAVX512(SB), NOSPLIT, $0-76
	MOVQ         a_base+0(FP), DI
	MOVQ         a_len+8(FP), CX
	MOVQ         b_base+24(FP), SI
	MOVQ         c_base+48(FP), DX
	VBROADCASTSS s+72(FP), Z15
	SHRQ         $6, CX           // 64 floats (4 ZMM) per iteration
	TESTQ        CX, CX
	JZ           triadAVX512Done

triadAVX512Loop:
	VMOVUPS     0(SI), Z0
	VMOVUPS     64(SI), Z1
	VMOVUPS     128(SI), Z2
	VMOVUPS     192(SI), Z3
	VFMADD231PS 0(DX), Z15, Z0   // b[i:i+16] + s*c[i:i+16]
	VFMADD231PS 64(DX), Z15, Z1
	VFMADD231PS 128(DX), Z15, Z2
	VFMADD231PS 192(DX), Z15, Z3
	VMOVUPS     Z0, 0(DI)        // a[i:i+16] = ...
	VMOVUPS     Z1, 64(DI)
	VMOVUPS     Z2, 128(DI)
	VMOVUPS     Z3, 192(DI)
	ADDQ        $256, SI
	ADDQ        $256, DX
	ADDQ        $256, DI
	DECQ        CX
	JNZ         triadAVX512Loop

triadAVX512Done:
	VZEROUPPER
	RET
