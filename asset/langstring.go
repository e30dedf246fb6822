package asset

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// LangString is text in one or more languages, keyed by BCP 47 language tag.
// Keys are kept exactly as written ("en-us" stays "en-us") so a document
// round-trips unchanged; lookups compare tags case-insensitively and by
// meaning. It maps 1:1 to xAPI language maps, LOM/cmi5 langstrings and
// JSON-LD @language values.
//
// In JSON a LangString is an object such as
//
//	{"en": "Introduction to sampling", "fr": "Introduction à l'échantillonnage"}
//
// Use [CheckTag] to validate keys. The lookup methods accept any key, but a
// key that language.Parse rejects is found only by [LangString.Get] or as the
// last resort of [LangString.Best].
type LangString map[string]string

// LangList is a list of short texts (keywords) per language, keyed by BCP 47
// language tag like [LangString]:
//
//	{"en": ["sampling", "survey"], "de": ["Stichprobe", "Erhebung"]}
type LangList map[string][]string

// Get returns the text whose key is tag, comparing tags case-insensitively:
// Get("EN-gb") finds the key "en-GB". No other matching is done; use
// [LangString.Best] for language fallback. If the map holds several spellings
// of the same tag, a key spelled exactly as tag wins, otherwise the
// lexicographically smallest spelling.
func (s LangString) Get(tag string) (string, bool) {
	k, ok := langLookupKey(s, tag)
	if !ok {
		return "", false
	}
	return s[k], true
}

// Best returns the text that best suits a reader who prefers the languages
// prefs, in order of preference, together with the key it is stored under.
// Preferences are BCP 47 tags parsed with [language.Parse]; a preference that
// does not parse is skipped. ok is false only when s is empty: otherwise some
// text is always returned.
//
// Each preference is tried in turn, and the first step that finds a key wins:
//
//  1. Exact: a key spelled like the preference; else one equal to it
//     ignoring case ("en-gb" for "en-GB"); else a key that is equal once
//     both are canonicalised by language.Parse, which replaces deprecated
//     and legacy codes ("iw" and "he", "in" and "id", "i-klingon" and "tlh")
//     and accepts '_' for '-'.
//  2. Parents: the preference's parents as given by [language.Tag.Parent],
//     which follows CLDR inheritance: fr-CA → fr, en-AU → en-001 → en,
//     es-AR → es-419 → es, zh-Hant-TW → zh-Hant, sr-Latn-RS → sr-Latn.
//  3. Same language: any key with the same base language ("en-GB" or
//     "en-US" for "en"; "zh" or "zh-Hant-HK" for "zh-Hant-TW"). Keys whose
//     script, explicit or likely, equals the preference's are preferred, so a
//     reader of Traditional Chinese gets zh-Hant-HK before zh (which implies
//     Simplified); then the shortest key; then the lexicographically smallest.
//     Tags whose base language is only guessed, such as "und" or "x-private",
//     take no part in this step.
//
// If no preference matches, the fallback is a key "und" (undetermined
// language) or else "mul" (multiple languages), compared ignoring case; else
// English, chosen as if "en" had been the preference (so "en", then an
// English variant such as "en-GB"); else the lexicographically smallest key.
// Keys that language.Parse rejects can be chosen only by the final fallback
// (a preference spelled the same would not parse either, and is skipped).
// Values are not inspected: an empty text is still a match.
func (s LangString) Best(prefs ...string) (text, tag string, ok bool) {
	tag, ok = langBestKey(s, langParsePrefs(prefs))
	return s[tag], tag, ok
}

// BestTag is [LangString.Best] with preferences given as parsed tags. Each
// tag is canonicalised with language.Default before matching, so tags parsed
// with language.Raw behave like those from language.Parse.
func (s LangString) BestTag(prefs ...language.Tag) (text, tag string, ok bool) {
	ps := make([]langPref, 0, len(prefs))
	for _, t := range prefs {
		ps = append(ps, newLangPref(t.String(), t))
	}
	tag, ok = langBestKey(s, ps)
	return s[tag], tag, ok
}

// String returns the English text, or the best substitute for it as chosen
// by [LangString.Best]("en"), so that a LangString prints readably with %v
// and %s. It returns "" for an empty LangString.
func (s LangString) String() string {
	text, _, _ := s.Best("en")
	return text
}

// Tags returns the keys of s, exactly as written, in sorted (byte-wise)
// order. It returns nil for an empty LangString.
func (s LangString) Tags() []string {
	return slices.Sorted(maps.Keys(s))
}

// Clone returns a copy of s that shares no storage with it. Cloning nil
// returns nil.
func (s LangString) Clone() LangString {
	return maps.Clone(s)
}

// Set stores text under tag and returns the map, allocating a new one when s
// is nil, so the usual call is
//
//	title = title.Set("fr", "Échantillonnage")
//
// Any existing key that equals tag ignoring case ("en-gb" for "en-GB") is
// removed first, so that a language never ends up under two spellings; the
// key is then spelled as tag. Set does not validate tag; see [CheckTag].
func (s LangString) Set(tag, text string) LangString {
	if s == nil {
		s = make(LangString, 1)
	}
	for k := range s {
		if k != tag && strings.EqualFold(k, tag) {
			delete(s, k)
		}
	}
	s[tag] = text
	return s
}

// Best returns the list of texts that best suits a reader who prefers the
// languages prefs, and the key it is stored under, choosing the key exactly
// as [LangString.Best] does. ok is false only when l is empty. The returned
// slice is the one stored in l, not a copy.
func (l LangList) Best(prefs ...string) ([]string, string, bool) {
	tag, ok := langBestKey(l, langParsePrefs(prefs))
	return l[tag], tag, ok
}

// All returns every text of every language with duplicates removed: the
// languages are taken in sorted key order and each language's texts in their
// stored order, and a text is kept where it first appears. Texts are compared
// exactly (case-sensitively). It returns nil when l holds no texts.
func (l LangList) All() []string {
	var out []string
	seen := make(map[string]bool)
	for _, k := range slices.Sorted(maps.Keys(l)) {
		for _, v := range l[k] {
			if !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	return out
}

// Clone returns a deep copy of l: neither the map nor any of its slices is
// shared with l. Cloning nil returns nil, and a nil slice stays nil.
func (l LangList) Clone() LangList {
	if l == nil {
		return nil
	}
	out := make(LangList, len(l))
	for k, v := range l {
		out[k] = slices.Clone(v)
	}
	return out
}

// maxTagLen is the longest language tag CheckTag accepts. RFC 5646 section
// 4.4.1 shows that 35 characters suffice for any tag without extensions or
// private-use subtags.
const maxTagLen = 35

// ---- matching ----

// langPref is one preference: the spelling the caller gave and the parsed,
// canonical tag.
type langPref struct {
	raw string
	tag language.Tag
}

func newLangPref(raw string, t language.Tag) langPref {
	if c, err := language.Default.Canonicalize(t); err == nil {
		t = c
	}
	return langPref{raw: raw, tag: t}
}

// langParsePrefs parses preferences given as strings, dropping those that
// language.Parse rejects (including those it only partly understands).
func langParsePrefs(prefs []string) []langPref {
	ps := make([]langPref, 0, len(prefs))
	for _, p := range prefs {
		t, err := language.Parse(p)
		if err != nil {
			continue
		}
		ps = append(ps, newLangPref(p, t))
	}
	return ps
}

// langKey is a map key with its parsed form. ok reports whether
// language.Parse accepted the key; canon and tag are only meaningful if so.
type langKey struct {
	key   string
	canon string
	tag   language.Tag
	ok    bool
}

// langParseKeys parses the keys of m and returns them in sorted order, so
// that the first match found in a scan is the lexicographically smallest.
func langParseKeys[V any](m map[string]V) []langKey {
	keys := make([]langKey, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		lk := langKey{key: k}
		if t, err := language.Parse(k); err == nil {
			lk.tag, lk.canon, lk.ok = t, t.String(), true
		}
		keys = append(keys, lk)
	}
	return keys
}

// langLookupKey finds the key of m equal to tag ignoring case, preferring the
// exact spelling, then the smallest.
func langLookupKey[V any](m map[string]V, tag string) (string, bool) {
	if _, ok := m[tag]; ok {
		return tag, true
	}
	found, ok := "", false
	for k := range m {
		if strings.EqualFold(k, tag) && (!ok || k < found) {
			found, ok = k, true
		}
	}
	return found, ok
}

// langBestKey implements the algorithm documented on LangString.Best for any
// map keyed by language tag.
func langBestKey[V any](m map[string]V, prefs []langPref) (string, bool) {
	if len(m) == 0 {
		return "", false
	}
	keys := langParseKeys(m)
	for _, p := range prefs {
		if k, ok := langMatchPref(keys, p); ok {
			return k, true
		}
	}
	for _, fallback := range []string{"und", "mul"} {
		if k, ok := langLookupKey(m, fallback); ok {
			return k, true
		}
	}
	if k, ok := langMatchPref(keys, newLangPref("en", language.English)); ok {
		return k, true
	}
	return keys[0].key, true
}

// langMaxParents bounds the walk up language.Tag.Parent, which in practice
// reaches "und" within three steps.
const langMaxParents = 8

// langMatchPref runs steps 1–3 of the algorithm for a single preference. keys
// must be sorted.
func langMatchPref(keys []langKey, p langPref) (string, bool) {
	// 1. Exact: same spelling, then spelling ignoring case, then canonical
	// form.
	for _, k := range keys {
		if k.key == p.raw {
			return k.key, true
		}
	}
	for _, k := range keys {
		if strings.EqualFold(k.key, p.raw) {
			return k.key, true
		}
	}
	if k, ok := langFindCanon(keys, p.tag.String()); ok {
		return k, true
	}

	// 2. Parents, stopping at the root.
	t := p.tag
	for range langMaxParents {
		t = t.Parent()
		if t.IsRoot() {
			break
		}
		if k, ok := langFindCanon(keys, t.String()); ok {
			return k, true
		}
	}

	// 3. Same base language: same script first, then shortest, then smallest.
	base, conf := p.tag.Base()
	if conf != language.Exact {
		return "", false
	}
	script, _ := p.tag.Script()
	best, bestSame := -1, false
	for i, k := range keys {
		if !k.ok {
			continue
		}
		if b, c := k.tag.Base(); c != language.Exact || b != base {
			continue
		}
		ks, _ := k.tag.Script()
		same := ks == script
		switch {
		case best < 0,
			same && !bestSame,
			same == bestSame && len(k.key) < len(keys[best].key):
			best, bestSame = i, same
		}
	}
	if best < 0 {
		return "", false
	}
	return keys[best].key, true
}

// langFindCanon returns the smallest key whose canonical form is canon.
func langFindCanon(keys []langKey, canon string) (string, bool) {
	for _, k := range keys {
		if k.ok && k.canon == canon {
			return k.key, true
		}
	}
	return "", false
}

// ---- tag syntax ----

// TagError reports a malformed or unknown language tag. It is returned by
// [CheckTag].
type TagError struct {
	// Tag is the tag as given.
	Tag string
	// Reason says what is wrong with it, in a form that can follow
	// `language tag "…": `.
	Reason string
}

// Error returns a message of the form
//
//	language tag "en_US": use '-' not '_' between subtags (en-US)
func (e *TagError) Error() string {
	return fmt.Sprintf("language tag %q: %s", e.Tag, e.Reason)
}

// CheckTag reports whether tag is a well-formed BCP 47 language tag that
// golang.org/x/text/language also accepts, returning nil if so and a
// *[TagError] saying what is wrong if not.
//
// The syntax of RFC 5646 section 2.1 is enforced first, because
// language.Parse alone is lenient (it accepts "en_US", for instance): only
// ASCII letters, digits and '-'; no empty subtags; subtags of at most 8
// characters; a primary language subtag of 2 or 3 letters (4–8 letter
// language subtags are allowed by the grammar, but none are registered),
// optionally followed by extended language, script, region, variant,
// extension and private-use subtags in that order; or a private-use tag
// ("x-…"); or one of the grandfathered tags ("i-klingon", "zh-min-nan", …).
// Tags are at most 35 characters long, the length RFC 5646 section 4.4.1
// shows is enough for any tag without extensions.
//
// Then language.Parse must accept the tag, which rejects subtags that are
// well-formed but unknown to it (such as "xx" or "en-posix") and conflicting
// -u- extension keys. CheckTag does not check the other validity rules of
// RFC 5646 section 2.2.9, such as repeated variants. Letter case is not
// significant and is not checked.
func CheckTag(tag string) error {
	if reason := tagSyntax(tag); reason != "" {
		return &TagError{Tag: tag, Reason: reason}
	}
	if _, err := language.Parse(tag); err != nil {
		return &TagError{Tag: tag, Reason: tagParseReason(tag, err)}
	}
	return nil
}

// tagGrandfathered lists the irregular and regular grandfathered tags of RFC
// 5646 section 2.1, which do not follow the langtag grammar.
var tagGrandfathered = []string{
	"en-GB-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak",
	"i-klingon", "i-lux", "i-mingo", "i-navajo", "i-pwn", "i-tao", "i-tay",
	"i-tsu", "sgn-BE-FR", "sgn-BE-NL", "sgn-CH-DE",
	"art-lojban", "cel-gaulish", "no-bok", "no-nyn", "zh-guoyu", "zh-hakka",
	"zh-min", "zh-min-nan", "zh-xiang",
}

const tagSuggestLanguage = `use a 2- or 3-letter ISO 639 code such as "en"`

// tagSyntax checks tag against the RFC 5646 grammar and returns the reason
// it fails, or "" if it is well-formed.
func tagSyntax(tag string) string {
	if tag == "" {
		return `empty; expected a BCP 47 language tag such as "en" or "fr-CA"`
	}
	if strings.Contains(tag, "_") {
		reason := "use '-' not '_' between subtags"
		if fixed := strings.ReplaceAll(tag, "_", "-"); tagSyntax(fixed) == "" {
			if _, err := language.Parse(fixed); err == nil {
				reason += " (" + fixed + ")"
			}
		}
		return reason
	}
	for _, r := range tag {
		if !tagIsAlnum(r) && r != '-' {
			return fmt.Sprintf("contains %q; only ASCII letters, digits and '-' are allowed", r)
		}
	}
	if len(tag) > maxTagLen {
		return fmt.Sprintf("is %d characters long; at most %d are allowed", len(tag), maxTagLen)
	}
	switch {
	case strings.HasPrefix(tag, "-"):
		return "starts with '-'"
	case strings.HasSuffix(tag, "-"):
		return "ends with '-'"
	case strings.Contains(tag, "--"):
		return `has an empty subtag ("--")`
	}
	sub := strings.Split(tag, "-")
	for _, s := range sub {
		if len(s) > 8 {
			return fmt.Sprintf("subtag %q is longer than 8 characters", s)
		}
	}
	for _, g := range tagGrandfathered {
		if strings.EqualFold(tag, g) {
			return ""
		}
	}

	first := sub[0]
	switch {
	case strings.EqualFold(first, "x"):
		if len(sub) == 1 {
			return `private-use tag "x" has no subtags after it`
		}
		return "" // x-… : any subtags of 1–8 letters or digits
	case strings.EqualFold(first, "i"):
		return `"i-" tags are allowed only for the registered grandfathered tags such as "i-klingon"`
	case !tagAllAlpha(first):
		return fmt.Sprintf("primary language subtag %q must be letters; %s", first, tagSuggestLanguage)
	case len(first) == 1:
		return fmt.Sprintf("primary language subtag %q is too short; %s", first, tagSuggestLanguage)
	case len(first) >= 4:
		return fmt.Sprintf("primary language subtag %q has %d letters, but no language codes that long are registered; %s", first, len(first), tagSuggestLanguage)
	}

	i, n := 1, len(sub)
	// extlang: up to three 3-letter subtags after a 2–3 letter language.
	for range 3 {
		if i < n && len(sub[i]) == 3 && tagAllAlpha(sub[i]) {
			i++
		}
	}
	expect := "a script, region, variant, extension or private-use subtag"
	if i < n && len(sub[i]) == 4 && tagAllAlpha(sub[i]) { // script
		i++
		expect = "a region, variant, extension or private-use subtag"
	}
	if i < n && (len(sub[i]) == 2 && tagAllAlpha(sub[i]) || len(sub[i]) == 3 && tagAllDigit(sub[i])) { // region
		i++
		expect = "a variant, extension or private-use subtag"
	}
	for i < n && tagIsVariant(sub[i]) {
		i++
		expect = "a variant, extension or private-use subtag"
	}
	for i < n && len(sub[i]) == 1 && !strings.EqualFold(sub[i], "x") { // extensions
		singleton := sub[i]
		i++
		start := i
		for i < n && len(sub[i]) >= 2 {
			i++
		}
		if i == start {
			return fmt.Sprintf("extension %q needs at least one subtag of 2–8 letters or digits after it", singleton)
		}
	}
	if i < n && strings.EqualFold(sub[i], "x") { // private use
		if i == n-1 {
			return `private-use section "x" has no subtags after it`
		}
		i = n
	}
	if i < n {
		return fmt.Sprintf("subtag %q is not valid after %q; expected %s", sub[i], strings.Join(sub[:i], "-"), expect)
	}
	return ""
}

// tagParseReason turns an error from language.Parse into a TagError reason.
func tagParseReason(tag string, err error) string {
	var ve language.ValueError
	if errors.As(err, &ve) {
		// Report the subtag as the user wrote it; ValueError may change its
		// case.
		name := ve.Subtag()
		for s := range strings.SplitSeq(tag, "-") {
			if strings.EqualFold(s, name) {
				name = s
				break
			}
		}
		if name == "" {
			return "contains a well-formed subtag that is not a known language, script, region or variant"
		}
		return fmt.Sprintf("subtag %q is well-formed but not a known language, script, region or variant", name)
	}
	return "not accepted by golang.org/x/text/language: " + strings.TrimPrefix(err.Error(), "language: ")
}

func tagIsAlnum(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
}

func tagAllAlpha(s string) bool {
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			return false
		}
	}
	return true
}

func tagAllDigit(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// tagIsVariant reports whether s has the shape of a variant subtag: 5–8
// letters or digits, or a digit followed by three letters or digits. The
// caller has already checked that s contains only letters and digits.
func tagIsVariant(s string) bool {
	return len(s) >= 5 && len(s) <= 8 || len(s) == 4 && s[0] >= '0' && s[0] <= '9'
}
