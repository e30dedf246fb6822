package jsontree

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"
)

// plain[c] is true for the ASCII bytes that stand for themselves inside a
// string: everything from ' ' to DEL except '"' and '\\'.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// notPlain returns a word whose lowest set bit, if any, is the top bit of
// the first byte of w (in memory order) that is not a plain ASCII string
// byte (see plain): a control, '"', '\\' or a byte of a non-ASCII
// character. Bits above it may be set too (borrows), but none below: the
// bytes before it are plain, so no subtraction borrows from them.
func notPlain(w uint64) uint64 {
	q := w ^ ('"' * lsb)
	b := w ^ ('\\' * lsb)
	return (w | (w-0x20*lsb)&^w | (q-lsb)&^q | (b-lsb)&^b) & msb
}

// PlainRun returns the end of the run of bytes of a JSON string body that
// starts at data[i] and stands for itself: printable ASCII other than '"'
// and '\\', and well-formed UTF-8 sequences. At the end is len(data), or
// the byte that needs a look: '"', '\\', a control character, or a byte
// (0x80 or above) that does not start a valid UTF-8 sequence.
func PlainRun(data []byte, i int) int {
	for {
		for i+8 <= len(data) {
			if m := notPlain(binary.LittleEndian.Uint64(data[i:])); m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		if i >= len(data) {
			return i
		}
		c := data[i]
		if c < utf8.RuneSelf {
			if !plain[c] {
				return i
			}
			i++
			continue
		}
		_, size := utf8.DecodeRune(data[i:])
		if size == 1 {
			return i
		}
		i += size
	}
}

// parseString parses the string whose opening quote is at p.i and leaves
// p.i after the closing quote. child says whether errors point at the value
// being parsed (a string value) or at its container (an object key).
func (p *parser) parseString(child bool) (string, error) {
	data := p.data
	start := p.i + 1
	i := PlainRun(data, start)
	if i >= len(data) {
		return "", p.unexpected(len(data), child, " in string", "'\"' to end the string")
	}
	switch c := data[i]; {
	case c == '"':
		p.i = i + 1
		return p.substr(start, i), nil
	case c == '\\':
		return p.parseEscaped(start, i, child)
	case c >= utf8.RuneSelf:
		return "", p.unexpected(i, child, " in string", "") // invalid UTF-8
	}
	return "", p.controlChar(i, child)
}

// parseEscaped continues parseString from the first backslash at i,
// decoding into p.scratch and then into the p.escaped arena.
func (p *parser) parseEscaped(start, i int, child bool) (string, error) {
	data := p.data
	b := append(p.scratch[:0], data[start:i]...)
	for {
		// Copy a run of bytes that stand for themselves.
		j := PlainRun(data, i)
		b = append(b, data[i:j]...)
		i = j
		if i >= len(data) {
			return "", p.unexpected(len(data), child, " in string", "'\"' to end the string")
		}
		switch c := data[i]; {
		case c == '"':
			p.i = i + 1
			p.scratch = b
			return p.addString(b), nil
		case c >= utf8.RuneSelf:
			return "", p.unexpected(i, child, " in string", "") // invalid UTF-8
		case c != '\\':
			return "", p.controlChar(i, child)
		}
		if i+1 >= len(data) {
			return "", p.unexpected(len(data), child, " in string", "an escape character after '\\'")
		}
		var ok bool
		if b, j, ok = AppendEscape(b, data, i); !ok {
			if data[i+1] == 'u' {
				return "", p.badUnicodeEscape(i, child)
			}
			return "", p.badEscape(i, child)
		}
		i = j
	}
}

// AppendEscape decodes the escape at data[i] (a '\\' followed by at
// least one byte) of a JSON string, appends what it stands for to dst,
// and returns dst and the offset after the escape; ok is false when the
// escape is not valid. A valid UTF-16 surrogate pair of \u escapes is one
// code point, as in encoding/json; a lone or mismatched surrogate becomes
// U+FFFD, and an escape that follows one is decoded on its own.
func AppendEscape(dst, data []byte, i int) (out []byte, next int, ok bool) {
	switch e := data[i+1]; e {
	case '"', '\\', '/':
		return append(dst, e), i + 2, true
	case 'b':
		return append(dst, '\b'), i + 2, true
	case 'f':
		return append(dst, '\f'), i + 2, true
	case 'n':
		return append(dst, '\n'), i + 2, true
	case 'r':
		return append(dst, '\r'), i + 2, true
	case 't':
		return append(dst, '\t'), i + 2, true
	case 'u':
		r, ok := Hex4(data, i+2)
		if !ok {
			return dst, i, false
		}
		i += 6
		if utf16.IsSurrogate(r) {
			r2, ok := rune(-1), false
			if r < 0xDC00 && i+1 < len(data) && data[i] == '\\' && data[i+1] == 'u' {
				r2, ok = Hex4(data, i+2)
			}
			if ok && r2 >= 0xDC00 && r2 <= 0xDFFF {
				r = utf16.DecodeRune(r, r2)
				i += 6
			} else {
				r = utf8.RuneError
			}
		}
		return utf8.AppendRune(dst, r), i, true
	}
	return dst, i, false
}

// Hex4 decodes the four hexadecimal digits at data[i:i+4].
func Hex4(data []byte, i int) (rune, bool) {
	if i+4 > len(data) {
		return 0, false
	}
	var r rune
	for _, c := range data[i : i+4] {
		v, ok := hexVal(c)
		if !ok {
			return 0, false
		}
		r = r<<4 | rune(v)
	}
	return r, true
}

// hexVal returns the value of the hexadecimal digit c.
func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// number scans the number at p.i (see NumberEnd).
func (p *parser) number() error {
	data, start := p.data, p.i
	end, ok := NumberEnd(data, start)
	if ok {
		p.i = end
		return nil
	}
	switch prev := data[end-1]; {
	case end-1 == start && prev == '-':
		return p.unexpected(end, true, " in number", "a digit after '-'")
	case prev == '.':
		return p.unexpected(end, true, " in number", "a digit after the decimal point")
	case prev == 'e' || prev == 'E' || prev == '+' || prev == '-':
		return p.unexpected(end, true, " in number", "a digit in the exponent")
	}
	return p.fail(ErrSyntax, end, true, "unexpected digit after a leading 0 in number", "leading zeros are not allowed")
}

// NumberEnd returns the end of the number that starts at data[i] ('-' or a
// digit) by the grammar of RFC 8259:
//
//	number = [ "-" ] ( "0" / %x31-39 *DIGIT ) [ "." 1*DIGIT ] [ ( "e" / "E" ) [ "-" / "+" ] 1*DIGIT ]
//
// ok is false when the text there is not a number; end is then the offset
// of the byte that is wrong (len(data) when the input ends too early).
func NumberEnd(data []byte, i int) (end int, ok bool) {
	if data[i] == '-' {
		i++
	}
	switch {
	case i >= len(data) || !isDigit(data[i]):
		return i, false
	case data[i] == '0':
		i++
		if i < len(data) && isDigit(data[i]) {
			return i, false // a leading zero
		}
	default:
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	}
	if i < len(data) && data[i] == '.' {
		i++
		if i >= len(data) || !isDigit(data[i]) {
			return i, false
		}
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) || !isDigit(data[i]) {
			return i, false
		}
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	}
	return i, true
}

// literal checks that the literal lit (true, false or null) is at p.i.
func (p *parser) literal(lit string) error {
	data := p.data
	for j := 0; j < len(lit); j++ {
		if k := p.i + j; k >= len(data) || data[k] != lit[j] {
			return p.unexpected(k, true, " in literal", "the literal "+lit)
		}
	}
	p.i += len(lit)
	return nil
}
