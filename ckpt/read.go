package ckpt

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"maps"
	"math"
	"math/bits"
	"os"
	"slices"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// TensorInfo describes one tensor of an open checkpoint.
type TensorInfo struct {
	Name   string
	DType  DType
	Shape  []int
	Offset int64  // absolute file offset of the payload (a multiple of 64)
	Length int64  // payload length in bytes
	CRC    uint32 // CRC32C (Castagnoli) of the payload, as stored in the index
}

// NumElements is the product of Shape (1 for a scalar, 0 if a dimension is 0).
func (t TensorInfo) NumElements() int {
	size := int64(t.DType.size())
	if size == 0 { // the zero TensorInfo
		return 0
	}
	return int(t.Length / size)
}

// File is an open checkpoint: its validated header and index. Tensor payloads
// are read on demand. The methods other than Close are safe for concurrent use.
type File struct {
	path     string
	r        io.ReaderAt
	closer   io.Closer // the *os.File for Open; nil for in-memory files
	mem      []byte    // the whole file, for LoadFile and OpenBytes
	closed   bool
	minor    uint16
	optional uint32
	tensors  []TensorInfo // sorted by name
	meta     map[string]string
}

// Open opens the checkpoint at path, reading and validating only its header
// and index. The file stays open until Close; tensors are read by name.
func Open(path string) (*File, error) {
	osf, size, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	f, err := parse(osf, size, path)
	if err != nil {
		osf.Close()
		return nil, err
	}
	f.closer = osf
	return f, nil
}

// OpenBytes parses a checkpoint held in memory, such as one embedded with a
// //go:embed directive. The File refers to b, which must not be modified while in use.
// View returns zero-copy slices of b when its payloads are 4-byte aligned in
// memory.
func OpenBytes(b []byte) (*File, error) {
	f, err := parse(bytes.NewReader(b), int64(len(b)), "")
	if err != nil {
		return nil, err
	}
	f.mem = b
	return f, nil
}

// LoadFile reads the whole checkpoint at path into a 64-byte aligned buffer,
// after validating its header and index from the file, so that View can
// return zero-copy slices of every tensor.
func LoadFile(path string) (*File, error) {
	osf, size, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer osf.Close()
	// Validate first, so the buffer below is sized by a checked file rather
	// than by whatever the path happens to hold.
	if _, err := parse(osf, size, path); err != nil {
		return nil, err
	}
	if size > int64(math.MaxInt-alignment) {
		return nil, &FormatError{Path: path, Offset: -1, Err: ErrLimit,
			Msg: fmt.Sprintf("file is %d bytes, too large to hold in memory on this platform", size)}
	}
	buf := alignedBytes(int(size))
	if n, err := osf.ReadAt(buf, 0); n != len(buf) {
		if err == nil || errors.Is(err, io.EOF) {
			return nil, &FormatError{Path: path, Offset: int64(n), Err: ErrTruncated,
				Msg: fmt.Sprintf("read %d of %d bytes: the file shrank while it was read", n, size)}
		}
		return nil, fmt.Errorf("ckpt: %q: %w", path, err)
	}
	f, err := parse(bytes.NewReader(buf), size, path)
	if err != nil { // the file changed between the two reads
		return nil, err
	}
	f.mem = buf
	return f, nil
}

// alignedBytes returns n bytes whose first byte is 64-byte aligned.
func alignedBytes(n int) []byte {
	raw := make([]byte, n+alignment-1)
	shift := int(-uintptr(unsafe.Pointer(unsafe.SliceData(raw))) & (alignment - 1))
	return raw[shift : shift+n : shift+n]
}

func openRegular(path string) (*os.File, int64, error) {
	osf, err := os.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("ckpt: %w", err)
	}
	st, err := osf.Stat()
	if err != nil {
		osf.Close()
		return nil, 0, fmt.Errorf("ckpt: %w", err)
	}
	if !st.Mode().IsRegular() {
		osf.Close()
		return nil, 0, &FormatError{Path: path, Offset: -1, Err: ErrNotCheckpoint, Msg: "not a regular file (" + st.Mode().Type().String() + ")"}
	}
	return osf, st.Size(), nil
}

// Close releases the file. Reads after Close fail.
func (f *File) Close() error {
	if f.closed {
		return nil
	}
	f.closed = true
	if f.closer != nil {
		return f.closer.Close()
	}
	return nil
}

// Version returns the file's format version.
func (f *File) Version() (major, minor int) { return versionMajor, int(f.minor) }

// Tensors lists the tensors, sorted by name. The slice is a copy.
func (f *File) Tensors() []TensorInfo {
	out := make([]TensorInfo, len(f.tensors))
	for i, t := range f.tensors {
		t.Shape = slices.Clone(t.Shape)
		out[i] = t
	}
	return out
}

// Meta returns a copy of the metadata.
func (f *File) Meta() map[string]string { return maps.Clone(f.meta) }

// Lookup returns the tensor called name.
func (f *File) Lookup(name string) (TensorInfo, bool) {
	i, ok := f.find(name)
	if !ok {
		return TensorInfo{}, false
	}
	t := f.tensors[i]
	t.Shape = slices.Clone(t.Shape)
	return t, true
}

func (f *File) find(name string) (int, bool) {
	return slices.BinarySearchFunc(f.tensors, name, func(t TensorInfo, n string) int { return strings.Compare(t.Name, n) })
}

func (f *File) notFound(name string) error {
	return &FormatError{Path: f.path, Offset: -1, Tensor: name, Err: ErrNotFound,
		Msg: fmt.Sprintf("the checkpoint has %d tensors and none of this name", len(f.tensors))}
}

// Read returns a new slice holding the tensor called name, after checking its
// CRC32C. An error names the tensor.
func (f *File) Read(name string) ([]float32, error) {
	i, ok := f.find(name)
	if !ok {
		return nil, f.notFound(name)
	}
	t := &f.tensors[i]
	if t.Length > int64(math.MaxInt) { // only reachable on 32-bit platforms
		return nil, &FormatError{Path: f.path, Offset: t.Offset, Tensor: name, Err: ErrLimit,
			Msg: fmt.Sprintf("payload of %d bytes does not fit in memory on this platform", t.Length)}
	}
	dst := make([]float32, t.NumElements())
	if err := f.readPayload(t, dst); err != nil {
		return nil, err
	}
	return dst, nil
}

// ReadInto reads the tensor called name into dst, whose length must equal the
// tensor's element count, after checking its CRC32C. If it fails, dst may have
// been partly overwritten; Restore is the all-or-nothing alternative.
func (f *File) ReadInto(name string, dst []float32) error {
	i, ok := f.find(name)
	if !ok {
		return f.notFound(name)
	}
	t := &f.tensors[i]
	if int64(len(dst)) != t.Length/4 {
		return fmt.Errorf("ckpt: ReadInto %q: dst has %d elements, the tensor has %d (shape %v)", name, len(dst), t.Length/4, t.Shape)
	}
	return f.readPayload(t, dst)
}

// View returns the tensor called name as a slice of the in-memory file,
// without copying, after checking its CRC32C. It needs a File from LoadFile or
// OpenBytes, a little-endian host, and a payload that is 4-byte aligned in
// memory (always true for LoadFile); otherwise it returns ErrNoZeroCopy and
// Read is the alternative. The slice aliases the File's memory: writing to it
// changes what later reads see.
func (f *File) View(name string) ([]float32, error) {
	i, ok := f.find(name)
	if !ok {
		return nil, f.notFound(name)
	}
	t := &f.tensors[i]
	if f.mem == nil || !hostLittleEndian {
		why := "the file was opened with Open; use LoadFile or OpenBytes"
		if !hostLittleEndian {
			why = "the host is big-endian, so payloads must be byte-swapped; use Read"
		}
		return nil, &FormatError{Path: f.path, Offset: -1, Tensor: name, Err: ErrNoZeroCopy, Msg: why}
	}
	if f.closed {
		return nil, f.closedErr(name)
	}
	raw := f.mem[t.Offset : t.Offset+t.Length]
	if len(raw) == 0 {
		return []float32{}, nil
	}
	if uintptr(unsafe.Pointer(unsafe.SliceData(raw)))%4 != 0 {
		return nil, &FormatError{Path: f.path, Offset: t.Offset, Tensor: name, Err: ErrNoZeroCopy,
			Msg: "payload is not 4-byte aligned in memory; use LoadFile, which aligns the buffer, or Read"}
	}
	if err := f.checkPayload(t, raw); err != nil {
		return nil, err
	}
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(raw))), len(raw)/4), nil
}

func (f *File) closedErr(name string) error {
	return fmt.Errorf("ckpt: %q: reading tensor %q: file is closed", f.path, name)
}

// readPayload reads t into dst (len(dst)*4 == t.Length), checking the CRC and
// the zero padding that follows the payload.
func (f *File) readPayload(t *TensorInfo, dst []float32) error {
	if f.closed {
		return f.closedErr(t.Name)
	}
	if t.Length == 0 {
		return nil
	}
	var raw []byte
	if hostLittleEndian {
		// The file's bytes are already the in-memory representation: read
		// straight into dst and skip a copy.
		raw = unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(dst))), len(dst)*4)
	} else {
		raw = make([]byte, t.Length)
	}
	if err := f.readAt(raw, t.Offset, t.Name); err != nil {
		return err
	}
	if err := f.checkPayload(t, raw); err != nil {
		return err
	}
	if !hostLittleEndian {
		for i := range dst {
			dst[i] = math.Float32frombits(le.Uint32(raw[4*i:]))
		}
	}
	return nil
}

// checkPayload verifies the CRC of raw (the payload of t) and that the padding
// after it is zero, so that no byte of the data section goes unchecked.
func (f *File) checkPayload(t *TensorInfo, raw []byte) error {
	if got := crc32.Checksum(raw, castagnoli); got != t.CRC {
		return &FormatError{Path: f.path, Offset: t.Offset, Tensor: t.Name, Err: ErrChecksum,
			Msg: fmt.Sprintf("payload CRC32C stored 0x%08x, computed 0x%08x: the file is corrupted", t.CRC, got)}
	}
	end := t.Offset + t.Length
	padLen := int64(alignUp(uint64(end))) - end
	if padLen == 0 {
		return nil
	}
	var pad [alignment]byte
	if err := f.readAt(pad[:padLen], end, t.Name); err != nil {
		return err
	}
	for i, c := range pad[:padLen] {
		if c != 0 {
			return &FormatError{Path: f.path, Offset: end + int64(i), Tensor: t.Name, Err: ErrCorrupt,
				Msg: fmt.Sprintf("padding byte after the payload is 0x%02x, must be 0", c)}
		}
	}
	return nil
}

func (f *File) readAt(b []byte, off int64, name string) error {
	n, err := f.r.ReadAt(b, off)
	if n == len(b) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		return &FormatError{Path: f.path, Offset: off, Tensor: name, Err: ErrTruncated,
			Msg: fmt.Sprintf("read %d of %d bytes: the file shrank after it was opened", n, len(b))}
	}
	return fmt.Errorf("ckpt: %q: reading tensor %q: %w", f.path, name, err)
}

// parser validates a checkpoint in the order given in FORMAT.md §Validation:
// every value read from the file is bounded before anything is sized by it.
type parser struct {
	path string
	r    io.ReaderAt
	size int64
}

func (p *parser) fail(kind error, off int64, tensor, format string, args ...any) error {
	return &FormatError{Path: p.path, Offset: off, Tensor: tensor, Err: kind, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) read(b []byte, off int64) error {
	n, err := p.r.ReadAt(b, off)
	if n == len(b) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		return p.fail(ErrTruncated, off, "", "read %d of %d bytes", n, len(b))
	}
	return fmt.Errorf("ckpt: %q: %w", p.path, err)
}

func parse(r io.ReaderAt, size int64, path string) (*File, error) {
	p := &parser{path: path, r: r, size: size}
	f, err := p.parse()
	if err != nil {
		return nil, err
	}
	f.path, f.r = path, r
	return f, nil
}

func (p *parser) parse() (*File, error) {
	// Header.
	if p.size < headerSize {
		if p.size == 0 {
			return nil, p.fail(ErrTruncated, -1, "", "the file is empty")
		}
		var h [headerSize]byte
		got := h[:p.size]
		if err := p.read(got, 0); err != nil {
			return nil, err
		}
		if !bytes.HasPrefix(magic[:], got[:min(len(got), len(magic))]) {
			return nil, p.fail(ErrNotCheckpoint, 0, "", "%s", describeMagic(got))
		}
		return nil, p.fail(ErrTruncated, -1, "", "the file is %d bytes, shorter than the %d-byte header", p.size, headerSize)
	}
	var h [headerSize]byte
	if err := p.read(h[:], 0); err != nil {
		return nil, err
	}
	if !bytes.Equal(h[:8], magic[:]) {
		return nil, p.fail(ErrNotCheckpoint, 0, "", "%s", describeMagic(h[:]))
	}
	major, minor := le.Uint16(h[offMajor:]), le.Uint16(h[offMinor:])
	if stored, got := le.Uint32(h[offHeaderCRC:]), crc32.Checksum(h[:headerCRCLength], castagnoli); stored != got {
		if major != versionMajor {
			// A future major version may lay its header out differently, so
			// its version is the more useful thing to report.
			return nil, p.fail(ErrUnsupportedVersion, offMajor, "",
				"the file is version %d.%d and this package reads %d.x (its header checksum does not verify either: the header may be corrupt)", major, minor, versionMajor)
		}
		return nil, p.fail(ErrChecksum, offHeaderCRC, "", "header CRC32C stored 0x%08x, computed 0x%08x: the header is corrupted", stored, got)
	}
	if major != versionMajor {
		return nil, p.fail(ErrUnsupportedVersion, offMajor, "", "the file is version %d.%d and this package reads %d.x", major, minor, versionMajor)
	}
	if v := h[offByteOrder]; v != byteOrderLittle {
		return nil, p.fail(ErrCorrupt, offByteOrder, "", "byte_order is %d, must be 1 (little-endian)", v)
	}
	if v := h[offAlignLog2]; v != alignLog2 {
		return nil, p.fail(ErrCorrupt, offAlignLog2, "", "align_log2 is %d, must be %d", v, alignLog2)
	}
	if v := le.Uint16(h[offRequired:]); v != 0 {
		return nil, p.fail(ErrUnsupportedVersion, offRequired, "", "required feature bits 0x%04x are unknown to this reader (version %d.%d)", v, versionMajor, versionMinor)
	}
	if v := le.Uint32(h[offReserved:]); v != 0 {
		return nil, p.fail(ErrCorrupt, offReserved, "", "reserved header field is 0x%08x, must be 0", v)
	}
	nt, nm := uint64(le.Uint32(h[offTensorCount:])), uint64(le.Uint32(h[offMetaCount:]))
	indexSize := le.Uint64(h[offIndexSize:])
	dataOffset, dataSize := le.Uint64(h[offDataOffset:]), le.Uint64(h[offDataSize:])
	if nt > MaxTensors {
		return nil, p.fail(ErrLimit, offTensorCount, "", "tensor_count is %d, the limit is %d", nt, MaxTensors)
	}
	if nm > MaxMeta {
		return nil, p.fail(ErrLimit, offMetaCount, "", "meta_count is %d, the limit is %d", nm, MaxMeta)
	}
	if indexSize > MaxIndexSize {
		return nil, p.fail(ErrLimit, offIndexSize, "", "index_size is %d, the limit is %d", indexSize, MaxIndexSize)
	}
	entriesSize := nt*tensorEntSize + nm*metaEntSize // small: the counts are bounded above
	if entriesSize > indexSize {
		return nil, p.fail(ErrCorrupt, offIndexSize, "", "index_size is %d, but %d tensor and %d metadata entries take %d bytes", indexSize, nt, nm, entriesSize)
	}
	if want := alignUp(headerSize + indexSize); dataOffset != want {
		return nil, p.fail(ErrCorrupt, offDataOffset, "", "data_offset is %d, must be %d (the index end rounded up to %d)", dataOffset, want, alignment)
	}
	size := uint64(p.size)
	if dataOffset > size || dataSize > size-dataOffset {
		return nil, p.fail(ErrTruncated, -1, "", "the file is %d bytes, its header describes %d (data_offset %d + data_size %d)",
			size, satAdd(dataOffset, dataSize), dataOffset, dataSize)
	}
	if end := dataOffset + dataSize; end != size {
		return nil, p.fail(ErrCorrupt, int64(end), "", "%d unexpected bytes after the end of the data section", size-end)
	}

	// Index: entries, string table and the zero padding up to data_offset.
	// Its size is now bounded by MaxIndexSize and by the file size.
	region := make([]byte, dataOffset-headerSize)
	if err := p.read(region, headerSize); err != nil {
		return nil, err
	}
	index := region[:indexSize]
	if stored, got := le.Uint32(h[offIndexCRC:]), crc32.Checksum(index, castagnoli); stored != got {
		return nil, p.fail(ErrChecksum, offIndexCRC, "", "index CRC32C stored 0x%08x, computed 0x%08x: the index is corrupted", stored, got)
	}
	for i, c := range region[indexSize:] {
		if c != 0 {
			return nil, p.fail(ErrCorrupt, int64(headerSize+indexSize)+int64(i), "", "padding byte after the index is 0x%02x, must be 0", c)
		}
	}
	strs := index[entriesSize:]
	strBase := int64(headerSize + entriesSize)
	var cursor uint64 // every string starts where the previous one ended

	// takeString checks that a string reference starts at the cursor, has a
	// length in [1, maxLen] (or [0, maxLen] if allowEmpty) and lies inside the
	// string table, and returns it.
	takeString := func(fieldOff int64, off, n, maxLen uint64, allowEmpty bool, what, tensor string) (string, error) {
		if off != cursor {
			return "", p.fail(ErrCorrupt, fieldOff, tensor, "%s offset is %d, must be %d (strings are stored back to back in index order)", what, off, cursor)
		}
		minLen := uint64(1)
		if allowEmpty {
			minLen = 0
		}
		if n < minLen || n > maxLen {
			return "", p.fail(ErrCorrupt, fieldOff, tensor, "%s length is %d, must be in [%d, %d]", what, n, minLen, maxLen)
		}
		if n > uint64(len(strs))-cursor {
			return "", p.fail(ErrCorrupt, fieldOff, tensor, "%s of %d bytes at %d runs past the %d-byte string table", what, n, off, len(strs))
		}
		s := string(strs[cursor : cursor+n])
		cursor += n
		return s, nil
	}

	f := &File{minor: minor, optional: le.Uint32(h[offOptional:]), tensors: make([]TensorInfo, nt)}
	var prevEnd uint64 // end of the previous payload, relative to data_offset
	for i := range f.tensors {
		e := index[uint64(i)*tensorEntSize:][:tensorEntSize]
		base := int64(headerSize) + int64(i)*tensorEntSize
		name, err := takeString(base+entNameOff, uint64(le.Uint32(e[entNameOff:])), uint64(le.Uint16(e[entNameLen:])), MaxNameLen, false, "name", "")
		if err != nil {
			return nil, err
		}
		if !validName(name) {
			return nil, p.fail(ErrCorrupt, strBase+int64(cursor)-int64(len(name)), "", "tensor %d: %s", i, nameProblem(name))
		}
		if i > 0 && name <= f.tensors[i-1].Name {
			return nil, p.fail(ErrCorrupt, base+entNameOff, name, "name is not after %q: tensors must be sorted by name without duplicates", f.tensors[i-1].Name)
		}
		dt := DType(e[entDType])
		if dt.size() == 0 {
			return nil, p.fail(ErrCorrupt, base+entDType, name, "dtype is %d, which is not a known type (1 = float32)", e[entDType])
		}
		rank := int(e[entRank])
		if rank > MaxRank {
			return nil, p.fail(ErrCorrupt, base+entRank, name, "rank is %d, the limit is %d", rank, MaxRank)
		}
		shape := make([]int, rank)
		numel, overflow, zero := uint64(1), false, false
		for j := range MaxRank {
			d := le.Uint64(e[entDims+8*j:])
			fieldOff := base + entDims + 8*int64(j)
			if j >= rank {
				if d != 0 {
					return nil, p.fail(ErrCorrupt, fieldOff, name, "dims[%d] is %d beyond rank %d, must be 0", j, d, rank)
				}
				continue
			}
			if d > MaxDim {
				return nil, p.fail(ErrLimit, fieldOff, name, "dims[%d] is %d, the limit is %d", j, d, uint64(MaxDim))
			}
			if d > uint64(math.MaxInt) {
				return nil, p.fail(ErrLimit, fieldOff, name, "dims[%d] is %d, which does not fit in an int on this platform", j, d)
			}
			shape[j] = int(d)
			hi, lo := bits.Mul64(numel, d)
			numel, overflow, zero = lo, overflow || hi != 0, zero || d == 0
		}
		if zero {
			numel, overflow = 0, false
		}
		hi, byteLen := bits.Mul64(numel, dt.size())
		if overflow || hi != 0 {
			return nil, p.fail(ErrCorrupt, base+entDims, name, "shape %v has too many elements to address in 64 bits", shape)
		}
		dataOff, dataLen := le.Uint64(e[entDataOff:]), le.Uint64(e[entDataLen:])
		if dataLen != byteLen {
			return nil, p.fail(ErrCorrupt, base+entDataLen, name, "data_len is %d, but shape %v of %v needs %d bytes", dataLen, shape, dt, byteLen)
		}
		if want := alignUp(prevEnd); dataOff != want {
			return nil, p.fail(ErrCorrupt, base+entDataOff, name, "data_off is %d, must be %d (payloads follow each other in name order, each at the next %d-byte boundary)", dataOff, want, alignment)
		}
		if dataOff > dataSize || dataLen > dataSize-dataOff {
			return nil, p.fail(ErrCorrupt, base+entDataLen, name, "payload [%d, +%d) runs past the %d-byte data section", dataOff, dataLen, dataSize)
		}
		if v := le.Uint32(e[entReserved:]); v != 0 {
			return nil, p.fail(ErrCorrupt, base+entReserved, name, "reserved entry field is 0x%08x, must be 0", v)
		}
		f.tensors[i] = TensorInfo{
			Name: name, DType: dt, Shape: shape,
			Offset: int64(dataOffset + dataOff), Length: int64(dataLen),
			CRC: le.Uint32(e[entCRC:]),
		}
		prevEnd = dataOff + dataLen
	}

	f.meta = make(map[string]string, nm)
	prevKey := ""
	for i := range nm {
		e := index[nt*tensorEntSize+i*metaEntSize:][:metaEntSize]
		base := int64(headerSize + nt*tensorEntSize + i*metaEntSize)
		key, err := takeString(base+metaKeyOff, uint64(le.Uint32(e[metaKeyOff:])), uint64(le.Uint16(e[metaKeyLen:])), MaxNameLen, false, "metadata key", "")
		if err != nil {
			return nil, err
		}
		if !validName(key) {
			return nil, p.fail(ErrCorrupt, strBase+int64(cursor)-int64(len(key)), "", "metadata entry %d: key %s", i, strings.TrimPrefix(nameProblem(key), "name "))
		}
		if i > 0 && key <= prevKey {
			return nil, p.fail(ErrCorrupt, base+metaKeyOff, key, "metadata key is not after %q: keys must be sorted without duplicates", prevKey)
		}
		if v := le.Uint16(e[metaReserved:]); v != 0 {
			return nil, p.fail(ErrCorrupt, base+metaReserved, key, "reserved metadata field is 0x%04x, must be 0", v)
		}
		val, err := takeString(base+metaValOff, uint64(le.Uint32(e[metaValOff:])), uint64(le.Uint32(e[metaValLen:])), MaxMetaValLen, true, "metadata value", key)
		if err != nil {
			return nil, err
		}
		if !utf8.ValidString(val) {
			return nil, p.fail(ErrCorrupt, strBase+int64(cursor)-int64(len(val)), key, "metadata value is not valid UTF-8")
		}
		f.meta[key] = val
		prevKey = key
	}
	if rest := uint64(len(strs)) - cursor; rest != 0 {
		return nil, p.fail(ErrCorrupt, strBase+int64(cursor), "", "%d unreferenced bytes at the end of the string table", rest)
	}
	if want := alignUp(prevEnd); dataSize != want {
		return nil, p.fail(ErrCorrupt, offDataSize, "", "data_size is %d, but the payloads end at %d, which pads to %d", dataSize, prevEnd, want)
	}
	return f, nil
}

// satAdd is a+b, saturated at the maximum uint64 (used only in messages).
func satAdd(a, b uint64) uint64 {
	s, carry := bits.Add64(a, b, 0)
	if carry != 0 {
		return math.MaxUint64
	}
	return s
}

// describeMagic says what a file that is not a checkpoint seems to be, from its
// first bytes, because "bad magic" alone rarely tells the user what happened.
func describeMagic(b []byte) string {
	const prefix = "the file does not start with the lanes checkpoint magic"
	mangled := [][]byte{
		{0x89, 'L', 'N', 'C', '\n', 0x1a, '\n'},       // CR LF -> LF
		{0x89, 'L', 'N', 'C', '\r', '\r', '\n', 0x1a}, // LF -> CR LF
	}
	for _, m := range mangled {
		if bytes.HasPrefix(b, m) {
			return prefix + "; it looks like a lanes checkpoint whose line endings were converted (copied in text mode?)"
		}
	}
	if len(b) >= 4 && b[0] == 0x09 && string(b[1:4]) == "LNC" {
		return prefix + "; it looks like a lanes checkpoint whose high bits were stripped (a 7-bit transfer?)"
	}
	switch {
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return prefix + "; it looks like a zip archive (a PyTorch .pt/.pth or Keras .keras file?)"
	case bytes.HasPrefix(b, []byte("GGUF")):
		return prefix + "; it looks like a GGUF file"
	case bytes.HasPrefix(b, []byte("\x89HDF\r\n\x1a\n")):
		return prefix + "; it looks like an HDF5 file (a Keras .h5 file?)"
	case len(b) >= 9 && b[8] == '{' && le.Uint64(b) < 100_000_000:
		return prefix + "; it looks like a safetensors file (a little-endian header length followed by JSON)"
	case len(b) >= 2 && b[0] == 0x80 && b[1] >= 2 && b[1] <= 5:
		return prefix + "; it looks like a Python pickle (a legacy torch.save file?)"
	case looksLikeText(b):
		return prefix + "; it looks like text"
	}
	return fmt.Sprintf("%s (first bytes % x)", prefix, b[:min(len(b), 8)])
}

func looksLikeText(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	// A multi-byte rune may be cut at the end of the sample.
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n <= 1 {
			return len(b) < utf8.UTFMax && !utf8.FullRune(b)
		}
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' {
			return false
		}
		b = b[n:]
	}
	return true
}
