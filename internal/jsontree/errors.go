package jsontree

import (
	"errors"
	"strconv"
)

// Error classes. Every error returned by [Parse] is a [*SyntaxError] whose
// Err field is one of these, so errors.Is(err, ErrTooDeep) and the like work.
var (
	// ErrSyntax is the class of input that is not JSON text.
	ErrSyntax = errors.New("jsontree: syntax error")
	// ErrTooDeep is the class of input whose arrays and objects nest more
	// than the depth limit allows.
	ErrTooDeep = errors.New("jsontree: nesting too deep")
	// ErrDuplicateKey is the class of input with an object that has two
	// members with the same decoded key.
	ErrDuplicateKey = errors.New("jsontree: duplicate key")
	// ErrInvalidUTF8 is the class of input that is not valid UTF-8.
	ErrInvalidUTF8 = errors.New("jsontree: invalid UTF-8")
	// ErrTooMany is the class of input holding more values than
	// [Limits].MaxValues.
	ErrTooMany = errors.New("jsontree: too many values")
)

// SyntaxError locates a problem in the input of [Parse] or [Compact].
// errors.Is(err, ErrX) works via Unwrap, which returns Err.
type SyntaxError struct {
	// Err is the class of the problem: ErrSyntax, ErrTooDeep,
	// ErrDuplicateKey or ErrInvalidUTF8.
	Err error
	// Offset is the byte offset of the problem. It is len(data) when the
	// input ended too early. For a duplicate key it is the offset of the
	// second key's opening quote.
	Offset int
	// Line and Column are the 1-based position of Offset. Column counts
	// bytes, not characters. Lines end at "\n", "\r\n" or a lone "\r".
	Line, Column int
	// Pointer is the RFC 6901 JSON Pointer of the value that was being
	// parsed when the problem was found, e.g. "/parts/0/title"; "" is the
	// whole document. For a duplicate key it is the pointer of the
	// duplicated member.
	Pointer string
	// Msg is a human readable description of what is wrong and what was
	// expected, e.g. "unexpected ']' at line 3, column 7; expected a value".
	Msg string
}

// Error returns "jsontree: " followed by Msg and, when it is not already part
// of the message, the JSON Pointer of the failing value.
func (e *SyntaxError) Error() string {
	s := "jsontree: " + e.Msg
	if e.Pointer != "" && e.Err != ErrDuplicateKey {
		s += " (at " + strconv.Quote(e.Pointer) + ")"
	}
	return s
}

// Unwrap returns e.Err, the class of the problem.
func (e *SyntaxError) Unwrap() error { return e.Err }

// LineColumn converts a byte offset in data to a 1-based line and a 1-based
// column counted in bytes. Lines end at "\n", "\r\n" or a lone "\r". An
// offset outside [0, len(data)] is clamped into that range, so the end of
// the input has a position too.
func LineColumn(data []byte, offset int) (line, column int) {
	offset = max(0, min(offset, len(data)))
	line, lineStart := 1, 0
	for i := 0; i < offset; i++ {
		switch data[i] {
		case '\n':
			line, lineStart = line+1, i+1
		case '\r':
			if i+1 < len(data) && data[i+1] == '\n' {
				continue
			}
			line, lineStart = line+1, i+1
		}
	}
	return line, offset - lineStart + 1
}

// AppendPointerToken returns ptr followed by "/" and token escaped as RFC
// 6901 requires: "~" becomes "~0" and "/" becomes "~1".
func AppendPointerToken(ptr, token string) string {
	return string(AppendToken([]byte(ptr), token))
}

// Pointer returns the RFC 6901 JSON Pointer made of tokens, each escaped as
// by [AppendPointerToken]. Pointer() is "", the whole document.
func Pointer(tokens ...string) string {
	var b []byte
	for _, t := range tokens {
		b = AppendToken(b, t)
	}
	return string(b)
}

// AppendToken appends "/" and token, escaped as [AppendPointerToken]
// escapes it, to b.
func AppendToken(b []byte, token string) []byte {
	b = append(b, '/')
	for i := 0; i < len(token); i++ {
		switch c := token[i]; c {
		case '~':
			b = append(b, '~', '0')
		case '/':
			b = append(b, '~', '1')
		default:
			b = append(b, c)
		}
	}
	return b
}
