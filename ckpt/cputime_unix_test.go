//go:build unix

package ckpt

import (
	"syscall"
	"time"
)

// processCPUTime returns the user+system CPU time of the whole process
// (including the garbage collector's threads), which on a shared machine
// varies less than wall time.
func processCPUTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
