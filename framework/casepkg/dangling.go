package casepkg

import (
	"fmt"
	"strings"
)

// danglingEnds marks the association ends that point into this package but
// match neither an item nor the document: their identifier is that of
// another object of the package (an association, a definition), or their
// uri is that of the document or of an item (with another identifier), or
// their uri is built the way this package builds its items' and document's
// web addresses (a path followed by the identifier) from an identifier
// none of them has. An item of another framework published under the same URI
// pattern looks the same; --severity (a Policy) makes those warnings.
func (d *caseReader) danglingEnds() {
	uris := map[string]bool{}
	prefixes := map[string]bool{}
	note := func(uri, id string) {
		if uri == "" {
			return
		}
		uris[uri] = true
		if id != "" && len(uri) > len(id) && strings.EqualFold(uri[len(uri)-len(id):], id) {
			// A path of a web address ("https://host/CFItems/"): a URN
			// such as "urn:uuid:" names no package.
			if p := uri[:len(uri)-len(id)]; strings.Contains(p, "://") && strings.HasSuffix(p, "/") {
				prefixes[p] = true
			}
		}
	}
	note(d.docURI, d.docID)
	for _, it := range d.items {
		note(it.uri, it.identifier)
	}
	why := func(l caseLinkIn) string {
		if first, ok := d.seenIDs[l.identifier]; ok && l.identifier != "" {
			return fmt.Sprintf("its identifier is that of %s, which is neither an item nor the document", first)
		}
		if uris[l.uri] {
			return fmt.Sprintf("its uri %q is that of an item or of the document, whose identifier is another", l.uri)
		}
		for p := range prefixes {
			if rest, ok := strings.CutPrefix(l.uri, p); ok && rest != "" && !strings.ContainsAny(rest, "/?#") {
				return fmt.Sprintf("its uri %q is built like the uris of this package's items, %s followed by an identifier", l.uri, p)
			}
		}
		return ""
	}
	for _, a := range d.assocs {
		if a.originItem < 0 && !a.originIsDoc {
			a.originDangling = why(a.origin)
		}
		if a.destItem < 0 && !a.destIsDoc {
			a.destDangling = why(a.dest)
		}
	}
}
