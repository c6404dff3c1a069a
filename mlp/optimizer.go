package mlp

import (
	"fmt"
	"math"
	"strconv"
)

// OptimizerKind selects the update rule.
type OptimizerKind int

const (
	// SGD is plain gradient descent, w -= lr·g (TensorFlow's
	// GradientDescentOptimizer).
	SGD OptimizerKind = iota
	// Momentum is SGD with (optionally Nesterov) momentum, as in PyTorch:
	// v = μ·v + g; w -= lr·v (Nesterov: w -= lr·(g + μ·v)).
	Momentum
	// Adam is Kingma & Ba's Adam with bias correction.
	Adam
)

var optimizerNames = []string{SGD: "sgd", Momentum: "momentum", Adam: "adam"}

func (k OptimizerKind) String() string {
	if k >= 0 && int(k) < len(optimizerNames) {
		return optimizerNames[k]
	}
	return "OptimizerKind(" + strconv.Itoa(int(k)) + ")"
}

// ParseOptimizer accepts "sgd", "momentum", "nesterov" (momentum with
// Nesterov set) or "adam".
func ParseOptimizer(s string) (kind OptimizerKind, nesterov bool, err error) {
	if s == "nesterov" {
		return Momentum, true, nil
	}
	for i, n := range optimizerNames {
		if s == n {
			return OptimizerKind(i), false, nil
		}
	}
	return 0, false, fmt.Errorf("unknown optimizer %q (want sgd, momentum, nesterov or adam)", s)
}

// Optimizer configures the update rule. Zero fields of the kind in use take
// the defaults shown.
type Optimizer struct {
	Kind     OptimizerKind
	LR       float32 // base learning rate; required (> 0)
	Momentum float32 // Momentum: μ, default 0.9
	Nesterov bool    // Momentum: use Nesterov's look-ahead form
	Beta1    float32 // Adam: default 0.9
	Beta2    float32 // Adam: default 0.999
	Epsilon  float32 // Adam: default 1e-8
}

func (o Optimizer) withDefaults() Optimizer {
	switch o.Kind {
	case Momentum:
		if o.Momentum == 0 {
			o.Momentum = 0.9
		}
	case Adam:
		if o.Beta1 == 0 {
			o.Beta1 = 0.9
		}
		if o.Beta2 == 0 {
			o.Beta2 = 0.999
		}
		if o.Epsilon == 0 {
			o.Epsilon = 1e-8
		}
	}
	return o
}

func (o Optimizer) validate() error {
	bad := func(v float32) bool { return v != v || math.IsInf(float64(v), 0) }
	switch {
	case o.Kind < 0 || int(o.Kind) >= len(optimizerNames):
		return fmt.Errorf("invalid optimizer kind %d", o.Kind)
	case !(o.LR > 0) || bad(o.LR):
		return fmt.Errorf("learning rate %v must be a positive number", o.LR)
	case o.Kind == Momentum && (!(o.Momentum > 0) || o.Momentum >= 1):
		return fmt.Errorf("momentum %v must be in (0, 1)", o.Momentum)
	case o.Kind == Adam && (!(o.Beta1 >= 0) || o.Beta1 >= 1 || !(o.Beta2 >= 0) || o.Beta2 >= 1):
		return fmt.Errorf("Adam betas %v, %v must be in [0, 1)", o.Beta1, o.Beta2)
	case o.Kind == Adam && (!(o.Epsilon > 0) || bad(o.Epsilon)):
		return fmt.Errorf("Adam epsilon %v must be a positive number", o.Epsilon)
	}
	return nil
}

// ScheduleKind selects how the learning rate changes over training.
type ScheduleKind int

const (
	// Constant keeps the base rate.
	Constant ScheduleKind = iota
	// Step multiplies the rate by Gamma every StepEpochs epochs.
	Step
	// Cosine anneals the rate from the base to 0 along half a cosine over
	// the configured number of epochs, updated every mini-batch.
	Cosine
)

var scheduleNames = []string{Constant: "constant", Step: "step", Cosine: "cosine"}

func (k ScheduleKind) String() string {
	if k >= 0 && int(k) < len(scheduleNames) {
		return scheduleNames[k]
	}
	return "ScheduleKind(" + strconv.Itoa(int(k)) + ")"
}

// ParseSchedule accepts "constant", "step" or "cosine".
func ParseSchedule(s string) (ScheduleKind, error) {
	for i, n := range scheduleNames {
		if s == n {
			return ScheduleKind(i), nil
		}
	}
	return 0, fmt.Errorf("unknown schedule %q (want constant, step or cosine)", s)
}

// Schedule configures the learning-rate schedule.
type Schedule struct {
	Kind       ScheduleKind
	StepEpochs int     // Step: epochs between decays, default 5
	Gamma      float32 // Step: decay factor, default 0.1
}

func (s Schedule) withDefaults() Schedule {
	if s.Kind == Step {
		if s.StepEpochs == 0 {
			s.StepEpochs = 5
		}
		if s.Gamma == 0 {
			s.Gamma = 0.1
		}
	}
	return s
}

func (s Schedule) validate() error {
	switch {
	case s.Kind < 0 || int(s.Kind) >= len(scheduleNames):
		return fmt.Errorf("invalid schedule kind %d", s.Kind)
	case s.Kind == Step && s.StepEpochs < 1:
		return fmt.Errorf("step schedule: StepEpochs %d must be at least 1", s.StepEpochs)
	case s.Kind == Step && (!(s.Gamma > 0) || s.Gamma > 1):
		return fmt.Errorf("step schedule: Gamma %v must be in (0, 1]", s.Gamma)
	}
	return nil
}

// Rate returns the learning rate for a mini-batch: base scaled by the
// schedule, at epoch (from 0) and progress, the fraction of all planned
// mini-batches done before this one (in [0, 1)).
func (s Schedule) Rate(base float32, epoch int, progress float64) float32 {
	switch s.Kind {
	case Step:
		return float32(float64(base) * math.Pow(float64(s.Gamma), float64(epoch/s.StepEpochs)))
	case Cosine:
		return float32(float64(base) * 0.5 * (1 + math.Cos(math.Pi*progress)))
	}
	return base
}
