// Package jsonesc writes JSON strings, the one way OTA's canonical writers
// (asset documents, xAPI statements) escape them.
package jsonesc

import "unicode/utf8"

// AppendString appends s to dst as a JSON string (RFC 8259 section 7), with
// the escapes RFC 8785 (JSON canonicalization) chooses and encoding/json
// writes with HTML escaping off: the two-character escapes \" \\ \b \f \n
// \r \t; \u00xx (lower-case hexadecimal) for the other control characters;
// every other character as itself, except U+2028 and U+2029, which are
// escaped because JavaScript does not allow them in string literals; and
// U+FFFD in place of each byte of invalid UTF-8.
func AppendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b := append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
