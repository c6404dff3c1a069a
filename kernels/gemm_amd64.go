//go:build !purego

package kernels

// Assembly in gemm_amd64.s; its header describes the kernels. It is
// generated from templates:
//go:generate go run gemm_amd64_gen.go

//go:noescape
func sgemm12x32PackedAVX512(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc, rows int, mask uint32, alpha, beta float32)

//go:noescape
func sgemm12x32RowAAVX512(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc, rows int, mask uint32, alpha, beta float32)

//go:noescape
func sgemm12x32RowBAVX512(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc, rows int, mask uint32, alpha, beta float32)

//go:noescape
func sgemm12x32RowABAVX512(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc, rows int, mask uint32, alpha, beta float32)

//go:noescape
func sgemm12x32ColAAVX512(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc, rows int, mask uint32, alpha, beta float32)

//go:noescape
func sgemm12x32ColARowBAVX512(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc, rows int, mask uint32, alpha, beta float32)

//go:noescape
func sgemm12x16PackedAVX512(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc, rows int, mask uint32, alpha, beta float32)

//go:noescape
func sgemm12x16RowAAVX512(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc, rows int, mask uint32, alpha, beta float32)

//go:noescape
func sgemm12x16RowBAVX512(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc, rows int, mask uint32, alpha, beta float32)

//go:noescape
func sgemm12x16RowABAVX512(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc, rows int, mask uint32, alpha, beta float32)

//go:noescape
func sgemm12x16ColAAVX512(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc, rows int, mask uint32, alpha, beta float32)

//go:noescape
func sgemm12x16ColARowBAVX512(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc, rows int, mask uint32, alpha, beta float32)

//go:noescape
func packScatterAVX512(rows, kb int, src *float32, ld int, dst *float32, stride int)

//go:noescape
func transpose16AVX512(kb int, src *float32, ld int, dst *float32, dstStride int)

//go:noescape
func sgemmKernel6x16AVX2(kc int, a, b, c *float32, ldc int, alpha, beta float32)

//go:noescape
func sgemmKernel6x16RowMajorAAVX2(kc int, a *float32, lda int, b, c *float32, ldc int, alpha, beta float32)

//go:noescape
func gemvN256AVX512(k int, x, b *float32, ldb int, y *float32)

//go:noescape
func gemvN128AVX512(k int, x, b *float32, ldb int, y *float32)

//go:noescape
func gemvN64AVX512(k int, x, b *float32, ldb int, y *float32)

//go:noescape
func gemvN16AVX512(k int, x, b *float32, ldb int, y *float32, mask uint16)

//go:noescape
func gemvT4AVX512(k int, x, b0, b1, b2, b3, y *float32)

//go:noescape
func gemvN64AVX2(k int, x, b *float32, ldb int, y *float32)

//go:noescape
func gemvT4AVX2(k int, x, b0, b1, b2, b3, y *float32)

//go:noescape
func sgemmCols1AVX512(kc int, a, b *float32, ldb int, t, out *float32)

//go:noescape
func sgemmCols2AVX512(kc int, a, b *float32, ldb int, t, out *float32)

//go:noescape
func sgemmCols3AVX512(kc int, a, b *float32, ldb int, t, out *float32)

//go:noescape
func sgemmCols4AVX512(kc int, a, b *float32, ldb int, t, out *float32)

//go:noescape
func sgemmCols5AVX512(kc int, a, b *float32, ldb int, t, out *float32)

//go:noescape
func sgemmCols6AVX512(kc int, a, b *float32, ldb int, t, out *float32)

//go:noescape
func sgemmCols7AVX512(kc int, a, b *float32, ldb int, t, out *float32)

//go:noescape
func sgemmCols8AVX512(kc int, a, b *float32, ldb int, t, out *float32)

//go:noescape
func sgemmCols9AVX512(kc int, a, b *float32, ldb int, t, out *float32)

//go:noescape
func sgemmCols10AVX512(kc int, a, b *float32, ldb int, t, out *float32)

//go:noescape
func sgemmCols11AVX512(kc int, a, b *float32, ldb int, t, out *float32)

//go:noescape
func sgemmCols12AVX512(kc int, a, b *float32, ldb int, t, out *float32)

// colsKernels[n] is sgemmCols<n>AVX512.
var colsKernels = [colsMaxAVX512 + 1]func(kc int, a, b *float32, ldb int, t, out *float32){nil,
	sgemmCols1AVX512, sgemmCols2AVX512, sgemmCols3AVX512, sgemmCols4AVX512,
	sgemmCols5AVX512, sgemmCols6AVX512, sgemmCols7AVX512, sgemmCols8AVX512,
	sgemmCols9AVX512, sgemmCols10AVX512, sgemmCols11AVX512, sgemmCols12AVX512}

var (
	avx512Gemm = newAVX512Gemm()
	avx2Gemm   = newAVX2Gemm()
)

// avx512Kernels lists the addressing variants (see gemm_amd64.s) of the
// 12×32 and 12×16 AVX-512 kernels, indexed by [A packed, in place or in
// place transposed][B packed or in place].
type avx512Kernel func(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc, rows int, mask uint32, alpha, beta float32)

var (
	avx512Kernels32 = [3][2]avx512Kernel{
		{sgemm12x32PackedAVX512, sgemm12x32RowBAVX512},
		{sgemm12x32RowAAVX512, sgemm12x32RowABAVX512},
		{sgemm12x32ColAAVX512, sgemm12x32ColARowBAVX512},
	}
	avx512Kernels16 = [3][2]avx512Kernel{
		{sgemm12x16PackedAVX512, sgemm12x16RowBAVX512},
		{sgemm12x16RowAAVX512, sgemm12x16RowABAVX512},
		{sgemm12x16ColAAVX512, sgemm12x16ColARowBAVX512},
	}
)

func gemmFor(i isa) *gemmImpl {
	switch i {
	case isaAVX512:
		return avx512Gemm
	case isaAVX2:
		return avx2Gemm
	}
	return genericGemm
}

func newAVX512Gemm() *gemmImpl {
	g := &gemmImpl{
		name:       "avx512",
		mr:         12,
		nr:         32,
		tile:       tile12x32AVX512,
		inPlaceA:   true,
		inPlaceB:   true,
		inPlaceAT:  true,
		interleave: interleaveAVX512,
		gemvN:      gemvNAVX512,
		gemvT:      gemvTAVX512,
		cols:       sgemmColsAVX512,
		colsMax:    colsMaxAVX512,
	}
	g.setBlocking(detectCaches())
	narrow := *g
	narrow.name, narrow.nr, narrow.tile = "avx512-narrow", 16, tile12x16AVX512
	narrow.setBlocking(detectCaches())
	g.narrow = &narrow
	return g
}

func newAVX2Gemm() *gemmImpl {
	g := &gemmImpl{
		name:     "avx2",
		mr:       6,
		nr:       16,
		tile:     tile6x16AVX2,
		inPlaceA: true,
		gemvN:    gemvNAVX2,
		gemvT:    gemvTAVX2,
	}
	cs := detectCaches()
	g.setBlocking(cs)
	// The 6×16 tile reads 6 floats of A per step and 16 of B. When B does
	// not fit g's L2-sized block (1024³: 512×1024 floats against 512×512),
	// keeping B's micro-panel in L1 and streaming the smaller A from L2
	// measured faster: 1024³ NN 83.5 -> 87.3 GFLOP/s, TN 65.6 -> 71.9
	// (one thread, medians of 10-16 on a shared VM). The MLP's shapes fit
	// and keep g, which was as fast or faster on them.
	large := *g
	large.name, large.bPanelInL1 = "avx2-large", true
	large.setBlocking(cs)
	g.large = &large
	return g
}

// columnMask has bit j set for each of the first cols (<= 32) columns.
func columnMask(cols int) uint32 { return uint32(1)<<cols - 1 }

// tile12x32AVX512 is gemmImpl.tile for AVX-512: edge tiles are handled by
// the kernel (row count and column masks), so it only picks the variant.
func tile12x32AVX512(kc int, a []float32, lda int, b []float32, ldb int, c []float32, ldc, rows, cols int, alpha, beta float32) {
	tileAVX512(&avx512Kernels32, 32, kc, a, lda, b, ldb, c, ldc, rows, cols, alpha, beta)
}

// tile12x16AVX512 is the same for op(B) at most 16 columns wide.
func tile12x16AVX512(kc int, a []float32, lda int, b []float32, ldb int, c []float32, ldc, rows, cols int, alpha, beta float32) {
	tileAVX512(&avx512Kernels16, 16, kc, a, lda, b, ldb, c, ldc, rows, cols, alpha, beta)
}

func tileAVX512(kernels *[3][2]avx512Kernel, nr, kc int, a []float32, lda int, b []float32, ldb int, c []float32, ldc, rows, cols int, alpha, beta float32) {
	// Bounds: the kernel reads 12 rows of A and kc steps of B.
	aMode, inPlaceB := 0, 0
	switch {
	case lda == 0:
		_ = a[12*kc-1]
	case lda > 0:
		_ = a[11*lda+kc-1]
		aMode = 1
	default:
		lda = -lda
		_ = a[(kc-1)*lda+11]
		aMode = 2
	}
	if ldb == 0 {
		_ = b[nr*kc-1]
	} else {
		_ = b[(kc-1)*ldb+cols-1]
		inPlaceB = 1
	}
	_ = c[(rows-1)*ldc+cols-1]
	kernels[aMode][inPlaceB](kc, &a[0], lda, &b[0], ldb, &c[0], ldc, rows, columnMask(cols), alpha, beta)
}

// tile6x16AVX2 is gemmImpl.tile for AVX2 (B always packed). The kernel
// writes only full tiles; edge tiles go through a scratch tile.
func tile6x16AVX2(kc int, a []float32, lda int, b []float32, _ int, c []float32, ldc, rows, cols int, alpha, beta float32) {
	_ = b[16*kc-1]
	if lda == 0 {
		_ = a[6*kc-1]
	} else {
		_ = a[5*lda+kc-1]
	}
	dst, ldd, al, be := &c[0], ldc, alpha, beta
	var t [6 * 16]float32
	edge := rows < 6 || cols < 16
	if edge {
		dst, ldd, al, be = &t[0], 16, 1, 0
	} else {
		_ = c[5*ldc+15]
	}
	if lda == 0 {
		sgemmKernel6x16AVX2(kc, &a[0], &b[0], dst, ldd, al, be)
	} else {
		sgemmKernel6x16RowMajorAAVX2(kc, &a[0], lda, &b[0], dst, ldd, al, be)
	}
	if edge {
		epilogueTile(t[:], 16, c, ldc, rows, cols, alpha, beta)
	}
}

// interleaveAVX512 packs rows r0..r0+nrows of src (row stride ld), columns
// p0..p0+kb, as width-row panels in which step p holds one element of each
// row: panel q at dst[q*width*kb:], element (r, p) at [p*width+r], rows past
// nrows zero. Groups of 16 whole rows are transposed in registers
// (transpose16AVX512); the rest, a partial group at the edge or width not a
// multiple of 16, is scattered row by row (packScatterAVX512). Both read
// rows contiguously: a gather across rows thrashes L1 sets when ld*4 is a
// multiple of 4 KiB.
func interleaveAVX512(dst, src []float32, ld, r0, nrows, p0, kb, width int) {
	for q := 0; q < nrows; q += width {
		panel := dst[q*kb : (q+width)*kb]
		cnt := min(width, nrows-q)
		_ = src[(r0+q+cnt-1)*ld+p0+kb-1]
		done := 0
		if width%16 == 0 {
			for ; done+16 <= cnt; done += 16 {
				transpose16AVX512(kb, &src[(r0+q+done)*ld+p0], ld, &panel[done], width)
			}
		}
		if done < cnt {
			packScatterAVX512(cnt-done, kb, &src[(r0+q+done)*ld+p0], ld, &panel[done], width)
		}
		if cnt < width {
			for p := 0; p < kb; p++ {
				clear(panel[p*width+cnt : (p+1)*width])
			}
		}
	}
}

// gemvRowsPerCall bounds one gemvN assembly call to 1024 rows of b (at most
// 256 KiB read, a few microseconds), since assembly cannot be preempted.
const gemvRowsPerCall = 1024

func gemvNAVX512(k int, x, b []float32, ldb int, y []float32) {
	n := len(y)
	x = x[:k]
	if k == 0 || n == 0 {
		return
	}
	_ = b[(k-1)*ldb+n-1]
	for p0 := 0; p0 < k; p0 += gemvRowsPerCall {
		rows := min(gemvRowsPerCall, k-p0)
		j := 0
		for ; j+256 <= n; j += 256 {
			gemvN256AVX512(rows, &x[p0], &b[p0*ldb+j], ldb, &y[j])
		}
		if j+128 <= n {
			gemvN128AVX512(rows, &x[p0], &b[p0*ldb+j], ldb, &y[j])
			j += 128
		}
		if j+64 <= n {
			gemvN64AVX512(rows, &x[p0], &b[p0*ldb+j], ldb, &y[j])
			j += 64
		}
		for ; j < n; j += 16 {
			gemvN16AVX512(rows, &x[p0], &b[p0*ldb+j], ldb, &y[j], uint16(columnMask(min(16, n-j))))
		}
	}
}

// gemvDotsPerCall bounds one gemvT4 call to 4×16384 multiply-adds.
const gemvDotsPerCall = 1 << 14

func gemvTAVX512(k int, x, b []float32, ldb int, y []float32) {
	gemvT4Rows(k, x, b, ldb, y, k, true)
}

// gemvT4Rows runs the four-row dot-product kernel (gemvT4AVX512 if avx512,
// else gemvT4AVX2) over the rows of b, kVec elements per row (k rounded
// down to what the kernel handles; the rest are added in Go), in calls of
// at most gemvDotsPerCall elements. The kernel is called directly, not
// through a func value, so that the row pointers stay on the stack.
func gemvT4Rows(k int, x, b []float32, ldb int, y []float32, kVec int, avx512 bool) {
	n := len(y)
	x = x[:k]
	if k == 0 || n == 0 {
		return
	}
	_ = b[(n-1)*ldb+k-1]
	var spare [4]float32
	for p0 := 0; p0 < kVec; p0 += gemvDotsPerCall {
		kk := min(gemvDotsPerCall, kVec-p0)
		for j := 0; j < n; j += 4 {
			// Rows past the end repeat row j; their sums go to spare.
			var rows [4]*float32
			out := y[j:]
			if n-j < 4 {
				copy(spare[:], y[j:n])
				out = spare[:]
			}
			for r := range rows {
				row := j + r
				if row >= n {
					row = j
				}
				rows[r] = &b[row*ldb+p0]
			}
			if avx512 {
				gemvT4AVX512(kk, &x[p0], rows[0], rows[1], rows[2], rows[3], &out[0])
			} else {
				gemvT4AVX2(kk, &x[p0], rows[0], rows[1], rows[2], rows[3], &out[0])
			}
			if n-j < 4 {
				copy(y[j:n], spare[:n-j])
			}
		}
	}
	if kVec < k {
		for j := range y {
			row := b[j*ldb:][:k]
			s := y[j]
			for p := kVec; p < k; p++ {
				s += x[p] * row[p]
			}
			y[j] = s
		}
	}
}

func gemvNAVX2(k int, x, b []float32, ldb int, y []float32) {
	n := len(y)
	x = x[:k]
	if k == 0 || n == 0 {
		return
	}
	_ = b[(k-1)*ldb+n-1]
	wide := n &^ 63
	for p0 := 0; p0 < k; p0 += gemvRowsPerCall {
		rows := min(gemvRowsPerCall, k-p0)
		for j := 0; j < wide; j += 64 {
			gemvN64AVX2(rows, &x[p0], &b[p0*ldb+j], ldb, &y[j])
		}
	}
	if wide < n { // the last n mod 64 columns
		gemvNGeneric(k, x, b[wide:], ldb, y[wide:])
	}
}

func gemvTAVX2(k int, x, b []float32, ldb int, y []float32) {
	gemvT4Rows(k, x, b, ldb, y, k&^7, false)
}

// colsMaxAVX512 is the widest op(B) that sgemmColsAVX512 takes: 12 columns
// use 24 accumulators.
const colsMaxAVX512 = 12

// colsKC bounds the k steps of one sgemmCols call (a 32×colsKC panel of A,
// 64 KiB, about 3 µs of work).
const colsKC = 512

// sgemmColsAVX512 is gemmImpl.cols: C = alpha·A·B + beta·C for A and B not
// transposed and n <= 12. With so few columns a 16- or 32-wide tile wastes
// most of its lanes (the 12×16 kernel does 16 columns of work for the
// MLP's 10), so the vectors run along the rows of C instead: 32 rows of A,
// packed, times each b[p][j] broadcast, into a 32×n tile, which the last
// k chunk's call leaves by rows in out, from which C is written. B is read in place. Each element is
// one chain of FMAs over p in order, whatever k's chunking.
func sgemmColsAVX512(m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	buf := getGemmBuffers()
	defer putGemmBuffers(buf)
	kc := min(k, colsKC)
	panel := aligned64(&buf.aRaw, 32*kc)
	t := aligned64(&buf.yRaw, 32*n)
	out := aligned64(&buf.xRaw, 32*16)
	kernel := colsKernels[n]
	_ = b[(k-1)*ldb+n-1] // the kernel reads b[p*ldb+j], p < k, j < n
	for i := 0; i < m; i += 32 {
		rows := min(32, m-i)
		clear(t)
		for p0 := 0; p0 < k; p0 += kc {
			kb := min(kc, k-p0)
			interleaveAVX512(panel, a, lda, i, rows, p0, kb, 32)
			var last *float32
			if p0+kb == k {
				last = &out[0]
			}
			kernel(kb, &panel[0], &b[p0*ldb], ldb, &t[0], last)
		}
		epilogueTile(out, 16, c[i*ldc:], ldc, rows, n, alpha, beta)
	}
}
