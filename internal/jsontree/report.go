package jsontree

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// This file builds the errors. None of it runs unless parsing fails, so it
// favours clear messages over speed.

// fail builds a *SyntaxError at off. what says what is wrong; tail, if not
// empty, is appended after the position ("expected ..." or a hint). child
// selects the pointer: true for the value being parsed, false for the
// innermost open container.
func (p *parser) fail(sentinel error, off int, child bool, what, tail string) error {
	line, col := LineColumn(p.data, off)
	msg := what + " at line " + strconv.Itoa(line) + ", column " + strconv.Itoa(col)
	if tail != "" {
		msg += "; " + tail
	}
	return &SyntaxError{Err: sentinel, Offset: off, Line: line, Column: col, Pointer: p.pointer(child), Msg: msg}
}

// unexpected reports the byte (or the end of input) at off where something
// else was expected. ctx is a phrase such as " in string" that is inserted
// after the description of what was found. Invalid UTF-8 at off is reported
// as ErrInvalidUTF8.
func (p *parser) unexpected(off int, child bool, ctx, expected string) error {
	tail := ""
	if expected != "" {
		tail = "expected " + expected
	}
	if off >= len(p.data) {
		return p.fail(ErrSyntax, len(p.data), child, "unexpected end of input"+ctx, tail)
	}
	r, size := utf8.DecodeRune(p.data[off:])
	if r == utf8.RuneError && size == 1 {
		return p.fail(ErrInvalidUTF8, off, child, fmt.Sprintf("invalid UTF-8 byte 0x%02x%s", p.data[off], ctx), "")
	}
	return p.fail(ErrSyntax, off, child, "unexpected "+describe(r)+ctx, tail)
}

// describe names a character for a message.
func describe(r rune) string {
	switch {
	case r >= 0x20 && r < 0x7f:
		return strconv.QuoteRune(r)
	case r < 0x20 || r == 0x7f:
		return fmt.Sprintf("control character U+%04X", r)
	case r == 0xFEFF:
		return "byte order mark U+FEFF (strip it before parsing)"
	case strconv.IsPrint(r):
		return fmt.Sprintf("character %s (U+%04X)", strconv.QuoteRune(r), r)
	}
	return fmt.Sprintf("character U+%04X", r)
}

func (p *parser) controlChar(off int, child bool) error {
	return p.fail(ErrSyntax, off, child,
		fmt.Sprintf("unescaped control character U+%04X in string", p.data[off]),
		fmt.Sprintf(`control characters must be escaped, e.g. as \u%04x`, p.data[off]))
}

// badEscape reports the character after the backslash at off.
func (p *parser) badEscape(off int, child bool) error {
	const want = `one of \" \\ \/ \b \f \n \r \t \uXXXX`
	r, size := utf8.DecodeRune(p.data[off+1:])
	if r == utf8.RuneError && size == 1 {
		return p.unexpected(off+1, child, " in string", "")
	}
	return p.fail(ErrSyntax, off+1, child, "invalid escape '\\"+string(r)+"' in string", "expected "+want)
}

// badUnicodeEscape reports the first byte after the "\u" at off that is not
// a hexadecimal digit.
func (p *parser) badUnicodeEscape(off int, child bool) error {
	k := off + 2
	for k < len(p.data) && k < off+6 {
		if _, ok := hexVal(p.data[k]); !ok {
			break
		}
		k++
	}
	return p.unexpected(k, child, ` in \u escape`, "four hexadecimal digits after \\u")
}

func (p *parser) tooDeep() error {
	return p.fail(ErrTooDeep, p.i, true, "too many nested arrays and objects",
		"the maximum depth is "+strconv.Itoa(p.maxDepth))
}

func (p *parser) duplicate(f *frame) error {
	line, col := LineColumn(p.data, f.keyStart)
	where := "the top-level object"
	if obj := p.pointer(false); obj != "" {
		where = "object at " + obj
	}
	return &SyntaxError{
		Err:     ErrDuplicateKey,
		Offset:  f.keyStart,
		Line:    line,
		Column:  col,
		Pointer: p.pointer(true),
		Msg:     fmt.Sprintf("duplicate key %s in %s (line %d, column %d)", strconv.Quote(f.key), where, line, col),
	}
}

// pointer returns the JSON Pointer of the innermost open container, followed
// by the token of the child being parsed in it if child is true.
func (p *parser) pointer(child bool) string {
	n := len(p.stack)
	if !child {
		n--
	}
	var b []byte
	for i := 0; i < n; i++ {
		f := &p.stack[i]
		if f.node.Kind == Array {
			b = append(b, '/')
			b = strconv.AppendInt(b, int64(f.n), 10)
		} else {
			b = AppendToken(b, f.key)
		}
	}
	return string(b)
}
