package kernels_test

import (
	"fmt"
	"math"

	"github.com/lanes-go/lanes/kernels"
)

// ReLU keeps positive values and NaN, and maps everything else, -0
// included, to +0.
func ExampleReLU() {
	x := []float32{-2, float32(math.Copysign(0, -1)), 0.5, float32(math.NaN())}
	dst := make([]float32, len(x))
	kernels.ReLU(dst, x)
	fmt.Println(dst, math.Signbit(float64(dst[1])))
	// Output: [0 0 0.5 NaN] false
}

// Axpy updates y in place with one rounding per element.
func ExampleAxpy() {
	x := []float32{1, 2, 3}
	y := []float32{10, 20, 30}
	kernels.Axpy(0.5, x, y)
	fmt.Println(y)
	// Output: [10.5 21 31.5]
}

// ArgMax returns the first maximum; NaN beats every number, and -0 and +0
// tie, so the first of them wins.
func ExampleArgMax() {
	fmt.Println(kernels.ArgMax([]float32{3, 7, 7, 1}))
	fmt.Println(kernels.ArgMax([]float32{3, float32(math.NaN()), 9}))
	fmt.Println(kernels.ArgMax([]float32{-1, float32(math.Copysign(0, -1)), 0}))
	fmt.Println(kernels.ArgMax(nil))
	// Output:
	// 1
	// 1
	// 1
	// -1
}
