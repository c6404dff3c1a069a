//go:build !purego

package kernels

import (
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/cpu"
)

// On amd64 Lookup has two kernels at the AVX-512 tier; list both (VBMI
// where the CPU has it) so that every run tests and benchmarks each, not
// just the one dispatch would pick.
func init() {
	lookupKernels = func(i isa) []lookupKernel {
		switch i {
		case isaAVX512:
			ks := []lookupKernel{{name: "gather", use: func(tb testing.TB) { withVBMI(tb, false) }}}
			if cpu.X86.HasAVX512VBMI {
				ks = append(ks, lookupKernel{name: "vbmi", use: func(tb testing.TB) { withVBMI(tb, true) }})
			}
			return ks
		case isaAVX2:
			return []lookupKernel{{name: "gather", use: func(testing.TB) {}}}
		}
		return []lookupKernel{{name: "loop", use: func(testing.TB) {}}}
	}
}

// withVBMI sets useVBMI until the test ends.
func withVBMI(tb testing.TB, on bool) {
	saved := useVBMI
	useVBMI = on
	tb.Cleanup(func() { useVBMI = saved })
}

// TestLookupVBMIFollowsCPU checks that dispatch offers the VBMI kernel
// exactly when x/sys/cpu reports VBMI, and that GODEBUG=cpu.avx512vbmi=off
// takes it away: it runs this test binary again with that setting, where
// TestLookupVBMIChild must see useVBMI off and Lookup still decode exactly.
func TestLookupVBMIFollowsCPU(t *testing.T) {
	if useVBMI != cpu.X86.HasAVX512VBMI {
		t.Fatalf("useVBMI = %v, cpu.X86.HasAVX512VBMI = %v", useVBMI, cpu.X86.HasAVX512VBMI)
	}
	if !cpu.X86.HasAVX512VBMI {
		t.Skip("no AVX512_VBMI: nothing to turn off")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestLookupVBMIChild$", "-test.v")
	cmd.Env = append(os.Environ(), "GODEBUG=cpu.avx512vbmi=off", "LANES_TEST_LOOKUP_WANT_VBMI=false")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child with GODEBUG=cpu.avx512vbmi=off: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: TestLookupVBMIChild") {
		t.Fatalf("child with GODEBUG=cpu.avx512vbmi=off did not pass TestLookupVBMIChild:\n%s", out)
	}
}

// TestLookupVBMIChild runs only inside TestLookupVBMIFollowsCPU's child
// process, where LANES_TEST_LOOKUP_WANT_VBMI says what useVBMI must be.
func TestLookupVBMIChild(t *testing.T) {
	want := os.Getenv("LANES_TEST_LOOKUP_WANT_VBMI")
	if want == "" {
		t.Skip("run by TestLookupVBMIFollowsCPU")
	}
	if got := strconv.FormatBool(useVBMI); got != want {
		t.Fatalf("useVBMI = %s, want %s (GODEBUG=%q)", got, want, os.Getenv("GODEBUG"))
	}
	table := lookupTestTables(rand.New(rand.NewPCG(1, 2)))["planes"]
	codes := make([]uint8, 300)
	for i := range codes {
		codes[i] = uint8(i * 7)
	}
	dst := make([]float32, len(codes))
	Lookup(dst, codes, table)
	for i, c := range codes {
		if math.Float32bits(dst[i]) != math.Float32bits(table[c]) {
			t.Fatalf("dst[%d] = %#x, want table[%d] = %#x", i, math.Float32bits(dst[i]), c, math.Float32bits(table[c]))
		}
	}
}
