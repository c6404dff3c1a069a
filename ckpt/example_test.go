package ckpt_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/lanes-go/lanes/ckpt"
)

// A model saved after training, restored into a model whose variables were
// created in another order, then finetuned on a task with 5 classes instead
// of 10: the hidden layer is reloaded, the new output layer keeps its fresh
// initialisation.
func Example_finetune() {
	dir, err := os.MkdirTemp("", "ckpt-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "base.ckpt")

	trained := []ckpt.Tensor{
		{Name: "dense0/weights", Shape: []int{4, 3}, Data: make([]float32, 12)},
		{Name: "dense0/bias", Shape: []int{3}, Data: []float32{0.1, 0.2, 0.3}},
		{Name: "dense1/weights", Shape: []int{3, 10}, Data: make([]float32, 30)},
		{Name: "dense1/bias", Shape: []int{10}, Data: make([]float32, 10)},
	}
	meta := map[string]string{"arch.layers": "4,3,10", "arch.activation": "relu", "train.epoch": "7"}
	if err := ckpt.Save(path, trained, meta); err != nil {
		log.Fatal(err)
	}

	finetune := []ckpt.Tensor{
		{Name: "dense1/bias", Shape: []int{5}, Data: make([]float32, 5)},
		{Name: "dense1/weights", Shape: []int{3, 5}, Data: make([]float32, 15)},
		{Name: "dense0/bias", Shape: []int{3}, Data: make([]float32, 3)},
		{Name: "dense0/weights", Shape: []int{4, 3}, Data: make([]float32, 12)},
	}
	_, err = ckpt.Restore(path, finetune, ckpt.RestoreOptions{})
	fmt.Println("strict restore refused:", errors.Is(err, ckpt.ErrShapeMismatch))

	got, err := ckpt.Restore(path, finetune, ckpt.RestoreOptions{Skip: ckpt.SkipPrefix("dense1/")})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("dense0/bias:", finetune[2].Data, "layers:", got["arch.layers"])
	// Output:
	// strict restore refused: true
	// dense0/bias: [0.1 0.2 0.3] layers: 4,3,10
}

// The error of a strict restore lists every problem at once.
func ExampleRestoreError() {
	dir, _ := os.MkdirTemp("", "ckpt-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "m.ckpt")
	ckpt.Save(path, []ckpt.Tensor{
		{Name: "dense0/weights", Shape: []int{2, 3}, Data: make([]float32, 6)},
		{Name: "step", Shape: []int{1}, Data: []float32{100}},
	}, nil)
	_, err := ckpt.Restore(path, []ckpt.Tensor{
		{Name: "dense0/weights", Shape: []int{3, 2}, Data: make([]float32, 6)},
		{Name: "dense0/bias", Shape: []int{3}, Data: make([]float32, 3)},
	}, ckpt.RestoreOptions{})
	var re *ckpt.RestoreError
	if errors.As(err, &re) {
		re.Path = "m.ckpt" // a stable path for the example's output
		fmt.Println(re)
	}
	// Output:
	// ckpt: restore "m.ckpt": 1 missing, 1 unexpected, 1 shape mismatch (nothing was restored)
	//   missing from the checkpoint: "dense0/bias", model shape [3]
	//   unexpected in the checkpoint: "step", checkpoint shape [1] (not in the model; AllowUnexpected ignores it)
	//   shape mismatch for "dense0/weights": checkpoint [2 3] vs model [3 2] (Skip keeps the model's value)
}
