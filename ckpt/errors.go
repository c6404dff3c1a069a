package ckpt

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sentinel errors, for errors.Is.
var (
	// ErrNotCheckpoint: the file does not start with the checkpoint magic.
	ErrNotCheckpoint = errors.New("not a lanes checkpoint")
	// ErrUnsupportedVersion: a major version this package cannot read.
	ErrUnsupportedVersion = errors.New("unsupported checkpoint version")
	// ErrTruncated: the file is shorter than its header says, or shrank after Open.
	ErrTruncated = errors.New("checkpoint truncated")
	// ErrCorrupt: a structural rule of the format is broken.
	ErrCorrupt = errors.New("checkpoint corrupt")
	// ErrChecksum: a CRC32C does not match the bytes it covers.
	ErrChecksum = errors.New("checksum mismatch")
	// ErrLimit: a count or size is beyond the format's or the platform's limits.
	ErrLimit = errors.New("checkpoint limit exceeded")
	// ErrNotFound: no tensor of that name in the checkpoint.
	ErrNotFound = errors.New("tensor not found")
	// ErrNonFinite: NaN or ±Inf where the caller asked to refuse them.
	ErrNonFinite = errors.New("non-finite value")
	// ErrNotDurable: Save renamed the new checkpoint into place but could not
	// sync its directory; the file is complete but may not survive a power loss.
	ErrNotDurable = errors.New("saved but not durable")
	// ErrNoZeroCopy: a zero-copy view is not possible for this file or host.
	ErrNoZeroCopy = errors.New("zero-copy view unavailable")

	// ErrMissing: Restore found destination tensors absent from the file.
	ErrMissing = errors.New("missing tensors")
	// ErrUnexpected: Restore found tensors in the file that no destination takes.
	ErrUnexpected = errors.New("unexpected tensors")
	// ErrShapeMismatch: Restore found a tensor whose shapes differ.
	ErrShapeMismatch = errors.New("shape mismatch")
)

// FormatError describes a problem found in a checkpoint file.
type FormatError struct {
	Path   string // file path; empty for OpenBytes
	Offset int64  // byte offset of the offending field, or -1
	Tensor string // tensor name or metadata key involved, if known
	Msg    string // what is wrong, with the values found and expected
	Err    error  // one of the sentinel errors
}

func (e *FormatError) Error() string {
	var b strings.Builder
	b.WriteString("ckpt: ")
	if e.Path != "" {
		b.WriteString(strconv.Quote(e.Path) + ": ")
	}
	if e.Offset >= 0 {
		b.WriteString("offset " + strconv.FormatInt(e.Offset, 10) + ": ")
	}
	if e.Tensor != "" {
		b.WriteString("tensor " + strconv.Quote(e.Tensor) + ": ")
	}
	switch {
	case e.Err != nil && e.Msg != "":
		b.WriteString(e.Err.Error() + ": " + e.Msg)
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	default:
		b.WriteString(e.Msg)
	}
	return b.String()
}

func (e *FormatError) Unwrap() error { return e.Err }

// ShapeMismatch is one tensor whose checkpoint and model shapes differ.
type ShapeMismatch struct {
	Name       string
	Checkpoint []int
	Model      []int
}

// RestoreError lists every name that prevented a restore; nothing was
// restored. All lists are sorted by name.
type RestoreError struct {
	Path       string
	Missing    []Named // in the model, not in the checkpoint (model shape)
	Unexpected []Named // in the checkpoint, not in the model (checkpoint shape)
	Mismatched []ShapeMismatch
}

// Named is a tensor name with one shape.
type Named struct {
	Name  string
	Shape []int
}

func (e *RestoreError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ckpt: restore %q:", e.Path)
	var counts []string
	if n := len(e.Missing); n > 0 {
		counts = append(counts, fmt.Sprintf("%d missing", n))
	}
	if n := len(e.Unexpected); n > 0 {
		counts = append(counts, fmt.Sprintf("%d unexpected", n))
	}
	if n := len(e.Mismatched); n > 0 {
		counts = append(counts, fmt.Sprintf("%d shape mismatch", n))
	}
	fmt.Fprintf(&b, " %s (nothing was restored)", strings.Join(counts, ", "))
	for _, m := range e.Missing {
		fmt.Fprintf(&b, "\n  missing from the checkpoint: %q, model shape %v", m.Name, m.Shape)
	}
	for _, u := range e.Unexpected {
		fmt.Fprintf(&b, "\n  unexpected in the checkpoint: %q, checkpoint shape %v (not in the model; AllowUnexpected ignores it)", u.Name, u.Shape)
	}
	for _, s := range e.Mismatched {
		fmt.Fprintf(&b, "\n  shape mismatch for %q: checkpoint %v vs model %v (Skip keeps the model's value)", s.Name, s.Checkpoint, s.Model)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrMissing) and friends true when the matching list
// is non-empty.
func (e *RestoreError) Is(target error) bool {
	switch target {
	case ErrMissing:
		return len(e.Missing) > 0
	case ErrUnexpected:
		return len(e.Unexpected) > 0
	case ErrShapeMismatch:
		return len(e.Mismatched) > 0
	}
	return false
}
