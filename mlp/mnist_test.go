package mlp

import (
	"context"
	"testing"

	"github.com/lanes-go/lanes/internal/mnisttest"
	"github.com/lanes-go/lanes/mnist"
)

// TestRealMNISTShort trains a small network on the first 4,000 MNIST
// training images (fetched through mnist.Load's resolution: $MNIST_DIR, the
// user cache, mirrors, the Go module proxy; see loadMNIST) and checks it classifies the
// first 2,000 test images at least 90% correctly (this setup gives 90.40%
// with the avx512 and avx2 kernels and with -tags purego). Without -short it
// trains the default 784-256-10 network on 20,000 images for 4 epochs and
// expects 95% on the whole test set (it gets 96.2%).
func TestRealMNIST(t *testing.T) {
	train, test := mnisttest.Load(t)
	nTrain, nTest, hidden, epochs, want := 20000, 10000, 256, 4, 0.95
	if testing.Short() {
		nTrain, nTest, hidden, epochs, want = 4000, 2000, 64, 10, 0.90
	}
	first := func(d *mnist.Dataset, n int) Data {
		return Data{X: d.Images[:n*d.Dim()], Labels: d.Labels[:n], Dim: d.Dim()}
	}
	m, err := New([]int{784, hidden, 10}, ReLU)
	if err != nil {
		t.Fatal(err)
	}
	m.Init(He, 1)
	cfg := Config{Optimizer: Optimizer{Kind: Momentum, LR: 0.1, Nesterov: true}, Schedule: Schedule{Kind: Cosine}, Epochs: epochs}
	if _, err := Train(context.Background(), m, first(train, nTrain), Data{Dim: 784}, cfg); err != nil {
		t.Fatal(err)
	}
	_, acc, err := Evaluate(m, first(test, nTest))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("test accuracy %.2f%% on %d test images after %d epochs on %d training images", 100*acc, nTest, epochs, nTrain)
	if acc < want {
		t.Fatalf("test accuracy %.4f, want at least %.2f", acc, want)
	}
}
