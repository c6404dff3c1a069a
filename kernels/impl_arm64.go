//go:build !purego

package kernels

import "golang.org/x/sys/cpu"

func init() {
	// ASIMD is architecturally required on arm64, but reading the flag keeps
	// GODEBUG=cpu.asimd=off working as a switch to the generic code.
	if cpu.ARM64.HasASIMD {
		detected = isaNEON
	}
	active = detected
}
