module github.com/lanes-go/lanes/kernels/internal/wordcheck

go 1.26.0

require golang.org/x/arch v0.33.0
