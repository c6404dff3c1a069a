package impls

import (
	"math"
	"math/rand/v2"
	"testing"
)

func libraries(t *testing.T) []Library {
	libs := []Library{Lanes(), Gonum()}
	if ob, err := OpenBLAS(); err == nil {
		libs = append(libs, ob)
	} else {
		t.Log(err)
	}
	return libs
}

func randomSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = r.Float32()*2 - 1
	}
	return s
}

// refGemm is the float64 reference for row-major C = alpha*op(A)*op(B) + beta*C.
func refGemm(tA, tB bool, m, n, k int, alpha float64, a []float32, lda int, b []float32, ldb int,
	beta float64, c []float32, ldc int) []float64 {
	out := make([]float64, m*n)
	for i := range m {
		for j := range n {
			var s float64
			for p := range k {
				av, bv := a[i*lda+p], b[p*ldb+j]
				if tA {
					av = a[p*lda+i]
				}
				if tB {
					bv = b[j*ldb+p]
				}
				s += float64(av) * float64(bv)
			}
			out[i*n+j] = alpha*s + beta*float64(c[i*ldc+j])
		}
	}
	return out
}

// TestSgemmAgreesWithReference checks every library through the same adapter
// the benchmarks use, so a wrong transpose or stride mapping cannot make a
// library look fast by computing something else.
func TestSgemmAgreesWithReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, lib := range libraries(t) {
		for _, tA := range []bool{false, true} {
			for _, tB := range []bool{false, true} {
				m, n, k := 7, 13, 29
				lda, ldb, ldc := k+3, n+2, n+1
				if tA {
					lda = m + 3
				}
				if tB {
					ldb = k + 2
				}
				a := randomSlice(r, 40*lda)
				b := randomSlice(r, 40*ldb)
				c := randomSlice(r, m*ldc)
				want := refGemm(tA, tB, m, n, k, 1.5, a, lda, b, ldb, -0.5, c, ldc)
				lib.Sgemm(tA, tB, m, n, k, 1.5, a, lda, b, ldb, -0.5, c, ldc)
				for i := range m {
					for j := range n {
						if d := math.Abs(float64(c[i*ldc+j]) - want[i*n+j]); d > 1e-4*float64(k) {
							t.Fatalf("%s tA=%v tB=%v: C[%d,%d] = %v, want %v", lib.Label(), tA, tB, i, j, c[i*ldc+j], want[i*n+j])
						}
					}
				}
			}
		}
	}
}

func TestLevel1AgreesWithReference(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const n = 1000
	for _, lib := range libraries(t) {
		x, y := randomSlice(r, n), randomSlice(r, n)
		var dot float64
		for i := range x {
			dot += float64(x[i]) * float64(y[i])
		}
		if got := lib.Dot(x, y); math.Abs(float64(got)-dot) > 1e-3 {
			t.Errorf("%s Dot = %v, want %v", lib.Label(), got, dot)
		}
		y0 := append([]float32(nil), y...)
		lib.Axpy(2, x, y)
		for i := range y {
			if want := y0[i] + 2*x[i]; math.Abs(float64(y[i]-want)) > 1e-6 {
				t.Fatalf("%s Axpy: y[%d] = %v, want %v", lib.Label(), i, y[i], want)
			}
		}
		x0 := append([]float32(nil), x...)
		lib.Scale(-3, x)
		for i := range x {
			if want := -3 * x0[i]; x[i] != want {
				t.Fatalf("%s Scale: x[%d] = %v, want %v", lib.Label(), i, x[i], want)
			}
		}
	}
}

func TestOpenBLASMatchesBuildTag(t *testing.T) {
	_, err := OpenBLAS()
	if OpenBLASBuilt != (err == nil) {
		t.Fatalf("OpenBLASBuilt = %v but OpenBLAS() error = %v", OpenBLASBuilt, err)
	}
}
