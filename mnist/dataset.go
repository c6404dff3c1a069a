package mnist

import "fmt"

// Dataset holds N examples: pixels as float32 scaled to [0,1] in one
// contiguous row-major slice of N × (Rows*Cols), and one label per example.
// The input width comes from the files, so any IDX set loads the same way.
//
// Pixels, when set (Read sets it), holds the same pixels as the bytes they
// were read as, in the same layout: Images[i] == Palette()[Pixels[i]]. A
// trainer can read those instead, a quarter of the memory (package mlp's
// Data.Codes).
type Dataset struct {
	Images        []float32
	Pixels        []uint8
	Labels        []uint8
	N, Rows, Cols int
}

// Palette returns the float32 value of each pixel byte: b/255, the scaling
// of Images. Each call returns a new copy.
func Palette() *[256]float32 {
	t := byteToUnit
	return &t
}

// Dim is the number of pixels per example, Rows*Cols.
func (d *Dataset) Dim() int { return d.Rows * d.Cols }

// Image returns example i's pixels, a view into Images. Its capacity ends
// at the example, so appending to it cannot overwrite the next one.
func (d *Dataset) Image(i int) []float32 {
	if i < 0 || i >= d.N {
		panic(fmt.Sprintf("mnist.Dataset.Image: index %d out of range [0, %d)", i, d.N))
	}
	dim := d.Dim()
	return d.Images[i*dim : (i+1)*dim : (i+1)*dim]
}

// Split carves a validation set from d: val is the last nVal examples and
// train the rest. Both are views sharing d's memory (no copy); each has its
// capacity clipped so that appending to train cannot overwrite val. It
// panics unless 0 <= nVal <= d.N.
func (d *Dataset) Split(nVal int) (train, val *Dataset) {
	if nVal < 0 || nVal > d.N {
		panic(fmt.Sprintf("mnist.Dataset.Split: nVal = %d out of range [0, %d]", nVal, d.N))
	}
	nTrain := d.N - nVal
	cut := nTrain * d.Dim()
	train = &Dataset{
		Images: d.Images[:cut:cut],
		Labels: d.Labels[:nTrain:nTrain],
		N:      nTrain, Rows: d.Rows, Cols: d.Cols,
	}
	val = &Dataset{
		Images: d.Images[cut:len(d.Images):len(d.Images)],
		Labels: d.Labels[nTrain:d.N:d.N],
		N:      nVal, Rows: d.Rows, Cols: d.Cols,
	}
	if d.Pixels != nil {
		train.Pixels = d.Pixels[:cut:cut]
		val.Pixels = d.Pixels[cut:len(d.Pixels):len(d.Pixels)]
	}
	return train, val
}

// Subset returns a new Dataset holding copies of the examples idx, in that
// order (an index may repeat). It panics on an index outside [0, d.N).
func (d *Dataset) Subset(idx []int) *Dataset {
	dim := d.Dim()
	out := &Dataset{
		Images: make([]float32, len(idx)*dim),
		Labels: make([]uint8, len(idx)),
		N:      len(idx), Rows: d.Rows, Cols: d.Cols,
	}
	if d.Pixels != nil {
		out.Pixels = make([]uint8, len(idx)*dim)
	}
	for j, i := range idx {
		if i < 0 || i >= d.N {
			panic(fmt.Sprintf("mnist.Dataset.Subset: idx[%d] = %d out of range [0, %d)", j, i, d.N))
		}
		copy(out.Images[j*dim:(j+1)*dim], d.Images[i*dim:(i+1)*dim])
		if d.Pixels != nil {
			copy(out.Pixels[j*dim:(j+1)*dim], d.Pixels[i*dim:(i+1)*dim])
		}
		out.Labels[j] = d.Labels[i]
	}
	return out
}

// OneHot writes one row of `classes` values per label into dst: 1 in the
// label's column, 0 elsewhere. dst must have len(labels)*classes elements.
// It panics on a length mismatch or a label >= classes.
func OneHot(dst []float32, labels []uint8, classes int) {
	if classes <= 0 {
		panic(fmt.Sprintf("mnist.OneHot: classes = %d, want > 0", classes))
	}
	if len(dst) != len(labels)*classes {
		panic(fmt.Sprintf("mnist.OneHot: len(dst) = %d, want len(labels)*classes = %d*%d = %d",
			len(dst), len(labels), classes, len(labels)*classes))
	}
	clear(dst)
	for i, l := range labels {
		if int(l) >= classes {
			panic(fmt.Sprintf("mnist.OneHot: labels[%d] = %d, want < classes = %d", i, l, classes))
		}
		dst[i*classes+int(l)] = 1
	}
}
