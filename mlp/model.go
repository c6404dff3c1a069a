package mlp

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Activation is the nonlinearity applied after every hidden layer. The output
// layer is always linear (its logits go to the softmax cross-entropy).
type Activation int

const (
	ReLU Activation = iota
	Tanh
	Sigmoid
)

var activationNames = []string{ReLU: "relu", Tanh: "tanh", Sigmoid: "sigmoid"}

func (a Activation) String() string {
	if a >= 0 && int(a) < len(activationNames) {
		return activationNames[a]
	}
	return "Activation(" + strconv.Itoa(int(a)) + ")"
}

// ParseActivation accepts "relu", "tanh" or "sigmoid".
func ParseActivation(s string) (Activation, error) {
	for i, n := range activationNames {
		if s == n {
			return Activation(i), nil
		}
	}
	return 0, fmt.Errorf("unknown activation %q (want relu, tanh or sigmoid)", s)
}

// Init is a weight initialisation scheme.
type Init int

const (
	// He draws weights from N(0, 2/fan_in), suited to ReLU; biases are 0.
	He Init = iota
	// Xavier (Glorot uniform) draws weights from U(±sqrt(6/(fan_in+fan_out))),
	// suited to tanh and sigmoid; biases are 0.
	Xavier
	// Normal draws weights and biases from N(0, 1), as the TensorFlow tutorial
	// this trainer grew from did. It trains poorly; it is there for comparison.
	Normal
)

var initNames = []string{He: "he", Xavier: "xavier", Normal: "normal"}

func (i Init) String() string {
	if i >= 0 && int(i) < len(initNames) {
		return initNames[i]
	}
	return "Init(" + strconv.Itoa(int(i)) + ")"
}

// ParseInit accepts "he", "xavier" or "normal".
func ParseInit(s string) (Init, error) {
	for i, n := range initNames {
		if s == n {
			return Init(i), nil
		}
	}
	return 0, fmt.Errorf("unknown initialisation %q (want he, xavier or normal)", s)
}

// Layer is one dense layer: out = in·Weights + Bias.
type Layer struct {
	In, Out int
	// Weights is In×Out, row-major, so a batch X (rows of In) maps to X·Weights.
	Weights []float32
	Bias    []float32
}

// Model is a multilayer perceptron: dense layers of the given sizes, the
// activation after each hidden layer, a linear output layer, and softmax
// applied by the loss and by Predictor.
//
// Its variables are named after the layer index, counting from 0 at the
// input: "dense0/weights" (shape [Sizes[0], Sizes[1]]), "dense0/bias"
// (shape [Sizes[1]]), "dense1/weights", and so on. Checkpoints store them
// under these names.
type Model struct {
	Sizes      []int // layer widths, input first, classes last
	Activation Activation
	Layers     []Layer
}

// MaxWidth bounds any layer width, so that a corrupt size list in a
// checkpoint cannot make New allocate without bound.
const MaxWidth = 1 << 20

// New returns a model with the given layer sizes (at least input and output)
// and hidden activation, with all weights and biases zero; call Init (or
// restore a checkpoint) before use.
func New(sizes []int, act Activation) (*Model, error) {
	if len(sizes) < 2 {
		return nil, fmt.Errorf("mlp: need at least 2 layer sizes (input and output), got %d", len(sizes))
	}
	for i, s := range sizes {
		if s < 1 || s > MaxWidth {
			return nil, fmt.Errorf("mlp: layer size %d is %d, must be in [1, %d]", i, s, MaxWidth)
		}
	}
	if sizes[len(sizes)-1] < 2 {
		return nil, errors.New("mlp: the output layer needs at least 2 classes")
	}
	if act < 0 || int(act) >= len(activationNames) {
		return nil, fmt.Errorf("mlp: invalid activation %d", act)
	}
	var params int64
	for i := range len(sizes) - 1 {
		params += int64(sizes[i])*int64(sizes[i+1]) + int64(sizes[i+1])
	}
	if params > 1<<30 {
		// Also keeps every length within a 32-bit int on 386 and arm.
		return nil, fmt.Errorf("mlp: sizes %v need %d parameters, more than the 2^30 allowed", sizes, params)
	}
	m := &Model{Sizes: append([]int(nil), sizes...), Activation: act}
	m.Layers = make([]Layer, len(sizes)-1)
	for i := range m.Layers {
		in, out := sizes[i], sizes[i+1]
		m.Layers[i] = Layer{In: in, Out: out, Weights: make([]float32, in*out), Bias: make([]float32, out)}
	}
	return m, nil
}

// ParseSizes parses a layer list such as "784-256-10" (commas also accepted).
func ParseSizes(s string) ([]int, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == ',' || r == 'x' })
	if len(fields) < 2 {
		return nil, fmt.Errorf("layer sizes %q: need at least input and output, e.g. 784-256-10", s)
	}
	sizes := make([]int, len(fields))
	for i, f := range fields {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v < 1 || v > MaxWidth {
			return nil, fmt.Errorf("layer sizes %q: %q is not a width in [1, %d]", s, f, MaxWidth)
		}
		sizes[i] = v
	}
	return sizes, nil
}

// FormatSizes is the inverse of ParseSizes: "784-256-10".
func FormatSizes(sizes []int) string {
	parts := make([]string, len(sizes))
	for i, s := range sizes {
		parts[i] = strconv.Itoa(s)
	}
	return strings.Join(parts, "-")
}

// Inputs is the width of an input row; Classes the number of outputs.
func (m *Model) Inputs() int  { return m.Sizes[0] }
func (m *Model) Classes() int { return m.Sizes[len(m.Sizes)-1] }

// LayerName is the variable prefix of layer i: "dense<i>".
func LayerName(i int) string { return "dense" + strconv.Itoa(i) }

// Variable is a named parameter tensor of a model; Data aliases the model.
type Variable struct {
	Name  string
	Shape []int
	Data  []float32
}

// Variables lists the model's parameters by their stable names, layer by
// layer, weights before bias. The Data slices alias the model, so filling
// them (for example from a checkpoint) sets the model's parameters.
func (m *Model) Variables() []Variable {
	vars := make([]Variable, 0, 2*len(m.Layers))
	for i := range m.Layers {
		l := &m.Layers[i]
		vars = append(vars,
			Variable{Name: LayerName(i) + "/weights", Shape: []int{l.In, l.Out}, Data: l.Weights},
			Variable{Name: LayerName(i) + "/bias", Shape: []int{l.Out}, Data: l.Bias})
	}
	return vars
}

// Init initialises every layer with the given scheme from a PCG generator
// seeded with seed. The same seed gives the same weights.
func (m *Model) Init(kind Init, seed uint64) {
	r := rand.New(rand.NewPCG(seed, seedStreamInit))
	for i := range m.Layers {
		m.InitLayer(i, kind, r)
	}
}

// InitLayer (re)initialises layer i with the given scheme, drawing from r.
// Finetuning uses it to give a new layer fresh weights.
func (m *Model) InitLayer(i int, kind Init, r *rand.Rand) {
	l := &m.Layers[i]
	switch kind {
	case He:
		std := math.Sqrt(2 / float64(l.In))
		for j := range l.Weights {
			l.Weights[j] = float32(r.NormFloat64() * std)
		}
		clear(l.Bias)
	case Xavier:
		limit := math.Sqrt(6 / float64(l.In+l.Out))
		for j := range l.Weights {
			l.Weights[j] = float32((2*r.Float64() - 1) * limit)
		}
		clear(l.Bias)
	case Normal:
		for j := range l.Weights {
			l.Weights[j] = float32(r.NormFloat64())
		}
		for j := range l.Bias {
			l.Bias[j] = float32(r.NormFloat64())
		}
	default:
		panic(fmt.Sprintf("mlp.Model.InitLayer: invalid Init %d", kind))
	}
}

// Clone returns a deep copy of m.
func (m *Model) Clone() *Model {
	c := &Model{Sizes: append([]int(nil), m.Sizes...), Activation: m.Activation, Layers: make([]Layer, len(m.Layers))}
	for i, l := range m.Layers {
		c.Layers[i] = Layer{In: l.In, Out: l.Out,
			Weights: append([]float32(nil), l.Weights...), Bias: append([]float32(nil), l.Bias...)}
	}
	return c
}

// CopyFrom copies src's parameters into m, which must have the same sizes.
func (m *Model) CopyFrom(src *Model) {
	if !sameSizes(m.Sizes, src.Sizes) {
		panic(fmt.Sprintf("mlp.Model.CopyFrom: sizes %v and %v differ", m.Sizes, src.Sizes))
	}
	for i := range m.Layers {
		copy(m.Layers[i].Weights, src.Layers[i].Weights)
		copy(m.Layers[i].Bias, src.Layers[i].Bias)
	}
}

func sameSizes(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Independent streams for the three uses of the seed (PCG streams for the
// initialisation and the shuffle, the key of the dropout masks, see
// maskKey), so that changing one (say, turning dropout on) leaves the
// others' sequences unchanged.
const (
	seedStreamInit = iota + 1
	seedStreamShuffle
	seedStreamDropout
)
