package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"testing"
)

// FuzzRead feeds arbitrary image and label bytes to Read. It must never
// panic; every failure must be a *FileError naming one of the inputs; and a
// success must agree with an independent decoding of the same bytes. The
// committed corpus in testdata/fuzz/FuzzRead holds valid, gzip, truncated,
// oversized and inconsistent files.
func FuzzRead(f *testing.F) {
	images, labels, _, _ := smallSet()
	f.Add(images, labels)
	f.Add(gzipBytes(f, images), gzipBytes(f, labels))
	f.Add(images[:10], labels)
	f.Add(idxFile(imagesMagic, []uint32{1 << 30, 1 << 10, 1 << 10}, nil), labels)

	f.Fuzz(func(t *testing.T, images, labels []byte) {
		d, err := Read(bytes.NewReader(images), bytes.NewReader(labels))
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) || (fe.File != "images" && fe.File != "labels") {
				t.Fatalf("error %v (%T) is not a *FileError naming an input", err, err)
			}
			return
		}
		// An independent decoding: inflate if gzip, then read the header
		// fields at their fixed offsets.
		rawImages, rawLabels := inflateIfGzip(t, images), inflateIfGzip(t, labels)
		if len(rawImages) < 16 || len(rawLabels) < 8 {
			t.Fatalf("accepted %d image and %d label bytes, shorter than the headers", len(rawImages), len(rawLabels))
		}
		n := int(binary.BigEndian.Uint32(rawImages[4:]))
		rows := int(binary.BigEndian.Uint32(rawImages[8:]))
		cols := int(binary.BigEndian.Uint32(rawImages[12:]))
		if binary.BigEndian.Uint32(rawImages) != 0x803 || binary.BigEndian.Uint32(rawLabels) != 0x801 {
			t.Fatalf("accepted magics %x, %x", rawImages[:4], rawLabels[:4])
		}
		if d.N != n || d.Rows != rows || d.Cols != cols || n == 0 || rows == 0 || cols == 0 ||
			int(binary.BigEndian.Uint32(rawLabels[4:])) != n {
			t.Fatalf("shape N=%d %d×%d, header says %d %d×%d with %d labels", d.N, d.Rows, d.Cols, n, rows, cols, binary.BigEndian.Uint32(rawLabels[4:]))
		}
		if len(rawImages) != 16+n*rows*cols || len(rawLabels) != 8+n {
			t.Fatalf("accepted %d image bytes and %d label bytes for %d×%d×%d", len(rawImages), len(rawLabels), n, rows, cols)
		}
		if len(d.Images) != n*rows*cols || len(d.Labels) != n {
			t.Fatalf("len(Images) = %d, len(Labels) = %d for %d×%d×%d", len(d.Images), len(d.Labels), n, rows, cols)
		}
		for i, p := range rawImages[16:] {
			if d.Images[i] != float32(p)/255 {
				t.Fatalf("pixel %d = %v from byte %d", i, d.Images[i], p)
			}
		}
		if !bytes.Equal(d.Labels, rawLabels[8:]) {
			t.Fatalf("labels %v, want %v", d.Labels, rawLabels[8:])
		}
		for i, l := range d.Labels {
			if l > 9 {
				t.Fatalf("label %d = %d accepted", i, l)
			}
		}
	})
}

// inflateIfGzip returns b, decompressed if it is gzip. Read accepted it, so
// it must decompress.
func inflateIfGzip(t *testing.T, b []byte) []byte {
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		return b
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("Read accepted gzip that gzip rejects: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("Read accepted gzip that gzip rejects: %v", err)
	}
	return out
}
