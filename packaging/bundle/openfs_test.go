package bundle

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/metaacademy/ota/packaging/archive"
)

func TestOpenUnpacked(t *testing.T) {
	data := writeTestBundle(t)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "unpacked")
	if err := os.CopyFS(dir, zr); err != nil {
		t.Fatal(err)
	}
	b, rep, err := OpenFile(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if rep.HasErrors() || b.Asset() == nil {
		t.Fatalf("report %v, asset %v", rep.Issues, b.Asset())
	}
	if got := b.Verify(context.Background()); len(got.Issues) != 0 {
		t.Errorf("an unpacked sound bundle verifies with %v", got.Issues)
	}

	t.Run("no mimetype", func(t *testing.T) {
		_, _, err := OpenFS(fstest.MapFS{"manifest.json": {Data: []byte("{}")}}, Options{})
		if !errors.Is(err, ErrNotBundle) {
			t.Errorf("got %v, want ErrNotBundle", err)
		}
	})
	t.Run("archive limits", func(t *testing.T) {
		_, _, err := OpenFS(zr, Options{Limits: archive.Limits{MaxEntries: 2}})
		if !errors.Is(err, archive.ErrTooManyEntries) {
			t.Errorf("got %v, want archive.ErrTooManyEntries", err)
		}
	})
}
