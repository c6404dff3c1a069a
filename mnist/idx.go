package mnist

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// IDX magic numbers: two zero bytes, the element type (0x08 = unsigned byte)
// and the number of dimensions.
const (
	imagesMagic = 0x00000803 // ubyte, 3 dimensions: count × rows × cols
	labelsMagic = 0x00000801 // ubyte, 1 dimension: count
)

// DefaultMaxBytes is the largest IDX payload (the pixel or label bytes after
// decompression, header excluded) that Read accepts from one file: 2 GiB.
// Real MNIST is 47 MB. The bound exists so that a header claiming a huge
// size, or a gzip bomb, is rejected before memory is committed to it.
const DefaultMaxBytes int64 = 1 << 31

// Errors returned by the reader, wrapped in a *FileError that names the file.
// Test them with errors.Is.
var (
	ErrMagic         = errors.New("wrong IDX magic number")
	ErrShape         = errors.New("invalid IDX dimensions")
	ErrTooLarge      = errors.New("IDX payload larger than the allowed maximum")
	ErrTruncated     = errors.New("IDX data truncated")
	ErrTrailingData  = errors.New("trailing bytes after IDX data")
	ErrCountMismatch = errors.New("image and label counts differ")
	ErrLabelRange    = errors.New("label out of range")
)

// FileError reports a problem with one input file. File is a path when the
// data came from disk, otherwise "images" or "labels".
type FileError struct {
	File string
	Err  error
}

func (e *FileError) Error() string { return "mnist: " + e.File + ": " + e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

// ReadOptions adjusts Read for IDX sets other than MNIST. The zero value reads
// MNIST: ten classes, payloads up to DefaultMaxBytes.
type ReadOptions struct {
	// Classes is the number of label values: every label must be below it.
	// 0 means 10; the IDX label type allows at most 256.
	Classes int
	// MaxBytes caps the payload of each file (see DefaultMaxBytes); 0 means
	// DefaultMaxBytes.
	MaxBytes int64
	// ImagesName and LabelsName name the inputs in errors; empty means
	// "images" and "labels".
	ImagesName, LabelsName string
}

// Read decodes an IDX image file (magic 0x00000803, count × rows × cols
// unsigned bytes) and the matching IDX label file (magic 0x00000801). Each
// may be plain or gzip-compressed; the format is detected from the first
// bytes, never from a name. See ReadOptions.Read for the checks.
func Read(images, labels io.Reader) (*Dataset, error) {
	return ReadOptions{}.Read(images, labels)
}

// Read is the configurable form of the package-level Read. It rejects, with
// a *FileError wrapping one of the Err* values (or the gzip error): a wrong
// magic or dimension count, a zero dimension, a payload over MaxBytes,
// truncated data, bytes after the declared data (including anything after
// the gzip stream: a gzip input must be a single member, as the published
// files are), a corrupt gzip stream, different image and label counts and
// labels outside 0..Classes-1. Memory grows only with data actually read, so
// a short file cannot make Read allocate what its header claims.
func (o ReadOptions) Read(images, labels io.Reader) (*Dataset, error) {
	classes := o.Classes
	if classes == 0 {
		classes = 10
	}
	if classes < 1 || classes > 256 {
		panic(fmt.Sprintf("mnist.ReadOptions.Read: Classes = %d, want 1..256 (or 0 for 10)", o.Classes))
	}
	maxBytes := o.MaxBytes
	if maxBytes == 0 {
		maxBytes = DefaultMaxBytes
	}
	if maxBytes < 0 {
		panic(fmt.Sprintf("mnist.ReadOptions.Read: MaxBytes = %d, want >= 0", o.MaxBytes))
	}
	imagesName, labelsName := o.ImagesName, o.LabelsName
	if imagesName == "" {
		imagesName = "images"
	}
	if labelsName == "" {
		labelsName = "labels"
	}

	pixels, dims, err := readIDX(images, imagesMagic, maxBytes)
	if err != nil {
		return nil, &FileError{imagesName, err}
	}
	labelBytes, labelDims, err := readIDX(labels, labelsMagic, maxBytes)
	if err != nil {
		return nil, &FileError{labelsName, err}
	}
	n, rows, cols := dims[0], dims[1], dims[2]
	if labelDims[0] != n {
		return nil, &FileError{labelsName, fmt.Errorf("%w: %d labels for %d images in %s", ErrCountMismatch, labelDims[0], n, imagesName)}
	}
	for i, l := range labelBytes {
		if int(l) >= classes {
			return nil, &FileError{labelsName, fmt.Errorf("%w: label %d at index %d, want 0..%d", ErrLabelRange, l, i, classes-1)}
		}
	}

	// len(pixels) is the number of bytes actually read and checked against
	// the header, so this allocation is backed by real input. readIDX
	// guarantees len(pixels) <= math.MaxInt/4.
	scaled := make([]float32, len(pixels))
	for i, p := range pixels {
		scaled[i] = byteToUnit[p]
	}
	return &Dataset{Images: scaled, Pixels: pixels[:len(pixels):len(pixels)], Labels: labelBytes, N: n, Rows: rows, Cols: cols}, nil
}

// byteToUnit maps a pixel byte to [0,1]. A table keeps the conversion the
// same on every platform and avoids a division per pixel.
var byteToUnit = func() (t [256]float32) {
	for i := range t {
		t[i] = float32(i) / 255
	}
	return t
}()

// readIDX reads one IDX file of unsigned bytes with the given magic and
// returns its payload and dimensions. It decompresses gzip input, reads the
// stream to its end (so gzip's CRC and length trailer are checked) and
// requires the payload to be exactly the product of the dimensions.
func readIDX(r io.Reader, magic uint32, maxBytes int64) (payload []byte, dims []int, err error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(2)
	if err != nil && len(head) == 0 {
		if err == io.EOF {
			return nil, nil, fmt.Errorf("%w: empty input", ErrTruncated)
		}
		return nil, nil, err
	}
	var src io.Reader = br
	compressed := len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b
	if compressed {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, fmt.Errorf("gzip header: %w", unexpectedEOF(err))
		}
		defer zr.Close()
		// One member only, so that bytes after it are caught below rather
		// than parsed as a second member. The published files are single
		// members.
		zr.Multistream(false)
		src = zr
	}

	var hdr [4]byte
	if _, err := io.ReadFull(src, hdr[:]); err != nil {
		return nil, nil, fmt.Errorf("reading magic: %w", unexpectedEOF(err))
	}
	if got := binary.BigEndian.Uint32(hdr[:]); got != magic {
		return nil, nil, fmt.Errorf("%w: got 0x%08x, want 0x%08x (%s)", ErrMagic, got, magic, describeMagic(magic))
	}
	ndims := int(magic & 0xff)
	dims = make([]int, ndims) // at most 3: ndims comes from our constant, not the input
	size := int64(1)
	for i := range dims {
		if _, err := io.ReadFull(src, hdr[:]); err != nil {
			return nil, nil, fmt.Errorf("reading dimension %d of %d: %w", i+1, ndims, unexpectedEOF(err))
		}
		d := int64(binary.BigEndian.Uint32(hdr[:]))
		if d == 0 {
			return nil, nil, fmt.Errorf("%w: dimension %d is 0", ErrShape, i+1)
		}
		// size <= maxBytes holds before this step, so comparing by division
		// keeps size*d <= maxBytes without overflowing int64.
		if size > maxBytes/d {
			return nil, nil, fmt.Errorf("%w: dimension %d = %d takes the payload past %d bytes", ErrTooLarge, i+1, d, maxBytes)
		}
		size *= d
		if size > math.MaxInt/4 {
			// Keep every count an int, and the float32 copy of the pixels
			// addressable, on 32-bit platforms (d <= size, so d fits too).
			return nil, nil, fmt.Errorf("%w: dimension %d = %d takes the payload past what this platform can address", ErrTooLarge, i+1, d)
		}
		dims[i] = int(d)
	}

	payload, err = readAtMost(src, size)
	if err != nil {
		return nil, nil, err
	}
	if int64(len(payload)) < size {
		return nil, nil, fmt.Errorf("%w: got %d of %d payload bytes (dimensions %v)", ErrTruncated, len(payload), size, dims)
	}
	// The payload is complete; the stream must end here. Reading on also
	// makes gzip verify its checksum and detect bytes after the stream.
	var extra [1]byte
	nExtra, err := io.ReadFull(src, extra[:])
	switch {
	case nExtra > 0:
		return nil, nil, fmt.Errorf("%w: data continues past the %d payload bytes that dimensions %v declare", ErrTrailingData, size, dims)
	case err == io.EOF && compressed:
		// The gzip member ended exactly after the payload and its CRC and
		// length matched; nothing may follow it in the file.
		if _, err := br.Peek(1); err != io.EOF {
			if err != nil {
				return nil, nil, fmt.Errorf("after gzip stream: %w", err)
			}
			return nil, nil, fmt.Errorf("%w: bytes after the gzip stream", ErrTrailingData)
		}
		return payload, dims, nil
	case err == io.EOF:
		return payload, dims, nil
	default:
		return nil, nil, fmt.Errorf("after payload: %w", unexpectedEOF(err))
	}
}

// readAtMost reads up to n bytes. Its buffer starts small and doubles, so
// the memory used is proportional to the bytes the reader really delivers,
// never to n alone. It returns a short slice, without error, on EOF.
func readAtMost(r io.Reader, n int64) ([]byte, error) {
	const initial = 64 << 10
	buf := make([]byte, 0, min(n, initial))
	for int64(len(buf)) < n {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(n, 2*int64(cap(buf))))
			copy(grown, buf)
			buf = grown
		}
		got, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+got]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading payload after %d bytes: %w", len(buf), unexpectedEOF(err))
		}
	}
	return buf, nil
}

// unexpectedEOF turns the EOF variants of a cut-short stream into
// ErrTruncated so callers can test for truncation whatever the encoding.
func unexpectedEOF(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w (%v)", ErrTruncated, err)
	}
	return err
}

func describeMagic(magic uint32) string {
	if magic == imagesMagic {
		return "IDX images: unsigned bytes, 3 dimensions"
	}
	return "IDX labels: unsigned bytes, 1 dimension"
}
