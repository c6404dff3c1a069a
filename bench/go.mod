module github.com/lanes-go/lanes/bench

go 1.24.0

require (
	github.com/klauspost/cpuid/v2 v2.4.2
	github.com/lanes-go/lanes v0.0.0
	golang.org/x/sys v0.41.0
	gonum.org/v1/gonum v0.17.0
)

replace github.com/lanes-go/lanes => ../
