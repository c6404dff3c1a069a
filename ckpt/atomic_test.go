package ckpt

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// faultFS wraps the real file system and fails the operation numbered failAt
// (counting from 1 over every create, write, positioned write, sync, close,
// rename and directory sync); failAt 0 fails nothing and just counts. A failed
// write first writes half its bytes, as a full disk would.
type faultFS struct {
	failAt int
	ops    []string
}

var errInjected = errors.New("injected failure")

func (f *faultFS) step(op string) error {
	f.ops = append(f.ops, op)
	if len(f.ops) == f.failAt {
		return fmt.Errorf("%s: %w", op, errInjected)
	}
	return nil
}

func (f *faultFS) CreateTemp(dir, prefix string) (saveFile, error) {
	if err := f.step("create"); err != nil {
		return nil, err
	}
	tf, err := osFS{}.CreateTemp(dir, prefix)
	if err != nil {
		return nil, err
	}
	return &faultFile{saveFile: tf, fs: f}, nil
}

func (f *faultFS) Rename(o, n string) error {
	if err := f.step("rename"); err != nil {
		return err
	}
	return osFS{}.Rename(o, n)
}

func (f *faultFS) Remove(name string) error { return osFS{}.Remove(name) }

func (f *faultFS) SyncDir(dir string) error {
	if err := f.step("syncdir"); err != nil {
		return err
	}
	return osFS{}.SyncDir(dir)
}

type faultFile struct {
	saveFile
	fs *faultFS
}

func (f *faultFile) Write(p []byte) (int, error) {
	if err := f.fs.step("write"); err != nil {
		n, _ := f.saveFile.Write(p[:len(p)/2])
		return n, err
	}
	return f.saveFile.Write(p)
}

func (f *faultFile) WriteAt(p []byte, off int64) (int, error) {
	if err := f.fs.step("writeat"); err != nil {
		n, _ := f.saveFile.WriteAt(p[:len(p)/2], off)
		return n, err
	}
	return f.saveFile.WriteAt(p, off)
}

func (f *faultFile) Sync() error {
	if err := f.fs.step("sync"); err != nil {
		return err
	}
	return f.saveFile.Sync()
}

func (f *faultFile) Close() error {
	err := f.fs.step("close")
	// Close the real file even when reporting a failure, as a real close
	// error (NFS, quota) still releases the descriptor.
	if cerr := f.saveFile.Close(); err == nil {
		err = cerr
	}
	return err
}

func withFS(t *testing.T, fsys fileSystem) {
	old := saveFS
	saveFS = fsys
	t.Cleanup(func() { saveFS = old })
}

func TestSaveInterruptedAtEachStep(t *testing.T) {
	// A model large enough that the payload takes several buffered writes.
	newModel := mlpTensors(5, 784, 256, 10)
	oldModel := mlpTensors(6, 4, 3, 2)
	newBytes, err := Marshal(newModel, smallMeta, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}

	counter := &faultFS{}
	withFS(t, counter)
	if err := Save(filepath.Join(t.TempDir(), "count.ckpt"), newModel, smallMeta); err != nil {
		t.Fatal(err)
	}
	steps := counter.ops
	t.Logf("Save performs %d steps: %s", len(steps), strings.Join(steps, " "))
	for _, want := range []string{"create", "write", "writeat", "sync", "close", "rename", "syncdir"} {
		if !strings.Contains(" "+strings.Join(steps, " ")+" ", " "+want+" ") {
			t.Fatalf("Save never performs %q, so its failure is not tested", want)
		}
	}

	for k := 1; k <= len(steps); k++ {
		op := steps[k-1]
		t.Run(fmt.Sprintf("%02d-%s", k, op), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "model.ckpt")
			withFS(t, osFS{})
			if err := Save(path, oldModel, nil); err != nil {
				t.Fatal(err)
			}
			oldBytes, _ := os.ReadFile(path)

			withFS(t, &faultFS{failAt: k})
			err := Save(path, newModel, smallMeta)
			if !errors.Is(err, errInjected) {
				t.Fatalf("Save returned %v, want the injected failure", err)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error does not name the path: %v", err)
			}
			got, rerr := os.ReadFile(path)
			if rerr != nil {
				t.Fatal(rerr)
			}
			if op == "syncdir" {
				// The rename happened: the new file is complete, and the
				// error says it may not be durable.
				if !bytes.Equal(got, newBytes) || !errors.Is(err, ErrNotDurable) {
					t.Fatalf("after a failed directory sync: new file intact %v, error %v", bytes.Equal(got, newBytes), err)
				}
			} else if !bytes.Equal(got, oldBytes) {
				t.Fatalf("the previous checkpoint changed after a failed %s", op)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 || entries[0].Name() != "model.ckpt" {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Fatalf("directory holds %v after a failed save, want only model.ckpt", names)
			}
		})
	}
}

func TestSaveIntoMissingDirectory(t *testing.T) {
	dir := t.TempDir()
	err := Save(filepath.Join(dir, "no", "such", "m.ckpt"), mlpTensors(1, 2, 2), nil)
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("got %v", err)
	}
}

func TestSaveRelativePath(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := Save("m.ckpt", mlpTensors(1, 2, 2), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := Open("m.ckpt"); err != nil {
		t.Fatal(err)
	}
}

func TestSaveFileMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.ckpt")
	if err := Save(path, mlpTensors(1, 2, 2), nil); err != nil {
		t.Fatal(err)
	}
	// A checkpoint gets the mode os.Create would give (0666 minus the
	// umask), not os.CreateTemp's 0600.
	ref, err := os.Create(filepath.Join(dir, "ref"))
	if err != nil {
		t.Fatal(err)
	}
	ref.Close()
	st, _ := os.Stat(path)
	rst, _ := os.Stat(ref.Name())
	if st.Mode() != rst.Mode() {
		t.Fatalf("checkpoint mode %v, os.Create gives %v", st.Mode(), rst.Mode())
	}
}
