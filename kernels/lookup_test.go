package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// lookupKernel is one of the kernels Lookup can run at a tier: name labels
// subtests and benchmarks ("path=<name>"), use selects the kernel until the
// test ends.
type lookupKernel struct {
	name string
	use  func(testing.TB)
}

// lookupKernels lists the kernels Lookup chooses between at tier i on this
// machine. Where the choice depends on more than the tier (AVX-512 with or
// without VBMI), lookup_amd64_test.go replaces it so that every kernel runs.
var lookupKernels = func(i isa) []lookupKernel {
	return []lookupKernel{{name: "default", use: func(testing.TB) {}}}
}

// forEachLookupKernel runs f once per tier and kernel, in subtests named
// "isa=<tier>/path=<kernel>".
func forEachLookupKernel(t *testing.T, f func(t *testing.T)) {
	forEachISA(t, func(t *testing.T) {
		for _, k := range lookupKernels(active) {
			t.Run("path="+k.name, func(t *testing.T) {
				k.use(t)
				f(t)
			})
		}
	})
}

// lookupTestTables returns the tables TestLookup decodes through. "values"
// holds normal floats and the special values whose bits must survive (±0,
// +Inf, NaNs with payloads). "planes" gives byte p of entry c the value
// c^k[p] with four different k: the four bytes of an entry all differ, and
// each byte position is a permutation of 0..255 over the entries, so
// taking a byte from the wrong plane, the wrong entry or the wrong lane
// changes the result.
func lookupTestTables(rng *rand.Rand) map[string]*[256]float32 {
	var values, planes [256]float32
	for c := range values {
		values[c] = float32(rng.NormFloat64())
	}
	values[0], values[1], values[2] = 0, float32(math.Copysign(0, -1)), float32(math.Inf(1))
	values[3] = math.Float32frombits(0x7fc0_1234) // a NaN with a payload
	values[255] = math.Float32frombits(0xffa0_0001)
	for c := range planes {
		b := uint32(c)
		planes[c] = math.Float32frombits(b | (b^0x5a)<<8 | (b^0xa5)<<16 | (b^0xff)<<24)
	}
	return map[string]*[256]float32{"values": &values, "planes": &planes}
}

// TestLookup checks every tier and kernel against the table, value bits
// included, over every length up to two blocks of 64 codes and beyond a
// chunk, at odd offsets, with guards past dst that must stay untouched.
// Codes are uniform bytes, or mostly zero ("sparse", like the blank
// margins of an image) so that all-zero blocks of 64 sit between mixed
// ones.
func TestLookup(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	tables := lookupTestTables(rng)
	var lengths []int
	for n := range 131 {
		lengths = append(lengths, n)
	}
	lengths = append(lengths, 191, 192, 193, 784, chunk-1, chunk+37, 2*chunk+65)
	forEachLookupKernel(t, func(t *testing.T) {
		for _, tableName := range []string{"values", "planes"} {
			table := tables[tableName]
			for _, n := range lengths {
				for _, off := range []int{0, 1, 3} {
					sparse := (n+off)%2 == 1
					codes := make([]uint8, off+n+5)
					for i := range codes {
						if !sparse || rng.IntN(40) == 0 {
							codes[i] = uint8(rng.IntN(256))
						}
					}
					const guard = 9
					buf := nanSlice(off + n + guard)
					dst := buf[off : off+n]
					Lookup(dst, codes[off:off+n], table)
					for i := range n {
						if want := table[codes[off+i]]; math.Float32bits(dst[i]) != math.Float32bits(want) {
							t.Fatalf("table %s, n=%d off=%d sparse=%v: dst[%d] = %#x, want table[%d] = %#x",
								tableName, n, off, sparse, i, math.Float32bits(dst[i]), codes[off+i], math.Float32bits(want))
						}
					}
					for i, v := range append(buf[:off:off], buf[off+n:]...) {
						if v == v {
							t.Fatalf("table %s, n=%d off=%d: guard %d overwritten with %v", tableName, n, off, i, v)
						}
					}
				}
			}
		}
	})
}

func TestLookupPanics(t *testing.T) {
	var table [256]float32
	for _, tc := range []struct {
		name string
		call func()
		want string
	}{
		{"lengths", func() { Lookup(make([]float32, 3), make([]uint8, 4), &table) }, "len(dst) = 3, len(codes) = 4"},
		{"nil table", func() { Lookup(make([]float32, 3), make([]uint8, 3), nil) }, "table is nil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if msg := fmt.Sprint(recover()); !strings.Contains(msg, "kernels.Lookup") || !strings.Contains(msg, tc.want) {
					t.Fatalf("panic %q, want one naming kernels.Lookup and %q", msg, tc.want)
				}
			}()
			tc.call()
		})
	}
}

// BenchmarkLookup decodes an MNIST-sized batch (128 images of 784 byte
// pixels) per tier and kernel, as package mlp does for each training step
// of a data set stored as bytes: codes=digits is digitBatch's images (blank
// margins, 19% inked), codes=random uniform bytes.
func BenchmarkLookup(b *testing.B) {
	const n = 128 * 784
	var table [256]float32
	for c := range table {
		table[c] = float32(c) / 255
	}
	codes := make([]uint8, n)
	rng := rand.New(rand.NewPCG(43, 44))
	for i := range codes {
		codes[i] = uint8(rng.IntN(256))
	}
	digits := digitBatch(rng, 128)
	digitCodes := make([]uint8, n)
	for i, v := range digits {
		digitCodes[i] = uint8(v*255 + 0.5)
	}
	dst := make([]float32, n)
	for _, i := range availableISAs() {
		for _, k := range lookupKernels(i) {
			for _, in := range []struct {
				name  string
				codes []uint8
			}{{"random", codes}, {"digits", digitCodes}} {
				b.Run(fmt.Sprintf("isa=%v/path=%s/codes=%s/n=%d", i, k.name, in.name, n), func(b *testing.B) {
					withISA(b, i)
					k.use(b)
					b.SetBytes(n)
					for b.Loop() {
						Lookup(dst, in.codes, &table)
					}
				})
			}
		}
	}
}
