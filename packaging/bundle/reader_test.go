package bundle

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/archive"
)

func issueCodes(rep ota.Report) []string {
	var out []string
	for _, is := range rep.Issues {
		out = append(out, is.Code)
	}
	slices.Sort(out)
	return out
}

func TestVerifyTampered(t *testing.T) {
	good := writeTestBundle(t)
	target := "content/lessons/01/index.html"
	change := func(fn func(e *entry)) func([]entry) []entry {
		return func(es []entry) []entry {
			for i := range es {
				if es[i].name == target {
					fn(&es[i])
				}
			}
			return es
		}
	}
	editManifest := func(old, new string) func([]entry) []entry {
		return func(es []entry) []entry {
			for i := range es {
				if es[i].name == manifestName {
					es[i].data = bytes.Replace(es[i].data, []byte(old), []byte(new), 1)
				}
			}
			return es
		}
	}
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"changed byte", edit(t, good, change(func(e *entry) { e.data = bytes.Clone(e.data); e.data[20] ^= 1 })),
			[]string{"bundle.file.digest-mismatch"}},
		{"changed byte under the CRC", flipStored(t, good, "content/lessons/01/figure.png"),
			[]string{"bundle.file.unreadable"}},
		{"missing file", edit(t, good, func(es []entry) []entry {
			return slices.DeleteFunc(es, func(e entry) bool { return e.name == target })
		}), []string{"bundle.file.missing"}},
		{"extra file", edit(t, good, func(es []entry) []entry {
			return append(es, entry{name: "content/extra.js", data: []byte("alert(1)"), method: zip.Deflate})
		}), []string{"bundle.file.unlisted"}},
		{"wrong size", edit(t, good, change(func(e *entry) { e.data = append(bytes.Clone(e.data), '\n') })),
			[]string{"bundle.file.size-mismatch"}},
		{"wrong size in manifest", edit(t, good, editManifest(`"size": 0,`, `"size": 1,`)),
			[]string{"bundle.file.size-mismatch"}},
		{"extra file in META-INF", edit(t, good, func(es []entry) []entry {
			return append(es, entry{name: "META-INF/notes.txt", data: []byte("x"), method: zip.Deflate})
		}), []string{"bundle.file.unlisted"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := openBytes(tc.data)
			if err != nil {
				t.Fatal(err)
			}
			rep := b.Verify(context.Background())
			if got := issueCodes(rep); !slices.Equal(got, tc.want) {
				t.Errorf("codes %v, want %v; %v", got, tc.want, rep.Issues)
			}
		})
	}
}

// flipStored changes one byte of a stored entry in place, so that its
// CRC-32 no longer matches.
func flipStored(t *testing.T, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			off, err := f.DataOffset()
			if err != nil {
				t.Fatal(err)
			}
			out := bytes.Clone(data)
			out[off+10] ^= 0xff
			return out
		}
	}
	t.Fatalf("%s not found", name)
	return nil
}

func TestVerifyResources(t *testing.T) {
	doc, fsys := testTree()
	doc.Asset.Resources[0].Size = 3
	doc.Asset.Resources[0].SHA256 = strings.Repeat("ab", 32)
	doc.Asset.Parts[0].Resources = append(doc.Asset.Parts[0].Resources, asset.Resource{Path: "nowhere.html"})
	var buf bytes.Buffer
	w := NewWriter(&buf, WriterOptions{})
	if err := w.AddAsset(doc); err != nil {
		t.Fatal(err)
	}
	// Add the files one by one, leaving out nowhere.html.
	names := make([]string, 0, len(fsys))
	for name := range fsys {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if err := w.AddFile(context.Background(), name, bytes.NewReader(fsys[name].Data), ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := openBytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	rep := b.Verify(context.Background())
	want := []string{"bundle.resource.digest-mismatch", "bundle.resource.missing", "bundle.resource.size-mismatch"}
	if got := issueCodes(rep); !slices.Equal(got, want) {
		t.Errorf("codes %v, want %v; %v", got, want, rep.Issues)
	}
	for _, is := range rep.Issues {
		if !strings.HasPrefix(is.Pointer, "assets/0001.ota.json#/") {
			t.Errorf("pointer %q", is.Pointer)
		}
	}
}

func TestVerifyCancelled(t *testing.T) {
	b, err := openBytes(writeTestBundle(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := issueCodes(b.Verify(ctx)); !slices.Contains(got, "bundle.verify.cancelled") {
		t.Errorf("codes %v", got)
	}
}

func TestOpenRejects(t *testing.T) {
	good := writeTestBundle(t)
	mod := func(fn func([]entry) []entry) []byte { return edit(t, good, fn) }
	setManifest := func(m string) []byte {
		return mod(func(es []entry) []entry {
			for i := range es {
				if es[i].name == manifestName {
					es[i].data = []byte(m)
				}
			}
			return es
		})
	}
	replaceManifest := func(old, new string) []byte {
		return mod(func(es []entry) []entry {
			for i := range es {
				if es[i].name == manifestName {
					es[i].data = bytes.Replace(es[i].data, []byte(old), []byte(new), 1)
				}
			}
			return es
		})
	}
	var extra bytes.Buffer
	{
		zw := zip.NewWriter(&extra)
		fh := &zip.FileHeader{Name: mimetypeName, Method: zip.Store, Extra: []byte{0xfe, 0xca, 0, 0}}
		w, _ := zw.CreateHeader(fh)
		_, _ = w.Write([]byte(MediaType))
		_ = zw.Close()
	}
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"not a zip", []byte("hello, world"), archive.ErrCorrupt},
		{"mimetype not first", mod(func(es []entry) []entry { return append(es[1:], es[0]) }), ErrNotBundle},
		{"mimetype compressed", mod(func(es []entry) []entry { es[0].method = zip.Deflate; return es }), ErrNotBundle},
		{"mimetype wrong", mod(func(es []entry) []entry { es[0].data = []byte("application/zip"); return es }), ErrNotBundle},
		{"mimetype missing", mod(func(es []entry) []entry { return es[1:] }), ErrNotBundle},
		{"mimetype with extra field", extra.Bytes(), ErrNotBundle},
		{"manifest missing", mod(func(es []entry) []entry { return es[:len(es)-1] }), ErrManifest},
		{"manifest not JSON", setManifest("{"), ErrManifest},
		{"manifest major 2", replaceManifest(`"format": "1.0"`, `"format": "2.0"`), ErrFormatVersion},
		{"manifest duplicate path", replaceManifest(`"path": "content/index.html"`, `"path": "content/lessons/01/index.html"`), ErrManifest},
		{"manifest escaping path", replaceManifest(`"path": "content/index.html"`, `"path": "content/../../x"`), ErrManifest},
		{"asset unreadable", mod(func(es []entry) []entry {
			for i := range es {
				if strings.HasPrefix(es[i].name, assetsDir) {
					es[i].data = []byte("[]")
				}
			}
			return es
		}), ErrAsset},
		{"zip slip", mod(func(es []entry) []entry {
			return append(es, entry{name: "content/../../evil.sh", data: []byte("x"), method: zip.Deflate})
		}), archive.ErrPathEscape},
		{"absolute path", mod(func(es []entry) []entry {
			return append(es, entry{name: "/etc/passwd", data: []byte("x"), method: zip.Deflate})
		}), archive.ErrAbsolutePath},
		{"symbolic link", withSymlink(t, good), archive.ErrSymlink},
		{"duplicate entry", mod(func(es []entry) []entry { return append(es, es[len(es)-2]) }), archive.ErrDuplicate},
		{"case collision", mod(func(es []entry) []entry {
			return append(es, entry{name: "content/INDEX.html", data: []byte("x"), method: zip.Deflate})
		}), archive.ErrCaseCollision},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := openBytes(tc.data)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Open: %v, want %v", err, tc.want)
			}
		})
	}
}

// withSymlink appends a symbolic link entry to a bundle.
func withSymlink(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	fh := &zip.FileHeader{Name: "content/link", Method: zip.Store}
	fh.SetMode(fs.ModeSymlink | 0o777)
	w, err := zw.CreateHeader(fh)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte("/etc/passwd"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// countingReaderAt counts the bytes read through it. Like any
// io.ReaderAt it takes parallel calls, as Verify makes.
type countingReaderAt struct {
	r    *bytes.Reader
	read atomic.Int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.read.Add(int64(n))
	return n, err
}

// TestOpenReadsNoContent shows that Open reads the directory, the
// manifest and the documents, not the content: a bundle with 4 MiB of
// content is opened reading a small fraction of it.
func TestOpenReadsNoContent(t *testing.T) {
	doc, fsys := testTree()
	big := make([]byte, 4<<20)
	for i := range big {
		big[i] = byte(i * 7 / 3)
	}
	fsys["lessons/01/figure.png"] = &fstest.MapFile{Data: big}
	data := writeBundle(t, fsys, doc)
	c := &countingReaderAt{r: bytes.NewReader(data)}
	b, _, err := Open(c, int64(len(data)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.read.Load() > 256<<10 {
		t.Errorf("Open read %d of %d bytes", c.read.Load(), len(data))
	}
	before := c.read.Load()
	if rep := b.Verify(context.Background()); len(rep.Issues) > 0 {
		t.Fatal(rep.Issues)
	}
	if c.read.Load()-before < int64(len(big)) {
		t.Errorf("Verify read only %d bytes", c.read.Load()-before)
	}
}

func TestSniff(t *testing.T) {
	good := writeTestBundle(t)
	tests := []struct {
		name string
		data []byte
		want bool
	}{
		{"bundle", good, true},
		{"prefix only", good[:SniffLen], true},
		{"short", good[:SniffLen-1], false},
		{"plain zip", edit(t, good, func(es []entry) []entry { return es[1:] }), false},
		{"text", []byte(strings.Repeat("x", 100)), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Sniff(tc.data); got != tc.want {
				t.Errorf("Sniff = %v", got)
			}
		})
	}
}

func TestMaxRatio(t *testing.T) {
	doc, fsys := testTree()
	fsys["lessons/02/data/gdp.csv"] = &fstest.MapFile{Data: bytes.Repeat([]byte("0,0,0,0\n"), 1<<20)}
	data := writeBundle(t, fsys, doc)
	if _, err := openBytes(data); !errors.Is(err, archive.ErrRatio) {
		t.Fatalf("default limits: %v, want archive.ErrRatio", err)
	}
	b, _, err := Open(bytes.NewReader(data), int64(len(data)), Options{Limits: archive.Limits{MaxRatio: -1}})
	if err != nil {
		t.Fatal(err)
	}
	if rep := b.Verify(context.Background()); len(rep.Issues) > 0 {
		t.Fatal(rep.Issues)
	}
}
