package xmltree

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	doc := `<?xml version="1.0" encoding="ISO-8859-1"?>
<m xmlns="urn:a" xmlns:b="urn:b" id="x"><b:c b:k="v">  caf` + "\xe9" + `  </b:c><d/></m>`
	root, doctype, err := Parse(strings.NewReader(doc), Limits{})
	if err != nil || doctype {
		t.Fatalf("Parse: %v, doctype %v", err, doctype)
	}
	if root.Space != "urn:a" || root.Local != "m" || len(root.Attrs) != 1 || len(root.Children) != 2 {
		t.Fatalf("root = %+v", root)
	}
	c := root.Child("urn:b", "c")
	if c == nil || c.Text != "café" || c.Line != 2 {
		t.Fatalf("child = %+v", c)
	}
	if v, ok := c.Attr("urn:b", "k"); !ok || v != "v" {
		t.Fatalf("attr = %q %v", v, ok)
	}
}

func TestParseRefuses(t *testing.T) {
	deep := strings.Repeat("<a>", 300) + strings.Repeat("</a>", 300)
	tests := []struct {
		name string
		in   string
		lim  Limits
		want error
	}{
		{"empty", "", Limits{}, ErrSyntax},
		{"not xml", "hello", Limits{}, ErrSyntax},
		{"two roots", "<a/><b/>", Limits{}, ErrSyntax},
		{"unclosed", "<a><b></a>", Limits{}, ErrSyntax},
		{"entities", `<!DOCTYPE a [<!ENTITY x "xx">]><a>&x;</a>`, Limits{}, ErrEntities},
		{"internal subset", `<!DOCTYPE a [<!ELEMENT a ANY>]><a/>`, Limits{}, ErrEntities},
		{"too deep", deep, Limits{MaxDepth: 256}, ErrLimit},
		{"too many", "<a>" + strings.Repeat("<b/>", 11) + "</a>", Limits{MaxElements: 10}, ErrLimit},
		{"too large", "<a>" + strings.Repeat("x", 100) + "</a>", Limits{MaxBytes: 50}, ErrLimit},
		{"encoding", `<?xml version="1.0" encoding="EBCDIC"?><a/>`, Limits{}, ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Parse(strings.NewReader(tt.in), tt.lim)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) || e.Detail == "" {
				t.Fatalf("err %v is not an *Error with a detail", err)
			}
		})
	}
	if _, doctype, err := Parse(strings.NewReader(`<!DOCTYPE a SYSTEM "a.dtd"><a/>`), Limits{}); err != nil || !doctype {
		t.Fatalf("a plain DOCTYPE is accepted and reported: %v %v", err, doctype)
	}
}

type failingReader struct{}

var errReader = errors.New("disk on fire")

func (failingReader) Read([]byte) (int, error) { return 0, errReader }

func TestParseKeepsReaderError(t *testing.T) {
	_, _, err := Parse(failingReader{}, Limits{})
	if !errors.Is(err, errReader) || !errors.Is(err, ErrSyntax) {
		t.Fatalf("err = %v; want it to match both the reader's error and ErrSyntax", err)
	}
}
