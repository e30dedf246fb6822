package oaipmh

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/xmltree"
)

// ErrResponse is the class of a response a [Client] cannot use: not
// XML, not an OAI-PMH 2.0 response, larger than the limits, or missing what
// the verb's response must hold.
var ErrResponse = errors.New("oaipmh: unusable response")

// ProtocolError is an OAI-PMH error the repository answered with.
type ProtocolError struct {
	// Code is the error code ("badArgument", "idDoesNotExist", …).
	Code string
	// Message is the repository's explanation.
	Message string
}

// Error returns "oaipmh: CODE: MESSAGE".
func (e *ProtocolError) Error() string {
	return "oaipmh: repository says " + e.Code + ": " + e.Message
}

// parseLimits bound the parsing of one response.
type parseLimits struct {
	maxBytes    int64
	maxElements int
	maxDocument int64 // bytes of one ota document
}

// response is what the client takes from a response.
type response struct {
	verb    string
	errs    []*ProtocolError
	root    *xmltree.Node // the verb's element
	records []Record
	headers []Header
	token   string
	hasTok  bool
}

// parseResponse reads one OAI-PMH response. prefix is the metadataPrefix
// asked for (records in PrefixOTA are decoded into assets).
func parseResponse(data []byte, prefix string, lim parseLimits) (*response, error) {
	root, _, err := xmltree.Parse(bytes.NewReader(data), xmltree.Limits{MaxBytes: lim.maxBytes, MaxDepth: 64, MaxElements: lim.maxElements})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrResponse, err)
	}
	if root.Space != NSOAI || root.Local != "OAI-PMH" {
		return nil, fmt.Errorf("%w: the root element is {%s}%s, not an OAI-PMH 2.0 response", ErrResponse, root.Space, root.Local)
	}
	r := &response{}
	for _, c := range root.Children {
		if c.Space != NSOAI {
			continue
		}
		switch c.Local {
		case "responseDate", "request":
		case "error":
			code, _ := c.Attr("", "code")
			r.errs = append(r.errs, &ProtocolError{Code: code, Message: c.Text})
		default:
			if r.root != nil {
				return nil, fmt.Errorf("%w: the response has both %s and %s", ErrResponse, r.root.Local, c.Local)
			}
			r.root, r.verb = c, c.Local
		}
	}
	if len(r.errs) > 0 {
		return r, nil
	}
	if r.root == nil {
		return nil, fmt.Errorf("%w: the response has neither an error nor a verb element", ErrResponse)
	}
	for _, c := range r.root.Children {
		if c.Space != NSOAI {
			continue
		}
		switch c.Local {
		case "record":
			rec, err := parseRecord(c, prefix, lim)
			if err != nil {
				return nil, err
			}
			r.records = append(r.records, rec)
		case "header":
			h, err := parseHeader(c)
			if err != nil {
				return nil, err
			}
			r.headers = append(r.headers, h)
		case "resumptionToken":
			r.token, r.hasTok = strings.TrimSpace(c.Text), true
		}
	}
	return r, nil
}

func parseHeader(n *xmltree.Node) (Header, error) {
	var h Header
	status, _ := n.Attr("", "status")
	h.Deleted = status == "deleted"
	for _, c := range n.Children {
		if c.Space != NSOAI {
			continue
		}
		switch c.Local {
		case "identifier":
			h.Identifier = strings.TrimSpace(c.Text)
		case "datestamp":
			t, _, err := parseDatestamp(strings.TrimSpace(c.Text))
			if err != nil {
				return h, fmt.Errorf("%w: record %q: datestamp %q: %v", ErrResponse, h.Identifier, clip(c.Text), err)
			}
			h.Datestamp = t
		case "setSpec":
			h.Sets = append(h.Sets, strings.TrimSpace(c.Text))
		}
	}
	if h.Identifier == "" {
		return h, fmt.Errorf("%w: a header (line %d) has no identifier", ErrResponse, n.Line)
	}
	if h.Datestamp.IsZero() {
		return h, fmt.Errorf("%w: record %q has no datestamp", ErrResponse, h.Identifier)
	}
	return h, nil
}

func parseRecord(n *xmltree.Node, prefix string, lim parseLimits) (Record, error) {
	var rec Record
	hd := n.Child(NSOAI, "header")
	if hd == nil {
		return rec, fmt.Errorf("%w: a record (line %d) has no header", ErrResponse, n.Line)
	}
	h, err := parseHeader(hd)
	if err != nil {
		return rec, err
	}
	rec.Header = h
	md := n.Child(NSOAI, "metadata")
	if h.Deleted || md == nil {
		if !h.Deleted {
			return rec, fmt.Errorf("%w: record %q is not deleted but has no metadata", ErrResponse, h.Identifier)
		}
		return rec, nil
	}
	var content *xmltree.Node
	for _, c := range md.Children {
		content = c
		break
	}
	if content == nil {
		return rec, fmt.Errorf("%w: record %q has an empty metadata element", ErrResponse, h.Identifier)
	}
	if prefix == PrefixOTA {
		if content.Space != NSOTA || content.Local != "document" {
			return rec, fmt.Errorf("%w: record %q: the ota metadata is {%s}%s, not {%s}document", ErrResponse, h.Identifier, content.Space, content.Local, NSOTA)
		}
		if int64(len(content.Text)) > lim.maxDocument {
			return rec, fmt.Errorf("%w: record %q: the OTA document is larger than %d bytes", ErrResponse, h.Identifier, lim.maxDocument)
		}
		doc, rep, err := asset.Unmarshal([]byte(content.Text), asset.ReadOptions{Validate: true, MaxBytes: lim.maxDocument})
		if err != nil {
			return rec, fmt.Errorf("%w: record %q: %v", ErrResponse, h.Identifier, err)
		}
		if rep.HasErrors() {
			return rec, fmt.Errorf("%w: record %q: the OTA document is invalid: %v", ErrResponse, h.Identifier, rep.Err())
		}
		if doc.Asset.ID != h.Identifier {
			return rec, fmt.Errorf("%w: record %q holds the asset %q", ErrResponse, h.Identifier, clip(doc.Asset.ID))
		}
		rec.Asset = &doc.Asset
		return rec, nil
	}
	w := xmltree.NewWriter(map[string]string{content.Space: "", nsXSI: "xsi"})
	w.Node(content, nil)
	rec.Metadata = bytes.Clone(w.Bytes())
	return rec, nil
}

// identity reads an Identify element.
func identity(n *xmltree.Node) (Identity, error) {
	var id Identity
	for _, c := range n.Children {
		if c.Space != NSOAI {
			continue
		}
		text := strings.TrimSpace(c.Text)
		switch c.Local {
		case "repositoryName":
			id.Name = text
		case "adminEmail":
			id.AdminEmails = append(id.AdminEmails, text)
		case "earliestDatestamp":
			t, _, err := parseDatestamp(text)
			if err != nil {
				return id, fmt.Errorf("%w: earliestDatestamp %q: %v", ErrResponse, clip(text), err)
			}
			id.Earliest = t
		case "deletedRecord":
			id.Deleted = text
		}
	}
	return id, nil
}
