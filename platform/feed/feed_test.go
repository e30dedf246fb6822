package feed_test

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/metaacademy/ota/asset"
	docschema "github.com/metaacademy/ota/docs/schema"
	"github.com/metaacademy/ota/internal/schemagen"
	"github.com/metaacademy/ota/platform/feed"
)

func digest(i int) string { return fmt.Sprintf("sha256:%064x", i+1) }

// sample returns a feed of n entries, every fifth a tombstone.
func sample(n int) *feed.Feed {
	f := &feed.Feed{
		Publisher: feed.Publisher{Name: "INSEE", ID: "https://www.insee.fr", URL: "https://training.insee.fr/"},
		Keys:      []feed.Key{{ID: "k1", PublicKey: "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="}},
	}
	for i := range n {
		id := fmt.Sprintf("https://training.insee.fr/assets/%03d", i)
		mod := fmt.Sprintf("2024-%02d-%02d", i%12+1, i%28+1)
		if i%5 == 4 {
			f.Entries = append(f.Entries, feed.Entry{ID: id, Deleted: true, Modified: mod + "T10:00:00Z"})
			continue
		}
		f.Entries = append(f.Entries, feed.Entry{
			ID: id, Version: "1.0.0", Kind: asset.KindCourse, Title: asset.LangString{"fr": fmt.Sprintf("Cours %d", i), "en": fmt.Sprintf("Course %d", i)},
			Modified: mod, Digest: digest(i), Page: fmt.Sprintf("assets/%03d.html", i),
			Downloads: []feed.Download{
				{Format: feed.FormatOTA, URL: fmt.Sprintf("downloads/%03d.ota", i), MediaType: "application/vnd.ota.bundle+zip", Size: 1234, SHA256: strings.TrimPrefix(digest(i), "sha256:")},
				{Format: feed.FormatSCORM12, URL: fmt.Sprintf("downloads/%03d-scorm12.zip", i), MediaType: "application/zip"},
			},
		})
	}
	return f
}

func name(n int) string {
	if n == 1 {
		return "feed.json"
	}
	return fmt.Sprintf("feed-%d.json", n)
}

func TestPagesRoundTrip(t *testing.T) {
	f := sample(23)
	pages, err := f.Pages(10, name)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 3 {
		t.Fatalf("%d pages, want 3", len(pages))
	}
	var all []feed.Entry
	for i, p := range pages {
		var buf bytes.Buffer
		if err := p.Encode(&buf); err != nil {
			t.Fatal(err)
		}
		got, err := feed.Read(&buf, feed.ReadOptions{})
		if err != nil {
			t.Fatalf("page %d: %v\n%s", i+1, err, buf.Bytes())
		}
		if !reflect.DeepEqual(*got, p) {
			t.Fatalf("page %d differs after a round trip:\n%+v\n%+v", i+1, *got, p)
		}
		if got.Digest != pages[0].Digest || got.Total != 23 || got.Pages != 3 || got.Number != i+1 {
			t.Errorf("page %d head: %+v", i+1, got)
		}
		all = append(all, got.Entries...)
	}
	if pages[0].Next != "feed-2.json" || pages[1].Prev != "feed.json" || pages[2].Next != "" {
		t.Errorf("links: %q %q %q", pages[0].Next, pages[1].Prev, pages[2].Next)
	}
	if len(all) != 23 {
		t.Fatalf("%d entries over the pages", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i-1].Modified < all[i].Modified[:10] && !strings.HasPrefix(all[i].Modified, all[i-1].Modified) {
			t.Errorf("entry %d (%s) before %d (%s): not newest first", i-1, all[i-1].Modified, i, all[i].Modified)
		}
	}
}

// TestDeterministic: the same entries in another order give the same bytes.
func TestDeterministic(t *testing.T) {
	a, b := sample(30), sample(30)
	for i, j := 0, len(b.Entries)-1; i < j; i, j = i+1, j-1 {
		b.Entries[i], b.Entries[j] = b.Entries[j], b.Entries[i]
	}
	pa, _ := a.Pages(7, name)
	pb, _ := b.Pages(7, name)
	for i := range pa {
		var x, y bytes.Buffer
		_ = pa[i].Encode(&x)
		_ = pb[i].Encode(&y)
		if !bytes.Equal(x.Bytes(), y.Bytes()) {
			t.Fatalf("page %d differs with the entries in another order", i+1)
		}
	}
	c := sample(30)
	c.Entries[3].Version = "1.0.1"
	pc, _ := c.Pages(7, name)
	if pc[0].Digest == pa[0].Digest {
		t.Error("changing one entry does not change the feed digest")
	}
}

func TestUnknownMembersKept(t *testing.T) {
	in := `{"format":"1.3","publisher":{"name":"X","x-logo":"l.png"},"digest":"` + digest(0) + `","total":1,"page":1,"pages":1,
"entries":[{"id":"urn:x:a","digest":"` + digest(1) + `","x-rating":{"stars":5},"downloads":[{"format":"pdf","url":"a.pdf","x-pages":12}]}],"x-future":[1,2]}`
	p, err := feed.Read(strings.NewReader(in), feed.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := p.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"x-logo": "l.png"`, `"x-rating": {`, `"x-pages": 12`, `"x-future": [`, `"format": "1.3"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("written page lacks %s:\n%s", want, buf.String())
		}
	}
}

func TestReadErrors(t *testing.T) {
	valid := func(mod func(m string) string) string {
		return mod(`{"format":"1.0","publisher":{"name":"X"},"digest":"` + digest(0) + `","total":1,"page":1,"pages":1,"entries":[{"id":"urn:x:a","digest":"` + digest(1) + `"}]}`)
	}
	rep := func(old, new string) func(string) string {
		return func(m string) string { return strings.Replace(m, old, new, 1) }
	}
	tests := []struct {
		name, in string
		class    error
		ptr      string
	}{
		{"not JSON", "{", feed.ErrFeed, ""},
		{"array", "[]", feed.ErrFeed, ""},
		{"duplicate key", valid(rep(`"total":1`, `"total":1,"total":2`)), feed.ErrFeed, "/total"},
		{"no format", valid(rep(`"format":"1.0",`, ``)), feed.ErrFeed, "/format"},
		{"major 2", valid(rep(`"1.0"`, `"2.0"`)), feed.ErrVersion, "/format"},
		{"no publisher", valid(rep(`"publisher":{"name":"X"},`, ``)), feed.ErrFeed, "/publisher/name"},
		{"bad digest", valid(rep(`"digest":"sha256:0`, `"digest":"md5:0`)), feed.ErrFeed, "/digest"},
		{"total type", valid(rep(`"total":1`, `"total":"1"`)), feed.ErrFeed, "/total"},
		{"null", valid(rep(`"total":1`, `"total":null`)), feed.ErrFeed, "/total"},
		{"page beyond", valid(rep(`"page":1`, `"page":2`)), feed.ErrFeed, "/pages"},
		{"missing next", valid(rep(`"pages":1`, `"pages":2`)), feed.ErrFeed, "/next"},
		{"relative id", valid(rep(`"urn:x:a"`, `"a"`)), feed.ErrFeed, "/entries/0/id"},
		{"entry without digest", valid(rep(`,"digest":"`+digest(1)+`"`, ``)), feed.ErrFeed, "/entries/0/digest"},
		{"tombstone with digest", valid(rep(`"id":"urn:x:a"`, `"id":"urn:x:a","deleted":true`)), feed.ErrFeed, "/entries/0"},
		{"bad date", valid(rep(`"id":"urn:x:a"`, `"id":"urn:x:a","modified":"yesterday"`)), feed.ErrFeed, "/entries/0/modified"},
		{"bad kind", valid(rep(`"id":"urn:x:a"`, `"id":"urn:x:a","kind":"webinar"`)), feed.ErrFeed, "/entries/0/kind"},
		{"bad title tag", valid(rep(`"id":"urn:x:a"`, `"id":"urn:x:a","title":{"english!":"x"}`)), feed.ErrFeed, "/entries/0/title"},
		{"duplicate entry", valid(func(m string) string {
			return strings.Replace(rep(`}]}`, `},{"id":"urn:x:a","digest":"`+digest(2)+`"}]}`)(m), `"total":1`, `"total":2`, 1)
		}), feed.ErrFeed, "/entries/1/id"},
		{"download without url", valid(rep(`"id":"urn:x:a"`, `"id":"urn:x:a","downloads":[{"format":"ota"}]`)), feed.ErrFeed, "/entries/0/downloads/0/url"},
		{"download format twice", valid(rep(`"id":"urn:x:a"`, `"id":"urn:x:a","downloads":[{"format":"cmi5","url":"a"},{"format":"cmi5","url":"b"}]`)), feed.ErrFeed, "/entries/0/downloads/1/format"},
		{"ota digest differs", valid(rep(`"id":"urn:x:a"`, `"id":"urn:x:a","downloads":[{"format":"ota","url":"a","sha256":"`+strings.TrimPrefix(digest(7), "sha256:")+`"}]`)), feed.ErrFeed, "/entries/0/downloads/0/sha256"},
		{"url with space", valid(rep(`"id":"urn:x:a"`, `"id":"urn:x:a","page":"a b.html"`)), feed.ErrFeed, "/entries/0/page"},
		{"bad key", valid(rep(`"entries"`, `"keys":[{"id":"k","publicKey":"AAAA"}],"entries"`)), feed.ErrFeed, "/keys/0/publicKey"},
		{"too deep", valid(rep(`"entries"`, `"x":`+strings.Repeat("[", 40)+strings.Repeat("]", 40)+`,"entries"`)), feed.ErrFeed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := feed.Read(strings.NewReader(tt.in), feed.ReadOptions{})
			var fe *feed.Error
			if !errors.As(err, &fe) || !errors.Is(err, tt.class) {
				t.Fatalf("got %v, want a *feed.Error of class %v", err, tt.class)
			}
			if tt.ptr != "" && fe.Pointer != tt.ptr {
				t.Errorf("pointer %q, want %q (%v)", fe.Pointer, tt.ptr, err)
			}
		})
	}
}

func TestReadLimits(t *testing.T) {
	pages, _ := sample(50).Pages(50, name)
	var buf bytes.Buffer
	_ = pages[0].Encode(&buf)
	data := buf.Bytes()
	if _, err := feed.Read(bytes.NewReader(data), feed.ReadOptions{MaxBytes: int64(len(data) - 1)}); !errors.Is(err, feed.ErrTooLarge) {
		t.Errorf("a page one byte over MaxBytes: %v", err)
	}
	if _, err := feed.Read(bytes.NewReader(data), feed.ReadOptions{MaxEntries: 49}); !errors.Is(err, feed.ErrTooLarge) {
		t.Errorf("50 entries with MaxEntries 49: %v", err)
	}
	if _, err := feed.Read(bytes.NewReader(data), feed.ReadOptions{MaxBytes: int64(len(data)), MaxEntries: 50}); err != nil {
		t.Errorf("at the limits: %v", err)
	}
}

// TestSchemaUpToDate fails when the schema Schema hands out (the committed
// one) differs from the one generated from the Go types.
func TestSchemaUpToDate(t *testing.T) {
	want, err := schemagen.Feed()
	if err != nil {
		t.Fatal(err)
	}
	got, err := feed.Schema()
	if err != nil || !bytes.Equal(got, want) {
		t.Fatal("docs/schema/feed.schema.json is out of date; run go generate ./... and commit the result")
	}
}

// TestPagesValidateAgainstSchema checks written pages against the
// published JSON Schema with an independent validator, and that the
// schema rejects a broken page.
func TestPagesValidateAgainstSchema(t *testing.T) {
	raw, _ := docschema.Get("feed")
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(feed.SchemaURI, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(feed.SchemaURI)
	if err != nil {
		t.Fatal(err)
	}
	pages, _ := sample(12).Pages(5, name)
	for i, p := range pages {
		var buf bytes.Buffer
		_ = p.Encode(&buf)
		inst, _ := jsonschema.UnmarshalJSON(&buf)
		if err := s.Validate(inst); err != nil {
			t.Errorf("page %d: %v", i+1, err)
		}
	}
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"format":"1.0","publisher":{"name":"X"},"digest":"nope","total":1,"page":1,"pages":1,"entries":[]}`))
	if s.Validate(bad) == nil {
		t.Error("the schema accepts a page whose digest is not a digest")
	}
}

// TestWritePagesListingsDiffer: a feed whose entries change between
// WritePages' two listings is an error, whether an entry is added or gone.
func TestWritePagesListingsDiffer(t *testing.T) {
	f := sample(7)
	f.Sort()
	for _, tc := range []struct {
		name   string
		second []feed.Entry
	}{
		{"one more", append(f.Entries[:len(f.Entries):len(f.Entries)], feed.Entry{ID: "urn:x:late", Deleted: true})},
		{"one fewer", f.Entries[1:]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := 0
			each := func(fn func(feed.Entry) error) error {
				calls++
				list := f.Entries
				if calls == 2 {
					list = tc.second
				}
				for _, e := range list {
					if err := fn(e); err != nil {
						return err
					}
				}
				return nil
			}
			err := f.WritePages(3, name, each, func(*feed.Page) error { return nil })
			if err == nil || !strings.Contains(err.Error(), "changed between the two listings") {
				t.Errorf("error %v, want the listings refused", err)
			}
		})
	}
}
