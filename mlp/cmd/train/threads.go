package main

import "github.com/lanes-go/lanes/kernels"

// setThreads applies -threads: the cap on threads per kernel call
// (0 keeps the default, GOMAXPROCS).
func setThreads(n int) {
	if n > 0 {
		kernels.SetMaxThreads(n)
	}
}

func kernelsISA() string { return kernels.ISA() }
