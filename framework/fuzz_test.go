package framework

import (
	"bytes"
	"testing"

	"github.com/metaacademy/ota/internal/fuzzseed"
)

// FuzzRead checks that Read never panics, returns a framework or an error
// (never both), and that a framework read without errors is written by
// Write, reads back without errors and is written again as the same
// bytes: unknown members included.
func FuzzRead(f *testing.F) {
	fuzzseed.Files(f, "../mapping/data/*.json", "casepkg/testdata/*.framework.json")
	f.Add([]byte(`{"id":"https://example.org/f","title":{"en":"F"},"version":"1","nodes":[{"code":"1","kind":"area","title":{"en":"A"},"x-extra":[1,{"b":null}]}],"other":true}`))
	f.Add([]byte(`{"id":"https://example.org/f","nodes":[{"code":"1","parent":"1"}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fw, rep, err := Read(bytes.NewReader(data), ReadOptions{MaxBytes: 1 << 20})
		if err != nil {
			if fw != nil {
				t.Fatalf("Read returned a framework with the error %v", err)
			}
			return
		}
		if fw == nil {
			t.Fatal("Read returned neither a framework nor an error")
		}
		if rep.HasErrors() {
			return
		}
		var first bytes.Buffer
		if err := Write(&first, fw); err != nil {
			t.Fatalf("Write of a framework read without errors failed: %v", err)
		}
		again, rep2, err := Read(bytes.NewReader(first.Bytes()), ReadOptions{})
		if err != nil {
			t.Fatalf("Write output does not read back: %v\n%s", err, first.Bytes())
		}
		if rep2.HasErrors() {
			t.Fatalf("Write output reads back with errors: %v\n%s", rep2.Errors(), first.Bytes())
		}
		var second bytes.Buffer
		if err := Write(&second, again); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("Write is not stable across a round trip:\n%s\n---\n%s", first.Bytes(), second.Bytes())
		}
	})
}
