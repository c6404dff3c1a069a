package mlp

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/lanes-go/lanes/kernels"
)

// coded rounds d's features to a palette of 256 levels spanning their
// range (level 0 is 0, so zeros stay zeros) and returns the result both
// ways: as float32 in X and as bytes in Codes.
func coded(d Data) (floats, codes Data) {
	lo, hi := float32(0), float32(0)
	for _, v := range d.X {
		lo, hi = min(lo, v), max(hi, v)
	}
	var palette [256]float32
	for c := range palette {
		palette[c] = float32(c) / 255 * (hi - lo)
	}
	floats = Data{X: make([]float32, len(d.X)), Labels: d.Labels, Dim: d.Dim}
	codes = Data{Codes: make([]uint8, len(d.X)), Palette: &palette, Labels: d.Labels, Dim: d.Dim}
	for i, v := range d.X {
		c := uint8(math.Round(float64((v - lo) / (hi - lo) * 255)))
		if v == 0 {
			c = 0
		}
		codes.Codes[i], floats.X[i] = c, palette[c]
	}
	return floats, codes
}

// TestTrainCodesSameBits: training on features stored as bytes (Data.Codes)
// gives the weights, losses and accuracies of training on the same values
// as float32, on the sparse and the dense path, at one and two threads, with
// a validation set stored the same way.
func TestTrainCodesSameBits(t *testing.T) {
	defer kernels.SetMaxThreads(kernels.SetMaxThreads(0))
	for _, d := range []struct {
		name string
		data Data
	}{{"sparse", sparseBlobs(8, 1100, 300, 10)}, {"dense", blobs(8, 1100, 300, 10, 1)}} {
		floats, codes := coded(d.data)
		if got, want := inputDensity(codes), inputDensity(floats); got != want {
			t.Fatalf("%s: input density %v from codes, %v from floats", d.name, got, want)
		}
		split := func(x Data) (train, val Data) {
			train, val = x, x
			train.Labels, val.Labels = x.Labels[:1000], x.Labels[1000:]
			if x.X != nil {
				train.X, val.X = x.X[:1000*x.Dim], x.X[1000*x.Dim:]
			} else {
				train.Codes, val.Codes = x.Codes[:1000*x.Dim], x.Codes[1000*x.Dim:]
			}
			return train, val
		}
		for _, threads := range []int{1, 2} {
			kernels.SetMaxThreads(threads)
			run := func(x Data) (*Model, Result) {
				m, _ := New([]int{300, 64, 10}, ReLU)
				m.Init(He, 3)
				train, val := split(x)
				res, err := Train(context.Background(), m, train, val, Config{
					Optimizer: Optimizer{Kind: Momentum, LR: 0.05, Nesterov: true}, Epochs: 2, BatchSize: 128, KeepProb: 0.8, Seed: 4,
				})
				if err != nil {
					t.Fatal(err)
				}
				return m, res
			}
			mf, rf := run(floats)
			mc, rc := run(codes)
			name := fmt.Sprintf("%s, %d threads", d.name, threads)
			if !sameParams(mf, mc) {
				t.Errorf("%s: weights differ between float32 and byte features", name)
			}
			for e := range rf.Epochs {
				f, c := rf.Epochs[e], rc.Epochs[e]
				if f.Loss != c.Loss || f.TrainAccuracy != c.TrainAccuracy || f.ValLoss != c.ValLoss || f.ValAccuracy != c.ValAccuracy {
					t.Errorf("%s, epoch %d: float32 %+v, bytes %+v", name, e+1, f, c)
				}
			}
			_, val := split(codes)
			_, valF := split(floats)
			lc, ac, err := Evaluate(mc, val)
			lf, af, _ := Evaluate(mc, valF)
			if err != nil || lc != lf || ac != af {
				t.Errorf("%s: Evaluate on bytes %v %v (%v), on float32 %v %v", name, lc, ac, err, lf, af)
			}
		}
	}
}

// TestDataCodesErrors: Data with both X and Codes, Codes without a
// palette, or the wrong number of codes is refused with an error that says
// which.
func TestDataCodesErrors(t *testing.T) {
	m, _ := New([]int{4, 3, 2}, ReLU)
	var palette [256]float32
	labels := []uint8{0, 1}
	for _, tc := range []struct {
		name string
		d    Data
		want string
	}{
		{"both", Data{X: make([]float32, 8), Codes: make([]uint8, 8), Palette: &palette, Labels: labels, Dim: 4}, "both X and Codes"},
		{"no palette", Data{Codes: make([]uint8, 8), Labels: labels, Dim: 4}, "no Palette"},
		{"short", Data{Codes: make([]uint8, 7), Palette: &palette, Labels: labels, Dim: 4}, "7 values for 2 examples"},
	} {
		_, err := Train(context.Background(), m, tc.d, Data{}, Config{Optimizer: Optimizer{Kind: SGD, LR: 0.1}, Epochs: 1})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Train error %v, want one saying %q", tc.name, err, tc.want)
		}
		if _, _, err := Evaluate(m, tc.d); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Evaluate error %v, want one saying %q", tc.name, err, tc.want)
		}
	}
}
