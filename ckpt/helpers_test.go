package ckpt

import (
	"errors"
	"hash/crc32"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// mlpTensors returns a model with the trainer's variable names and the given
// layer sizes, filled with reproducible pseudo-random values.
func mlpTensors(seed uint64, sizes ...int) []Tensor {
	rng := rand.New(rand.NewPCG(seed, 1))
	var ts []Tensor
	for l := 0; l+1 < len(sizes); l++ {
		in, out := sizes[l], sizes[l+1]
		w := make([]float32, in*out)
		for i := range w {
			w[i] = float32(rng.NormFloat64() * 0.05)
		}
		b := make([]float32, out)
		for i := range b {
			b[i] = float32(rng.NormFloat64() * 0.01)
		}
		prefix := "dense" + string(rune('0'+l))
		ts = append(ts,
			Tensor{Name: prefix + "/weights", Shape: []int{in, out}, Data: w},
			Tensor{Name: prefix + "/bias", Shape: []int{out}, Data: b})
	}
	return ts
}

var smallMeta = map[string]string{
	"arch.layers":     "4,3,2",
	"arch.activation": "relu",
	"train.epoch":     "7",
}

// validFile returns the bytes of a small valid checkpoint: two layers,
// metadata, payloads that need padding.
func validFile(t testing.TB) []byte {
	t.Helper()
	b, err := Marshal(mlpTensors(1, 4, 3, 2), smallMeta, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// refix recomputes the index and header CRCs of a hand-edited file, so that
// a test reaches the structural check it targets instead of the checksum.
// It trusts index_size only as far as the file goes.
func refix(b []byte) []byte {
	if len(b) < headerSize {
		return b
	}
	tab := crc32.MakeTable(crc32.Castagnoli)
	if n := binaryLE64(b[offIndexSize:]); n <= uint64(len(b)-headerSize) {
		putLE32(b[offIndexCRC:], crc32.Checksum(b[headerSize:headerSize+n], tab))
	}
	putLE32(b[offHeaderCRC:], crc32.Checksum(b[:headerCRCLength], tab))
	return b
}

func binaryLE64(b []byte) uint64 {
	var v uint64
	for i := 7; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}

func putLE32(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
}

func putLE64(b []byte, v uint64) {
	for i := range 8 {
		b[i] = byte(v >> (8 * i))
	}
}

// entry returns the index entry of tensor i of a valid file.
func entry(b []byte, i int) []byte {
	return b[headerSize+i*tensorEntSize:][:tensorEntSize]
}

func writeFile(t testing.TB, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "m.ckpt")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func sameBits(a, b []float32) bool {
	return slices.EqualFunc(a, b, func(x, y float32) bool { return math.Float32bits(x) == math.Float32bits(y) })
}

func mustKind(t *testing.T, err, kind error) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v", kind)
	}
	if !errors.Is(err, kind) {
		t.Fatalf("got %v, want an error matching %v", err, kind)
	}
}

// openErr opens b both from memory and from a file and checks that both paths
// agree, returning the in-memory result.
func openErr(t *testing.T, b []byte) (*File, error) {
	t.Helper()
	f, err := OpenBytes(b)
	ff, ferr := Open(writeFile(t, b))
	if ferr == nil {
		ff.Close()
	}
	if (err == nil) != (ferr == nil) || (err != nil && errors.Unwrap(err) != errors.Unwrap(ferr)) {
		t.Fatalf("OpenBytes and Open disagree: %v vs %v", err, ferr)
	}
	return f, err
}
