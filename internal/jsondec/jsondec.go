// Package jsondec is the plumbing OTA's strict JSON readers share (asset
// documents, framework JSON, CASE packages, xAPI statements): reading input
// up to a size limit, parsing it into a [jsontree.Node] tree with the
// limits mapped to the reader's own sentinel errors, and turning byte
// offsets into line numbers for issues.
package jsondec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/metaacademy/ota/internal/jsontree"
)

// ReadAll reads r to the end. Past limit bytes it fails with an error
// wrapping tooLarge that names the option (such as "ReadOptions.MaxBytes")
// setting the limit; a read error is returned wrapped with what.
func ReadAll(r io.Reader, limit int64, tooLarge error, option, what string) ([]byte, error) {
	size := int64(8 << 10)
	if l, ok := r.(interface{ Len() int }); ok { // bytes.Reader, strings.Reader, bytes.Buffer
		size = int64(l.Len()) + 1
	}
	buf := make([]byte, 0, min(limit+1, size))
	for {
		if len(buf) == cap(buf) {
			if int64(len(buf)) > limit {
				return nil, TooLarge(tooLarge, limit, option)
			}
			grown := make([]byte, len(buf), min(int64(cap(buf))*2, limit+1))
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			if int64(len(buf)) > limit {
				return nil, TooLarge(tooLarge, limit, option)
			}
			return buf, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
	}
}

// TooLarge is the error of input larger than limit bytes.
func TooLarge(sentinel error, limit int64, option string) error {
	if option == "" {
		return fmt.Errorf("%w: more than %d bytes", sentinel, limit)
	}
	return fmt.Errorf("%w: larger than the limit of %d bytes (%s)", sentinel, limit, option)
}

// TrimBOM drops a UTF-8 byte order mark at the start of data.
func TrimBOM(data []byte) []byte { return bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")) }

// Parse parses data with the limits lim. More values than lim.MaxValues
// give an error wrapping tooLarge that names option (such as
// "ReadOptions.MaxValues"); a syntax error is returned as the
// *jsontree.SyntaxError the parser gives, for the caller to wrap (see
// [Syntax]).
func Parse(data []byte, lim jsontree.Limits, tooLarge error, option string) (*jsontree.Node, error) {
	root, err := jsontree.Parse(data, lim)
	if errors.Is(err, jsontree.ErrTooMany) {
		return nil, fmt.Errorf("%w: more than %d JSON values (%s)", tooLarge, lim.MaxValues, option)
	}
	return root, err
}

// Syntax wraps a parse error in sentinel, with its line and column, and
// keeps the parser's error as a cause: errors.Is reaches both sentinel and
// the parser's class of problem (jsontree.ErrSyntax, ErrDuplicateKey…).
func Syntax(sentinel, err error) error {
	var se *jsontree.SyntaxError
	if errors.As(err, &se) {
		return &wrapped{msg: fmt.Sprintf("%v: line %d, column %d: %s", sentinel, se.Line, se.Column, se.Msg), causes: []error{sentinel, err}}
	}
	return fmt.Errorf("%w: %w", sentinel, err)
}

// wrapped is an error with its own message and several causes.
type wrapped struct {
	msg    string
	causes []error
}

func (e *wrapped) Error() string   { return e.msg }
func (e *wrapped) Unwrap() []error { return e.causes }

// Limit resolves a limit option: 0 is the default def, a negative value no
// limit (returned as 0).
func Limit(v, def int) int {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return v
}

// Lines turns byte offsets of one input into line numbers. The zero value
// is ready for [Lines.Reset].
type Lines struct {
	data []byte
	nl   []int // offsets of '\n', computed on first use
	done bool
}

// NewLines returns the line finder of data.
func NewLines(data []byte) *Lines { return &Lines{data: data} }

// Reset makes l the line finder of data, reusing its memory.
func (l *Lines) Reset(data []byte) { l.data, l.nl, l.done = data, l.nl[:0], false }

// Line returns the 1-based line of the byte at offset off.
func (l *Lines) Line(off int) int {
	if !l.done {
		for i := 0; ; {
			j := bytes.IndexByte(l.data[i:], '\n')
			if j < 0 {
				break
			}
			l.nl = append(l.nl, i+j)
			i += j + 1
		}
		l.done = true
	}
	return sort.SearchInts(l.nl, off) + 1
}

// At returns the deepest node of the tree under root that the JSON Pointer
// ptr reaches.
func At(root *jsontree.Node, ptr string) *jsontree.Node {
	n := root
	if ptr == "" {
		return n
	}
	for tok := range strings.SplitSeq(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		var next *jsontree.Node
		switch n.Kind {
		case jsontree.Object:
			next = n.Get(tok)
		case jsontree.Array:
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Elems) {
				next = n.Elems[i]
			}
		}
		if next == nil {
			break
		}
		n = next
	}
	return n
}

// Article names a JSON kind with its article, for "expected …, found …"
// messages.
func Article(k jsontree.Kind) string {
	switch k {
	case jsontree.Null:
		return "null (leave the member out instead)"
	case jsontree.Array, jsontree.Object:
		return "an " + k.String()
	}
	return "a " + k.String()
}
