// Package ckpt reads and writes lanes checkpoints: named float32 tensors plus
// string metadata in one versioned, checksummed, little-endian file whose byte
// layout is specified in FORMAT.md.
//
// # Writing
//
// Save writes a checkpoint atomically and durably: it writes a temporary file
// in the destination directory, syncs it, renames it over the destination and
// syncs the directory. If Save fails before the rename, the file previously at
// the path is untouched and no temporary file is left behind. The encoding is
// canonical (tensors sorted by name, metadata sorted by key, zero padding), so
// saving the same tensors and metadata twice gives identical bytes.
//
// # Reading
//
// Open reads and validates only the 64-byte header and the index; tensors are
// read one at a time by name (Read, ReadInto), and every read checks the
// tensor's CRC32C. LoadFile and OpenBytes keep the whole file in memory, which
// allows zero-copy views of payloads (View). Nothing is allocated from a value
// in the file before that value has been bounded by the file size and by the
// fixed limits of the format, and no input makes the reader panic.
//
// # Restoring by name
//
// Restore fills a set of destination tensors by name, whatever order they were
// created in. It is all-or-nothing: every name, shape and checksum is checked
// and every payload is read before any destination is written, so a failed
// restore leaves all destinations unchanged. By default it is strict, and a
// failure lists every missing, unexpected and shape-mismatched name at once
// (RestoreError). RestoreOptions.Skip leaves chosen tensors untouched
// (finetuning: reload the hidden layers, keep a fresh output layer) and
// RestoreOptions.AllowUnexpected tolerates extra tensors in the file.
//
// # Errors
//
// Errors can be tested with errors.Is against ErrNotCheckpoint,
// ErrUnsupportedVersion, ErrTruncated, ErrCorrupt, ErrChecksum, ErrLimit,
// ErrNotFound, ErrNonFinite, ErrMissing, ErrUnexpected and ErrShapeMismatch.
// Problems in a file are reported as *FormatError, which names the file, the
// byte offset and the tensor involved.
//
// CRC32C detects accidental corruption only: anyone can recompute it. Check a
// detached SHA-256 or signature when the file's origin is not trusted to be
// honest; the reader is nevertheless safe against hostile files.
package ckpt
