package mnist_test

import (
	"bytes"
	"fmt"

	"github.com/lanes-go/lanes/mnist"
)

// Two 2×2 images and their labels, written out as IDX bytes.
func ExampleRead() {
	images := []byte{
		0, 0, 8, 3, // magic: unsigned bytes, 3 dimensions
		0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, // 2 images of 2×2
		0, 255, 51, 0,
		255, 255, 0, 0,
	}
	labels := []byte{0, 0, 8, 1, 0, 0, 0, 2, 7, 3}
	d, err := mnist.Read(bytes.NewReader(images), bytes.NewReader(labels))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.N, d.Rows, d.Cols, d.Image(0), d.Labels)

	onehot := make([]float32, d.N*10)
	mnist.OneHot(onehot, d.Labels, 10)
	fmt.Println(onehot[:10])
	// Output:
	// 2 2 2 [0 1 0.2 0] [7 3]
	// [0 0 0 0 0 0 0 1 0 0]
}

func ExampleRead_error() {
	truncated := []byte{0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3}
	labels := []byte{0, 0, 8, 1, 0, 0, 0, 2, 7, 3}
	_, err := mnist.Read(bytes.NewReader(truncated), bytes.NewReader(labels))
	fmt.Println(err)
	// Output:
	// mnist: images: IDX data truncated: got 3 of 1568 payload bytes (dimensions [2 28 28])
}
