package archive

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/metaacademy/ota/internal/fuzzseed"
)

// fuzzOptions keep every read small, so the total can be checked.
var fuzzOptions = Limits{MaxEntries: 1000, MaxTotalSize: 1 << 20, MaxEntrySize: 256 << 10}

// FuzzOpen feeds arbitrary bytes to Open: it must never panic, every
// error must be typed, accepted names must be clean, and reading every
// file must end in data or an error, never more than MaxTotalSize bytes in
// all.
func FuzzOpen(f *testing.F) {
	fuzzseed.Files(f, filepath.Join("testdata", "*.zip"))
	for _, tc := range corpus() {
		if !tc.big {
			f.Add(tc.build(f))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Open(bytes.NewReader(data), int64(len(data)), fuzzOptions)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			return
		}
		if err := a.CheckData(context.Background()); err != nil {
			var ce *CheckError
			if !errors.As(err, &ce) {
				t.Fatalf("CheckData: untyped error %T: %v", err, err)
			}
		}
		for _, e := range append(a.Entries(), a.Skipped()...) {
			if e.Name != "" && !fs.ValidPath(e.Name) || strings.ContainsAny(e.Name, "\\:\x00") {
				t.Fatalf("accepted name %q (raw %q)", e.Name, e.RawName)
			}
		}
		var total int64
		err = fs.WalkDir(a, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				t.Fatalf("walking a checked tree: %v", err)
			}
			if d.IsDir() {
				return nil
			}
			file, err := a.Open(p)
			if err != nil {
				t.Fatalf("opening listed file %q: %v", p, err)
			}
			defer file.Close()
			n, _ := io.Copy(io.Discard, file)
			total += n
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if total > fuzzOptions.MaxTotalSize {
			t.Fatalf("read %d bytes; MaxTotalSize is %d", total, fuzzOptions.MaxTotalSize)
		}
		_, _ = a.FindFile("imsmanifest.xml")
		_, _ = a.Lookup("IMSMANIFEST.XML")
	})
}
