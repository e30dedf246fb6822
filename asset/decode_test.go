package asset_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
)

// minimal is a small valid document.
const minimal = `{
  "ota": "1.0",
  "id": "urn:uuid:0b0f5c4e-0c1a-4d0e-9a43-6f1c2d9a8e11",
  "kind": "lesson",
  "title": {"en": "Reading SDMX-ML"},
  "license": "CC-BY-4.0"
}
`

func TestReadSyntaxErrors(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		line, col  int // 0: not checked
		pointer    string
		msgContain string
	}{
		{name: "empty", in: ""},
		{name: "whitespace only", in: " \n\t\r\n  "},
		{name: "binary garbage", in: "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", line: 1, col: 1},
		{name: "zip header", in: "PK\x03\x04\x14\x00\x00\x00\x08\x00", line: 1, col: 1},
		{name: "invalid UTF-8 in a string", in: "{\n  \"ota\": \"1.0\",\n  \"title\": {\"en\": \"Stat\xe9\"}\n}", line: 3},
		{name: "invalid UTF-8 in a key", in: "{\"ota\": \"1.0\", \"\xff\": 1}", line: 1},
		{name: "truncated", in: `{"ota": "1.0", "title": {"en": "x"`},
		{name: "trailing comma", in: "{\"ota\": \"1.0\",\n}", line: 2, col: 1},
		{name: "comment", in: "{\"ota\": \"1.0\" // the version\n}", line: 1},
		{name: "two documents", in: minimal + minimal},
		{name: "NaN", in: `{"ota": "1.0", "x": NaN}`},
		{name: "single quotes", in: `{'ota': '1.0'}`, line: 1, col: 2},
		{name: "duplicate key at the root", in: "{\n  \"ota\": \"1.0\",\n  \"kind\": \"lesson\",\n  \"kind\": \"course\"\n}", line: 4, pointer: "/kind"},
		{name: "duplicate key in a text", in: `{"ota": "1.0", "parts": [{"title": {"en": "a", "fr": "b", "en": "c"}}]}`, pointer: "/parts/0/title/en"},
		{name: "duplicate key after decoding escapes", in: `{"ota": "1.0", "id": "a", "\u0069d": "b"}`, pointer: "/id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, rep, err := asset.Read(strings.NewReader(tt.in), asset.ReadOptions{Validate: true})
			require.Error(t, err)
			assert.Nil(t, doc)
			assert.Empty(t, rep.Issues)
			assert.ErrorIs(t, err, asset.ErrSyntax)
			assert.NotErrorIs(t, err, asset.ErrNotDocument)
			var se *asset.SyntaxError
			require.ErrorAs(t, err, &se)
			assert.GreaterOrEqual(t, se.Line, 1)
			assert.GreaterOrEqual(t, se.Column, 1)
			assert.NotEmpty(t, se.Msg)
			assert.Contains(t, err.Error(), fmt.Sprintf("line %d, column %d", se.Line, se.Column))
			if tt.line > 0 {
				assert.Equal(t, tt.line, se.Line, "line")
			}
			if tt.col > 0 {
				assert.Equal(t, tt.col, se.Column, "column")
			}
			if tt.pointer != "" {
				assert.Equal(t, tt.pointer, se.Pointer, "pointer of the duplicate")
			}
			assert.LessOrEqual(t, se.Offset, len(tt.in))

			// Unmarshal and the encoding/json entry points agree.
			_, _, err = asset.Unmarshal([]byte(tt.in), asset.ReadOptions{})
			assert.ErrorIs(t, err, asset.ErrSyntax)
		})
	}
}

func TestReadDeepNestingFailsFast(t *testing.T) {
	in := bytes.Repeat([]byte("["), 1<<20)
	_, _, err := asset.Read(bytes.NewReader(in), asset.ReadOptions{})
	require.ErrorIs(t, err, asset.ErrSyntax)
	var se *asset.SyntaxError
	require.ErrorAs(t, err, &se)
	// The depth limit is checked before a level is entered, so the parser
	// gives up after a few hundred bytes, not at the end of the megabyte.
	assert.LessOrEqual(t, se.Offset, asset.DefaultMaxDepth+1)

	in = bytes.Repeat([]byte(`{"a":`), 1<<18)
	_, _, err = asset.Read(bytes.NewReader(in), asset.ReadOptions{MaxDepth: 10})
	require.ErrorAs(t, err, &se)
	assert.Less(t, se.Offset, 100)
}

// nested returns a document whose root has a chain of n parts, each inside
// the previous one.
func nested(n int) string {
	var b strings.Builder
	b.WriteString(`{"ota": "1.0", "license": "CC-BY-4.0", `)
	for i := 0; i <= n; i++ {
		if i > 0 {
			b.WriteString(`"parts": [{`)
		}
		fmt.Fprintf(&b, `"id": %q, "kind": "module", "title": {"en": "Level %d"}`, asset.DeriveID("test", "nested", fmt.Sprint(i)), i)
		if i < n {
			b.WriteString(", ")
		}
	}
	for i := 0; i < n; i++ {
		b.WriteString(`}]`)
	}
	b.WriteString("}\n")
	return b.String()
}

func TestReadDeepTrees(t *testing.T) {
	t.Run("100 nested parts with the default depth", func(t *testing.T) {
		doc, rep, err := asset.Read(strings.NewReader(nested(100)), asset.ReadOptions{Validate: true})
		require.NoError(t, err)
		assert.Empty(t, rep.Issues)
		assert.Equal(t, 101, doc.Asset.Count())
		leaves := doc.Asset.Leaves()
		require.Len(t, leaves, 1)
		assert.Equal(t, "Level 100", leaves[0].Title["en"])
		_, ptr := doc.Asset.Find(leaves[0].ID)
		assert.Equal(t, strings.Repeat("/parts/0", 100), ptr)

		// And it writes and reads back.
		out, err := asset.Marshal(doc)
		require.NoError(t, err)
		back, _, err := asset.Unmarshal(out, asset.ReadOptions{})
		require.NoError(t, err)
		assert.Equal(t, 101, back.Asset.Count())
	})
	t.Run("MaxDepth", func(t *testing.T) {
		// Each level of parts is two levels of JSON, an array and an
		// object: the root object, 20 levels of parts and the deepest
		// title nest 42 deep.
		in := nested(20)
		_, _, err := asset.Read(strings.NewReader(in), asset.ReadOptions{MaxDepth: 42})
		require.NoError(t, err)
		_, _, err = asset.Read(strings.NewReader(in), asset.ReadOptions{MaxDepth: 41})
		require.ErrorIs(t, err, asset.ErrSyntax)
		var se *asset.SyntaxError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, strings.Repeat("/parts/0", 20)+"/title", se.Pointer)

		_, _, err = asset.Read(strings.NewReader(nested(200)), asset.ReadOptions{})
		assert.ErrorIs(t, err, asset.ErrSyntax, "the default limit holds")
		_, _, err = asset.Read(strings.NewReader(nested(200)), asset.ReadOptions{MaxDepth: 1000})
		assert.NoError(t, err, "a larger limit admits deeper trees")
	})
}

// countingReader yields an endless OTA-looking document and counts the bytes
// it hands out.
type countingReader struct {
	n    int64
	head []byte
}

func (r *countingReader) Read(p []byte) (int, error) {
	k := 0
	for k < len(p) {
		if len(r.head) > 0 {
			c := copy(p[k:], r.head)
			r.head = r.head[c:]
			k += c
			continue
		}
		p[k] = 'a'
		k++
	}
	r.n += int64(k)
	return k, nil
}

func TestReadMaxBytes(t *testing.T) {
	const limit = 64 << 10
	r := &countingReader{head: []byte(`{"ota": "1.0", "description": {"en": "`)}
	doc, rep, err := asset.Read(r, asset.ReadOptions{MaxBytes: limit})
	require.ErrorIs(t, err, asset.ErrTooLarge)
	assert.Nil(t, doc)
	assert.Empty(t, rep.Issues)
	assert.Contains(t, err.Error(), fmt.Sprint(limit))
	assert.GreaterOrEqual(t, r.n, int64(limit), "read up to the limit")
	assert.LessOrEqual(t, r.n, int64(limit+4096), "stopped shortly after the limit instead of reading the whole input")

	// At the limit exactly is fine.
	_, _, err = asset.Read(strings.NewReader(minimal), asset.ReadOptions{MaxBytes: int64(len(minimal))})
	assert.NoError(t, err)
	_, _, err = asset.Read(strings.NewReader(minimal), asset.ReadOptions{MaxBytes: int64(len(minimal) - 1)})
	assert.ErrorIs(t, err, asset.ErrTooLarge)
	_, _, err = asset.Unmarshal([]byte(minimal), asset.ReadOptions{MaxBytes: int64(len(minimal) - 1)})
	assert.ErrorIs(t, err, asset.ErrTooLarge)
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestReadReaderError(t *testing.T) {
	_, _, err := asset.Read(io.MultiReader(strings.NewReader(`{"ota":`), failingReader{}), asset.ReadOptions{})
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.NotErrorIs(t, err, asset.ErrSyntax)
}

func TestReadBOM(t *testing.T) {
	doc, rep, err := asset.Read(strings.NewReader("\xEF\xBB\xBF"+minimal), asset.ReadOptions{Validate: true})
	require.NoError(t, err)
	assert.Empty(t, rep.Issues)
	assert.Equal(t, "Reading SDMX-ML", doc.Asset.Title["en"])

	// Only one BOM, and only at the start.
	_, _, err = asset.Read(strings.NewReader("\xEF\xBB\xBF\xEF\xBB\xBF"+minimal), asset.ReadOptions{})
	assert.ErrorIs(t, err, asset.ErrSyntax)
}

func TestReadNotADocument(t *testing.T) {
	for name, in := range map[string]string{
		"array":  `[` + minimal + `]`,
		"string": `"ota"`,
		"number": `1.0`,
		"null":   `null`,
		"true":   `true`,
	} {
		t.Run(name, func(t *testing.T) {
			doc, _, err := asset.Read(strings.NewReader(in), asset.ReadOptions{})
			require.ErrorIs(t, err, asset.ErrNotDocument)
			assert.NotErrorIs(t, err, asset.ErrSyntax)
			assert.Nil(t, doc)
		})
	}
}

func TestReadFormatVersion(t *testing.T) {
	withFormat := func(v string) string { return strings.Replace(minimal, `"ota": "1.0"`, `"ota": "`+v+`"`, 1) }

	for _, v := range []string{"2.0", "10.3", "0.9"} {
		t.Run("major "+v, func(t *testing.T) {
			doc, _, err := asset.Read(strings.NewReader(withFormat(v)), asset.ReadOptions{})
			require.ErrorIs(t, err, asset.ErrFormatVersion)
			assert.Contains(t, err.Error(), v)
			assert.Nil(t, doc)
		})
	}
	t.Run("newer minor", func(t *testing.T) {
		doc, rep, err := asset.Read(strings.NewReader(withFormat("1.7")), asset.ReadOptions{Validate: true})
		require.NoError(t, err)
		require.Len(t, rep.Issues, 1)
		assert.Equal(t, ota.Issue{Pointer: "/ota", Line: 2, Code: "asset.format.newer-minor", Severity: ota.Warning, Message: rep.Issues[0].Message}, rep.Issues[0])
		assert.NoError(t, rep.Err())
		assert.Equal(t, "1.7", doc.Format, "the declared version is kept")
		out, err := asset.Marshal(doc)
		require.NoError(t, err)
		assert.Contains(t, string(out), `"ota": "1.7"`)
	})
	t.Run("current", func(t *testing.T) {
		doc, rep, err := asset.Read(strings.NewReader(minimal), asset.ReadOptions{Validate: true})
		require.NoError(t, err)
		assert.Empty(t, rep.Issues)
		assert.Equal(t, asset.FormatVersion, doc.Format)
	})
	for _, v := range []string{"1", "1.0.0", "v1.0", "01.0", "1.00", "", "1.x"} {
		t.Run(fmt.Sprintf("malformed %q", v), func(t *testing.T) {
			_, rep, err := asset.Read(strings.NewReader(withFormat(v)), asset.ReadOptions{})
			require.NoError(t, err)
			require.Len(t, rep.Issues, 1)
			assert.Equal(t, "asset.format.invalid", rep.Issues[0].Code)
			assert.Equal(t, ota.Error, rep.Issues[0].Severity)
		})
	}
}

func TestReadWrongTypesAllAtOnce(t *testing.T) {
	in := `{
  "ota": "1.0",
  "id": 42,
  "kind": "course",
  "title": "SDMX for beginners",
  "languages": "en",
  "contributors": [
    {"name": ["Eurostat"], "roles": "author"}
  ],
  "duration": 90,
  "parts": [
    {"id": "urn:uuid:0b0f5c4e-0c1a-4d0e-9a43-6f1c2d9a8e11", "kind": "module", "title": {"en": null}}
  ],
  "resources": [{"path": "a.html", "size": "12 kB"}],
  "extensions": ["not", "an", "object"],
  "license": "CC-BY-4.0"
}
`
	doc, rep, err := asset.Read(strings.NewReader(in), asset.ReadOptions{})
	require.NoError(t, err, "wrong types are issues, not a failure to read")
	require.NotNil(t, doc)
	type found struct {
		Pointer string
		Line    int
	}
	var got []found
	for _, is := range rep.Issues {
		assert.Equal(t, "asset.json.wrong-type", is.Code)
		assert.Equal(t, ota.Error, is.Severity)
		assert.Contains(t, is.Message, "expected")
		got = append(got, found{is.Pointer, is.Line})
	}
	assert.Equal(t, []found{
		{"/id", 3},
		{"/title", 5},
		{"/languages", 6},
		{"/contributors/0/name", 8},
		{"/contributors/0/roles", 8},
		{"/duration", 10},
		{"/parts/0/title/en", 12},
		{"/resources/0/size", 14},
		{"/extensions", 15},
	}, got)

	// The members of the right type are read; the others are left at
	// their zero value.
	assert.Equal(t, asset.KindCourse, doc.Asset.Kind)
	assert.Equal(t, "CC-BY-4.0", doc.Asset.License)
	assert.Empty(t, doc.Asset.ID)
	assert.Nil(t, doc.Asset.Title)
	assert.Equal(t, "a.html", doc.Asset.Resources[0].Path)

	// With validation, the rules the wrong types already break are not
	// reported twice.
	_, rep, err = asset.Read(strings.NewReader(in), asset.ReadOptions{Validate: true})
	require.NoError(t, err)
	for _, is := range rep.Issues {
		assert.NotEqual(t, "asset.id.missing", is.Code)
		assert.NotEqual(t, "asset.title.missing", is.Code)
	}
	var ve *ota.ValidationError
	require.ErrorAs(t, rep.Err(), &ve)
	assert.GreaterOrEqual(t, len(ve.Unwrap()), 9)
}

// TestReadWrongTypePartNotReportedTwice: a part of the wrong type is left at
// the zero Asset; the rules that zero value breaks (no id, kind or title)
// are consequences of the one wrong type and should not be reported as
// well, just as a wrong-typed "title" is not also reported as a missing one.
func TestReadWrongTypePartNotReportedTwice(t *testing.T) {
	in := strings.Replace(minimal, `"license"`, `"parts": ["urn:uuid:1b0f5c4e-0c1a-4d0e-9a43-6f1c2d9a8e11"], "contributors": [42], "license"`, 1)
	_, rep, err := asset.Read(strings.NewReader(in), asset.ReadOptions{Validate: true})
	require.NoError(t, err)
	assert.Equal(t, []string{
		"asset.json.wrong-type at /parts/0",
		"asset.json.wrong-type at /contributors/0",
	}, codesOf(rep.Issues))
}

func TestReadKeepsUnknownMembers(t *testing.T) {
	in := strings.Replace(minimal, `"license"`, `"nsoCode": {"ons": "TR-42", "list": [1, 2.50, "x"]}, "license"`, 1)
	doc, rep, err := asset.Read(strings.NewReader(in), asset.ReadOptions{Validate: true})
	require.NoError(t, err)
	require.Len(t, rep.Issues, 1)
	assert.Equal(t, "asset.json.unknown-member", rep.Issues[0].Code)
	assert.Equal(t, "/nsoCode", rep.Issues[0].Pointer)
	assert.Equal(t, ota.Warning, rep.Issues[0].Severity)
	assert.Contains(t, rep.Issues[0].Message, "nsoCode")
	assert.Equal(t, `{"ons": "TR-42", "list": [1, 2.50, "x"]}`, string(doc.Asset.Unknown["nsoCode"]), "kept exactly as written")
}

func TestReadSchemaMember(t *testing.T) {
	in := strings.Replace(minimal, `"ota": "1.0",`, `"ota": "1.0", "$schema": "`+asset.SchemaURI+`",`, 1)
	doc, rep, err := asset.Read(strings.NewReader(in), asset.ReadOptions{Validate: true})
	require.NoError(t, err)
	assert.Empty(t, rep.Issues)
	assert.Equal(t, asset.SchemaURI, doc.Schema)
	assert.NotContains(t, doc.Asset.Unknown, "$schema")
}

func TestAssetUnmarshalJSON(t *testing.T) {
	t.Run("an asset object", func(t *testing.T) {
		var a asset.Asset
		err := json.Unmarshal([]byte(`{
			"id": "urn:uuid:0b0f5c4e-0c1a-4d0e-9a43-6f1c2d9a8e11",
			"kind": "lesson",
			"title": {"en": "Codelists", "fr": "Listes de codes"},
			"duration": "PT45M",
			"parts": [{"id": "urn:uuid:1b0f5c4e-0c1a-4d0e-9a43-6f1c2d9a8e11", "kind": "activity", "title": {"en": "Quiz"}}],
			"x-note": [1, 2]
		}`), &a)
		require.NoError(t, err)
		assert.Equal(t, "Listes de codes", a.Title["fr"])
		assert.Equal(t, asset.Duration{Minutes: 45}, a.Duration)
		require.Len(t, a.Parts, 1)
		assert.Equal(t, asset.KindActivity, a.Parts[0].Kind)
		assert.JSONEq(t, `[1, 2]`, string(a.Unknown["x-note"]), "unknown members are kept")
	})
	t.Run("inside another structure", func(t *testing.T) {
		var catalogue struct {
			Assets []asset.Asset `json:"assets"`
		}
		err := json.Unmarshal([]byte(`{"assets": [{"id": "urn:uuid:0b0f5c4e-0c1a-4d0e-9a43-6f1c2d9a8e11", "kind": "course", "title": {"en": "A"}}, {"id": "https://example.org/b", "kind": "lesson", "title": {"en": "B"}}]}`), &catalogue)
		require.NoError(t, err)
		require.Len(t, catalogue.Assets, 2)
		assert.Equal(t, "https://example.org/b", catalogue.Assets[1].ID)
	})
	t.Run("wrong types", func(t *testing.T) {
		var a asset.Asset
		err := json.Unmarshal([]byte(`{"id": 1, "kind": "lesson", "title": "x"}`), &a)
		var ve *ota.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Len(t, ve.Unwrap(), 2)
		assert.Equal(t, []string{"asset.json.wrong-type at /id", "asset.json.wrong-type at /title"}, codesOf(ve.Issues))
	})
	t.Run("duplicate keys", func(t *testing.T) {
		var a asset.Asset
		err := json.Unmarshal([]byte(`{"id": "a", "id": "b"}`), &a)
		assert.ErrorIs(t, err, asset.ErrSyntax)
	})
	t.Run("round trip through encoding/json", func(t *testing.T) {
		a := asset.Asset{ID: asset.DeriveID("test", "json"), Kind: asset.KindLesson, Title: asset.LangString{"en": "<Codes> & lists"},
			Unknown: map[string]json.RawMessage{"x-note": json.RawMessage(`[1,2]`)}}
		b, err := json.Marshal(a)
		require.NoError(t, err)
		var back asset.Asset
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, a, back)
	})
}

func TestDocumentUnmarshalJSON(t *testing.T) {
	t.Run("a document", func(t *testing.T) {
		var doc asset.Document
		require.NoError(t, json.Unmarshal([]byte(minimal), &doc))
		assert.Equal(t, asset.FormatVersion, doc.Format)
		assert.Equal(t, "Reading SDMX-ML", doc.Asset.Title["en"])
	})
	t.Run("warnings are dropped", func(t *testing.T) {
		var doc asset.Document
		in := strings.Replace(minimal, `"ota": "1.0"`, `"ota": "1.2", "x-extra": true`, 1)
		require.NoError(t, json.Unmarshal([]byte(in), &doc))
		assert.Equal(t, "1.2", doc.Format)
		assert.JSONEq(t, `true`, string(doc.Asset.Unknown["x-extra"]))
	})
	t.Run("decode errors fail", func(t *testing.T) {
		var doc asset.Document
		err := json.Unmarshal([]byte(strings.Replace(minimal, `"kind": "lesson"`, `"kind": ["lesson"]`, 1)), &doc)
		var ve *ota.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, []string{"asset.json.wrong-type at /kind"}, codesOf(ve.Issues))
	})
	t.Run("validation rules are not applied", func(t *testing.T) {
		var doc asset.Document
		require.NoError(t, json.Unmarshal([]byte(strings.Replace(minimal, `"kind": "lesson"`, `"kind": "workshop"`, 1)), &doc))
		assert.Equal(t, asset.Kind("workshop"), doc.Asset.Kind)
	})
	t.Run("not a document", func(t *testing.T) {
		var doc asset.Document
		assert.ErrorIs(t, json.Unmarshal([]byte(`[1]`), &doc), asset.ErrNotDocument)
		assert.ErrorIs(t, json.Unmarshal([]byte(strings.Replace(minimal, `"1.0"`, `"2.0"`, 1)), &doc), asset.ErrFormatVersion)
	})
	t.Run("encoding/json round trip", func(t *testing.T) {
		var doc asset.Document
		require.NoError(t, json.Unmarshal([]byte(minimal), &doc))
		b, err := json.Marshal(doc)
		require.NoError(t, err)
		var back asset.Document
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, doc, back)
	})
}

func TestReadErrorsAreDistinct(t *testing.T) {
	sentinels := []error{asset.ErrSyntax, asset.ErrTooLarge, asset.ErrNotDocument, asset.ErrFormatVersion}
	for i, a := range sentinels {
		for j, b := range sentinels {
			if i != j {
				assert.False(t, errors.Is(a, b), "%v is %v", a, b)
			}
		}
	}
}
