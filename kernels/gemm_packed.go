package kernels

import "unsafe"

// gemmImpl is one tier's GEMM building blocks. The blocking, packing and
// threading around them are shared by every tier (this file).
type gemmImpl struct {
	name   string
	mr, nr int // micro-tile: rows of op(A) by columns of op(B)

	// Block sizes (see setBlocking): k is taken kc steps at a time, op(B)
	// nc columns at a time (the packed kc×nc block stays in L2), op(A) mc
	// rows at a time.
	kc, mc, nc int

	// tile computes one micro-tile of C (c starts at its top-left element,
	// row stride ldc): C[i][j] = alpha*Σ_p A(i,p)*B(p,j) + beta*C[i][j] for
	// i < rows <= mr, j < cols <= nr, p < kc. beta == 0 does not read C, and
	// elements outside rows×cols are neither read nor written. lda == 0
	// means a is a packed panel, A(i,p) = a[p*mr+i], zero-padded to mr rows;
	// lda > 0 (only if inPlaceA) means A is read in place, A(i,p) =
	// a[i*lda+p], and rows == mr; lda < 0 (only if inPlaceAT) means A is
	// read in place from its transpose, A(i,p) = a[p*(-lda)+i], rows == mr.
	// Likewise ldb == 0: B(p,j) = b[p*nr+j] packed; ldb > 0 (only if
	// inPlaceB): B(p,j) = b[p*ldb+j].
	tile func(kc int, a []float32, lda int, b []float32, ldb int, c []float32, ldc, rows, cols int, alpha, beta float32)

	// inPlaceA and inPlaceB say whether tile can read a full panel of A, or
	// a panel of B, where it is stored (row-major, tA or tB == NoTrans).
	// That skips packing when packing would cost more than it saves: when
	// few nr panels of B reuse each A panel, or few A panels reuse B.
	inPlaceA, inPlaceB bool
	// inPlaceAT says the same for A stored transposed (tA == Trans), whose
	// packing is a strided copy of mr floats per step.
	inPlaceAT bool

	// bPanelInL1 selects the other order of the two inner loops (BLIS's):
	// each nr-wide micro-panel of packed B stays in L1 while the mr-row
	// micro-panels of the A block stream past it from L2, and the B block
	// only needs to fit in L3. A tile that reads less of A than of B per
	// step (6×16: 6 floats of A, 16 of B) then streams less from L2; see
	// setBlocking for the block sizes and gemmBlock for the k slices.
	bPanelInL1 bool

	// interleave, when not nil, replaces the scalar loops of packA for
	// tA == NoTrans and packB for tB == Trans, the two cases where the
	// packed panel is a transpose of the stored rows.
	interleave func(dst, src []float32, ld, r0, nrows, p0, kb, width int)

	// narrow, when not nil, replaces this implementation for op(B) at most
	// narrow.nr columns wide (a tile with fewer columns wastes less work).
	narrow *gemmImpl

	// large, when not nil, replaces this implementation when op(B) does
	// not fit this one's L2-sized B block (min(k, kc)·n > kc·nc, so B
	// would be cut into nc-wide blocks): large is the same tier with
	// bPanelInL1, whose B block need not fit in L2. Smaller products keep
	// this one, which measured as fast or faster on the MLP's shapes.
	large *gemmImpl

	// cols, when not nil, computes a whole serial product with op(A) = A
	// and op(B) = B at most colsMax columns wide (see sgemmColsAVX512),
	// m >= 2 and k >= 1.
	cols    func(m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)
	colsMax int

	// gemvN adds Σ_p x[p]*b[p*ldb : p*ldb+len(y)] to y, p < k, in p order.
	gemvN func(k int, x, b []float32, ldb int, y []float32)
	// gemvT adds Σ_p x[p]*b[j*ldb+p] to y[j] for every j < len(y), p < k.
	gemvT func(k int, x, b []float32, ldb int, y []float32)
}

// setBlocking derives kc, mc and nc from the cache sizes. The loops run
// each mr×kc micro-panel of A against every nr-wide panel of the kc×nc block
// of packed B, so the A micro-panel should sit in L1 (kc from 3/8 of L1d)
// and the B block in L2 (nc from all of L2: B panels stream from it, and at
// 1024³ a full-L2 block measured slightly faster than a half-L2 one); mc
// bounds the packed A block, which is read once per B block (half of L2's
// worth, so packing it does not evict much of the B block). L3 only caps the
// B block, for the rare core whose L3 share is smaller than twice its L2.
func (g *gemmImpl) setBlocking(cs cacheSizes) {
	clamp := func(v, lo, hi int) int { return max(lo, min(v, hi)) }
	g.kc = clamp(cs.l1d*3/8/(4*g.mr), 128, 512) &^ 7
	g.nc = clamp(min(cs.l2, cs.l3/2)/(4*g.kc), g.nr, 4096) / g.nr * g.nr
	g.mc = clamp(cs.l2/2/(4*g.kc), g.mr, 1024) / g.mr * g.mr
	if g.bPanelInL1 {
		// The B micro-panel takes 3/4 of L1 (the rest holds the A and C
		// lines in flight), the A block a quarter of L2, and the B block
		// up to a quarter of L3, so that A is copied once per k slice for
		// n up to 4096. On Zen 4 (32 KiB L1d, 1 MiB L2): kc 384, mc 168.
		g.kc = clamp(cs.l1d*3/4/(4*g.nr), 128, 512) &^ 7
		g.mc = clamp(cs.l2/4/(4*g.kc), g.mr, 1024) / g.mr * g.mr
		g.nc = clamp(cs.l3/4/(4*g.kc), g.nr, 4096) / g.nr * g.nr
	}
}

// gemmSerialWork is the work (m·n·k multiply-adds) below which a call stays on
// the calling goroutine. Handing parts to the pool costs a few microseconds,
// and much more when the other cores are busy; 4M multiply-adds take about
// 40 µs on one AVX-512 core, so a split there still gains. At 128³ (2M),
// two threads measured slower than one on a loaded machine.
var gemmSerialWork = 4 << 20 // a variable so tests can exercise the split on small shapes

// gemmBuffers holds one part's packing buffers, 64-byte aligned. They are
// recycled through gemmBufferFree, so steady-state calls allocate nothing and
// concurrent calls never share a buffer.
type gemmBuffers struct {
	aRaw, bRaw, xRaw, yRaw []float32
}

var gemmBufferFree = make(chan *gemmBuffers, 2*maxThreadsLimit)

func getGemmBuffers() *gemmBuffers {
	select {
	case buf := <-gemmBufferFree:
		return buf
	default:
		return new(gemmBuffers)
	}
}

func putGemmBuffers(buf *gemmBuffers) {
	select {
	case gemmBufferFree <- buf:
	default: // more buffers than ever run at once: let this one go
	}
}

// aligned64 returns a slice of n float32s starting on a 64-byte boundary,
// reusing *raw when it is big enough.
func aligned64(raw *[]float32, n int) []float32 {
	const pad = 16 // 64 bytes of float32
	if cap(*raw) < n+pad {
		*raw = make([]float32, n+pad)
	}
	r := (*raw)[:cap(*raw)]
	off := int((64 - uintptr(unsafe.Pointer(&r[0]))%64) % 64 / 4)
	return r[off : off+n : off+n]
}

// gemmCall is one Sgemm call, cut into chunks that each own a block of
// rows or of columns of C. Chunk boundaries are multiples of mr or nr, so
// every element of C lands in the same micro-tile position as in a serial
// run and is computed by the same operations: results do not depend on the
// number of chunks or on which thread runs them.
type gemmCall struct {
	g             *gemmImpl
	tA, tB        Transpose
	m, n, k       int
	alpha, beta   float32
	a, b, c       []float32
	lda, ldb, ldc int
	splitRows     bool
	step          int // rows or columns per chunk
	run           parallelRun
}

var gemmCallFree = make(chan *gemmCall, maxThreadsLimit)

func (call *gemmCall) runChunk(chunk int, buf *gemmBuffers) {
	lo := chunk * call.step
	i0, i1, j0, j1 := 0, call.m, 0, call.n
	if call.splitRows {
		i0, i1 = lo, min(lo+call.step, call.m)
	} else {
		j0, j1 = lo, min(lo+call.step, call.n)
	}
	gemmBlock(call.g, buf, call.tA, call.tB, i0, i1, j0, j1, call.k, call.alpha,
		call.a, call.lda, call.b, call.ldb, call.beta, call.c, call.ldc)
}

// gemmChunksPerThread is how many chunks per thread a split call is cut
// into when chunks cost no extra packing (see gemmChunkUnits): enough that
// a helper which starts late, or is descheduled, leaves the caller only
// small pieces to take over.
const gemmChunksPerThread = 4

// gemmChunkUnits returns how many tiles (mr rows, or nr columns) each chunk
// of a call split over threads gets, out of units. Where every chunk would
// pack a shared operand again, the call is cut into one chunk per thread,
// as packing is then paid once per chunk. Small chunks cost nothing extra
// where gemmBlock reads the shared operand in place: with a row split, op(B)
// row-major and at most 12 tiles of rows per chunk (directB in gemmBlock),
// as long as B is small enough to stay in L2 across chunks; with a column
// split, A read in place (directA, chunks at most 8 tiles wide, or directAT).
func gemmChunkUnits(g *gemmImpl, tA, tB Transpose, n, k, lda int, splitRows bool, units, threads int) int {
	perThread := (units + threads - 1) / threads
	fine := 0 // the largest chunk, in tiles, that reads the shared operand in place; 0 if none
	switch {
	case splitRows && tB == NoTrans && g.inPlaceB && n*k <= g.kc*g.nc/2:
		fine = 12
	case !splitRows && tA == NoTrans && g.inPlaceA && !rowsShareL1Sets(lda):
		fine = 8
	case !splitRows && tA == Trans && g.inPlaceAT:
		fine = perThread
	}
	if fine == 0 {
		return perThread
	}
	want := (units + threads*gemmChunksPerThread - 1) / (threads * gemmChunksPerThread)
	return max(min(want, fine), (units+maxChunks-1)/maxChunks)
}

// sgemmPacked is Sgemm for m, n, k >= 1 and alpha != 0 on tier g.
func sgemmPacked(g *gemmImpl, tA, tB Transpose, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) {
	if g.large != nil && min(k, g.kc)*n > g.kc*g.nc {
		g = g.large // depends only on the shape: every chunk uses the same blocking
	}
	threads := 1
	if int64(m)*int64(n)*int64(k) >= int64(gemmSerialWork) { // int64: no overflow on 32-bit targets
		threads = maxThreads()
	}
	splitRows := m >= n
	unit, extent := g.nr, n
	if splitRows {
		unit, extent = g.mr, m
	}
	units := (extent + unit - 1) / unit
	threads = min(threads, units)
	if threads <= 1 {
		buf := getGemmBuffers()
		gemmBlock(g, buf, tA, tB, 0, m, 0, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		putGemmBuffers(buf)
		return
	}
	step := gemmChunkUnits(g, tA, tB, n, k, lda, splitRows, units, threads) * unit
	chunks := (extent + step - 1) / step

	var call *gemmCall
	select {
	case call = <-gemmCallFree:
	default:
		call = new(gemmCall)
	}
	call.g, call.tA, call.tB, call.m, call.n, call.k = g, tA, tB, m, n, k
	call.alpha, call.beta, call.a, call.b, call.c = alpha, beta, a, b, c
	call.lda, call.ldb, call.ldc = lda, ldb, ldc
	call.splitRows, call.step = splitRows, step
	runParallel(call, chunks, threads, &call.run)
	call.a, call.b, call.c = nil, nil, nil // do not keep the caller's matrices alive
	select {
	case gemmCallFree <- call:
	default:
	}
}

// rowsShareL1Sets reports whether rows lda floats apart all fall in the same
// L1 sets: with a 4 KiB multiple (lda a multiple of 1024), 12 rows of A
// compete for 8 ways, so A is better copied than read in place. At 1 KiB
// (lda = 256, the MLP's hidden width) the rows spread over four groups of
// sets, three to a group, and reading in place measured faster: the
// output layer's 128×10×256 went from 44 to 53 GFLOP/s, 128×16×256 from
// 71 to 80 (one thread, AVX-512, medians of 3).
func rowsShareL1Sets(lda int) bool { return lda%1024 == 0 }

// gemmBlock computes rows [i0,i1) × columns [j0,j1) of C with the Goto/BLIS
// loop nest: for each nc-wide block of columns (jc) and kc-deep slice of k
// (pc), pack op(B); for each mc-tall block of rows (ic), pack op(A); then run
// the micro-kernel over nr-wide (jr) and mr-tall (ir) tiles. k is never split
// across threads, and the pc slices are always summed in the same order.
func gemmBlock(g *gemmImpl, buf *gemmBuffers, tA, tB Transpose, i0, i1, j0, j1, k int,
	alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	mr, nr := g.mr, g.nr
	roundUp := func(x, unit int) int { return (x + unit - 1) / unit * unit }
	kcMax := min(g.kc, k)                  // every k slice is at most kc deep
	ncMax := roundUp(min(g.nc, j1-j0), nr) // packed panels are padded to nr
	mcMax := roundUp(min(g.mc, i1-i0), mr)
	// Reading A in place pays when op(B) is narrow (few nr panels reuse each
	// A panel, so packing A would be a large share of the work) and A's rows
	// do not all map to the same L1 sets (rowsShareL1Sets). Reading B in place pays when
	// op(A) is short, up to 12 A panels (144 rows with AVX-512, which covers
	// batches of 128): measured against packing B, 64³ went from 64-71% to
	// 78-79% of the FMA peak, 128×256×784 from 80-81% to 89-97%, 60×256×784
	// from 78-82% to 97-99%. Taller problems keep packing B, whose
	// contiguous panels are then reused by many A panels.
	directA := tA == NoTrans && g.inPlaceA && j1-j0 <= 8*nr && !rowsShareL1Sets(lda)
	// A stored transposed is read in place whenever the kernel can: its
	// packing is a strided copy of mr floats per step, and reading in place
	// measured as fast or faster at every size tried (784×256×128 TN from
	// 83-91% to 89-96% of the FMA peak, 1024³ TN about even).
	directAT := tA == Trans && g.inPlaceAT
	directB := tB == NoTrans && g.inPlaceB && i1-i0 <= 12*mr
	var packedB []float32
	if !directB {
		packedB = aligned64(&buf.bRaw, kcMax*ncMax)
	}
	// Otherwise, with tA == NoTrans and a kernel that reads A in place, the
	// A block is copied row by row (memmove speed, unlike the transposing
	// pack) into a buffer whose row stride ldCopy is not a multiple of
	// 256 floats, with rows up to a multiple of mr zero-filled.
	copyA := tA == NoTrans && g.inPlaceA && !directA
	ldCopy := 0
	var packedA []float32
	if copyA {
		ldCopy = (kcMax+15)&^15 + 16
		packedA = aligned64(&buf.aRaw, mcMax*ldCopy)
	} else {
		packedA = aligned64(&buf.aRaw, kcMax*mcMax)
	}
	// With bPanelInL1, k is cut into equal slices of at most kc steps
	// (rounded up to 8), so that no slice is left short: 1024 in 344, 344
	// and 336 rather than 384, 384 and 256. The slices depend only on k,
	// so every chunk of a split call sums them in the same order.
	kcStep := g.kc
	if g.bPanelInL1 {
		slices := (k + g.kc - 1) / g.kc
		kcStep = roundUp((k+slices-1)/slices, 8)
	}
	for jc := j0; jc < j1; jc += g.nc {
		nb := min(g.nc, j1-jc)
		for pc := 0; pc < k; pc += kcStep {
			kb := min(kcStep, k-pc)
			betaNow := beta
			if pc > 0 {
				betaNow = 1 // later k slices add to what the first one wrote
			}
			if !directB {
				g.packB(packedB, tB, b, ldb, pc, kb, jc, nb)
			}
			for ic := i0; ic < i1; ic += g.mc {
				mb := min(g.mc, i1-ic)
				full := mb // rows read in place when directA
				switch {
				case copyA:
					copyRows(packedA, ldCopy, a, lda, ic, mb, pc, kb, (mb+mr-1)/mr*mr)
				case directA || directAT:
					full = mb / mr * mr
					if full < mb { // pack only the partial last panel, at packedA[0:]
						g.packA(packedA, tA, a, lda, ic+full, mb-full, pc, kb)
					}
				default:
					g.packA(packedA, tA, a, lda, ic, mb, pc, kb)
				}
				// aPanelAt returns the micro-panel of A for rows ic+ir.. of
				// this block and its tile.lda: read in place, from the
				// row-by-row copy, or packed.
				aPanelAt := func(ir int) ([]float32, int) {
					switch {
					case copyA:
						return packedA[ir*ldCopy:], ldCopy
					case directA && ir < full:
						return a[(ic+ir)*lda+pc:], lda
					case directAT && ir < full:
						return a[pc*lda+ic+ir:], -lda
					case directA || directAT:
						return packedA[:mr*kb], 0 // the partial last panel
					default:
						return packedA[ir*kb : (ir+mr)*kb], 0
					}
				}
				if g.bPanelInL1 && !directB {
					// Each nr-wide micro-panel of B stays in L1 while the A
					// block's micro-panels stream from L2.
					for jr := 0; jr < nb; jr += nr {
						cols := min(nr, nb-jr)
						bPanel := packedB[jr*kb : (jr+nr)*kb]
						for ir := 0; ir < mb; ir += mr {
							aPanel, aStride := aPanelAt(ir)
							g.tile(kb, aPanel, aStride, bPanel, 0, c[(ic+ir)*ldc+jc+jr:], ldc, min(mr, mb-ir), cols, alpha, betaNow)
						}
					}
					continue
				}
				// Each micro-panel of A (mr rows, about kc*mr*4 bytes) stays in L1
				// while the nr-wide panels of the B block stream from L2.
				for ir := 0; ir < mb; ir += mr {
					rows := min(mr, mb-ir)
					aPanel, aStride := aPanelAt(ir)
					for jr := 0; jr < nb; jr += nr {
						cols := min(nr, nb-jr)
						cTile := c[(ic+ir)*ldc+jc+jr:]
						if directB {
							g.tile(kb, aPanel, aStride, b[pc*ldb+jc+jr:], ldb, cTile, ldc, rows, cols, alpha, betaNow)
						} else {
							g.tile(kb, aPanel, aStride, packedB[jr*kb:(jr+nr)*kb], 0, cTile, ldc, rows, cols, alpha, betaNow)
						}
					}
				}
			}
		}
	}
}

// copyRows copies rows i0..i0+mb of a, columns p0..p0+kb, to dst with row
// stride ld, and zero-fills rows mb..rows-1 (so that a kernel reading whole
// mr-row panels in place finds zeros past the last row).
func copyRows(dst []float32, ld int, a []float32, lda, i0, mb, p0, kb, rows int) {
	for i := 0; i < mb; i++ {
		copy(dst[i*ld:i*ld+kb], a[(i0+i)*lda+p0:][:kb])
	}
	for i := mb; i < rows; i++ {
		clear(dst[i*ld : i*ld+kb])
	}
}

func (g *gemmImpl) packA(dst []float32, tA Transpose, a []float32, lda, i0, mb, p0, kb int) {
	if tA == NoTrans && g.interleave != nil {
		g.interleave(dst, a, lda, i0, mb, p0, kb, g.mr)
		return
	}
	packA(dst, tA, a, lda, i0, mb, p0, kb, g.mr)
}

func (g *gemmImpl) packB(dst []float32, tB Transpose, b []float32, ldb, p0, kb, j0, nb int) {
	if tB == Trans && g.interleave != nil {
		g.interleave(dst, b, ldb, j0, nb, p0, kb, g.nr)
		return
	}
	packB(dst, tB, b, ldb, p0, kb, j0, nb, g.nr)
}

// packA copies op(A)[i0:i0+mb, p0:p0+kb] into dst as mr-row panels: panel q
// holds rows i0+q*mr.. at dst[q*mr*kb:], element (i, p) at [p*mr+i], rows
// past mb zero-filled so the micro-kernel never needs a row count.
func packA(dst []float32, tA Transpose, a []float32, lda, i0, mb, p0, kb, mr int) {
	for q := 0; q < mb; q += mr {
		panel := dst[q*kb : (q+mr)*kb]
		rows := min(mr, mb-q)
		if tA == NoTrans {
			// Row i of op(A) is contiguous: read it once, scatter with stride mr.
			for i := 0; i < rows; i++ {
				row := a[(i0+q+i)*lda+p0:][:kb]
				for p, v := range row {
					panel[p*mr+i] = v
				}
			}
		} else {
			// Column p of op(A) is row p of A: mr contiguous values per step.
			// Copying them as fixed-size arrays compiles to a few vector moves
			// instead of a memmove call per step (13% of a 784×256×128 TN
			// call went to those calls).
			src := a[p0*lda+i0+q:]
			switch {
			case rows == 12 && mr == 12:
				for p := 0; p < kb; p++ {
					v := *(*[12]float32)(src[p*lda:]) // via a local: no overlap, no memmove
					*(*[12]float32)(panel[p*12:]) = v
				}
			case rows == 8 && mr == 8:
				for p := 0; p < kb; p++ {
					v := *(*[8]float32)(src[p*lda:]) // via a local: no overlap, no memmove
					*(*[8]float32)(panel[p*8:]) = v
				}
			case rows == 6 && mr == 6:
				for p := 0; p < kb; p++ {
					v := *(*[6]float32)(src[p*lda:]) // via a local: no overlap, no memmove
					*(*[6]float32)(panel[p*6:]) = v
				}
			default:
				for p := 0; p < kb; p++ {
					copy(panel[p*mr:p*mr+rows], src[p*lda:][:rows])
				}
			}
		}
		if rows < mr {
			for p := 0; p < kb; p++ {
				clear(panel[p*mr+rows : (p+1)*mr])
			}
		}
	}
}

// packB copies op(B)[p0:p0+kb, j0:j0+nb] into dst as nr-column panels: panel
// q holds columns j0+q*nr.. at dst[q*nr*kb:], element (p, j) at [p*nr+j],
// columns past nb zero-filled.
func packB(dst []float32, tB Transpose, b []float32, ldb, p0, kb, j0, nb, nr int) {
	if tB == NoTrans {
		packBRows(dst, b, ldb, p0, kb, j0, nb, nr)
		return
	}
	for q := 0; q < nb; q += nr {
		panel := dst[q*kb : (q+nr)*kb]
		cols := min(nr, nb-q)
		for j := 0; j < cols; j++ {
			col := b[(j0+q+j)*ldb+p0:][:kb]
			for p, v := range col {
				panel[p*nr+j] = v
			}
		}
		if cols < nr {
			for p := 0; p < kb; p++ {
				clear(panel[p*nr+cols : (p+1)*nr])
			}
		}
	}
}

// packBRows is packB for tB == NoTrans. It walks B a row at a time, reading
// each row segment once, sequentially, and dealing its nr-wide pieces out to
// the panels; walking panel by panel instead would read nr floats from each
// of kb rows in turn, and rows ldb apart (4 KiB at 1024 columns) all land in
// the same L1 set and a different page (6% of a 1024³ NN profile, against
// 2% this way). Whole pieces move as fixed-size arrays through a local,
// which compiles to inline vector moves rather than a memmove call.
func packBRows(dst, b []float32, ldb, p0, kb, j0, nb, nr int) {
	full := nb / nr * nr
	for p := 0; p < kb; p++ {
		row := b[(p0+p)*ldb+j0:][:nb]
		out := dst[p*nr:]
		q := 0
		switch nr {
		case 32:
			for ; q < full; q += 32 {
				v := *(*[32]float32)(row[q:])
				*(*[32]float32)(out[q*kb:]) = v
			}
		case 16:
			for ; q < full; q += 16 {
				v := *(*[16]float32)(row[q:])
				*(*[16]float32)(out[q*kb:]) = v
			}
		default:
			for ; q < full; q += nr {
				copy(out[q*kb:q*kb+nr], row[q:q+nr])
			}
		}
		if q < nb { // the last, partial panel: valid columns, then zeros
			piece := out[q*kb : q*kb+nr]
			n := copy(piece, row[q:])
			clear(piece[n:])
		}
	}
}

// scaleC sets C = beta*C on the m×n window; beta == 0 writes zeros without
// reading C, as BLAS does.
func scaleC(m, n int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		row := c[i*ldc:][:n]
		switch beta {
		case 0:
			clear(row)
		case 1:
		default:
			for j := range row {
				row[j] *= beta
			}
		}
	}
}

// epilogueTile writes C[i][j] = alpha*t[i*nr+j] + beta*C[i][j] on rows×cols,
// not reading C when beta == 0. Tiers whose micro-kernel only handles full
// tiles compute edge tiles into t first.
func epilogueTile(t []float32, nr int, c []float32, ldc, rows, cols int, alpha, beta float32) {
	for i := 0; i < rows; i++ {
		src := t[i*nr:][:cols]
		dst := c[i*ldc:][:cols]
		if beta == 0 {
			for j, v := range src {
				dst[j] = alpha * v
			}
		} else {
			for j, v := range src {
				dst[j] = alpha*v + beta*dst[j]
			}
		}
	}
}
