package casepkg

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/metaacademy/ota/internal/fuzzseed"
)

// FuzzReadCASE checks that Read never panics, and that whatever it reads
// into a framework that passes Check is written by Write, reads back
// into the same framework, and is written again as the same bytes.
func FuzzReadCASE(f *testing.F) {
	fuzzseed.Files(f, "testdata/case/*.json", "testdata/case/invalid/*.json")
	f.Add([]byte(`{"CFDocument":{"identifier":"x","uri":"urn:x","creator":"c","title":"t","lastChangeDateTime":"2024-01-01T00:00:00Z"},"CFItems":[{"identifier":"i","uri":"urn:i","fullStatement":"s","lastChangeDateTime":"2024-01-01T00:00:00Z"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fw, _, err := Read(bytes.NewReader(data), ReadOptions{MaxBytes: 1 << 20})
		if err != nil {
			if fw != nil {
				t.Fatalf("Read returned a framework with the error %v", err)
			}
			return
		}
		if fw == nil {
			t.Fatal("Read returned neither a framework nor an error")
		}
		if fw.Check().HasErrors() {
			return
		}
		var out bytes.Buffer
		if _, err := Write(&out, fw); err != nil {
			t.Fatalf("Write of a framework that passes Check failed: %v", err)
		}
		again, rep, err := Read(bytes.NewReader(out.Bytes()), ReadOptions{})
		if err != nil {
			t.Fatalf("Write output does not read back: %v\n%s", err, out.Bytes())
		}
		if rep.HasErrors() {
			t.Fatalf("Write output reads back with errors: %v\n%s", rep.Errors(), out.Bytes())
		}
		a, _ := json.Marshal(fw)
		b, _ := json.Marshal(again)
		if !bytes.Equal(a, b) {
			t.Fatalf("framework changed in a CASE round trip:\nbefore %s\nafter  %s", a, b)
		}
		var out2 bytes.Buffer
		if _, err := Write(&out2, again); err != nil {
			t.Fatalf("second Write failed: %v", err)
		}
		if !bytes.Equal(out.Bytes(), out2.Bytes()) {
			t.Fatalf("Write is not stable:\n%s\n---\n%s", out.Bytes(), out2.Bytes())
		}
	})
}
