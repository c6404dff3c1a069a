//go:build !openblas

package impls

import "errors"

// OpenBLASBuilt reports whether this binary was built with OpenBLAS.
const OpenBLASBuilt = false

// OpenBLAS explains why this build has no OpenBLAS.
func OpenBLAS() (Library, error) {
	return Library{}, errors.New("OpenBLAS not built in: rebuild with -tags openblas " +
		"(needs cgo and libopenblas-dev, e.g. apt-get install libopenblas-dev)")
}
