package kernels

import "testing"

// BenchmarkDropoutMask fills the mask of the MNIST network's 128×256 hidden
// layer (32768 units, 512 words) at keep 0.8, per tier.
func BenchmarkDropoutMask(b *testing.B) {
	mask := make([]uint64, 512)
	for _, i := range availableISAs() {
		b.Run("isa="+i.String(), func(b *testing.B) {
			withISA(b, i)
			b.SetBytes(int64(8 * len(mask)))
			seed := uint64(0)
			for b.Loop() {
				seed++
				DropoutMask(mask, 0.8, seed, 0)
			}
		})
	}
}
