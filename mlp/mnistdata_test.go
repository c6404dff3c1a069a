package mlp

import (
	"errors"
	"os"
	"testing"

	"github.com/lanes-go/lanes/mnist"
)

// loadMNIST resolves the real MNIST files. When no source can supply them it
// skips the test, unless LANES_REQUIRE_MNIST=1 (as in .ci/run) makes that a
// failure; a checksum mismatch always fails.
func loadMNIST(t *testing.T) (train, test *mnist.Dataset) {
	t.Helper()
	train, test, err := mnist.Load(t.Context(), mnist.Options{})
	if err != nil {
		if errors.Is(err, mnist.ErrUnavailable) && !errors.Is(err, mnist.ErrChecksum) && os.Getenv("LANES_REQUIRE_MNIST") != "1" {
			t.Skipf("SKIP: MNIST unavailable (set LANES_REQUIRE_MNIST=1 to make this a failure): %v", err)
		}
		t.Fatalf("MNIST unavailable: %v", err)
	}
	return train, test
}
