package scorm

import (
	"net/url"
	"strings"
)

// hasScheme reports whether ref starts with a URI scheme ("http:").
func hasScheme(ref string) bool {
	for i := 0; i < len(ref); i++ {
		c := ref[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 1 && c == ':':
			return true // one-letter "schemes" are Windows drive letters
		default:
			return false
		}
	}
	return false
}

// resolve resolves ref against base as RFC 3986 does, for relative bases
// too: the base's last segment is dropped, dot segments are removed, and
// ref's query and fragment are kept.
func resolve(base, ref string) string {
	switch {
	case base == "":
		return ref
	case ref == "":
		return base
	case hasScheme(ref):
		return ref
	case hasScheme(base):
		b, err1 := url.Parse(base)
		r, err2 := url.Parse(ref)
		if err1 == nil && err2 == nil {
			return b.ResolveReference(r).String()
		}
	case strings.HasPrefix(ref, "/"):
		return ref
	}
	b, _, _ := strings.Cut(base, "#")
	b, _, _ = strings.Cut(b, "?")
	dir := b[:strings.LastIndexByte(b, '/')+1]
	return removeDots(dir + ref)
}

// resolveChain resolves ref against each base in turn, outermost first.
func resolveChain(ref string, bases ...string) string {
	b := ""
	for _, x := range bases {
		b = resolve(b, x)
	}
	if b == "" {
		return ref
	}
	return resolve(b, ref)
}

// removeDots removes "." and ".." segments from the path part of a
// relative reference. ".." segments that would climb above the start are
// kept, so that the file check reports them.
func removeDots(ref string) string {
	i := strings.IndexAny(ref, "?#")
	p, rest := ref, ""
	if i >= 0 {
		p, rest = ref[:i], ref[i:]
	}
	var out []string
	segs := strings.Split(p, "/")
	for i, s := range segs {
		switch {
		case s == ".":
			if i == len(segs)-1 {
				out = append(out, "")
			}
		case s == "..":
			if len(out) > 0 && out[len(out)-1] != ".." {
				out = out[:len(out)-1]
			} else {
				out = append(out, "..")
			}
			if i == len(segs)-1 {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	return strings.Join(out, "/") + rest
}

// AppendParameters appends an item's parameters to a launch URL as the
// SCORM CAM says: a leading "?" or "&" is dropped; the rest is joined
// with "&" when the URL already has a query and with "?" otherwise,
// before any fragment; parameters starting with "#" replace the
// fragment.
func AppendParameters(launch, params string) string {
	params = strings.TrimSpace(params)
	if params == "" {
		return launch
	}
	base, frag, hasFrag := strings.Cut(launch, "#")
	if strings.HasPrefix(params, "#") {
		return base + params
	}
	params = strings.TrimLeft(params, "?&")
	q, pf, pHasFrag := strings.Cut(params, "#")
	if pHasFrag {
		frag, hasFrag = pf, true
	}
	if q != "" {
		if strings.Contains(base, "?") {
			if !strings.HasSuffix(base, "?") && !strings.HasSuffix(base, "&") {
				base += "&"
			}
		} else {
			base += "?"
		}
		base += q
	}
	if hasFrag {
		base += "#" + frag
	}
	return base
}

// filePart returns the path of a relative reference without query and
// fragment, URL-decoded, and the literal form; decoded is "" when the
// reference is not valid percent-encoding.
func filePart(ref string) (decoded, literal string) {
	literal, _, _ = strings.Cut(ref, "#")
	literal, _, _ = strings.Cut(literal, "?")
	if d, err := url.PathUnescape(literal); err == nil {
		decoded = d
	}
	return decoded, literal
}
