package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// idxFile builds an IDX file of unsigned bytes: magic, big-endian
// dimensions, payload. It writes exactly what it is given, so tests can
// build inconsistent files too.
func idxFile(magic uint32, dims []uint32, payload []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, magic)
	for _, d := range dims {
		binary.Write(&b, binary.BigEndian, d)
	}
	b.Write(payload)
	return b.Bytes()
}

func gzipBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// smallSet is a valid 3-example set of 2×4 images (not square, so a
// rows/cols swap would show) with pixels covering 0, 255 and values between.
func smallSet() (images, labels []byte, pixels []byte, labelValues []byte) {
	pixels = []byte{
		0, 1, 2, 3, 4, 5, 6, 7,
		255, 254, 128, 127, 0, 0, 0, 0,
		10, 20, 30, 40, 50, 60, 70, 80,
	}
	labelValues = []byte{7, 0, 9}
	return idxFile(imagesMagic, []uint32{3, 2, 4}, pixels), idxFile(labelsMagic, []uint32{3}, labelValues), pixels, labelValues
}

func TestReadPlainAndGzip(t *testing.T) {
	images, labels, pixels, labelValues := smallSet()
	encodings := map[string]func([]byte) []byte{
		"plain": func(b []byte) []byte { return b },
		"gzip":  func(b []byte) []byte { return gzipBytes(t, b) },
	}
	for imgEnc, encImg := range encodings {
		for lblEnc, encLbl := range encodings {
			t.Run("images="+imgEnc+"/labels="+lblEnc, func(t *testing.T) {
				d, err := Read(bytes.NewReader(encImg(images)), bytes.NewReader(encLbl(labels)))
				if err != nil {
					t.Fatal(err)
				}
				if d.N != 3 || d.Rows != 2 || d.Cols != 4 || d.Dim() != 8 {
					t.Fatalf("shape N=%d Rows=%d Cols=%d Dim=%d, want 3, 2, 4, 8", d.N, d.Rows, d.Cols, d.Dim())
				}
				if len(d.Images) != len(pixels) {
					t.Fatalf("len(Images) = %d, want %d", len(d.Images), len(pixels))
				}
				for i, p := range pixels {
					if want := float32(p) / 255; d.Images[i] != want {
						t.Errorf("Images[%d] = %v, want %d/255 = %v", i, d.Images[i], p, want)
					}
				}
				if !bytes.Equal(d.Pixels, pixels) || cap(d.Pixels) != len(pixels) {
					t.Errorf("Pixels = %v (cap %d), want the file's %v", d.Pixels, cap(d.Pixels), pixels)
				}
				palette := Palette()
				for i, p := range d.Pixels {
					if palette[p] != d.Images[i] {
						t.Errorf("Palette()[Pixels[%d]] = %v, Images[%d] = %v", i, palette[p], i, d.Images[i])
					}
				}
				palette[1] = -1 // a copy: the next call is unaffected
				if Palette()[1] != float32(1)/255 {
					t.Error("Palette returned the package's own table")
				}
				if d.Images[0] != 0 || d.Images[8] != 1 {
					t.Errorf("pixel 0 -> %v, 255 -> %v; want exactly 0 and 1", d.Images[0], d.Images[8])
				}
				if !bytes.Equal(d.Labels, labelValues) {
					t.Errorf("Labels = %v, want %v", d.Labels, labelValues)
				}
			})
		}
	}
}

// checkFileError asserts err is a *FileError for file that matches target.
func checkFileError(t *testing.T, err error, file string, target error) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v in %s", target, file)
	}
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("error %q (%T) is not a *FileError", err, err)
	}
	if fe.File != file {
		t.Errorf("error names file %q, want %q: %v", fe.File, file, err)
	}
	if !strings.Contains(err.Error(), file) {
		t.Errorf("error text %q does not name %q", err, file)
	}
	if target != nil && !errors.Is(err, target) {
		t.Errorf("error %q does not match %v", err, target)
	}
}

func TestReadEveryTruncation(t *testing.T) {
	images, labels, _, _ := smallSet()
	for _, enc := range []string{"plain", "gzip"} {
		img, lbl := images, labels
		if enc == "gzip" {
			img, lbl = gzipBytes(t, images), gzipBytes(t, labels)
		}
		for cut := range len(img) {
			_, err := Read(bytes.NewReader(img[:cut]), bytes.NewReader(lbl))
			if err == nil {
				t.Fatalf("%s images cut to %d of %d bytes: no error", enc, cut, len(img))
			}
			// A cut inside gzip's CRC field can only be caught as truncation;
			// every cut must be reported as such, naming the file.
			checkFileError(t, err, "images", ErrTruncated)
		}
		for cut := range len(lbl) {
			_, err := Read(bytes.NewReader(img), bytes.NewReader(lbl[:cut]))
			checkFileError(t, err, "labels", ErrTruncated)
		}
	}
}

func TestReadWrongMagic(t *testing.T) {
	images, labels, pixels, labelValues := smallSet()
	cases := map[string]struct {
		images, labels []byte
		file           string
	}{
		"labels as images":   {labels, labels, "images"},
		"images as labels":   {images, images, "labels"},
		"signed byte type":   {idxFile(0x00000903, []uint32{3, 2, 4}, pixels), labels, "images"},
		"two dimensions":     {idxFile(0x00000802, []uint32{3, 8}, pixels), labels, "images"},
		"nonzero first byte": {idxFile(0x01000803, []uint32{3, 2, 4}, pixels), labels, "images"},
		"label dims 2":       {images, idxFile(0x00000802, []uint32{3, 1}, labelValues), "labels"},
		"float labels":       {images, idxFile(0x00000d01, []uint32{3}, labelValues), "labels"},
		"text":               {[]byte("hello, world, not idx"), labels, "images"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(c.images), bytes.NewReader(c.labels))
			checkFileError(t, err, c.file, ErrMagic)
		})
	}
}

func TestReadZeroDimension(t *testing.T) {
	_, labels, _, _ := smallSet()
	for i := range 3 {
		dims := []uint32{3, 2, 4}
		dims[i] = 0
		_, err := Read(bytes.NewReader(idxFile(imagesMagic, dims, nil)), bytes.NewReader(labels))
		checkFileError(t, err, "images", ErrShape)
	}
	images, _, _, _ := smallSet()
	_, err := Read(bytes.NewReader(images), bytes.NewReader(idxFile(labelsMagic, []uint32{0}, nil)))
	checkFileError(t, err, "labels", ErrShape)
}

func TestReadCountMismatch(t *testing.T) {
	images, _, _, _ := smallSet()
	_, err := Read(bytes.NewReader(images), bytes.NewReader(idxFile(labelsMagic, []uint32{2}, []byte{1, 2})))
	checkFileError(t, err, "labels", ErrCountMismatch)
	if !strings.Contains(err.Error(), "2 labels for 3 images") {
		t.Errorf("error %q does not give both counts", err)
	}
}

func TestReadLabelRange(t *testing.T) {
	images, _, _, _ := smallSet()
	labels := idxFile(labelsMagic, []uint32{3}, []byte{1, 10, 2})
	_, err := Read(bytes.NewReader(images), bytes.NewReader(labels))
	checkFileError(t, err, "labels", ErrLabelRange)
	if !strings.Contains(err.Error(), "index 1") {
		t.Errorf("error %q does not say where the bad label is", err)
	}

	d, err := ReadOptions{Classes: 11}.Read(bytes.NewReader(images), bytes.NewReader(labels))
	if err != nil {
		t.Fatalf("Classes 11 should accept label 10: %v", err)
	}
	if d.Labels[1] != 10 {
		t.Errorf("Labels[1] = %d, want 10", d.Labels[1])
	}
	_, err = ReadOptions{Classes: 2}.Read(bytes.NewReader(images), bytes.NewReader(labels))
	checkFileError(t, err, "labels", ErrLabelRange)
}

func TestReadTrailingData(t *testing.T) {
	images, labels, _, _ := smallSet()
	t.Run("plain", func(t *testing.T) {
		_, err := Read(bytes.NewReader(append(images[:len(images):len(images)], 0)), bytes.NewReader(labels))
		checkFileError(t, err, "images", ErrTrailingData)
	})
	t.Run("inside gzip", func(t *testing.T) {
		_, err := Read(bytes.NewReader(images), bytes.NewReader(gzipBytes(t, append(labels[:len(labels):len(labels)], 3))))
		checkFileError(t, err, "labels", ErrTrailingData)
	})
	t.Run("after gzip", func(t *testing.T) {
		z := gzipBytes(t, images)
		_, err := Read(bytes.NewReader(append(z, "junk"...)), bytes.NewReader(labels))
		checkFileError(t, err, "images", ErrTrailingData)
	})
	t.Run("second gzip member with data", func(t *testing.T) {
		z := append(gzipBytes(t, images), gzipBytes(t, []byte{1})...)
		_, err := Read(bytes.NewReader(z), bytes.NewReader(labels))
		checkFileError(t, err, "images", ErrTrailingData)
	})
}

func TestReadCorruptGzip(t *testing.T) {
	images, labels, _, _ := smallSet()
	z := gzipBytes(t, images)
	z[len(z)-8] ^= 0xff // CRC-32 in the trailer
	_, err := Read(bytes.NewReader(z), bytes.NewReader(labels))
	checkFileError(t, err, "images", gzip.ErrChecksum)
}

// TestReadHugeHeaderSmallFile checks that a header claiming a large payload
// costs no more memory than the bytes actually present.
func TestReadHugeHeaderSmallFile(t *testing.T) {
	_, labels, _, _ := smallSet()
	// 250,000 images of 32×32 = 256 MB claimed, under the 2 GiB limit and
	// under what 32-bit platforms can address, so only the missing data can
	// stop it.
	claim := idxFile(imagesMagic, []uint32{250_000, 32, 32}, make([]byte, 100))
	for name, input := range map[string][]byte{"plain": claim, "gzip": gzipBytes(t, claim)} {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Read(bytes.NewReader(input), bytes.NewReader(labels))
			runtime.ReadMemStats(&after)
			checkFileError(t, err, "images", ErrTruncated)
			if allocated := after.TotalAlloc - before.TotalAlloc; allocated > 4<<20 {
				t.Errorf("Read allocated %d bytes for a %d-byte input", allocated, len(input))
			}
		})
	}
}

func TestReadTooLarge(t *testing.T) {
	_, labels, _, _ := smallSet()
	huge := idxFile(imagesMagic, []uint32{0xffffffff, 0xffffffff, 0xffffffff}, nil)
	_, err := Read(bytes.NewReader(huge), bytes.NewReader(labels))
	checkFileError(t, err, "images", ErrTooLarge)

	// Just over the default limit: 2^31 + 2^11 bytes.
	over := idxFile(imagesMagic, []uint32{1<<20 + 1, 32, 64}, nil)
	_, err = Read(bytes.NewReader(over), bytes.NewReader(labels))
	checkFileError(t, err, "images", ErrTooLarge)

	images, _, _, _ := smallSet()
	_, err = ReadOptions{MaxBytes: 23}.Read(bytes.NewReader(images), bytes.NewReader(labels))
	checkFileError(t, err, "images", ErrTooLarge)
	if _, err := (ReadOptions{MaxBytes: 24}).Read(bytes.NewReader(images), bytes.NewReader(labels)); err != nil {
		t.Errorf("MaxBytes equal to the 24-byte payload should pass: %v", err)
	}
}

func TestReadNamesFiles(t *testing.T) {
	images, _, _, _ := smallSet()
	_, err := ReadOptions{ImagesName: "dir/train-images", LabelsName: "dir/train-labels"}.Read(
		bytes.NewReader(images), bytes.NewReader(nil))
	checkFileError(t, err, "dir/train-labels", ErrTruncated)
}

func TestReadOptionsPanics(t *testing.T) {
	images, labels, _, _ := smallSet()
	expectPanic(t, "mnist.ReadOptions.Read: Classes", func() {
		ReadOptions{Classes: 257}.Read(bytes.NewReader(images), bytes.NewReader(labels))
	})
	expectPanic(t, "mnist.ReadOptions.Read: MaxBytes", func() {
		ReadOptions{MaxBytes: -1}.Read(bytes.NewReader(images), bytes.NewReader(labels))
	})
}

// expectPanic runs f and checks that it panics with a message containing want.
func expectPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Fatalf("no panic, want one containing %q", want)
		}
		if msg, ok := r.(string); !ok || !strings.Contains(msg, want) {
			t.Fatalf("panic %v, want a message containing %q", r, want)
		}
	}()
	f()
}
