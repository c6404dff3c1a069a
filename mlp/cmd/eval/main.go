// Command eval measures the test accuracy of one trained MLP checkpoint, or of
// the ensemble of several (the mean of their softmax outputs), on the MNIST
// test set, and prints the per-class accuracy and the confusion matrix.
//
//	go run ./mlp/cmd/eval                          # ./mnist-mlp.ckpt
//	go run ./mlp/cmd/eval -ckpt a.ckpt -ckpt b.ckpt -ckpt c.ckpt
//
// Each checkpoint carries its architecture, so no other flags are needed.
// Models in an ensemble may differ in hidden layers but must agree on inputs
// and classes. Bad flags exit with status 2, unreadable or mismatched
// checkpoints with status 1 and a message naming the file.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/lanes-go/lanes/mlp"
	"github.com/lanes-go/lanes/mnist"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// pathList is a repeatable -ckpt flag.
type pathList []string

func (p *pathList) String() string { return strings.Join(*p, ",") }
func (p *pathList) Set(s string) error {
	if s == "" {
		return errors.New("empty checkpoint path")
	}
	*p = append(*p, s)
	return nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var paths pathList
	fs.Var(&paths, "ckpt", "checkpoint to evaluate; repeat for an ensemble (default mnist-mlp.ckpt)")
	data := fs.String("data", "", "directory with the four MNIST files (default $MNIST_DIR, then the user cache, then download)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: eval [-ckpt file]... [-data dir]\n\nTest accuracy, per-class accuracy and confusion matrix of a model or an ensemble.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "eval: unexpected argument %q (use -ckpt FILE)\nRun 'eval -h' for usage.\n", fs.Arg(0))
		return 2
	}
	if len(paths) == 0 {
		paths = pathList{"mnist-mlp.ckpt"}
	}
	if err := eval(ctx, paths, *data, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "eval: %v\n", err)
		return 1
	}
	return 0
}

func eval(ctx context.Context, paths []string, dataDir string, stdout, stderr io.Writer) error {
	models := make([]*mlp.Model, len(paths))
	for i, p := range paths {
		m, meta, err := mlp.Load(p)
		if err != nil {
			return err
		}
		if i > 0 && (m.Inputs() != models[0].Inputs() || m.Classes() != models[0].Classes()) {
			return fmt.Errorf("%s: model %s does not match %s's %s: an ensemble needs the same inputs and classes",
				p, mlp.FormatSizes(m.Sizes), paths[0], mlp.FormatSizes(models[0].Sizes))
		}
		models[i] = m
		desc := ""
		if v, ok := meta["train.best_val_accuracy"]; ok {
			desc = ", validation accuracy " + v
		}
		fmt.Fprintf(stdout, "%s: %s %s%s\n", p, mlp.FormatSizes(m.Sizes), m.Activation, desc)
	}
	_, test, err := mnist.Load(ctx, mnist.Options{Dir: dataDir, Log: stderr, Classes: models[0].Classes()})
	if err != nil {
		return err
	}
	if test.Dim() != models[0].Inputs() {
		return fmt.Errorf("the test images have %d pixels, the model takes %d inputs", test.Dim(), models[0].Inputs())
	}
	classes := models[0].Classes()
	for _, y := range test.Labels {
		if int(y) >= classes {
			return fmt.Errorf("test label %d outside the model's %d classes", y, classes)
		}
	}
	pred := make([]int, test.N)
	const batch = 1000
	if len(models) > 1 {
		for i, m := range models {
			mlp.NewPredictor(m, batch).PredictBatch(pred, test.Images)
			fmt.Fprintf(stdout, "model %d (%s): test accuracy %.2f%%\n", i, paths[i], 100*accuracy(pred, test.Labels))
		}
		e, err := mlp.NewEnsemble(models, batch)
		if err != nil {
			return err
		}
		e.PredictBatch(pred, test.Images)
		fmt.Fprintf(stdout, "ensemble of %d: ", len(models))
	} else {
		mlp.NewPredictor(models[0], batch).PredictBatch(pred, test.Images)
	}
	fmt.Fprintf(stdout, "test accuracy %.2f%% (%d of %d)\n\n", 100*accuracy(pred, test.Labels), correct(pred, test.Labels), test.N)
	printConfusion(stdout, pred, test.Labels, classes)
	return nil
}

func correct(pred []int, labels []uint8) int {
	n := 0
	for i, p := range pred {
		if p == int(labels[i]) {
			n++
		}
	}
	return n
}

func accuracy(pred []int, labels []uint8) float64 {
	return float64(correct(pred, labels)) / float64(len(labels))
}

// printConfusion prints the confusion matrix (rows: true class, columns:
// predicted class) with each class's accuracy (recall) at the end of its row.
func printConfusion(w io.Writer, pred []int, labels []uint8, classes int) {
	conf := make([][]int, classes)
	for i := range conf {
		conf[i] = make([]int, classes)
	}
	for i, p := range pred {
		conf[labels[i]][p]++
	}
	fmt.Fprintf(w, "confusion matrix (rows: true class, columns: predicted)\n%5s", "")
	for j := range classes {
		fmt.Fprintf(w, " %5d", j)
	}
	fmt.Fprintf(w, "   accuracy\n")
	for i, row := range conf {
		total := 0
		fmt.Fprintf(w, "%5d", i)
		for _, c := range row {
			fmt.Fprintf(w, " %5d", c)
			total += c
		}
		if total > 0 {
			fmt.Fprintf(w, "   %6.2f%%\n", 100*float64(row[i])/float64(total))
		} else {
			fmt.Fprintf(w, "   %7s\n", "-")
		}
	}
}
