package jsontree

import "bytes"

// Compact appends to dst the JSON text raw with insignificant whitespace
// removed. raw is first checked with [Parse] and the default [Limits], so
// Compact fails, leaving dst untouched, on anything Parse rejects (including
// duplicate keys); the error is a [*SyntaxError].
func Compact(dst *bytes.Buffer, raw []byte) error {
	if _, err := Parse(raw, Limits{}); err != nil {
		return err
	}
	inString := false
	start := 0
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case ' ', '\t', '\n', '\r':
			dst.Write(raw[start:i])
			start = i + 1
		}
	}
	dst.Write(raw[start:])
	return nil
}
