package archive

import (
	"errors"
	"io"
	"sync/atomic"
)

// errBudget stops zip.NewReader once it has read more of the central
// directory than Limits.MaxEntries entries can need.
var errBudget = errors.New("archive: central directory read budget exhausted")

// budgetReaderAt passes reads through to r and, while armed, fails them
// once left bytes have been read. archive/zip parses central directory
// headers until one fails to parse, whatever count the end record
// declares, so without a budget an archive could make [Open] hold a
// directory of millions of entries before the entry count is checked.
type budgetReaderAt struct {
	r     io.ReaderAt
	left  atomic.Int64
	armed atomic.Bool
}

// ReadAt implements io.ReaderAt.
func (b *budgetReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if b.armed.Load() && b.left.Add(-int64(len(p))) < 0 {
		return 0, errBudget
	}
	return b.r.ReadAt(p, off)
}
