//go:build (!amd64 && !arm64) || purego

package kernels

// Without assembly (other GOARCHes, or -tags purego) the dispatchers are the
// generic reference kernels.

func dot(x, y []float32) float32         { return dotGeneric(x, y) }
func sum(x []float32) float32            { return sumGeneric(x) }
func sumSquares(x []float32) float32     { return sumSquaresGeneric(x) }
func argMax(x []float32) int             { return argMaxGeneric(x) }
func maxBlock(x []float32) float32       { return maxBlockGeneric(x) }
func indexOf(x []float32, v float32) int { return indexOfGeneric(x, v) }
