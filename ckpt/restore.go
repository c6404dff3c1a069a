package ckpt

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// RestoreOptions adjusts Restore. The zero value is strict: every destination
// must be in the file with the same shape, and every tensor in the file must
// have a destination.
type RestoreOptions struct {
	// Skip reports names to leave untouched, whether or not the file has
	// them; they count as neither missing nor unexpected. Finetuning uses it
	// to reload the hidden layers and keep a freshly initialised output layer.
	Skip func(name string) bool
	// AllowUnexpected tolerates tensors in the file that no destination takes.
	AllowUnexpected bool
	// RejectNonFinite fails the restore if a tensor holds NaN or ±Inf.
	RejectNonFinite bool
}

// SkipPrefix returns a Skip function for names starting with any of prefixes,
// such as "dense1/" for a whole layer.
func SkipPrefix(prefixes ...string) func(string) bool {
	prefixes = slices.Clone(prefixes)
	return func(name string) bool {
		for _, p := range prefixes {
			if strings.HasPrefix(name, p) {
				return true
			}
		}
		return false
	}
}

// Restore opens the checkpoint at path, fills each destination's Data from
// the tensor of the same name and returns the file's metadata. See
// (*File).Restore.
func Restore(path string, dst []Tensor, opt RestoreOptions) (meta map[string]string, err error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := f.Restore(dst, opt); err != nil {
		return nil, err
	}
	return f.Meta(), nil
}

// Restore fills each destination's Data from the tensor of the same name,
// matching by name only, so the order in which a model created its variables
// does not matter. Shapes must be equal: a checkpoint [10 64] never fills a
// model [64 10], although their sizes agree.
//
// It is all-or-nothing. Names and shapes are all checked first, and a
// *RestoreError lists every missing, unexpected and shape-mismatched name at
// once with both shapes; then every payload is read and its checksum checked
// into temporary buffers; only then are the destinations written. On any
// error, no destination has been modified.
//
// Destinations must have distinct names and len(Data) equal to the product of
// Shape; otherwise Restore returns an error before reading anything.
func (f *File) Restore(dst []Tensor, opt RestoreOptions) error {
	skip := opt.Skip
	if skip == nil {
		skip = func(string) bool { return false }
	}
	byName := make(map[string]int, len(dst))
	for i, d := range dst {
		if j, dup := byName[d.Name]; dup {
			return fmt.Errorf("ckpt: restore %q: destinations %d and %d are both named %q", f.path, j, i, d.Name)
		}
		byName[d.Name] = i
		n, err := shapeElements(d.Shape)
		if err != nil {
			return fmt.Errorf("ckpt: restore %q: destination %q: %w", f.path, d.Name, err)
		}
		if uint64(len(d.Data)) != n {
			return fmt.Errorf("ckpt: restore %q: destination %q: shape %v has %d elements but Data has %d", f.path, d.Name, d.Shape, n, len(d.Data))
		}
	}

	rerr := &RestoreError{Path: f.path}
	type job struct {
		file *TensorInfo
		dst  []float32
	}
	var jobs []job
	for i := range f.tensors {
		t := &f.tensors[i]
		if skip(t.Name) {
			continue
		}
		j, ok := byName[t.Name]
		if !ok {
			if !opt.AllowUnexpected {
				rerr.Unexpected = append(rerr.Unexpected, Named{t.Name, slices.Clone(t.Shape)})
			}
			continue
		}
		if d := dst[j]; !slices.Equal(d.Shape, t.Shape) {
			rerr.Mismatched = append(rerr.Mismatched, ShapeMismatch{t.Name, slices.Clone(t.Shape), slices.Clone(d.Shape)})
			continue
		}
		jobs = append(jobs, job{t, dst[j].Data})
	}
	for _, d := range dst {
		if _, ok := f.find(d.Name); !ok && !skip(d.Name) {
			rerr.Missing = append(rerr.Missing, Named{d.Name, slices.Clone(d.Shape)})
		}
	}
	if len(rerr.Missing)+len(rerr.Unexpected)+len(rerr.Mismatched) > 0 {
		slices.SortFunc(rerr.Missing, func(a, b Named) int { return strings.Compare(a.Name, b.Name) })
		return rerr
	}

	// Stage every payload before touching any destination.
	total := 0
	for _, j := range jobs {
		total += len(j.dst)
	}
	slab := getStaging(total)
	defer putStaging(slab)
	staged := make([][]float32, len(jobs))
	for i, j := range jobs {
		buf := slab[:len(j.dst):len(j.dst)]
		slab = slab[len(j.dst):]
		if err := f.readPayload(j.file, buf); err != nil {
			return err
		}
		if opt.RejectNonFinite {
			if err := checkFinite(j.file.Name, buf); err != nil {
				return fmt.Errorf("ckpt: restore %q: %w", f.path, err)
			}
		}
		staged[i] = buf
	}
	for i, j := range jobs {
		copy(j.dst, staged[i])
	}
	return nil
}

// stagingPool recycles Restore's staging memory. An all-or-nothing restore
// must hold a verified copy of every payload before it writes any
// destination; reusing that buffer saves page-faulting a fresh model-sized
// allocation on every restore (ensembles and evaluation restore repeatedly).
var stagingPool sync.Pool // of *[]float32

// maxPooledStaging bounds what the pool keeps alive between restores.
const maxPooledStaging = 64 << 20 / 4 // elements (64 MiB)

func getStaging(n int) []float32 {
	if p, ok := stagingPool.Get().(*[]float32); ok && cap(*p) >= n {
		return (*p)[:n]
	}
	return make([]float32, n)
}

func putStaging(s []float32) {
	if c := cap(s); c > 0 && c <= maxPooledStaging {
		s = s[:0]
		stagingPool.Put(&s)
	}
}
