package scorm

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAppendParameters(t *testing.T) {
	tests := []struct{ name, launch, params, want string }{
		{"none", "a.html", "", "a.html"},
		{"question mark", "a.html", "?x=1", "a.html?x=1"},
		{"ampersand", "a.html", "&x=1", "a.html?x=1"},
		{"bare", "a.html", "x=1", "a.html?x=1"},
		{"existing query", "a.html?c=p", "?x=1", "a.html?c=p&x=1"},
		{"existing query ampersand", "a.html?c=p", "&x=1", "a.html?c=p&x=1"},
		{"query ends with ?", "a.html?", "x=1", "a.html?x=1"},
		{"fragment params", "a.html?c=p", "#part2", "a.html?c=p#part2"},
		{"fragment replaced", "a.html#old", "#new", "a.html#new"},
		{"query before fragment", "a.html#top", "?x=1", "a.html?x=1#top"},
		{"params with fragment", "a.html", "?x=1#f", "a.html?x=1#f"},
		{"spaces trimmed", "a.html", "  ?x=1 ", "a.html?x=1"},
		{"only marker", "a.html", "?", "a.html"},
		{"absolute", "https://cdn.example/a.html?k=v", "x=1", "https://cdn.example/a.html?k=v&x=1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, AppendParameters(tc.launch, tc.params))
		})
	}
}

func TestResolveChain(t *testing.T) {
	tests := []struct {
		name, ref string
		bases     []string
		want      string
	}{
		{"no base", "a/b.html", nil, "a/b.html"},
		{"empty bases", "a/b.html", []string{"", "", ""}, "a/b.html"},
		{"manifest base", "b.html", []string{"course/", "", ""}, "course/b.html"},
		{"chain", "index.html", []string{"course/", "sco1/", "pages/"}, "course/sco1/pages/index.html"},
		{"base without slash drops segment", "b.html", []string{"course/x", "", ""}, "course/b.html"},
		{"dot segments", "../shared/s.js", []string{"course/", "sco1/", ""}, "course/shared/s.js"},
		{"climbing out kept", "../../x.html", []string{"a/", "", ""}, "../x.html"},
		{"query kept", "launch.html?content=x", []string{"c/", "", ""}, "c/launch.html?content=x"},
		{"absolute ref", "https://example.org/x.html", []string{"c/", "", ""}, "https://example.org/x.html"},
		{"absolute base", "x.html", []string{"https://cdn.example/pkg/", "r/", ""}, "https://cdn.example/pkg/r/x.html"},
		{"dot base", "x.html", []string{"./", "", ""}, "x.html"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, resolveChain(tc.ref, tc.bases...))
		})
	}
}

func TestVersionFromSchema(t *testing.T) {
	tests := map[string]Version{
		"1.2": Version12, " 2004 3rd Edition ": Version2004Ed3, "2004 4th edition": Version2004Ed4,
		"CAM 1.3": Version2004Ed2, "2004 2nd Edition": Version2004Ed2, "2004  4th   Edition": Version2004Ed4,
		"": VersionUnknown, "1.1": VersionUnknown,
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) { assert.Equal(t, want, versionFromSchema(in)) })
	}
}
