package kernels

func dot(x, y []float32) float32     { return dotGeneric(x, y) }
func sum(x []float32) float32        { return sumGeneric(x) }
func sumSquares(x []float32) float32 { return sumSquaresGeneric(x) }
func argMax(x []float32) int         { return argMaxGeneric(x) }
