package mapping

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/metaacademy/ota/asset"
)

// syntheticCatalogue generates n asset trees aligned to GSBPM 5.2: each
// root is a course of parts lessons (none when parts is 0) with a duration,
// and every asset carries two alignments and an objective with one more,
// to random phases, sub-processes and overarching processes, in random
// relations and versions, with one code in fifty unknown. Publishers rotate
// over twelve NSOs. The same n gives the same catalogue.
func syntheticCatalogue(tb testing.TB, n, parts int) []Entry {
	tb.Helper()
	fw := mustLookup(tb, Default(), KeyGSBPM, "5.2")
	codes := make([]string, 0, len(fw.Nodes)+1)
	for i := range fw.Nodes {
		codes = append(codes, fw.Nodes[i].Code)
	}
	codes = append(codes, "9.9")
	rng := rand.New(rand.NewPCG(uint64(n), uint64(parts)))
	rels := []asset.AlignmentRelation{"", asset.Teaches, asset.Assesses, asset.Requires}
	versions := []string{"", "5.1", "5.2"}
	hour := dur(tb, "PT1H30M")
	pubs := make([]string, 12)
	for i := range pubs {
		pubs[i] = "NSO " + strconv.Itoa(i)
	}
	align := func() asset.Alignment {
		c := codes[rng.IntN(len(codes)-1)]
		if rng.IntN(50) == 0 {
			c = "9.9"
		}
		return asset.Alignment{Framework: "gsbpm", Version: versions[rng.IntN(3)], Code: c, Relation: rels[rng.IntN(4)]}
	}
	fill := func(a *asset.Asset, id string) {
		a.ID = id
		a.Title = asset.LangString{"en": "Synthetic " + id}
		a.Duration = hour
		a.Alignments = []asset.Alignment{align(), align()}
		a.Objectives = []asset.Objective{{ID: "o1", Alignments: []asset.Alignment{align()}}}
	}
	out := make([]Entry, n)
	for i := range out {
		a := &asset.Asset{Kind: asset.KindCourse}
		id := "urn:ota:bench:" + strconv.Itoa(i)
		fill(a, id)
		if parts > 0 {
			a.Parts = make([]asset.Asset, parts)
			for j := range a.Parts {
				fill(&a.Parts[j], id+":"+strconv.Itoa(j))
			}
		}
		out[i] = Entry{Asset: a, Publisher: pubs[i%len(pubs)]}
	}
	return out
}

// BenchmarkCoverageGSBPM measures coverage over GSBPM 5.2. The flat cases
// hold 10,000 and 100,000 single assets (three alignments each), showing
// that the work grows linearly; the course case holds 10,000 courses of
// nine lessons, 100,000 assets in all. The catalogue is generated before
// the timer starts.
func BenchmarkCoverageGSBPM(b *testing.B) {
	r := Default()
	cases := []struct {
		name     string
		n, parts int
		weighted bool
	}{
		{"flat-10k", 10_000, 0, false},
		{"flat-100k", 100_000, 0, false},
		{"flat-100k-weighted", 100_000, 0, true},
		{"courses-10k-x10", 10_000, 9, false},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			entries := syntheticCatalogue(b, bc.n, bc.parts)
			b.ReportAllocs()
			b.ResetTimer()
			var c *Coverage
			for b.Loop() {
				var err error
				c, err = r.Coverage("gsbpm", "5.2", entries, CoverageOptions{Weighted: bc.weighted})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			if c.LeavesCovered != 50 || len(c.Assets) != bc.n {
				b.Fatalf("%d leaves covered, %d assets", c.LeavesCovered, len(c.Assets))
			}
			assets := bc.n * (1 + bc.parts)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(assets*3), "ns/alignment")
		})
	}
}

// BenchmarkCheckAlignments checks one course of 10,000 lessons, 30,000
// alignments.
func BenchmarkCheckAlignments(b *testing.B) {
	r := Default()
	root := syntheticCatalogue(b, 1, 9_999)[0].Asset
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = r.CheckAlignments(root)
	}
}

// BenchmarkWriteSVG draws the GSBPM heatmap of a 100,000-asset catalogue.
func BenchmarkWriteSVG(b *testing.B) {
	c, err := Default().Coverage("gsbpm", "", syntheticCatalogue(b, 100_000, 0), CoverageOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := c.WriteSVG(discard{}); err != nil {
			b.Fatal(err)
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
