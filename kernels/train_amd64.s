//go:build !purego

#include "textflag.h"

// Fused training kernels for amd64: AVX2 versions of all five, AVX-512
// versions of colSumsAcc and dropout.
//
// Each computes exactly the Go loop of its generic reference in
// train_generic.go, with the same IEEE operations in the same order and the
// same operand order (the first Go operand is the instruction's src1, so even
// NaN payloads propagate alike), so the results match bit for bit:
//
//	biasAdd:     for r := range rows { for j := range cols { dst[r*cols+j] = x[r*cols+j] + bias[j] } }
//	colSumsAcc:  for r := range rows { for j := range cols { dst[j] += x[r*cols+j] } }
//	sgdMomentum: vi := float32(momentum*v[i]) + g[i]; v[i] = vi; w[i] -= float32(lr*vi)
//	sgdNesterov: vi := float32(momentum*v[i]) + g[i]; v[i] = vi
//	             w[i] -= float32(lr * (g[i] + float32(momentum*vi)))
//	adam:        mi := float32(beta1*m[i]) + float32(c1*g[i])            (c1 = 1-beta1)
//	             vi := float32(beta2*v[i]) + float32(float32(c2*g[i])*g[i]) (c2 = 1-beta2)
//	             m[i], v[i] = mi, vi
//	             den := float32(sqrt(vi)*invSqrtC2) + eps
//	             w[i] -= float32(step*mi) / den
//	dropout:     dst[i] = scale*x[i] if bit i of keep is set, else +0
//
// No multiply-add is fused: the generic code rounds every product, and so do
// these kernels. Square root and division are exactly rounded (VSQRTPS,
// VDIVPS), as float32(math.Sqrt(float64(v))) is.
//
// Shape: biasAdd walks each row like an elementwise kernel; colSumsAcc keeps
// a block of dst columns in registers (64 in AVX2, 128 in AVX-512: eight
// independent add chains, enough to cover the add latency) and adds every
// row into it before storing, so dst is read and written once per call. The
// optimizer kernels process 16 elements per iteration as two independent
// chains. dropout turns mask bits into lane masks: AVX-512 loads 16 bits of
// keep straight into a K register; AVX2 broadcasts a 32-bit mask word and
// compares it against the constant 1<<lane in each dword (bitsD below).
//
// Why only two AVX-512 kernels: measured on Zen 5 at the MNIST sizes (best
// of 150 runs, side by side), AVX-512 versions of the others were slower
// than AVX2: Adam 97 µs against 64 µs for 784×256 weights (VSQRTPS and
// VDIVPS bound the loop, and their ZMM forms take more than twice as long),
// SGD 33 against 31 µs, and biasAdd 1.9 against 1.6 µs at 128×256 and
// 1.1 against 0.35 µs at 128×10, where each row's masked tail store
// overlaps the next row's load and stalls store forwarding. colSumsAcc
// (1.22 against 1.27 µs at 128×256, 0.13 against 0.32 µs at 128×10, where
// one masked pass replaces AVX2's vector and scalar column passes) and
// dropout (1.8 against 2.3 µs) gain, so the avx512 tier uses them and the
// AVX2 kernels for the rest. (The slower versions are in this file's git
// history, should another CPU warrant a new measurement.)
//
// Register map (common to all; each kernel's section lists the rest):
//
//	AX       element (or column) index i; addresses are base+4*i
//	BX       loop limit: n rounded down to the loop's step
//	R8       n, the element count
//	K1, K2   AVX-512 lane masks (see each kernel)
//
// Preconditions, guaranteed by the Go callers in train.go/train_amd64.go:
// slice lengths are consistent (len(x) a multiple of cols > 0 for biasAdd and
// colSumsAcc; w, v, m, g of equal length; keep holds at least ceil(n/64)
// words), n is bounded by chunk, and an output either equals an input
// (in place) or does not overlap it. Every element is loaded before its index
// is stored.
//
// Tails: AVX2 finishes with the scalar (SS) form of the same instructions,
// which round identically; AVX-512 finishes with one masked step whose
// masked-off lanes are neither loaded (faults suppressed) nor stored. No
// kernel reads or writes outside its slices: dropout's AVX2 mask loads read
// 4 bytes at byte offset i/8 with i a multiple of 32, which keep's
// ceil(n/64) words always cover when i < n.

// bitsD[k] = 1<<k: ANDed with a broadcast mask word and compared for
// equality, 8 consecutive entries turn 8 mask bits into 8 dword lane masks.
DATA bitsD<>+0x00(SB)/4, $0x00000001
DATA bitsD<>+0x04(SB)/4, $0x00000002
DATA bitsD<>+0x08(SB)/4, $0x00000004
DATA bitsD<>+0x0c(SB)/4, $0x00000008
DATA bitsD<>+0x10(SB)/4, $0x00000010
DATA bitsD<>+0x14(SB)/4, $0x00000020
DATA bitsD<>+0x18(SB)/4, $0x00000040
DATA bitsD<>+0x1c(SB)/4, $0x00000080
DATA bitsD<>+0x20(SB)/4, $0x00000100
DATA bitsD<>+0x24(SB)/4, $0x00000200
DATA bitsD<>+0x28(SB)/4, $0x00000400
DATA bitsD<>+0x2c(SB)/4, $0x00000800
DATA bitsD<>+0x30(SB)/4, $0x00001000
DATA bitsD<>+0x34(SB)/4, $0x00002000
DATA bitsD<>+0x38(SB)/4, $0x00004000
DATA bitsD<>+0x3c(SB)/4, $0x00008000
DATA bitsD<>+0x40(SB)/4, $0x00010000
DATA bitsD<>+0x44(SB)/4, $0x00020000
DATA bitsD<>+0x48(SB)/4, $0x00040000
DATA bitsD<>+0x4c(SB)/4, $0x00080000
DATA bitsD<>+0x50(SB)/4, $0x00100000
DATA bitsD<>+0x54(SB)/4, $0x00200000
DATA bitsD<>+0x58(SB)/4, $0x00400000
DATA bitsD<>+0x5c(SB)/4, $0x00800000
DATA bitsD<>+0x60(SB)/4, $0x01000000
DATA bitsD<>+0x64(SB)/4, $0x02000000
DATA bitsD<>+0x68(SB)/4, $0x04000000
DATA bitsD<>+0x6c(SB)/4, $0x08000000
DATA bitsD<>+0x70(SB)/4, $0x10000000
DATA bitsD<>+0x74(SB)/4, $0x20000000
DATA bitsD<>+0x78(SB)/4, $0x40000000
DATA bitsD<>+0x7c(SB)/4, $0x80000000
GLOBL bitsD<>(SB), RODATA|NOPTR, $128

// ---------------------------------------------------------------------------
// biasAdd
//
//	DI dst row, SI x row, DX bias, R9 cols, R8 elements left (a multiple of
//	cols), AX column index, BX loop limit, Y0-Y3 x, then the sums.

// dst[j:j+8] = x[j:j+8] + bias[j:j+8]
#define BIAS_Y(off, R) \
	VMOVUPS off(SI)(AX*4), R; \
	VADDPS  off(DX)(AX*4), R, R; \
	VMOVUPS R, off(DI)(AX*4)

// func biasAddAVX2(dst, x, bias []float32)
TEXT ·biasAddAVX2(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), R8
	MOVQ x_base+24(FP), SI
	MOVQ bias_base+48(FP), DX
	MOVQ bias_len+56(FP), R9
	TESTQ R8, R8
	JZ    done

row:
	XORQ AX, AX
	MOVQ R9, BX
	ANDQ $-32, BX
	JZ   tail8

loop32:
	BIAS_Y(0, Y0)
	BIAS_Y(32, Y1)
	BIAS_Y(64, Y2)
	BIAS_Y(96, Y3)
	ADDQ $32, AX
	CMPQ AX, BX
	JB   loop32

tail8:
	MOVQ R9, BX
	ANDQ $-8, BX
	CMPQ AX, BX
	JAE  tail1

loop8:
	BIAS_Y(0, Y0)
	ADDQ $8, AX
	CMPQ AX, BX
	JB   loop8

tail1:
	CMPQ AX, R9
	JAE  nextrow

loop1:
	VMOVSS (SI)(AX*4), X0
	VADDSS (DX)(AX*4), X0, X0
	VMOVSS X0, (DI)(AX*4)
	INCQ   AX
	CMPQ   AX, R9
	JB     loop1

nextrow:
	LEAQ (SI)(R9*4), SI
	LEAQ (DI)(R9*4), DI
	SUBQ R9, R8
	JNZ  row

done:
	VZEROUPPER
	RET

// ---------------------------------------------------------------------------
// colSumsAcc
//
//	DI dst, SI x, R9 cols, R10 row stride in bytes (4*cols), R11 end of x,
//	AX first column of the current block, BX loop limit, R12 the current
//	row's address for the block, Y0-Y7/Z0-Z7 the block's column sums,
//	K2 (AVX-512) the low cols%16 lanes.

// One row's block: acc[k] += x[r][j+8k : j+8k+8] for k in 0..7 (16 lanes
// per register in AVX-512). dst + v, as in the generic code: the
// accumulator is src1.
#define COLS8Y \
	VADDPS 0*32(R12), Y0, Y0; \
	VADDPS 1*32(R12), Y1, Y1; \
	VADDPS 2*32(R12), Y2, Y2; \
	VADDPS 3*32(R12), Y3, Y3; \
	VADDPS 4*32(R12), Y4, Y4; \
	VADDPS 5*32(R12), Y5, Y5; \
	VADDPS 6*32(R12), Y6, Y6; \
	VADDPS 7*32(R12), Y7, Y7

#define COLS8Z \
	VADDPS 0*64(R12), Z0, Z0; \
	VADDPS 1*64(R12), Z1, Z1; \
	VADDPS 2*64(R12), Z2, Z2; \
	VADDPS 3*64(R12), Z3, Z3; \
	VADDPS 4*64(R12), Z4, Z4; \
	VADDPS 5*64(R12), Z5, Z5; \
	VADDPS 6*64(R12), Z6, Z6; \
	VADDPS 7*64(R12), Z7, Z7

// func colSumsAccAVX2(dst, x []float32)
TEXT ·colSumsAccAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), R9
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), R11
	TESTQ R11, R11
	JZ   done
	LEAQ (SI)(R11*4), R11
	MOVQ R9, R10
	SHLQ $2, R10
	XORQ AX, AX
	MOVQ R9, BX
	ANDQ $-64, BX
	JZ   tail8

block64:
	VMOVUPS 0(DI)(AX*4), Y0
	VMOVUPS 32(DI)(AX*4), Y1
	VMOVUPS 64(DI)(AX*4), Y2
	VMOVUPS 96(DI)(AX*4), Y3
	VMOVUPS 128(DI)(AX*4), Y4
	VMOVUPS 160(DI)(AX*4), Y5
	VMOVUPS 192(DI)(AX*4), Y6
	VMOVUPS 224(DI)(AX*4), Y7
	LEAQ    (SI)(AX*4), R12

rows64:
	COLS8Y
	ADDQ R10, R12
	CMPQ R12, R11
	JB   rows64
	VMOVUPS Y0, 0(DI)(AX*4)
	VMOVUPS Y1, 32(DI)(AX*4)
	VMOVUPS Y2, 64(DI)(AX*4)
	VMOVUPS Y3, 96(DI)(AX*4)
	VMOVUPS Y4, 128(DI)(AX*4)
	VMOVUPS Y5, 160(DI)(AX*4)
	VMOVUPS Y6, 192(DI)(AX*4)
	VMOVUPS Y7, 224(DI)(AX*4)
	ADDQ    $64, AX
	CMPQ    AX, BX
	JB      block64

tail8:
	MOVQ R9, BX
	ANDQ $-8, BX
	CMPQ AX, BX
	JAE  tail1

block8:
	VMOVUPS (DI)(AX*4), Y0
	LEAQ    (SI)(AX*4), R12

rows8:
	VADDPS (R12), Y0, Y0
	ADDQ   R10, R12
	CMPQ   R12, R11
	JB     rows8
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ    $8, AX
	CMPQ    AX, BX
	JB      block8

tail1:
	CMPQ AX, R9
	JAE  done

block1:
	VMOVSS (DI)(AX*4), X0
	LEAQ   (SI)(AX*4), R12

rows1:
	VADDSS (R12), X0, X0
	ADDQ   R10, R12
	CMPQ   R12, R11
	JB     rows1
	VMOVSS X0, (DI)(AX*4)
	INCQ   AX
	CMPQ   AX, R9
	JB     block1

done:
	VZEROUPPER
	RET

// func colSumsAccAVX512(dst, x []float32)
TEXT ·colSumsAccAVX512(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), R9
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), R11
	TESTQ R11, R11
	JZ   done
	LEAQ (SI)(R11*4), R11
	MOVQ R9, R10
	SHLQ $2, R10
	XORQ AX, AX
	MOVQ R9, BX
	ANDQ $-128, BX
	JZ   tail16

block128:
	VMOVUPS 0(DI)(AX*4), Z0
	VMOVUPS 64(DI)(AX*4), Z1
	VMOVUPS 128(DI)(AX*4), Z2
	VMOVUPS 192(DI)(AX*4), Z3
	VMOVUPS 256(DI)(AX*4), Z4
	VMOVUPS 320(DI)(AX*4), Z5
	VMOVUPS 384(DI)(AX*4), Z6
	VMOVUPS 448(DI)(AX*4), Z7
	LEAQ    (SI)(AX*4), R12

rows128:
	COLS8Z
	ADDQ R10, R12
	CMPQ R12, R11
	JB   rows128
	VMOVUPS Z0, 0(DI)(AX*4)
	VMOVUPS Z1, 64(DI)(AX*4)
	VMOVUPS Z2, 128(DI)(AX*4)
	VMOVUPS Z3, 192(DI)(AX*4)
	VMOVUPS Z4, 256(DI)(AX*4)
	VMOVUPS Z5, 320(DI)(AX*4)
	VMOVUPS Z6, 384(DI)(AX*4)
	VMOVUPS Z7, 448(DI)(AX*4)
	ADDQ    $128, AX
	CMPQ    AX, BX
	JB      block128

tail16:
	MOVQ R9, BX
	ANDQ $-16, BX
	CMPQ AX, BX
	JAE  tailmask

block16:
	VMOVUPS (DI)(AX*4), Z0
	LEAQ    (SI)(AX*4), R12

rows16:
	VADDPS (R12), Z0, Z0
	ADDQ   R10, R12
	CMPQ   R12, R11
	JB     rows16
	VMOVUPS Z0, (DI)(AX*4)
	ADDQ    $16, AX
	CMPQ    AX, BX
	JB      block16

tailmask:
	MOVQ  R9, CX
	SUBQ  AX, CX
	JZ    done
	MOVL  $1, R13
	SHLL  CX, R13
	DECL  R13
	KMOVW R13, K2
	VMOVUPS.Z (DI)(AX*4), K2, Z0
	LEAQ    (SI)(AX*4), R12

rowsmask:
	VADDPS.Z (R12), Z0, K2, Z0
	ADDQ     R10, R12
	CMPQ     R12, R11
	JB       rowsmask
	VMOVUPS  Z0, K2, (DI)(AX*4)

done:
	VZEROUPPER
	RET

// ---------------------------------------------------------------------------
// LOOP2_AVX2 is the optimizer kernels' loop: STEP(off, r0, r1, r2, r3)
// handles the 8 elements at byte offset off from index AX in working
// registers r0-r3. It runs two such chains on disjoint registers per
// iteration over [0, n) 16 elements at a time, then at most one more
// vector, then STEP1 one element at a time.
#define LOOP2_AVX2(STEP, STEP1) \
	XORQ AX, AX; \
	MOVQ R8, BX; \
	ANDQ $-16, BX; \
	JZ   tail8; \
	PCALIGN $32; \
loop16: \
	STEP(0, Y0, Y1, Y2, Y3); \
	STEP(32, Y4, Y5, Y6, Y7); \
	ADDQ $16, AX; \
	CMPQ AX, BX; \
	JB   loop16; \
tail8: \
	MOVQ R8, BX; \
	ANDQ $-8, BX; \
	CMPQ AX, BX; \
	JAE  tail1; \
	STEP(0, Y0, Y1, Y2, Y3); \
	ADDQ $8, AX; \
tail1: \
	CMPQ AX, R8; \
	JAE  done; \
loop1: \
	STEP1; \
	INCQ AX; \
	CMPQ AX, R8; \
	JB   loop1; \
done: \
	VZEROUPPER; \
	RET

// ---------------------------------------------------------------------------
// sgdMomentum and sgdNesterov
//
//	DI w, SI v, DX g, R8 n, Y15 momentum, Y14 lr,
//	per chain: r0 = vi, r1 = the update, r2 = w (and g for Nesterov)

// v[i] = float32(momentum*v[i]) + g[i]; w[i] -= float32(lr*v[i])
#define SGD_Y(off, r0, r1, r2, r3) \
	VMULPS  off(SI)(AX*4), Y15, r0; \
	VADDPS  off(DX)(AX*4), r0, r0; \
	VMOVUPS r0, off(SI)(AX*4); \
	VMULPS  r0, Y14, r1; \
	VMOVUPS off(DI)(AX*4), r2; \
	VSUBPS  r1, r2, r2; \
	VMOVUPS r2, off(DI)(AX*4)

#define SGD_1 \
	VMULSS (SI)(AX*4), X15, X0; \
	VADDSS (DX)(AX*4), X0, X0; \
	VMOVSS X0, (SI)(AX*4); \
	VMULSS X0, X14, X1; \
	VMOVSS (DI)(AX*4), X2; \
	VSUBSS X1, X2, X2; \
	VMOVSS X2, (DI)(AX*4)

// v[i] = float32(momentum*v[i]) + g[i]
// w[i] -= float32(lr * (g[i] + float32(momentum*v[i])))
#define NESTEROV_Y(off, r0, r1, r2, r3) \
	VMULPS  off(SI)(AX*4), Y15, r0; \
	VMOVUPS off(DX)(AX*4), r2; \
	VADDPS  r2, r0, r0; \
	VMOVUPS r0, off(SI)(AX*4); \
	VMULPS  r0, Y15, r1; \
	VADDPS  r1, r2, r1; \
	VMULPS  r1, Y14, r1; \
	VMOVUPS off(DI)(AX*4), r2; \
	VSUBPS  r1, r2, r2; \
	VMOVUPS r2, off(DI)(AX*4)

#define NESTEROV_1 \
	VMULSS (SI)(AX*4), X15, X0; \
	VMOVSS (DX)(AX*4), X2; \
	VADDSS X2, X0, X0; \
	VMOVSS X0, (SI)(AX*4); \
	VMULSS X0, X15, X1; \
	VADDSS X1, X2, X1; \
	VMULSS X1, X14, X1; \
	VMOVSS (DI)(AX*4), X2; \
	VSUBSS X1, X2, X2; \
	VMOVSS X2, (DI)(AX*4)

// func sgdMomentumAVX2(w, v, g []float32, lr, momentum float32)
TEXT ·sgdMomentumAVX2(SB), NOSPLIT, $0-80
	MOVQ         w_base+0(FP), DI
	MOVQ         w_len+8(FP), R8
	MOVQ         v_base+24(FP), SI
	MOVQ         g_base+48(FP), DX
	VBROADCASTSS lr+72(FP), Y14
	VBROADCASTSS momentum+76(FP), Y15
	LOOP2_AVX2(SGD_Y, SGD_1)

// func sgdNesterovAVX2(w, v, g []float32, lr, momentum float32)
TEXT ·sgdNesterovAVX2(SB), NOSPLIT, $0-80
	MOVQ         w_base+0(FP), DI
	MOVQ         w_len+8(FP), R8
	MOVQ         v_base+24(FP), SI
	MOVQ         g_base+48(FP), DX
	VBROADCASTSS lr+72(FP), Y14
	VBROADCASTSS momentum+76(FP), Y15
	LOOP2_AVX2(NESTEROV_Y, NESTEROV_1)

// ---------------------------------------------------------------------------
// adam
//
//	DI w, SI m, DX v, R10 g, R8 n,
//	Y15 beta1, Y14 c1, Y13 beta2, Y12 c2, Y11 invSqrtC2, Y10 eps, Y9 step,
//	per chain: r0 = mi, r1 = c1*g and later w,
//	r2 = vi and then the denominator, r3 = c2*g*g

#define ADAM_Y(off, r0, r1, r2, r3) \
	VMULPS  off(SI)(AX*4), Y15, r0; /* beta1*m */ \
	VMULPS  off(R10)(AX*4), Y14, r1; /* c1*g */ \
	VADDPS  r1, r0, r0; /* mi */ \
	VMOVUPS r0, off(SI)(AX*4); \
	VMULPS  off(DX)(AX*4), Y13, r2; /* beta2*v */ \
	VMULPS  off(R10)(AX*4), Y12, r3; /* c2*g */ \
	VMULPS  off(R10)(AX*4), r3, r3; /* (c2*g)*g */ \
	VADDPS  r3, r2, r2; /* vi */ \
	VMOVUPS r2, off(DX)(AX*4); \
	VSQRTPS r2, r2; \
	VMULPS  Y11, r2, r2; /* sqrt(vi)*invSqrtC2 */ \
	VADDPS  Y10, r2, r2; /* den */ \
	VMULPS  r0, Y9, r0; /* step*mi */ \
	VDIVPS  r2, r0, r0; /* step*mi/den */ \
	VMOVUPS off(DI)(AX*4), r1; \
	VSUBPS  r0, r1, r1; \
	VMOVUPS r1, off(DI)(AX*4)

#define ADAM_1 \
	VMULSS  (SI)(AX*4), X15, X0; \
	VMULSS  (R10)(AX*4), X14, X1; \
	VADDSS  X1, X0, X0; \
	VMOVSS  X0, (SI)(AX*4); \
	VMULSS  (DX)(AX*4), X13, X2; \
	VMULSS  (R10)(AX*4), X12, X3; \
	VMULSS  (R10)(AX*4), X3, X3; \
	VADDSS  X3, X2, X2; \
	VMOVSS  X2, (DX)(AX*4); \
	VSQRTSS X2, X2, X2; \
	VMULSS  X11, X2, X2; \
	VADDSS  X10, X2, X2; \
	VMULSS  X0, X9, X0; \
	VDIVSS  X2, X0, X0; \
	VMOVSS  (DI)(AX*4), X1; \
	VSUBSS  X0, X1, X1; \
	VMOVSS  X1, (DI)(AX*4)

// func adamAVX2(w, m, v, g []float32, step, beta1, c1, beta2, c2, eps, invSqrtC2 float32)
TEXT ·adamAVX2(SB), NOSPLIT, $0-124
	MOVQ         w_base+0(FP), DI
	MOVQ         w_len+8(FP), R8
	MOVQ         m_base+24(FP), SI
	MOVQ         v_base+48(FP), DX
	MOVQ         g_base+72(FP), R10
	VBROADCASTSS step+96(FP), Y9
	VBROADCASTSS beta1+100(FP), Y15
	VBROADCASTSS c1+104(FP), Y14
	VBROADCASTSS beta2+108(FP), Y13
	VBROADCASTSS c2+112(FP), Y12
	VBROADCASTSS eps+116(FP), Y10
	VBROADCASTSS invSqrtC2+120(FP), Y11
	LOOP2_AVX2(ADAM_Y, ADAM_1)

// ---------------------------------------------------------------------------
// dropout
//
//	DI dst, SI x, R11 keep (as bytes: mask bit i is bit i%8 of byte i/8),
//	R8 n, Y15/Z15 scale, CX byte index i/8,
//	AVX2: Y8 the broadcast mask word, Y10-Y13 bitsD[0:8] .. bitsD[24:32];
//	AVX-512: K2 the keep bits for 16 lanes, ANDed with K1 in the tail.

// 32 elements at i (a multiple of 32): mask word = 4 bytes at i/8; lane k
// of vector q is kept when bit 8q+k is set.
#define DROP_MASK_Y(RB, R) \
	VPAND    RB, Y8, R; \
	VPCMPEQD RB, R, R

#define DROP_Y(off, R, M) \
	VMULPS  off(SI)(AX*4), Y15, R; \
	VANDPS  M, R, R; \
	VMOVUPS R, off(DI)(AX*4)

// func dropoutApplyAVX2(dst, x []float32, keep []uint64, scale float32)
TEXT ·dropoutApplyAVX2(SB), NOSPLIT, $0-76
	MOVQ         dst_base+0(FP), DI
	MOVQ         dst_len+8(FP), R8
	MOVQ         x_base+24(FP), SI
	MOVQ         keep_base+48(FP), R11
	VBROADCASTSS scale+72(FP), Y15
	VMOVDQU      bitsD<>+0x00(SB), Y10
	VMOVDQU      bitsD<>+0x20(SB), Y11
	VMOVDQU      bitsD<>+0x40(SB), Y12
	VMOVDQU      bitsD<>+0x60(SB), Y13
	XORQ         AX, AX
	MOVQ         R8, BX
	ANDQ         $-32, BX
	JZ           tail8

loop32:
	MOVQ         AX, CX
	SHRQ         $3, CX
	VPBROADCASTD (R11)(CX*1), Y8
	DROP_MASK_Y(Y10, Y4)
	DROP_MASK_Y(Y11, Y5)
	DROP_MASK_Y(Y12, Y6)
	DROP_MASK_Y(Y13, Y7)
	DROP_Y(0, Y0, Y4)
	DROP_Y(32, Y1, Y5)
	DROP_Y(64, Y2, Y6)
	DROP_Y(96, Y3, Y7)
	ADDQ         $32, AX
	CMPQ         AX, BX
	JB           loop32

tail8:
	// 8 elements at i (a multiple of 8): their bits are byte i/8. The
	// byte broadcast fills every byte of each dword, so bitsD[0:8]
	// selects bit k of it in lane k.
	MOVQ R8, BX
	ANDQ $-8, BX
	CMPQ AX, BX
	JAE  tail1

loop8:
	MOVQ         AX, CX
	SHRQ         $3, CX
	VPBROADCASTB (R11)(CX*1), Y8
	DROP_MASK_Y(Y10, Y4)
	DROP_Y(0, Y0, Y4)
	ADDQ         $8, AX
	CMPQ         AX, BX
	JB           loop8

tail1:
	CMPQ AX, R8
	JAE  done

loop1:
	// X1 = all ones if bit i is set, else 0: -(byte(i/8) >> (i%8) & 1)
	MOVQ    AX, CX
	SHRQ    $3, CX
	MOVBLZX (R11)(CX*1), DX
	MOVQ    AX, CX
	ANDQ    $7, CX
	SHRL    CX, DX
	ANDL    $1, DX
	NEGL    DX
	VMOVD   DX, X1
	VMULSS  (SI)(AX*4), X15, X0
	VANDPS  X1, X0, X0
	VMOVSS  X0, (DI)(AX*4)
	INCQ    AX
	CMPQ    AX, R8
	JB      loop1

done:
	VZEROUPPER
	RET

// 16 elements at i (a multiple of 16): their bits are the 16-bit word at
// byte i/8, loaded straight into K2; scale*x is zeroed where the bit is
// clear. off is the byte offset of the vector, off/32 that of its bits.
#define DROP_Z(off, R) \
	KMOVW     (off/32)(R11)(CX*1), K2; \
	VMULPS.Z  off(SI)(AX*4), Z15, K2, R; \
	VMOVUPS   R, off(DI)(AX*4)

// func dropoutApplyAVX512(dst, x []float32, keep []uint64, scale float32)
TEXT ·dropoutApplyAVX512(SB), NOSPLIT, $0-76
	MOVQ         dst_base+0(FP), DI
	MOVQ         dst_len+8(FP), R8
	MOVQ         x_base+24(FP), SI
	MOVQ         keep_base+48(FP), R11
	VBROADCASTSS scale+72(FP), Z15
	XORQ         AX, AX
	MOVQ         R8, BX
	ANDQ         $-64, BX
	JZ           tail16

loop64:
	MOVQ AX, CX
	SHRQ $3, CX
	DROP_Z(0, Z0)
	DROP_Z(64, Z1)
	DROP_Z(128, Z2)
	DROP_Z(192, Z3)
	ADDQ $64, AX
	CMPQ AX, BX
	JB   loop64

tail16:
	MOVQ R8, BX
	ANDQ $-16, BX
	CMPQ AX, BX
	JAE  tailmask

loop16:
	MOVQ AX, CX
	SHRQ $3, CX
	DROP_Z(0, Z0)
	ADDQ $16, AX
	CMPQ AX, BX
	JB   loop16

tailmask:
	// K1 = the low n%16 lanes; lanes beyond n are neither loaded nor
	// stored. The 16 mask bits at byte i/8 lie within keep (i+16 is at
	// most 64*ceil(n/64)).
	MOVQ     R8, CX
	SUBQ     AX, CX
	JZ       done
	MOVL     $1, R9
	SHLL     CX, R9
	DECL     R9
	KMOVW    R9, K1
	MOVQ     AX, CX
	SHRQ     $3, CX
	KMOVW    (R11)(CX*1), K2
	KANDW    K1, K2, K2
	VMULPS.Z (SI)(AX*4), Z15, K2, Z0
	VMOVUPS  Z0, K1, (DI)(AX*4)

done:
	VZEROUPPER
	RET
