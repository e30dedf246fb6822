package iri

import "testing"

func TestCheckAbsolute(t *testing.T) {
	valid := []string{
		"https://example.org/course/1",
		"urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
		"http://id.example/a?b=c#d",
		"urn:isbn:0451450523",
		"mailto:someone@example.org",
		"https://example.org/cours/%C3%A9t%C3%A9",
		"https://example.org/cours/été",
		"tag:example.org,2024:course-1",
		"https://user@example.org:8080/x",
	}
	for _, s := range valid {
		t.Run(s, func(t *testing.T) {
			if err := CheckAbsolute(s); err != nil {
				t.Fatalf("CheckAbsolute(%q) = %v, want nil", s, err)
			}
		})
	}
	invalid := []string{
		"", "course-1", "/relative/path", ":nothing", "1http://x", "https:", "https:/x", "https://",
		"https://exa mple.org", "https://example.org/<x>", "https://example.org/%zz", "https://example.org/%4",
		"urn:uuid:not-a-uuid", "urn:uuid:6ba7b8109dad11d180b400c04fd430c8", "https://example.org/\x01", "https://\xff",
		"ht tp://x", "https://example.org/a\\b", "http://@/x",
	}
	for _, s := range invalid {
		t.Run("invalid/"+s, func(t *testing.T) {
			if err := CheckAbsolute(s); err == nil {
				t.Fatalf("CheckAbsolute(%q) = nil, want an error", s)
			}
		})
	}
}

func TestHasScheme(t *testing.T) {
	for s, want := range map[string]bool{"https://x": true, "urn:x": true, "c:": true, "x": false, "1a:b": false, ":a": false} {
		if got := HasScheme(s); got != want {
			t.Errorf("HasScheme(%q) = %v, want %v", s, got, want)
		}
	}
}
