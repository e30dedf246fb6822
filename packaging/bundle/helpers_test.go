package bundle

import (
	"archive/zip"
	"bytes"
	"context"
	"hash/crc32"
	"testing"
	"testing/fstest"

	"github.com/metaacademy/ota/asset"
)

// pngBytes is not a real PNG; its media type decides the storage method.
var pngBytes = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0, 1, 2, 3, 250}, 300)...)

// testTree returns a course with two lessons and the files they name.
func testTree() (*asset.Document, fstest.MapFS) {
	fsys := fstest.MapFS{
		"index.html":              {Data: []byte("<!doctype html><title>Course</title><p>Welcome</p>\n")},
		"lessons/01/index.html":   {Data: []byte("<!doctype html><title>One</title>" + string(bytes.Repeat([]byte("<p>text</p>"), 200)))},
		"lessons/01/figure.png":   {Data: pngBytes},
		"lessons/02/data/gdp.csv": {Data: []byte("year,gdp\n2020,1.5\n2021,1.7\n")},
		"lessons/02/index.html":   {Data: []byte("<!doctype html><title>Two</title>")},
		"lessons/02/empty.txt":    {Data: nil},
	}
	doc := asset.NewDocument(asset.Asset{
		ID:    "urn:uuid:6b1e6d0e-7a43-4a8a-9d0f-1c2a3b4c5d6e",
		Kind:  "course",
		Title: asset.LangString{"en": "Statistics 101", "fr": "Statistique 101"},
		Resources: []asset.Resource{
			{Path: "index.html", MediaType: "text/html", Role: asset.RoleLaunch},
		},
		Parts: []asset.Asset{
			{ID: "urn:uuid:6b1e6d0e-7a43-4a8a-9d0f-1c2a3b4c5d01", Kind: "lesson", Title: asset.LangString{"en": "One"},
				Resources: []asset.Resource{
					{Path: "lessons/01/index.html", MediaType: "text/html", Role: asset.RoleLaunch},
					{Path: "lessons/01/figure.png", MediaType: "image/png", Role: asset.RoleMedia},
				}},
			{ID: "urn:uuid:6b1e6d0e-7a43-4a8a-9d0f-1c2a3b4c5d02", Kind: "lesson", Title: asset.LangString{"en": "Two"},
				Resources: []asset.Resource{
					{Path: "lessons/02/index.html", Role: asset.RoleLaunch},
					{Path: "lessons/02/data/gdp.csv", Role: asset.RoleData},
					{Path: "lessons/02/empty.txt"},
					{Path: "index.html"},
				}},
		},
	})
	return doc, fsys
}

// writeTestBundle writes the test tree as a bundle.
func writeTestBundle(t testing.TB) []byte {
	t.Helper()
	doc, fsys := testTree()
	return writeBundle(t, fsys, doc)
}

// writeBundle writes docs and the files they name from fsys.
func writeBundle(t testing.TB, fsys fstest.MapFS, docs ...*asset.Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf, WriterOptions{Generator: "bundle test"})
	for _, d := range docs {
		if err := w.AddAsset(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.AddFS(context.Background(), fsys); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// openBytes opens a bundle held in memory.
func openBytes(data []byte) (*Bundle, error) {
	b, _, err := Open(bytes.NewReader(data), int64(len(data)), Options{})
	return b, err
}

// entry is one entry of a rebuilt zip.
type entry struct {
	name   string
	data   []byte
	method uint16
}

// entries returns the entries of a zip, in order.
func entries(t testing.TB, data []byte) []entry {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out []entry
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if _, err := b.ReadFrom(r); err != nil {
			t.Fatal(err)
		}
		out = append(out, entry{f.Name, b.Bytes(), f.Method})
	}
	return out
}

// rezip writes entries as a zip; a stored entry gets its sizes in the
// local header, like the mimetype entry of a real bundle.
func rezip(t testing.TB, es []entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range es {
		fh := &zip.FileHeader{Name: e.name, Method: e.method}
		var (
			w   interface{ Write([]byte) (int, error) }
			err error
		)
		if e.method == zip.Store {
			fh.CRC32 = crc32.ChecksumIEEE(e.data)
			fh.CompressedSize64 = uint64(len(e.data))
			fh.UncompressedSize64 = uint64(len(e.data))
			w, err = zw.CreateRaw(fh)
		} else {
			w, err = zw.CreateHeader(fh)
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// edit rebuilds a bundle after fn has changed its entries.
func edit(t testing.TB, data []byte, fn func([]entry) []entry) []byte {
	t.Helper()
	return rezip(t, fn(entries(t, data)))
}
