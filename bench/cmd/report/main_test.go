package main

import (
	"bufio"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lanes-go/lanes/bench/report"
	"github.com/lanes-go/lanes/bench/suite"
)

func TestMergeEnv(t *testing.T) {
	base := []string{"HOME=/root", "GODEBUG=madvdontneed=1"}
	got := mergeEnv(base, []string{"GODEBUG=cpu.all=off", "OPENBLAS_CORETYPE=Haswell"})
	want := []string{"HOME=/root", "GODEBUG=madvdontneed=1,cpu.all=off", "OPENBLAS_CORETYPE=Haswell"}
	if !slices.Equal(got, want) {
		t.Errorf("mergeEnv = %q, want %q", got, want)
	}
	if base[1] != "GODEBUG=madvdontneed=1" {
		t.Errorf("mergeEnv modified its input: %q", base)
	}
	got = mergeEnv([]string{"OPENBLAS_CORETYPE=Zen"}, []string{"OPENBLAS_CORETYPE=SkylakeX"})
	if want := []string{"OPENBLAS_CORETYPE=SkylakeX"}; !slices.Equal(got, want) {
		t.Errorf("mergeEnv replacing a variable = %q, want %q", got, want)
	}
}

// TestWorkerProtocol drives serveWorker in-process through pipes, as the
// parent does through a child's stdin and stdout.
func TestWorkerProtocol(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- serveWorker("gonum", inR, outW)
		outW.Close()
	}()
	enc := json.NewEncoder(inW)
	sc := bufio.NewScanner(outR)
	next := func(v any) {
		t.Helper()
		if !sc.Scan() {
			t.Fatalf("worker sent nothing: %v", sc.Err())
		}
		if err := json.Unmarshal(sc.Bytes(), v); err != nil {
			t.Fatalf("bad reply %q: %v", sc.Bytes(), err)
		}
	}
	var h hello
	next(&h)
	if h.Label != "gonum" || h.Error != "" {
		t.Fatalf("hello = %+v, want label gonum", h)
	}
	shape := suite.Square(16)
	for _, c := range []struct {
		c        Case
		wantSkip bool
	}{
		{Case{Gemm: &shape, Threads: 1}, false},
		{Case{Op: "dot", N: 256}, false},
		{Case{Op: "exp", N: 256}, true}, // gonum has no Exp
	} {
		if err := enc.Encode(request{Case: c.c, MinTime: time.Millisecond, Budget: time.Second}); err != nil {
			t.Fatal(err)
		}
		var rep reply
		next(&rep)
		if rep.Error != "" || rep.Skip != c.wantSkip || (!c.wantSkip && !(rep.Seconds > 0)) {
			t.Errorf("%s: reply %+v, want skip=%v and a positive time otherwise", c.c, rep, c.wantSkip)
		}
	}
	inW.Close()
	if err := <-done; err != nil {
		t.Fatalf("worker ended with %v", err)
	}
}

func TestUnknownWorkerKind(t *testing.T) {
	var out strings.Builder
	if err := serveWorker("mkl", strings.NewReader(""), &out); err != nil {
		t.Fatal(err)
	}
	var h hello
	if err := json.Unmarshal([]byte(out.String()), &h); err != nil || h.Error == "" {
		t.Fatalf("hello for an unknown kind = %q, want an error", out.String())
	}
}

func TestRaisePeakKeepsTheBest(t *testing.T) {
	r := &report.Report{}
	for _, v := range []float64{50, 90, 70} {
		raisePeak(r, "avx2", 1, v)
	}
	raisePeak(r, "avx2", 2, 150)
	if len(r.Peaks) != 2 || r.Peaks[0].GFLOPS != 90 || r.Peaks[1].GFLOPS != 150 {
		t.Errorf("peaks = %+v, want avx2/1 = 90 and avx2/2 = 150", r.Peaks)
	}
}
