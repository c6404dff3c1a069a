package ckpt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite testdata/golden-v1.ckpt and the FuzzOpen seed corpus")

const goldenPath = "testdata/golden-v1.ckpt"

// goldenTensors is the content of the golden file, written out literally so
// the test does not depend on code under test to know what it should hold.
func goldenTensors() ([]Tensor, map[string]string) {
	return []Tensor{
			{Name: "layer/weights", Shape: []int{2, 3}, Data: []float32{1, 2, 3, 4, 5, 6}},
			{Name: "layer/bias", Shape: []int{3}, Data: []float32{0.5, -0.25, float32(math.Inf(-1))}},
			{Name: "step", Shape: nil, Data: []float32{math.Float32frombits(0x7fc00001)}},
		}, map[string]string{
			"arch.layers":     "2,3",
			"arch.activation": "relu",
			"train.epoch":     "7",
		}
}

// TestGolden pins the encoding: a change to the writer that alters the bytes
// of an existing file breaks compatibility and must be a deliberate format
// change (a new version), not an accident.
func TestGolden(t *testing.T) {
	ts, meta := goldenTensors()
	b, err := Marshal(ts, meta, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(goldenPath, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	golden, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, golden) {
		t.Fatalf("Marshal no longer reproduces %s byte for byte", goldenPath)
	}

	// Header fields at the offsets FORMAT.md gives, computed by hand: three
	// tensors and three metadata entries make 3*96+3*16 = 336 entry bytes;
	// names 10+13+4 = 27, metadata 15+4+11+3+11+1 = 45, index 408,
	// data_offset alignUp(64+408) = 512; payloads of 12, 24 and 4 bytes at
	// 0, 64 and 128 ("layer/bias" < "layer/weights" < "step"), data_size 192.
	le := binary.LittleEndian
	for _, c := range []struct {
		off  int
		size int
		want uint64
	}{
		{8, 2, 1}, {10, 2, 0}, {12, 1, 1}, {13, 1, 6}, {14, 2, 0},
		{16, 4, 3}, {20, 4, 3}, {24, 8, 408}, {32, 8, 512}, {40, 8, 192}, {52, 4, 0}, {56, 4, 0},
	} {
		var got uint64
		switch c.size {
		case 1:
			got = uint64(golden[c.off])
		case 2:
			got = uint64(le.Uint16(golden[c.off:]))
		case 4:
			got = uint64(le.Uint32(golden[c.off:]))
		case 8:
			got = le.Uint64(golden[c.off:])
		}
		if got != c.want {
			t.Errorf("header field at %d is %d, want %d", c.off, got, c.want)
		}
	}
	if len(golden) != 512+192 {
		t.Errorf("golden file is %d bytes, want 704", len(golden))
	}

	// FORMAT.md identifies CRC32C by its check value.
	if got := crc32.Checksum([]byte("123456789"), crc32.MakeTable(crc32.Castagnoli)); got != 0xE3069283 {
		t.Errorf("CRC32C check value 0x%08x", got)
	}
	if !bytes.Equal(golden[:16], []byte{0x89, 0x4c, 0x4e, 0x43, 0x0d, 0x0a, 0x1a, 0x0a, 1, 0, 0, 0, 1, 6, 0, 0}) {
		t.Errorf("first 16 bytes % x differ from FORMAT.md §9", golden[:16])
	}

	// An independent reader written from FORMAT.md agrees.
	st, err := specDecode(golden)
	if err != nil {
		t.Fatal(err)
	}
	checkContent(t, "specDecode", st.tensors, st.meta, ts, meta)

	// And so does the package, through each way of reading.
	dir := t.TempDir()
	path := filepath.Join(dir, "g.ckpt")
	os.WriteFile(path, golden, 0o644)
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []Tensor
	for _, info := range f.Tensors() {
		data, err := f.Read(info.Name)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, Tensor{Name: info.Name, Shape: info.Shape, Data: data})
	}
	checkContent(t, "Open", got, f.Meta(), ts, meta)
}

func checkContent(t *testing.T, who string, got []Tensor, gotMeta map[string]string, want []Tensor, wantMeta map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d tensors, want %d", who, len(got), len(want))
	}
	for _, w := range want {
		i := slices.IndexFunc(got, func(g Tensor) bool { return g.Name == w.Name })
		if i < 0 {
			t.Fatalf("%s: no tensor %q", who, w.Name)
		}
		if !slices.Equal(got[i].Shape, w.Shape) && len(got[i].Shape)+len(w.Shape) != 0 {
			t.Errorf("%s: %s shape %v, want %v", who, w.Name, got[i].Shape, w.Shape)
		}
		if !sameBits(got[i].Data, w.Data) {
			t.Errorf("%s: %s data %v, want %v", who, w.Name, got[i].Data, w.Data)
		}
	}
	if fmt.Sprint(gotMeta) != fmt.Sprint(wantMeta) {
		t.Errorf("%s: meta %v, want %v", who, gotMeta, wantMeta)
	}
}

type specFile struct {
	minor, optional uint64
	tensors         []Tensor
	meta            map[string]string
}

// specDecode is a second, deliberately plain reader written from FORMAT.md
// alone (a struct walk with encoding/binary, no shared helpers), used to catch
// differences between the spec and the package's reader. It checks the
// properties a conforming reader must check but reports them tersely.
func specDecode(b []byte) (*specFile, error) {
	le := binary.LittleEndian
	tab := crc32.MakeTable(crc32.Castagnoli)
	if len(b) < 64 || string(b[:8]) != "\x89LNC\r\n\x1a\n" {
		return nil, errors.New("no magic")
	}
	if crc32.Checksum(b[:60], tab) != le.Uint32(b[60:]) {
		return nil, errors.New("header crc")
	}
	if le.Uint16(b[8:]) != 1 || b[12] != 1 || b[13] != 6 || le.Uint16(b[14:]) != 0 || le.Uint32(b[56:]) != 0 {
		return nil, errors.New("header fields")
	}
	nt, nm := uint64(le.Uint32(b[16:])), uint64(le.Uint32(b[20:]))
	isz, doff, dsz := le.Uint64(b[24:]), le.Uint64(b[32:]), le.Uint64(b[40:])
	if nt > 65536 || nm > 1024 || isz > 16<<20 || 96*nt+16*nm > isz {
		return nil, errors.New("counts")
	}
	if doff != (64+isz+63)/64*64 || doff > uint64(len(b)) || uint64(len(b))-doff != dsz {
		return nil, errors.New("sizes")
	}
	index := b[64 : 64+isz]
	if crc32.Checksum(index, tab) != le.Uint32(b[48:]) {
		return nil, errors.New("index crc")
	}
	for _, c := range b[64+isz : doff] {
		if c != 0 {
			return nil, errors.New("index padding")
		}
	}
	strs := index[96*nt+16*nm:]
	var pos uint64
	str := func(off, n uint64) (string, error) {
		if off != pos || n > uint64(len(strs))-pos {
			return "", errors.New("string ref")
		}
		pos += n
		return string(strs[off : off+n]), nil
	}
	okName := func(s string) bool {
		if len(s) < 1 || len(s) > 255 {
			return false
		}
		for _, c := range []byte(s) {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || bytes.IndexByte([]byte("_.:/-"), c) >= 0) {
				return false
			}
		}
		return true
	}
	data := b[doff:]
	sf := &specFile{minor: uint64(le.Uint16(b[10:])), optional: uint64(le.Uint32(b[52:])), meta: map[string]string{}}
	var end uint64
	for i := range nt {
		e := index[96*i : 96*i+96]
		name, err := str(uint64(le.Uint32(e[16:])), uint64(le.Uint16(e[20:])))
		if err != nil || !okName(name) || (i > 0 && name <= sf.tensors[i-1].Name) {
			return nil, errors.New("name")
		}
		if e[22] != 1 || e[23] > 8 || le.Uint32(e[92:]) != 0 {
			return nil, errors.New("entry fields")
		}
		rank := int(e[23])
		shape := make([]int, rank)
		n := big1()
		for j := range 8 {
			d := le.Uint64(e[24+8*j:])
			if j >= rank {
				if d != 0 {
					return nil, errors.New("unused dim")
				}
				continue
			}
			if d > 1<<40 {
				return nil, errors.New("dim")
			}
			shape[j] = int(d)
			n = n.mul(d)
		}
		off, length := le.Uint64(e[0:]), le.Uint64(e[8:])
		if n.overflow || n.v >= 1<<62 || n.v*4 != length {
			return nil, errors.New("length")
		}
		if off != (end+63)/64*64 || off > dsz || length > dsz-off {
			return nil, errors.New("offset")
		}
		payload := data[off : off+length]
		if crc32.Checksum(payload, tab) != le.Uint32(e[88:]) {
			return nil, errors.New("payload crc")
		}
		vals := make([]float32, length/4)
		for k := range vals {
			vals[k] = math.Float32frombits(le.Uint32(payload[4*k:]))
		}
		sf.tensors = append(sf.tensors, Tensor{Name: name, Shape: shape, Data: vals})
		end = off + length
	}
	var prev string
	for i := range nm {
		e := index[96*nt+16*i : 96*nt+16*i+16]
		k, err := str(uint64(le.Uint32(e[0:])), uint64(le.Uint16(e[4:])))
		if err != nil || !okName(k) || (i > 0 && k <= prev) || le.Uint16(e[6:]) != 0 {
			return nil, errors.New("key")
		}
		v, err := str(uint64(le.Uint32(e[8:])), uint64(le.Uint32(e[12:])))
		if err != nil || len(v) > 65536 || !utf8.ValidString(v) {
			return nil, errors.New("value")
		}
		sf.meta[k], prev = v, k
	}
	if pos != uint64(len(strs)) || dsz != (end+63)/64*64 {
		return nil, errors.New("trailing")
	}
	for _, c := range data[end:] {
		if c != 0 {
			return nil, errors.New("data padding")
		}
	}
	// Padding between payloads must be zero too.
	prevEnd := uint64(0)
	for i := range nt {
		off := le.Uint64(index[96*i:])
		for _, c := range data[prevEnd:off] {
			if c != 0 {
				return nil, errors.New("data padding")
			}
		}
		prevEnd = off + le.Uint64(index[96*i+8:])
	}
	return sf, nil
}

type checkedCount struct {
	v        uint64
	overflow bool
	zero     bool
}

func big1() checkedCount { return checkedCount{v: 1} }

// mul multiplies, remembering overflow; a zero factor makes the product 0
// whatever overflowed before.
func (c checkedCount) mul(d uint64) checkedCount {
	if d == 0 || c.zero {
		return checkedCount{zero: true}
	}
	if c.v > math.MaxUint64/d {
		c.overflow = true
	}
	c.v *= d
	return c
}
