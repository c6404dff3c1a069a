//go:build (!amd64 && !arm64) || purego

package kernels

// Without assembly (other GOARCHes, or -tags purego) the dispatchers are the
// generic reference kernels.

func add(dst, x, y []float32)                         { addGeneric(dst, x, y) }
func sub(dst, x, y []float32)                         { subGeneric(dst, x, y) }
func mul(dst, x, y []float32)                         { mulGeneric(dst, x, y) }
func div(dst, x, y []float32)                         { divGeneric(dst, x, y) }
func scale(dst []float32, alpha float32, x []float32) { scaleGeneric(dst, alpha, x) }
func addScalar(dst []float32, x []float32, c float32) { addScalarGeneric(dst, x, c) }
func axpy(alpha float32, x, y []float32)              { axpyGeneric(alpha, x, y) }
func relu(dst, x []float32)                           { reluGeneric(dst, x) }
func reluGrad(dst, dy, x []float32)                   { reluGradGeneric(dst, dy, x) }
