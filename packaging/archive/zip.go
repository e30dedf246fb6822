package archive

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/bits"
	"os"
	"sync"

	"github.com/klauspost/compress/flate"
)

// Zip header flags (APPNOTE 4.4.4).
const (
	flagEncrypted       = 0x0001
	flagStrongEncrypted = 0x0040
	flagUTF8            = 0x0800
	flagMaskedHeaders   = 0x2000 // central directory encryption
)

// Unix file types in the high half of the external attributes.
const (
	unixTypeMask    = 0xF000
	unixFIFO        = 0x1000
	unixCharDevice  = 0x2000
	unixDir         = 0x4000
	unixBlockDevice = 0x6000
	unixSymlink     = 0xA000
	unixSocket      = 0xC000
)

// Open checks the zip archive in r, which is size bytes long, and returns
// it ready for reading. Only the central directory is read. The error is
// an [*Error] of class [ErrCorrupt] when r is not a readable zip archive,
// and a [*CheckError] listing every violation when the archive breaks a
// check.
func Open(r io.ReaderAt, size int64, opts Limits) (*Archive, error) {
	o := opts.resolve()
	if size <= 0 {
		return nil, &Error{Kind: ErrCorrupt, Index: -1, Detail: "empty input"}
	}
	br := &budgetReaderAt{r: r}
	if o.MaxEntries >= 0 {
		br.left.Store(directoryBudgetBase + int64(o.MaxEntries)*directoryBudgetPerEntry)
		br.armed.Store(true)
	}
	zr, err := zip.NewReader(br, size)
	br.armed.Store(false)
	switch {
	case err == nil, errors.Is(err, zip.ErrInsecurePath):
		// GODEBUG=zipinsecurepath=0 makes archive/zip flag names we check ourselves.
	case errors.Is(err, errBudget):
		c := &collector{}
		c.add(ErrTooManyEntries, -1, "", "the central directory holds more than %d entries can need; Limits.MaxEntries is %d", o.MaxEntries, o.MaxEntries)
		return nil, c.err()
	case errors.Is(err, zip.ErrFormat), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return nil, &Error{Kind: ErrCorrupt, Index: -1, Detail: "cannot read the central directory", Err: err}
	default:
		return nil, fmt.Errorf("archive: reading the central directory: %w", err)
	}
	return checkZip(r, zr.File, size, o)
}

// OpenFile opens the zip archive at path and checks it as [Open] does.
// [Archive.Close] closes the file.
func OpenFile(path string, opts Limits) (*Archive, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = &fs.PathError{Op: "open", Path: path, Err: errors.New("not a regular file")}
	}
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	a, err := Open(f, fi.Size(), opts)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	a.closer = f
	return a, nil
}

// checkZip runs every check over the central directory, and checks it
// against the local headers ([checkLayout]).
func checkZip(r io.ReaderAt, files []*zip.File, size int64, o Limits) (*Archive, error) {
	c := &collector{}
	if o.MaxEntries >= 0 && len(files) > o.MaxEntries {
		c.add(ErrTooManyEntries, -1, "", "%d entries; Limits.MaxEntries is %d", len(files), o.MaxEntries)
		return nil, c.err()
	}
	a := &Archive{opts: o, src: zipSource(files), entries: make([]Entry, 0, len(files))}
	t := newTree(c, o.AllowCaseCollisions, len(files))
	var total, compressed uint64
	for i, f := range files {
		cn, nameOK := checkName(c, i, f.Name, f.Flags&flagUTF8 != 0, o)
		isDir, isLink, typeOK := checkZipType(c, i, f, cn.isDir, o.SkipSymlinks)
		checkZipData(c, i, f, isDir, size, o)
		total = satAdd(total, f.UncompressedSize64)
		compressed = satAdd(compressed, f.CompressedSize64)
		if !nameOK || !typeOK {
			continue
		}
		e := Entry{
			Name:           cn.clean,
			RawName:        f.Name,
			Index:          i,
			IsDir:          isDir,
			Size:           int64(min(f.UncompressedSize64, 1<<63-1)),
			CompressedSize: int64(min(f.CompressedSize64, 1<<63-1)),
			Method:         f.Method,
			Modified:       f.Modified,
			CRC32:          f.CRC32,
			LegacyName:     cn.legacy,
		}
		switch {
		case isLink, cn.clean == "" && isDir, !o.KeepJunk && IsJunk(cn.clean):
			a.skipped = append(a.skipped, e)
		default:
			a.entries = append(a.entries, e)
			t.add(cn.clean, isDir, len(a.entries)-1, i, f.Name)
		}
	}
	checkTotals(c, total, compressed, size, o)
	if len(c.problems) == 0 {
		// Only an archive that passed every other check has its local
		// headers read.
		checkLayout(c, r, size, files)
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	t.finish(a)
	return a, nil
}

// checkZipType classifies an entry from its name and external attributes
// and reports links (unless skipLinks) and special files. ok is false for
// an entry that cannot be accepted. The Unix type bits are honoured
// whatever system the entry claims to come from: an extractor that trusts
// them must not be handed a link disguised as an MS-DOS file.
func checkZipType(c *collector, i int, f *zip.File, slash, skipLinks bool) (isDir, isLink, ok bool) {
	mode := f.Mode()
	unix := f.ExternalAttrs >> 16 & unixTypeMask
	switch {
	case mode&fs.ModeSymlink != 0 || unix == unixSymlink:
		if !skipLinks {
			c.add(ErrSymlink, i, f.Name, "links are never followed; set Limits.SkipSymlinks to leave them out")
		}
		return false, true, skipLinks
	case mode&(fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe|fs.ModeSocket|fs.ModeIrregular) != 0,
		unix == unixFIFO || unix == unixCharDevice || unix == unixBlockDevice || unix == unixSocket:
		c.add(ErrSpecialFile, i, f.Name, "a device, pipe or socket (mode %v)", mode)
		return false, false, false
	}
	return slash || mode.IsDir() || unix == unixDir, false, true
}

// checkZipData checks an entry's flags, method and sizes.
func checkZipData(c *collector, i int, f *zip.File, isDir bool, size int64, o Limits) {
	encrypted := f.Flags&(flagEncrypted|flagStrongEncrypted|flagMaskedHeaders) != 0
	if encrypted {
		c.add(ErrEncrypted, i, f.Name, "flags %#04x", f.Flags)
	}
	switch {
	case isDir:
		if f.UncompressedSize64 != 0 {
			c.add(ErrCorrupt, i, f.Name, "a folder entry that declares %d bytes of data", f.UncompressedSize64)
		}
		return
	case f.Method != zip.Store && f.Method != zip.Deflate:
		c.add(ErrUnsupportedMethod, i, f.Name, "method %d; only 0 (store) and 8 (deflate) are read", f.Method)
	case f.Method == zip.Store && !encrypted && f.CompressedSize64 != f.UncompressedSize64:
		c.add(ErrCorrupt, i, f.Name, "a stored entry that declares %d bytes stored and %d uncompressed", f.CompressedSize64, f.UncompressedSize64)
	}
	if f.CompressedSize64 > uint64(size) {
		c.add(ErrCorrupt, i, f.Name, "declares %d compressed bytes in a %d-byte archive", f.CompressedSize64, size)
	}
	if over(f.UncompressedSize64, o.MaxEntrySize) {
		c.add(ErrEntryTooLarge, i, f.Name, "declares %d bytes; Limits.MaxEntrySize is %d", f.UncompressedSize64, o.MaxEntrySize)
	}
	if ratioTooHigh(f.UncompressedSize64, f.CompressedSize64, o) {
		c.add(ErrRatio, i, f.Name, "%d bytes from %d compressed; Limits.MaxRatio is %d", f.UncompressedSize64, f.CompressedSize64, o.MaxRatio)
	}
}

// checkTotals checks the archive as a whole.
func checkTotals(c *collector, total, compressed uint64, size int64, o Limits) {
	if over(total, o.MaxTotalSize) {
		c.add(ErrTooLarge, -1, "", "entries declare %d bytes in all; Limits.MaxTotalSize is %d", total, o.MaxTotalSize)
	}
	if compressed > uint64(size) {
		c.add(ErrCorrupt, -1, "", "entries claim %d compressed bytes in a %d-byte archive (overlapping entries?)", compressed, size)
	}
	if ratioTooHigh(total, uint64(size), o) {
		c.add(ErrRatio, -1, "", "entries declare %d bytes in a %d-byte archive; Limits.MaxRatio is %d", total, size, o.MaxRatio)
	}
}

// ratioTooHigh reports whether usize bytes from csize compressed bytes
// break the ratio limit, exempting sizes below the floor.
func ratioTooHigh(usize, csize uint64, o Limits) bool {
	if o.MaxRatio < 0 || o.RatioFloor >= 0 && usize < uint64(o.RatioFloor) {
		return false
	}
	hi, lo := bits.Mul64(csize, uint64(o.MaxRatio))
	return hi == 0 && usize > lo
}

// satAdd adds without wrapping around.
func satAdd(a, b uint64) uint64 {
	s, carry := bits.Add64(a, b, 0)
	if carry != 0 {
		return ^uint64(0)
	}
	return s
}

// zipSource reads entries of a zip archive, indexed by Entry.Index.
type zipSource []*zip.File

func (z zipSource) open(e *Entry) (io.Reader, io.Closer, error) {
	f := z[e.Index]
	raw, err := f.OpenRaw() // a section of CompressedSize64 bytes: deflate cannot read past it
	if err != nil {
		return nil, nil, &Error{Kind: ErrCorrupt, Name: e.RawName, Index: e.Index, Detail: "bad local header", Err: err}
	}
	if f.Method == zip.Store {
		return raw, nil, nil
	}
	d, ok := inflaterPool.Get().(*inflater)
	if !ok {
		d = &inflater{br: bufio.NewReaderSize(nil, 64<<10), whole: make([]byte, 0, wholeDeflate)}
	}
	var src io.Reader
	if f.CompressedSize64 <= wholeDeflate {
		// Small enough to read at once: one read, and the inflater's
		// fastest path (a bytes.Reader, about 30% faster than bufio).
		d.whole = d.whole[:f.CompressedSize64]
		if _, err := io.ReadFull(raw, d.whole); err != nil {
			d.release()
			return nil, nil, &Error{Kind: ErrCorrupt, Name: e.RawName, Index: e.Index, Detail: "data ends early", Err: err}
		}
		d.bytes.Reset(d.whole)
		src = &d.bytes
	} else {
		d.br.Reset(raw)
		src = d.br
	}
	if d.fr == nil {
		d.fr = flate.NewReader(src)
	} else {
		_ = d.fr.(flate.Resetter).Reset(src, nil)
	}
	return d.fr, d, nil
}

// wholeDeflate is the compressed size up to which an entry is read in one
// go rather than through a buffer.
const wholeDeflate = 256 << 10

// inflater is a decompressor (github.com/klauspost/compress/flate, about
// 1.5 times as fast as compress/flate) and what it reads from: the whole
// compressed entry when it is small, else a 64 KiB buffer, so that an
// entry is read from the archive in a few large reads rather than many
// 4 KiB ones. About 370 KiB; kept in inflaterPool for reuse.
type inflater struct {
	fr    io.ReadCloser
	br    *bufio.Reader
	bytes bytes.Reader
	whole []byte
}

var inflaterPool sync.Pool

// Close returns the decompressor to the pool.
func (d *inflater) Close() error {
	err := d.fr.Close()
	d.release()
	return err
}

func (d *inflater) release() {
	d.br.Reset(nil)
	d.bytes.Reset(nil)
	inflaterPool.Put(d)
}

func (zipSource) checksums() bool { return true }
