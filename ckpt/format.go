package ckpt

import (
	"encoding/binary"
	"hash/crc32"
	"strconv"
)

// Layout constants of format version 1 (see FORMAT.md).
const (
	headerSize    = 64
	tensorEntSize = 96
	metaEntSize   = 16

	versionMajor = 1
	versionMinor = 0

	byteOrderLittle = 1
	alignLog2       = 6
	alignment       = 1 << alignLog2 // payload alignment in bytes

	// Header field offsets.
	offMajor        = 8
	offMinor        = 10
	offByteOrder    = 12
	offAlignLog2    = 13
	offRequired     = 14
	offTensorCount  = 16
	offMetaCount    = 20
	offIndexSize    = 24
	offDataOffset   = 32
	offDataSize     = 40
	offIndexCRC     = 48
	offOptional     = 52
	offReserved     = 56
	offHeaderCRC    = 60
	headerCRCLength = 60 // the header CRC covers bytes [0, 60)

	// Tensor entry field offsets.
	entDataOff  = 0
	entDataLen  = 8
	entNameOff  = 16
	entNameLen  = 20
	entDType    = 22
	entRank     = 23
	entDims     = 24
	entCRC      = 88
	entReserved = 92

	// Metadata entry field offsets.
	metaKeyOff   = 0
	metaKeyLen   = 4
	metaReserved = 6
	metaValOff   = 8
	metaValLen   = 12
)

// Fixed limits. They bound every allocation the reader makes from header
// values, and Save refuses input that exceeds them.
const (
	MaxTensors    = 1 << 16  // tensors per file
	MaxMeta       = 1 << 10  // metadata entries per file
	MaxIndexSize  = 16 << 20 // bytes of index (entries + string table)
	MaxRank       = 8        // dimensions per tensor
	MaxDim        = 1 << 40  // elements along one dimension
	MaxNameLen    = 255      // bytes in a tensor name or metadata key
	MaxMetaValLen = 64 << 10 // bytes in a metadata value
)

// magic identifies a lanes checkpoint. The high-bit first byte, the CR LF pair,
// ^Z and the final LF detect 7-bit transfers and line-ending conversion, as in
// PNG; "LNC" stands for lanes checkpoint.
var magic = [8]byte{0x89, 'L', 'N', 'C', '\r', '\n', 0x1a, '\n'}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

var le = binary.LittleEndian

// hostLittleEndian reports whether float32 values in memory already have the
// file's byte order, which allows reading payloads straight into []float32.
var hostLittleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// DType is the element type of a tensor. It is a closed enumeration: a file
// with any other value is rejected.
type DType uint8

// Float32 is IEEE 754 binary32, stored little-endian (4 bytes per element).
const Float32 DType = 1

func (d DType) size() uint64 {
	if d == Float32 {
		return 4
	}
	return 0
}

func (d DType) String() string {
	if d == Float32 {
		return "float32"
	}
	return "dtype(" + strconv.Itoa(int(d)) + ")"
}

// alignUp rounds n up to the payload alignment. Callers guarantee that n is
// far below 2^64 (it is bounded by a file size), so it cannot overflow.
func alignUp(n uint64) uint64 {
	return (n + alignment - 1) &^ (alignment - 1)
}

// validName reports whether s is a legal tensor name or metadata key: 1 to
// 255 bytes of [A-Za-z0-9_.:/-]. The narrow alphabet rules out invisible,
// confusable or control characters that would make two names look alike.
func validName(s string) bool {
	if len(s) == 0 || len(s) > MaxNameLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '_', c == '.', c == ':', c == '/', c == '-':
		default:
			return false
		}
	}
	return true
}

// nameProblem explains why validName rejected s.
func nameProblem(s string) string {
	if len(s) == 0 {
		return "name is empty"
	}
	if len(s) > MaxNameLen {
		return "name is " + strconv.Itoa(len(s)) + " bytes, the limit is " + strconv.Itoa(MaxNameLen)
	}
	for i := 0; i < len(s); i++ {
		if !validName(s[i : i+1]) {
			return "name has byte " + strconv.QuoteToASCII(s[i:i+1]) + " at index " + strconv.Itoa(i) +
				"; names use only A-Z a-z 0-9 _ . : / -"
		}
	}
	return "name is invalid"
}
