package mnist

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// ErrChecksum means a file is not the published MNIST file it claims to be:
// its SHA-256 (or, for a download, its length) differs. Such a file is never
// used or cached.
var ErrChecksum = errors.New("not the expected MNIST file")

// fileSpec describes one of the four original MNIST files. The .gz hashes
// are the ones DESIGN.md publishes; the raw hashes are of the same files
// decompressed, so a directory holding gunzipped copies verifies too.
type fileSpec struct {
	name      string // file name as published, with .gz
	size      int64  // length of the .gz in bytes
	sha256    string // hex SHA-256 of the .gz
	rawName   string // name of the decompressed file
	rawSHA256 string // hex SHA-256 of the decompressed file
}

// mnistFiles lists the files in the order Load consumes them: train images,
// train labels, test images, test labels.
var mnistFiles = [4]fileSpec{
	{
		name: "train-images-idx3-ubyte.gz", size: 9912422,
		sha256:  "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
		rawName: "train-images-idx3-ubyte", rawSHA256: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
	},
	{
		name: "train-labels-idx1-ubyte.gz", size: 28881,
		sha256:  "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
		rawName: "train-labels-idx1-ubyte", rawSHA256: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
	},
	{
		name: "t10k-images-idx3-ubyte.gz", size: 1648877,
		sha256:  "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
		rawName: "t10k-images-idx3-ubyte", rawSHA256: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
	},
	{
		name: "t10k-labels-idx1-ubyte.gz", size: 4542,
		sha256:  "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
		rawName: "t10k-labels-idx1-ubyte", rawSHA256: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
	},
}

// verify checks that data is exactly the published .gz file.
func (s *fileSpec) verify(data []byte) error {
	if int64(len(data)) != s.size {
		return fmt.Errorf("%w: %s is %d bytes, want %d", ErrChecksum, s.name, len(data), s.size)
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != s.sha256 {
		return fmt.Errorf("%w: %s has SHA-256 %s, want %s", ErrChecksum, s.name, got, s.sha256)
	}
	return nil
}
