package asset

import (
	"bytes"
	"testing"

	"github.com/metaacademy/ota/internal/fuzzseed"
)

// FuzzRead feeds arbitrary bytes to the document reader. Properties: no
// panic on any input; validation of whatever was decoded does not panic;
// what was decoded writes out, and the written form reads back to the same
// canonical bytes (writing is a fixed point).
func FuzzRead(f *testing.F) {
	fuzzseed.Files(f, "testdata/valid/*.json", "testdata/invalid/*.json", "testdata/golden/*.json")
	f.Add([]byte(`{"ota":"1.0","id":"urn:x","kind":"course","title":{"en":"t"},"parts":[{"duration":"PT1H"}]}`))
	f.Add([]byte("\xEF\xBB\xBF{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, _, err := Unmarshal(data, ReadOptions{MaxBytes: 1 << 20, Validate: true})
		if err != nil {
			return
		}
		first, err := Marshal(doc)
		if err != nil {
			// Only unknown members or extensions can fail to encode, and
			// they were read as valid JSON, so this is a bug.
			t.Fatalf("Marshal of a decoded document failed: %v", err)
		}
		again, _, err := Unmarshal(first, ReadOptions{})
		if err != nil {
			t.Fatalf("canonical output does not read back: %v\n%s", err, first)
		}
		second, err := Marshal(again)
		if err != nil {
			t.Fatalf("second Marshal failed: %v", err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("canonical output is not a fixed point:\n%s\n---\n%s", first, second)
		}
	})
}
