package mlp

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lanes-go/lanes/ckpt"
)

func TestSaveLoadRoundTripPredictions(t *testing.T) {
	m, _ := New([]int{12, 9, 7, 4}, Tanh)
	m.Init(Xavier, 3)
	path := filepath.Join(t.TempDir(), "m.ckpt")
	if err := m.Save(path, map[string]string{"note": "hello", MetaSizes: "1-2"}); err != nil {
		t.Fatal(err)
	}
	got, meta, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if meta["note"] != "hello" || meta[MetaSizes] != "12-9-7-4" || meta[MetaActivation] != "tanh" {
		t.Fatalf("metadata %v: want note=hello and the real architecture", meta)
	}
	if got.Activation != Tanh || !sameSizes(got.Sizes, m.Sizes) || !sameParams(got, m) {
		t.Fatal("loaded model differs from the saved one")
	}
	d := blobs(1, 50, 12, 4, 1)
	a := NewPredictor(m, 50).Logits(d.X)
	b := NewPredictor(got, 50).Logits(d.X)
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			t.Fatalf("logit %d: %v before saving, %v after loading", i, a[i], b[i])
		}
	}
}

func TestRestoreInAnotherOrder(t *testing.T) {
	m, _ := New([]int{5, 4, 3}, ReLU)
	m.Init(He, 1)
	path := filepath.Join(t.TempDir(), "m.ckpt")
	if err := m.Save(path, nil); err != nil {
		t.Fatal(err)
	}
	// A model whose variables are listed in reverse creation order (as
	// another program might create them) restores the same values by name.
	other, _ := New([]int{5, 4, 3}, ReLU)
	ts := other.Tensors()
	slices.Reverse(ts)
	if _, err := ckpt.Restore(path, ts, ckpt.RestoreOptions{}); err != nil {
		t.Fatal(err)
	}
	if !sameParams(m, other) {
		t.Fatal("restoring in reverse order gave other values")
	}
}

func TestRestoreShapeMismatchNamesVariable(t *testing.T) {
	m, _ := New([]int{5, 4, 3}, ReLU)
	m.Init(He, 1)
	path := filepath.Join(t.TempDir(), "m.ckpt")
	if err := m.Save(path, nil); err != nil {
		t.Fatal(err)
	}
	wider, _ := New([]int{5, 6, 3}, ReLU)
	wider.Init(He, 2)
	before := wider.Clone()
	_, err := wider.Restore(path, nil)
	if err == nil {
		t.Fatal("restoring a 5-4-3 checkpoint into 5-6-3 succeeded")
	}
	for _, want := range []string{"dense0/weights", "dense0/bias", "dense1/weights", "[5 4]", "[5 6]"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
	if !sameParams(wider, before) {
		t.Fatal("a failed restore modified the model")
	}
	// A file that is not an mlp checkpoint cannot be loaded as a model.
	plain := filepath.Join(t.TempDir(), "plain.ckpt")
	if err := ckpt.Save(plain, m.Tensors(), nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Load(plain); err == nil || !strings.Contains(err.Error(), "not an mlp checkpoint") {
		t.Fatalf("Load of a checkpoint without architecture: err = %v", err)
	}
}

func TestFinetuneKeepsReloadedLayersAndReinitialisesOthers(t *testing.T) {
	base, _ := New([]int{8, 6, 5, 3}, ReLU)
	base.Init(He, 1)
	path := filepath.Join(t.TempDir(), "base.ckpt")
	if err := base.Save(path, nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		sizes []int
	}{{"same-width", []int{8, 6, 5, 3}}, {"new-output-width", []int{8, 6, 5, 7}}} {
		t.Run(c.name, func(t *testing.T) {
			ft, _ := New(c.sizes, ReLU)
			ft.Init(He, 99)
			fresh := ft.Clone()
			if _, err := ft.Restore(path, []int{2}); err != nil {
				t.Fatal(err)
			}
			for i := range 2 {
				if !slices.Equal(ft.Layers[i].Weights, base.Layers[i].Weights) || !slices.Equal(ft.Layers[i].Bias, base.Layers[i].Bias) {
					t.Fatalf("reloaded layer %d differs from the checkpoint", i)
				}
			}
			if !slices.Equal(ft.Layers[2].Weights, fresh.Layers[2].Weights) {
				t.Fatal("the re-initialised layer did not keep its fresh weights")
			}
			if c.sizes[3] == 3 && slices.Equal(ft.Layers[2].Weights, base.Layers[2].Weights) {
				t.Fatal("the re-initialised layer holds the checkpoint's weights")
			}
			// Training the finetuned model moves only by gradient steps from here.
			d := blobs(1, 100, 8, c.sizes[3], 1)
			if _, err := Train(context.Background(), ft, d, Data{}, Config{Optimizer: Optimizer{LR: 0.1}, Epochs: 1}); err != nil {
				t.Fatal(err)
			}
		})
	}
	m, _ := New([]int{8, 6, 5, 3}, ReLU)
	if _, err := m.Restore(path, []int{3}); err == nil {
		t.Fatal("reinit of a layer the model lacks succeeded")
	}
}

func TestTrainWritesCheckpointWithTrainingState(t *testing.T) {
	m, _ := New([]int{20, 16, 4}, ReLU)
	m.Init(He, 1)
	path := filepath.Join(t.TempDir(), "best.ckpt")
	res, err := Train(context.Background(), m, blobs(1, 400, 20, 4, 1), blobs(2, 100, 20, 4, 1), Config{
		Optimizer: Optimizer{Kind: Momentum, LR: 0.05}, Epochs: 3, Seed: 7,
		CheckpointPath: path, CheckpointMeta: map[string]string{"data": "blobs"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, meta, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !sameParams(got, m) {
		t.Fatal("checkpoint differs from the trained model")
	}
	want := map[string]string{"train.optimizer": "momentum", "train.seed": "7", "train.epochs_run": "3", "data": "blobs",
		"train.best_epoch": strings.TrimSpace(string(rune('0' + res.BestEpoch)))}
	for k, v := range want {
		if meta[k] != v {
			t.Errorf("metadata %s = %q, want %q", k, meta[k], v)
		}
	}
}

func TestParseLayerList(t *testing.T) {
	got, err := ParseLayerList("dense2,0", 3)
	if err != nil || !slices.Equal(got, []int{2, 0}) {
		t.Fatalf("ParseLayerList = %v, %v", got, err)
	}
	for _, bad := range []string{"3", "dense9", "x", "-1"} {
		if _, err := ParseLayerList(bad, 3); err == nil {
			t.Errorf("ParseLayerList(%q) succeeded", bad)
		}
	}
}
