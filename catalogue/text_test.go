package catalogue

import (
	"testing"

	"github.com/metaacademy/ota/internal/fwkit"

	"github.com/stretchr/testify/assert"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"seasonal", "seasonal"},
		{"Seasonal Adjustment", "seasonal adjustment"},
		{"Désaisonnalisation", "desaisonnalisation"},
		{"SÉRIES CHRONOLOGIQUES", "series chronologiques"},
		{"Estadística Año", "estadistica ano"},
		{"Ökonomie", "okonomie"},
		{"İstatistik", "istatistik"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, fold(tt.in))
		})
	}
	assert.Equal(t, "seasonal adjustment", foldKeyword("  Seasonal\tADJUSTMENT \n"))
}

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Introduction to seasonal adjustment", []string{"adjustment", "introduction", "seasonal"}},
		{"Seasonal adjustments: an introduction", []string{"adjustment", "introduction", "seasonal"}},
		{"Introduction à la désaisonnalisation", []string{"desaisonnalisation", "introduction"}},
		{"L'échantillonnage et l'estimation", []string{"echantillonnage", "estimation"}},
		{"Introducción a la estadística para el INE", []string{"estadistica", "ine", "introduccion"}},
		{"Einführung in die Stichprobe für die Statistik", []string{"einfuhrung", "statistik", "stichprobe"}},
		{"Introduction to R", []string{"introduction", "r"}},
		{"X-13ARIMA-SEATS, JDemetra+ & R", []string{"13arima", "jdemetra", "r", "seat", "x"}},
		{"Process, class, bias", []string{"bias", "class", "process"}},
		{"Theses", []string{"theses"}},
		{"the of and de la y", nil},
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, tokenSet(tt.in))
		})
	}
}

func TestLangKeys(t *testing.T) {
	assert.Equal(t, []string{"fr-ca", "fr"}, langKeys("fr-CA"))
	assert.Equal(t, []string{"en"}, langKeys("EN"))
	assert.Equal(t, []string{"zh-hant-tw", "zh"}, langKeys("zh-Hant-TW"))
	assert.Nil(t, langKeys(" "))
}

func TestCompareCodes(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"5.2", "5.10", -1},
		{"5.10", "6", -1},
		{"5", "5.1", -1},
		{"5.3", "5.3", 0},
		{"8.3", "OA-DM", -1},
		{"OA-DM", "OA-QM", -1},
		{"1.a", "1.b", -1},
	}
	for _, tt := range tests {
		t.Run(tt.a+" "+tt.b, func(t *testing.T) {
			assert.Equal(t, tt.want, fwkit.CompareCodes(tt.a, tt.b))
			assert.Equal(t, -tt.want, fwkit.CompareCodes(tt.b, tt.a))
		})
	}
}

func TestIntersect(t *testing.T) {
	long := make([]int32, 1000)
	for i := range long {
		long[i] = int32(2 * i)
	}
	tests := []struct {
		name  string
		lists [][]int32
		want  []int32
	}{
		{"one list", [][]int32{{1, 2, 3}}, []int32{1, 2, 3}},
		{"disjoint", [][]int32{{1, 3}, {2, 4}}, nil},
		{"shortest first", [][]int32{long, {0, 3, 998, 1998, 5000}}, []int32{0, 998, 1998}},
		{"three", [][]int32{{1, 2, 3, 4, 5}, {2, 4, 5}, {0, 4, 5, 6}}, []int32{4, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, intersect(tt.lists))
		})
	}
}

func TestSimilarities(t *testing.T) {
	var shared []int32
	assert.InDelta(t, 0.5, jaccard([]int32{1, 2, 3}, []int32{2, 3, 4}, &shared), 1e-9)
	assert.Equal(t, []int32{2, 3}, shared)
	assert.Zero(t, jaccard(nil, []int32{1}, nil))

	a := []ovNode{{id: 1, w: 1}, {id: 2, w: 0.5}}
	b := []ovNode{{id: 2, w: 1}, {id: 3, w: 1}}
	assert.InDelta(t, 0.5/3, weightedJaccard(a, b, nil), 1e-9, "min 0.5 over max 1+1+1")

	en := func(ids ...int32) []langToks { return []langToks{{"en", ids}} }
	s, lang := langJaccard(append(en(1, 2), langToks{"fr", []int32{7}}), en(1, 2), []int32{1, 2, 7}, []int32{1, 2}, nil)
	assert.InDelta(t, 1, s, 1e-9, "the shared language, not the union")
	assert.Equal(t, "en", lang)
	s, lang = langJaccard([]langToks{{"fr", []int32{1, 2}}}, en(2, 3), []int32{1, 2}, []int32{2, 3}, nil)
	assert.InDelta(t, 1.0/3, s, 1e-9, "no shared language: all tokens")
	assert.Equal(t, "", lang)
}

// FuzzTokens checks that tokenising never fails and is stable: the tokens
// of the tokens are the tokens.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{
		"Introduction to seasonal adjustment", "Introduction à la désaisonnalisation",
		"L'échantillonnage", "X-13ARIMA-SEATS", "İstatistik", "theses", "用于官方统计的手机数据", "\xff\xfe",
		"\xf7é", // once gave an unfolded token
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := tokenSet(s)
		for _, tok := range toks {
			if tok == "" {
				t.Fatalf("empty token from %q", s)
			}
		}
		joined := ""
		for _, tok := range toks {
			joined += tok + " "
		}
		if again := tokenSet(joined); !equalStrings(again, toks) {
			t.Fatalf("tokens of %q are %q, but the tokens of those are %q", s, toks, again)
		}
	})
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
