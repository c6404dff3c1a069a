package kernels

import "github.com/klauspost/cpuid/v2"

// Cache sizes used to choose the GEMM block sizes. cpuid reports -1 or 0 for
// a level it cannot see (arm64 under emulation, some containers and VMs); the
// defaults then describe a modest current core, so blocking stays sensible
// rather than degenerate.
const (
	defaultL1D = 32 << 10
	defaultL2  = 512 << 10
	defaultL3  = 4 << 20
)

// cacheSizes is what the GEMM blocking is computed from, in bytes per core
// (L3 as reported, usually shared).
type cacheSizes struct {
	l1d, l2, l3 int
}

// detectCaches reads the cache sizes from cpuid, replacing missing or
// implausible values by the defaults.
func detectCaches() cacheSizes {
	pick := func(got, lo, hi, def int) int {
		if got < lo || got > hi {
			return def
		}
		return got
	}
	c := cpuid.CPU.Cache
	return cacheSizes{
		l1d: pick(c.L1D, 8<<10, 1<<20, defaultL1D),
		l2:  pick(c.L2, 64<<10, 64<<20, defaultL2),
		l3:  pick(c.L3, 256<<10, 1<<30, defaultL3),
	}
}
