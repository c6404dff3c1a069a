package ckpt

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// saveFile is the temporary file Save writes.
type saveFile interface {
	writerAt
	Sync() error
	Close() error
	Name() string
}

// fileSystem is every file-system operation Save performs. Tests replace
// saveFS to fail each step in turn and check that the previous checkpoint
// survives and that no temporary file is left behind.
type fileSystem interface {
	CreateTemp(dir, prefix string) (saveFile, error)
	Rename(oldpath, newpath string) error
	Remove(name string) error
	SyncDir(dir string) error
}

var saveFS fileSystem = osFS{}

type osFS struct{}

// CreateTemp creates a new file with mode 0666 (before umask), like os.Create,
// so a checkpoint gets the permissions users expect; os.CreateTemp would make
// it 0600.
func (osFS) CreateTemp(dir, prefix string) (saveFile, error) {
	var rnd [8]byte
	for range 10000 {
		rand.Read(rnd[:])
		name := filepath.Join(dir, prefix+hex.EncodeToString(rnd[:]))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return f, nil
	}
	return nil, fmt.Errorf("cannot create a unique temporary file in %q", dir)
}

func (osFS) Rename(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }
func (osFS) Remove(name string) error             { return os.Remove(name) }

// SyncDir makes a rename in dir durable. Windows cannot open a directory for
// syncing, and NTFS journals the rename itself, so it is skipped there.
func (osFS) SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// saveAtomic writes l to a temporary file beside path and renames it over
// path. It never opens path itself, so a reader that has the old file open
// (or mapped) keeps seeing the old, intact bytes.
func saveAtomic(path string, l *layout) (err error) {
	dir, base := filepath.Dir(path), filepath.Base(path)
	f, err := saveFS.CreateTemp(dir, "."+base+".tmp-")
	if err != nil {
		return err
	}
	tmp := f.Name()
	closed, renamed := false, false
	defer func() {
		if err == nil || renamed {
			return
		}
		if !closed {
			f.Close()
		}
		if rerr := saveFS.Remove(tmp); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			err = fmt.Errorf("%w (and the temporary file could not be removed: %v)", err, rerr)
		}
	}()
	if err := l.encode(f); err != nil {
		return fmt.Errorf("writing %s: %w", tmp, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", tmp, err)
	}
	closed = true
	if err := f.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", tmp, err)
	}
	if err := saveFS.Rename(tmp, path); err != nil {
		return err // *os.LinkError names both paths
	}
	renamed = true
	if err := saveFS.SyncDir(dir); err != nil {
		// The rename happened: the temporary file no longer exists and path
		// holds the new checkpoint, so there is nothing to clean up.
		return fmt.Errorf("%w: the new checkpoint is in place, but syncing directory %s failed, so it may not survive a power loss: %w", ErrNotDurable, dir, err)
	}
	return nil
}
