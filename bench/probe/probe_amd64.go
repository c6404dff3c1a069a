//go:build !purego

package probe

import "golang.org/x/sys/cpu"

//go:noescape
func fmaLoopAVX2(iters int, x, y float32) float32

//go:noescape
func fmaLoopAVX512(iters int, x, y float32) float32

//go:noescape
func readAVX2(x []float32, out *[128]float32)

//go:noescape
func readAVX512(x []float32, out *[128]float32)

//go:noescape
func triadAVX2(a, b, c []float32, s float32)

//go:noescape
func triadAVX512(a, b, c []float32, s float32)

func init() {
	// x/sys/cpu reports AVX2 and AVX512F only when the OS saves their
	// registers; FMA is a raw CPUID bit, checked explicitly.
	if !cpu.X86.HasAVX2 || !cpu.X86.HasFMA {
		return
	}
	if cpu.X86.HasAVX512F {
		available = append(available, vectorISA{
			name: "avx512", flopsPerIter: 12 * 16 * 2,
			fma: fmaLoopAVX512, read: readAVX512, triad: triadAVX512,
		})
	}
	available = append(available, vectorISA{
		name: "avx2", flopsPerIter: 12 * 8 * 2,
		fma: fmaLoopAVX2, read: readAVX2, triad: triadAVX2,
	})
}
