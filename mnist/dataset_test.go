package mnist

import (
	"math"
	"testing"
)

// numberedSet has n (at most 25) examples of 1×3 pixels whose values
// encode the example index (pixel j of example i is 10*i+j, in Images and
// in Pixels) and label i%10, so any mix-up of rows shows in the values.
func numberedSet(n int) *Dataset {
	d := &Dataset{Images: make([]float32, n*3), Pixels: make([]uint8, n*3), Labels: make([]uint8, n), N: n, Rows: 1, Cols: 3}
	for i := range n {
		for j := range 3 {
			d.Images[i*3+j] = float32(10*i + j)
			d.Pixels[i*3+j] = uint8(10*i + j)
		}
		d.Labels[i] = uint8(i % 10)
	}
	return d
}

func checkExample(t *testing.T, d *Dataset, i, want int) {
	t.Helper()
	img := d.Image(i)
	for j, v := range img {
		if v != float32(10*want+j) {
			t.Fatalf("example %d pixel %d = %v, want that of original example %d (%d)", i, j, v, want, 10*want+j)
		}
		if p := d.Pixels[i*3+j]; p != uint8(10*want+j) {
			t.Fatalf("example %d pixel byte %d = %d, want that of original example %d (%d)", i, j, p, want, 10*want+j)
		}
	}
	if d.Labels[i] != uint8(want%10) {
		t.Fatalf("example %d label = %d, want %d", i, d.Labels[i], want%10)
	}
}

func TestImage(t *testing.T) {
	d := numberedSet(4)
	for i := range 4 {
		checkExample(t, d, i, i)
	}
	img := d.Image(1)
	if len(img) != 3 || cap(img) != 3 {
		t.Errorf("Image(1) len %d cap %d, want 3 and 3 so append cannot reach example 2", len(img), cap(img))
	}
	expectPanic(t, "mnist.Dataset.Image: index 4", func() { d.Image(4) })
	expectPanic(t, "mnist.Dataset.Image: index -1", func() { d.Image(-1) })
}

func TestSplit(t *testing.T) {
	d := numberedSet(5)
	train, val := d.Split(2)
	if train.N != 3 || val.N != 2 || len(train.Images) != 9 || len(val.Images) != 6 || len(train.Labels) != 3 || len(val.Labels) != 2 ||
		len(train.Pixels) != 9 || len(val.Pixels) != 6 {
		t.Fatalf("Split(2) of 5: train N=%d (%d px, %d labels), val N=%d (%d px, %d labels)",
			train.N, len(train.Images), len(train.Labels), val.N, len(val.Images), len(val.Labels))
	}
	for i := range 3 {
		checkExample(t, train, i, i)
	}
	for i := range 2 {
		checkExample(t, val, i, 3+i)
	}
	if train.Rows != 1 || train.Cols != 3 || val.Rows != 1 || val.Cols != 3 {
		t.Errorf("Split lost the shape")
	}

	// Views, not copies: a write through d shows in val.
	d.Images[3*3] = -1
	if val.Images[0] != -1 {
		t.Errorf("val does not share d's memory")
	}
	// Appending to train must not overwrite val.
	_ = append(train.Images, 99)
	_ = append(train.Pixels, 99)
	_ = append(train.Labels, 99)
	if val.Images[0] != -1 || val.Pixels[0] != 30 || val.Labels[0] != 3 {
		t.Errorf("append to train overwrote val: %v %v %v", val.Images[0], val.Pixels[0], val.Labels[0])
	}

	all, none := d.Split(0)
	if all.N != 5 || none.N != 0 || len(none.Images) != 0 {
		t.Errorf("Split(0): train N=%d, val N=%d", all.N, none.N)
	}
	none, all = d.Split(5)
	if all.N != 5 || none.N != 0 {
		t.Errorf("Split(5): train N=%d, val N=%d", none.N, all.N)
	}
	checkExample(t, all, 4, 4)
	expectPanic(t, "mnist.Dataset.Split: nVal = 6", func() { d.Split(6) })
	expectPanic(t, "mnist.Dataset.Split: nVal = -1", func() { d.Split(-1) })
}

func TestSubset(t *testing.T) {
	d := numberedSet(6)
	s := d.Subset([]int{4, 0, 4, 5})
	if s.N != 4 || len(s.Images) != 12 || len(s.Pixels) != 12 || len(s.Labels) != 4 || s.Rows != 1 || s.Cols != 3 {
		t.Fatalf("Subset: N=%d, %d px, %d labels, %d×%d", s.N, len(s.Images), len(s.Labels), s.Rows, s.Cols)
	}
	for i, want := range []int{4, 0, 4, 5} {
		checkExample(t, s, i, want)
	}
	s.Images[0] = -1
	s.Pixels[0] = 99
	s.Labels[0] = 9
	checkExample(t, d, 4, 4) // a copy: d is untouched
	// Without Pixels (a hand-built set), Subset and Split leave them nil.
	d.Pixels = nil
	if s, tr := d.Subset([]int{1}), func() *Dataset { tr, _ := d.Split(1); return tr }(); s.Pixels != nil || tr.Pixels != nil {
		t.Errorf("Pixels from nothing: Subset %v, Split %v", s.Pixels, tr.Pixels)
	}

	if e := d.Subset(nil); e.N != 0 || len(e.Images) != 0 {
		t.Errorf("Subset(nil) has N=%d", e.N)
	}
	expectPanic(t, "mnist.Dataset.Subset: idx[1] = 6", func() { d.Subset([]int{0, 6}) })
	expectPanic(t, "mnist.Dataset.Subset: idx[0] = -1", func() { d.Subset([]int{-1}) })
}

func TestOneHot(t *testing.T) {
	labels := []uint8{2, 0, 3, 2}
	dst := make([]float32, len(labels)*4)
	for i := range dst {
		dst[i] = float32(math.NaN()) // every slot must be written
	}
	OneHot(dst, labels, 4)
	for i, l := range labels {
		for c := range 4 {
			want := float32(0)
			if c == int(l) {
				want = 1
			}
			if got := dst[i*4+c]; got != want {
				t.Errorf("row %d (label %d) column %d = %v, want %v", i, l, c, got, want)
			}
		}
	}
	OneHot(nil, nil, 10) // empty is fine
	expectPanic(t, "mnist.OneHot: len(dst) = 15", func() { OneHot(make([]float32, 15), labels, 4) })
	expectPanic(t, "mnist.OneHot: labels[2] = 3", func() { OneHot(make([]float32, 12), labels, 3) })
	expectPanic(t, "mnist.OneHot: classes = 0", func() { OneHot(nil, nil, 0) })
}
