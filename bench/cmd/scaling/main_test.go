package main

import (
	"strings"
	"testing"
)

func TestSummarize(t *testing.T) {
	var b strings.Builder
	shares := make([]float64, 101)
	for i := range shares {
		shares[i] = 1
	}
	shares[1], shares[100] = 0.55, 0.79
	summarize(&b, shares, 2)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want a 100-mark line, a 1-mark line and the summary:\n%s", len(lines), b.String())
	}
	if want := ".X" + strings.Repeat(".", 98); lines[0] != want {
		t.Errorf("first strip line = %q, want %q", lines[0], want)
	}
	if lines[1] != "X" {
		t.Errorf("second strip line = %q, want %q", lines[1], "X")
	}
	if want := "101 windows, 2 threads: median 1.00 of a core per thread; 2 windows (2%) below 0.8"; !strings.HasPrefix(lines[2], want) {
		t.Errorf("summary = %q, want it to start with %q", lines[2], want)
	}
	b.Reset()
	summarize(&b, nil, 2)
	if b.Len() != 0 {
		t.Errorf("no windows printed %q, want nothing", b.String())
	}
}
