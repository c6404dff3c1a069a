package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lanes-go/lanes/internal/mnisttest"
	"github.com/lanes-go/lanes/mlp"
)

func TestInvalidFlagsAreUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-layers", "784"},
		{"-layers", "784-0-10"},
		{"-layers", "abc"},
		{"-lr", "-1"},
		{"-lr", "NaN"},
		{"-batch", "0"},
		{"-epochs", "-3"},
		{"-keep-prob", "1.5"},
		{"-keep-prob", "0"},
		{"-momentum", "1"},
		{"-optimizer", "rmsprop"},
		{"-schedule", "linear"},
		{"-select", "median"},
		{"-schedule", "step", "-gamma", "2"},
		{"-activation", "gelu"},
		{"-init", "zeros"},
		{"-patience", "-1"},
		{"-l2", "-0.1"},
		{"-val", "-5"},
		{"-threads", "-2"},
		{"-reinit", "dense1"},
		{"-nosuchflag"},
		{"-batch", "many"},
		{"extra-argument"},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), args, &out, &errb)
		if code != 2 {
			t.Errorf("train %v: exit %d, want 2 (stderr %q)", args, code, errb.String())
		}
		if errb.Len() == 0 {
			t.Errorf("train %v: no message on stderr", args)
		}
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-h"}, &out, &errb); code != 0 || !strings.Contains(errb.String(), "-keep-prob") {
		t.Errorf("train -h: exit %d, usage %q", code, errb.String())
	}
}

// TestTrainCommandEndToEnd runs the command on a small slice of real MNIST,
// then finetunes the result with a re-initialised output layer.
func TestTrainCommandEndToEnd(t *testing.T) {
	mnisttest.Load(t)
	dir := t.TempDir()
	first := filepath.Join(dir, "first.ckpt")
	var out, errb bytes.Buffer
	args := []string{"-layers", "784-32-10", "-limit", "1000", "-val", "500", "-epochs", "2", "-out", first}
	if code := run(context.Background(), args, &out, &errb); code != 0 {
		t.Fatalf("train %v: exit %d\n%s%s", args, code, out.String(), errb.String())
	}
	for _, want := range []string{"epoch  1/2", "epoch  2/2", "val", "ex/s", "test accuracy", "wrote " + first} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	m, meta, err := mlp.Load(first)
	if err != nil {
		t.Fatal(err)
	}
	if mlp.FormatSizes(m.Sizes) != "784-32-10" || meta["train.epochs_run"] != "2" || meta["train.val"] != "500" {
		t.Fatalf("checkpoint %v with metadata %v", m.Sizes, meta)
	}
	second := filepath.Join(dir, "second.ckpt")
	out.Reset()
	errb.Reset()
	args = []string{"-init-from", first, "-reinit", "dense1", "-limit", "1000", "-val", "500", "-epochs", "1", "-lr", "0.01", "-out", second}
	if code := run(context.Background(), args, &out, &errb); code != 0 {
		t.Fatalf("train %v: exit %d\n%s%s", args, code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "re-initialised layers [1]") {
		t.Errorf("finetuning output:\n%s", out.String())
	}
	// A finetune into an incompatible architecture names the variable.
	out.Reset()
	errb.Reset()
	args = []string{"-init-from", first, "-layers", "784-64-10", "-out", ""}
	if code := run(context.Background(), args, &out, &errb); code != 1 || !strings.Contains(errb.String(), "dense0/weights") {
		t.Fatalf("train %v: exit %d, stderr %q; want exit 1 naming dense0/weights", args, code, errb.String())
	}
}
