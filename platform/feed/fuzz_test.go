package feed_test

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/metaacademy/ota/platform/feed"
)

// FuzzRead: Read returns a *feed.Error or a page that writes and reads
// back to the same page.
func FuzzRead(f *testing.F) {
	pages, _ := sample(12).Pages(5, name)
	for _, p := range pages {
		var buf bytes.Buffer
		_ = p.Encode(&buf)
		f.Add(buf.Bytes())
	}
	f.Add([]byte(`{"format":"1.0","publisher":{"name":"X","x":1},"digest":"sha256:` + string(bytes.Repeat([]byte("0"), 64)) + `","total":0,"page":1,"pages":1,"entries":[],"y":[null]}`))
	f.Add([]byte(`{"format":"1.0","format":"2.0"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := feed.Read(bytes.NewReader(data), feed.ReadOptions{MaxBytes: 1 << 20, MaxEntries: 100})
		if err != nil {
			var fe *feed.Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *feed.Error", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := p.Encode(&buf); err != nil {
			t.Fatalf("a page Read accepted does not encode: %v", err)
		}
		q, err := feed.Read(&buf, feed.ReadOptions{MaxBytes: 4 << 20, MaxEntries: 100})
		if err != nil {
			t.Fatalf("a page Read accepted does not read back: %v\n%s", err, buf.Bytes())
		}
		if !reflect.DeepEqual(p, q) {
			t.Fatalf("round trip changed the page:\n%+v\n%+v", p, q)
		}
	})
}
