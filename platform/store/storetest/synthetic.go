package storetest

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"

	"github.com/metaacademy/ota/asset"
)

// Synthetic vocabulary: Zipf-distributed words, so that some are in most
// titles and most are rare, as in a real catalogue.
var (
	synthWords = func() []string {
		base := []string{"statistics", "data", "survey", "sampling", "seasonal", "adjustment", "census", "quality", "metadata", "dissemination",
			"editing", "imputation", "weighting", "classification", "national", "accounts", "price", "index", "labour", "force",
			"population", "register", "confidentiality", "visualisation", "machine", "learning", "python", "methods", "official", "time", "series"}
		out := append([]string(nil), base...)
		for i := range 3000 {
			out = append(out, fmt.Sprintf("term%04d", i))
		}
		return out
	}()
	synthLangs    = []string{"en", "fr", "es", "de", "it", "pt", "nl", "pl"}
	synthLicenses = []string{"CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "OGL-UK-3.0", "etalab-2.0"}
	synthLevels   = []asset.Level{asset.LevelBasic, asset.LevelIntermediate, asset.LevelAdvanced, asset.LevelExpert}
	synthGSBPM    = []string{"1.1", "1.2", "2.1", "2.4", "3.1", "4.1", "4.3", "5.1", "5.3", "5.4", "5.6", "6.1", "6.2", "6.4", "7.2", "8.2"}
)

// SyntheticSources is the number of sources synthetic assets are spread
// over.
const SyntheticSources = 20

// Synthetic returns the i-th asset of a deterministic synthetic
// catalogue and the source that publishes it: a course or lesson with a
// title of 3 to 7 Zipf-distributed words in one of eight languages, a
// description, keywords, one or two GSBPM alignments, a licence, a level
// and a duration; one in ten adapts an asset of another source.
func Synthetic(i int) (string, *asset.Asset) {
	r := rand.New(rand.NewPCG(uint64(i), 0x07a))
	z := rand.NewZipf(r, 1.2, 2, uint64(len(synthWords)-1))
	words := func(n int) string {
		s := ""
		for j := range n {
			if j > 0 {
				s += " "
			}
			s += synthWords[z.Uint64()]
		}
		return s
	}
	lang := synthLangs[r.IntN(len(synthLangs))]
	kind := asset.KindLesson
	if r.IntN(4) == 0 {
		kind = asset.KindCourse
	}
	d, _ := asset.ParseDuration(fmt.Sprintf("PT%dM", 30+r.IntN(40)*15))
	a := &asset.Asset{
		ID: SyntheticID(i), Version: "1.0.0", Kind: kind, Languages: []string{lang},
		Title:       asset.LangString{lang: words(3 + r.IntN(5))},
		Description: asset.LangString{lang: words(20 + r.IntN(20))},
		Keywords:    asset.LangList{lang: {words(1), words(2)}},
		License:     synthLicenses[r.IntN(len(synthLicenses))], Level: synthLevels[r.IntN(len(synthLevels))], Duration: d,
		Modified:   fmt.Sprintf("20%02d-%02d-%02d", 20+r.IntN(6), 1+r.IntN(12), 1+r.IntN(28)),
		Alignments: []asset.Alignment{{Framework: "gsbpm", Version: "5.1", Code: synthGSBPM[r.IntN(len(synthGSBPM))]}},
	}
	if r.IntN(2) == 0 {
		a.Alignments = append(a.Alignments, asset.Alignment{Framework: "gsbpm", Version: "5.1", Code: synthGSBPM[r.IntN(len(synthGSBPM))], Relation: asset.Assesses})
	}
	if i >= SyntheticSources && r.IntN(10) == 0 {
		a.Relations = []asset.Relation{{Type: asset.IsBasedOn, Target: SyntheticID(r.IntN(i))}}
	}
	return SyntheticSource(i), a
}

// SyntheticID is the ID of the i-th synthetic asset.
func SyntheticID(i int) string { return fmt.Sprintf("urn:uuid:5e000000-0000-4000-8000-%012d", i) }

// SyntheticSource is the source of the i-th synthetic asset.
func SyntheticSource(i int) string { return fmt.Sprintf("nso-%02d", i%SyntheticSources) }

// SyntheticWords returns the synthetic vocabulary's i-th most frequent word.
func SyntheticWords(i int) string { return synthWords[i] }

// PeakHeap samples the live heap — the bytes the last garbage collection
// found reachable (runtime/metrics /gc/heap/live:bytes), every 20 ms —
// until stop is called, which returns the largest value seen. A benchmark
// reports it to show that memory stays flat as the input grows. (The heap's
// total size also holds garbage not yet collected, which GOGC lets grow
// with the live heap, so it would say less.)
func PeakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	read := func() {
		metrics.Read(sample)
		if v := sample[0].Value.Uint64(); v > peak.Load() {
			peak.Store(v)
		}
	}
	runtime.GC()
	read()
	wg.Go(func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				read()
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		runtime.GC()
		read()
		return peak.Load()
	}
}
