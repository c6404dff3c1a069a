//go:build (!amd64 && !arm64) || purego

package probe

// Builds without assembly have no probes: a Go loop would measure the
// compiler, not the machine's peak, so ISAs reports none and the report
// prints GFLOP/s without a percentage of peak.
