package asset

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

func TestLangStringGet(t *testing.T) {
	s := LangString{"en-GB": "colour", "fr": "couleur", "en-us": "color"}
	tests := []struct {
		name string
		s    LangString
		tag  string
		want string
		ok   bool
	}{
		{"exact", s, "fr", "couleur", true},
		{"exact with region", s, "en-GB", "colour", true},
		{"case-insensitive", s, "EN-gb", "colour", true},
		{"key kept lower case", s, "en-US", "color", true},
		{"no fallback to parent or child", s, "en", "", false},
		{"no canonical matching", LangString{"he": "x"}, "iw", "", false},
		{"missing", s, "de", "", false},
		{"empty tag", s, "", "", false},
		{"nil map", nil, "en", "", false},
		{"exact spelling wins", LangString{"en-US": "upper", "en-us": "lower"}, "en-us", "lower", true},
		{"smallest spelling otherwise", LangString{"en-us": "lower", "EN-US": "upper"}, "En-Us", "upper", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.s.Get(tt.tag)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestLangStringBest(t *testing.T) {
	tests := []struct {
		name    string
		s       LangString
		prefs   []string
		wantTag string // "" means ok is false
	}{
		{"exact", LangString{"en": "E", "fr": "F"}, []string{"fr"}, "fr"},
		{"exact ignoring case", LangString{"en-GB": "G", "en": "E"}, []string{"EN-gb"}, "en-GB"},
		{"key spelling kept", LangString{"en-us": "U", "en": "E"}, []string{"en-US"}, "en-us"},
		{"exact spelling before other case", LangString{"en-US": "A", "en-us": "B"}, []string{"en-us"}, "en-us"},
		{"canonical iw is he", LangString{"he": "H", "en": "E"}, []string{"iw"}, "he"},
		{"canonical he is iw", LangString{"iw": "I", "en": "E"}, []string{"he"}, "iw"},
		{"spelling before canonical", LangString{"he": "H", "iw": "I"}, []string{"iw"}, "iw"},
		{"canonical grandfathered", LangString{"tlh": "K", "en": "E"}, []string{"i-klingon"}, "tlh"},
		{"parent fr-CA to fr", LangString{"fr": "F", "en": "E", "fr-FR": "FF"}, []string{"fr-CA"}, "fr"},
		{"parent zh-Hant-TW to zh-Hant", LangString{"zh-Hant": "T", "zh-Hans": "S", "zh": "Z"}, []string{"zh-Hant-TW"}, "zh-Hant"},
		{"parent en-GB to en", LangString{"en": "E", "en-US": "U"}, []string{"en-GB"}, "en"},
		{"parent en-AU to en-001 before en", LangString{"en": "E", "en-001": "I"}, []string{"en-AU"}, "en-001"},
		{"parent es-AR to es-419", LangString{"es": "E", "es-419": "L", "es-ES": "S"}, []string{"es-AR"}, "es-419"},
		{"parent drops variant", LangString{"de-CH": "C", "de": "D"}, []string{"de-CH-1996"}, "de-CH"},
		{"parent drops extension", LangString{"en": "E", "fr": "F"}, []string{"en-u-ca-gregory"}, "en"},
		{"base language zh-Hant-TW to zh", LangString{"zh": "Z", "en": "E"}, []string{"zh-Hant-TW"}, "zh"},
		{"child en to en-GB", LangString{"en-GB": "G", "fr": "F"}, []string{"en"}, "en-GB"},
		{"child: smallest of equal length", LangString{"en-US": "U", "en-GB": "G", "fr": "F"}, []string{"en"}, "en-GB"},
		{"sibling: shortest", LangString{"en-GB-oxendict": "O", "en-US": "U"}, []string{"en-AU"}, "en-US"},
		{"sibling: pt-BR to pt-PT", LangString{"pt-PT": "P", "es": "E"}, []string{"pt-BR"}, "pt-PT"},
		{"sibling: same script first", LangString{"zh": "Z", "zh-Hant-HK": "H"}, []string{"zh-Hant-TW"}, "zh-Hant-HK"},
		{"sibling: zh-TW is Traditional", LangString{"zh-Hans": "S", "zh-TW": "T"}, []string{"zh-Hant"}, "zh-TW"},
		{"sibling: sr-Latn", LangString{"sr": "C", "sr-Latn-RS": "L"}, []string{"sr-Latn"}, "sr-Latn-RS"},
		{"sibling: sr is Cyrillic", LangString{"sr-Cyrl-RS": "C", "sr-Latn": "L"}, []string{"sr"}, "sr-Cyrl-RS"},
		{"preferences in order", LangString{"de": "D", "fr": "F", "en": "E"}, []string{"it", "fr", "de"}, "fr"},
		{"earlier preference by child beats later exact", LangString{"de": "D", "fr-FR": "F"}, []string{"fr-CA", "de"}, "fr-FR"},
		{"invalid preference skipped", LangString{"en": "E", "fr": "F"}, []string{"not a tag", "english", "", "fr"}, "fr"},
		{"partly unknown preference skipped", LangString{"en": "E", "fr": "F"}, []string{"en-posix", "fr"}, "fr"},
		{"no match: und", LangString{"und": "U", "mul": "M", "en": "E"}, []string{"de"}, "und"},
		{"no match: und ignoring case", LangString{"UND": "U", "en": "E"}, []string{"de"}, "UND"},
		{"no match: mul", LangString{"mul": "M", "en": "E", "aa": "A"}, []string{"de"}, "mul"},
		{"no match: en", LangString{"fr": "F", "en": "E", "de-CH": "D"}, []string{"ja"}, "en"},
		{"no match: English variant", LangString{"fr": "F", "en-GB": "G", "de": "D"}, []string{"ja"}, "en-GB"},
		{"no match: smallest", LangString{"fr": "F", "it": "I", "de": "D"}, []string{"ja"}, "de"},
		{"no match: smallest including unparsable key", LangString{"fr": "F", "??": "Q"}, []string{"ja"}, "??"},
		{"no preferences", LangString{"fr": "F", "en": "E"}, nil, "en"},
		{"pref und has no base language", LangString{"fr": "F", "de": "D"}, []string{"und"}, "de"},
		{"pref und exact", LangString{"und": "U", "de": "D"}, []string{"und", "de"}, "und"},
		{"private use exact", LangString{"x-private": "P", "en": "E"}, []string{"x-private"}, "x-private"},
		{"private use has no siblings", LangString{"x-other": "O", "fr": "F"}, []string{"x-private"}, "fr"},
		{"lenient key matched canonically", LangString{"en_GB": "G", "fr": "F"}, []string{"en-GB"}, "en_GB"},
		{"unparsable key only as fallback", LangString{"bad tag": "B", "fr": "F"}, []string{"bad tag", "de"}, "bad tag"},
		{"single key", LangString{"fi": "F"}, []string{"en"}, "fi"},
		{"empty text still counts", LangString{"en": "", "fr": "F"}, []string{"en"}, "en"},
		{"empty map", LangString{}, []string{"en"}, ""},
		{"nil map", nil, []string{"en"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, tag, ok := tt.s.Best(tt.prefs...)
			assert.Equal(t, tt.wantTag != "", ok)
			assert.Equal(t, tt.wantTag, tag)
			assert.Equal(t, tt.s[tt.wantTag], text)
		})
	}
}

func TestLangStringBestDeterministic(t *testing.T) {
	s := LangString{"en-US": "U", "en-GB": "G", "en-IN": "I", "en-CA": "C", "fr": "F"}
	for range 50 {
		_, tag, _ := s.Best("en")
		require.Equal(t, "en-CA", tag)
		_, tag, _ = s.Best("de")
		require.Equal(t, "en-CA", tag)
	}
}

func TestLangStringBestTag(t *testing.T) {
	s := LangString{"fr": "F", "he": "H", "en-GB": "G"}
	tests := []struct {
		name    string
		prefs   []language.Tag
		wantTag string
	}{
		{"parent", []language.Tag{language.CanadianFrench}, "fr"},
		{"raw tag is canonicalised", []language.Tag{language.Raw.MustParse("iw")}, "he"},
		{"child", []language.Tag{language.English}, "en-GB"},
		{"order", []language.Tag{language.German, language.Hebrew, language.French}, "he"},
		{"und falls back", []language.Tag{language.Und}, "en-GB"},
		{"none", nil, "en-GB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, tag, ok := s.BestTag(tt.prefs...)
			assert.True(t, ok)
			assert.Equal(t, tt.wantTag, tag)
			assert.Equal(t, s[tt.wantTag], text)
		})
	}
	_, _, ok := LangString(nil).BestTag(language.English)
	assert.False(t, ok)
}

func TestLangStringString(t *testing.T) {
	assert.Equal(t, "Hello", LangString{"fr": "Bonjour", "en": "Hello"}.String())
	assert.Equal(t, "Hi", LangString{"fr": "Bonjour", "en-AU": "Hi"}.String())
	assert.Equal(t, "Hallo", LangString{"fr": "Bonjour", "de": "Hallo"}.String())
	assert.Equal(t, "", LangString(nil).String())
	assert.Equal(t, "title: Hello", fmt.Sprintf("title: %v", LangString{"en": "Hello", "fr": "Bonjour"}))
}

func TestLangStringTags(t *testing.T) {
	assert.Equal(t, []string{"de", "en-GB", "en-us", "fr"}, LangString{"fr": "", "en-us": "", "de": "", "en-GB": ""}.Tags())
	assert.Empty(t, LangString(nil).Tags())
}

func TestLangStringSet(t *testing.T) {
	tests := []struct {
		name       string
		s          LangString
		tag, text  string
		want       LangString
		sameMapRef bool
	}{
		{"nil allocates", nil, "en", "E", LangString{"en": "E"}, false},
		{"add", LangString{"en": "E"}, "fr", "F", LangString{"en": "E", "fr": "F"}, true},
		{"replace same spelling", LangString{"en": "E"}, "en", "E2", LangString{"en": "E2"}, true},
		{"replace other spelling", LangString{"en-gb": "G", "fr": "F"}, "en-GB", "G2", LangString{"en-GB": "G2", "fr": "F"}, true},
		{"replace several spellings", LangString{"en-gb": "a", "EN-GB": "b", "en-GB": "c"}, "En-Gb", "d", LangString{"En-Gb": "d"}, true},
		{"no canonical replacement", LangString{"he": "H"}, "iw", "I", LangString{"he": "H", "iw": "I"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.s.Set(tt.tag, tt.text)
			assert.Equal(t, tt.want, got)
			if tt.sameMapRef {
				assert.Equal(t, tt.want, tt.s, "Set must update the map in place")
			}
		})
	}
}

func TestLangStringClone(t *testing.T) {
	assert.Nil(t, LangString(nil).Clone())
	orig := LangString{"en": "E", "fr": "F"}
	c := orig.Clone()
	assert.Equal(t, orig, c)
	c["en"] = "changed"
	c.Set("de", "D")
	assert.Equal(t, LangString{"en": "E", "fr": "F"}, orig)
	empty := LangString{}.Clone()
	assert.NotNil(t, empty)
	assert.Empty(t, empty)
}

func TestLangListClone(t *testing.T) {
	assert.Nil(t, LangList(nil).Clone())
	orig := LangList{"en": {"a", "b"}, "fr": {"c"}, "de": nil}
	c := orig.Clone()
	assert.Equal(t, orig, c)
	assert.Nil(t, c["de"], "nil slice stays nil")
	c["en"][0] = "changed"
	c["fr"] = append(c["fr"], "d")
	c["it"] = []string{"e"}
	assert.Equal(t, LangList{"en": {"a", "b"}, "fr": {"c"}, "de": nil}, orig)
}

func TestLangListBest(t *testing.T) {
	l := LangList{"en-GB": {"colour", "survey"}, "fr": {"couleur"}, "zh-Hant": {"顏色"}}
	tests := []struct {
		name    string
		l       LangList
		prefs   []string
		wantTag string
	}{
		{"exact", l, []string{"fr"}, "fr"},
		{"parent", l, []string{"fr-CA"}, "fr"},
		{"parent zh-Hant-TW", l, []string{"zh-Hant-TW"}, "zh-Hant"},
		{"child", l, []string{"en"}, "en-GB"},
		{"order and invalid skipped", l, []string{"en_", "de", "FR"}, "fr"},
		{"fallback to English", l, []string{"ja"}, "en-GB"},
		{"fallback to und", LangList{"und": {"ISO"}, "fr": {"x"}}, []string{"ja"}, "und"},
		{"empty", LangList{}, []string{"en"}, ""},
		{"nil", nil, []string{"en"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, tag, ok := tt.l.Best(tt.prefs...)
			assert.Equal(t, tt.wantTag != "", ok)
			assert.Equal(t, tt.wantTag, tag)
			assert.Equal(t, tt.l[tt.wantTag], got)
		})
	}
}

func TestLangListAll(t *testing.T) {
	tests := []struct {
		name string
		l    LangList
		want []string
	}{
		{"nil", nil, nil},
		{"empty lists", LangList{"en": nil, "fr": {}}, nil},
		{"one language keeps order", LangList{"en": {"survey", "census", "sampling"}}, []string{"survey", "census", "sampling"}},
		{"languages in key order", LangList{"fr": {"recensement"}, "en": {"census"}, "de": {"Zensus"}}, []string{"Zensus", "census", "recensement"}},
		{"duplicates removed", LangList{"en": {"GDP", "census", "GDP"}, "fr": {"PIB", "GDP"}, "de": {"BIP", "census"}}, []string{"BIP", "census", "GDP", "PIB"}},
		{"case-sensitive", LangList{"en": {"GDP", "gdp"}}, []string{"GDP", "gdp"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.l.All())
		})
	}
}

var langValidTags = []string{
	"en",
	"EN",
	"fr-CA",
	"en-US",
	"en-us",
	"de-AT",
	"ast",
	"zh-Hant",
	"zh-Hant-TW",
	"sr-Latn-RS",
	"sr-Cyrl",
	"de-CH-1996",
	"es-419",
	"en-001",
	"sl-rozaj-biske-1994",
	"ca-ES-valencia",
	"zh-yue-HK",
	"und",
	"mul",
	"zxx",
	"qaa",
	"x-private",
	"X-Priv-1",
	"i-klingon",
	"en-GB-oed",
	"zh-min-nan",
	"art-lojban",
	"en-US-x-twain",
	"de-DE-u-co-phonebk",
	"en-a-bbb-x-a-ccc",
	"ja-Latn-hepburn",
}

func TestCheckTagValid(t *testing.T) {
	for _, tag := range langValidTags {
		t.Run(tag, func(t *testing.T) {
			assert.NoError(t, CheckTag(tag))
		})
	}
}

func TestCheckTagInvalid(t *testing.T) {
	tests := []struct {
		tag    string
		reason string // substring of TagError.Reason
	}{
		{"", "empty"},
		{"en_US", "use '-' not '_' between subtags (en-US)"},
		{"zh_Hant_TW", "(zh-Hant-TW)"},
		{"en_", "use '-' not '_'"},
		{"english", `primary language subtag "english" has 7 letters`},
		{"abcd", `primary language subtag "abcd"`},
		{"e", `primary language subtag "e" is too short`},
		{"123", `primary language subtag "123" must be letters`},
		{"1en", `primary language subtag "1en" must be letters`},
		{"en--US", "empty subtag"},
		{"-en", "starts with '-'"},
		{"en-US-", "ends with '-'"},
		{"en US", "contains ' '"},
		{"en-ÜS", "contains 'Ü'"},
		{"en.US", "contains '.'"},
		{"en-" + strings.Repeat("abcde-", 6) + "x", "at most 35"},
		{"en-toolongsub", `subtag "toolongsub" is longer than 8`},
		{"i-foo", `"i-" tags are allowed only for the registered grandfathered tags`},
		{"x", `private-use tag "x" has no subtags`},
		{"en-x", `private-use section "x" has no subtags`},
		{"en-a", `extension "a" needs at least one subtag`},
		{"en-a-b-c", `extension "a" needs at least one subtag`},
		{"en-US-US", `subtag "US" is not valid after "en-US"; expected a variant`},
		{"en-Latn-Latn", `subtag "Latn" is not valid after "en-Latn"; expected a region`},
		{"en-12", `subtag "12" is not valid after "en"`},
		{"en-1996-US", `subtag "US" is not valid after "en-1996"; expected a variant, extension or private-use subtag`},
		{"en-abc-def-ghi-jkl", `subtag "jkl" is not valid after "en-abc-def-ghi"; expected a script`},
		{"en-u-ca-gregory-1", `extension "1" needs at least one subtag`},
		{"xx", `subtag "xx" is well-formed but not a known`},
		{"en-Abcd", `subtag "Abcd" is well-formed but not a known`},
		{"en-ZZZ", `subtag "ZZZ" is well-formed but not a known`},
		{"en-posix", `subtag "posix" is well-formed but not a known`},
		{"en-u-ca-gregory-ca-buddhist", "not accepted by golang.org/x/text/language"},
	}
	for _, tt := range tests {
		t.Run(tt.tag, func(t *testing.T) {
			err := CheckTag(tt.tag)
			require.Error(t, err)
			var te *TagError
			require.True(t, errors.As(err, &te), "want *TagError, got %T", err)
			assert.Equal(t, tt.tag, te.Tag)
			assert.Contains(t, te.Reason, tt.reason)
			assert.Equal(t, fmt.Sprintf("language tag %q: %s", tt.tag, te.Reason), err.Error())
		})
	}
}

func TestTagErrorMessage(t *testing.T) {
	assert.EqualError(t, CheckTag("en_US"), `language tag "en_US": use '-' not '_' between subtags (en-US)`)
	assert.EqualError(t, CheckTag(""), `language tag "": empty; expected a BCP 47 language tag such as "en" or "fr-CA"`)
}

func TestLangTagPattern(t *testing.T) {
	re := regexp.MustCompile(schemaPattern("LangString", "propertyNames", "pattern"))
	for _, tag := range langValidTags {
		assert.True(t, re.MatchString(tag), "pattern rejects valid tag %q", tag)
	}
	for _, tag := range []string{"", "en_US", "e", "123", "en--US", "en-US-", "-en", "en US", "en-toolongsub", "english-"} {
		assert.False(t, re.MatchString(tag), "pattern accepts %q", tag)
	}
}

func ExampleLangString_Best() {
	title := LangString{
		"en-GB":   "Introduction to sampling",
		"fr":      "Introduction à l'échantillonnage",
		"zh-Hant": "抽樣導論",
	}
	for _, prefs := range [][]string{
		{"fr-CA"},         // parent: fr-CA → fr
		{"de", "en"},      // no German; en finds en-GB
		{"zh-Hant-TW"},    // parent: zh-Hant-TW → zh-Hant
		{"ja"},            // no match: fall back to English
		{"EN-gb", "fr"},   // case does not matter
		{"klingon", "fr"}, // unparsable preference skipped
	} {
		text, tag, _ := title.Best(prefs...)
		fmt.Printf("%v → %s: %s\n", prefs, tag, text)
	}
	// Output:
	// [fr-CA] → fr: Introduction à l'échantillonnage
	// [de en] → en-GB: Introduction to sampling
	// [zh-Hant-TW] → zh-Hant: 抽樣導論
	// [ja] → en-GB: Introduction to sampling
	// [EN-gb fr] → en-GB: Introduction to sampling
	// [klingon fr] → fr: Introduction à l'échantillonnage
}
