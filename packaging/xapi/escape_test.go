package xapi

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestStringEscapesLikeAsset: statements escape strings as asset documents
// do; \b and \f were written as \u0008 and \u000c before.
func TestStringEscapesLikeAsset(t *testing.T) {
	v := NewVerb("http://example.org/verb")
	v.Display = LanguageMap{"en": "a\bb\fc\u2028"}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if want := `"a\bb\fc\u2028"`; !strings.Contains(string(b), want) {
		t.Errorf("got %s, want it to hold %s", b, want)
	}
}
