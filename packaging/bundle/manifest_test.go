package bundle

import (
	"errors"
	"os"
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
