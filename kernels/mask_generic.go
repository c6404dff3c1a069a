package kernels

// dropoutMaskGeneric fills mask with DropoutMask's bits for a threshold th in
// [1, 65535], ctr being the generator's state for the first draw of mask[0]
// (seed + (16·first+1)·γ): word w takes the draws
// splitmix64Mix(ctr + (16w+j)·γ) for j = 0..15, draw j giving bits 4j..4j+3.
//
// The compare is branch-free (a kept/dropped branch would be mispredicted
// about min(keep, 1-keep) of the time) and does two units per 64-bit add (see
// dropped4). The flags of 8 draws are collected two by two and put in unit
// order once (spreadPairs), rather than draw by draw: 22.5 against 25.2 µs
// for 512 words (medians of 8, side by side). The word is the complement of
// the dropped flags.
func dropoutMaskGeneric(mask []uint64, th uint32, ctr uint64) {
	lanes := uint64(1<<16-th) * (1<<32 | 1) // 2¹⁶-th in each 32-bit half
	g := uint64(splitmixGamma)              // a variable, so that c+j*g wraps
	for w := range mask {
		c := ctr + 16*uint64(w)*g
		// Draw j's flags (bits 16, 17, 48, 49) go to bits 2j, 2j+1, 32+2j,
		// 33+2j: constant shifts, spelled out, since Go guards a variable
		// shift with extra instructions.
		lo := dropped4(splitmix64Mix(c), lanes)>>16 |
			dropped4(splitmix64Mix(c+1*g), lanes)>>14 |
			dropped4(splitmix64Mix(c+2*g), lanes)>>12 |
			dropped4(splitmix64Mix(c+3*g), lanes)>>10 |
			dropped4(splitmix64Mix(c+4*g), lanes)>>8 |
			dropped4(splitmix64Mix(c+5*g), lanes)>>6 |
			dropped4(splitmix64Mix(c+6*g), lanes)>>4 |
			dropped4(splitmix64Mix(c+7*g), lanes)>>2
		hi := dropped4(splitmix64Mix(c+8*g), lanes)>>16 |
			dropped4(splitmix64Mix(c+9*g), lanes)>>14 |
			dropped4(splitmix64Mix(c+10*g), lanes)>>12 |
			dropped4(splitmix64Mix(c+11*g), lanes)>>10 |
			dropped4(splitmix64Mix(c+12*g), lanes)>>8 |
			dropped4(splitmix64Mix(c+13*g), lanes)>>6 |
			dropped4(splitmix64Mix(c+14*g), lanes)>>4 |
			dropped4(splitmix64Mix(c+15*g), lanes)>>2
		mask[w] = ^(spreadPairs(lo) | spreadPairs(hi)<<32)
	}
}

// dropped4 returns whether each of z's four 16-bit uniforms (lowest first)
// is at least the threshold th of lanes = (2¹⁶-th)·(2³²+1), that is whether
// its unit is dropped, in bits 16, 17, 48 and 49. A uniform x in the low 16
// bits of a 32-bit half, plus 2¹⁶-th, reaches bit 16 exactly when x ≥ th,
// and never carries into the other half.
func dropped4(z, lanes uint64) uint64 {
	const halves = 0x0000_ffff_0000_ffff  // uniforms 0 and 2 (bits 0-15, 32-47)
	const bit16 = 0x0001_0000_0001_0000   // bit 16 of each 32-bit half
	even := (z&halves + lanes) & bit16    // units 0 and 2: bits 16 and 48
	odd := (z>>16&halves + lanes) & bit16 // units 1 and 3: bits 16 and 48
	return even | odd<<1
}

// spreadPairs puts 8 draws' flags in unit order: draw j's units 0-1 come in
// bits 2j..2j+1 and its units 2-3 in bits 32+2j..33+2j; they leave in bits
// 4j..4j+3 of the result's low 32 bits. Each half's pairs spread to every
// fourth bit pair (32 bits per half), then the high half's slide in between.
func spreadPairs(d uint64) uint64 {
	d = (d | d<<8) & 0x00ff_00ff_00ff_00ff
	d = (d | d<<4) & 0x0f0f_0f0f_0f0f_0f0f
	d = (d | d<<2) & 0x3333_3333_3333_3333
	return (d | d>>30) & 0xffff_ffff
}
