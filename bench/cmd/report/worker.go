package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/lanes-go/lanes/bench/impls"
	"github.com/lanes-go/lanes/bench/suite"
)

// Each implementation is measured in its own worker process, a copy of this
// program started with -worker: lanes' ISA is fixed when the process starts
// (GODEBUG selects it) and so is OpenBLAS's kernel set (OPENBLAS_CORETYPE),
// so tiers cannot be switched inside one process. The parent sends one
// request per line on the worker's stdin and reads one reply per line from
// its stdout; requests go round-robin over workers, one repetition at a
// time, so slow drifts of the clock (this machine's boost clock moves by
// 5-15% from minute to minute) hit every implementation alike.

// Case is one measurement: an Sgemm shape with a thread count, or a vector op
// on N elements (one thread).
type Case struct {
	Gemm    *suite.GemmShape `json:",omitempty"`
	Threads int              `json:",omitempty"`
	Op      string           `json:",omitempty"`
	N       int              `json:",omitempty"`
}

func (c Case) String() string {
	if c.Gemm != nil {
		return fmt.Sprintf("sgemm %s threads=%d", c.Gemm.Label(), c.Threads)
	}
	return fmt.Sprintf("%s n=%d", c.Op, c.N)
}

type request struct {
	Case    Case
	MinTime time.Duration
	Budget  time.Duration // a first call slower than this is the only one
}

type reply struct {
	Seconds float64 // per call
	Single  bool    // one call only: too slow to repeat
	Skip    bool    // the library has no such operation
	Error   string
}

type hello struct {
	Label string // e.g. "lanes avx2", "openblas SkylakeX"
	Error string
}

// library returns the implementation a worker of this kind measures.
func library(kind string) (impls.Library, error) {
	switch kind {
	case "lanes":
		return impls.Lanes(), nil
	case "gonum":
		return impls.Gonum(), nil
	case "openblas":
		return impls.OpenBLAS()
	}
	return impls.Library{}, fmt.Errorf("unknown worker kind %q", kind)
}

// serveWorker answers requests until stdin closes.
func serveWorker(kind string, in io.Reader, out io.Writer) error {
	enc := json.NewEncoder(out)
	lib, err := library(kind)
	if err != nil {
		return enc.Encode(hello{Error: err.Error()})
	}
	if err := enc.Encode(hello{Label: lib.Label()}); err != nil {
		return err
	}
	var (
		key  string
		gemm *suite.GemmData
		vec  *suite.VecData
	)
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		var req request
		if err := json.Unmarshal(sc.Bytes(), &req); err != nil {
			return fmt.Errorf("worker: bad request: %v", err)
		}
		c := req.Case
		// Keep the operands of the current case: requests for it repeat.
		if k := c.String(); k != key {
			key, gemm, vec = k, nil, nil
			runtime.GC()
			if c.Gemm != nil {
				gemm = suite.NewGemmData(*c.Gemm)
			} else {
				vec = suite.NewVecData(c.N)
			}
		}
		if err := enc.Encode(measure(lib, c, req, gemm, vec)); err != nil {
			return err
		}
	}
	return sc.Err()
}

func measure(lib impls.Library, c Case, req request, gemm *suite.GemmData, vec *suite.VecData) (rep reply) {
	defer func() {
		if p := recover(); p != nil {
			rep = reply{Error: fmt.Sprint("panic: ", p)}
		}
	}()
	var fn func()
	if c.Gemm != nil {
		lib.SetThreads(c.Threads)
		fn = func() { gemm.Run(lib) }
	} else {
		lib.SetThreads(1)
		op, ok := suite.VecOpByName(c.Op)
		if !ok {
			return reply{Error: "unknown op " + c.Op}
		}
		if fn = op.Bind(lib, vec); fn == nil {
			return reply{Skip: true}
		}
	}
	d, single := suite.MeasureOnce(fn, req.MinTime, req.Budget)
	return reply{Seconds: d.Seconds(), Single: single}
}

// worker is the parent's handle on one worker process.
type worker struct {
	label string
	kind  string
	env   []string
	cmd   *exec.Cmd
	in    io.WriteCloser
	out   *bufio.Scanner
	// dead is set when the process stopped answering (a crash in assembly
	// or C code cannot be recovered); the report goes on without it.
	dead bool
}

// startWorker starts a worker of kind with extra environment settings and
// waits for its hello.
func startWorker(kind string, env []string) (*worker, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, "-worker", kind)
	cmd.Env = mergeEnv(os.Environ(), env)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	w := &worker{kind: kind, env: env, cmd: cmd, in: in, out: bufio.NewScanner(outPipe)}
	var h hello
	if err := w.read(&h); err != nil {
		w.stop()
		return nil, fmt.Errorf("%s worker (%s): %v", kind, strings.Join(env, " "), err)
	}
	if h.Error != "" {
		w.stop()
		return nil, fmt.Errorf("%s worker: %s", kind, h.Error)
	}
	w.label = h.Label
	return w, nil
}

func (w *worker) read(v any) error {
	if !w.out.Scan() {
		if err := w.out.Err(); err != nil {
			return err
		}
		return io.ErrUnexpectedEOF
	}
	return json.Unmarshal(w.out.Bytes(), v)
}

func (w *worker) do(req request) (reply, error) {
	b, err := json.Marshal(req)
	if err != nil {
		return reply{}, err
	}
	if _, err := w.in.Write(append(b, '\n')); err != nil {
		return reply{}, fmt.Errorf("%s: %v", w.label, err)
	}
	var rep reply
	if err := w.read(&rep); err != nil {
		return reply{}, fmt.Errorf("%s: %v", w.label, err)
	}
	return rep, nil
}

// stop closes the worker's stdin, which ends it, and waits for it.
func (w *worker) stop() {
	w.in.Close()
	_ = w.cmd.Wait()
}

// mergeEnv returns base with the settings in extra applied. GODEBUG values
// are appended to any the user set, so both apply.
func mergeEnv(base, extra []string) []string {
	out := append([]string(nil), base...)
	for _, kv := range extra {
		name, val, _ := strings.Cut(kv, "=")
		replaced := false
		for i, e := range out {
			if n, old, _ := strings.Cut(e, "="); n == name {
				if name == "GODEBUG" && old != "" {
					val = old + "," + val
				}
				out[i] = name + "=" + val
				replaced = true
			}
		}
		if !replaced {
			out = append(out, name+"="+val)
		}
	}
	return out
}
