//go:build !purego

package kernels

// dropoutMaskNEON is dropoutMaskGeneric (see mask_arm64.s): th in
// [1, 65535], len(mask) bounded by maskChunk by the caller, DropoutMask.
//
//go:noescape
func dropoutMaskNEON(mask []uint64, th uint32, ctr uint64)

func dropoutMask(mask []uint64, th uint32, ctr uint64) {
	if active == isaNEON {
		dropoutMaskNEON(mask, th, ctr)
		return
	}
	dropoutMaskGeneric(mask, th, ctr)
}
