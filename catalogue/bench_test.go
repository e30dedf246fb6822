package catalogue_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/metaacademy/ota/catalogue"

	"github.com/metaacademy/ota/asset"
)

// synthetic is a generated catalogue: the assets, who published each, and
// the ID pairs planted as duplicates across publishers.
type synthetic struct {
	assets     []*asset.Asset
	publishers []string
	planted    [][2]string
}

var synthPublishers = []string{
	"Statistics Canada", "INSEE", "Destatis", "Istat", "INE Spain", "CBS Netherlands",
	"ONS", "ABS", "Stats NZ", "IBGE", "BPS Indonesia", "UNECE",
}

// synthCore are common words of training titles in official statistics; the
// generator draws from them and from a long tail of rarer terms with a Zipf
// distribution, as real titles do.
var synthCore = strings.Fields(`statistics statistical data survey sampling census register
	seasonal adjustment time series imputation editing validation disclosure control
	confidentiality classification coding national accounts price index inflation labour
	force employment population demographic migration mortality fertility household income
	poverty inequality business enterprise trade tourism agriculture environment energy
	transport health education crime gender geospatial mapping metadata SDMX GSBPM quality
	management dissemination visualisation communication estimation variance weighting
	calibration nonresponse questionnaire design interviewing web mobile administrative
	linkage record deduplication machine learning big data scanner prices satellite
	imagery nowcasting forecasting regression modelling small area benchmarking
	reconciliation revision indicators dashboards open microdata anonymisation privacy
	R Python SQL SAS Stata spreadsheet programming reproducible pipelines cloud`)

// synthTail makes the n-th rarer term: a made-up word from syllables, so
// that the vocabulary has the long tail of method, product and place names
// real catalogues have.
func synthTail(n int) string {
	syl := []string{"ar", "be", "ci", "do", "en", "fa", "gu", "hi", "io", "ka", "lo", "mu", "ne", "or", "pa", "qui", "ro", "sa", "ti", "ul"}
	var b strings.Builder
	for n = n + 400; n > 0; n /= len(syl) {
		b.WriteString(syl[n%len(syl)])
	}
	return b.String()
}

func synthWord(z *rand.Zipf) string {
	k := int(z.Uint64())
	if k < len(synthCore) {
		return synthCore[k]
	}
	return synthTail(k - len(synthCore))
}

// synthGSBPM lists GSBPM-like codes: eight phases and their sub-processes.
var synthGSBPM = func() []string {
	var out []string
	for p, n := range []int{6, 6, 7, 4, 8, 5, 5, 3} {
		for s := 1; s <= n; s++ {
			out = append(out, strconv.Itoa(p+1)+"."+strconv.Itoa(s))
		}
	}
	return out
}()

// generate makes n assets with realistic titles, keywords, objectives and
// alignments, from several publishers, planting one duplicate pair per 1000
// assets: a copy by another publisher with a reworded title.
func generate(n int, seed uint64) synthetic {
	r := rand.New(rand.NewPCG(seed, 42))
	z := rand.NewZipf(r, 1.07, 2, 20_000)
	prefixes := []string{"Introduction to", "Fundamentals of", "Advanced", "Workshop on", "Practical", "Applied", "", "", ""}
	suffixes := []string{"for official statistics", "in practice", "with R", "with Python", "for national accounts", "", "", ""}
	levels := []asset.Level{asset.LevelBasic, asset.LevelIntermediate, asset.LevelAdvanced}
	langs := []string{"en", "en", "en", "fr", "es"}
	words := func(k int) string {
		w := make([]string, k)
		for i := range w {
			w[i] = synthWord(z)
		}
		return strings.Join(w, " ")
	}
	s := synthetic{}
	for i := 0; len(s.assets) < n; i++ {
		a := &asset.Asset{
			ID:        "https://example.org/synthetic/" + strconv.Itoa(i),
			Kind:      asset.KindCourse,
			Title:     asset.LangString{"en": strings.TrimSpace(prefixes[r.IntN(len(prefixes))] + " " + words(2+r.IntN(3)) + " " + suffixes[r.IntN(len(suffixes))])},
			Languages: []string{langs[r.IntN(len(langs))]},
			Level:     levels[r.IntN(len(levels))],
			Duration:  asset.Duration{Hours: int64(1 + r.IntN(20))},
			Keywords:  asset.LangList{"en": {words(1), words(2), words(1 + r.IntN(2))}},
		}
		for k := range 1 + r.IntN(3) {
			rel := asset.Teaches
			if k > 0 && r.IntN(4) == 0 {
				rel = asset.Requires
			}
			a.Alignments = append(a.Alignments, asset.Alignment{Framework: "gsbpm", Version: []string{"5.1", "5.2"}[r.IntN(2)],
				Code: synthGSBPM[r.IntN(len(synthGSBPM))], Relation: rel})
		}
		for k := range r.IntN(3) {
			a.Objectives = append(a.Objectives, asset.Objective{ID: "obj-" + strconv.Itoa(k), Text: asset.LangString{"en": words(6 + r.IntN(5))}})
		}
		pub := r.IntN(len(synthPublishers))
		s.assets = append(s.assets, a)
		s.publishers = append(s.publishers, synthPublishers[pub])
		if i%1000 == 7 && len(s.assets) < n {
			twin := a.Clone()
			twin.ID += "-twin"
			twin.Title = asset.LangString{"en": a.Title["en"] + " " + synthWord(z)}
			s.assets = append(s.assets, twin)
			s.publishers = append(s.publishers, synthPublishers[(pub+1+r.IntN(len(synthPublishers)-1))%len(synthPublishers)])
			s.planted = append(s.planted, [2]string{a.ID, twin.ID})
		}
	}
	return s
}

func (s synthetic) catalogue() *catalogue.Catalogue {
	c := &catalogue.Catalogue{}
	for i, a := range s.assets {
		c.Add(s.publishers[i], a)
	}
	return c
}

var benchSizes = []int{10_000, 100_000}

func BenchmarkCatalogueAdd(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			s := generate(n, 1)
			b.ReportAllocs()
			for b.Loop() {
				s.catalogue()
			}
		})
	}
}

func BenchmarkCatalogueIndex(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			s := generate(n, 1)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				c := s.catalogue()
				b.StartTimer()
				c.BuildIndex()
			}
		})
	}
}

func BenchmarkCatalogueQuery(b *testing.B) {
	queries := []catalogue.Query{
		{Framework: "gsbpm", Code: "5.3"},
		{Framework: "gsbpm", Code: "6.1", Relation: asset.Teaches, Level: asset.LevelBasic},
		{Language: "fr", Kind: asset.KindCourse, Publisher: "insee"},
		{Text: "seasonal adjustment"},
		{Keyword: "imputation", Language: "en"},
		{Framework: "gsbpm", Version: "5.2", Code: "2.4", Text: "sampling"},
	}
	for _, n := range benchSizes {
		var c *catalogue.Catalogue
		for _, q := range queries {
			b.Run(fmt.Sprintf("n=%d/%s", n, queryName(q)), func(b *testing.B) {
				if c == nil {
					c = generate(n, 1).catalogue()
					c.BuildIndex()
				}
				b.ReportAllocs()
				hits := 0
				for b.Loop() {
					hits = len(c.Query(q))
				}
				b.ReportMetric(float64(hits), "hits")
			})
		}
	}
}

func queryName(q catalogue.Query) string {
	var parts []string
	for _, kv := range [][2]string{{"fw", q.Framework}, {"v", q.Version}, {"code", q.Code}, {"rel", string(q.Relation)},
		{"lang", q.Language}, {"kind", string(q.Kind)}, {"level", string(q.Level)}, {"kw", q.Keyword},
		{"pub", q.Publisher}, {"text", q.Text}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+strings.ReplaceAll(kv[1], " ", "_"))
		}
	}
	return strings.Join(parts, ",")
}

func BenchmarkCatalogueOverlaps(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			s := generate(n, 1)
			c := s.catalogue()
			c.BuildIndex()
			b.ReportAllocs()
			var found []catalogue.Overlap
			for b.Loop() {
				found = c.Overlaps(catalogue.OverlapOptions{})
			}
			pairs := make(map[[2]string]bool, len(found))
			for _, o := range found {
				pairs[[2]string{o.A.Asset.ID, o.B.Asset.ID}] = true
			}
			recalled := 0
			for _, p := range s.planted {
				if pairs[p] {
					recalled++
				}
			}
			b.ReportMetric(float64(len(found)), "pairs")
			b.ReportMetric(float64(recalled)/float64(len(s.planted)), "planted-recall")
		})
	}
}

// BenchmarkCatalogueLoad reads n OTA documents from an in-memory file
// system, each parsed and validated by asset.Read, publishers taken from
// the folders.
func BenchmarkCatalogueLoad(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			s := generate(n, 1)
			fsys := fstest.MapFS{}
			var size int64
			for i, a := range s.assets {
				a.License = "CC-BY-4.0"
				data, err := asset.Marshal(asset.NewDocument(*a))
				if err != nil {
					b.Fatal(err)
				}
				dir := strings.ToLower(strings.ReplaceAll(s.publishers[i], " ", "-"))
				fsys[fmt.Sprintf("%s/%06d.ota.json", dir, i)] = &fstest.MapFile{Data: data}
				size += int64(len(data))
			}
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				c, rep, err := catalogue.LoadFS(fsys, catalogue.LoadOptions{})
				if err != nil || c.Len() != n || rep.HasErrors() {
					b.Fatal(err, c.Len(), rep.Errors())
				}
			}
		})
	}
}
