package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkTrainKernelsOutputLayer complements BenchmarkTrainKernels (which
// runs the 256-wide hidden layer) with the MNIST network's 10-wide output
// layer, where a row is shorter than one AVX-512 vector and the tail
// handling decides the speed: bias add on the 128×10 logits and column sums
// for their bias gradient, next to the hidden layer's 128×256 for scale.
func BenchmarkTrainKernelsOutputLayer(b *testing.B) {
	r := rand.New(rand.NewPCG(2, 2))
	for _, i := range availableISAs() {
		b.Run("isa="+i.String(), func(b *testing.B) {
			withISA(b, i)
			for _, sh := range [][2]int{{128, 10}, {128, 256}} {
				rows, cols := sh[0], sh[1]
				x := randSlice(r, rows*cols, 1)
				bias := randSlice(r, cols, 1)
				shape := fmt.Sprintf("shape=%dx%d", rows, cols)
				b.Run("op=BiasAdd/"+shape, func(b *testing.B) {
					b.SetBytes(int64(4 * 2 * rows * cols))
					for b.Loop() {
						BiasAdd(x, x, bias)
					}
				})
				b.Run("op=ColSums/"+shape, func(b *testing.B) {
					b.SetBytes(int64(4 * rows * cols))
					for b.Loop() {
						ColSums(bias, x)
					}
				})
			}
		})
	}
}
