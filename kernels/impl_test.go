package kernels

import (
	"os"
	"strings"
	"testing"
)

// forEachISA runs f once per tier this machine supports plus generic, with the
// dispatchers switched to that tier, in subtests named "isa=<name>".
func forEachISA(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	for _, i := range availableISAs() {
		t.Run("isa="+i.String(), func(t *testing.T) {
			withISA(t, i)
			f(t)
		})
	}
}

// withISA switches the dispatchers to tier i until the test ends.
func withISA(tb testing.TB, i isa) {
	saved := active
	active = i
	tb.Cleanup(func() { active = saved })
}

// TestRequiredISA fails when LANES_TEST_REQUIRE_ISA names a tier that was not
// selected, so CI cannot pass by silently falling back to generic code (for
// example arm64 tests under qemu with LANES_TEST_REQUIRE_ISA=neon).
func TestRequiredISA(t *testing.T) {
	want := os.Getenv("LANES_TEST_REQUIRE_ISA")
	if want == "" {
		t.Skip("LANES_TEST_REQUIRE_ISA not set")
	}
	if got := ISA(); !strings.EqualFold(got, want) {
		t.Fatalf("ISA() = %q, LANES_TEST_REQUIRE_ISA = %q", got, want)
	}
}
