package catalogue

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// fold returns s in the form the catalogue compares text in: lower case,
// with combining marks removed after canonical decomposition, so that
// "Désaisonnalisation", "DESAISONNALISATION" and "desaisonnalisation" are
// equal. Bytes that are not UTF-8 become spaces. ASCII text takes a fast
// path that allocates only when s holds an upper-case letter.
func fold(s string) string {
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return foldUnicode(s)
		}
		if 'A' <= c && c <= 'Z' {
			upper = true
		}
	}
	if !upper {
		return s
	}
	return strings.ToLower(s)
}

func foldUnicode(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return norm.NFC.String(b.String())
}

// foldKeyword folds a keyword for indexing and comparison: [fold], with
// runs of white space collapsed to one space and the ends trimmed.
func foldKeyword(s string) string {
	return strings.Join(strings.Fields(fold(s)), " ")
}

// appendTokens appends the tokens of s to dst: the maximal runs of letters
// and digits of the folded text, less the stop words of [stopWords], each
// with a light plural folding — a final "s" is dropped from tokens of more
// than four letters that do not end in "ss" (unless that would make a stop
// word of it), so that "adjustments" and "adjustment", "données" and
// "donnée" meet. The same rule applies to every text, so it need not be
// linguistically right, only consistent.
// Duplicates are kept; see [tokenSet].
func appendTokens(dst []string, s string) []string {
	s = fold(s)
	start := -1
	for i, r := range s {
		word := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			dst = appendToken(dst, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		dst = appendToken(dst, s[start:])
	}
	return dst
}

func appendToken(dst []string, t string) []string {
	if _, stop := stopWords[t]; stop {
		return dst
	}
	if len(t) > 4 && t[len(t)-1] == 's' && t[len(t)-2] != 's' {
		if _, stop := stopWords[t[:len(t)-1]]; !stop {
			t = t[:len(t)-1]
		}
	}
	return append(dst, t)
}

// tokenSet returns the distinct tokens of the texts, sorted.
func tokenSet(texts ...string) []string {
	var toks []string
	for _, s := range texts {
		toks = appendTokens(toks, s)
	}
	slices.Sort(toks)
	return slices.Compact(toks)
}

// langBase returns the lower-cased primary language subtag of a BCP 47 tag:
// "fr" for "fr-CA", "en" for "EN".
func langBase(tag string) string {
	base, _, _ := strings.Cut(tag, "-")
	return strings.ToLower(base)
}

// langKeys returns the keys a language tag is indexed under: the whole tag
// lower-cased and, when it has subtags, its primary language subtag. A
// query for "fr" thus finds "fr" and "fr-CA"; a query for "fr-CA" finds
// only "fr-CA".
func langKeys(tag string) []string {
	full := strings.ToLower(strings.TrimSpace(tag))
	if full == "" {
		return nil
	}
	if base := langBase(full); base != full {
		return []string{full, base}
	}
	return []string{full}
}

// stopWords are words too common to say what a text is about, in English,
// French, Spanish, German, Italian and Portuguese, in folded form (lower
// case, no accents). Single letters are listed so that elided articles
// ("l'", "d'") and conjunctions ("y", "e", "o") drop out while a one-letter
// name such as "R" is kept.
var stopWords = func() map[string]struct{} {
	lists := []string{
		// Single letters that are articles, elisions or conjunctions.
		"a c d e i j l m n o s t u y",
		// English.
		`about above after again against all also am an and any are as at be because been before
		being below between both but by can could did do does doing down during each few for from
		further had has have having he her here hers herself him himself his how if in into is it
		its itself just me more most my myself no nor not of off on once only or other our ours
		ourselves out over own same she should so some such than that the their theirs them
		themselves then there these they this those through to too under until up use using very
		via was we were what when where which while who whom why will with within without would
		you your yours yourself yourselves`,
		// French.
		`au aux avec ce ces cet cette dans de des du elle elles en entre est et etre eux il ils
		je la le les leur leurs lui ma mais me meme mes moi mon ne nos notre nous ou par pas
		pour qu que qui sa se ses son sont sur ta te tes toi ton tu un une vos votre vous
		comme ainsi aussi dont sous sans vers chez selon lors afin cela ceci ete`,
		// Spanish.
		`al algo como con cual cuando del desde donde el ella ellas ellos en entre era es esa ese
		eso esta este esto estos estas fue ha hay la las le les lo los mas mi muy ni no nos o
		para pero por que se sea ser si sin sobre su sus tambien te tu un una uno unos unas y ya
		mediante segun hacia`,
		// German.
		`aber als am an auch auf aus bei bis das dass dem den der des die ein eine einem einen
		einer eines er es fur im in ist mit nach nicht oder sich sie sind so uber um und von vor
		wie wir zu zum zur`,
		// Italian and Portuguese, for catalogues that hold them.
		`alla alle agli che con dei della delle dello di gli il nel nella per tra una uno
		ao aos as com da das do dos em na nas no nos os para pela pelo por um uma`,
	}
	m := make(map[string]struct{})
	for _, l := range lists {
		for _, w := range strings.Fields(l) {
			m[w] = struct{}{}
		}
	}
	return m
}()
