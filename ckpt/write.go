package ckpt

import (
	"bufio"
	"fmt"
	"hash/crc32"
	"io"
	"maps"
	"math"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"
)

// Tensor is a named float32 tensor. len(Data) must equal the product of Shape
// (1 for an empty Shape, which is a scalar).
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32
}

// SaveOptions adjusts Save.
type SaveOptions struct {
	// RejectNonFinite makes Save fail, naming the tensor and the first bad
	// index, if any value is NaN or ±Inf: a diverged model is better caught
	// before it replaces a good checkpoint. By default such values are saved
	// and restored bit for bit.
	RejectNonFinite bool
}

// Save writes tensors and metadata to path atomically and durably, with
// default options. See SaveWithOptions.
func Save(path string, tensors []Tensor, meta map[string]string) error {
	return SaveWithOptions(path, tensors, meta, SaveOptions{})
}

// SaveWithOptions writes tensors and metadata to path. Tensor names and
// metadata keys are 1 to 255 bytes of [A-Za-z0-9_.:/-] and must be unique;
// metadata values are valid UTF-8 of at most 64 KiB. The order of tensors does
// not matter: the file stores them sorted by name, so the same input always
// gives the same bytes.
//
// The file is written to a temporary file in the same directory, synced,
// renamed over path and the directory is synced. If an error occurs before the
// rename, the file previously at path is unchanged and the temporary file is
// removed. If only the final directory sync fails, path already holds the new,
// complete checkpoint, but the rename may not survive a power loss; the error
// says so.
func SaveWithOptions(path string, tensors []Tensor, meta map[string]string, opt SaveOptions) error {
	l, err := plan(tensors, meta, opt)
	if err != nil {
		return fmt.Errorf("ckpt: save %q: %w", path, err)
	}
	if err := saveAtomic(path, l); err != nil {
		return fmt.Errorf("ckpt: save %q: %w", path, err)
	}
	return nil
}

// layout is a validated checkpoint ready to be written: the header and index
// with every field filled in except the CRCs, which are computed from the
// bytes as they are written.
type layout struct {
	tensors []Tensor // sorted by name
	prefix  []byte   // header, index and padding: bytes [0, data_offset)
	offsets []uint64 // payload offsets relative to data_offset
	indexSz uint64
}

func plan(tensors []Tensor, meta map[string]string, opt SaveOptions) (*layout, error) {
	if len(tensors) > MaxTensors {
		return nil, fmt.Errorf("%d tensors, the limit is %d", len(tensors), MaxTensors)
	}
	if len(meta) > MaxMeta {
		return nil, fmt.Errorf("%d metadata entries, the limit is %d", len(meta), MaxMeta)
	}
	sorted := slices.Clone(tensors)
	slices.SortFunc(sorted, func(a, b Tensor) int { return strings.Compare(a.Name, b.Name) })
	strLen := uint64(0)
	for i, t := range sorted {
		if !validName(t.Name) {
			return nil, fmt.Errorf("tensor %q: %s", t.Name, nameProblem(t.Name))
		}
		if i > 0 && t.Name == sorted[i-1].Name {
			return nil, fmt.Errorf("two tensors are named %q", t.Name)
		}
		if len(t.Shape) > MaxRank {
			return nil, fmt.Errorf("tensor %q: rank %d, the limit is %d", t.Name, len(t.Shape), MaxRank)
		}
		numel, err := shapeElements(t.Shape)
		if err != nil {
			return nil, fmt.Errorf("tensor %q: %w", t.Name, err)
		}
		if uint64(len(t.Data)) != numel {
			return nil, fmt.Errorf("tensor %q: shape %v has %d elements but Data has %d", t.Name, t.Shape, numel, len(t.Data))
		}
		if opt.RejectNonFinite {
			if err := checkFinite(t.Name, t.Data); err != nil {
				return nil, err
			}
		}
		strLen += uint64(len(t.Name))
	}
	keys := slices.Sorted(maps.Keys(meta))
	for _, k := range keys {
		if !validName(k) {
			return nil, fmt.Errorf("metadata key %q: %s", k, strings.Replace(nameProblem(k), "name", "key", 1))
		}
		v := meta[k]
		if len(v) > MaxMetaValLen {
			return nil, fmt.Errorf("metadata %q: value is %d bytes, the limit is %d", k, len(v), MaxMetaValLen)
		}
		if !utf8.ValidString(v) {
			return nil, fmt.Errorf("metadata %q: value is not valid UTF-8", k)
		}
		strLen += uint64(len(k) + len(v))
	}
	nt, nm := uint64(len(sorted)), uint64(len(keys))
	entries := nt*tensorEntSize + nm*metaEntSize
	indexSize := entries + strLen
	if indexSize > MaxIndexSize {
		return nil, fmt.Errorf("index of %d bytes (names, keys and values), the limit is %d", indexSize, MaxIndexSize)
	}
	dataOffset := alignUp(headerSize + indexSize)
	l := &layout{tensors: sorted, prefix: make([]byte, dataOffset), offsets: make([]uint64, nt), indexSz: indexSize}
	h := l.prefix[:headerSize]
	copy(h, magic[:])
	le.PutUint16(h[offMajor:], versionMajor)
	le.PutUint16(h[offMinor:], versionMinor)
	h[offByteOrder] = byteOrderLittle
	h[offAlignLog2] = alignLog2
	le.PutUint32(h[offTensorCount:], uint32(nt))
	le.PutUint32(h[offMetaCount:], uint32(nm))
	le.PutUint64(h[offIndexSize:], indexSize)
	le.PutUint64(h[offDataOffset:], dataOffset)

	index := l.prefix[headerSize : headerSize+indexSize]
	strs := index[entries:]
	cursor := uint64(0)
	putString := func(s string) (off uint64) {
		off = cursor
		cursor += uint64(copy(strs[cursor:], s))
		return off
	}
	end := uint64(0)
	for i, t := range sorted {
		e := index[uint64(i)*tensorEntSize:][:tensorEntSize]
		off := alignUp(end)
		n := uint64(len(t.Data)) * 4
		l.offsets[i] = off
		le.PutUint64(e[entDataOff:], off)
		le.PutUint64(e[entDataLen:], n)
		le.PutUint32(e[entNameOff:], uint32(putString(t.Name)))
		le.PutUint16(e[entNameLen:], uint16(len(t.Name)))
		e[entDType] = byte(Float32)
		e[entRank] = byte(len(t.Shape))
		for j, d := range t.Shape {
			le.PutUint64(e[entDims+8*j:], uint64(d))
		}
		end = off + n
	}
	for i, k := range keys {
		e := index[nt*tensorEntSize+uint64(i)*metaEntSize:][:metaEntSize]
		le.PutUint32(e[metaKeyOff:], uint32(putString(k)))
		le.PutUint16(e[metaKeyLen:], uint16(len(k)))
		le.PutUint32(e[metaValOff:], uint32(putString(meta[k])))
		le.PutUint32(e[metaValLen:], uint32(len(meta[k])))
	}
	le.PutUint64(h[offDataSize:], alignUp(end))
	return l, nil
}

// shapeElements returns the number of elements of shape, rejecting negative
// dimensions, dimensions above MaxDim and products that overflow an int.
func shapeElements(shape []int) (uint64, error) {
	numel := uint64(1)
	for _, d := range shape {
		if d < 0 || uint64(d) > MaxDim {
			return 0, fmt.Errorf("shape %v: dimension %d is outside [0, %d]", shape, d, uint64(MaxDim))
		}
	}
	for _, d := range shape {
		if d == 0 {
			return 0, nil
		}
		hi, lo := bits.Mul64(numel, uint64(d))
		if hi != 0 || lo > uint64(math.MaxInt) {
			return 0, fmt.Errorf("shape %v: too many elements", shape)
		}
		numel = lo
	}
	return numel, nil
}

func checkFinite(name string, data []float32) error {
	first, count := -1, 0
	for i, v := range data {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			if first < 0 {
				first = i
			}
			count++
		}
	}
	if count > 0 {
		return fmt.Errorf("tensor %q: %w: %d NaN/Inf values, the first at index %d (%v)", name, ErrNonFinite, count, first, data[first])
	}
	return nil
}

// writerAt is what encode needs: sequential writes for the payloads, then one
// positioned write to fill in the header and index.
type writerAt interface {
	io.Writer
	io.WriterAt
}

// encode writes l to w, which must be empty. Each CRC is computed over the
// little-endian bytes as they are handed to w, not over the caller's slices,
// so a tensor modified during the save (a training goroutine still running)
// cannot produce a checksum that disagrees with the bytes on disk.
func (l *layout) encode(w writerAt) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	if _, err := bw.Write(l.prefix); err != nil {
		return err
	}
	index := l.prefix[headerSize : headerSize+l.indexSz]
	var chunk [4096]byte
	var zeros [alignment]byte
	pos := uint64(0) // relative to data_offset
	for i, t := range l.tensors {
		if pad := l.offsets[i] - pos; pad > 0 {
			if _, err := bw.Write(zeros[:pad]); err != nil {
				return err
			}
		}
		crc := uint32(0)
		for data := t.Data; len(data) > 0; {
			n := min(len(data), len(chunk)/4)
			for j, v := range data[:n] {
				le.PutUint32(chunk[4*j:], math.Float32bits(v))
			}
			crc = crc32.Update(crc, castagnoli, chunk[:4*n])
			if _, err := bw.Write(chunk[:4*n]); err != nil {
				return err
			}
			data = data[n:]
		}
		le.PutUint32(index[uint64(i)*tensorEntSize+entCRC:], crc)
		pos = l.offsets[i] + uint64(len(t.Data))*4
	}
	if pad := alignUp(pos) - pos; pad > 0 {
		if _, err := bw.Write(zeros[:pad]); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	h := l.prefix[:headerSize]
	le.PutUint32(h[offIndexCRC:], crc32.Checksum(index, castagnoli))
	le.PutUint32(h[offHeaderCRC:], crc32.Checksum(h[:headerCRCLength], castagnoli))
	_, err := w.WriteAt(l.prefix[:headerSize+l.indexSz], 0)
	return err
}

// memFile is an in-memory writerAt, used by Marshal.
type memFile struct{ b []byte }

func (m *memFile) Write(p []byte) (int, error) { m.b = append(m.b, p...); return len(p), nil }

func (m *memFile) WriteAt(p []byte, off int64) (int, error) {
	if off < 0 || off+int64(len(p)) > int64(len(m.b)) {
		return 0, fmt.Errorf("ckpt: internal error: WriteAt [%d, +%d) outside %d bytes", off, len(p), len(m.b))
	}
	return copy(m.b[off:], p), nil
}

// Marshal returns the checkpoint bytes that Save would write, for embedding
// a model in a program (see OpenBytes) or sending it elsewhere.
func Marshal(tensors []Tensor, meta map[string]string, opt SaveOptions) ([]byte, error) {
	l, err := plan(tensors, meta, opt)
	if err != nil {
		return nil, fmt.Errorf("ckpt: marshal: %w", err)
	}
	size := uint64(len(l.prefix))
	if n := len(l.tensors); n > 0 {
		size += alignUp(l.offsets[n-1] + uint64(len(l.tensors[n-1].Data))*4)
	}
	if size > uint64(math.MaxInt) {
		return nil, fmt.Errorf("ckpt: marshal: %w: %d bytes do not fit in memory on this platform", ErrLimit, size)
	}
	m := &memFile{b: make([]byte, 0, size)}
	if err := l.encode(m); err != nil {
		return nil, err
	}
	return m.b, nil
}
