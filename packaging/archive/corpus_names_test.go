package archive

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// one builds an archive holding a single small file called name.
func one(name string) func(testing.TB) []byte {
	return func(t testing.TB) []byte { return buildZip(t, zf(name, "payload")) }
}

// nameCases are archives whose names try to leave the root or to confuse.
func nameCases() []corpusCase {
	deep := func(n int) string { return strings.Repeat("d/", n-1) + "f.html" }
	return []corpusCase{
		{name: "zip-slip ../../evil", build: one("../../evil"), open: []error{ErrPathEscape}},
		{name: "zip-slip a/../../evil", build: one("a/../../evil"), open: []error{ErrPathEscape}},
		{name: `zip-slip ..\evil`, build: one(`..\evil`), open: []error{ErrPathEscape, ErrBackslash}},
		{name: `zip-slip ..\evil with backslashes allowed`, build: one(`..\evil`), opts: Limits{AllowBackslashes: true}, open: []error{ErrPathEscape}},
		{name: "zip-slip Windows dots ...", build: one(".../evil"), open: []error{ErrPathEscape}},
		{name: "zip-slip Windows dot-dot-space", build: one(".. /evil"), open: []error{ErrPathEscape}},
		{name: "absolute /etc/x", build: one("/etc/x"), open: []error{ErrAbsolutePath}},
		{name: `drive C:\x`, build: one(`C:\x`), open: []error{ErrAbsolutePath, ErrBackslash}},
		{name: "drive C:/x", build: one("C:/x"), open: []error{ErrAbsolutePath}},
		{name: "drive-relative C:x", build: one("C:x"), open: []error{ErrAbsolutePath}},
		{name: "UNC //server/share/x", build: one("//server/share/x"), open: []error{ErrAbsolutePath}},
		{name: `UNC \\server\share\x`, build: one(`\\server\share\x`), open: []error{ErrAbsolutePath, ErrBackslash}},
		{name: `backslash a\b.html`, build: one(`a\b.html`), open: []error{ErrBackslash}},
		{name: `backslash a\b.html allowed`, build: one(`a\b.html`), opts: Limits{AllowBackslashes: true}, files: []string{"a/b.html"}},
		{name: "colon alternate data stream", build: one("a.txt:evil"), open: []error{ErrBadName}},
		{name: "trailing dot", build: one("evil."), open: []error{ErrBadName}},
		{name: "trailing space", build: one("dir /evil"), open: []error{ErrBadName}},
		{name: "NUL in name", build: one("a\x00.html"), open: []error{ErrBadName}},
		{name: "escape sequence in name", build: one("a\x1b[31m.html"), open: []error{ErrBadName}},
		{name: "empty name", build: one(""), open: []error{ErrBadName}},
		{name: "file named .", build: one("."), open: []error{ErrBadName}},
		{name: "invalid UTF-8 flagged UTF-8", build: func(t testing.TB) []byte {
			return buildZip(t, zent{name: "bad\xff.html", data: []byte("x"), flags: flagUTF8})
		}, open: []error{ErrBadName}},
		{name: "invalid UTF-8 unflagged decoded as CP437", build: legacyName("\x9abung.html"), files: []string{"Übung.html"},
			check: func(t *testing.T, a *Archive) {
				e := a.Entries()[0]
				assert.True(t, e.LegacyName)
				assert.Equal(t, "\x9abung.html", e.RawName)
			}},
		{name: "invalid UTF-8 unflagged rejected", build: legacyName("\x9abung.html"), opts: Limits{RejectLegacyNames: true}, open: []error{ErrBadName}},
		{name: "invalid UTF-8 unflagged escaping", build: legacyName("../\x82vil"), open: []error{ErrPathEscape}},
		{name: "dot segments cleaned", build: func(t testing.TB) []byte {
			return buildZip(t, zent{name: "./", store: true}, zf("./a//b/./c.html", "c"))
		}, files: []string{"a/b/c.html"}, check: func(t *testing.T, a *Archive) {
			assert.Len(t, a.Skipped(), 1, "the ./ entry names the root")
		}},
		{name: "deep path within the limit", build: one(deep(60)), files: []string{deep(60)}},
		{name: "deep path beyond the limit", build: one(deep(100)), open: []error{ErrTooDeep}},
		{name: "very long name", build: one(strings.Repeat("abcdefghi/", 200) + "x"), open: []error{ErrNameTooLong, ErrTooDeep}},
		{name: "very long segment", build: one(strings.Repeat("x", 300) + ".html"), open: []error{ErrNameTooLong}},
		{name: "junk from macOS and Windows", build: func(t testing.TB) []byte {
			return buildZip(t, zf("course/index.html", "i"), zf("__MACOSX/course/._index.html", "r"),
				zf(".DS_Store", "d"), zf("course/Thumbs.db", "t"), zf("course/._x", "a"))
		}, files: []string{"course/index.html"}, check: func(t *testing.T, a *Archive) {
			assert.Len(t, a.Skipped(), 4)
		}},
		{name: "junk kept", build: func(t testing.TB) []byte {
			return buildZip(t, zf("index.html", "i"), zf("__MACOSX/._index.html", "r"))
		}, opts: Limits{KeepJunk: true}, files: []string{"__MACOSX/._index.html", "index.html"}},
		{name: "junk with an escaping name", build: one("__MACOSX/../../evil"), open: []error{ErrPathEscape}},
	}
}

// legacyName builds an archive with a name that has no UTF-8 flag.
func legacyName(name string) func(testing.TB) []byte {
	return func(t testing.TB) []byte {
		return buildZip(t, zent{name: name, data: []byte("x"), nonUTF8: true})
	}
}
