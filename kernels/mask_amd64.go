//go:build !purego

package kernels

// dropoutMaskAVX512 and dropoutMaskAVX2 are dropoutMaskGeneric (see
// mask_amd64.s): th in [1, 65535], len(mask) bounded by maskChunk by the
// caller, DropoutMask.
//
//go:noescape
func dropoutMaskAVX512(mask []uint64, th uint32, ctr uint64)

//go:noescape
func dropoutMaskAVX2(mask []uint64, th uint32, ctr uint64)

func dropoutMask(mask []uint64, th uint32, ctr uint64) {
	switch active {
	case isaAVX512:
		dropoutMaskAVX512(mask, th, ctr)
	case isaAVX2:
		dropoutMaskAVX2(mask, th, ctr)
	default:
		dropoutMaskGeneric(mask, th, ctr)
	}
}
