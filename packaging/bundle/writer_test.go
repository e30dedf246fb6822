package bundle

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/zipw"
)

func TestRoundTrip(t *testing.T) {
	doc, fsys := testTree()
	data := writeBundle(t, fsys, doc)
	b, err := openBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	if rep := b.Verify(context.Background()); len(rep.Issues) > 0 {
		t.Fatalf("Verify: %v", rep.Issues)
	}
	if n := len(b.Assets()); n != 1 {
		t.Fatalf("%d assets, want 1", n)
	}
	want, err := asset.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	got, err := asset.Marshal(b.Assets()[0])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("asset changed:\n%s\nwant\n%s", got, want)
	}
	for name, f := range fsys {
		t.Run(name, func(t *testing.T) {
			got, err := fs.ReadFile(b.Content(), name)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, f.Data) {
				t.Errorf("content differs")
			}
		})
	}
	m := b.Manifest()
	if m.Format != FormatVersion || m.Generator != "bundle test" || len(m.Files) != len(fsys)+1 {
		t.Errorf("manifest: %+v", m)
	}
	if !slices.IsSortedFunc(m.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) }) {
		t.Error("manifest files not sorted")
	}
}

func TestLayout(t *testing.T) {
	data := writeTestBundle(t)
	if got := string(data[30:38]); got != "mimetype" {
		t.Errorf("name at 30 = %q", got)
	}
	if got := string(data[38 : 38+len(MediaType)]); got != MediaType {
		t.Errorf("media type at 38 = %q", got)
	}
	es := entries(t, data)
	methods := map[string]uint16{}
	var names []string
	for _, e := range es {
		methods[e.name] = e.method
		names = append(names, e.name)
	}
	if names[0] != "mimetype" || names[len(names)-1] != "manifest.json" {
		t.Errorf("entry order %v", names)
	}
	for _, tc := range []struct {
		name   string
		method uint16
	}{
		{"mimetype", zip.Store},
		{"content/lessons/01/figure.png", zip.Store},
		{"content/lessons/01/index.html", zip.Deflate},
		{"content/lessons/02/data/gdp.csv", zip.Deflate},
		{"assets/0001.ota.json", zip.Deflate},
		{"manifest.json", zip.Deflate},
	} {
		if got, ok := methods[tc.name]; !ok || got != tc.method {
			t.Errorf("%s: method %d (present %v), want %d", tc.name, got, ok, tc.method)
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, b := writeTestBundle(t), writeTestBundle(t)
	if !bytes.Equal(a, b) {
		t.Fatal("two writes of the same input differ")
	}
}

func TestMultipleAssets(t *testing.T) {
	doc, fsys := testTree()
	other := asset.NewDocument(asset.Asset{ID: "urn:uuid:0a4c2f0e-0000-4000-8000-000000000001", Kind: "resource",
		Title: asset.LangString{"en": "Shared"}, Resources: []asset.Resource{{Path: "index.html"}}})
	b, err := openBytes(writeBundle(t, fsys, doc, other))
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Manifest().Assets; len(got) != 2 || got[1].Path != "assets/0002.ota.json" || got[1].ID != other.Asset.ID {
		t.Errorf("assets %+v", got)
	}
	if rep := b.Verify(context.Background()); len(rep.Issues) > 0 {
		t.Errorf("Verify: %v", rep.Issues)
	}
}

func TestAddFSMissingFile(t *testing.T) {
	doc, fsys := testTree()
	delete(fsys, "lessons/01/figure.png")
	w := NewWriter(&bytes.Buffer{}, WriterOptions{})
	if err := w.AddAsset(doc); err != nil {
		t.Fatal(err)
	}
	if err := w.AddFS(context.Background(), fsys); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("AddFS: %v, want fs.ErrNotExist", err)
	}
}

func TestWriterRejects(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		paths []string
	}{
		{"duplicate", []string{"a.html", "a.html"}},
		{"case", []string{"a.html", "A.HTML"}},
		{"file then folder", []string{"a", "a/b.html"}},
		{"folder then file", []string{"a/b.html", "a"}},
		{"dot-dot", []string{"../a.html"}},
		{"absolute", []string{"/a.html"}},
		{"backslash", []string{`a\b.html`}},
		{"trailing dot", []string{"a./b.html"}},
		{"empty", []string{""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := NewWriter(&bytes.Buffer{}, WriterOptions{})
			var err error
			for _, p := range tc.paths {
				if err = w.AddFile(ctx, p, strings.NewReader("x"), ""); err != nil {
					break
				}
			}
			if !errors.Is(err, ErrPath) {
				t.Fatalf("err %v, want ErrPath", err)
			}
		})
	}
	t.Run("no asset", func(t *testing.T) {
		if err := NewWriter(&bytes.Buffer{}, WriterOptions{}).Close(); err == nil {
			t.Fatal("Close without assets succeeded")
		}
	})
	t.Run("after close", func(t *testing.T) {
		doc, _ := testTree()
		w := NewWriter(&bytes.Buffer{}, WriterOptions{})
		_ = w.AddAsset(doc)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := w.AddFile(ctx, "x.html", strings.NewReader(""), ""); !errors.Is(err, ErrClosed) {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		c, cancel := context.WithCancel(ctx)
		cancel()
		w := NewWriter(&bytes.Buffer{}, WriterOptions{})
		if err := w.AddFile(c, "x.html", strings.NewReader("x"), ""); !errors.Is(err, context.Canceled) {
			t.Fatalf("err %v", err)
		}
		if err := w.Close(); !errors.Is(err, context.Canceled) {
			t.Fatalf("Close after failure: %v", err)
		}
	})
}

func TestAddFileMediaType(t *testing.T) {
	for _, mt := range []string{"html", "text/", "/html", "text/html; charset"} {
		w := NewWriter(&bytes.Buffer{}, WriterOptions{})
		if err := w.AddFile(context.Background(), "a.html", strings.NewReader("x"), mt); err == nil {
			t.Errorf("media type %q accepted", mt)
		}
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "course.ota")
	doc, fsys := testTree()
	fill := func(w *Writer) error {
		if err := w.AddAsset(doc); err != nil {
			return err
		}
		return w.AddFS(context.Background(), fsys)
	}
	boom := errors.New("boom")
	if err := WriteFile(context.Background(), path, WriterOptions{}, func(w *Writer) error {
		_ = fill(w)
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := WriteFile(ctx, path, WriterOptions{}, fill); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	if names, _ := os.ReadDir(dir); len(names) != 0 {
		t.Fatalf("left behind: %v", names)
	}
	if err := WriteFile(context.Background(), path, WriterOptions{Generator: "bundle test"}, fill); err != nil {
		t.Fatal(err)
	}
	b, _, err := OpenFile(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if rep := b.Verify(context.Background()); len(rep.Issues) > 0 {
		t.Fatal(rep.Issues)
	}
	got, _ := os.ReadFile(path)
	if !bytes.Equal(got, writeTestBundle(t)) {
		t.Error("WriteFile and Writer differ")
	}
}

func TestExtract(t *testing.T) {
	b, err := openBytes(writeTestBundle(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	if err := b.Extract(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	_, fsys := testTree()
	for name, f := range fsys {
		got, err := os.ReadFile(filepath.Join(dir, "content", filepath.FromSlash(name)))
		if err != nil || !bytes.Equal(got, f.Data) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, name := range []string{"mimetype", "manifest.json", "assets/0001.ota.json"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
}

func TestGuessAndCompress(t *testing.T) {
	tests := []struct {
		path, mediaType string
		stored          bool
	}{
		{"a.html", "text/html", false},
		{"a.PNG", "image/png", true},
		{"a.svg", "image/svg+xml", false},
		{"a.mp4", "video/mp4", true},
		{"a.mp3", "audio/mpeg", true},
		{"a.wav", "audio/wav", false},
		{"a.zip", "application/zip", true},
		{"a.pdf", "application/pdf", true},
		{"a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", true},
		{"a.csv", "text/csv", false},
		{"course.ota.json", "application/json", false},
		{"noext", "application/octet-stream", false},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			mt := zipw.MediaType(tc.path)
			if mt != tc.mediaType {
				t.Errorf("media type %q, want %q", mt, tc.mediaType)
			}
			if got := zipw.Compressed(mt); got != tc.stored {
				t.Errorf("stored %v, want %v", got, tc.stored)
			}
		})
	}
}
