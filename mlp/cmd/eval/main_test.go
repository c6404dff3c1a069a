package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lanes-go/lanes/internal/mnisttest"
	"github.com/lanes-go/lanes/mlp"
)

func saveModel(t *testing.T, dir, name string, sizes []int, seed uint64) string {
	t.Helper()
	m, err := mlp.New(sizes, mlp.ReLU)
	if err != nil {
		t.Fatal(err)
	}
	m.Init(mlp.He, seed)
	path := filepath.Join(dir, name)
	if err := m.Save(path, nil); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestEvalErrors(t *testing.T) {
	dir := t.TempDir()
	a := saveModel(t, dir, "a.ckpt", []int{784, 16, 10}, 1)
	five := saveModel(t, dir, "five.ckpt", []int{784, 16, 5}, 2)
	garbage := filepath.Join(dir, "garbage.ckpt")
	os.WriteFile(garbage, []byte("not a checkpoint"), 0o644)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-ckpt", filepath.Join(dir, "missing.ckpt")}, 1, "missing.ckpt"},
		{[]string{"-ckpt", garbage}, 1, "not a lanes checkpoint"},
		{[]string{"-ckpt", a, "-ckpt", five}, 1, "five.ckpt: model 784-16-5 does not match"},
		{[]string{"-bogus"}, 2, "flag provided but not defined"},
		{[]string{"a.ckpt"}, 2, "unexpected argument"},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), c.args, &out, &errb)
		if code != c.code || !strings.Contains(errb.String(), c.want) {
			t.Errorf("eval %v: exit %d, stderr %q; want exit %d mentioning %q", c.args, code, errb.String(), c.code, c.want)
		}
	}
}

func TestEvalEnsemble(t *testing.T) {
	mnisttest.Load(t)
	dir := t.TempDir()
	a := saveModel(t, dir, "a.ckpt", []int{784, 16, 10}, 1)
	b := saveModel(t, dir, "b.ckpt", []int{784, 8, 8, 10}, 2)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-ckpt", a, "-ckpt", b}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"model 0", "model 1", "ensemble of 2: test accuracy", "confusion matrix", "accuracy\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	// The confusion matrix has one row per class, and its cells add up to
	// the test set's size.
	lines := strings.Split(out.String(), "\n")
	total := 0
	rows := 0
	for i, l := range lines {
		if !strings.HasPrefix(l, "confusion matrix") {
			continue
		}
		for _, row := range lines[i+2 : i+12] {
			f := strings.Fields(row)
			if len(f) != 12 {
				t.Fatalf("row %q has %d fields, want 12", row, len(f))
			}
			for _, cell := range f[1:11] {
				var v int
				if _, err := fmt.Sscan(cell, &v); err != nil {
					t.Fatal(err)
				}
				total += v
			}
			rows++
		}
	}
	if rows != 10 || total != 10000 {
		t.Fatalf("confusion matrix: %d rows, cells sum to %d; want 10 and 10000", rows, total)
	}
}
