package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lanes-go/lanes/ckpt"
)

func TestInspect(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.ckpt")
	tensors := []ckpt.Tensor{
		{Name: "dense0/weights", Shape: []int{2, 3}, Data: []float32{1, 2, 3, 4, 5, 6}},
		{Name: "dense0/bias", Shape: []int{3}, Data: []float32{7, 8, 9}},
	}
	if err := ckpt.Save(path, tensors, map[string]string{"arch.layers": "2,3", "note": "two\nlines"}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := inspect(&out, path, 2); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"lanes checkpoint version 1.0",
		"arch.layers = 2,3",
		`note = "two\nlines"`,
		"dense0/bias     float32  [3]",
		"dense0/weights  float32  [2 3]",
		"[1 2]",
		"total payload: 36 bytes",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}

	// Corrupt the last payload byte of dense0/weights: inspect still lists
	// every tensor, marks the bad one and returns an error naming it.
	f, err := ckpt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := f.Lookup("dense0/weights")
	f.Close()
	b, _ := os.ReadFile(path)
	b[info.Offset+info.Length-1] ^= 1
	os.WriteFile(path, b, 0o644)
	out.Reset()
	err = inspect(&out, path, 0)
	if err == nil || !strings.Contains(err.Error(), `"dense0/weights"`) || !strings.Contains(err.Error(), "1 of 2 tensors") {
		t.Fatalf("corrupt file: %v", err)
	}
	for _, line := range strings.Split(out.String(), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 6 {
			continue
		}
		if fields[0] == "dense0/bias" && fields[len(fields)-1] != "ok" ||
			fields[0] == "dense0/weights" && !strings.Contains(line, "  BAD: ") {
			t.Errorf("wrong status on line %q", line)
		}
	}

	if err := inspect(&out, filepath.Join(t.TempDir(), "none"), 0); err == nil {
		t.Error("missing file accepted")
	}
}
