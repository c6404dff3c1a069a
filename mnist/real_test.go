package mnist

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// EnvRequireMNIST, set to 1 (as .ci/run does), turns the real-MNIST test's
// skip into a failure, so CI cannot pass without exercising the resolution.
const EnvRequireMNIST = "LANES_REQUIRE_MNIST"

// TestLoadRealMNIST runs the full resolution with an empty cache, so the
// files come from a mirror or the Go module (whose module cache is reused),
// then checks them against facts published with MNIST, independent of this
// package: the SHA-256 of each file (DESIGN.md), the example counts and the
// per-class label counts.
func TestLoadRealMNIST(t *testing.T) {
	isolate(t)
	cache := t.TempDir()
	ctx := t.Context()
	start := time.Now()
	var log bytes.Buffer
	defer func() { t.Logf("resolution steps:\n%s", &log) }()
	train, test, err := Load(ctx, Options{CacheDir: cache, Log: &log})
	if err != nil {
		unreachable := errors.Is(err, ErrUnavailable) && !errors.Is(err, ErrChecksum)
		if unreachable && os.Getenv(EnvRequireMNIST) != "1" {
			t.Skipf("SKIP: no source could supply MNIST (set %s=1 to make this a failure):\n%v", EnvRequireMNIST, err)
		}
		t.Fatal(err)
	}
	t.Logf("resolved and decoded in %v", time.Since(start))

	published := map[string]string{
		"train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
		"train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
		"t10k-images-idx3-ubyte.gz":  "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
		"t10k-labels-idx1-ubyte.gz":  "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
	}
	entries, err := os.ReadDir(cache)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(published) {
		t.Errorf("cache holds %d entries, want exactly the %d files", len(entries), len(published))
	}
	for name, want := range published {
		data, err := os.ReadFile(filepath.Join(cache, name))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); got != want {
			t.Errorf("cached %s has SHA-256 %s, want %s", name, got, want)
		}
	}

	// The same files through the directory path (-data / $MNIST_DIR), which
	// verifies against the published hashes on its own.
	dirTrain, dirTest, err := Load(ctx, Options{Dir: cache, Mirrors: []string{}, GoCommand: "/nonexistent/go"})
	if err != nil {
		t.Fatalf("loading the verified cache as a directory: %v", err)
	}
	if !bytes.Equal(dirTrain.Labels, train.Labels) || !bytes.Equal(dirTest.Labels, test.Labels) || len(dirTrain.Images) != len(train.Images) {
		t.Errorf("directory load differs from the resolved load")
	}

	for _, c := range []struct {
		name      string
		d         *Dataset
		n         int
		histogram [10]int
	}{
		{"train", train, 60000, [10]int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}},
		// The published test counts; class 6 has 958 examples. (A copy of this
		// list that drops the 958 sums to 10,051: the sum check below catches it.)
		{"test", test, 10000, [10]int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}},
	} {
		d := c.d
		if total := sumInts(c.histogram[:]); total != c.n {
			t.Fatalf("%s: expected histogram sums to %d, not %d: the table in this test is wrong", c.name, total, c.n)
		}
		if d.N != c.n || d.Rows != 28 || d.Cols != 28 || len(d.Images) != c.n*784 || len(d.Labels) != c.n {
			t.Fatalf("%s: N=%d %d×%d, %d pixels, %d labels; want %d of 28×28", c.name, d.N, d.Rows, d.Cols, len(d.Images), len(d.Labels), c.n)
		}
		var histogram [10]int
		for _, l := range d.Labels {
			histogram[l]++
		}
		if histogram != c.histogram {
			t.Errorf("%s label histogram %v, want %v", c.name, histogram, c.histogram)
		}
		var sum float64
		for _, p := range d.Images {
			if !(p >= 0 && p <= 1) {
				t.Fatalf("%s: pixel %v outside [0,1]", c.name, p)
			}
			sum += float64(p)
		}
		// MNIST's mean pixel is the widely quoted 0.1307 (train) / 0.1325 (test).
		if mean := sum / float64(len(d.Images)); mean < 0.130 || mean > 0.134 {
			t.Errorf("%s mean pixel %.4f, want about 0.131-0.133", c.name, mean)
		}
	}
}

func sumInts(xs []int) int {
	total := 0
	for _, x := range xs {
		total += x
	}
	return total
}
