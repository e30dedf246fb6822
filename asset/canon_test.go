package asset

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestCanonStringMatchesEncodingJSON checks that the canonical writer
// escapes strings exactly as encoding/json does with HTML escaping off.
func TestCanonStringMatchesEncodingJSON(t *testing.T) {
	cases := []string{
		"", "plain", `quote " and \ backslash`, "tab\tnew\nline\rcr\bbs\fff", "\x00\x01\x1f\x7f",
		"<b>&amp;</b>", "été — 統計", "line\u2028para\u2029", "bad \xff\xfe utf-8", "\xed\xa0\x80 surrogate",
		strings.Repeat("é", 100),
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b := make([]byte, r.IntN(12))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		e := &canon{}
		e.str(s)
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if got, want := string(e.b), strings.TrimSuffix(buf.String(), "\n"); got != want {
			t.Fatalf("str(%q) = %s, encoding/json gives %s", s, got, want)
		}
	}
}
