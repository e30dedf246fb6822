// Package atomicfile writes files so that readers see either the old
// content or the whole new content, never a half-written file: the data goes
// to a temporary file in the same folder, which is synced and then renamed
// over the target.
//
// Every temporary file still being written is known to the package, so
// that a process being interrupted can remove them all with [Cleanup]
// before it exits: a signal handler calls it.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// ErrShutdown is returned by writes started, or finishing, after [Cleanup].
var ErrShutdown = errors.New("atomicfile: the process is shutting down")

// live is the set of temporary files being written; after Cleanup, closed
// refuses new ones and renames.
var live struct {
	sync.Mutex
	files  map[string]bool
	closed bool
}

// Cleanup removes every temporary file that a Write has created and not
// yet renamed or removed, and makes every Write still running or started
// later fail with [ErrShutdown] without leaving a file. It is meant for a
// signal handler about to end the process; it returns the number of files
// removed.
func Cleanup() int {
	live.Lock()
	defer live.Unlock()
	live.closed = true
	n := 0
	for tmp := range live.files {
		if os.Remove(tmp) == nil {
			n++
		}
		delete(live.files, tmp)
	}
	return n
}

// track records tmp as being written, or reports false after Cleanup.
func track(tmp string) bool {
	live.Lock()
	defer live.Unlock()
	if live.closed {
		return false
	}
	if live.files == nil {
		live.files = map[string]bool{}
	}
	live.files[tmp] = true
	return true
}

// finish renames tmp to path (or, with rename false, removes tmp) and
// forgets it. After Cleanup, tmp is already gone and nothing is renamed.
func finish(tmp, path string, rename bool) error {
	live.Lock()
	defer live.Unlock()
	delete(live.files, tmp)
	if live.closed {
		_ = os.Remove(tmp)
		return ErrShutdown
	}
	if !rename {
		_ = os.Remove(tmp)
		return nil
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("renaming into %s: %w", path, err)
	}
	return nil
}

// Write calls fill with a writer for a temporary file beside path, then
// syncs the file and renames it to path. When fill or any step fails, the
// temporary file is removed and path is left as it was.
func Write(path string, perm os.FileMode, fill func(w io.Writer) error) error {
	return WriteChecked(path, perm, fill, nil)
}

// WriteChecked is [Write] with a last check: once the temporary file is
// written and synced, check (when not nil) is given it, open for reading
// at its start, and the file is renamed to path only when check returns
// nil. A converter uses it to read back what it wrote with the reader's
// own limits before anyone else sees it.
func WriteChecked(path string, perm os.FileMode, fill func(w io.Writer) error, check func(tmp *os.File) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("creating temporary file for %s: %w", path, err)
	}
	tmp := f.Name()
	if !track(tmp) {
		_ = f.Close()
		_ = os.Remove(tmp)
		return ErrShutdown
	}
	closed := false
	defer func() {
		if !closed {
			_ = f.Close()
		}
		if err != nil {
			_ = finish(tmp, path, false)
		}
	}()
	if err = fill(f); err != nil {
		return err
	}
	if err = f.Chmod(perm); err != nil {
		return fmt.Errorf("setting permissions of %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", path, err)
	}
	if check != nil {
		if _, err = f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		if err = check(f); err != nil {
			return err
		}
	}
	closed = true
	if err = f.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", path, err)
	}
	return finish(tmp, path, true)
}

// WriteFile writes data to path atomically, as [Write] does.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
