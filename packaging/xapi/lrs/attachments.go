package lrs

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"strings"

	"github.com/metaacademy/ota/packaging/xapi"
)

// AttachmentPayload is the content of an attachment, sent with statements
// in a multipart/mixed request or received with them. SHA2 ties it to the
// [xapi.Attachment] objects of the statements that have the same sha2.
type AttachmentPayload struct {
	// SHA2 is the hexadecimal SHA-2 digest of Data (SHA-224, -256, -384 or
	// -512, told apart by length).
	SHA2 string
	// ContentType is the media type of Data.
	ContentType string
	// Data is the content.
	Data []byte
}

// NewAttachmentPayload returns the payload of data with its SHA-256 digest.
func NewAttachmentPayload(contentType string, data []byte) AttachmentPayload {
	sum := sha256.Sum256(data)
	return AttachmentPayload{SHA2: hex.EncodeToString(sum[:]), ContentType: contentType, Data: data}
}

// Attachment returns the attachment object that describes p in a
// statement: the usage type and display given, with the content type,
// length and sha2 of p.
func (p AttachmentPayload) Attachment(usageType string, display xapi.LanguageMap) xapi.Attachment {
	n := int64(len(p.Data))
	return xapi.Attachment{UsageType: usageType, Display: display, ContentType: p.ContentType, Length: &n, SHA2: p.SHA2}
}

// Verify checks that SHA2 is the digest of Data.
func (p AttachmentPayload) Verify() error {
	want := strings.ToLower(p.SHA2)
	var got []byte
	switch len(want) {
	case 56:
		s := sha256.Sum224(p.Data)
		got = s[:]
	case 64:
		s := sha256.Sum256(p.Data)
		got = s[:]
	case 96:
		s := sha512.Sum384(p.Data)
		got = s[:]
	case 128:
		s := sha512.Sum512(p.Data)
		got = s[:]
	default:
		return fmt.Errorf("xapi: attachment sha2 %q is not a hexadecimal SHA-224, SHA-256, SHA-384 or SHA-512 digest", shorten(p.SHA2, 140))
	}
	if hex.EncodeToString(got) != want {
		return fmt.Errorf("xapi: attachment sha2 %s does not match its content (%d bytes)", p.SHA2, len(p.Data))
	}
	return nil
}

// check validates a payload before it is sent.
func (p AttachmentPayload) check() error {
	if _, _, err := mime.ParseMediaType(p.ContentType); err != nil || !strings.Contains(p.ContentType, "/") {
		return fmt.Errorf("xapi: attachment payload %s: content type %q is not a media type", shorten(p.SHA2, 140), p.ContentType)
	}
	if strings.ContainsAny(p.ContentType, "\r\n") {
		return fmt.Errorf("xapi: attachment payload %s: content type has a line break", shorten(p.SHA2, 140))
	}
	return p.Verify()
}

// multipartBody writes a statement request as multipart/mixed, as xAPI
// 1.0.3 Communication 1.5.2 (and xAPI 2.0) define it: the statements as an
// application/json part, then one part per payload with its Content-Type,
// Content-Transfer-Encoding: binary and X-Experience-API-Hash. It returns
// the body and the request's Content-Type.
func multipartBody(statements []byte, parts []AttachmentPayload) ([]byte, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	// Writes to a bytes.Buffer do not fail, and the headers are checked.
	w, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"application/json"}})
	_, _ = w.Write(statements)
	for _, p := range parts {
		// Set directly, not with Set, to keep the spec's spelling of the
		// header names.
		h := textproto.MIMEHeader{
			"Content-Type":              {p.ContentType},
			"Content-Transfer-Encoding": {"binary"},
			"X-Experience-API-Hash":     {p.SHA2},
		}
		w, _ := mw.CreatePart(h)
		_, _ = w.Write(p.Data)
	}
	_ = mw.Close()
	return buf.Bytes(), "multipart/mixed; boundary=" + mw.Boundary()
}

// maxParts bounds the parts read from one multipart response.
const maxParts = 10000

// readMultipart reads a multipart/mixed statement response: the first
// part is the JSON (a statement or a StatementResult), the others are
// attachments identified by X-Experience-API-Hash, whose digests are
// checked: a part whose content does not match its hash is an error, so
// that corrupted content is never returned as if it were the original.
func readMultipart(body []byte, boundary string) ([]byte, []AttachmentPayload, error) {
	if boundary == "" {
		return nil, nil, errors.New("multipart/mixed response without a boundary")
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	var first []byte
	var parts []AttachmentPayload
	for i := 0; ; i++ {
		if i > maxParts {
			return nil, nil, fmt.Errorf("more than %d parts in a multipart response", maxParts)
		}
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("multipart response, part %d: %w", i+1, err)
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, nil, fmt.Errorf("multipart response, part %d: %w", i+1, err)
		}
		if i == 0 {
			first = bytes.TrimSpace(data)
			continue
		}
		if enc := strings.ToLower(strings.TrimSpace(p.Header.Get("Content-Transfer-Encoding"))); enc == "base64" {
			dec, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, bytes.NewReader(data)))
			if err != nil {
				return nil, nil, fmt.Errorf("multipart response, part %d: base64: %w", i+1, err)
			}
			data = dec
		}
		pl := AttachmentPayload{SHA2: strings.TrimSpace(p.Header.Get("X-Experience-API-Hash")),
			ContentType: p.Header.Get("Content-Type"), Data: data}
		if pl.SHA2 == "" {
			return nil, nil, fmt.Errorf("multipart response, part %d has no X-Experience-API-Hash", i+1)
		}
		if err := pl.Verify(); err != nil {
			// Learning Locker (xapi-statements 5) ends every attachment
			// part with a CRLF of its own before the delimiter's CRLF, so
			// that all but the last part carry one CRLF too many. Take it
			// off when that is what makes the digest match.
			trimmed := pl
			trimmed.Data = bytes.TrimSuffix(data, []byte("\r\n"))
			if len(trimmed.Data) == len(data) || trimmed.Verify() != nil {
				return nil, nil, fmt.Errorf("multipart response, part %d: %w", i+1, err)
			}
			pl = trimmed
		}
		parts = append(parts, pl)
	}
	if first == nil {
		return nil, nil, errors.New("empty multipart response")
	}
	return first, parts, nil
}
