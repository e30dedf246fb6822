package archive

import (
	"context"
	"errors"
	"io"
)

// CheckData reads every file of the archive once, to its end, through
// the checks every read makes: no more and no fewer bytes than declared,
// the CRC-32 of zip entries, the archive's total. It is what an
// extraction would trip on, for a validator that does not extract. It
// returns nil when every file reads, a [*CheckError] listing each file
// that does not (its problems are [*Error]s, at most 100 of them), or
// ctx's error when ctx is cancelled. Memory does not grow with the files'
// sizes.
func (a *Archive) CheckData(ctx context.Context) error {
	c := &collector{}
	buf := make([]byte, 64<<10)
	for i := range a.entries {
		e := &a.entries[i]
		if e.IsDir {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := a.readThrough(ctx, a.nodes[e.Name], buf); err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
			var ae *Error
			if !errors.As(err, &ae) {
				ae = &Error{Kind: ErrCorrupt, Name: e.RawName, Index: e.Index, Detail: "cannot be read", Err: err}
			}
			if len(c.problems) >= maxReported {
				c.omitted++
				continue
			}
			c.problems = append(c.problems, ae)
		}
	}
	return c.err()
}

// readThrough reads the file node n to its end.
func (a *Archive) readThrough(ctx context.Context, n *node, buf []byte) error {
	r, err := a.openEntry(n)
	if err != nil {
		return err
	}
	defer r.Close()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		_, err := r.Read(buf)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
