package kernels

import "fmt"

// Length checks. A mismatch is a programmer error, like an index out of
// range, so it panics with the function and both lengths.

func checkLen2(fn string, dstName string, dst []float32, xName string, x []float32) {
	if len(dst) != len(x) {
		panic(fmt.Sprintf("kernels.%s: len(%s) = %d, len(%s) = %d; they must be equal",
			fn, dstName, len(dst), xName, len(x)))
	}
}

func checkLen3(fn string, dst, x, y []float32, names [3]string) {
	checkLen2(fn, names[0], dst, names[1], x)
	checkLen2(fn, names[0], dst, names[2], y)
}
