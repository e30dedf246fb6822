package archive

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"testing"
)

// syntheticPackage builds an archive of n small stored files named like a
// course export; only the central directory matters to Open.
func syntheticPackage(b *testing.B, n int) []byte {
	b.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	body := []byte("<html><body>page</body></html>")
	for i := range n {
		name := fmt.Sprintf("course/module%03d/lesson%02d/page%04d.html", i/100, i/10%10, i)
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: fixedTime})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.Write(body); err != nil {
			b.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkOpen10k opens an archive of 10,000 entries: the central
// directory is parsed and every check runs; no entry is read.
func BenchmarkOpen10k(b *testing.B) {
	data := syntheticPackage(b, 10_000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Open(bytes.NewReader(data), int64(len(data)), Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkZipNewReader10k is the archive/zip baseline for
// BenchmarkOpen10k: parsing the same directory without any checks.
func BenchmarkZipNewReader10k(b *testing.B) {
	data := syntheticPackage(b, 10_000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRead compares reading a 4 MiB deflated entry through the
// checked reader with archive/zip's own.
func BenchmarkRead(b *testing.B) {
	text := randomBytes(3, 4<<20)
	for i, c := range text {
		const letters = "abcdefghij klmnopqrstuvwxyz\n"
		text[i] = letters[int(c)%len(letters)] // text-like, about 2:1
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("big.txt")
	_, _ = w.Write(text)
	_ = zw.Close()
	data := buf.Bytes()
	b.Run("checked", func(b *testing.B) {
		a, err := Open(bytes.NewReader(data), int64(len(data)), Limits{})
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			f, err := a.Open("big.txt")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, f); err != nil {
				b.Fatal(err)
			}
			_ = f.Close()
		}
	})
	b.Run("archive-zip", func(b *testing.B) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			f, err := zr.File[0].Open()
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, f); err != nil {
				b.Fatal(err)
			}
			_ = f.Close()
		}
	})
}
