package ckpt

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// fuzzSeeds are valid files and hand-made near misses; they are committed
// under testdata/fuzz/FuzzOpen (go test -run TestFuzzCorpus -update).
func fuzzSeeds(t testing.TB) map[string][]byte {
	seeds := map[string][]byte{}
	add := func(name string, tensors []Tensor, meta map[string]string) {
		b, err := Marshal(tensors, meta, SaveOptions{})
		if err != nil {
			t.Fatal(err)
		}
		seeds[name] = b
	}
	add("empty-checkpoint", nil, nil)
	add("small-mlp", mlpTensors(1, 4, 3, 2), smallMeta)
	add("special-values", roundTripTensors(), map[string]string{"k": "v", "empty": ""})
	add("meta-only", nil, map[string]string{"arch.layers": "784,256,10"})
	gt, gm := goldenTensors()
	add("golden", gt, gm)
	v := validFile(t)
	mut := func(name string, f func(b []byte)) {
		b := bytes.Clone(v)
		f(b)
		seeds[name] = refix(b)
	}
	mut("huge-tensor-count", func(b []byte) { putLE32(b[offTensorCount:], 0xFFFFFFFF) })
	mut("huge-index-size", func(b []byte) { putLE64(b[offIndexSize:], 1<<64-1) })
	mut("huge-dim", func(b []byte) { putLE64(entry(b, 1)[entDims:], 1<<63) })
	mut("overlap", func(b []byte) { putLE64(entry(b, 1)[entDataOff:], 0) })
	mut("rank-9", func(b []byte) { entry(b, 1)[entRank] = 9 })
	mut("dtype-2", func(b []byte) { entry(b, 1)[entDType] = 2 })
	mut("minor-3", func(b []byte) { b[offMinor] = 3 })
	seeds["truncated"] = v[:len(v)-1]
	seeds["appended"] = append(bytes.Clone(v), 0)
	seeds["payload-flip"] = func() []byte { b := bytes.Clone(v); b[len(b)-200] ^= 4; return b }()
	seeds["text"] = []byte("not a checkpoint\n")
	return seeds
}

func TestFuzzCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzOpen")
	seeds := fuzzSeeds(t)
	if *update {
		for name, b := range seeds {
			content := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)
			if err := os.WriteFile(filepath.Join(dir, "seed-"+name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < len(seeds) {
		t.Fatalf("%s holds %d files, fewer than the %d seeds: run go test -run TestFuzzCorpus -update", dir, len(entries), len(seeds))
	}
}

// FuzzOpen feeds arbitrary bytes to the reader. It must never panic; a file
// it accepts must agree with the independent spec reader and, when every
// payload reads back, re-encode to the same bytes (the encoding is
// canonical, so no two accepted files mean the same thing).
func FuzzOpen(f *testing.F) {
	for _, b := range fuzzSeeds(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := OpenBytes(b)
		spec, specErr := specDecode(b)
		if err != nil {
			if specErr == nil {
				t.Fatalf("Open rejects a file the spec reader accepts: %v", err)
			}
			return
		}
		var got []Tensor
		for _, info := range file.Tensors() {
			data, err := file.Read(info.Name)
			if err != nil {
				if specErr == nil {
					t.Fatalf("Read rejects a tensor the spec reader accepts: %v", err)
				}
				return
			}
			got = append(got, Tensor{Name: info.Name, Shape: info.Shape, Data: data})
		}
		if specErr != nil {
			t.Fatalf("the package accepts a file the spec reader rejects (%v)", specErr)
		}
		checkContent(t, "Open vs specDecode", got, file.Meta(), spec.tensors, spec.meta)
		if spec.minor != 0 || spec.optional != 0 {
			return // later minor versions and optional bits do not re-encode
		}
		again, err := Marshal(got, file.Meta(), SaveOptions{})
		if err != nil {
			t.Fatalf("an accepted file does not re-encode: %v", err)
		}
		if !bytes.Equal(again, b) {
			t.Fatalf("an accepted %d-byte file re-encodes to %d different bytes", len(b), len(again))
		}
	})
}
