package xmltree

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestWriterLayout checks the exact bytes: declaration, root
// declarations sorted by prefix, indentation, leaves on one line, empty
// elements, and the final newline.
func TestWriterLayout(t *testing.T) {
	w := NewWriter(map[string]string{"urn:a": "", "urn:b": "b"})
	w.Start("urn:a", "root", Attr{Local: "id", Value: "1"})
	w.Leaf("urn:a", "title", "T")
	w.Start("urn:b", "group", Attr{Space: "urn:b", Local: "k", Value: "v"}, Attr{Space: NSXML, Local: "lang", Value: "en"})
	w.Leaf("urn:a", "empty", "")
	w.End()
	w.Start("urn:a", "none")
	w.End()
	w.End()
	want := `<?xml version="1.0" encoding="UTF-8"?>
<root xmlns="urn:a" xmlns:b="urn:b" id="1">
  <title>T</title>
  <b:group b:k="v" xml:lang="en">
    <empty/>
  </b:group>
  <none/>
</root>
`
	if got := string(w.Bytes()); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if w.Err() != nil {
		t.Fatal(w.Err())
	}
}

// TestWriterEscaping: text and attribute values read back as written;
// characters XML 1.0 cannot hold are dropped and invalid UTF-8 becomes
// U+FFFD.
func TestWriterEscaping(t *testing.T) {
	text := "a & b < c > d \"e\" 'f' ]]> \r\n\tg\x01\x00h\uFFFE"
	attr := "x\"y\n\tz\r &<>"
	w := NewWriter(nil)
	w.Start("", "r", Attr{Local: "v", Value: attr})
	w.Chars("[" + text + "]")
	w.Leaf("", "bad", "p\xffq")
	w.End()
	out := w.Bytes()
	if bytes.ContainsAny(out, "\x00\x01") {
		t.Fatalf("control characters written: %q", out)
	}
	root, _, err := Parse(bytes.NewReader(out), Limits{})
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if v, _ := root.Attr("", "v"); v != attr {
		t.Errorf("attribute = %q, want %q", v, attr)
	}
	if want := "[a & b < c > d \"e\" 'f' ]]> \r\n\tgh]"; root.Text != want {
		t.Errorf("text = %q, want %q", root.Text, want)
	}
	if got := root.Child("", "bad").Text; got != "p\uFFFDq" {
		t.Errorf("invalid UTF-8 = %q", got)
	}
}

// TestWriterGeneratedPrefixes: namespaces without a prefix in scope get
// ns1, ns2… on the element that needs them, in scope for its subtree only;
// an attribute never uses the default namespace; an element without a
// namespace undeclares the default one.
func TestWriterGeneratedPrefixes(t *testing.T) {
	w := NewWriter(map[string]string{"urn:cmi": ""})
	w.Start("urn:cmi", "root")
	w.Node(&Node{Space: "urn:v", Local: "ext", Attrs: []Attr{{Space: "urn:w", Local: "k", Value: "1"}, {Local: "plain", Value: "2"}},
		Children: []*Node{
			{Space: "urn:v", Local: "inner", Attrs: []Attr{{Space: "urn:cmi", Local: "a", Value: "3"}}},
			{Local: "nons", Children: []*Node{{Space: "urn:cmi", Local: "back"}}},
		}}, nil)
	w.Node(&Node{Space: "urn:v", Local: "again"}, nil)
	w.End()
	want := `<?xml version="1.0" encoding="UTF-8"?>
<root xmlns="urn:cmi">
  <ns1:ext xmlns:ns1="urn:v" xmlns:ns2="urn:w" ns2:k="1" plain="2">
    <ns1:inner xmlns:ns3="urn:cmi" ns3:a="3"/>
    <nons xmlns="">
      <ns3:back xmlns:ns3="urn:cmi"/>
    </nons>
  </ns1:ext>
  <ns1:again xmlns:ns1="urn:v"/>
</root>
`
	if got := string(w.Bytes()); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	root, _, err := Parse(bytes.NewReader(w.Bytes()), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	ext := root.Child("urn:v", "ext")
	if ext == nil || ext.Children[1].Space != "" || ext.Children[1].Children[0].Space != "urn:cmi" {
		t.Fatalf("namespaces not read back: %+v", ext)
	}
	if v, ok := ext.Children[0].Attr("urn:cmi", "a"); !ok || v != "3" {
		t.Errorf("attribute in the default namespace = %q %v", v, ok)
	}
}

// TestWriterFixedPrefixesAvoided: a generated prefix never takes one
// given to NewWriter.
func TestWriterFixedPrefixesAvoided(t *testing.T) {
	w := NewWriter(map[string]string{"urn:a": "ns1"})
	w.Start("", "root")
	w.Leaf("urn:b", "x", "")
	w.Leaf("urn:a", "y", "")
	w.End()
	if got := string(w.Bytes()); !strings.Contains(got, `<ns2:x xmlns:ns2="urn:b"/>`) || !strings.Contains(got, "<ns1:y/>") {
		t.Fatalf("got\n%s", got)
	}
}

// TestWriterRemap: remap moves elements and namespaced attributes, never
// unprefixed attributes.
func TestWriterRemap(t *testing.T) {
	w := NewWriter(map[string]string{"urn:new": "", "urn:adl": "adl"})
	w.Start("urn:new", "root")
	w.Node(&Node{Local: "item", Attrs: []Attr{{Local: "id", Value: "i"}, {Space: "urn:old-adl", Local: "t", Value: "sco"}}},
		map[string]string{"": "urn:new", "urn:old-adl": "urn:adl"})
	w.End()
	if got := string(w.Bytes()); !strings.Contains(got, `<item id="i" adl:t="sco"/>`) {
		t.Fatalf("got\n%s", got)
	}
}

// TestWriterRoundTrip: parse → write → parse gives the same tree, with
// foreign namespaces, attributes in several namespaces, xml:lang, mixed
// content and no-namespace elements inside a default namespace.
func TestWriterRoundTrip(t *testing.T) {
	doc := `<?xml version="1.0"?>
<c:root xmlns:c="urn:cmi" xmlns="urn:cmi" xmlns:kw="http://example.org/kw" xmlns:x="urn:x" id="r" x:flag="on">
  <kw:keywords kw:version="2" xml:lang="en">
    <kw:keyword id="k1"><kw:title><langstring lang="en-US">Earth &amp; sky</langstring></kw:title></kw:keyword>
    <kw:keyword id="k2" x:weight="0.5">plain text <x:em>and</x:em> more</kw:keyword>
    <none xmlns=""><c:deep c:attr="v"/></none>
  </kw:keywords>
  <x:empty/>
</c:root>`
	first, _, err := Parse(strings.NewReader(doc), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, prefixes := range []map[string]string{
		{"urn:cmi": ""},
		{"urn:cmi": "c", "http://example.org/kw": "kw"},
		nil,
	} {
		w := NewWriter(prefixes)
		w.Node(first, nil)
		if w.Err() != nil {
			t.Fatal(w.Err())
		}
		second, _, err := Parse(bytes.NewReader(w.Bytes()), Limits{})
		if err != nil {
			t.Fatalf("%v\n%s", err, w.Bytes())
		}
		if diff := compareTrees(first, second); diff != "" {
			t.Errorf("prefixes %v: %s\n%s", prefixes, diff, w.Bytes())
		}
	}
}

// compareTrees describes the first difference between two trees, lines
// aside.
func compareTrees(a, b *Node) string {
	if a.Space != b.Space || a.Local != b.Local || a.Text != b.Text {
		return "element {" + a.Space + "}" + a.Local + " " + a.Text + " became {" + b.Space + "}" + b.Local + " " + b.Text
	}
	if len(a.Attrs) != len(b.Attrs) {
		return "attributes of " + a.Local + " differ"
	}
	for i := range a.Attrs {
		if a.Attrs[i] != b.Attrs[i] {
			return "attribute " + a.Attrs[i].Local + " of " + a.Local + " differs"
		}
	}
	if len(a.Children) != len(b.Children) {
		return "children of " + a.Local + " differ"
	}
	for i := range a.Children {
		if d := compareTrees(a.Children[i], b.Children[i]); d != "" {
			return d
		}
	}
	return ""
}

// TestWriterBadNames: a tree element or attribute whose name XML cannot
// carry is left out, the output stays well-formed, and Err and Check say
// why.
func TestWriterBadNames(t *testing.T) {
	bad := []*Node{
		{Local: "a b"},
		{Local: ""},
		{Local: "x><script"},
		{Space: "http://www.w3.org/2000/xmlns/", Local: "x"},
	}
	for _, n := range bad {
		if err := n.Check(); !errors.Is(err, ErrName) {
			t.Errorf("Check(%q) = %v", n.Local, err)
		}
		w := NewWriter(nil)
		w.Start("", "root")
		w.Node(&Node{Local: "ok", Children: []*Node{n}}, nil)
		w.End()
		if !errors.Is(w.Err(), ErrName) {
			t.Errorf("%q: Err = %v", n.Local, w.Err())
		}
		if _, _, err := Parse(bytes.NewReader(w.Bytes()), Limits{}); err != nil {
			t.Errorf("%q: output does not parse: %v\n%s", n.Local, err, w.Bytes())
		}
	}
	for _, a := range []Attr{{Local: "xmlns", Value: "urn:evil"}, {Space: "xmlns", Local: "p", Value: "urn:evil"}, {Local: `a="1" b`, Value: "x"}} {
		n := &Node{Local: "e", Attrs: []Attr{a, {Local: "kept", Value: "1"}}}
		if err := n.Check(); !errors.Is(err, ErrName) {
			t.Errorf("Check(attr %q) = %v", a.Local, err)
		}
		w := NewWriter(nil)
		w.Node(n, nil)
		if !errors.Is(w.Err(), ErrName) || strings.Contains(string(w.Bytes()), "evil") || !strings.Contains(string(w.Bytes()), `<e kept="1"/>`) {
			t.Errorf("attr %q: Err = %v\n%s", a.Local, w.Err(), w.Bytes())
		}
	}
	good := &Node{Local: "élément", Attrs: []Attr{{Space: NSXML, Local: "lang", Value: "fr"}, {Local: "a-b.c_d", Value: ""}},
		Children: []*Node{{Space: "urn:x", Local: "名前"}, nil}}
	if err := good.Check(); err != nil {
		t.Errorf("Check(good) = %v", err)
	}
}

// TestWriterMisuse: End and Chars outside an element do nothing.
func TestWriterMisuse(t *testing.T) {
	w := NewWriter(nil)
	w.End()
	w.Chars("outside")
	w.Leaf("", "r", "in")
	w.End()
	if got := string(w.Bytes()); got != "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<r>in</r>\n" {
		t.Fatalf("got %q", got)
	}
}

// TestWriterOddNames: names encoding/xml reads that are not plain
// prefix:local pairs — a local name starting with a digit (read from
// "p:0"), a colon at either end of a name (":b", "b:") — are written so
// that it reads them back the same.
func TestWriterOddNames(t *testing.T) {
	tree := &Node{Space: "urn:d", Local: "root", Children: []*Node{
		{Space: "urn:x", Local: "0", Attrs: []Attr{{Space: "urn:x", Local: "1", Value: "a"}, {Local: ":c", Value: "b"}}},
		{Space: "urn:d", Local: "2"},
		{Space: "urn:v", Local: ":b", Children: []*Node{{Space: "urn:d", Local: "back"}, {Local: "none"}}},
		{Local: "e:"},
		{Space: "urn:d", Local: "f:"},
	}}
	if err := tree.Check(); err != nil {
		t.Fatal(err)
	}
	w := NewWriter(map[string]string{"urn:d": ""})
	w.Node(tree, nil)
	if w.Err() != nil {
		t.Fatal(w.Err())
	}
	back, _, err := Parse(bytes.NewReader(w.Bytes()), Limits{})
	if err != nil {
		t.Fatalf("%v\n%s", err, w.Bytes())
	}
	if d := compareTrees(tree, back); d != "" {
		t.Fatalf("%s\n%s", d, w.Bytes())
	}
	for _, bad := range []*Node{
		{Local: "0"},
		{Space: "urn:x", Local: "0:"},
		{Space: NSXML, Local: "a:b"},
		{Local: "e", Attrs: []Attr{{Local: "0", Value: "x"}}},
		{Local: "e", Attrs: []Attr{{Space: "urn:x", Local: "a:b", Value: "x"}}},
	} {
		if err := bad.Check(); !errors.Is(err, ErrName) {
			t.Errorf("Check(%+v) = %v", bad, err)
		}
	}
}

func TestWriterDeclare(t *testing.T) {
	const a, b = "urn:example:a", "urn:example:b"
	w := NewWriter(map[string]string{a: ""})
	w.Start(a, "root")
	w.Declare(map[string]string{b: "b", a: ""})
	w.Start(b, "inner")
	w.Leaf(b, "leaf", "x")
	w.End()
	w.Leaf(b, "after", "y")
	w.End()
	want := `<?xml version="1.0" encoding="UTF-8"?>
<root xmlns="urn:example:a">
  <b:inner xmlns:b="urn:example:b">
    <b:leaf>x</b:leaf>
  </b:inner>
  <ns1:after xmlns:ns1="urn:example:b">y</ns1:after>
</root>
`
	if got := string(w.Bytes()); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
