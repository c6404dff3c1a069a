package suite

import (
	"math/rand/v2"

	"github.com/lanes-go/lanes/mlp"
)

// MLPSizes is the README's network: 784 inputs, 256 ReLU units, 10 classes.
var MLPSizes = []int{784, 256, 10}

// NewMLP returns the README's network, He-initialised with a fixed seed.
func NewMLP() *mlp.Model {
	m, err := mlp.New(MLPSizes, mlp.ReLU)
	if err != nil {
		panic("suite.NewMLP: " + err.Error()) // fixed valid sizes: cannot happen
	}
	m.Init(mlp.He, 1)
	return m
}

// SyntheticMNIST returns n MNIST-shaped examples: pixels uniform in [0, 1)
// and random labels. A training step costs the same whatever the values, so
// throughput is measured without downloading MNIST.
func SyntheticMNIST(n int) mlp.Data {
	r := rand.New(rand.NewPCG(uint64(n), 11))
	d := mlp.Data{X: make([]float32, n*MLPSizes[0]), Labels: make([]uint8, n), Dim: MLPSizes[0]}
	for i := range d.X {
		d.X[i] = r.Float32()
	}
	for i := range d.Labels {
		d.Labels[i] = uint8(r.IntN(MLPSizes[len(MLPSizes)-1]))
	}
	return d
}

// MLPConfig is the training set-up measured: batches of 128, SGD with
// momentum 0.9, no validation set.
func MLPConfig(epochs int) mlp.Config {
	return mlp.Config{
		Optimizer: mlp.Optimizer{Kind: mlp.Momentum, LR: 0.01},
		BatchSize: 128,
		Epochs:    epochs,
	}
}
