package ckpt

import (
	"bytes"
	"errors"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// specialValues holds floats whose bits must survive a round trip exactly:
// quiet and signalling NaNs with payloads, infinities, signed zeros,
// subnormals and the extremes.
var specialValues = []float32{
	math.Float32frombits(0x7fc00000), // quiet NaN
	math.Float32frombits(0x7f800001), // signalling NaN, payload 1
	math.Float32frombits(0xffc12345), // negative quiet NaN with payload
	float32(math.Inf(1)), float32(math.Inf(-1)),
	0, float32(math.Copysign(0, -1)),
	math.Float32frombits(1), math.Float32frombits(0x807fffff), // subnormals
	math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32, 1, -1.5,
}

func roundTripTensors() []Tensor {
	ts := mlpTensors(2, 5, 7, 3)
	ts = append(ts,
		Tensor{Name: "special", Shape: []int{len(specialValues)}, Data: slices.Clone(specialValues)},
		Tensor{Name: "scalar", Shape: nil, Data: []float32{42}},
		Tensor{Name: "empty", Shape: []int{3, 0, 2}, Data: nil},
		Tensor{Name: "Upper.case:ok-_/x", Shape: []int{1, 1, 1, 1, 1, 1, 1, 1}, Data: []float32{-7}},
	)
	return ts
}

func TestRoundTrip(t *testing.T) {
	ts := roundTripTensors()
	meta := map[string]string{"arch.layers": "5,7,3", "note": "ünïcode ✓ and spaces", "empty": ""}
	path := filepath.Join(t.TempDir(), "rt.ckpt")
	if err := Save(path, ts, meta); err != nil {
		t.Fatal(err)
	}
	want := map[string]Tensor{}
	for _, tt := range ts {
		want[tt.Name] = tt
	}
	names := slices.Sorted(maps.Keys(want))

	check := func(t *testing.T, f *File, read func(string) ([]float32, error)) {
		if !maps.Equal(f.Meta(), meta) {
			t.Errorf("Meta() = %v, want %v", f.Meta(), meta)
		}
		infos := f.Tensors()
		var got []string
		for _, info := range infos {
			got = append(got, info.Name)
			w := want[info.Name]
			if info.DType != Float32 || !slices.Equal(info.Shape, w.Shape) && !(len(w.Shape) == 0 && len(info.Shape) == 0) {
				t.Errorf("%s: dtype %v shape %v, want float32 %v", info.Name, info.DType, info.Shape, w.Shape)
			}
			if info.Offset%64 != 0 || info.Length != int64(4*len(w.Data)) {
				t.Errorf("%s: offset %d length %d", info.Name, info.Offset, info.Length)
			}
			data, err := read(info.Name)
			if err != nil {
				t.Fatalf("read %s: %v", info.Name, err)
			}
			if !sameBits(data, w.Data) {
				t.Errorf("%s: data differs bitwise: %v vs %v", info.Name, data, w.Data)
			}
		}
		if !slices.Equal(got, names) {
			t.Errorf("Tensors() names %v, want sorted %v", got, names)
		}
	}
	t.Run("Open/Read", func(t *testing.T) {
		f, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		check(t, f, f.Read)
		if maj, min := f.Version(); maj != 1 || min != 0 {
			t.Errorf("Version() = %d.%d", maj, min)
		}
	})
	t.Run("Open/ReadInto", func(t *testing.T) {
		f, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		check(t, f, func(name string) ([]float32, error) {
			info, _ := f.Lookup(name)
			dst := make([]float32, info.NumElements())
			return dst, f.ReadInto(name, dst)
		})
		if err := f.ReadInto("dense0/bias", make([]float32, 3)); err == nil || !strings.Contains(err.Error(), "dense0/bias") {
			t.Errorf("ReadInto with a wrong length: %v", err)
		}
	})
	t.Run("LoadFile/View", func(t *testing.T) {
		f, err := LoadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !hostLittleEndian { // payloads need byte-swapping: no view
			_, err := f.View("dense0/weights")
			mustKind(t, err, ErrNoZeroCopy)
			check(t, f, f.Read)
			return
		}
		check(t, f, f.View)
		v, _ := f.View("dense0/weights")
		if p := uintptr(unsafe.Pointer(&v[0])); p%64 != 0 {
			t.Errorf("LoadFile view at %#x is not 64-byte aligned", p)
		}
	})
	t.Run("Restore", func(t *testing.T) {
		var dst []Tensor
		for _, n := range names {
			dst = append(dst, Tensor{Name: n, Shape: want[n].Shape, Data: make([]float32, len(want[n].Data))})
		}
		gotMeta, err := Restore(path, dst, RestoreOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(gotMeta, meta) {
			t.Errorf("meta %v", gotMeta)
		}
		for _, d := range dst {
			if !sameBits(d.Data, want[d.Name].Data) {
				t.Errorf("%s restored %v", d.Name, d.Data)
			}
		}
	})
}

func TestCanonicalEncoding(t *testing.T) {
	ts := roundTripTensors()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := Save(a, ts, smallMeta); err != nil {
		t.Fatal(err)
	}
	// The same tensors in another order and the metadata in a fresh map
	// (another iteration order) must give the same bytes.
	rev := slices.Clone(ts)
	slices.Reverse(rev)
	if err := Save(b, rev, maps.Clone(smallMeta)); err != nil {
		t.Fatal(err)
	}
	ab, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	if !bytes.Equal(ab, bb) {
		t.Fatal("saving the same tensors twice gave different bytes")
	}
	mb, err := Marshal(rev, smallMeta, SaveOptions{})
	if err != nil || !bytes.Equal(mb, ab) {
		t.Fatalf("Marshal differs from Save (err %v)", err)
	}
	if int64(len(ab))%64 != 0 {
		t.Errorf("file length %d is not a multiple of 64", len(ab))
	}
	// Save must not reorder the caller's slice.
	if ts[0].Name != "dense0/weights" {
		t.Errorf("Save reordered its input")
	}
}

func TestEmptyCheckpoint(t *testing.T) {
	b, err := Marshal(nil, nil, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 64 {
		t.Fatalf("empty checkpoint is %d bytes, want just the 64-byte header", len(b))
	}
	f, err := OpenBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Tensors()) != 0 || len(f.Meta()) != 0 {
		t.Fatal("empty checkpoint lists something")
	}
	_, err = f.Read("x")
	mustKind(t, err, ErrNotFound)
}

func TestSaveRejectsBadInput(t *testing.T) {
	ok := Tensor{Name: "ok", Shape: []int{2}, Data: []float32{1, 2}}
	cases := []struct {
		name    string
		tensors []Tensor
		meta    map[string]string
		opt     SaveOptions
		want    string
	}{
		{"empty name", []Tensor{{Name: "", Shape: []int{1}, Data: []float32{1}}}, nil, SaveOptions{}, "empty"},
		{"space in name", []Tensor{{Name: "a b", Shape: []int{1}, Data: []float32{1}}}, nil, SaveOptions{}, `" "`},
		{"non-ASCII name", []Tensor{{Name: "poids_é", Shape: []int{1}, Data: []float32{1}}}, nil, SaveOptions{}, `byte "\xc3" at index 6`},
		{"long name", []Tensor{{Name: strings.Repeat("a", 256), Shape: []int{1}, Data: []float32{1}}}, nil, SaveOptions{}, "256 bytes"},
		{"duplicate", []Tensor{ok, ok}, nil, SaveOptions{}, `two tensors are named "ok"`},
		{"data length", []Tensor{{Name: "x", Shape: []int{2, 3}, Data: make([]float32, 5)}}, nil, SaveOptions{}, "6 elements but Data has 5"},
		{"negative dim", []Tensor{{Name: "x", Shape: []int{-1}, Data: nil}}, nil, SaveOptions{}, "outside"},
		{"rank 9", []Tensor{{Name: "x", Shape: make([]int, 9), Data: nil}}, nil, SaveOptions{}, "rank 9"},
		{"bad key", []Tensor{ok}, map[string]string{"a=b": "c"}, SaveOptions{}, "metadata key"},
		{"invalid UTF-8 value", []Tensor{ok}, map[string]string{"k": "\xff"}, SaveOptions{}, "UTF-8"},
		{"long value", []Tensor{ok}, map[string]string{"k": strings.Repeat("v", MaxMetaValLen+1)}, SaveOptions{}, "limit"},
		{"NaN refused", []Tensor{ok, {Name: "w", Shape: []int{3}, Data: []float32{1, float32(math.NaN()), float32(math.Inf(1))}}}, nil,
			SaveOptions{RejectNonFinite: true}, `tensor "w": non-finite value: 2 NaN/Inf values, the first at index 1`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.ckpt")
			err := SaveWithOptions(path, c.tensors, c.meta, c.opt)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error containing %q", err, c.want)
			}
			if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 0 {
				t.Fatalf("a refused save left files: %v", entries)
			}
		})
	}
}

func TestSaveOverOpenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.ckpt")
	old := mlpTensors(1, 4, 3)
	if err := Save(path, old, nil); err != nil {
		t.Fatal(err)
	}
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := Save(path, mlpTensors(9, 4, 3), nil); err != nil {
		t.Fatal(err)
	}
	// The open File still reads the old bytes: Save replaced the directory
	// entry and never wrote into the old file.
	got, err := f.Read("dense0/weights")
	if err != nil || !sameBits(got, old[0].Data) {
		t.Fatalf("reading the replaced file: %v", err)
	}
}

func TestTruncatedAfterOpen(t *testing.T) {
	path := writeFile(t, validFile(t))
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	last := f.Tensors()[len(f.Tensors())-1]
	if err := os.Truncate(path, last.Offset+2); err != nil {
		t.Fatal(err)
	}
	_, err = f.Read(last.Name)
	mustKind(t, err, ErrTruncated)
	if !strings.Contains(err.Error(), last.Name) {
		t.Errorf("error does not name the tensor: %v", err)
	}
}

func TestViewNeedsMemoryAndAlignment(t *testing.T) {
	b := validFile(t)
	f, err := Open(writeFile(t, b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = f.View("dense0/bias")
	mustKind(t, err, ErrNoZeroCopy)

	// Place the file at an address that is 4-byte aligned plus 1.
	buf := make([]byte, len(b)+8)
	off := 1 + int(-uintptr(unsafe.Pointer(&buf[0]))&3)
	shifted := buf[off : off+len(b)]
	copy(shifted, b)
	g, err := OpenBytes(shifted)
	if err != nil {
		t.Fatal(err)
	}
	_, err = g.View("dense0/bias")
	mustKind(t, err, ErrNoZeroCopy)
	if got, err := g.Read("dense0/bias"); err != nil || len(got) != 3 {
		t.Fatalf("Read of an unaligned in-memory file: %v", err)
	}
}

func TestReadAfterClose(t *testing.T) {
	f, err := Open(writeFile(t, validFile(t)))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Read("dense0/bias"); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("read after close: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestOpenErrorsAreNotPathless(t *testing.T) {
	_, err := Open(filepath.Join(t.TempDir(), "nope.ckpt"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
	_, err = Open(t.TempDir())
	mustKind(t, err, ErrNotCheckpoint)
}

func TestLoadFileRejectsBadFiles(t *testing.T) {
	for name, b := range map[string][]byte{
		"text":      []byte("hello\n"),
		"truncated": validFile(t)[:700],
		"appended":  append(validFile(t), 0),
	} {
		if _, err := LoadFile(writeFile(t, b)); err == nil {
			t.Errorf("%s: LoadFile accepted it", name)
		}
	}
	var zero TensorInfo
	if zero.NumElements() != 0 {
		t.Error("zero TensorInfo has elements")
	}
}
