package mnist

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// BenchmarkRead decodes a test-set-sized file pair (10,000 images of 28×28)
// from memory, plain and gzip; bytes/s counts the decompressed IDX bytes.
func BenchmarkRead(b *testing.B) {
	const n = 10000
	rng := rand.New(rand.NewPCG(1, 2))
	pixels := make([]byte, n*28*28)
	for i := range pixels {
		if rng.IntN(5) == 0 { // mostly background, like MNIST, so gzip has work to do
			pixels[i] = byte(rng.IntN(256))
		}
	}
	labels := make([]byte, n)
	for i := range labels {
		labels[i] = byte(rng.IntN(10))
	}
	images, lbl := idxFile(imagesMagic, []uint32{n, 28, 28}, pixels), idxFile(labelsMagic, []uint32{n}, labels)
	for _, enc := range []string{"plain", "gzip"} {
		img, lb := images, lbl
		if enc == "gzip" {
			img, lb = gzipBytes(b, images), gzipBytes(b, lbl)
		}
		b.Run("encoding="+enc, func(b *testing.B) {
			b.SetBytes(int64(len(images) + len(lbl)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Read(bytes.NewReader(img), bytes.NewReader(lb)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
