//go:build openblas && cgo

package impls

/*
#cgo LDFLAGS: -lopenblas
#include <cblas.h>
*/
import "C"

import "unsafe"

// OpenBLASBuilt reports whether this binary was built with OpenBLAS.
const OpenBLASBuilt = true

func ptr(s []float32) *C.float {
	if len(s) == 0 {
		return nil
	}
	return (*C.float)(unsafe.Pointer(&s[0]))
}

func cblasTrans(t bool) C.enum_CBLAS_TRANSPOSE {
	if t {
		return C.CblasTrans
	}
	return C.CblasNoTrans
}

// OpenBLAS is the system OpenBLAS through its CBLAS interface. Its core type
// (the kernel set DYNAMIC_ARCH picked, which OPENBLAS_CORETYPE overrides when
// the library loads) is the variant.
func OpenBLAS() (Library, error) {
	return Library{
		Name:    "openblas",
		Variant: C.GoString(C.openblas_get_corename()),
		Sgemm: func(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int,
			b []float32, ldb int, beta float32, c []float32, ldc int) {
			if m == 0 || n == 0 {
				return
			}
			C.cblas_sgemm(C.CblasRowMajor, cblasTrans(tA), cblasTrans(tB), C.blasint(m), C.blasint(n), C.blasint(k),
				C.float(alpha), ptr(a), C.blasint(lda), ptr(b), C.blasint(ldb), C.float(beta), ptr(c), C.blasint(ldc))
		},
		Axpy: func(alpha float32, x, y []float32) {
			C.cblas_saxpy(C.blasint(len(x)), C.float(alpha), ptr(x), 1, ptr(y), 1)
		},
		Dot: func(x, y []float32) float32 {
			return float32(C.cblas_sdot(C.blasint(len(x)), ptr(x), 1, ptr(y), 1))
		},
		Scale: func(alpha float32, x []float32) {
			C.cblas_sscal(C.blasint(len(x)), C.float(alpha), ptr(x), 1)
		},
		SetThreads: func(n int) { C.openblas_set_num_threads(C.int(n)) },
	}, nil
}
