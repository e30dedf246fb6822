package casepkg_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/metaacademy/ota/framework/casepkg"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/framework"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/case/golden")

func readCASEFile(t *testing.T, path string) (*framework.Framework, ota.Report) {
	t.Helper()
	fh, err := os.Open(path)
	require.NoError(t, err)
	defer fh.Close()
	f, rep, err := casepkg.Read(fh, casepkg.ReadOptions{})
	require.NoError(t, err)
	require.NotNil(t, f)
	return f, rep
}

func writeCASE(t *testing.T, f *framework.Framework) ([]byte, ota.Report) {
	t.Helper()
	var buf bytes.Buffer
	rep, err := casepkg.Write(&buf, f)
	require.NoError(t, err, "%v", rep.Issues)
	return buf.Bytes(), rep
}

func lossWhats(rep ota.Report) []string {
	var out []string
	for _, l := range rep.Losses {
		out = append(out, l.What)
	}
	return out
}

func hasLoss(rep ota.Report, prefix string) bool {
	return slices.ContainsFunc(rep.Losses, func(l ota.Loss) bool { return strings.HasPrefix(l.What, prefix) })
}

func TestReadCASEFixtures(t *testing.T) {
	tests := []struct {
		file   string
		title  string
		counts map[framework.NodeKind]int
		scales int
		assocs map[framework.AssociationType]int
		losses []string
		check  func(t *testing.T, f *framework.Framework)
	}{
		{
			file:   "nso-statistical-competency.json",
			title:  "Statistical Competency Framework for Official Statisticians",
			counts: map[framework.NodeKind]int{framework.KindArea: 4, framework.KindCompetence: 10, framework.KindSkill: 5},
			scales: 1,
			assocs: map[framework.AssociationType]int{framework.Related: 1},
			losses: []string{"hasSkillLevel associations", "the educationLevel of items", "the conceptKeywords of items", "the CFDocument's adoptionStatus", "the lastChangeDateTime of items"},
			check: func(t *testing.T, f *framework.Framework) {
				assert.Equal(t, "National Statistical Institute of Examplia", f.Publisher)
				assert.Equal(t, "CC-BY-4.0", f.License)
				assert.Equal(t, "2.0", f.Version)
				assert.Equal(t, "en", f.Language)
				assert.Equal(t, "2024-03-15T09:30:00+00:00", f.Modified)
				assert.Equal(t, "https://www.stat.example.org/academy/competency-framework-2024", f.Source)
				a1 := f.Node("A1")
				require.NotNil(t, a1)
				assert.Equal(t, "Sampling and estimation", a1.Name["en"])
				assert.Equal(t, "Designs samples and computes estimates with their precision for household and business surveys.", a1.Description["en"])
				assert.Equal(t, "A", a1.Parent)
				assert.Equal(t, []string{"A1.1", "A1.2"}, codes(f.Children("A1")))
				assert.Equal(t, []string{"Administrative sources"}, f.Node("B3").AltNames)
				sc := f.Scales[0]
				assert.Equal(t, "BIA", sc.ID)
				require.Len(t, sc.Levels, 3)
				assert.Equal(t, "Basic", sc.Levels[0].Name["en"])
				assert.Equal(t, "3", sc.Levels[2].Code)
				assert.Equal(t, 3, sc.Levels[2].Rank)
				assert.Nil(t, f.Node("BIA"), "the scale is not a node")
			},
		},
		{
			file:   "data-science-official-statistics.json",
			title:  "Data Science for Official Statistics",
			counts: map[framework.NodeKind]int{framework.KindArea: 3, framework.KindCompetence: 8},
			assocs: map[framework.AssociationType]int{framework.Precedes: 3, framework.Related: 1, framework.ExactMatch: 2, framework.CloseMatch: 1},
			losses: []string{"1 CFRubrics", "1 CFAssociationGroupings", "isPeerOf associations", "the CFDocument's subject", "the sequenceNumber of associations other than isChildOf"},
			check: func(t *testing.T, f *framework.Framework) {
				assert.Equal(t, []string{"Draft for consultation with the participating offices."}, f.Notes)
				kids := f.Children("DS-2.1")
				require.Len(t, kids, 2)
				for _, k := range kids {
					assert.True(t, k.Unofficial, "a learning outcome without humanCodingScheme gets an unofficial code")
					assert.Len(t, k.Code, 36)
				}
				assert.Contains(t, kids[1].Name, "en-GB", "an item's own language keys its text")
				var ext []string
				for _, a := range f.Associations {
					if a.Type == framework.ExactMatch || a.Type == framework.CloseMatch {
						ext = append(ext, a.Target)
					}
				}
				assert.Contains(t, ext, "https://frameworks.example.org/case/CFItems/7c4d6a0e-2b1f-4c8e-9a55-3f0d1e2b6c71")
				assert.Equal(t, framework.Precedes, f.Associations[0].Type)
				assert.Equal(t, "DS-1.1", f.Associations[0].Source)
				assert.Equal(t, "DS-2.1", f.Associations[0].Target)
			},
		},
		{
			file:   "gsbpm-training.json",
			title:  "GSBPM-aligned training curriculum",
			counts: map[framework.NodeKind]int{framework.KindPhase: 3, framework.KindSubprocess: 8, framework.KindOverarching: 1},
			assocs: map[framework.AssociationType]int{framework.Precedes: 2, framework.ExactMatch: 1},
			losses: []string{"1 CFSubjects", "the CFDocument's frameworkType", "the CFDocument's statusStartDate", "the CFDocument's subjectURI"},
			check: func(t *testing.T, f *framework.Framework) {
				assert.Equal(t, "OGL-UK-3.0", f.License, "the CFLicense title wins over the link title")
				assert.Equal(t, []string{"4.1", "4.3"}, codes(f.Children("4")))
				assert.Equal(t, "Review and validate", f.Node("5.3").Name.String())
				assert.Equal(t, "https://frameworks.example.org/gsbpm/5.1/5.3", f.Associations[2].Target)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, rep := readCASEFile(t, filepath.Join("testdata/case", tt.file))
			assert.False(t, rep.HasErrors(), "%v", rep.Errors())
			assert.Empty(t, rep.Warnings())
			assert.Empty(t, f.Check().Issues)
			assert.Equal(t, tt.title, f.Title["en"])
			total := 0
			for k, n := range tt.counts {
				assert.Equal(t, n, f.Count(k), "kind %s", k)
				total += n
			}
			assert.Equal(t, total, f.Count(""))
			assert.Len(t, f.Scales, tt.scales)
			got := map[framework.AssociationType]int{}
			for _, a := range f.Associations {
				got[a.Type]++
			}
			if tt.assocs == nil {
				tt.assocs = map[framework.AssociationType]int{}
			}
			assert.Equal(t, tt.assocs, got)
			for _, l := range tt.losses {
				assert.True(t, hasLoss(rep, l), "no loss %q in %q", l, lossWhats(rep))
			}
			for _, l := range rep.Losses {
				assert.NotEmpty(t, l.Pointer, l.What)
				assert.True(t, strings.HasPrefix(l.Pointer, "/CF"), l.Pointer)
			}
			tt.check(t, f)
		})
	}
}

func TestReadCASEInvalid(t *testing.T) {
	tests := []struct {
		file  string
		err   error
		codes map[string]string // code → pointer
	}{
		{file: "missing-document.json", err: casepkg.ErrNotCASE},
		{file: "duplicate-key.json", err: casepkg.ErrSyntax},
		{file: "duplicate-identifiers.json", codes: map[string]string{
			"case.identifier.duplicate": "/CFItems/1/identifier",
		}},
		{file: "dangling-association.json", codes: map[string]string{
			"case.association.destination-unresolved": "/CFAssociations/0/destinationNodeURI",
			"case.association.origin-unresolved":      "/CFAssociations/1/originNodeURI",
			"case.link.uri-missing":                   "/CFAssociations/1/originNodeURI",
		}},
		{file: "wrong-types.json", codes: map[string]string{
			"case.json.wrong-type":        "/CFDocument/language",
			"case.item.statement-missing": "/CFItems/0",
		}},
		{file: "parent-cycle.json", codes: map[string]string{
			"framework.node.parent-cycle":   "/CFItems/0",
			"case.association.type-invalid": "/CFAssociations/2/associationType",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			fh, err := os.Open(filepath.Join("testdata/case/invalid", tt.file))
			require.NoError(t, err)
			defer fh.Close()
			f, rep, err := casepkg.Read(fh, casepkg.ReadOptions{})
			if tt.err != nil {
				require.Error(t, err)
				assert.True(t, errors.Is(err, tt.err), "%v", err)
				assert.Nil(t, f)
				return
			}
			require.NoError(t, err)
			require.NotNil(t, f)
			assert.True(t, rep.HasErrors())
			for code, ptr := range tt.codes {
				i := slices.IndexFunc(rep.Issues, func(is ota.Issue) bool { return is.Code == code && is.Pointer == ptr })
				if assert.GreaterOrEqual(t, i, 0, "no %s at %s in %v", code, ptr, rep.Issues) {
					assert.Positive(t, rep.Issues[i].Line)
				}
			}
		})
	}
}

func TestReadCASEWrongTypesDetail(t *testing.T) {
	f, rep := readCASEFile(t, "testdata/case/invalid/wrong-types.json")
	var ptrs []string
	for _, is := range rep.Issues {
		if is.Code == "case.json.wrong-type" {
			ptrs = append(ptrs, is.Pointer)
		}
	}
	assert.ElementsMatch(t, []string{"/CFDefinitions", "/CFDocument/language", "/CFDocument/version", "/CFItems/0/fullStatement", "/CFItems/0/educationLevel", "/CFItems/1", "/CFAssociations"}, ptrs)
	assert.Equal(t, "Framework with members of the wrong type", f.Title["und"])
	assert.Empty(t, f.Version)
}

func TestReadCASEOptions(t *testing.T) {
	data, err := os.ReadFile("testdata/case/gsbpm-training.json")
	require.NoError(t, err)
	t.Run("max bytes", func(t *testing.T) {
		_, _, err := casepkg.Read(bytes.NewReader(data), casepkg.ReadOptions{MaxBytes: 1000})
		assert.True(t, errors.Is(err, casepkg.ErrTooLarge), "%v", err)
	})
	t.Run("max depth", func(t *testing.T) {
		_, _, err := casepkg.Read(bytes.NewReader(data), casepkg.ReadOptions{MaxDepth: 2})
		assert.True(t, errors.Is(err, casepkg.ErrSyntax), "%v", err)
	})
	t.Run("not an object", func(t *testing.T) {
		_, _, err := casepkg.Read(strings.NewReader(`[1]`), casepkg.ReadOptions{})
		assert.True(t, errors.Is(err, casepkg.ErrNotCASE), "%v", err)
	})
	t.Run("byte order mark", func(t *testing.T) {
		f, _, err := casepkg.Read(bytes.NewReader(append([]byte("\xEF\xBB\xBF"), data...)), casepkg.ReadOptions{})
		require.NoError(t, err)
		assert.Equal(t, 12, f.Count(""))
	})
	t.Run("default kind and policy", func(t *testing.T) {
		doc := `{"CFDocument":{"identifier":"0b5e4f7a-1c2d-4e3f-9a8b-7c6d5e4f3a2b","uri":"https://case.example.org/d","creator":"X","title":"T","language":"en","lastChangeDateTime":"2024-01-01T00:00:00Z"},
		"CFItems":[{"identifier":"7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918","uri":"https://case.example.org/i","fullStatement":"Reads tables","humanCodingScheme":"K1","CFItemType":"Indicator","lastChangeDateTime":"2024-01-01T00:00:00Z","colour":"blue"}]}`
		f, rep, err := casepkg.Read(strings.NewReader(doc), casepkg.ReadOptions{
			DefaultKind: framework.KindSkill,
			Policy:      ota.Policy{"case.json.unknown-member": ota.Ignore},
		})
		require.NoError(t, err)
		assert.Equal(t, framework.KindSkill, f.Node("K1").Kind)
		assert.False(t, slices.ContainsFunc(rep.Issues, func(is ota.Issue) bool { return is.Code == "case.json.unknown-member" }))
		assert.True(t, hasLoss(rep, `the unknown member "colour" of a CFItem`), "%q", lossWhats(rep))
		out, _ := writeCASE(t, f)
		assert.Contains(t, string(out), `"CFItemType": "Indicator"`, "an unrecognised item type is written back")
	})
}

// rich is a framework that uses everything the model has.
func rich() *framework.Framework {
	bands := framework.Scale{
		ID:   "bands",
		Name: asset.LangString{"en": "Bands", "fr": "Bandes"},
		Levels: []framework.Level{
			{Code: "F", Name: en("Foundation"), Group: "Foundation", Rank: 10},
			{Code: "A", Rank: 20, Description: en("Works without guidance.")},
		},
		Extensions: map[string]json.RawMessage{"https://example.org/ext/scale": json.RawMessage(`{"x":1}`)},
	}
	return &framework.Framework{
		ID:          "https://stats.example.org/frameworks/skills",
		Key:         "xskills",
		Version:     "3.1",
		Title:       asset.LangString{"en": "Skills for statisticians", "fr": "Compétences des statisticiens"},
		Description: asset.LangString{"en": "What statisticians need to know.", "de": "Was Statistiker wissen müssen."},
		Publisher:   "Examplia Statistics",
		License:     "CC-BY-4.0",
		Language:    "en",
		Source:      "https://stats.example.org/skills.pdf",
		Modified:    "2024-05-01",
		Notes:       []string{"Codes of area Z are assigned by OTA.", "Second note.\n\nWith two paragraphs."},
		Extensions:  map[string]json.RawMessage{"https://example.org/ext/fw": json.RawMessage(`"kept"`)},
		Nodes: []framework.Node{
			{Code: "M", Kind: framework.KindArea, Name: asset.LangString{"en": "Methods", "fr": "Méthodes"}, ID: "https://stats.example.org/n/M"},
			{Code: "M.1", Kind: framework.KindCompetence, Parent: "M", Name: en("Sampling"), Description: en("Designs samples."),
				AltNames: []string{"Survey sampling", "Sample design", "Échantillonnage"}, PreviousName: "Sample surveys"},
			{Code: "M.2", Kind: framework.KindCompetence, Parent: "M", Name: en("Estimation"), Description: en("Estimation"), Unconfirmed: true,
				ID: "urn:uuid:3f2504e0-4f89-41d3-9a0c-0305e82c3301"},
			{Code: "Z", Kind: framework.KindCapability, Name: en("Infrastructure"), Unofficial: true,
				Extensions: map[string]json.RawMessage{"https://example.org/ext/node": json.RawMessage(`[1,2]`)}},
			{Code: "M.1.k", Kind: framework.KindKnowledge, Parent: "M.1", Name: asset.LangString{"fr": "Théorie des sondages"}},
			{Code: "Z.1", Kind: framework.KindSkill, Parent: "Z", Name: en("Cloud computing"), Description: asset.LangString{"de": "Rechnen in der Cloud"}},
			{Code: "P", Kind: framework.KindPhase, Name: en("Collect")},
			{Code: "P.1", Kind: framework.KindSubprocess, Parent: "P", Name: en("Run collection")},
			{Code: "P.1.a", Kind: framework.KindActivity, Parent: "P.1", Name: en("Send reminders")},
			{Code: "O", Kind: framework.KindOverarching, Name: en("Metadata management")},
		},
		Scales: []framework.Scale{framework.BasicIntermediateAdvanced(), bands},
		Associations: []framework.Association{
			{Type: framework.ChildOf, Source: "Z.1", Target: "M"},
			{Type: framework.Precedes, Source: "M.1", Target: "M.2"},
			{Type: framework.Related, Source: "M.2", Target: "Z"},
			{Type: framework.ExactMatch, Source: "P.1", Target: "gsbpm@5.1:4.3"},
			{Type: framework.CloseMatch, Source: "Z.1", Target: "https://example.org/other/cloud"},
			{Type: framework.BroadMatch, Source: "M.1.k", Target: "digcomp@2.2:1.1"},
			{Type: framework.NarrowMatch, Source: "O", Target: "urn:uuid:9f3a2c1b-7e6d-4c5b-a4f3-2e1d0c9b8a76"},
			{Type: framework.Precedes, Source: "M.1", Target: "M.2"},
			{Type: framework.Related, Source: "https://example.org/a", Target: "https://example.org/b",
				Extensions: map[string]json.RawMessage{"https://example.org/ext/assoc": json.RawMessage(`true`)}},
		},
	}
}

func TestCASERoundTripFromFramework(t *testing.T) {
	variants := map[string]func(f *framework.Framework){
		"as is": func(*framework.Framework) {},
		"no language, publisher or date": func(f *framework.Framework) {
			f.Language, f.Publisher, f.Modified = "", "", ""
		},
		"date-time, other licence": func(f *framework.Framework) {
			f.Modified = "2024-05-01T10:11:12+02:00"
			f.License = "Open Government Licence v3.0 (see the publisher's site)"
			f.Notes = []string{"One note."}
		},
		"uuid framework id": func(f *framework.Framework) {
			f.ID = "urn:uuid:6fa459ea-ee8a-3ca4-894e-db77e160355e"
			f.License = "https://creativecommons.org/licenses/by/4.0/"
		},
		"minimal": func(f *framework.Framework) {
			*f = framework.Framework{ID: "urn:example:fw", Title: en("Tiny"),
				Nodes: []framework.Node{{Code: "1", Kind: framework.KindArea, Name: en("One")}}}
		},
	}
	for name, change := range variants {
		t.Run(name, func(t *testing.T) {
			f := rich()
			change(f)
			require.Empty(t, f.Check().Errors())
			out, wrep := writeCASE(t, f)
			back, rrep, err := casepkg.Read(bytes.NewReader(out), casepkg.ReadOptions{})
			require.NoError(t, err)
			assert.Empty(t, rrep.Issues, "OTA's CASE output reads without issues")
			assert.Empty(t, rrep.Losses, "and without losses")
			// Field by field, then as a whole.
			assert.Equal(t, f.ID, back.ID)
			assert.Equal(t, f.Key, back.Key)
			assert.Equal(t, f.Version, back.Version)
			assert.Equal(t, f.Title, back.Title)
			assert.Equal(t, f.Description, back.Description)
			assert.Equal(t, f.Publisher, back.Publisher)
			assert.Equal(t, f.License, back.License)
			assert.Equal(t, f.Language, back.Language)
			assert.Equal(t, f.Source, back.Source)
			assert.Equal(t, f.Modified, back.Modified)
			assert.Equal(t, f.Notes, back.Notes)
			assert.Equal(t, f.Extensions, back.Extensions)
			require.Len(t, back.Nodes, len(f.Nodes))
			for i := range f.Nodes {
				assert.Equal(t, f.Nodes[i], back.Nodes[i], "node %d", i)
			}
			assert.Equal(t, f.Scales, back.Scales)
			assert.Equal(t, f.Associations, back.Associations)
			assert.Equal(t, f, back)
			// Writing the result again gives the same bytes.
			again, _ := writeCASE(t, back)
			assert.Equal(t, string(out), string(again))
			if name == "as is" {
				for _, w := range []string{"texts in languages other than the one written", "unofficial flags of codes", "unconfirmed flags of names",
					"alternative names after the first", "previous names", "close, broad and narrow matches",
					"references to nodes of registered frameworks", "the groups of proficiency levels", "the framework's registered key"} {
					assert.True(t, hasLoss(wrep, w), "no loss %q in %q", w, lossWhats(wrep))
				}
				assert.Empty(t, wrep.Issues)
			}
			if name == "no language, publisher or date" {
				assert.Len(t, wrep.Warnings(), 2)
			}
		})
	}
}

func TestCASEFixtureRoundTrip(t *testing.T) {
	files, err := filepath.Glob("testdata/case/*.json")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 3)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			f, _ := readCASEFile(t, file)
			out, _ := writeCASE(t, f)
			g, rep, err := casepkg.Read(bytes.NewReader(out), casepkg.ReadOptions{})
			require.NoError(t, err)
			assert.Empty(t, rep.Issues)
			assert.Equal(t, f, g)
			again, _ := writeCASE(t, g)
			assert.Equal(t, string(out), string(again))
			// The publisher's identifiers and URIs survive.
			orig, err := os.ReadFile(file)
			require.NoError(t, err)
			var pkg struct {
				CFDocument struct{ Identifier, URI string }
				CFItems    []struct{ Identifier, URI string }
			}
			require.NoError(t, json.Unmarshal(orig, &pkg))
			for _, it := range pkg.CFItems {
				assert.Contains(t, string(out), `"identifier": "`+it.Identifier+`"`)
				assert.Contains(t, string(out), `"uri": "`+it.URI+`"`)
			}
			assert.Contains(t, string(out), `"identifier": "`+pkg.CFDocument.Identifier+`"`)
		})
	}
}

// TestWriteCASEShape checks the output against the CASE 1.1 JSON binding's
// rules as this test states them: the members each object may have, those
// it must have, and the form of identifiers.
func TestWriteCASEShape(t *testing.T) {
	allowed := map[string][]string{
		"package":     {"CFDocument", "CFItems", "CFAssociations", "CFDefinitions", "CFRubrics", "extensions"},
		"document":    {"identifier", "uri", "frameworkType", "caseVersion", "creator", "title", "lastChangeDateTime", "officialSourceURL", "publisher", "description", "subject", "subjectURI", "language", "version", "adoptionStatus", "statusStartDate", "statusEndDate", "licenseURI", "notes", "extensions"},
		"item":        {"identifier", "fullStatement", "alternativeLabel", "CFItemType", "uri", "humanCodingScheme", "listEnumeration", "abbreviatedStatement", "conceptKeywords", "conceptKeywordsURI", "notes", "subject", "subjectURI", "language", "educationLevel", "CFItemTypeURI", "licenseURI", "statusStartDate", "statusEndDate", "lastChangeDateTime", "extensions"},
		"association": {"identifier", "associationType", "sequenceNumber", "uri", "originNodeURI", "destinationNodeURI", "CFAssociationGroupingURI", "lastChangeDateTime", "notes", "extensions"},
		"definitions": {"CFConcepts", "CFSubjects", "CFLicenses", "CFItemTypes", "CFAssociationGroupings", "extensions"},
		"itemType":    {"identifier", "uri", "title", "description", "hierarchyCode", "typeCode", "lastChangeDateTime", "extensions"},
		"license":     {"identifier", "uri", "title", "description", "licenseText", "lastChangeDateTime", "extensions"},
		"link":        {"title", "identifier", "uri", "targetType"},
	}
	required := map[string][]string{
		"package":     {"CFDocument"},
		"document":    {"identifier", "uri", "creator", "title", "lastChangeDateTime"},
		"item":        {"identifier", "fullStatement", "uri", "lastChangeDateTime"},
		"association": {"identifier", "associationType", "uri", "originNodeURI", "destinationNodeURI", "lastChangeDateTime"},
		"itemType":    {"identifier", "uri", "title", "description", "hierarchyCode", "lastChangeDateTime"},
		"license":     {"identifier", "uri", "title", "licenseText", "lastChangeDateTime"},
		"link":        {"title", "identifier", "uri"},
	}
	uuidRe := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	assocTypes := []string{"isChildOf", "isPeerOf", "isPartOf", "exactMatchOf", "precedes", "isRelatedTo", "replacedBy", "exemplar", "hasSkillLevel", "isTranslationOf"}

	out, _ := writeCASE(t, rich())
	var pkg map[string]any
	require.NoError(t, json.Unmarshal(out, &pkg))
	var obj func(kind, ptr string, v any)
	obj = func(kind, ptr string, v any) {
		m, ok := v.(map[string]any)
		require.True(t, ok, "%s is not an object", ptr)
		for k := range m {
			assert.Contains(t, allowed[kind], k, "%s has a member %q a CASE %s may not have", ptr, k, kind)
		}
		for _, k := range required[kind] {
			assert.Contains(t, m, k, "%s lacks the required %q", ptr, k)
		}
		if id, ok := m["identifier"].(string); ok && kind != "link" {
			assert.Regexp(t, uuidRe, id, ptr)
		}
		for _, k := range []string{"originNodeURI", "destinationNodeURI", "licenseURI", "CFItemTypeURI"} {
			if l, ok := m[k]; ok {
				obj("link", ptr+"/"+k, l)
			}
		}
		if kind == "association" {
			assert.Contains(t, assocTypes, m["associationType"], ptr)
		}
	}
	obj("package", "", pkg)
	obj("document", "/CFDocument", pkg["CFDocument"])
	assert.Equal(t, "1.1", pkg["CFDocument"].(map[string]any)["caseVersion"])
	for _, it := range pkg["CFItems"].([]any) {
		obj("item", "/CFItems", it)
	}
	for _, a := range pkg["CFAssociations"].([]any) {
		obj("association", "/CFAssociations", a)
	}
	defs := pkg["CFDefinitions"].(map[string]any)
	obj("definitions", "/CFDefinitions", defs)
	for _, it := range defs["CFItemTypes"].([]any) {
		obj("itemType", "/CFDefinitions/CFItemTypes", it)
	}
	for _, l := range defs["CFLicenses"].([]any) {
		obj("license", "/CFDefinitions/CFLicenses", l)
	}
	// Every identifier is unique.
	seen := map[string]bool{}
	for _, coll := range []any{pkg["CFItems"], pkg["CFAssociations"], defs["CFItemTypes"], defs["CFLicenses"]} {
		for _, v := range coll.([]any) {
			id := v.(map[string]any)["identifier"].(string)
			assert.False(t, seen[id], "identifier %s used twice", id)
			seen[id] = true
		}
	}
	// 10 nodes, 2 scale items and 3 + 2 level items.
	assert.Len(t, pkg["CFItems"], 17)
}

func TestWriteCASEGolden(t *testing.T) {
	out, rep := writeCASE(t, sample())
	golden := filepath.Join("testdata/case/golden", "sample.case.json")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
		require.NoError(t, os.WriteFile(golden, out, 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test -run TestWriteCASEGolden -update ./framework/casepkg/ to create it")
	assert.Equal(t, string(want), string(out))
	assert.Equal(t, []string{"unofficial flags of codes", "close, broad and narrow matches", "references to nodes of registered frameworks"}, lossWhats(rep))
	assert.Equal(t, "/nodes/6/unofficial", rep.Losses[0].Pointer)
	assert.Len(t, rep.Warnings(), 2, "no publisher, no modified date")
	// Deterministic: a second write gives the same bytes.
	again, _ := writeCASE(t, sample())
	assert.Equal(t, string(out), string(again))
}

func TestWriteCASERefusesInvalid(t *testing.T) {
	f := sample()
	f.Nodes[2].Parent = "nope"
	var buf bytes.Buffer
	rep, err := casepkg.Write(&buf, f)
	require.Error(t, err)
	var ve *ota.ValidationError
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, "/nodes/2/parent", rep.Errors()[0].Pointer)
	assert.Zero(t, buf.Len())
}

func TestWriteCASEIdentifierClash(t *testing.T) {
	f := sample()
	f.Nodes[0].ID = "urn:uuid:3f2504e0-4f89-41d3-9a0c-0305e82c3301"
	f.Nodes[1].Extensions = map[string]json.RawMessage{casepkg.ExtCASE: json.RawMessage(`{"identifier":"3f2504e0-4f89-41d3-9a0c-0305e82c3301"}`)}
	var buf bytes.Buffer
	rep, err := casepkg.Write(&buf, f)
	require.Error(t, err)
	assert.Equal(t, "case.write.identifier-duplicate", rep.Errors()[0].Code)
	assert.Equal(t, "/nodes/1", rep.Errors()[0].Pointer)
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteCASEWriteError(t *testing.T) {
	_, err := casepkg.Write(failingWriter{}, sample())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "disk full")
}

func TestWriteCASEReservedExtension(t *testing.T) {
	f := sample()
	f.Nodes[0].Extensions = map[string]json.RawMessage{casepkg.ExtOTA: json.RawMessage(`{"unconfirmed":true}`)}
	out, rep := writeCASE(t, f)
	assert.True(t, hasLoss(rep, "an extension keyed "+casepkg.ExtOTA), "%q", lossWhats(rep))
	back, _, err := casepkg.Read(bytes.NewReader(out), casepkg.ReadOptions{})
	require.NoError(t, err)
	assert.False(t, back.Nodes[0].Unconfirmed, "a user's value under the reserved key is not taken for OTA facts")
}

func TestReadCASENonUUIDIdentifiers(t *testing.T) {
	// Some providers use identifiers that are not UUIDs; OTA replaces them
	// with derived ones when writing, so that every URI it makes is valid.
	doc := `{"CFDocument":{"identifier":"doc-1","uri":"https://case.example.org/d/1","creator":"X","title":"T","language":"en","lastChangeDateTime":"2024-01-01T00:00:00Z"},
	"CFItems":[{"identifier":"item-1","uri":"not a uri","fullStatement":"Reads tables","lastChangeDateTime":"2024-01-01T00:00:00Z"}],
	"CFAssociations":[{"identifier":"a-1","associationType":"isChildOf","uri":"a-1","lastChangeDateTime":"2024-01-01T00:00:00Z",
	  "originNodeURI":{"title":"Reads tables","identifier":"item-1","uri":"x"},"destinationNodeURI":{"title":"T","identifier":"doc-1","uri":"https://case.example.org/d/1"}}]}`
	f, rep, err := casepkg.Read(strings.NewReader(doc), casepkg.ReadOptions{})
	require.NoError(t, err)
	assert.True(t, hasLoss(rep, "identifiers that are not UUIDs"), "%q", lossWhats(rep))
	require.Len(t, f.Nodes, 1)
	assert.Equal(t, "item-1", f.Nodes[0].Code, "the identifier still names the node")
	assert.True(t, f.Nodes[0].Unofficial)
	out, _ := writeCASE(t, f)
	back, rep2, err := casepkg.Read(bytes.NewReader(out), casepkg.ReadOptions{})
	require.NoError(t, err)
	assert.Empty(t, rep2.Issues)
	assert.Equal(t, f, back)
	assert.NotContains(t, string(out), `"urn:uuid:item-1"`)
}

func TestReadCASEIdentifierCollision(t *testing.T) {
	// Item a has no UUID identifier and, as uri, the urn:uuid: form of item
	// b's identifier: the identifier OTA would derive for a clashes with b's.
	doc := `{"CFDocument":{"identifier":"0b5e4f7a-1c2d-4e3f-9a8b-7c6d5e4f3a2b","uri":"https://case.example.org/d","creator":"X","title":"T","language":"en","lastChangeDateTime":"2024-01-01T00:00:00Z"},
	"CFItems":[
	 {"identifier":"b-item","uri":"urn:uuid:7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918","fullStatement":"A","humanCodingScheme":"a","lastChangeDateTime":"2024-01-01T00:00:00Z"},
	 {"identifier":"7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918","uri":"https://case.example.org/b","fullStatement":"B","humanCodingScheme":"b","lastChangeDateTime":"2024-01-01T00:00:00Z"}]}`
	f, _, err := casepkg.Read(strings.NewReader(doc), casepkg.ReadOptions{})
	require.NoError(t, err)
	require.Empty(t, f.Check().Errors())
	out, _ := writeCASE(t, f)
	back, rep, err := casepkg.Read(bytes.NewReader(out), casepkg.ReadOptions{})
	require.NoError(t, err)
	assert.Empty(t, rep.Issues)
	assert.Equal(t, f, back)
}

// codes lists the codes of nodes, in order.
func codes(nodes []*framework.Node) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.Code
	}
	return out
}

// en is an English-only text.
func en(s string) asset.LangString { return asset.LangString{"en": s} }

// sample is a small process framework — two phases with sub-processes, an
// overarching process, a scale and associations — read from its framework
// JSON, testdata/sample.framework.json.
func sample() *framework.Framework {
	fh, err := os.Open("testdata/sample.framework.json")
	if err != nil {
		panic(err)
	}
	defer fh.Close()
	f, _, err := framework.Read(fh, framework.ReadOptions{})
	if err != nil {
		panic(err)
	}
	return f
}
