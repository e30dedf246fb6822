// Package iri checks identifiers against the syntax of RFC 3987 IRIs, as the
// OTA formats need: absolute IRIs for asset IDs, framework references,
// relation targets and extension keys.
package iri

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
)

// CheckAbsolute returns nil when s is an absolute IRI: a scheme, a colon and
// a non-empty remainder with no characters an IRI cannot hold. It returns an
// error saying what is wrong otherwise. The checks are syntactic; no
// resolution is attempted. Two schemes get a closer look: "urn:uuid:" must be
// followed by a UUID, and http and https IRIs must name a host.
func CheckAbsolute(s string) error {
	if s == "" {
		return errors.New("is empty")
	}
	// Most IRIs are ASCII without a character checkChars must look at;
	// for those, one pass stands for the UTF-8 and character checks.
	plain := true
	for i := 0; i < len(s); i++ {
		if notPlainIRI[s[i]] {
			plain = false
			break
		}
	}
	if !plain && !utf8.ValidString(s) {
		return errors.New("is not valid UTF-8")
	}
	colon := strings.IndexByte(s, ':')
	if colon <= 0 {
		return errors.New("has no scheme; an absolute IRI starts with a scheme such as \"https:\" or \"urn:\"")
	}
	scheme := s[:colon]
	if err := checkScheme(scheme); err != nil {
		return err
	}
	rest := s[colon+1:]
	if rest == "" {
		return fmt.Errorf("has nothing after the scheme %q", scheme+":")
	}
	if !plain { // else checkChars(rest) has nothing to find
		if err := checkChars(rest); err != nil {
			return err
		}
	}
	switch {
	case strings.EqualFold(scheme, "urn"):
		if len(rest) >= 5 && strings.EqualFold(rest[:5], "uuid:") {
			if err := uuid.Validate(rest[5:]); err != nil || len(rest[5:]) != 36 {
				return fmt.Errorf("is a urn:uuid: IRI whose UUID %q is not in the 8-4-4-4-12 hexadecimal form", rest[5:])
			}
		}
	case strings.EqualFold(scheme, "http"), strings.EqualFold(scheme, "https"):
		if !strings.HasPrefix(rest, "//") {
			return fmt.Errorf("is a %s IRI without \"//\" and a host", scheme)
		}
		host := rest[2:]
		for i := 0; i < len(host); i++ {
			if c := host[i]; c == '/' || c == '?' || c == '#' {
				host = host[:i]
				break
			}
		}
		if i := strings.LastIndexByte(host, '@'); i >= 0 {
			host = host[i+1:]
		}
		if host == "" || host[0] == ':' {
			return fmt.Errorf("is a %s IRI with an empty host", scheme)
		}
	}
	return nil
}

// IsAbsolute reports whether s is an absolute IRI.
func IsAbsolute(s string) bool { return CheckAbsolute(s) == nil }

// HasScheme reports whether s starts with something shaped like a URI
// scheme followed by a colon, as "https:" or "urn:" do.
func HasScheme(s string) bool {
	colon := strings.IndexByte(s, ':')
	return colon > 0 && checkScheme(s[:colon]) == nil
}

func checkScheme(scheme string) error {
	for i := 0; i < len(scheme); i++ {
		c := scheme[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return fmt.Errorf("has an invalid scheme %q; a scheme is a letter followed by letters, digits, '+', '-' or '.'", scheme)
		}
	}
	return nil
}

// checkChars rejects what no IRI may contain: spaces and other controls,
// the delimiters RFC 3987 excludes, and malformed percent-encodings.
func checkChars(s string) error {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf && !asciiSpecial[c] {
			i++ // the common case: an ASCII character an IRI may hold
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r <= 0x20 || r == 0x7F || (r >= 0x80 && r <= 0x9F):
			if r == ' ' {
				return fmt.Errorf("contains a space at byte %d; percent-encode it as %%20", i)
			}
			return fmt.Errorf("contains the control character U+%04X at byte %d", r, i)
		case strings.ContainsRune("<>\"{}|\\^`", r):
			return fmt.Errorf("contains %q at byte %d, which an IRI cannot hold; percent-encode it", r, i)
		case r == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return fmt.Errorf("has a '%%' at byte %d that does not start a %%XX escape", i)
			}
		case r == 0xFFFD && size == 1:
			return fmt.Errorf("is not valid UTF-8 at byte %d", i)
		}
		i += size
	}
	return nil
}

// asciiSpecial marks the ASCII characters checkChars must look at: the
// controls, space, DEL, the delimiters an IRI excludes, and '%'.
var asciiSpecial = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c <= 0x20 || c == 0x7F || c == '%' || strings.IndexByte("<>\"{}|\\^`", byte(c)) >= 0
	}
	return t
}()

// notPlainIRI marks the bytes asciiSpecial marks and every non-ASCII
// byte.
var notPlainIRI = func() (t [256]bool) {
	for c := range t {
		t[c] = c >= utf8.RuneSelf || asciiSpecial[c]
	}
	return t
}()

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
