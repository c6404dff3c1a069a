//go:build openblas && !cgo

package impls

import "errors"

// OpenBLASBuilt reports whether this binary was built with OpenBLAS.
const OpenBLASBuilt = false

// OpenBLAS explains why this build has no OpenBLAS.
func OpenBLAS() (Library, error) {
	return Library{}, errors.New("OpenBLAS not built in: the openblas tag needs cgo, " +
		"which is disabled (CGO_ENABLED=0 or no C compiler)")
}
