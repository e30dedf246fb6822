package store

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseQuery(t *testing.T) {
	cases := []struct {
		text    string
		terms   []string // Term.String of each
		filters Filters
		err     string
	}{
		{text: "", terms: nil},
		{text: "Seasonal  ADJUSTMENT", terms: []string{"seasonal", "adjustment"}},
		{text: `"open data" -survey stat*`, terms: []string{`"open data"`, "-survey", "stat*"}},
		{text: `-"big data" données`, terms: []string{`-"big data"`, "donnees"}},
		{text: "e-learning", terms: []string{`"e learning"`}},
		{text: "lang:fr-CA level:basic kind:course publisher:ine-es licence:CC-BY-4.0 census", terms: []string{"census"},
			filters: Filters{Language: "fr-CA", Level: "basic", Kind: "course", Source: "ine-es", License: "CC-BY-4.0"}},
		{text: "node:gsbpm/5.3", filters: Filters{Framework: "gsbpm", Node: "5.3"}},
		{text: "framework:digcomp", filters: Filters{Framework: "digcomp"}},
		{text: "http://x.example", terms: []string{`"http x example"`}}, // not a known field: words
		{text: "-x", err: "every term is excluded"},
		{text: `"open`, err: "not closed"},
		{text: "node:gsbpm", err: "node:FRAMEWORK/CODE"},
		{text: "lang:", err: "has no value"},
		{text: strings.Repeat("a ", 30), err: "more than 24 terms"},
		{text: strings.Repeat("a", MaxQueryBytes+1), err: "longer than"},
		{text: "\xff", err: "UTF-8"},
		{text: "*** --- \"\"", terms: nil},
	}
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			terms, f, err := ParseQuery(c.text, Filters{})
			if c.err != "" {
				var qe *QueryError
				if !errors.As(err, &qe) || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.err) {
					t.Errorf("ParseQuery: %v, want a QueryError with %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, term := range terms {
				got = append(got, term.String())
			}
			if !slices.Equal(got, c.terms) || f != c.filters {
				t.Errorf("ParseQuery = %q %+v, want %q %+v", got, f, c.terms, c.filters)
			}
		})
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Désaisonnalisation": "desaisonnalisation",
		"ÇA, c'est ÉTÉ!":     "ca c est ete",
		"Straße":             "straße",
		"Ελληνικά":           "ελληνικα",
		"  x--y  ":           "x y",
		"統計データ":              "統計データ",
		"e\u0301":            "e",
		"हिन्दी":             "हिन्दी",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"seasonal adjustment", `"open data" -x stat*`, "lang:fr node:gsbpm/5.3 x", `-"a b"* c`, "é*", "\"\"", "a:b:c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		terms, filters, err := ParseQuery(text, Filters{})
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error not ErrInvalid: %v", err)
			}
			return
		}
		q := Query{Terms: terms, Filters: filters}
		if err := q.Normalize(); err != nil && !strings.Contains(err.Error(), "a node filter needs its framework") {
			t.Fatalf("ParseQuery(%q) gave a query Normalize refuses: %v", text, err)
		}
		for _, term := range terms {
			for _, w := range term.Words {
				if w == "" || Fold(w) != w || !utf8.ValidString(w) || strings.ContainsAny(w, "\"'*() :") {
					t.Fatalf("ParseQuery(%q): word %q is not a plain folded word", text, w)
				}
			}
		}
		// Writing the terms back and parsing them again gives the same.
		var parts []string
		for _, term := range terms {
			parts = append(parts, term.String())
		}
		again, _, err := ParseQuery(strings.Join(parts, " "), Filters{})
		if err != nil || len(again) != len(terms) {
			t.Fatalf("round trip of %q via %q: %v %v", text, parts, again, err)
		}
	})
}

func FuzzPrepare(f *testing.F) {
	f.Add([]byte(`{"ota":"1.0","id":"urn:x:a","kind":"course","title":{"en":"Seasonal adjustment","fr":"Désaisonnalisation"},"languages":["fr-CA"],
		"alignments":[{"framework":"gsbpm","code":"5.3"},{"framework":"digcomp","code":"9.9"}],"relations":[{"type":"isBasedOn","target":"urn:x:b"}],
		"parts":[{"id":"urn:x:c","kind":"lesson","title":{"es":"Ajuste"},"objectives":[{"id":"o","text":{"es":"x"},"alignments":[{"framework":"gamso","code":"1.1"}]}]}]}`))
	f.Add([]byte(`{"ota":"1.0","id":"urn:x:a","kind":"lesson","duration":"PT99999H","title":{"und":"\u0301\u0301"}}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		r := &Record{Provenance: Provenance{Source: "fuzz"}, ID: "urn:x:a", Doc: doc}
		p, err := Prepare(r, nil)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error not ErrInvalid: %v", err)
			}
			return
		}
		if len(p.TitleText) > maxText || len(p.BodyText) > maxText {
			t.Fatalf("text beyond the limit: %d %d", len(p.TitleText), len(p.BodyText))
		}
		if !utf8.ValidString(p.TitleText) || !utf8.ValidString(p.BodyText) {
			t.Fatalf("folded text is not valid UTF-8")
		}
		if Fold(p.TitleText) != p.TitleText {
			t.Fatalf("title text is not folded: %q", p.TitleText)
		}
		if len(p.Terms) > maxTitleTerms+len(p.Nodes) {
			t.Fatalf("%d candidate terms", len(p.Terms))
		}
	})
}
