package feed

import (
	"errors"
	"fmt"
	"strconv"
)

// Sentinel errors. Every error [Read] returns is an *[Error] wrapping one
// of these, so errors.Is tells the classes apart.
var (
	// ErrFeed is the class of a page that is not a valid feed page: not
	// JSON, a member of the wrong type, a required member missing, a value
	// out of range.
	ErrFeed = errors.New("feed: invalid feed page")
	// ErrVersion is the class of a page of a major format version this
	// package does not read.
	ErrVersion = errors.New("feed: unsupported format version")
	// ErrTooLarge is the class of a page beyond the reader's limits: more
	// bytes or more entries than [ReadOptions] allow.
	ErrTooLarge = errors.New("feed: page too large")
)

// Error is what is wrong with a feed page, and where.
type Error struct {
	// Err is the class: ErrFeed, ErrVersion or ErrTooLarge, or an I/O
	// error from the reader.
	Err error
	// Pointer is the JSON Pointer of the offending value ("/entries/3/id");
	// "" for the whole page.
	Pointer string
	// Line is the 1-based line of the problem when it is a syntax error,
	// else 0.
	Line int
	// Msg says what is wrong and how to fix it.
	Msg string
}

// Error returns "feed: " and the message.
func (e *Error) Error() string {
	s := "feed: " + e.Msg
	if e.Line > 0 {
		s += " (line " + strconv.Itoa(e.Line) + ")"
	}
	return s
}

// Unwrap returns the class.
func (e *Error) Unwrap() error { return e.Err }

func errorf(class error, ptr, format string, args ...any) *Error {
	return &Error{Err: class, Pointer: ptr, Msg: fmt.Sprintf(format, args...)}
}

// where names a JSON Pointer for messages.
func where(ptr string) string {
	if ptr == "" {
		return "the page"
	}
	return strconv.Quote(ptr)
}
