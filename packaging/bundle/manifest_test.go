package bundle

import (
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestParseManifestInvalid(t *testing.T) {
	tests := []struct {
		file string
		want error
	}{
		{"invalid/duplicate-path.json", ErrManifest},
		{"invalid/major-2.json", ErrFormatVersion},
		{"invalid/dot-dot.json", ErrManifest},
		{"invalid/asset-not-listed.json", ErrManifest},
		{"schema-invalid/negative-size.json", ErrManifest},
		{"schema-invalid/uppercase-digest.json", ErrManifest},
		{"schema-invalid/no-assets.json", ErrManifest},
		{"schema-invalid/outside-content.json", ErrManifest},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile("testdata/manifest/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ParseManifest(data); !errors.Is(err, tc.want) {
				t.Fatalf("ParseManifest: %v, want %v", err, tc.want)
			}
		})
	}
}

func TestCheckFormat(t *testing.T) {
	tests := []struct {
		v    string
		want error
	}{
		{"1.0", nil}, {"1.12", nil}, {"01.0", nil},
		{"2.0", ErrFormatVersion}, {"0.9", ErrFormatVersion},
		{"1", ErrManifest}, {"", ErrManifest}, {"1.x", ErrManifest}, {"1.0.0", ErrManifest}, {"-1.0", ErrManifest},
	}
	for _, tc := range tests {
		t.Run(tc.v, func(t *testing.T) {
			err := checkFormat(tc.v)
			if tc.want == nil && err != nil || !errors.Is(err, tc.want) {
				t.Fatalf("checkFormat(%q) = %v, want %v", tc.v, err, tc.want)
			}
		})
	}
}

// TestPatternChecks holds the hand-written checks to the schema patterns
// they replace.
func TestPatternChecks(t *testing.T) {
	hex := regexp.MustCompile(`^[0-9a-f]{64}$`)
	mt := regexp.MustCompile(`^[^/; ]+/[^/; ]+`)
	digest := strings.Repeat("0123456789abcdef", 4)
	for _, s := range []string{
		"", "/", "a/", "/b", "a/b", "text/html", "text/html; charset=utf-8", "text/ html", "te xt/html", "a;b/c",
		"a//b", "a/b/c", "é/ü", "\xff/\xfe", "a/\n", "\n/\n", "a/;", "application/vnd.ota.asset+json",
		digest, digest[:63], digest + "0", strings.ToUpper(digest), digest[:63] + "g", digest[:63] + "é"[:1],
	} {
		t.Run(s, func(t *testing.T) {
			if got, want := isHexDigest(s), hex.MatchString(s); got != want {
				t.Errorf("isHexDigest(%q) = %v, the pattern says %v", s, got, want)
			}
			if got, want := hasMediaTypeStart(s), mt.MatchString(s); got != want {
				t.Errorf("hasMediaTypeStart(%q) = %v, the pattern says %v", s, got, want)
			}
		})
	}
}

// Regression (issue 13): the errors of the bundle package kept only the
// text of their cause ("%w: %v"); the cause itself must stay reachable.
func TestParseManifestKeepsCause(t *testing.T) {
	_, err := ParseManifest([]byte(`{"format": `))
	if !errors.Is(err, ErrManifest) {
		t.Fatalf("error %v does not wrap ErrManifest", err)
	}
	var syntax *json.SyntaxError
	if !errors.As(err, &syntax) {
		t.Fatalf("error %v does not keep its *json.SyntaxError cause", err)
	}
}
