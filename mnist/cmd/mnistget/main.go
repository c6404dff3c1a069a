// Command mnistget finds, verifies and caches MNIST the way the trainer
// does, and prints what it loaded. With no flags it needs no setup:
//
//	go run ./mnist/cmd/mnistget
//
// Each resolution step is logged to stderr; the exit status is 1 when no
// source could supply the files, with the reasons and a manual fix.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/lanes-go/lanes/mnist"
)

func main() {
	dir := flag.String("data", "", "directory holding the four MNIST files (default $MNIST_DIR, else the cache and downloads)")
	cache := flag.String("cache", "", "cache directory (default os.UserCacheDir()/lanes/mnist)")
	timeout := flag.Duration("timeout", mnist.DefaultTimeout, "bound on each network step")
	flag.Parse()

	// Ctrl-C cancels a download cleanly; the cache is written atomically.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	train, test, err := mnist.Load(ctx, mnist.Options{Dir: *dir, CacheDir: *cache, Timeout: *timeout, Log: os.Stderr})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("train: %d images of %d×%d\ntest:  %d images of %d×%d\nloaded in %v\n",
		train.N, train.Rows, train.Cols, test.N, test.Rows, test.Cols, time.Since(start).Round(time.Millisecond))
}
