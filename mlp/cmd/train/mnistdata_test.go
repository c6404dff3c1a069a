package main

import (
	"errors"
	"os"
	"testing"

	"github.com/lanes-go/lanes/mnist"
)

// requireMNIST skips a test that needs the real MNIST files when no source
// can supply them, unless LANES_REQUIRE_MNIST=1 (as in .ci/run) makes that a
// failure; a checksum mismatch always fails.
func requireMNIST(t *testing.T) {
	t.Helper()
	if _, _, err := mnist.Load(t.Context(), mnist.Options{}); err != nil {
		if errors.Is(err, mnist.ErrUnavailable) && !errors.Is(err, mnist.ErrChecksum) && os.Getenv("LANES_REQUIRE_MNIST") != "1" {
			t.Skipf("SKIP: MNIST unavailable (set LANES_REQUIRE_MNIST=1 to make this a failure): %v", err)
		}
		t.Fatalf("MNIST unavailable: %v", err)
	}
}
