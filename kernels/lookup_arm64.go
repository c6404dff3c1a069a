//go:build !purego

package kernels

// lookupNEON is lookupGeneric for n = len(dst) = len(codes), n > 0 and a
// multiple of 16, using NEON table lookups (TBL, TBX; see lookup_arm64.s).
// A TBL looks up 16 bytes at once in a table of at most four registers (64
// bytes), so the kernel first splits the 1 KiB table into byte planes
// (plane p holds byte p of every entry) in planes, laid out as four
// segments of 64 entries, each holding its four planes' 64 bytes in turn:
// planes[256s+64p+j] = byte p of table[64s+j]. Each block of 48 codes (then
// of 16) then takes, per segment, four plane loads of 64 bytes and, per 16
// codes and plane, one TBL or TBX; ST4 interleaves the four planes' bytes
// into float32s as it stores them.
//
// Its speed is unmeasured: the project has no arm64 hardware, and qemu,
// which runs the tests, says nothing about speed. Counted per 48 codes it
// is 48 four-register TBL/TBX, 16 four-register loads of the planes, 9
// byte subtractions, one load of codes and 3 ST4 stores, against 48 rounds
// of the generic loop's byte load, table load and store; each call also
// zeroes and splits planes (16 VLD4, 64 stores). Four-register TBL is a
// multi-cycle instruction on many cores, so whether this beats the generic
// loop, and from which n, must be measured on arm64 hardware before anyone
// claims it.
//
//go:noescape
func lookupNEON(dst *float32, codes *uint8, n int, table *[256]float32, planes *[1024]byte)

func lookup(dst []float32, codes []uint8, table *[256]float32) {
	codes = codes[:len(dst)]
	n := len(dst) &^ 15 // the kernel's share: whole blocks of 16
	if active != isaNEON || n == 0 {
		lookupGeneric(dst, codes, table)
		return
	}
	var planes [1024]byte // scratch for the byte planes; it stays on the stack
	lookupNEON(&dst[0], &codes[0], n, table, &planes)
	lookupGeneric(dst[n:], codes[n:], table)
}
