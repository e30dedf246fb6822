package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// errNotRegular refuses a PATH that is a device, a named pipe or a socket:
// reading one may never end (a FIFO nobody writes to, /dev/zero).
var errNotRegular = errors.New("is not a regular file (a device, pipe or socket); give a file, or - to read standard input")

// openRegular opens the regular file at path, whose information st was
// read before: anything else is refused before it is opened, and the file
// is opened without blocking and checked again, so that a FIFO put in its
// place meanwhile cannot hang the command.
func openRegular(path string, st fs.FileInfo) (*os.File, error) {
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s %w", path, errNotRegular)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	now, err := f.Stat()
	if err == nil && !now.Mode().IsRegular() {
		err = fmt.Errorf("%s %w", path, errNotRegular)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
