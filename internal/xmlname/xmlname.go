// Package xmlname tells which strings XML 1.0 (fifth edition) accepts as
// names, for the packages that check and write XML names.
package xmlname

import "unicode/utf8"

// Chars reports whether s is a non-empty string of XML name characters
// (production [4a] NameChar of XML 1.0, fifth edition, which accepts every
// name encoding/xml reads).
func Chars(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !isNameChar(r) {
			return false
		}
	}
	return true
}

// Starts reports whether s starts with a character that may start an XML
// name.
func Starts(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isNameStart(r)
}

func isNameStart(r rune) bool {
	return r == ':' || r == '_' || 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' ||
		0xC0 <= r && r <= 0xD6 || 0xD8 <= r && r <= 0xF6 || 0xF8 <= r && r <= 0x2FF ||
		0x370 <= r && r <= 0x37D || 0x37F <= r && r <= 0x1FFF || 0x200C <= r && r <= 0x200D ||
		0x2070 <= r && r <= 0x218F || 0x2C00 <= r && r <= 0x2FEF || 0x3001 <= r && r <= 0xD7FF ||
		0xF900 <= r && r <= 0xFDCF || 0xFDF0 <= r && r <= 0xFFFD || 0x10000 <= r && r <= 0xEFFFF
}

func isNameChar(r rune) bool {
	return isNameStart(r) || r == '-' || r == '.' || '0' <= r && r <= '9' || r == 0xB7 ||
		0x300 <= r && r <= 0x36F || 0x203F <= r && r <= 0x2040
}
