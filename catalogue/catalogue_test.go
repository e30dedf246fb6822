package catalogue_test

import (
	"fmt"
	"os"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/metaacademy/ota/catalogue"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
)

// The IDs of the test catalogue under testdata/catalogue/nsos: one folder
// per publisher.
const (
	sc = "https://www.statcan.gc.ca/en/wtc/ota/"
	in = "https://www.insee.fr/fr/formation/ota/"
	un = "https://unece.org/statistics/training/ota/"
)

// nsoIDs lists the entries of the test catalogue in catalogue order: the
// documents by path, each tree in document order.
var nsoIDs = []string{
	in + "correction-variations-saisonnieres",
	in + "correction-variations-saisonnieres/decomposition",
	in + "correction-variations-saisonnieres/jdemetra",
	in + "estimation-petits-domaines",
	in + "introduction-r",
	in + "principes-fondamentaux",
	in + "secret-statistique",
	sc + "disclosure-control",
	sc + "editing-imputation",
	sc + "sampling-fundamentals",
	sc + "seasonal-adjustment-intro",
	sc + "seasonal-adjustment-intro/decomposition",
	sc + "seasonal-adjustment-intro/x13-practice",
	sc + "seasonal-adjustment-intro/quiz",
	un + "fundamental-principles",
	un + "fundamental-principles/2",
	un + "gsbpm-overview",
	un + "machine-learning-coding",
	un + "statistical-data-editing",
}

func loadCatalogue(t testing.TB, dir string, opts catalogue.LoadOptions) (*catalogue.Catalogue, ota.Report) {
	t.Helper()
	c, rep, err := catalogue.LoadFS(os.DirFS("testdata/catalogue/"+dir), opts)
	require.NoError(t, err)
	return c, rep
}

func loadNSOs(t testing.TB) *catalogue.Catalogue {
	t.Helper()
	c, rep := loadCatalogue(t, "nsos", catalogue.LoadOptions{})
	require.Empty(t, rep.Issues, "the test catalogue is valid")
	return c
}

func entryIDs(es []*catalogue.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Asset.ID
	}
	return out
}

func TestLoad(t *testing.T) {
	c := loadNSOs(t)
	assert.Equal(t, len(nsoIDs), c.Len())
	assert.Equal(t, nsoIDs, entryIDs(c.Entries()), "every asset of every tree, in path and tree order")
	assert.Equal(t, []string{"INSEE", "Statistics Canada", "unece"}, c.Publishers())

	tests := []struct {
		id                        string
		source, pointer, location string
		publisher                 string
		languages                 []string
		root                      string
	}{
		{sc + "seasonal-adjustment-intro", "statcan/seasonal-adjustment-intro.ota.json", "", "statcan/seasonal-adjustment-intro.ota.json",
			"Statistics Canada", []string{"en"}, sc + "seasonal-adjustment-intro"},
		{sc + "seasonal-adjustment-intro/quiz", "statcan/seasonal-adjustment-intro.ota.json", "/parts/2", "statcan/seasonal-adjustment-intro.ota.json#/parts/2",
			"Statistics Canada", []string{"en"}, sc + "seasonal-adjustment-intro"},
		{in + "correction-variations-saisonnieres/jdemetra", "insee/correction-variations-saisonnieres.ota.json", "/parts/1", "insee/correction-variations-saisonnieres.ota.json#/parts/1",
			"INSEE", []string{"fr"}, in + "correction-variations-saisonnieres"},
		{un + "gsbpm-overview", "unece/gsbpm-overview.ota.json", "", "unece/gsbpm-overview.ota.json",
			"unece", []string{"en"}, un + "gsbpm-overview"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			es := c.ByID(tt.id)
			require.Len(t, es, 1)
			e := es[0]
			assert.Equal(t, tt.source, e.Source)
			assert.Equal(t, tt.pointer, e.Pointer)
			assert.Equal(t, tt.location, e.Location())
			assert.Equal(t, tt.pointer == "", e.IsRoot())
			assert.Equal(t, tt.publisher, e.Publisher)
			assert.Equal(t, tt.languages, e.Languages)
			assert.Equal(t, tt.root, e.Root.ID)
			assert.Same(t, e.Asset, c.Lookup(tt.id))
		})
	}
	assert.Nil(t, c.Lookup("https://example.org/none"))
	assert.Empty(t, c.Duplicates())
}

func TestLoadPublisherRule(t *testing.T) {
	tests := []struct {
		name string
		opts catalogue.LoadOptions
		want map[string]string // ID -> publisher
	}{
		{"contributor, else top folder", catalogue.LoadOptions{}, map[string]string{
			sc + "editing-imputation":                     "Statistics Canada",
			in + "introduction-r":                         "INSEE",
			un + "statistical-data-editing":               "unece",
			sc + "seasonal-adjustment-intro/x13-practice": "Statistics Canada",
		}},
		{"explicit option wins", catalogue.LoadOptions{Publisher: "Meta Academy"}, map[string]string{
			sc + "editing-imputation":                     "Meta Academy",
			in + "introduction-r":                         "Meta Academy",
			un + "statistical-data-editing":               "Meta Academy",
			sc + "seasonal-adjustment-intro/x13-practice": "Meta Academy",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := loadCatalogue(t, "nsos", tt.opts)
			for id, pub := range tt.want {
				assert.Equal(t, pub, c.ByID(id)[0].Publisher, id)
			}
		})
	}
}

func TestLoadReportsBadDocuments(t *testing.T) {
	tests := []struct {
		name    string
		opts    catalogue.LoadOptions
		entries int
		want    []ota.Issue // Pointer, Code, Severity and Line
	}{
		{"default", catalogue.LoadOptions{}, 5, []ota.Issue{
			{Pointer: "ons/missing-title.ota.json#/title", Line: 1, Code: "asset.title.missing", Severity: ota.Error},
			{Pointer: "ons/missing-title.ota.json", Code: "framework.catalogue.document.skipped", Severity: ota.Error},
			{Pointer: "ons/package.json", Code: "framework.catalogue.document.not-ota", Severity: ota.Info},
			{Pointer: "ons/truncated.ota.json#/title", Line: 6, Code: "framework.catalogue.document.unreadable", Severity: ota.Error},
			{Pointer: "orphan.ota.json", Code: "framework.catalogue.publisher.unknown", Severity: ota.Warning},
		}},
		{"keep invalid", catalogue.LoadOptions{KeepInvalid: true}, 6, []ota.Issue{
			{Pointer: "ons/missing-title.ota.json#/title", Line: 1, Code: "asset.title.missing", Severity: ota.Error},
			{Pointer: "ons/package.json", Code: "framework.catalogue.document.not-ota", Severity: ota.Info},
			{Pointer: "ons/truncated.ota.json#/title", Line: 6, Code: "framework.catalogue.document.unreadable", Severity: ota.Error},
			{Pointer: "orphan.ota.json", Code: "framework.catalogue.publisher.unknown", Severity: ota.Warning},
		}},
		{"a policy can forgive the error", catalogue.LoadOptions{Read: asset.ReadOptions{Check: asset.CheckOptions{Policy: ota.Policy{"asset.title.missing": ota.Warning}}}}, 6, []ota.Issue{
			{Pointer: "ons/missing-title.ota.json#/title", Line: 1, Code: "asset.title.missing", Severity: ota.Warning},
			{Pointer: "ons/package.json", Code: "framework.catalogue.document.not-ota", Severity: ota.Info},
			{Pointer: "ons/truncated.ota.json#/title", Line: 6, Code: "framework.catalogue.document.unreadable", Severity: ota.Error},
			{Pointer: "orphan.ota.json", Code: "framework.catalogue.publisher.unknown", Severity: ota.Warning},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rep := loadCatalogue(t, "broken", tt.opts)
			assert.Equal(t, tt.entries, c.Len())
			var got []ota.Issue
			for _, is := range rep.Issues {
				assert.NotEmpty(t, is.Message)
				assert.NotContains(t, is.Pointer, ".drafts", "hidden folders are skipped")
				got = append(got, ota.Issue{Pointer: is.Pointer, Line: is.Line, Code: is.Code, Severity: is.Severity})
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestLoadFS(t *testing.T) {
	doc := `{"ota": "1.0", "id": "https://example.org/a", "kind": "lesson", "title": {"en": "A"}, "license": "CC0-1.0"}`
	tests := []struct {
		name  string
		fsys  fstest.MapFS
		n     int
		codes []string
	}{
		{"plain .json documents are read", fstest.MapFS{"abs/a.json": {Data: []byte(doc)}}, 1, nil},
		{"a JSON array named .json is skipped", fstest.MapFS{"abs/list.json": {Data: []byte(`[1, 2]`)}}, 0,
			[]string{"framework.catalogue.document.not-ota"}},
		{"a JSON array named .ota.json is an error", fstest.MapFS{"abs/list.ota.json": {Data: []byte(`[1, 2]`)}}, 0,
			[]string{"framework.catalogue.document.unreadable"}},
		{"an object without \"ota\" named .ota.json is invalid", fstest.MapFS{"abs/x.ota.json": {Data: []byte(`{"id": "https://example.org/x"}`)}}, 0,
			[]string{"asset.format.missing", "asset.kind.missing", "asset.title.missing", "asset.license.missing", "framework.catalogue.document.skipped"}},
		{"other files are ignored", fstest.MapFS{"abs/readme.md": {Data: []byte("# hi")}, "abs/a.JSON": {Data: []byte(doc)}}, 1, nil},
		{"a document too large", fstest.MapFS{"abs/a.ota.json": {Data: []byte(doc + "          ")}}, 0,
			[]string{"framework.catalogue.document.unreadable"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := catalogue.LoadOptions{}
			if tt.name == "a document too large" {
				opts.Read.MaxBytes = 20
			}
			c, rep, err := catalogue.LoadFS(tt.fsys, opts)
			require.NoError(t, err)
			assert.Equal(t, tt.n, c.Len())
			var codes []string
			for _, is := range rep.Issues {
				codes = append(codes, is.Code)
			}
			assert.Equal(t, tt.codes, codes)
		})
	}
	_, _, err := catalogue.LoadFS(os.DirFS("testdata/catalogue/no-such-folder"), catalogue.LoadOptions{})
	assert.Error(t, err, "a root that cannot be walked is the one fatal error")
}

func TestAddPublisherAndLanguages(t *testing.T) {
	pub := func(name string) asset.Contributor {
		return asset.Contributor{Name: name, Type: asset.Organization, Roles: []asset.Role{asset.RoleAuthor, asset.RolePublisher}}
	}
	tree := &asset.Asset{
		ID: "https://example.org/programme", Kind: asset.KindProgramme, Title: asset.LangString{"en": "Programme"},
		Languages: []string{"de", "en"}, Contributors: []asset.Contributor{pub("Destatis")},
		Parts: []asset.Asset{
			{ID: "https://example.org/programme/own", Kind: asset.KindCourse, Title: asset.LangString{"en": "Own course"}},
			{ID: "https://example.org/programme/borrowed", Kind: asset.KindCourse, Title: asset.LangString{"en": "Borrowed course"},
				Languages: []string{"de"}, Contributors: []asset.Contributor{pub("Statistics Austria")},
				Parts: []asset.Asset{{ID: "https://example.org/programme/borrowed/1", Kind: asset.KindModule, Title: asset.LangString{"en": "Module"}}}},
		},
	}
	tests := []struct {
		name      string
		publisher string
		want      map[string]string
	}{
		{"from contributors", "", map[string]string{
			"https://example.org/programme":            "Destatis",
			"https://example.org/programme/own":        "Destatis",
			"https://example.org/programme/borrowed":   "Statistics Austria",
			"https://example.org/programme/borrowed/1": "Statistics Austria",
		}},
		{"explicit", "Eurostat", map[string]string{
			"https://example.org/programme":            "Eurostat",
			"https://example.org/programme/borrowed/1": "Eurostat",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &catalogue.Catalogue{}
			c.Add(tt.publisher, tree)
			c.Add("ignored", nil)
			require.Equal(t, 4, c.Len())
			for id, p := range tt.want {
				e := c.ByID(id)[0]
				assert.Equal(t, p, e.Publisher, id)
				assert.Equal(t, "", e.Source)
				assert.Equal(t, id, e.Location())
			}
			assert.Equal(t, []string{"de", "en"}, c.ByID("https://example.org/programme/own")[0].Languages, "inherited")
			assert.Equal(t, []string{"de"}, c.ByID("https://example.org/programme/borrowed/1")[0].Languages, "from the nearest ancestor")
		})
	}
	c := &catalogue.Catalogue{}
	c.Add("", &asset.Asset{ID: "https://example.org/anonymous", Kind: asset.KindLesson})
	assert.Equal(t, []string{""}, c.Publishers(), "no publisher known")
}

func TestMerge(t *testing.T) {
	nsos := loadNSOs(t)
	ons, _ := loadCatalogue(t, "broken", catalogue.LoadOptions{})
	merged := &catalogue.Catalogue{}
	rep := merged.Merge(nsos, nil, ons)
	assert.Equal(t, nsos.Len()+ons.Len(), merged.Len())
	assert.Equal(t, len(nsoIDs), nsos.Len(), "the catalogues merged are not changed")
	assert.Equal(t, []string{"", "INSEE", "Office for National Statistics", "Statistics Canada", "unece"}, merged.Publishers())

	// ONS republished Statistics Canada's course under the same IDs: four
	// assets, each kept and reported.
	var ptrs []string
	for _, is := range rep.Issues {
		assert.Equal(t, "framework.catalogue.id.duplicate", is.Code)
		assert.Equal(t, ota.Warning, is.Severity)
		assert.Contains(t, is.Message, "published by Statistics Canada")
		ptrs = append(ptrs, is.Pointer)
	}
	assert.Equal(t, []string{
		"ons/seasonal-adjustment-copy.ota.json",
		"ons/seasonal-adjustment-copy.ota.json#/parts/0",
		"ons/seasonal-adjustment-copy.ota.json#/parts/1",
		"ons/seasonal-adjustment-copy.ota.json#/parts/2",
	}, ptrs)

	es := merged.ByID(sc + "seasonal-adjustment-intro")
	require.Len(t, es, 2)
	assert.Equal(t, "Statistics Canada", es[0].Publisher)
	assert.Equal(t, "statcan/seasonal-adjustment-intro.ota.json", es[0].Source)
	assert.Equal(t, "Office for National Statistics", es[1].Publisher)
	assert.Equal(t, "ons/seasonal-adjustment-copy.ota.json", es[1].Source)
	assert.Same(t, es[0].Asset, merged.Lookup(sc+"seasonal-adjustment-intro"), "Lookup gives the first")

	dups := merged.Duplicates()
	require.Len(t, dups, 4)
	for _, d := range dups {
		assert.True(t, d.CrossPublisher(), d.ID)
		assert.Len(t, d.Entries, 2)
	}

	t.Run("same publisher twice", func(t *testing.T) {
		again := &catalogue.Catalogue{}
		again.Merge(nsos)
		rep := again.Merge(nsos)
		require.Len(t, rep.Issues, len(nsoIDs))
		assert.Contains(t, rep.Issues[0].Message, "of the same publisher")
		assert.False(t, again.Duplicates()[0].CrossPublisher())
	})
	t.Run("into itself", func(t *testing.T) {
		n := nsos.Len()
		assert.Empty(t, nsos.Merge(nsos).Issues)
		assert.Equal(t, n, nsos.Len())
	})
}

func TestLoadReportsDuplicates(t *testing.T) {
	doc := func(pub string) []byte {
		return fmt.Appendf(nil, `{"ota": "1.0", "id": "https://example.org/shared", "kind": "lesson", "title": {"en": "Shared"}, "license": "CC0-1.0",
			"contributors": [{"name": %q, "roles": ["publisher"]}]}`, pub)
	}
	c, rep, err := catalogue.LoadFS(fstest.MapFS{"a/x.ota.json": {Data: doc("A")}, "b/x.ota.json": {Data: doc("B")}}, catalogue.LoadOptions{})
	require.NoError(t, err)
	assert.Equal(t, 2, c.Len())
	require.Len(t, rep.Issues, 1)
	assert.Equal(t, "framework.catalogue.id.duplicate", rep.Issues[0].Code)
	assert.Equal(t, "b/x.ota.json", rep.Issues[0].Pointer)
}

func TestCatalogueConcurrentUse(t *testing.T) {
	nsos := loadNSOs(t)
	c := &catalogue.Catalogue{}
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for j := range 20 {
				c.Add(fmt.Sprint("p", i), &asset.Asset{ID: fmt.Sprintf("https://example.org/%d/%d", i, j), Kind: asset.KindLesson,
					Title: asset.LangString{"en": "Seasonal adjustment"}})
				c.Query(catalogue.Query{Text: "seasonal"})
			}
		})
		wg.Go(func() {
			c.Merge(nsos)
			c.Overlaps(catalogue.OverlapOptions{})
			c.Lineage(in + "principes-fondamentaux")
		})
	}
	wg.Wait()
	assert.Equal(t, 80+4*len(nsoIDs), c.Len())
	assert.Len(t, c.Query(catalogue.Query{Text: "seasonal adjustment", Kind: asset.KindLesson}), 80)
}

func TestWalkAddDocumentMatchesLoadFS(t *testing.T) {
	for _, dir := range []string{"nsos", "broken"} {
		t.Run(dir, func(t *testing.T) {
			fsys := os.DirFS("testdata/catalogue/" + dir)
			want, wantRep, err := catalogue.LoadFS(fsys, catalogue.LoadOptions{})
			require.NoError(t, err)
			got := &catalogue.Catalogue{}
			var paths []string
			rep, err := catalogue.Walk(fsys, catalogue.LoadOptions{}, func(path string, root *asset.Asset, rep *ota.Report) error {
				paths = append(paths, path)
				rep.Merge(got.AddDocument("", path, root))
				return nil
			})
			require.NoError(t, err)
			require.NotEmpty(t, paths)
			assert.Equal(t, wantRep.Issues, rep.Issues)
			require.Equal(t, want.Len(), got.Len())
			for i, e := range want.Entries() {
				g := got.Entries()[i]
				assert.Equal(t, e.Asset.ID, g.Asset.ID)
				assert.Equal(t, e.Source, g.Source)
				assert.Equal(t, e.Publisher, g.Publisher)
			}
		})
	}
	stop := fmt.Errorf("stop")
	_, err := catalogue.Walk(os.DirFS("testdata/catalogue/nsos"), catalogue.LoadOptions{}, func(string, *asset.Asset, *ota.Report) error { return stop })
	assert.ErrorIs(t, err, stop, "an error of fn stops the walk")
}
