package kernels

// dropoutMaskGeneric fills mask with DropoutMask's bits for a threshold th in
// [1, 65535], ctr being the generator's state for the first draw of mask[0]
// (seed + (16·first+1)·γ): word w takes the draws
// splitmix64Mix(ctr + (16w+j)·γ) for j = 0..15, draw j giving bits 4j..4j+3.
//
// The compare is branch-free (a kept/dropped branch would be mispredicted
// about min(keep, 1-keep) of the time) and does two units per 64-bit add: a
// uniform x in the low 16 bits of a 32-bit half, plus 2¹⁶-th, reaches bit 16
// exactly when x ≥ th, that is when the unit is dropped, and never carries
// into the other half. dropped4 gathers those four bits; the word is the
// complement of the sixteen groups.
func dropoutMaskGeneric(mask []uint64, th uint32, ctr uint64) {
	lanes := uint64(1<<16-th) * (1<<32 | 1) // 2¹⁶-th in each 32-bit half
	g := uint64(splitmixGamma)              // a variable, so that c+j*g wraps
	for w := range mask {
		c := ctr + 16*uint64(w)*g
		// Constant shifts, spelled out: a loop over j would make the shifts
		// variable, which Go guards with extra instructions.
		mask[w] = ^(dropped4(splitmix64Mix(c), lanes) |
			dropped4(splitmix64Mix(c+1*g), lanes)<<4 |
			dropped4(splitmix64Mix(c+2*g), lanes)<<8 |
			dropped4(splitmix64Mix(c+3*g), lanes)<<12 |
			dropped4(splitmix64Mix(c+4*g), lanes)<<16 |
			dropped4(splitmix64Mix(c+5*g), lanes)<<20 |
			dropped4(splitmix64Mix(c+6*g), lanes)<<24 |
			dropped4(splitmix64Mix(c+7*g), lanes)<<28 |
			dropped4(splitmix64Mix(c+8*g), lanes)<<32 |
			dropped4(splitmix64Mix(c+9*g), lanes)<<36 |
			dropped4(splitmix64Mix(c+10*g), lanes)<<40 |
			dropped4(splitmix64Mix(c+11*g), lanes)<<44 |
			dropped4(splitmix64Mix(c+12*g), lanes)<<48 |
			dropped4(splitmix64Mix(c+13*g), lanes)<<52 |
			dropped4(splitmix64Mix(c+14*g), lanes)<<56 |
			dropped4(splitmix64Mix(c+15*g), lanes)<<60)
	}
}

// dropped4 returns, in bits 0-3, whether each of z's four 16-bit uniforms
// (lowest first) is at least the threshold th of lanes = (2¹⁶-th)·(2³²+1),
// that is whether its unit is dropped.
func dropped4(z, lanes uint64) uint64 {
	const halves = 0x0000_ffff_0000_ffff  // uniforms 0 and 2 (bits 0-15, 32-47)
	const bit16 = 0x0001_0000_0001_0000   // bit 16 of each 32-bit half
	even := (z&halves + lanes) & bit16    // units 0 and 2 dropped: bits 16 and 48
	odd := (z>>16&halves + lanes) & bit16 // units 1 and 3 dropped: bits 16 and 48
	both := even>>16 | odd>>15            // units 0-3 in bits 0, 1, 32, 33
	return (both | both>>30) & 0xf
}
