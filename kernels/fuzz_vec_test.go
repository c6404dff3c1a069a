package kernels

import (
	"encoding/binary"
	"math"
	"testing"
)

// fuzzVecKernels names the kernels FuzzVec exercises; the first input byte
// picks one (modulo the count).
var fuzzVecKernels = []string{
	"Add", "Sub", "Mul", "Div", "Scale", "AddScalar", "Axpy", "ReLU", "ReLUGrad",
	"Dot", "Sum", "SumSquares", "ArgMax",
}

// FuzzVec decodes an input into a kernel, a scalar, two slice offsets and
// pairs of float32s (x[i], y[i]), runs the kernel on every tier and compares
// with the generic code: bit for bit for the elementwise kernels and ArgMax,
// within the documented bound for the sums.
//
// Layout: [0] kernel, [1:5] scalar bits, [5] x offset, [6] y offset, then
// 8 bytes per element (x bits, y bits), little-endian.
func FuzzVec(f *testing.F) {
	seed := func(kernel byte, scalar float32, vals ...float32) []byte {
		b := []byte{kernel, 0, 0, 0, 0, 3, 5}
		binary.LittleEndian.PutUint32(b[1:], math.Float32bits(scalar))
		for _, v := range vals {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
		}
		return b
	}
	for k := range fuzzVecKernels {
		f.Add(seed(byte(k), 1.5, vecSpecials...))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 7 {
			return
		}
		name := fuzzVecKernels[int(data[0])%len(fuzzVecKernels)]
		scalar := math.Float32frombits(binary.LittleEndian.Uint32(data[1:]))
		offX, offY := int(data[5]%8), int(data[6]%8)
		data = data[7:]
		n := len(data) / 8
		xb, yb := make([]float32, offX+n), make([]float32, offY+n)
		x, y := xb[offX:], yb[offY:]
		for i := range n {
			x[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[8*i:]))
			y[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[8*i+4:]))
		}
		saved := active
		defer func() { active = saved }()
		for _, tier := range availableISAs() {
			active = tier
			fuzzVecCheck(t, tier, name, scalar, x, y)
		}
	})
}

func fuzzVecCheck(t *testing.T, tier isa, name string, scalar float32, x, y []float32) {
	for _, op := range vecOps(scalar) {
		if op.name != name {
			continue
		}
		want := make([]float32, len(x))
		op.ref(want, x, y)
		got := make([]float32, len(x))
		op.run(got, x, y)
		for i := range want {
			if !vecSameBits(got[i], want[i]) {
				t.Fatalf("isa=%v %s(scalar=%v): [%d] = %v, generic gives %v (x=%v, y=%v)",
					tier, name, scalar, i, got[i], want[i], x[i], y[i])
			}
		}
		return
	}
	if name == "ArgMax" {
		if got, want := ArgMax(x), argMaxByRule(x); got != want {
			t.Fatalf("isa=%v ArgMax = %d, want %d", tier, got, want)
		}
		if len(x) > 0 {
			if got, want := Max(x), x[argMaxByRule(x)]; math.Float32bits(got) != math.Float32bits(want) {
				t.Fatalf("isa=%v Max = %v, want %v", tier, got, want)
			}
		}
		return
	}
	for _, op := range reduceOps {
		if op.name != name {
			continue
		}
		var want, absSum float64
		hasNaN := false
		for i := range x {
			v := op.term(x[i], y[i])
			want += v
			absSum += math.Abs(v)
			hasNaN = hasNaN || x[i] != x[i] || (name == "Dot" && y[i] != y[i])
		}
		got := op.run(x, y)
		switch {
		case hasNaN || want != want:
			// NaN in, or Inf-Inf / Inf*0 in exact arithmetic: NaN out.
			if got == got {
				t.Fatalf("isa=%v %s = %v, want NaN", tier, name, got)
			}
		case absSum <= math.MaxFloat32/2:
			// No partial sum can overflow float32, so the bound applies.
			tol := reduceBound(len(x), absSum) + float64(len(x))*0x1p-53*absSum
			if err := math.Abs(float64(got) - want); !(err <= tol) {
				t.Fatalf("isa=%v %s = %v, float64 reference %v: error %.3g exceeds %.3g", tier, name, got, want, err, tol)
			}
		}
		return
	}
	t.Fatalf("FuzzVec has no case for %q", name)
}
