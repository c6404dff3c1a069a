package mlp

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/lanes-go/lanes/ckpt"
)

// Checkpoint metadata keys. A checkpoint written by Save carries the
// architecture under these keys, so Load can rebuild the model from the file
// alone; Train adds the training state under keys starting with "train.".
const (
	MetaFormat     = "mlp.format"     // FormatVersion
	MetaSizes      = "mlp.sizes"      // layer sizes, e.g. "784-256-10"
	MetaActivation = "mlp.activation" // "relu", "tanh" or "sigmoid"

	// FormatVersion is the value of MetaFormat this package writes and reads.
	FormatVersion = "lanes-mlp/1"
)

// Tensors returns the model's variables as checkpoint tensors whose Data
// aliases the model (see Variables).
func (m *Model) Tensors() []ckpt.Tensor {
	vars := m.Variables()
	ts := make([]ckpt.Tensor, len(vars))
	for i, v := range vars {
		ts[i] = ckpt.Tensor{Name: v.Name, Shape: v.Shape, Data: v.Data}
	}
	return ts
}

// ArchMeta returns the metadata that describes m's architecture.
func (m *Model) ArchMeta() map[string]string {
	return map[string]string{
		MetaFormat:     FormatVersion,
		MetaSizes:      FormatSizes(m.Sizes),
		MetaActivation: m.Activation.String(),
	}
}

// Save writes m to a checkpoint at path (atomically), with its architecture
// and any extra metadata (extra cannot override the architecture keys).
func (m *Model) Save(path string, extra map[string]string) error {
	meta := make(map[string]string, len(extra)+3)
	for k, v := range extra {
		meta[k] = v
	}
	for k, v := range m.ArchMeta() {
		meta[k] = v
	}
	return ckpt.Save(path, m.Tensors(), meta)
}

// ModelFromMeta builds a zero model from a checkpoint's architecture metadata.
func ModelFromMeta(meta map[string]string) (*Model, error) {
	if f, ok := meta[MetaFormat]; !ok {
		return nil, errors.New("not an mlp checkpoint: no " + MetaFormat + " metadata")
	} else if f != FormatVersion {
		return nil, fmt.Errorf("mlp checkpoint format %q, this version reads %q", f, FormatVersion)
	}
	sizes, err := ParseSizes(meta[MetaSizes])
	if err != nil {
		return nil, fmt.Errorf("checkpoint metadata %s: %w", MetaSizes, err)
	}
	act, err := ParseActivation(meta[MetaActivation])
	if err != nil {
		return nil, fmt.Errorf("checkpoint metadata %s: %w", MetaActivation, err)
	}
	return New(sizes, act)
}

// Load rebuilds a model from a checkpoint written by Save (or Train) and
// returns it with the file's metadata.
func Load(path string) (*Model, map[string]string, error) {
	f, err := ckpt.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	meta := f.Meta()
	m, err := ModelFromMeta(meta)
	if err != nil {
		return nil, nil, fmt.Errorf("mlp: %s: %w", path, err)
	}
	if err := f.Restore(m.Tensors(), ckpt.RestoreOptions{RejectNonFinite: true}); err != nil {
		return nil, nil, err
	}
	return m, meta, nil
}

// Restore fills m's variables by name from the checkpoint at path, leaving
// the layers listed in reinit (by index) untouched, and returns the file's
// metadata. It is all-or-nothing: on error m is unchanged, and the error
// names every missing, unexpected or mismatched variable with both shapes.
// Variables of skipped layers may be absent from the file or differ in
// shape, which is how finetuning replaces, say, the output layer with one of
// another width: initialise m, then Restore with that layer in reinit.
func (m *Model) Restore(path string, reinit []int) (map[string]string, error) {
	prefixes := make([]string, 0, len(reinit))
	for _, i := range reinit {
		if i < 0 || i >= len(m.Layers) {
			return nil, fmt.Errorf("mlp: reinit layer %d: the model has layers 0 to %d", i, len(m.Layers)-1)
		}
		prefixes = append(prefixes, LayerName(i)+"/")
	}
	opt := ckpt.RestoreOptions{Skip: ckpt.SkipPrefix(prefixes...), RejectNonFinite: true}
	return ckpt.Restore(path, m.Tensors(), opt)
}

// ParseLayerList parses a comma-separated list of layer indices or names,
// such as "1" or "dense1,dense2", for Restore's reinit.
func ParseLayerList(s string, layers int) ([]int, error) {
	var out []int
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != ',' {
			continue
		}
		field := s[start:i]
		start = i + 1
		if field == "" {
			continue
		}
		num := field
		if len(field) > 5 && field[:5] == "dense" {
			num = field[5:]
		}
		v, err := strconv.Atoi(num)
		if err != nil || v < 0 || v >= layers {
			return nil, fmt.Errorf("layer %q: want an index 0..%d or a name dense0..dense%d", field, layers-1, layers-1)
		}
		out = append(out, v)
	}
	return out, nil
}
