package ckpt

import (
	"errors"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// freshModel returns zero-filled destinations shaped like ts, in a shuffled
// order, standing for a model that created its variables differently.
func freshModel(ts []Tensor, seed uint64) []Tensor {
	out := make([]Tensor, len(ts))
	for i, t := range ts {
		out[i] = Tensor{Name: t.Name, Shape: slices.Clone(t.Shape), Data: make([]float32, len(t.Data))}
		for j := range out[i].Data {
			out[i].Data[j] = float32(-1000 - j) // recognisable "freshly initialised" values
		}
	}
	rand.New(rand.NewPCG(seed, 2)).Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func snapshot(ts []Tensor) [][]float32 {
	s := make([][]float32, len(ts))
	for i, t := range ts {
		s[i] = slices.Clone(t.Data)
	}
	return s
}

func unchanged(t *testing.T, ts []Tensor, before [][]float32) {
	t.Helper()
	for i, d := range ts {
		if !sameBits(d.Data, before[i]) {
			t.Fatalf("destination %q was modified by a failed restore", d.Name)
		}
	}
}

func saved(t *testing.T, ts []Tensor, meta map[string]string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "model.ckpt")
	if err := Save(path, ts, meta); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRestoreInAnyOrder(t *testing.T) {
	src := mlpTensors(3, 6, 5, 4, 3)
	path := saved(t, src, smallMeta)
	byName := map[string][]float32{}
	for _, s := range src {
		byName[s.Name] = s.Data
	}
	for seed := range uint64(5) {
		dst := freshModel(src, seed)
		meta, err := Restore(path, dst, RestoreOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(meta, smallMeta) {
			t.Fatalf("meta %v", meta)
		}
		for _, d := range dst {
			if !sameBits(d.Data, byName[d.Name]) {
				t.Fatalf("seed %d: %s restored wrongly", seed, d.Name)
			}
		}
		// Restoring again is idempotent.
		before := snapshot(dst)
		if _, err := Restore(path, dst, RestoreOptions{}); err != nil {
			t.Fatal(err)
		}
		unchanged(t, dst, before)
	}
}

func TestRestoreReportsEverythingAtOnce(t *testing.T) {
	src := mlpTensors(3, 6, 5, 4) // dense0/{weights [6 5], bias [5]}, dense1/{weights [5 4], bias [4]}
	src = append(src, Tensor{Name: "extra/step", Shape: []int{1}, Data: []float32{9}})
	path := saved(t, src, nil)

	// The model: dense1/weights transposed (same size, different shape),
	// dense1/bias with another size, no extra/step, and two variables the
	// checkpoint lacks.
	dst := []Tensor{
		{Name: "dense2/bias", Shape: []int{3}, Data: make([]float32, 3)},
		{Name: "dense1/weights", Shape: []int{4, 5}, Data: make([]float32, 20)},
		{Name: "dense0/weights", Shape: []int{6, 5}, Data: make([]float32, 30)},
		{Name: "dense0/bias", Shape: []int{5}, Data: make([]float32, 5)},
		{Name: "dense1/bias", Shape: []int{7}, Data: make([]float32, 7)},
		{Name: "dense2/weights", Shape: []int{4, 3}, Data: make([]float32, 12)},
	}
	for i := range dst {
		for j := range dst[i].Data {
			dst[i].Data[j] = float32(math.Pi)
		}
	}
	before := snapshot(dst)
	_, err := Restore(path, dst, RestoreOptions{})
	unchanged(t, dst, before)
	var re *RestoreError
	if !errors.As(err, &re) {
		t.Fatalf("got %v, want a *RestoreError", err)
	}
	for _, kind := range []error{ErrMissing, ErrUnexpected, ErrShapeMismatch} {
		if !errors.Is(err, kind) {
			t.Errorf("error does not match %v", kind)
		}
	}
	names := func(ns []Named) (out []string) {
		for _, n := range ns {
			out = append(out, n.Name)
		}
		return out
	}
	if got := names(re.Missing); !slices.Equal(got, []string{"dense2/bias", "dense2/weights"}) {
		t.Errorf("missing %v", got)
	}
	if got := names(re.Unexpected); !slices.Equal(got, []string{"extra/step"}) {
		t.Errorf("unexpected %v", got)
	}
	if len(re.Mismatched) != 2 ||
		re.Mismatched[0].Name != "dense1/bias" || !slices.Equal(re.Mismatched[0].Checkpoint, []int{4}) || !slices.Equal(re.Mismatched[0].Model, []int{7}) ||
		re.Mismatched[1].Name != "dense1/weights" || !slices.Equal(re.Mismatched[1].Checkpoint, []int{5, 4}) || !slices.Equal(re.Mismatched[1].Model, []int{4, 5}) {
		t.Errorf("mismatched %+v", re.Mismatched)
	}
	msg := err.Error()
	for _, want := range []string{
		path,
		`2 missing, 1 unexpected, 2 shape mismatch (nothing was restored)`,
		`missing from the checkpoint: "dense2/bias", model shape [3]`,
		`missing from the checkpoint: "dense2/weights", model shape [4 3]`,
		`unexpected in the checkpoint: "extra/step", checkpoint shape [1]`,
		`shape mismatch for "dense1/weights": checkpoint [5 4] vs model [4 5]`,
		`shape mismatch for "dense1/bias": checkpoint [4] vs model [7]`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}

func TestRestoreFinetuning(t *testing.T) {
	// Reload the hidden layer, keep a freshly initialised output layer of
	// another size (10 classes in the checkpoint, 5 in the new task).
	src := mlpTensors(4, 8, 6, 10)
	path := saved(t, src, nil)
	dst := freshModel(mlpTensors(0, 8, 6, 5), 1)
	fresh := map[string][]float32{}
	for _, d := range dst {
		fresh[d.Name] = slices.Clone(d.Data)
	}
	// Strict restore refuses: the output layer's shapes differ.
	if _, err := Restore(path, dst, RestoreOptions{}); !errors.Is(err, ErrShapeMismatch) {
		t.Fatalf("strict restore: %v", err)
	}
	if _, err := Restore(path, dst, RestoreOptions{Skip: SkipPrefix("dense1/")}); err != nil {
		t.Fatal(err)
	}
	for _, d := range dst {
		switch {
		case strings.HasPrefix(d.Name, "dense1/"):
			if !sameBits(d.Data, fresh[d.Name]) {
				t.Errorf("skipped %s was modified", d.Name)
			}
		default:
			for _, s := range src {
				if s.Name == d.Name && !sameBits(d.Data, s.Data) {
					t.Errorf("%s not restored", d.Name)
				}
			}
		}
	}
}

func TestRestoreAllowUnexpected(t *testing.T) {
	src := mlpTensors(4, 8, 6, 10)
	path := saved(t, src, nil)
	dst := freshModel(src[:2], 3) // only dense0
	if _, err := Restore(path, dst, RestoreOptions{}); !errors.Is(err, ErrUnexpected) || errors.Is(err, ErrMissing) {
		t.Fatalf("strict: %v", err)
	}
	if _, err := Restore(path, dst, RestoreOptions{AllowUnexpected: true}); err != nil {
		t.Fatal(err)
	}
	for _, d := range dst {
		for _, s := range src {
			if s.Name == d.Name && !sameBits(d.Data, s.Data) {
				t.Errorf("%s not restored", d.Name)
			}
		}
	}
	// AllowUnexpected does not forgive missing names.
	dst = append(dst, Tensor{Name: "dense9/bias", Shape: []int{1}, Data: []float32{0}})
	if _, err := Restore(path, dst, RestoreOptions{AllowUnexpected: true}); !errors.Is(err, ErrMissing) {
		t.Fatalf("missing with AllowUnexpected: %v", err)
	}
}

func TestRestoreCorruptPayloadChangesNothing(t *testing.T) {
	src := mlpTensors(4, 8, 6, 10)
	path := saved(t, src, nil)
	b, _ := os.ReadFile(path)
	f, err := OpenBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	// Corrupt the last tensor in file order, so that every other tensor has
	// been read and checked before the failure.
	infos := f.Tensors()
	last := infos[len(infos)-1]
	b[last.Offset+last.Length-1] ^= 1
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	dst := freshModel(src, 7)
	before := snapshot(dst)
	_, err = Restore(path, dst, RestoreOptions{})
	mustKind(t, err, ErrChecksum)
	if !strings.Contains(err.Error(), last.Name) {
		t.Errorf("error does not name %s: %v", last.Name, err)
	}
	unchanged(t, dst, before)
}

func TestRestoreNonFinite(t *testing.T) {
	src := mlpTensors(4, 3, 2)
	src[0].Data[4] = float32(math.NaN())
	path := saved(t, src, nil)
	dst := freshModel(src, 0)
	before := snapshot(dst)
	_, err := Restore(path, dst, RestoreOptions{RejectNonFinite: true})
	mustKind(t, err, ErrNonFinite)
	if !strings.Contains(err.Error(), `"dense0/weights"`) || !strings.Contains(err.Error(), "index 4") {
		t.Errorf("error lacks the tensor or index: %v", err)
	}
	unchanged(t, dst, before)
	// By default NaN round-trips bit for bit.
	if _, err := Restore(path, dst, RestoreOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestRestoreBadDestinations(t *testing.T) {
	path := saved(t, mlpTensors(4, 3, 2), nil)
	for _, c := range []struct {
		name string
		dst  []Tensor
		want string
	}{
		{"duplicate", []Tensor{{Name: "a", Shape: []int{1}, Data: []float32{0}}, {Name: "a", Shape: []int{1}, Data: []float32{0}}}, `both named "a"`},
		{"data length", []Tensor{{Name: "dense0/bias", Shape: []int{2}, Data: []float32{0}}}, "has 2 elements but Data has 1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Restore(path, c.dst, RestoreOptions{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
	_, err := Restore(filepath.Join(t.TempDir(), "none"), nil, RestoreOptions{})
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
}
