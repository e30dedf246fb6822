package archive

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// checkedName is a name that passed [checkName].
type checkedName struct {
	clean  string // slash-separated, no ".", "..", empty segments or trailing slash; "" is the root
	isDir  bool   // the stored name ended with a separator
	legacy bool   // decoded from code page 437
}

// checkName checks one stored name, records every problem it has in c and
// reports whether the name is usable. flaggedUTF8 is true when the name
// must be UTF-8 (the entry's UTF-8 flag is set, or it comes from a folder).
func checkName(c *collector, idx int, raw string, flaggedUTF8 bool, o Limits) (checkedName, bool) {
	name, legacy := raw, false
	if !utf8.ValidString(raw) {
		switch {
		case flaggedUTF8:
			c.add(ErrBadName, idx, raw, "not valid UTF-8 although the entry says it is")
			return checkedName{}, false
		case o.RejectLegacyNames:
			c.add(ErrBadName, idx, raw, "not valid UTF-8 (Limits.RejectLegacyNames is set)")
			return checkedName{}, false
		}
		name, legacy = decodeCP437(raw), true
	}
	if name == "" {
		c.add(ErrBadName, idx, raw, "empty name")
		return checkedName{}, false
	}
	n := len(c.problems) + c.omitted
	if i := strings.IndexFunc(name, unicode.IsControl); i >= 0 {
		r, _ := utf8.DecodeRuneInString(name[i:])
		c.add(ErrBadName, idx, raw, "control character %U at byte %d", r, i)
	}
	slashed := name
	if strings.Contains(name, `\`) {
		slashed = strings.ReplaceAll(name, `\`, "/")
		if !o.AllowBackslashes {
			c.add(ErrBackslash, idx, raw, `Windows reads "\" as a folder separator; set Limits.AllowBackslashes to treat it as one`)
		}
	}
	switch {
	case strings.HasPrefix(slashed, "//"):
		c.add(ErrAbsolutePath, idx, raw, "UNC path (//server/share)")
	case strings.HasPrefix(slashed, "/"):
		c.add(ErrAbsolutePath, idx, raw, "starts at the file system root")
	case len(slashed) >= 2 && slashed[1] == ':' && isASCIILetter(slashed[0]):
		c.add(ErrAbsolutePath, idx, raw, "starts with a drive letter")
	case strings.Contains(slashed, ":"):
		c.add(ErrBadName, idx, raw, "colon (on Windows an alternate data stream or a drive-relative path)")
	}
	clean, isDir := cleanSegments(c, idx, raw, slashed, o)
	if len(c.problems)+c.omitted > n {
		return checkedName{}, false
	}
	if clean == "" && !isDir {
		c.add(ErrBadName, idx, raw, "names the root folder")
		return checkedName{}, false
	}
	return checkedName{clean: clean, isDir: isDir, legacy: legacy}, true
}

// cleanSegments drops empty and "." segments from a slash-separated name,
// records the segment-level problems and returns the cleaned name and
// whether it named a folder (a trailing separator). A name that is already
// clean is returned without allocating.
func cleanSegments(c *collector, idx int, raw, slashed string, o Limits) (string, bool) {
	isDir := strings.HasSuffix(slashed, "/")
	var escape, trailing, longSeg, dirty bool
	depth, cleanLen := 0, 0
	for rest := slashed; ; {
		seg, tail, more := strings.Cut(rest, "/")
		switch {
		case seg == "" || seg == ".":
			dirty = dirty || more || seg == "." // only a trailing "/" may leave an empty segment
		case seg == ".." || (strings.Trim(seg, ". ") == "" && strings.Contains(seg, "..")):
			escape = true // Windows strips trailing dots and spaces: ".. " and "..." are ".."
		case strings.HasSuffix(seg, ".") || strings.HasSuffix(seg, " "):
			trailing = true
		}
		if seg != "" && seg != "." {
			longSeg = longSeg || len(seg) > maxSegmentLength
			cleanLen += len(seg) + min(depth, 1)
			depth++
		}
		if !more {
			break
		}
		rest = tail
	}
	if escape {
		c.add(ErrPathEscape, idx, raw, `".." segment`)
	}
	if trailing {
		c.add(ErrBadName, idx, raw, "a segment ends in a dot or a space, which Windows strips (two names could land on one file)")
	}
	if longSeg {
		c.add(ErrNameTooLong, idx, raw, "a segment is longer than %d bytes", maxSegmentLength)
	}
	if o.MaxNameLength >= 0 && cleanLen > o.MaxNameLength {
		c.add(ErrNameTooLong, idx, raw, "%d bytes; Limits.MaxNameLength is %d", cleanLen, o.MaxNameLength)
	}
	if o.MaxDepth >= 0 && depth > o.MaxDepth {
		c.add(ErrTooDeep, idx, raw, "%d segments; Limits.MaxDepth is %d", depth, o.MaxDepth)
	}
	if !dirty {
		return strings.TrimSuffix(slashed, "/"), isDir
	}
	var b strings.Builder
	b.Grow(cleanLen)
	for seg := range strings.SplitSeq(slashed, "/") {
		if seg == "" || seg == "." {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('/')
		}
		b.WriteString(seg)
	}
	return b.String(), isDir
}

func isASCIILetter(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}

// foldKey maps s to a key shared by every string that a case-insensitive
// file system would take for the same name: each rune becomes the smallest
// member of its Unicode simple case-folding orbit (so "K", "k" and the
// Kelvin sign "K" share a key), except that ASCII letters, the smallest
// members of their orbits, are written in lower case so that the common
// all-lower-case name is its own key and costs no allocation. Unicode
// normalisation (NFC against NFD, which APFS also ignores) is not applied:
// the standard library has no tables for it.
func foldKey(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if f := foldRune(r); f < utf8.RuneSelf {
			b.WriteByte(lowerASCII(byte(f)))
		} else {
			b.WriteRune(f)
		}
	}
	return b.String()
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// foldRune returns the smallest rune in r's simple case-folding orbit.
func foldRune(r rune) rune {
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	return least
}
