package store

import (
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// foldable reports whether r is of a script whose diacritics Fold drops.
func foldable(r rune) bool {
	return r < 0x80 || unicode.In(r, unicode.Latin, unicode.Greek, unicode.Cyrillic)
}

// foldRune returns r lower-cased and without its diacritics: the runes of
// its canonical decomposition that are not combining marks.
func foldRune(r rune) []rune {
	r = unicode.ToLower(r)
	if r < 0x80 {
		return []rune{r}
	}
	var out []rune
	for _, d := range norm.NFD.String(string(r)) {
		if !unicode.Is(unicode.Mn, d) {
			out = append(out, unicode.ToLower(d))
		}
	}
	return out
}
