package ckpt

import (
	"bytes"
	"errors"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// The small valid file used below (see validFile) has four tensors, sorted:
// 0 dense0/bias [3], 1 dense0/weights [4 3], 2 dense1/bias [2],
// 3 dense1/weights [3 2], and three metadata entries.
const (
	validT = 4
	validM = 3
)

func stringTable(b []byte) int { return headerSize + validT*tensorEntSize + validM*metaEntSize }

func TestValidFileLayout(t *testing.T) {
	// Pins the numbers the cases below rely on, computed by hand from
	// FORMAT.md: entries 4*96+3*16 = 432, names 11+14+11+14 = 50, metadata
	// 15+4+11+5+11+1 = 47, index 529, data_offset alignUp(64+529) = 640,
	// payloads at 0, 64, 128, 192 (12, 48, 8, 24 bytes), data_size 256.
	b := validFile(t)
	if len(b) != 896 {
		t.Fatalf("valid file is %d bytes, want 896", len(b))
	}
	if got := binaryLE64(b[offIndexSize:]); got != 529 {
		t.Fatalf("index_size %d", got)
	}
	for i, want := range []uint64{0, 64, 128, 192} {
		if got := binaryLE64(entry(b, i)[entDataOff:]); got != want {
			t.Fatalf("tensor %d data_off %d, want %d", i, got, want)
		}
	}
}

func TestBadFiles(t *testing.T) {
	type mut func(b []byte) []byte
	set64 := func(off int, v uint64) mut { return func(b []byte) []byte { putLE64(b[off:], v); return b } }
	set32 := func(off int, v uint32) mut { return func(b []byte) []byte { putLE32(b[off:], v); return b } }
	set8 := func(off int, v byte) mut { return func(b []byte) []byte { b[off] = v; return b } }
	ent := func(i, field int) int { return headerSize + i*tensorEntSize + field }
	metaEnt := func(i, field int) int { return headerSize + validT*tensorEntSize + i*metaEntSize + field }
	// name offsets in the string table (names are 11, 14, 11, 14 bytes)
	nameAt := func(b []byte, i int) []byte {
		off := []int{0, 11, 25, 36}[i]
		n := []int{11, 14, 11, 14}[i]
		return b[stringTable(b)+off:][:n]
	}
	cases := []struct {
		name   string
		mutate mut
		fixCRC bool
		kind   error
		text   string // substring of the message
	}{
		{"appended byte", func(b []byte) []byte { return append(b, 0) }, false, ErrCorrupt, "1 unexpected bytes"},
		{"appended zip", func(b []byte) []byte { return append(b, "PK\x03\x04 polyglot"...) }, false, ErrCorrupt, "unexpected bytes"},
		{"future major", set8(offMajor, 2), true, ErrUnsupportedVersion, "version 2.0"},
		{"major 0xFFFF", set64(offMajor, 0xFFFF), true, ErrUnsupportedVersion, "version 65535.0"},
		{"major 0", set8(offMajor, 0), true, ErrUnsupportedVersion, "version 0.0"},
		{"future major, other header layout", set8(offMajor, 3), false, ErrUnsupportedVersion, "version 3.0"},
		{"byte order 0", set8(offByteOrder, 0), true, ErrCorrupt, "byte_order"},
		{"byte order 2", set8(offByteOrder, 2), true, ErrCorrupt, "byte_order"},
		{"align_log2 5", set8(offAlignLog2, 5), true, ErrCorrupt, "align_log2"},
		{"align_log2 63", set8(offAlignLog2, 63), true, ErrCorrupt, "align_log2"},
		{"required feature", set8(offRequired, 1), true, ErrUnsupportedVersion, "required feature"},
		{"reserved header", set8(offReserved+3, 1), true, ErrCorrupt, "reserved"},
		{"tensor count 2^32-1", set32(offTensorCount, 0xFFFFFFFF), true, ErrLimit, "tensor_count"},
		{"tensor count limit+1", set32(offTensorCount, MaxTensors+1), true, ErrLimit, "tensor_count"},
		{"meta count 2^32-1", set32(offMetaCount, 0xFFFFFFFF), true, ErrLimit, "meta_count"},
		{"index size 2^64-1", set64(offIndexSize, 1<<64-1), true, ErrLimit, "index_size"},
		{"index size beyond file", func(b []byte) []byte {
			putLE64(b[offIndexSize:], 1<<20)
			putLE64(b[offDataOffset:], 64+1<<20)
			return b
		}, true, ErrTruncated, ""},
		{"index too small for counts", set32(offTensorCount, 6), true, ErrCorrupt, "index_size is 529"},
		{"data offset unaligned", set64(offDataOffset, 600), true, ErrCorrupt, "data_offset"},
		{"data offset off by 64", set64(offDataOffset, 704), true, ErrCorrupt, "data_offset"},
		{"data size huge", set64(offDataSize, 1<<64-1), true, ErrTruncated, "header describes"},
		{"data size short", set64(offDataSize, 192), true, ErrCorrupt, "unexpected bytes"},
		{"padding after index", set8(64+529+3, 1), false, ErrCorrupt, "padding byte after the index"},
		// tensor entries
		{"dtype 0", set8(ent(1, entDType), 0), true, ErrCorrupt, "dtype is 0"},
		{"dtype 2", set8(ent(1, entDType), 2), true, ErrCorrupt, "dtype is 2"},
		{"dtype 255", set8(ent(1, entDType), 255), true, ErrCorrupt, "dtype is 255"},
		{"rank 9", set8(ent(1, entRank), 9), true, ErrCorrupt, "rank is 9"},
		{"rank 255", set8(ent(1, entRank), 255), true, ErrCorrupt, "rank is 255"},
		{"dim beyond rank", set64(ent(1, entDims+8*5), 1), true, ErrCorrupt, "dims[5]"},
		{"dim 2^63", set64(ent(1, entDims), 1<<63), true, ErrLimit, "dims[0]"},
		{"dim above limit", set64(ent(1, entDims), MaxDim+1), true, ErrLimit, "dims[0]"},
		{"data_len +1", set64(ent(1, entDataLen), 49), true, ErrCorrupt, "data_len is 49"},
		{"data_len -1", set64(ent(1, entDataLen), 47), true, ErrCorrupt, "data_len is 47"},
		{"shape too large for data", set64(ent(1, entDims), 1<<30), true, ErrCorrupt, "data_len"},
		{"dims product overflows", func(b []byte) []byte {
			e := b[ent(3, 0):]
			e[entRank] = 8
			for j := range 8 {
				putLE64(e[entDims+8*j:], 1<<30) // fits an int on 32-bit platforms too
			}
			return b
		}, true, ErrCorrupt, "too many elements"},
		{"overlapping payload", set64(ent(1, entDataOff), 0), true, ErrCorrupt, "data_off is 0, must be 64"},
		{"unaligned payload", set64(ent(1, entDataOff), 16), true, ErrCorrupt, "data_off is 16"},
		{"gap before payload", set64(ent(1, entDataOff), 128), true, ErrCorrupt, "data_off is 128"},
		{"out-of-order payloads", func(b []byte) []byte {
			putLE64(entry(b, 0)[entDataOff:], 64)
			putLE64(entry(b, 1)[entDataOff:], 0)
			return b
		}, true, ErrCorrupt, "data_off is 64, must be 0"},
		{"payload past data section", func(b []byte) []byte {
			// The last tensor claims more elements than the section holds.
			putLE64(entry(b, 3)[entDims:], 30)
			putLE64(entry(b, 3)[entDataLen:], 30*2*4)
			return b
		}, true, ErrCorrupt, "runs past"},
		{"every entry aliases one region", func(b []byte) []byte {
			for i := range validT {
				putLE64(entry(b, i)[entDataOff:], 0)
			}
			return b
		}, true, ErrCorrupt, "data_off is 0, must be 64"},
		{"reserved entry", set8(ent(2, entReserved), 1), true, ErrCorrupt, "reserved entry"},
		// names
		{"empty name", func(b []byte) []byte {
			b[ent(0, entNameLen)] = 0
			return b
		}, true, ErrCorrupt, "name length is 0"},
		{"name length 256", func(b []byte) []byte {
			putLE32(b[ent(0, entNameLen):], 0) // clear
			b[ent(0, entNameLen)], b[ent(0, entNameLen)+1] = 0, 1
			b[ent(0, entDType)], b[ent(0, entRank)] = 1, 1 // keep the rest intact
			return b
		}, true, ErrCorrupt, "name length is 256"},
		{"name offset not at cursor", set32(ent(1, entNameOff), 0), true, ErrCorrupt, "name offset is 0, must be 11"},
		{"name past table", func(b []byte) []byte {
			// Make the last name long enough to run past the string table.
			putLE32(b[ent(3, entNameLen):], 0)
			b[ent(3, entNameLen)] = 255
			b[ent(3, entDType)], b[ent(3, entRank)] = 1, 2
			return b
		}, true, ErrCorrupt, "runs past the 97-byte string table"},
		{"NUL in name", func(b []byte) []byte { nameAt(b, 0)[2] = 0; return b }, true, ErrCorrupt, `byte "\x00"`},
		{"space in name", func(b []byte) []byte { nameAt(b, 0)[2] = ' '; return b }, true, ErrCorrupt, `byte " "`},
		{"non-ASCII in name", func(b []byte) []byte { copy(nameAt(b, 0)[9:], "é"); return b }, true, ErrCorrupt, `byte "\xc3"`},
		{"invalid UTF-8 in name", func(b []byte) []byte { nameAt(b, 0)[3] = 0xff; return b }, true, ErrCorrupt, `byte "\xff"`},
		{"duplicate names", func(b []byte) []byte { copy(nameAt(b, 2), nameAt(b, 0)); return b }, true, ErrCorrupt, `is not after "dense0/weights"`},
		{"unsorted names", func(b []byte) []byte { nameAt(b, 0)[0] = 'e'; return b }, true, ErrCorrupt, "sorted"},
		// metadata
		{"meta key offset", set32(metaEnt(1, metaKeyOff), 0), true, ErrCorrupt, "metadata key offset"},
		{"meta reserved", set8(metaEnt(0, metaReserved), 1), true, ErrCorrupt, "reserved metadata"},
		{"meta duplicate key", func(b []byte) []byte {
			// Rename the third key, "train.epoch", to the second, "arch.layers"
			// (same length): string table = names (50), then key, value pairs.
			s := stringTable(b) + 50 + 15 + 4 + 11 + 5
			copy(b[s:], "arch.layers")
			return b
		}, true, ErrCorrupt, "keys must be sorted"},
		{"meta invalid UTF-8", func(b []byte) []byte {
			s := stringTable(b) + 50 + 15
			b[s] = 0xff // first byte of "relu"
			return b
		}, true, ErrCorrupt, "not valid UTF-8"},
		{"meta value too long", set32(metaEnt(2, metaValLen), MaxMetaValLen+1), true, ErrCorrupt, "must be in [0, 65536]"},
		{"unreferenced string bytes", func(b []byte) []byte {
			// Shorten the last value by one byte: the table keeps a byte no
			// entry refers to.
			putLE32(b[metaEnt(2, metaValLen):], 0)
			return b
		}, true, ErrCorrupt, "1 unreferenced bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := c.mutate(validFile(t))
			if c.fixCRC {
				refix(b)
			}
			_, err := openErr(t, b)
			mustKind(t, err, c.kind)
			if !strings.Contains(err.Error(), c.text) {
				t.Fatalf("error %q does not mention %q", err, c.text)
			}
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("%T is not a *FormatError", err)
			}
		})
	}
}

func TestAcceptedVariations(t *testing.T) {
	// A newer minor version and unknown optional feature bits are readable:
	// they promise compatibility with 1.0 readers.
	for _, c := range []struct {
		name string
		off  int
		v    byte
	}{{"minor 7", offMinor, 7}, {"optional feature", offOptional + 2, 0x80}} {
		t.Run(c.name, func(t *testing.T) {
			b := validFile(t)
			b[c.off] = c.v
			f, err := OpenBytes(refix(b))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.Read("dense1/weights"); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("names differing in case", func(t *testing.T) {
		b, err := Marshal([]Tensor{{Name: "W", Shape: []int{1}, Data: []float32{1}}, {Name: "w", Shape: []int{1}, Data: []float32{2}}}, nil, SaveOptions{})
		if err != nil {
			t.Fatal(err)
		}
		f, err := OpenBytes(b)
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := f.Read("w"); v[0] != 2 {
			t.Fatalf("w = %v", v)
		}
	})
	t.Run("huge dim with a zero dim", func(t *testing.T) {
		// An empty tensor may have any dimension up to MaxDim elsewhere;
		// on a 32-bit platform the dimension does not fit an int.
		b, err := Marshal([]Tensor{{Name: "e", Shape: []int{0, 1}}}, nil, SaveOptions{})
		if err != nil {
			t.Fatal(err)
		}
		putLE64(entry(b, 0)[entDims+8:], 1<<35)
		_, err = OpenBytes(refix(b))
		if strconv.IntSize == 64 && err != nil {
			t.Fatalf("64-bit: %v", err)
		}
		if strconv.IntSize == 32 {
			mustKind(t, err, ErrLimit)
		}
	})
}

func TestEveryTruncation(t *testing.T) {
	b := validFile(t)
	for n := range len(b) {
		_, err := OpenBytes(b[:n])
		if err == nil {
			t.Fatalf("a %d-byte prefix of a %d-byte file was accepted", n, len(b))
		}
		if !errors.Is(err, ErrTruncated) {
			t.Fatalf("prefix of %d bytes: %v, want ErrTruncated", n, err)
		}
	}
	path := writeFile(t, b[:100])
	_, err := Open(path)
	mustKind(t, err, ErrTruncated)
}

func TestNotACheckpoint(t *testing.T) {
	cases := []struct {
		name, data, hint string
	}{
		{"empty", "", "empty"},
		{"text", "hello, this is a text file\n", "text"},
		{"json", `{"dense0/weights": [1, 2, 3]}` + strings.Repeat(" ", 60), "text"},
		{"safetensors", "\x20\x00\x00\x00\x00\x00\x00\x00{\"__metadata__\":{}}" + strings.Repeat(" ", 60), "safetensors"},
		{"zip/pytorch", "PK\x03\x04\x14\x00\x00\x00\x08\x00" + strings.Repeat("\x00", 60), "zip"},
		{"gguf", "GGUF\x03\x00\x00\x00" + strings.Repeat("\x00", 60), "GGUF"},
		{"pickle", "\x80\x02}q\x00" + strings.Repeat("\x00", 60), "pickle"},
		{"hdf5", "\x89HDF\r\n\x1a\n" + strings.Repeat("\x00", 60), "HDF5"},
		{"CRLF to LF", string(validFile(t)[:4]) + "\n\x1a\n" + string(validFile(t)[8:]), "line endings"},
		{"7-bit", "\x09LNC\r\n\x1a\n" + string(validFile(t)[8:]), "high bits"},
		{"short garbage", "\x01\x02\x03", "first bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := openErr(t, []byte(c.data))
			if c.name == "empty" {
				mustKind(t, err, ErrTruncated)
			} else {
				mustKind(t, err, ErrNotCheckpoint)
			}
			if !strings.Contains(err.Error(), c.hint) {
				t.Fatalf("error %q lacks the hint %q", err, c.hint)
			}
		})
	}
}

func TestEveryBitFlipInHeaderAndIndex(t *testing.T) {
	b := validFile(t)
	indexEnd := headerSize + int(binaryLE64(b[offIndexSize:]))
	dataOffset := int(binaryLE64(b[offDataOffset:]))
	for i := range dataOffset { // header, index and the padding after it
		for bit := range 8 {
			c := bytes.Clone(b)
			c[i] ^= 1 << bit
			_, err := OpenBytes(c)
			if err == nil {
				t.Fatalf("flipping bit %d of byte %d was not detected", bit, i)
			}
			switch {
			case i >= indexEnd: // padding: not covered by a CRC, must be zero
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("byte %d bit %d (padding): %v", i, bit, err)
				}
			case i >= offMajor && i < offMajor+2: // a flipped major version is reported as such
				if !errors.Is(err, ErrUnsupportedVersion) {
					t.Fatalf("byte %d bit %d (major): %v", i, bit, err)
				}
			case i < 8: // magic
				if !errors.Is(err, ErrNotCheckpoint) {
					t.Fatalf("byte %d bit %d (magic): %v", i, bit, err)
				}
			default:
				if !errors.Is(err, ErrChecksum) {
					t.Fatalf("byte %d bit %d: %v, want a checksum error", i, bit, err)
				}
			}
		}
	}
}

func TestFlippedPayloadByte(t *testing.T) {
	b := validFile(t)
	f0, err := OpenBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, info := range f0.Tensors() {
		for i := info.Offset; i < info.Offset+info.Length; i++ {
			c := bytes.Clone(b)
			c[i] ^= 0x10
			f, err := OpenBytes(c) // Open reads no payload, so it succeeds
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.Read(info.Name)
			mustKind(t, err, ErrChecksum)
			if !strings.Contains(err.Error(), strconv.Quote(info.Name)) {
				t.Fatalf("error does not name the tensor: %v", err)
			}
			for _, other := range f.Tensors() {
				if other.Name != info.Name {
					if _, err := f.Read(other.Name); err != nil {
						t.Fatalf("an intact tensor fails to read: %v", err)
					}
				}
			}
		}
	}
	// Padding between payloads is checked when the tensor before it is read.
	c := bytes.Clone(b)
	c[f0.Tensors()[0].Offset+20] = 1
	f, _ := OpenBytes(c)
	_, err = f.Read(f0.Tensors()[0].Name)
	mustKind(t, err, ErrCorrupt)
}

// TestHostileHeaderAllocation checks that header values claiming huge sizes
// in a tiny file never make the reader allocate in proportion to them.
func TestHostileHeaderAllocation(t *testing.T) {
	base := validFile(t)
	mutations := []func([]byte){
		func(b []byte) { putLE32(b[offTensorCount:], 0xFFFFFFFF) },
		func(b []byte) { putLE32(b[offTensorCount:], MaxTensors) },
		func(b []byte) { putLE32(b[offMetaCount:], MaxMeta) },
		func(b []byte) {
			putLE64(b[offIndexSize:], MaxIndexSize)
			putLE64(b[offDataOffset:], alignUp(64+MaxIndexSize))
		},
		func(b []byte) { putLE64(b[offDataSize:], 1<<62) },
		func(b []byte) { putLE64(entry(b, 3)[entDims:], 1<<40); putLE64(entry(b, 3)[entDataLen:], 1<<43) },
	}
	for i, m := range mutations {
		b := bytes.Clone(base)
		m(b)
		refix(b)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := OpenBytes(b)
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Fatalf("mutation %d accepted", i)
		}
		if d := after.TotalAlloc - before.TotalAlloc; d > 64<<10 {
			t.Fatalf("mutation %d: opening a %d-byte file allocated %d bytes (%v)", i, len(b), d, err)
		}
	}
}
