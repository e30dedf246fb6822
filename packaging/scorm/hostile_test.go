package scorm

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/packaging/archive"
)

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE manifest [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<manifest identifier="x"><organizations><organization identifier="o"><title>&lol9;</title></organization></organizations></manifest>`

func deep(n int) string {
	return `<manifest identifier="x">` + strings.Repeat("<a>", n) + strings.Repeat("</a>", n) + `</manifest>`
}

func TestHostileManifests(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		opts  Options
		want  error
		code  string
	}{
		{"1m deep nesting is a ratio bomb", map[string]string{"imsmanifest.xml": deep(1_000_000)}, Options{}, archive.ErrRatio, "scorm.package.rejected"},
		{"10k deep nesting", map[string]string{"imsmanifest.xml": deep(10_000)}, Options{}, ErrLimit, "scorm.manifest.limit"},
		{"1m deep nesting, ratio cap off", map[string]string{"imsmanifest.xml": deep(1_000_000)}, Options{Limits: archive.Limits{MaxRatio: -1}}, ErrLimit, "scorm.manifest.limit"},
		{"billion laughs", map[string]string{"imsmanifest.xml": billionLaughs}, Options{}, ErrEntities, "scorm.manifest.entities"},
		{"external entity", map[string]string{"imsmanifest.xml": `<!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><manifest>&x;</manifest>`}, Options{}, ErrEntities, "scorm.manifest.entities"},
		{"undeclared entity", map[string]string{"imsmanifest.xml": `<manifest identifier="x">&lol9;</manifest>`}, Options{}, ErrManifest, "scorm.manifest.invalid"},
		{"no manifest", map[string]string{"index.html": "x"}, Options{}, ErrNoManifest, "scorm.manifest.missing"},
		{"manifest in two folders", map[string]string{"a/imsmanifest.xml": testdata(t, "tiny.xml"), "b/imsmanifest.xml": testdata(t, "tiny.xml")}, Options{}, ErrNoManifest, "scorm.manifest.missing"},
		{"not XML", map[string]string{"imsmanifest.xml": "PK\x03\x04 this is not xml"}, Options{}, ErrManifest, "scorm.manifest.invalid"},
		{"empty manifest", map[string]string{"imsmanifest.xml": ""}, Options{}, ErrManifest, "scorm.manifest.invalid"},
		{"truncated XML", map[string]string{"imsmanifest.xml": `<manifest identifier="x"><organizations>`}, Options{}, ErrManifest, "scorm.manifest.invalid"},
		{"wrong root", map[string]string{"imsmanifest.xml": `<html><body/></html>`}, Options{}, ErrManifest, "scorm.manifest.invalid"},
		{"two roots", map[string]string{"imsmanifest.xml": `<manifest identifier="a"/><manifest identifier="b"/>`}, Options{}, ErrManifest, "scorm.manifest.invalid"},
		{"unknown encoding", map[string]string{"imsmanifest.xml": `<?xml version="1.0" encoding="EBCDIC-XYZ"?><manifest/>`}, Options{}, ErrManifest, "scorm.manifest.invalid"},
		{"too large", map[string]string{"imsmanifest.xml": testdata(t, "tiny.xml")}, Options{MaxManifestSize: 100}, ErrLimit, "scorm.manifest.limit"},
		{"too many elements", map[string]string{"imsmanifest.xml": `<manifest identifier="x">` + strings.Repeat("<a/>", 50) + `</manifest>`}, Options{MaxManifestElements: 20}, ErrLimit, "scorm.manifest.limit"},
		{"zip slip", map[string]string{"imsmanifest.xml": testdata(t, "tiny.xml"), "../evil.html": "x"}, Options{}, archive.ErrPathEscape, "scorm.package.rejected"},
		{"absolute path", map[string]string{"imsmanifest.xml": testdata(t, "tiny.xml"), "/etc/evil": "x"}, Options{}, archive.ErrAbsolutePath, "scorm.package.rejected"},
		{"backslash", map[string]string{"imsmanifest.xml": testdata(t, "tiny.xml"), `a\evil.html`: "x"}, Options{}, archive.ErrBackslash, "scorm.package.rejected"},
		{"case collision", map[string]string{"imsmanifest.xml": testdata(t, "tiny.xml"), "A.html": "x", "a.html": "y"}, Options{}, archive.ErrCaseCollision, "scorm.package.rejected"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, rep, err := openZip(t, tc.files, tc.opts)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.want)
			assert.Nil(t, p)
			require.NotEmpty(t, rep.Issues)
			assert.Equal(t, tc.code, rep.Issues[len(rep.Issues)-1].Code)
			assert.True(t, rep.HasErrors())
		})
	}
}

func TestNotAZip(t *testing.T) {
	for name, data := range map[string][]byte{
		"text":      []byte("just text, no zip here"),
		"truncated": buildZip(t, map[string]string{"imsmanifest.xml": testdata(t, "tiny.xml")})[:60],
		"empty":     {},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := Open(bytes.NewReader(data), int64(len(data)), Options{})
			assert.ErrorIs(t, err, ErrArchive)
		})
	}
}

func TestSymlinkRejected(t *testing.T) {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	f, _ := w.Create("imsmanifest.xml")
	_, _ = f.Write([]byte(testdata(t, "tiny.xml")))
	h := &zip.FileHeader{Name: "index.html"}
	h.SetMode(0o777 | 1<<27) // os.ModeSymlink
	lw, err := w.CreateHeader(h)
	require.NoError(t, err)
	_, _ = lw.Write([]byte("/etc/passwd"))
	require.NoError(t, w.Close())
	_, _, err = Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), Options{})
	assert.ErrorIs(t, err, archive.ErrSymlink)
	assert.ErrorIs(t, err, ErrArchive)
}

func TestManifestInSubfolder(t *testing.T) {
	p, rep, err := openZip(t, map[string]string{
		"course/imsmanifest.xml": testdata(t, "tiny.xml"),
		"course/index.html":      "x",
	}, Options{})
	require.NoError(t, err)
	assert.Equal(t, "course/imsmanifest.xml", p.ManifestPath)
	assert.Equal(t, []string{"scorm.manifest.subfolder"}, issueCodes(rep, ota.Warning))
	assert.Empty(t, rep.Errors())
	assert.Equal(t, "index.html", p.Organizations[0].Items[0].LaunchURL)
	assert.Equal(t, []FileEntry{{Name: "imsmanifest.xml", Size: int64(len(testdata(t, "tiny.xml")))}, {Name: "index.html", Size: 1}}, p.Files)
}

func TestRootManifestWins(t *testing.T) {
	p, rep, err := openZip(t, map[string]string{
		"imsmanifest.xml":         testdata(t, "tiny.xml"),
		"index.html":              "x",
		"content/imsmanifest.xml": "<not-read/>",
	}, Options{})
	require.NoError(t, err)
	assert.Equal(t, "imsmanifest.xml", p.ManifestPath)
	assert.NotContains(t, issueCodes(rep, ota.Warning), "scorm.manifest.subfolder")
}

func TestPlainDoctypeIgnored(t *testing.T) {
	m := `<?xml version="1.0"?><!DOCTYPE manifest SYSTEM "http://example.invalid/manifest.dtd">` + testdata(t, "tiny.xml")
	p, rep, err := openZip(t, map[string]string{"imsmanifest.xml": m, "index.html": "x"}, Options{})
	require.NoError(t, err)
	assert.Equal(t, "T", p.Identifier)
	assert.Contains(t, issueCodes(rep, ota.Warning), "scorm.manifest.doctype")
}

func TestOpenFS(t *testing.T) {
	fsys := fstest.MapFS{
		"imsmanifest.xml": {Data: []byte(testdata(t, "tiny.xml"))},
		"index.html":      {Data: []byte("x")},
	}
	p, rep, err := OpenFS(fsys, Options{})
	require.NoError(t, err)
	assert.Empty(t, rep.Issues)
	assert.Equal(t, "index.html", p.Organizations[0].Items[0].LaunchURL)

	_, _, err = OpenFS(fstest.MapFS{"x.html": {Data: []byte("x")}}, Options{})
	assert.True(t, errors.Is(err, ErrNoManifest))
}

func TestManifestNameCase(t *testing.T) {
	p, rep, err := openZip(t, map[string]string{"IMSManifest.XML": testdata(t, "tiny.xml"), "index.html": "x"}, Options{})
	require.NoError(t, err)
	assert.Equal(t, "IMSManifest.XML", p.ManifestPath)
	assert.Equal(t, []string{"scorm.manifest.name-case"}, issueCodes(rep, ota.Warning))
}
