// Package zipw writes deterministic zip archives: the same entries with
// the same bytes, added in the same order, give the same archive on every
// machine. Every entry has the same fixed timestamp (1980-01-01 00:00), no
// extra fields and no file modes; names are UTF-8 (flagged as such when
// not ASCII); content is deflated at a fixed level, in pieces and in
// parallel (see [Writer]), unless it is already compressed. Names are
// checked as the archive reader checks them, so that whatever is written
// can be read back. The bundle, SCORM and cmi5
// writers share it.
package zipw

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

var (
	// ErrClosed is returned by every call on a closed [Writer].
	ErrClosed = errors.New("zipw: writer closed")
	// ErrName is matched by the errors of an entry name that
	// [CheckName] or [Names.Add] refuses.
	ErrName = errors.New("zipw: bad entry name")
)

// nameError is a refused entry name: its message is the reason alone.
type nameError struct{ err error }

func (e nameError) Error() string        { return e.err.Error() }
func (e nameError) Is(target error) bool { return target == ErrName }

// Writer writes a deterministic zip to an io.Writer. Entries are
// compressed several at a time, on as many goroutines as GOMAXPROCS
// allows, while the calls go on reading the next ones; the archive is
// written in the order of the calls, and its bytes do not depend on the
// number of cores. Memory stays bounded: files are read in pieces of
// 1 MiB and only a few pieces per core are in flight.
//
// The first error is sticky: every later call returns it. An error
// writing to the destination may be returned by a later call than the
// one that added the entry, at the latest by Close. A Writer is not safe
// for concurrent use.
type Writer struct {
	zw    *zip.Writer
	names Names
	pipe  pipeline
	err   error
}

// NewWriter starts an archive on w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{zw: zip.NewWriter(w)}
}

// header returns the header every entry gets: a fixed timestamp and
// nothing that varies between runs or machines.
func header(name string, method uint16) *zip.FileHeader {
	fh := &zip.FileHeader{Name: name, Method: method}
	// The MS-DOS fields are set directly, rather than Modified, because
	// Modified makes archive/zip add an extended-timestamp extra field.
	//lint:ignore SA1019 see above
	fh.ModifiedDate = 1<<5 | 1 // 1980-01-01
	//lint:ignore SA1019 see above
	fh.ModifiedTime = 0
	return fh
}

// Copy writes the entry name from r, deflated unless store is set, and
// also writes every byte to tee when it is not nil (to hash the content
// in the same pass). It returns the number of bytes read from r, which it
// has read to the end when it returns; compression and writing may go on
// in the background (see [Writer]). It checks name with [Names.Add] and
// stops with ctx's error when ctx is cancelled.
func (w *Writer) Copy(ctx context.Context, name string, r io.Reader, store bool, tee io.Writer) (int64, error) {
	if tee != nil {
		r = io.TeeReader(r, tee)
	}
	return w.add(ctx, &entry{name: name, store: store}, r)
}

// Add writes the entry name from r as [Writer.Copy] does and calls done,
// when not nil, with its size and SHA-256 digest once it is written. The
// digest is computed on the goroutines that compress, in parallel with
// other entries. done is called in the order the entries were added, on
// the goroutine calling the Writer's methods, from this or a later call
// (Close at the latest), and not at all for an entry that failed.
func (w *Writer) Add(ctx context.Context, name string, r io.Reader, store bool, done func(Sum)) (int64, error) {
	return w.add(ctx, &entry{name: name, store: store, hash: done != nil, done: done}, r)
}

func (w *Writer) add(ctx context.Context, e *entry, r io.Reader) (int64, error) {
	if w.err != nil {
		return 0, w.err
	}
	if err := w.names.Add(e.name); err != nil {
		return 0, nameError{err}
	}
	n, err := w.readChunks(ctx, e, r)
	if err != nil {
		if w.err != nil {
			return n, w.err
		}
		return n, w.fail(fmt.Errorf("writing %s: %w", e.name, err))
	}
	return n, nil
}

// Flush waits until every entry added so far is written to the
// destination and returns the first error.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	return w.flush()
}

// WriteStored writes data as a stored entry with its sizes and checksum in
// the local header (no data descriptor) and no extra field, as a
// "mimetype" first entry needs to be.
func (w *Writer) WriteStored(name string, data []byte) error {
	if w.err != nil {
		return w.err
	}
	if err := w.names.Add(name); err != nil {
		return nameError{err}
	}
	if err := w.flush(); err != nil {
		return err
	}
	fh := header(name, zip.Store)
	fh.CRC32 = crc32.ChecksumIEEE(data)
	fh.CompressedSize64 = uint64(len(data))
	fh.UncompressedSize64 = uint64(len(data))
	fw, err := w.zw.CreateRaw(fh)
	if err == nil {
		_, err = fw.Write(data)
	}
	if err != nil {
		return w.fail(err)
	}
	return nil
}

// Has reports whether name (compared ignoring case) has been written.
func (w *Writer) Has(name string) bool { return w.names.Has(name) }

// fail makes err sticky.
func (w *Writer) fail(err error) error {
	if w.err == nil {
		w.err = err
	}
	return err
}

// Close writes the central directory. It does not close the underlying
// writer. After Close every call returns [ErrClosed].
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if err := w.flush(); err != nil {
		return err
	}
	if err := w.zw.Close(); err != nil {
		return w.fail(err)
	}
	w.err = ErrClosed
	return nil
}

// CopyEntry copies f from another archive as it is, without
// decompressing it; its header is kept.
func (w *Writer) CopyEntry(f *zip.File) error {
	if w.err != nil {
		return w.err
	}
	if err := w.names.Add(f.Name); err != nil {
		return nameError{err}
	}
	if err := w.flush(); err != nil {
		return err
	}
	if err := w.zw.Copy(f); err != nil {
		return w.fail(err)
	}
	return nil
}
