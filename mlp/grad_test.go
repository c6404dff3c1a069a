package mlp

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// gradCheckSetup builds a small model and a trainer holding a batch.
func gradCheckSetup(t *testing.T, act Activation, l2, keep float32, sizes []int, rows int) (*trainer, []float32) {
	t.Helper()
	m, err := New(sizes, act)
	if err != nil {
		t.Fatal(err)
	}
	m.Init(Xavier, 1)
	// Non-zero biases, so their gradients are exercised from a generic point.
	r := rand.New(rand.NewPCG(2, 3))
	for _, l := range m.Layers {
		for j := range l.Bias {
			l.Bias[j] = float32(r.NormFloat64() * 0.3)
		}
	}
	tr := newTrainer(m, Optimizer{Kind: SGD, LR: 0.1}, l2, keep, rows, 4)
	x := make([]float32, rows*sizes[0])
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	for i := range rows {
		tr.in.labels[i] = int32(r.IntN(m.Classes()))
	}
	if keep < 1 {
		tr.sampleMasks(rows)
	}
	return tr, x
}

// objective is the training objective the gradients are of: mean
// cross-entropy plus the L2 penalty, with the trainer's current masks.
func objective(tr *trainer, x []float32, rows int) float64 {
	loss, _ := tr.gradients(x, rows)
	return loss/float64(rows) + tr.l2Penalty()
}

// TestGradientsFiniteDifference compares every parameter's analytic gradient
// (dense layers, each activation, the loss, dropout and the L2 term) with a
// central finite difference of the objective.
func TestGradientsFiniteDifference(t *testing.T) {
	sizes := []int{6, 7, 5, 4}
	const rows = 5
	for _, act := range []Activation{ReLU, Tanh, Sigmoid} {
		for _, c := range []struct{ l2, keep float32 }{{0, 1}, {0.3, 1}, {0, 0.6}} {
			t.Run(fmt.Sprintf("act=%v/l2=%v/keep=%v", act, c.l2, c.keep), func(t *testing.T) {
				tr, x := gradCheckSetup(t, act, c.l2, c.keep, sizes, rows)
				tr.gradients(x, rows)
				var analytic []float64
				for i := range tr.model.Layers {
					for _, g := range tr.gradW[i] {
						analytic = append(analytic, float64(g))
					}
					for _, g := range tr.gradB[i] {
						analytic = append(analytic, float64(g))
					}
				}
				var params []*float32
				for i := range tr.model.Layers {
					l := &tr.model.Layers[i]
					for j := range l.Weights {
						params = append(params, &l.Weights[j])
					}
					for j := range l.Bias {
						params = append(params, &l.Bias[j])
					}
				}
				const h = 2e-3
				var diffSq, sumSq float64
				for k, p := range params {
					orig := *p
					*p = orig + h
					up := objective(tr, x, rows)
					*p = orig - h
					down := objective(tr, x, rows)
					*p = orig
					num := (up - down) / (2 * h)
					if d := math.Abs(num - analytic[k]); d > 5e-4+0.01*math.Abs(num) {
						t.Errorf("parameter %d: analytic %.6g, finite difference %.6g", k, analytic[k], num)
					}
					diffSq += (num - analytic[k]) * (num - analytic[k])
					sumSq += (num + analytic[k]) * (num + analytic[k])
				}
				if rel := math.Sqrt(diffSq / sumSq); rel > 2e-3 {
					t.Errorf("relative gradient error %.3g over all parameters, want < 2e-3", rel)
				}
			})
		}
	}
}

// TestL2GradientOnly isolates the L2 term: with the weights' loss gradient
// removed (difference of two runs), the gradient must be exactly l2·W.
func TestL2GradientOnly(t *testing.T) {
	sizes := []int{4, 3, 2}
	tr, x := gradCheckSetup(t, ReLU, 0, 1, sizes, 3)
	tr.gradients(x, 3)
	plain := append([]float32(nil), tr.gradW[0]...)
	tr.l2 = 0.5
	tr.gradients(x, 3)
	for j, w := range tr.model.Layers[0].Weights {
		if d := math.Abs(float64(tr.gradW[0][j]-plain[j]) - 0.5*float64(w)); d > 1e-6 {
			t.Fatalf("weight %d: L2 adds %v to the gradient, want 0.5·w = %v", j, tr.gradW[0][j]-plain[j], 0.5*w)
		}
	}
	// Biases are not penalised.
	tr2, _ := gradCheckSetup(t, ReLU, 0, 1, sizes, 3)
	tr2.gradients(x, 3)
	for j := range tr.gradB[0] {
		if tr.gradB[0][j] != tr2.gradB[0][j] {
			t.Fatalf("bias %d gradient changed with L2: %v vs %v", j, tr.gradB[0][j], tr2.gradB[0][j])
		}
	}
	want := 0.0
	for _, l := range tr.model.Layers {
		for _, w := range l.Weights {
			want += float64(w) * float64(w)
		}
	}
	if got := tr.l2Penalty(); math.Abs(got-0.25*want) > 1e-6*want {
		t.Fatalf("l2Penalty = %v, want 0.5/2·Σw² = %v", got, 0.25*want)
	}
}
