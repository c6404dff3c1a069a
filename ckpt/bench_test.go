package ckpt

import (
	"path/filepath"
	"testing"
)

// reportCPU adds a cpu-ns/op metric: process CPU time per operation, which
// includes the garbage collector's work and is steadier than wall time when
// other processes share the cores. Call it after the b.Loop loop with the
// value of processCPUTime taken before it.
func reportCPU(b *testing.B, start func() (int64, bool)) {
	if before, ok := start(); ok {
		if after, ok := processCPUTime(); ok {
			b.ReportMetric(float64(after.Nanoseconds()-before)/float64(b.N), "cpu-ns/op")
		}
	}
}

func cpuNow() (int64, bool) {
	d, ok := processCPUTime()
	return d.Nanoseconds(), ok
}

// BenchmarkLoad loads the trainer's 784-256-10 model (dense0/weights
// 784×256, dense0/bias 256, dense1/weights 256×10, dense1/bias 10: 806,920
// bytes of payload) from a file in the page cache, checking every CRC.
func BenchmarkLoad(b *testing.B) {
	model := mlpTensors(1, 784, 256, 10)
	path := filepath.Join(b.TempDir(), "mlp.ckpt")
	if err := Save(path, model, map[string]string{"arch.layers": "784,256,10", "arch.activation": "relu"}); err != nil {
		b.Fatal(err)
	}
	payload := int64(0)
	for _, t := range model {
		payload += int64(4 * len(t.Data))
	}
	b.Run("mode=read", func(b *testing.B) { // Open + Read every tensor into new slices
		b.SetBytes(payload)
		cpu0, ok0 := cpuNow()
		for b.Loop() {
			f, err := Open(path)
			if err != nil {
				b.Fatal(err)
			}
			for _, info := range f.Tensors() {
				if _, err := f.Read(info.Name); err != nil {
					b.Fatal(err)
				}
			}
			f.Close()
		}
		reportCPU(b, func() (int64, bool) { return cpu0, ok0 })
	})
	b.Run("mode=readinto", func(b *testing.B) { // Open + ReadInto preallocated model buffers
		dst := freshModel(model, 0)
		b.SetBytes(payload)
		cpu0, ok0 := cpuNow()
		for b.Loop() {
			f, err := Open(path)
			if err != nil {
				b.Fatal(err)
			}
			for _, d := range dst {
				if err := f.ReadInto(d.Name, d.Data); err != nil {
					b.Fatal(err)
				}
			}
			f.Close()
		}
		reportCPU(b, func() (int64, bool) { return cpu0, ok0 })
	})
	b.Run("mode=restore", func(b *testing.B) { // Restore: all-or-nothing, staged then copied
		dst := freshModel(model, 0)
		b.SetBytes(payload)
		cpu0, ok0 := cpuNow()
		for b.Loop() {
			if _, err := Restore(path, dst, RestoreOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, func() (int64, bool) { return cpu0, ok0 })
	})
	b.Run("mode=view", func(b *testing.B) { // LoadFile + zero-copy View of every tensor
		b.SetBytes(payload)
		cpu0, ok0 := cpuNow()
		for b.Loop() {
			f, err := LoadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			for _, info := range f.Tensors() {
				if _, err := f.View(info.Name); err != nil {
					b.Fatal(err)
				}
			}
		}
		reportCPU(b, func() (int64, bool) { return cpu0, ok0 })
	})
}

// BenchmarkSave writes the same model atomically (temp file, fsync, rename,
// directory fsync); dominated by the file system's fsync.
func BenchmarkSave(b *testing.B) {
	model := mlpTensors(1, 784, 256, 10)
	path := filepath.Join(b.TempDir(), "mlp.ckpt")
	b.SetBytes(4 * (784*256 + 256 + 256*10 + 10))
	cpu0, ok0 := cpuNow()
	for b.Loop() {
		if err := Save(path, model, nil); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, func() (int64, bool) { return cpu0, ok0 })
}
