package archive

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckNameAccepts(t *testing.T) {
	tests := []struct {
		raw, clean string
		isDir      bool
		opts       Limits
	}{
		{raw: "index.html", clean: "index.html"},
		{raw: "a/b/c.js", clean: "a/b/c.js"},
		{raw: "a/", clean: "a", isDir: true},
		{raw: "./a//b/./c", clean: "a/b/c"},
		{raw: "./", clean: "", isDir: true},
		{raw: "SCORM deneme 3.html", clean: "SCORM deneme 3.html"},
		{raw: "Four%20Vs_updated.png", clean: "Four%20Vs_updated.png"},
		{raw: "..hidden/.x", clean: "..hidden/.x"},
		{raw: "a..b", clean: "a..b"},
		{raw: "日本語/ファイル.html", clean: "日本語/ファイル.html"},
		{raw: `a\b`, clean: "a/b", opts: Limits{AllowBackslashes: true}},
		{raw: strings.Repeat("d/", 63) + "f", clean: strings.Repeat("d/", 63) + "f"},
		{raw: strings.Repeat("x", 255), clean: strings.Repeat("x", 255)},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			c := &collector{}
			got, ok := checkName(c, 0, tt.raw, true, tt.opts.resolve())
			require.True(t, ok, "%v", c.err())
			assert.Equal(t, tt.clean, got.clean)
			assert.Equal(t, tt.isDir, got.isDir)
		})
	}
}

func TestCheckNameRejects(t *testing.T) {
	tests := []struct {
		raw  string
		want []error
		opts Limits
	}{
		{raw: "..", want: []error{ErrPathEscape}},
		{raw: "a/..", want: []error{ErrPathEscape}},
		{raw: "a/../b", want: []error{ErrPathEscape}},
		{raw: "...", want: []error{ErrPathEscape}},
		{raw: "a/. ./b", want: []error{ErrBadName}},
		{raw: "a/ ../b", want: []error{ErrPathEscape}},
		{raw: `..\..\x`, want: []error{ErrPathEscape, ErrBackslash}},
		{raw: "/", want: []error{ErrAbsolutePath}},
		{raw: "/a", want: []error{ErrAbsolutePath}},
		{raw: `\a`, want: []error{ErrAbsolutePath, ErrBackslash}},
		{raw: `\a`, want: []error{ErrAbsolutePath}, opts: Limits{AllowBackslashes: true}},
		{raw: "//host/share", want: []error{ErrAbsolutePath}},
		{raw: "c:", want: []error{ErrAbsolutePath}},
		{raw: "Z:/a", want: []error{ErrAbsolutePath}},
		{raw: "1:/a", want: []error{ErrBadName}},
		{raw: "a:b", want: []error{ErrAbsolutePath}},
		{raw: "ab:c", want: []error{ErrBadName}},
		{raw: "", want: []error{ErrBadName}},
		{raw: ".", want: []error{ErrBadName}},
		{raw: "a\x00b", want: []error{ErrBadName}},
		{raw: "a\nb", want: []error{ErrBadName}},
		{raw: "a\u0085b", want: []error{ErrBadName}},
		{raw: "a\x7fb", want: []error{ErrBadName}},
		{raw: "a.", want: []error{ErrBadName}},
		{raw: "a /b", want: []error{ErrBadName}},
		{raw: "x\xff", want: []error{ErrBadName}},
		{raw: strings.Repeat("x", 256), want: []error{ErrNameTooLong}},
		{raw: strings.Repeat("abc/", 300), want: []error{ErrNameTooLong, ErrTooDeep}},
		{raw: "a/b/c", want: []error{ErrTooDeep}, opts: Limits{MaxDepth: 2}},
		{raw: "abcdef", want: []error{ErrNameTooLong}, opts: Limits{MaxNameLength: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			c := &collector{}
			_, ok := checkName(c, 7, tt.raw, true, tt.opts.resolve())
			require.False(t, ok)
			err := c.err()
			for _, want := range tt.want {
				assert.ErrorIs(t, err, want)
			}
			for _, p := range c.problems {
				assert.Equal(t, 7, p.Index)
				assert.Equal(t, tt.raw, p.Name)
			}
		})
	}
}

func TestCheckNameLegacy(t *testing.T) {
	tests := []struct {
		raw, clean string
	}{
		{raw: "\x82t\x82.html", clean: "été.html"},
		{raw: "\x9a/\x81", clean: "Ü/ü"},
		{raw: "a\xff", clean: "a\u00a0"},
	}
	for _, tt := range tests {
		t.Run(tt.clean, func(t *testing.T) {
			c := &collector{}
			got, ok := checkName(c, 0, tt.raw, false, Limits{}.resolve())
			require.True(t, ok, "%v", c.err())
			assert.Equal(t, tt.clean, got.clean)
			assert.True(t, got.legacy)
		})
	}
}

func TestCP437NeverMakesSeparators(t *testing.T) {
	for b := 0x80; b <= 0xff; b++ {
		s := decodeCP437(string([]byte{byte(b)}))
		assert.NotContains(t, []string{"/", `\`, ".", ":", ""}, s, "byte %#x", b)
		assert.False(t, strings.ContainsAny(s, `/\.:`), "byte %#x", b)
	}
	assert.Equal(t, "plain ASCII/../x", decodeCP437("plain ASCII/../x"))
}

func TestFoldKey(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"a.html", "A.HTML", true},
		{"Images/Logo.png", "images/logo.PNG", true},
		{"k", "\u212a", true},        // Kelvin sign
		{"s", "\u017f", true},        // long s
		{"straße", "STRASSE", false}, // full folding is not what file systems do
		{"σ", "ς", true},             // final sigma
		{"é", "e\u0301", false},      // normalisation is not covered
		{"a.html", "a.htm", false},
		{"Übung", "üBUNG", true},
		{"ǅ", "ǆ", true},  // title case
		{"İ", "i", false}, // Turkish dotted capital I has no simple fold to i
		{"file", "FILE", true},
		{"日本", "日本", true},
		{"x/y", "X/Y", true},
		{"x/y", "x-y", false},
		{"\u0130", "\u0130", true},
		{"ΑΒΓ", "αβγ", true},
		{"Ǳ", "ǳ", true},
		{"ﬀ", "FF", false},    // ligature folds only under full folding
		{"Å", "\u212b", true}, // Angstrom sign
		{"Ω", "\u2126", true}, // Ohm sign
		{"µ", "μ", true},      // micro sign and mu
		{"a", "b", false},
		{"", "", true},
		{"ß", "ẞ", true}, // capital sharp s
		{"ǈ", "Ǉ", true},
		{"Σ", "σ", true},
		{"abc", "ABC", true},
		{"aBc/DeF.HTML", "AbC/dEf.html", true},
	}
	for _, tt := range tests {
		t.Run(tt.a+"|"+tt.b, func(t *testing.T) {
			assert.Equal(t, tt.same, foldKey(tt.a) == foldKey(tt.b))
		})
	}
}

func TestIsJunk(t *testing.T) {
	tests := []struct {
		name string
		junk bool
	}{
		{"__MACOSX/._index.html", true},
		{"__MACOSX", true},
		{"course/__MACOSX/x", true},
		{".DS_Store", true},
		{"a/.ds_store", true},
		{"Thumbs.db", true},
		{"img/thumbs.db", true},
		{"desktop.ini", true},
		{"a/._b", true},
		{".Spotlight-V100/x", true},
		{"index.html", false},
		{"__MACOSX.html", false},
		{".DS_Store.txt", false},
		{"a/_b", false},
		{".hidden", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.junk, IsJunk(tt.name))
		})
	}
}
