package archive

import (
	"archive/zip"
	"errors"
	"hash/crc32"
	"io"
	"io/fs"

	"github.com/klauspost/compress/flate"
)

// entryReader reads an entry's data without trusting its headers: it
// yields at most the declared size, fails at the first byte beyond it,
// fails when the data ends early, verifies the CRC-32 at the end and
// charges every new byte to the archive's running total.
type entryReader struct {
	a      *Archive
	n      *node
	e      *Entry
	src    io.Reader
	closer io.Closer
	read   int64
	crc    uint32
	done   bool
	err    error
}

// openEntry starts reading the file node n.
func (a *Archive) openEntry(n *node) (*entryReader, error) {
	e := a.entry(n)
	src, closer, err := a.src.open(e)
	if err != nil {
		return nil, err
	}
	return &entryReader{a: a, n: n, e: e, src: src, closer: closer}, nil
}

// Read implements io.Reader. Once it has failed it keeps failing. When
// the last declared byte has been read it checks that no more follow and
// that the checksum matches before returning those bytes, so that a
// caller using io.ReadFull still sees the failure.
func (r *entryReader) Read(p []byte) (int, error) {
	switch {
	case r.err != nil:
		return 0, r.err
	case r.done:
		return 0, io.EOF
	case len(p) == 0:
		return 0, nil
	}
	n := 0
	if want := min(int64(len(p)), r.e.Size-r.read); want > 0 {
		var err error
		n, err = r.src.Read(p[:want])
		r.crc = crc32.Update(r.crc, crc32.IEEETable, p[:n])
		r.read += int64(n)
		if !r.a.account(r.n, r.read) {
			return 0, r.fail(ErrTooLarge, "more than Limits.MaxTotalSize bytes read from the archive", nil)
		}
		switch {
		case err == io.EOF && r.read < r.e.Size:
			return 0, r.fail(ErrCorrupt, "data ends early", io.ErrUnexpectedEOF)
		case err != nil && err != io.EOF:
			return 0, r.failRead(err)
		case r.read < r.e.Size:
			return n, nil
		}
	}
	// All declared bytes are in: the stream must end here.
	var one [1]byte
	m, err := io.ReadFull(r.src, one[:])
	switch {
	case m > 0:
		return 0, r.fail(ErrEntryTooLarge, "more data than the declared size", nil)
	case err != io.EOF:
		return 0, r.failRead(err)
	case r.a.src.checksums() && r.crc != r.e.CRC32:
		return 0, r.fail(ErrChecksum, "", zip.ErrChecksum)
	}
	r.done = true
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

// fail records a sticky error of class kind.
func (r *entryReader) fail(kind error, detail string, cause error) error {
	r.err = &Error{Kind: kind, Name: r.e.RawName, Index: r.e.Index, Detail: detail, Err: cause}
	return r.err
}

// failRead classifies an error from the data stream.
func (r *entryReader) failRead(err error) error {
	var ae *Error
	var ce flate.CorruptInputError
	switch {
	case errors.As(err, &ae):
		r.err = err
	case errors.As(err, &ce), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, zip.ErrFormat), errors.Is(err, io.EOF):
		r.fail(ErrCorrupt, "bad compressed data", err)
	default:
		r.err = &fs.PathError{Op: "read", Path: r.e.Name, Err: err}
	}
	return r.err
}

// Close releases the decompressor and the data source; later reads fail.
func (r *entryReader) Close() error {
	r.src, r.err = nil, &fs.PathError{Op: "read", Path: r.e.Name, Err: fs.ErrClosed}
	c := r.closer
	r.closer = nil
	if c == nil {
		return nil
	}
	return c.Close()
}

// account records that node n has been read up to offset pos and reports
// whether the bytes read across the archive stay within MaxTotalSize.
// Each offset of each entry is counted once, so reading a file twice does
// not count twice.
func (a *Archive) account(n *node, pos int64) bool {
	for {
		hw := n.hw.Load()
		if pos <= hw {
			return true
		}
		if n.hw.CompareAndSwap(hw, pos) {
			t := a.total.Add(pos - hw)
			return a.opts.MaxTotalSize < 0 || t <= a.opts.MaxTotalSize
		}
	}
}
