package kernels

// Implementation tiers. Every kernel has a generic Go version (always compiled,
// the reference for tests) and, where the build has assembly, versions for the
// tiers below. The best tier the CPU supports is chosen once at init (see
// impl_amd64.go and impl_arm64.go); tests lower it to compare every tier with
// generic.
type isa int

const (
	isaGeneric isa = iota
	isaNEON        // arm64 Advanced SIMD
	isaAVX2        // amd64 AVX2 + FMA
	isaAVX512      // amd64 AVX-512 F/DQ/BW/VL, plus AVX2 + FMA for kernels that gain nothing from ZMM
)

func (i isa) String() string {
	switch i {
	case isaNEON:
		return "neon"
	case isaAVX2:
		return "avx2"
	case isaAVX512:
		return "avx512"
	}
	return "generic"
}

var (
	// detected is the best tier this CPU, OS, GODEBUG and build support.
	detected isa
	// active is the tier the dispatchers use: detected, except in tests.
	active isa
)

// ISA reports the implementation tier in use: "avx512", "avx2", "neon" or
// "generic". It is decided once at program start from golang.org/x/sys/cpu, so
// GODEBUG=cpu.avx512f=off, cpu.avx2=off, cpu.all=off (amd64) and cpu.asimd=off
// (arm64) select a lower tier, and -tags purego builds select "generic".
func ISA() string { return active.String() }

// availableISAs lists generic plus every tier this machine can run, lowest first.
func availableISAs() []isa {
	out := []isa{isaGeneric}
	switch detected {
	case isaNEON:
		out = append(out, isaNEON)
	case isaAVX2:
		out = append(out, isaAVX2)
	case isaAVX512:
		out = append(out, isaAVX2, isaAVX512)
	}
	return out
}

// chunk bounds the elements one assembly call processes. The Go runtime cannot
// preempt assembly, so a garbage-collector stop-the-world waits for the call to
// return; 16384 float32s take at most a few microseconds in the slowest kernel
// (Tanh), keeping that wait well under the 20 µs the package promises.
const chunk = 1 << 14
