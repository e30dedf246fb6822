package jsontree

import (
	"encoding/binary"
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

// plainWord reports whether all eight bytes of w are plain ASCII string
// bytes (see plain). With no top bit set in w, the classic "has a byte less
// than n" and "has a zero byte" tests below are exact.
func plainWord(w uint64) bool {
	q := w ^ ('"' * lsb)
	b := w ^ ('\\' * lsb)
	return (w|(w-0x20*lsb)&^w|(q-lsb)&^q|(b-lsb)&^b)&msb == 0
}

// parseString parses the string whose opening quote is at p.i and leaves
// p.i after the closing quote. child says whether errors point at the value
// being parsed (a string value) or at its container (an object key).
func (p *parser) parseString(child bool) (string, error) {
	data := p.data
	start := p.i + 1
	i := start
	for {
		for i+8 <= len(data) && plainWord(binary.LittleEndian.Uint64(data[i:])) {
			i += 8
		}
		if i >= len(data) {
			return "", p.unexpected(len(data), child, " in string", "'\"' to end the string")
		}
		c := data[i]
		if c < utf8.RuneSelf {
			switch {
			case plain[c]:
				i++
			case c == '"':
				p.i = i + 1
				return p.substr(start, i), nil
			case c == '\\':
				return p.parseEscaped(start, i, child)
			default:
				return "", p.controlChar(i, child)
			}
			continue
		}
		_, size := utf8.DecodeRune(data[i:])
		if size == 1 {
			return "", p.unexpected(i, child, " in string", "")
		}
		i += size
	}
}

// parseEscaped continues parseString from the first backslash at i,
// decoding into p.scratch and then into the p.escaped arena.
func (p *parser) parseEscaped(start, i int, child bool) (string, error) {
	data := p.data
	b := append(p.scratch[:0], data[start:i]...)
	for {
		// Copy a run of bytes that stand for themselves.
		j := i
		for j < len(data) {
			if c := data[j]; c < utf8.RuneSelf {
				if !plain[c] {
					break
				}
				j++
				continue
			}
			_, size := utf8.DecodeRune(data[j:])
			if size == 1 {
				return "", p.unexpected(j, child, " in string", "")
			}
			j += size
		}
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
		case c != '\\':
			return "", p.controlChar(i, child)
		}
		if i+1 >= len(data) {
			return "", p.unexpected(len(data), child, " in string", "an escape character after '\\'")
		}
		switch e := data[i+1]; e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := hex4(data, i+2)
			if !ok {
				return "", p.badUnicodeEscape(i, child)
			}
			i += 6
			if utf16.IsSurrogate(r) {
				// A high surrogate followed by an escaped low surrogate is one
				// code point; anything else becomes U+FFFD, as in
				// encoding/json, and a following escape is decoded on its own.
				r2, ok := rune(-1), false
				if r < 0xDC00 && i+1 < len(data) && data[i] == '\\' && data[i+1] == 'u' {
					r2, ok = hex4(data, i+2)
				}
				if ok && r2 >= 0xDC00 && r2 <= 0xDFFF {
					r = utf16.DecodeRune(r, r2)
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			b = utf8.AppendRune(b, r)
			continue
		default:
			return "", p.badEscape(i, child)
		}
		i += 2
	}
}

// hex4 decodes the four hexadecimal digits at data[i:i+4].
func hex4(data []byte, i int) (rune, bool) {
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

// number scans the number at p.i per RFC 8259:
//
//	number = [ "-" ] ( "0" / %x31-39 *DIGIT ) [ "." 1*DIGIT ] [ ( "e" / "E" ) [ "-" / "+" ] 1*DIGIT ]
func (p *parser) number() error {
	data := p.data
	i := p.i
	if data[i] == '-' {
		i++
	}
	switch {
	case i >= len(data) || !isDigit(data[i]):
		return p.unexpected(i, true, " in number", "a digit after '-'")
	case data[i] == '0':
		i++
		if i < len(data) && isDigit(data[i]) {
			return p.fail(ErrSyntax, i, true, "unexpected digit after a leading 0 in number", "leading zeros are not allowed")
		}
	default:
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	}
	if i < len(data) && data[i] == '.' {
		i++
		if i >= len(data) || !isDigit(data[i]) {
			return p.unexpected(i, true, " in number", "a digit after the decimal point")
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
			return p.unexpected(i, true, " in number", "a digit in the exponent")
		}
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	}
	p.i = i
	return nil
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
