// Package mnisttest gives the tests of packages built on mnist the real MNIST
// files under one policy: skip when no source can supply them, unless
// LANES_REQUIRE_MNIST=1 (as in .ci/run) makes that a failure, so CI cannot
// pass without exercising the resolution. A checksum mismatch always fails.
// (Package mnist's own tests apply the same rule in package.)
package mnisttest

import (
	"errors"
	"os"
	"testing"

	"github.com/lanes-go/lanes/mnist"
)

// EnvRequire names the variable that turns a skip into a failure.
const EnvRequire = "LANES_REQUIRE_MNIST"

// Load resolves MNIST as the trainer does, with default options.
func Load(t testing.TB) (train, test *mnist.Dataset) {
	t.Helper()
	train, test, err := mnist.Load(t.Context(), mnist.Options{})
	if err != nil {
		if errors.Is(err, mnist.ErrUnavailable) && !errors.Is(err, mnist.ErrChecksum) && os.Getenv(EnvRequire) != "1" {
			t.Skipf("SKIP: MNIST unavailable (set %s=1 to make this a failure): %v", EnvRequire, err)
		}
		t.Fatalf("MNIST unavailable: %v", err)
	}
	return train, test
}
