package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestLookup checks every tier against the table, value bits included (NaN
// payloads, -0), over lengths around the unroll widths and odd offsets,
// with guards past dst that must stay untouched.
func TestLookup(t *testing.T) {
	var table [256]float32
	rng := rand.New(rand.NewPCG(41, 42))
	for c := range table {
		table[c] = float32(rng.NormFloat64())
	}
	table[0], table[1], table[2] = 0, float32(math.Copysign(0, -1)), float32(math.Inf(1))
	table[3] = math.Float32frombits(0x7fc0_1234) // a NaN with a payload
	table[255] = math.Float32frombits(0xffa0_0001)
	lengths := []int{0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 784, chunk + 37}
	forEachISA(t, func(t *testing.T) {
		for _, n := range lengths {
			for _, off := range []int{0, 1, 3} {
				codes := make([]uint8, off+n+5)
				for i := range codes {
					codes[i] = uint8(rng.IntN(256))
				}
				const guard = 9
				buf := nanSlice(off + n + guard)
				dst := buf[off : off+n]
				Lookup(dst, codes[off:off+n], &table)
				for i := range n {
					if want := table[codes[off+i]]; math.Float32bits(dst[i]) != math.Float32bits(want) {
						t.Fatalf("n=%d off=%d: dst[%d] = %#x, want table[%d] = %#x", n, off, i, math.Float32bits(dst[i]), codes[off+i], math.Float32bits(want))
					}
				}
				for i, v := range append(buf[:off:off], buf[off+n:]...) {
					if v == v {
						t.Fatalf("n=%d off=%d: guard %d overwritten with %v", n, off, i, v)
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
// pixels) per tier, as package mlp does for each training step of a data
// set stored as bytes: codes=digits is digitBatch's images (blank margins,
// 19% inked), codes=random uniform bytes.
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
		for _, in := range []struct {
			name  string
			codes []uint8
		}{{"random", codes}, {"digits", digitCodes}} {
			b.Run(fmt.Sprintf("isa=%v/codes=%s/n=%d", i, in.name, n), func(b *testing.B) {
				withISA(b, i)
				b.SetBytes(n)
				for b.Loop() {
					Lookup(dst, in.codes, &table)
				}
			})
		}
	}
}
