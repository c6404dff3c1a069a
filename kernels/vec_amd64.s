//go:build !purego

#include "textflag.h"

// Elementwise kernels for amd64, AVX2+FMA and AVX-512 versions.
//
// Every kernel computes, for i in [0, n):
//
//	add:       dst[i] = x[i] + y[i]          (sub -, mul *, div / likewise)
//	scale:     dst[i] = alpha * x[i]
//	addScalar: dst[i] = x[i] + c
//	axpy:      y[i]   = fma(alpha, x[i], y[i])   (one rounding)
//	relu:      dst[i] = x[i] if !(x[i] <= 0) else +0  (x > 0 or NaN keeps x)
//	reluGrad:  dst[i] = dy[i] if x[i] > 0 else +0
//
// Each is one IEEE operation per element (or a compare and a bitwise AND), so
// the result is bit for bit that of the scalar Go loop in vec_generic.go.
//
// Shape: a main loop of 4 vectors per iteration (32 elements in YMM, 64 in
// ZMM), four independent load-op-store chains that keep the load and store
// ports busy (three-array kernels also prefetch a page ahead every 1024
// elements, see PF_AHEAD); then one vector per iteration; then the tail.
//
// Register map (all kernels):
//
//	DI       dst (y for axpy)
//	SI       x
//	DX       y (dy for reluGrad)
//	R8       n, the element count (len(dst))
//	AX       i, the element index; addresses are base+4*i
//	BX       loop limit: n rounded down to the loop's step
//	CX, R9   tail mask computation (AVX-512)
//	Y0-Y3    working vectors (Z0-Z3 for AVX-512)
//	Y15/Z15  the broadcast operand: alpha, c, or +0 for relu/reluGrad
//	K1       AVX-512 lane mask: all 16 lanes in the loops, the n%16 low
//	         lanes for the tail
//	K2       AVX-512 compare result (relu, reluGrad)
//
// Preconditions, guaranteed by the Go callers in vec.go: every slice has
// length n (checked), n may be 0, dst either equals an input or does not
// overlap it. Each vector is loaded before it is stored at the same index, so
// dst == x or dst == y is safe.
//
// Tails: AVX2 finishes the last n%8 elements one at a time with the scalar
// (SS) form of the same instruction, which rounds identically. AVX-512
// finishes the last n%16 elements with one masked step: masked-off lanes are
// neither loaded (memory faults are suppressed) nor stored, so no kernel
// touches memory outside the slices.

// LOOP_AVX2 runs STEP(off, reg) over [0, n) 32 elements at a time, then 8 at
// a time, then STEP1(reg) one element at a time. STEP handles the 8 elements
// at byte offset off from index AX.
#define LOOP_AVX2(STEP, STEP1, PREFETCH) \
	XORQ AX, AX; \
	MOVQ R8, BX; \
	ANDQ $-32, BX; \
	JZ   tail8; \
	PCALIGN $32; \
loop32: \
	TESTQ $1023, AX; \
	JNZ  loop32body; \
	PREFETCH; \
loop32body: \
	STEP(0, Y0); \
	STEP(32, Y1); \
	STEP(64, Y2); \
	STEP(96, Y3); \
	ADDQ $32, AX; \
	CMPQ AX, BX; \
	JB   loop32; \
tail8: \
	MOVQ R8, BX; \
	ANDQ $-8, BX; \
	CMPQ AX, BX; \
	JAE  tail1; \
loop8: \
	STEP(0, Y0); \
	ADDQ $8, AX; \
	CMPQ AX, BX; \
	JB   loop8; \
tail1: \
	CMPQ AX, R8; \
	JAE  done; \
loop1: \
	STEP1(X0); \
	INCQ AX; \
	CMPQ AX, R8; \
	JB   loop1; \
done: \
	VZEROUPPER; \
	RET

// LOOP_AVX512 runs STEP(off, reg) over [0, n) 64 elements at a time, then 16
// at a time with K1 all ones, then once more with K1 holding the low n%16
// lanes. STEP must load and store under mask K1.
#define LOOP_AVX512(STEP, PREFETCH) \
	XORQ AX, AX; \
	KXNORW K1, K1, K1; \
	MOVQ R8, BX; \
	ANDQ $-64, BX; \
	JZ   tail16; \
	PCALIGN $32; \
loop64: \
	TESTQ $1023, AX; \
	JNZ  loop64body; \
	PREFETCH; \
loop64body: \
	STEP(0, Z0); \
	STEP(64, Z1); \
	STEP(128, Z2); \
	STEP(192, Z3); \
	ADDQ $64, AX; \
	CMPQ AX, BX; \
	JB   loop64; \
tail16: \
	MOVQ R8, BX; \
	ANDQ $-16, BX; \
	CMPQ AX, BX; \
	JAE  tailmask; \
loop16: \
	STEP(0, Z0); \
	ADDQ $16, AX; \
	CMPQ AX, BX; \
	JB   loop16; \
tailmask: \
	MOVQ R8, CX; \
	SUBQ AX, CX; \
	JZ   done; \
	MOVL $1, R9; \
	SHLL CX, R9; \
	DECL R9; \
	KMOVW R9, K1; \
	STEP(0, Z0); \
done: \
	VZEROUPPER; \
	RET

// Page-ahead prefetch for the kernels with three arrays (dst, x, y). At the
// start of every 1024 elements (4 KiB of each array) the main loops touch
// each array PF_AHEAD bytes further on. The arrays of a Go program sit on
// 4 KiB pages, and three 4 MB arrays (n=1e6) span 3072 pages, the whole L2
// TLB of a Zen 4 core; hardware prefetchers also stop at page boundaries.
// With the prefetch the page walk and the first lines of a page arrive
// before the loop does. Measured on the development machine (Zen 4) for
// Add at n=1e6, round-robin medians in one process: +10% on ordinary Go
// slices, +2-7% on memory madvised to 2 MiB pages (few TLB misses); the
// two-array kernels (8 MB, 2048 pages) showed no gain, so they do not
// prefetch (PF_NONE). Prefetches never fault, so reaching past the end of
// a slice is harmless.
#define PF_AHEAD 32768
#define PF_DST_X_Y \
	PREFETCHT0 PF_AHEAD(DI)(AX*4); \
	PREFETCHT0 PF_AHEAD(SI)(AX*4); \
	PREFETCHT0 PF_AHEAD(DX)(AX*4)
#define PF_NONE

// Binary operations: dst = x op y. VOP takes y from memory: Go's operand
// order is (src2, src1, dst), computing src1 op src2 = x op y.
#define BIN_Y(VOP, off, R) \
	VMOVUPS off(SI)(AX*4), R; \
	VOP     off(DX)(AX*4), R, R; \
	VMOVUPS R, off(DI)(AX*4)
#define BIN_Z(VOP, off, R) \
	VMOVUPS.Z off(SI)(AX*4), K1, R; \
	VOP.Z     off(DX)(AX*4), R, K1, R; \
	VMOVUPS   R, K1, off(DI)(AX*4)
#define BIN_1(SOP, R) \
	VMOVSS (SI)(AX*4), R; \
	SOP    (DX)(AX*4), R, R; \
	VMOVSS R, (DI)(AX*4)

#define ADD_Y(off, R) BIN_Y(VADDPS, off, R)
#define ADD_Z(off, R) BIN_Z(VADDPS, off, R)
#define ADD_1(R) BIN_1(VADDSS, R)
#define SUB_Y(off, R) BIN_Y(VSUBPS, off, R)
#define SUB_Z(off, R) BIN_Z(VSUBPS, off, R)
#define SUB_1(R) BIN_1(VSUBSS, R)
#define MUL_Y(off, R) BIN_Y(VMULPS, off, R)
#define MUL_Z(off, R) BIN_Z(VMULPS, off, R)
#define MUL_1(R) BIN_1(VMULSS, R)
#define DIV_Y(off, R) BIN_Y(VDIVPS, off, R)
#define DIV_Z(off, R) BIN_Z(VDIVPS, off, R)
#define DIV_1(R) BIN_1(VDIVSS, R)

// Operations with the broadcast operand in Y15/Z15: dst = x op s. Both ops
// used here (mul, add) are commutative, so src1 = s is fine.
#define BCAST_Y(VOP, off, R) \
	VOP     off(SI)(AX*4), Y15, R; \
	VMOVUPS R, off(DI)(AX*4)
#define BCAST_Z(VOP, off, R) \
	VOP.Z   off(SI)(AX*4), Z15, K1, R; \
	VMOVUPS R, K1, off(DI)(AX*4)
#define BCAST_1(SOP, R) \
	SOP    (SI)(AX*4), X15, R; \
	VMOVSS R, (DI)(AX*4)

#define SCALE_Y(off, R) BCAST_Y(VMULPS, off, R)
#define SCALE_Z(off, R) BCAST_Z(VMULPS, off, R)
#define SCALE_1(R) BCAST_1(VMULSS, R)
#define ADDS_Y(off, R) BCAST_Y(VADDPS, off, R)
#define ADDS_Z(off, R) BCAST_Z(VADDPS, off, R)
#define ADDS_1(R) BCAST_1(VADDSS, R)

// axpy: y[i:i+8] = alpha*x[i:i+8] + y[i:i+8], fused (VFMADD231: dst += src1*src2).
#define AXPY_Y(off, R) \
	VMOVUPS     off(DI)(AX*4), R; \
	VFMADD231PS off(SI)(AX*4), Y15, R; \
	VMOVUPS     R, off(DI)(AX*4)
#define AXPY_Z(off, R) \
	VMOVUPS.Z   off(DI)(AX*4), K1, R; \
	VFMADD231PS off(SI)(AX*4), Z15, K1, R; \
	VMOVUPS     R, K1, off(DI)(AX*4)
#define AXPY_1(R) \
	VMOVSS      (DI)(AX*4), R; \
	VFMADD231SS (SI)(AX*4), X15, R; \
	VMOVSS      R, (DI)(AX*4)

// relu: keep x where NGE_US(0, x), i.e. !(0 >= x): x > 0 or x is NaN.
// Everything else (negatives, -0, +0) becomes +0 by the AND with a zero mask,
// which also passes x's bits through untouched, NaN payload included.
#define CMP_NGE_US $9
#define RELU_Y(off, R) \
	VCMPPS  CMP_NGE_US, off(SI)(AX*4), Y15, R; \
	VANDPS  off(SI)(AX*4), R, R; \
	VMOVUPS R, off(DI)(AX*4)
#define RELU_Z(off, R) \
	VCMPPS    CMP_NGE_US, off(SI)(AX*4), Z15, K1, K2; \
	VMOVUPS.Z off(SI)(AX*4), K2, R; \
	VMOVUPS   R, K1, off(DI)(AX*4)
#define RELU_1(R) \
	VMOVSS (SI)(AX*4), X1; \
	VCMPSS CMP_NGE_US, X1, X15, R; \
	VANDPS X1, R, R; \
	VMOVSS R, (DI)(AX*4)

// reluGrad: keep dy where LT_OS(0, x), i.e. 0 < x (false for NaN).
#define CMP_LT_OS $1
#define RELUGRAD_Y(off, R) \
	VCMPPS  CMP_LT_OS, off(SI)(AX*4), Y15, R; \
	VANDPS  off(DX)(AX*4), R, R; \
	VMOVUPS R, off(DI)(AX*4)
#define RELUGRAD_Z(off, R) \
	VCMPPS    CMP_LT_OS, off(SI)(AX*4), Z15, K1, K2; \
	VMOVUPS.Z off(DX)(AX*4), K2, R; \
	VMOVUPS   R, K1, off(DI)(AX*4)
#define RELUGRAD_1(R) \
	VMOVSS (SI)(AX*4), X1; \
	VCMPSS CMP_LT_OS, X1, X15, R; \
	VANDPS (DX)(AX*4), R, R; \
	VMOVSS R, (DI)(AX*4)

// func addAVX2(dst, x, y []float32)
TEXT ·addAVX2(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), R8
	MOVQ x_base+24(FP), SI
	MOVQ y_base+48(FP), DX
	LOOP_AVX2(ADD_Y, ADD_1, PF_DST_X_Y)

// func addAVX512(dst, x, y []float32)
TEXT ·addAVX512(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), R8
	MOVQ x_base+24(FP), SI
	MOVQ y_base+48(FP), DX
	LOOP_AVX512(ADD_Z, PF_DST_X_Y)

// func subAVX2(dst, x, y []float32)
TEXT ·subAVX2(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), R8
	MOVQ x_base+24(FP), SI
	MOVQ y_base+48(FP), DX
	LOOP_AVX2(SUB_Y, SUB_1, PF_DST_X_Y)

// func subAVX512(dst, x, y []float32)
TEXT ·subAVX512(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), R8
	MOVQ x_base+24(FP), SI
	MOVQ y_base+48(FP), DX
	LOOP_AVX512(SUB_Z, PF_DST_X_Y)

// func mulAVX2(dst, x, y []float32)
TEXT ·mulAVX2(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), R8
	MOVQ x_base+24(FP), SI
	MOVQ y_base+48(FP), DX
	LOOP_AVX2(MUL_Y, MUL_1, PF_DST_X_Y)

// func mulAVX512(dst, x, y []float32)
TEXT ·mulAVX512(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), R8
	MOVQ x_base+24(FP), SI
	MOVQ y_base+48(FP), DX
	LOOP_AVX512(MUL_Z, PF_DST_X_Y)

// func divAVX2(dst, x, y []float32)
TEXT ·divAVX2(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), R8
	MOVQ x_base+24(FP), SI
	MOVQ y_base+48(FP), DX
	LOOP_AVX2(DIV_Y, DIV_1, PF_DST_X_Y)

// func divAVX512(dst, x, y []float32)
TEXT ·divAVX512(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), R8
	MOVQ x_base+24(FP), SI
	MOVQ y_base+48(FP), DX
	LOOP_AVX512(DIV_Z, PF_DST_X_Y)

// func scaleAVX2(dst []float32, alpha float32, x []float32)
TEXT ·scaleAVX2(SB), NOSPLIT, $0-56
	MOVQ         dst_base+0(FP), DI
	MOVQ         dst_len+8(FP), R8
	VBROADCASTSS alpha+24(FP), Y15
	MOVQ         x_base+32(FP), SI
	LOOP_AVX2(SCALE_Y, SCALE_1, PF_NONE)

// func scaleAVX512(dst []float32, alpha float32, x []float32)
TEXT ·scaleAVX512(SB), NOSPLIT, $0-56
	MOVQ         dst_base+0(FP), DI
	MOVQ         dst_len+8(FP), R8
	VBROADCASTSS alpha+24(FP), Z15
	MOVQ         x_base+32(FP), SI
	LOOP_AVX512(SCALE_Z, PF_NONE)

// func addScalarAVX2(dst []float32, x []float32, c float32)
TEXT ·addScalarAVX2(SB), NOSPLIT, $0-52
	MOVQ         dst_base+0(FP), DI
	MOVQ         dst_len+8(FP), R8
	MOVQ         x_base+24(FP), SI
	VBROADCASTSS c+48(FP), Y15
	LOOP_AVX2(ADDS_Y, ADDS_1, PF_NONE)

// func addScalarAVX512(dst []float32, x []float32, c float32)
TEXT ·addScalarAVX512(SB), NOSPLIT, $0-52
	MOVQ         dst_base+0(FP), DI
	MOVQ         dst_len+8(FP), R8
	MOVQ         x_base+24(FP), SI
	VBROADCASTSS c+48(FP), Z15
	LOOP_AVX512(ADDS_Z, PF_NONE)

// func axpyAVX2(alpha float32, x, y []float32)
TEXT ·axpyAVX2(SB), NOSPLIT, $0-56
	VBROADCASTSS alpha+0(FP), Y15
	MOVQ         x_base+8(FP), SI
	MOVQ         y_base+32(FP), DI
	MOVQ         y_len+40(FP), R8
	LOOP_AVX2(AXPY_Y, AXPY_1, PF_NONE)

// func axpyAVX512(alpha float32, x, y []float32)
TEXT ·axpyAVX512(SB), NOSPLIT, $0-56
	VBROADCASTSS alpha+0(FP), Z15
	MOVQ         x_base+8(FP), SI
	MOVQ         y_base+32(FP), DI
	MOVQ         y_len+40(FP), R8
	LOOP_AVX512(AXPY_Z, PF_NONE)

// func reluAVX2(dst, x []float32)
TEXT ·reluAVX2(SB), NOSPLIT, $0-48
	MOVQ   dst_base+0(FP), DI
	MOVQ   dst_len+8(FP), R8
	MOVQ   x_base+24(FP), SI
	VXORPS Y15, Y15, Y15
	LOOP_AVX2(RELU_Y, RELU_1, PF_NONE)

// func reluAVX512(dst, x []float32)
TEXT ·reluAVX512(SB), NOSPLIT, $0-48
	MOVQ   dst_base+0(FP), DI
	MOVQ   dst_len+8(FP), R8
	MOVQ   x_base+24(FP), SI
	VXORPS Y15, Y15, Y15 // VEX zeroes the upper half of Z15 as well
	LOOP_AVX512(RELU_Z, PF_NONE)

// func reluGradAVX2(dst, dy, x []float32)
TEXT ·reluGradAVX2(SB), NOSPLIT, $0-72
	MOVQ   dst_base+0(FP), DI
	MOVQ   dst_len+8(FP), R8
	MOVQ   dy_base+24(FP), DX
	MOVQ   x_base+48(FP), SI
	VXORPS Y15, Y15, Y15
	LOOP_AVX2(RELUGRAD_Y, RELUGRAD_1, PF_DST_X_Y)

// func reluGradAVX512(dst, dy, x []float32)
TEXT ·reluGradAVX512(SB), NOSPLIT, $0-72
	MOVQ   dst_base+0(FP), DI
	MOVQ   dst_len+8(FP), R8
	MOVQ   dy_base+24(FP), DX
	MOVQ   x_base+48(FP), SI
	VXORPS Y15, Y15, Y15
	LOOP_AVX512(RELUGRAD_Z, PF_DST_X_Y)
