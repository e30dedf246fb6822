package zipw

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

func build(t *testing.T, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if err := w.WriteStored("mimetype", []byte("text/plain")); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if _, err := w.Copy(context.Background(), n, strings.NewReader("content of "+n), Compressed(MediaType(n)), nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDeterministic(t *testing.T) {
	a := build(t, "a.html", "img/b.png", "é.txt")
	b := build(t, "a.html", "img/b.png", "é.txt")
	if !bytes.Equal(a, b) {
		t.Fatal("the same entries gave different archives")
	}
	zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name   string
		method uint16
		utf8   bool
	}{{"mimetype", zip.Store, false}, {"a.html", zip.Deflate, false}, {"img/b.png", zip.Store, false}, {"é.txt", zip.Deflate, true}}
	if len(zr.File) != len(want) {
		t.Fatalf("%d entries, want %d", len(zr.File), len(want))
	}
	for i, f := range zr.File {
		w := want[i]
		if f.Name != w.name || f.Method != w.method || f.NonUTF8 || (f.Flags&0x800 != 0) != w.utf8 || len(f.Extra) != 0 {
			t.Errorf("entry %d: %s method %d flags %#x extra %d; want %s method %d utf8 %v", i, f.Name, f.Method, f.Flags, len(f.Extra), w.name, w.method, w.utf8)
		}
		if got := f.Modified.Format("2006-01-02 15:04"); got != "1980-01-01 00:00" {
			t.Errorf("%s: time %s", f.Name, got)
		}
		if i > 0 {
			rc, _ := f.Open()
			data, _ := io.ReadAll(rc)
			if string(data) != "content of "+f.Name {
				t.Errorf("%s: content %q", f.Name, data)
			}
		}
	}
	if string(a[30:38]) != "mimetype" || string(a[38:48]) != "text/plain" {
		t.Errorf("the stored first entry does not start at byte 38: %q", a[30:48])
	}
}

func TestRefusedNames(t *testing.T) {
	for _, tc := range []struct{ first, second string }{
		{"a.txt", "A.TXT"}, {"a", "a/b"}, {"a/b", "a"}, {"x", "../y"}, {"x", "/abs"}, {"x", `c:\d`}, {"x", "dir/"}, {"x", "bad\x01"},
	} {
		t.Run(tc.second, func(t *testing.T) {
			w := NewWriter(io.Discard)
			if _, err := w.Copy(context.Background(), tc.first, strings.NewReader(""), false, nil); err != nil {
				t.Fatal(err)
			}
			_, err := w.Copy(context.Background(), tc.second, strings.NewReader(""), false, nil)
			if !errors.Is(err, ErrName) {
				t.Fatalf("err = %v, want ErrName", err)
			}
		})
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w := NewWriter(io.Discard)
	if _, err := w.Copy(ctx, "a", strings.NewReader("x"), false, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if err := w.Close(); !errors.Is(err, context.Canceled) {
		t.Fatalf("the error is not sticky: %v", err)
	}
}
