package zipw

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"hash"
	"hash/crc32"
	"io"
	"runtime"
	"sync"

	"github.com/klauspost/compress/flate"
)

// How entries are compressed. Every file is cut into pieces of chunkSize
// bytes at fixed offsets; each piece is deflated on its own goroutine,
// primed with the dictSize bytes before it, and ended with a sync flush
// (the last piece with the final block), so that the pieces written one
// after the other form a single deflate stream, as pigz does. The output
// depends only on the data, never on the number of cores or on timing.
const (
	chunkSize = 1 << 20
	dictSize  = 32 << 10
	// level is the deflate level of github.com/klauspost/compress/flate:
	// 7 is its first level with lazy matching, which compresses text
	// close to zlib's default and still runs several times faster.
	level = 7
)

// Sum is what the writer learned of an entry's content while writing it.
type Sum struct {
	// Size is the number of uncompressed bytes.
	Size int64
	// SHA256 is the digest of the uncompressed bytes.
	SHA256 [sha256.Size]byte
}

// entry is an archive entry in the pipeline.
type entry struct {
	name  string
	store bool      // asked to be stored
	hash  bool      // compute SHA-256
	done  func(Sum) // called once written; may be nil

	// Assembly state, touched only by the writing goroutine.
	fh    *zip.FileHeader
	fw    io.Writer
	crc   uint32
	sha   hash.Hash
	size  int64
	csize int64
}

// chunk is one piece of an entry's content.
type chunk struct {
	e            *entry
	first, final bool
	in           *[]byte // uncompressed; from smallPool or bigPool
	dict         []byte  // the dictSize bytes before in, for later pieces
	out          *bytes.Buffer
	done         chan struct{}
	// Set for an entry that is one piece: its checksums.
	crc uint32
	sum [sha256.Size]byte
}

// smallSize is the size of the buffer a piece is first read into; most
// files fit, and hold no more memory than that while in flight.
const smallSize = 64 << 10

var (
	smallPool = sync.Pool{New: func() any { b := make([]byte, smallSize); return &b }}
	bigPool   = sync.Pool{New: func() any { b := make([]byte, chunkSize); return &b }}
	outPool   = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	flatePool sync.Pool
)

// putBuf returns a piece's buffer to its pool.
func putBuf(b *[]byte) {
	if b == nil {
		return
	}
	if cap(*b) == chunkSize {
		bigPool.Put(b)
	} else {
		smallPool.Put(b)
	}
}

// whole reports whether c is the entry's only piece.
func (c *chunk) whole() bool { return c.first && c.final }

// run compresses and, for a one-piece entry, checksums c. It runs on its
// own goroutine, at most GOMAXPROCS at once (pipeline.sem).
func (c *chunk) run() {
	defer close(c.done)
	in := *c.in
	if c.whole() {
		c.crc = crc32.ChecksumIEEE(in)
		if c.e.hash {
			c.sum = sha256.Sum256(in)
		}
	}
	if c.e.store {
		return
	}
	c.out = outPool.Get().(*bytes.Buffer)
	c.out.Reset()
	fw, _ := flatePool.Get().(*flate.Writer)
	if fw == nil {
		fw, _ = flate.NewWriter(io.Discard, level) // the level is valid: no error
	}
	// The writer keeps pointing at c.out and c.dict once back in the pool,
	// which is harmless: clearing it costs as much as the reset below.
	fw.ResetDict(c.out, c.dict)
	// Writes to a bytes.Buffer do not fail.
	_, _ = fw.Write(in)
	if c.final {
		_ = fw.Close()
	} else {
		_ = fw.Flush()
	}
	flatePool.Put(fw)
}

// release returns c's buffers to their pools.
func (c *chunk) release() {
	putBuf(c.in)
	c.in = nil
	if c.out != nil {
		if c.out.Cap() <= 2*chunkSize {
			outPool.Put(c.out)
		}
		c.out = nil
	}
}

// pipeline holds the pieces in flight, oldest first.
type pipeline struct {
	queue []*chunk
	bytes int // uncompressed bytes in queue
	sem   chan struct{}
}

// Bounds of the pipeline: the pieces waiting to be written and their
// bytes. The buffers in flight hold at most bytes plus 64 KiB a piece,
// and their compressed forms about as much again: some 20 MiB with two
// cores, whatever the file sizes.
func maxInFlight() (pieces, bytes int) {
	p := runtime.GOMAXPROCS(0)
	return 4*p + 4, (2*p + 2) * chunkSize
}

// submit starts compressing c, first writing out finished pieces and,
// when the pipeline is full, waiting for the oldest.
func (w *Writer) submit(c *chunk) error {
	if w.pipe.sem == nil {
		w.pipe.sem = make(chan struct{}, runtime.GOMAXPROCS(0))
	}
	maxPieces, maxBytes := maxInFlight()
	for len(w.pipe.queue) > 0 && (len(w.pipe.queue) >= maxPieces || w.pipe.bytes+len(*c.in) > maxBytes) {
		if err := w.writeOldest(true); err != nil {
			c.release()
			return err
		}
	}
	c.done = make(chan struct{})
	w.pipe.queue = append(w.pipe.queue, c)
	w.pipe.bytes += len(*c.in)
	sem := w.pipe.sem
	go func() {
		sem <- struct{}{}
		c.run()
		<-sem
	}()
	// Write what is ready without waiting.
	for len(w.pipe.queue) > 0 {
		select {
		case <-w.pipe.queue[0].done:
		default:
			return nil
		}
		if err := w.writeOldest(false); err != nil {
			return err
		}
	}
	return nil
}

// flush writes every piece in flight.
func (w *Writer) flush() error {
	for len(w.pipe.queue) > 0 {
		if err := w.writeOldest(true); err != nil {
			return err
		}
	}
	return nil
}

// abandon drops the pieces in flight after an error; their goroutines
// finish on their own.
func (w *Writer) abandon() {
	w.pipe.queue, w.pipe.bytes = nil, 0
}

// writeOldest waits for the oldest piece (when wait is set; it must be
// done otherwise) and writes it to the archive.
func (w *Writer) writeOldest(wait bool) error {
	c := w.pipe.queue[0]
	if wait {
		<-c.done
	}
	w.pipe.queue[0] = nil
	w.pipe.queue = w.pipe.queue[1:]
	w.pipe.bytes -= len(*c.in)
	defer c.release()
	if w.err != nil {
		return w.err
	}
	if err := w.writeChunk(c); err != nil {
		w.abandon()
		return w.fail(err)
	}
	return nil
}

// writeChunk writes one finished piece: the entry's local header before
// its first piece, and the sizes and checksum into the header after the
// last (archive/zip writes them in the data descriptor that follows).
func (w *Writer) writeChunk(c *chunk) error {
	e, in := c.e, *c.in
	if c.first {
		method := zip.Deflate
		if e.store {
			method = zip.Store
		}
		e.fh = rawHeader(e.name, method)
		fw, err := w.zw.CreateRaw(e.fh)
		if err != nil {
			return err
		}
		e.fw = fw
		if !c.final && e.hash {
			e.sha = sha256.New()
		}
	}
	if c.whole() {
		e.crc = c.crc
	} else {
		e.crc = crc32.Update(e.crc, crc32.IEEETable, in)
		if e.sha != nil {
			e.sha.Write(in)
		}
	}
	data := in
	if !e.store {
		data = c.out.Bytes()
	}
	if _, err := e.fw.Write(data); err != nil {
		return err
	}
	e.size += int64(len(in))
	e.csize += int64(len(data))
	if !c.final {
		return nil
	}
	fh := e.fh
	fh.CRC32 = e.crc
	fh.CompressedSize64, fh.UncompressedSize64 = uint64(e.csize), uint64(e.size)
	// archive/zip writes a raw entry's data descriptor from the 32-bit
	// fields, and sets them only in CreateRaw: set them as its own
	// compressing writer does once an entry is done.
	if e.csize >= 1<<32-1 || e.size >= 1<<32-1 {
		//lint:ignore SA1019 see above
		fh.CompressedSize, fh.UncompressedSize = 1<<32-1, 1<<32-1
		fh.ReaderVersion = 45 // ZIP64
	} else {
		//lint:ignore SA1019 see above
		fh.CompressedSize, fh.UncompressedSize = uint32(e.csize), uint32(e.size)
	}
	if e.done != nil {
		s := Sum{Size: e.size}
		switch {
		case c.whole() && e.hash:
			s.SHA256 = c.sum
		case e.sha != nil:
			e.sha.Sum(s.SHA256[:0])
		}
		e.done(s)
	}
	e.fw, e.sha = nil, nil
	return nil
}

// rawHeader is [header] with the fields archive/zip's CreateHeader would
// set, for CreateRaw: a data descriptor follows the data (bit 3), names
// outside printable ASCII are flagged as UTF-8 (bit 11), and the versions
// say 2.0.
func rawHeader(name string, method uint16) *zip.FileHeader {
	fh := header(name, method)
	fh.Flags |= 0x8
	for i := 0; i < len(name); i++ {
		if name[i] > 0x7d {
			fh.Flags |= 0x800
			break
		}
	}
	fh.CreatorVersion, fh.ReaderVersion = 20, 20
	return fh
}

// readChunks reads r to the end in pieces of chunkSize and submits them,
// reading one piece ahead to know which is the last. It returns the
// number of bytes read.
func (w *Writer) readChunks(ctx context.Context, e *entry, r io.Reader) (int64, error) {
	var n int64
	var tail []byte
	cur, k, err := readPiece(r)
	for first := true; ; first = false {
		if err == nil {
			err = ctx.Err()
		}
		if err != nil {
			putBuf(cur)
			return n, err
		}
		n += int64(k)
		final := k < chunkSize
		var next *[]byte
		var k2 int
		if !final {
			next, k2, err = readPiece(r)
			if err != nil {
				putBuf(cur)
				putBuf(next)
				return n, err
			}
			if k2 == 0 {
				putBuf(next)
				next, final = nil, true
			}
		}
		c := &chunk{e: e, first: first, final: final, in: cur, dict: tail}
		if !final && !e.store {
			tail = bytes.Clone((*cur)[chunkSize-dictSize:]) // cur may be reused once written
		}
		if err := w.submit(c); err != nil {
			putBuf(next)
			return n, err
		}
		if final {
			return n, nil
		}
		cur, k = next, k2
	}
}

// readPiece reads up to chunkSize bytes into a pooled buffer, which it
// returns sliced to what was read: a small buffer when the data ends
// within smallSize bytes, else a chunkSize one. io.EOF is not an error,
// any other error is (io.ReadFull would hide a reader's own
// io.ErrUnexpectedEOF).
func readPiece(r io.Reader) (*[]byte, int, error) {
	small := smallPool.Get().(*[]byte)
	k, err := readFull(r, (*small)[:smallSize])
	if err != nil || k < smallSize {
		*small = (*small)[:k]
		return small, k, err
	}
	big := bigPool.Get().(*[]byte)
	buf := (*big)[:chunkSize]
	copy(buf, (*small)[:k])
	smallPool.Put(small)
	m, err := readFull(r, buf[k:])
	*big = buf[:k+m]
	return big, k + m, err
}

// readFull reads until buf is full or r ends; io.EOF is not an error.
func readFull(r io.Reader, buf []byte) (int, error) {
	k := 0
	var err error
	for k < len(buf) && err == nil {
		var m int
		m, err = r.Read(buf[k:])
		k += m
	}
	if err == io.EOF {
		err = nil
	}
	return k, err
}
