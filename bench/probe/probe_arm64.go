//go:build !purego

package probe

import "golang.org/x/sys/cpu"

//go:noescape
func fmaLoopNEON(iters int, x, y float32) float32

//go:noescape
func readNEON(x []float32, out *[128]float32)

//go:noescape
func triadNEON(a, b, c []float32, s float32)

func init() {
	if cpu.ARM64.HasASIMD {
		available = append(available, vectorISA{
			name: "neon", flopsPerIter: 24 * 4 * 2,
			fma: fmaLoopNEON, read: readNEON, triad: triadNEON,
		})
	}
}
