package asset_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
)

var update = flag.Bool("update", false, "rewrite golden files")

// allFixtures returns every valid and invalid fixture.
func allFixtures(t *testing.T) []string {
	t.Helper()
	return append(fixtures(t, validDir), fixtures(t, invalidDir)...)
}

func readBytes(t *testing.T, data []byte) (*asset.Document, ota.Report) {
	t.Helper()
	doc, rep, err := asset.Read(bytes.NewReader(data), asset.ReadOptions{})
	require.NoError(t, err)
	return doc, rep
}

func write(t *testing.T, doc *asset.Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, asset.Write(&buf, doc))
	return buf.Bytes()
}

// compactRaw rewrites every raw JSON value of the tree (unknown members and
// extensions) in compact form, so that trees read from differently indented
// texts compare equal.
func compactRaw(t *testing.T, a *asset.Asset) {
	t.Helper()
	compact := func(m map[string]json.RawMessage) {
		for k, v := range m {
			var b bytes.Buffer
			require.NoError(t, json.Compact(&b, v))
			m[k] = b.Bytes()
		}
	}
	for _, x := range a.All() {
		compact(x.Unknown)
		compact(x.Extensions)
		for i := range x.Contributors {
			compact(x.Contributors[i].Unknown)
		}
		for i := range x.Objectives {
			compact(x.Objectives[i].Unknown)
			for j := range x.Objectives[i].Alignments {
				compact(x.Objectives[i].Alignments[j].Unknown)
			}
		}
		for i := range x.Alignments {
			compact(x.Alignments[i].Unknown)
		}
		for i := range x.Resources {
			compact(x.Resources[i].Unknown)
		}
		for i := range x.Relations {
			compact(x.Relations[i].Unknown)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, path := range allFixtures(t) {
		t.Run(filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path), func(t *testing.T) {
			in, err := os.ReadFile(path)
			require.NoError(t, err)
			doc1, _ := readBytes(t, in)
			out1 := write(t, doc1)
			doc2, _ := readBytes(t, out1)
			out2 := write(t, doc2)
			assert.Equal(t, string(out1), string(out2), "writing is a fixed point after one read-write cycle")

			doc3, _ := readBytes(t, out2)
			assert.Equal(t, doc2, doc3, "reading the canonical form twice gives the same model")

			if filepath.Base(filepath.Dir(path)) == "valid" {
				// Nothing of a valid document is lost: field by field, the
				// model read back equals the model first read.
				compactRaw(t, &doc1.Asset)
				compactRaw(t, &doc2.Asset)
				assert.Equal(t, doc1, doc2)
			}
		})
	}
}

// TestRoundTripKeepsFindings checks that writing an invalid document does not
// change what is wrong with it, for the rules Check applies to the model:
// the written document reads back with the same issue at the same place.
func TestRoundTripKeepsFindings(t *testing.T) {
	for _, e := range readExpectations(t) {
		t.Run(e.file, func(t *testing.T) {
			doc, _ := readFixture(t, filepath.Join(invalidDir, e.file), asset.ReadOptions{})
			if _, ok := findIssue(asset.Check(&doc.Asset, asset.CheckOptions{}).Issues, e.code, e.pointer); !ok {
				t.Skip("a decode-time rule: the offending value is not in the model, so it is not written")
			}
			if e.code == "asset.langstring.empty" && strings.HasSuffix(e.pointer, "description") {
				t.Skip("an empty language map holds nothing, and writers leave empty members out")
			}
			_, rep, err := asset.Unmarshal(write(t, doc), asset.ReadOptions{Validate: true})
			require.NoError(t, err)
			require.Len(t, rep.Issues, 1, "issues: %v", codesOf(rep.Issues))
			assert.Equal(t, e.code, rep.Issues[0].Code)
			assert.Equal(t, e.pointer, rep.Issues[0].Pointer)
		})
	}
}

// TestWriteMissingTextReadsBack writes assets whose required text members
// are nil, as code builds them before filling them in. The written document
// must read back as missing text, not as a member of the wrong type.
func TestWriteMissingTextReadsBack(t *testing.T) {
	a := asset.Asset{
		ID: asset.DeriveID("test", "missing-text"), Kind: asset.KindLesson, License: "CC-BY-4.0",
		Objectives: []asset.Objective{{ID: "obj-1"}},
	}
	out := write(t, asset.NewDocument(a))
	_, rep, err := asset.Unmarshal(out, asset.ReadOptions{Validate: true})
	require.NoError(t, err)
	assert.Equal(t, []string{"asset.title.missing at /title", "asset.objective.text-missing at /objectives/0/text"}, codesOf(rep.Issues),
		"written:\n%s", out)
}

// TestCanonicalIsFixedPoint reads each golden file, which is canonical
// output, and writes it again: the bytes must not change.
func TestCanonicalIsFixedPoint(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(goldenDir, "*.ota.json"))
	require.NoError(t, err)
	if len(files) == 0 {
		t.Skip("no golden files; run go test ./asset -run Golden -update")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			in, err := os.ReadFile(path)
			require.NoError(t, err)
			doc, _ := readBytes(t, in)
			assert.Equal(t, string(in), string(write(t, doc)))
		})
	}
}

func TestGolden(t *testing.T) {
	if *update {
		require.NoError(t, os.MkdirAll(goldenDir, 0o755))
	}
	valid := fixtures(t, validDir)
	for _, path := range valid {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			in, err := os.ReadFile(path)
			require.NoError(t, err)
			doc, _ := readBytes(t, in)
			got := write(t, doc)
			golden := filepath.Join(goldenDir, name)
			if *update {
				require.NoError(t, os.WriteFile(golden, got, 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			if errors.Is(err, os.ErrNotExist) {
				t.Fatalf("%s is missing; run go test ./asset -run Golden -update", golden)
			}
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got), "canonical output changed; if that is intended, run go test ./asset -run Golden -update and review the diff")
		})
	}
	t.Run("no stale golden files", func(t *testing.T) {
		files, err := filepath.Glob(filepath.Join(goldenDir, "*.ota.json"))
		require.NoError(t, err)
		for _, g := range files {
			_, err := os.Stat(filepath.Join(validDir, filepath.Base(g)))
			assert.NoError(t, err, "%s has no valid fixture", g)
		}
		assert.Len(t, files, len(valid))
	})
}

func TestUnknownMembersAndExtensionsSurvive(t *testing.T) {
	in, err := os.ReadFile(filepath.Join(validDir, "extensions-and-unknown-members.ota.json"))
	require.NoError(t, err)
	doc, _ := readBytes(t, in)
	out := write(t, doc)
	back, rep := readBytes(t, out)
	assert.Len(t, rep.Warnings(), 8, "the unknown members are still there, still reported")

	a := back.Asset
	assert.JSONEq(t, `"ESTP-2024-17"`, string(a.Unknown["nsoInternalCode"]))
	assert.JSONEq(t, `{"featured": true, "rank": 3, "tags": ["SAE", "<regional>"]}`, string(a.Unknown["catalogueFlags"]))
	assert.JSONEq(t, `"https://ror.org/03dj4pb75"`, string(a.Contributors[0].Unknown["rorId"]))
	assert.JSONEq(t, `"apply"`, string(a.Objectives[0].Unknown["bloomLevel"]))
	assert.Equal(t, `0.75`, string(a.Objectives[0].Alignments[0].Unknown["weight"]))
	assert.JSONEq(t, `"4c1b0e2a3d8f9e7a6b5c4d3e2f1a0b9c"`, string(a.Resources[0].Unknown["checksumMd5"]))
	assert.JSONEq(t, `"2021 edition, revised"`, string(a.Relations[0].Unknown["note"]))
	assert.JSONEq(t, `{"openInNewWindow": true}`, string(a.Parts[0].Unknown["lmsHints"]))

	require.Len(t, a.Extensions, 4)
	assert.JSONEq(t, `{
		"courseCode": "ESTP-2024-17",
		"edition": 2024,
		"sessions": [
			{"city": "Luxembourg", "start": "2024-10-07", "seats": 24, "waitingList": null},
			{"city": "online", "start": "2024-11-18", "seats": 60, "fee": 0.0}
		],
		"contact": {"unit": "B.1", "email": "estat-estp@ec.europa.eu"}
	}`, string(a.Extensions["https://ec.europa.eu/eurostat/ota/ext/estp"]))
	assert.JSONEq(t, `["SAE-04", "METH-12"]`, string(a.Extensions["urn:x-nso:istat:catalogue"]))
	assert.JSONEq(t, `"approved"`, string(a.Extensions["tag:metaacademy.org,2024:review"]))

	// Extension values are kept as written: numbers keep their spelling,
	// string escapes stay escapes, null members stay, nothing is
	// HTML-escaped.
	text := string(out)
	assert.Contains(t, text, `"fee": 0.0`)
	assert.Contains(t, text, `"waitingList": null`)
	assert.Contains(t, text, `"note": "R \u0026 RStudio \u00e9dition"`)
	assert.Contains(t, text, `"<regional>"`)
	assert.Contains(t, text, `"text": {`+"\n"+`        "en": "Compute EBLUP estimates for NUTS 3 regions & judge their precision."`)

	// Unknown members come after the members the format defines, sorted.
	i, j, k := strings.Index(text, `"catalogueFlags"`), strings.Index(text, `"nsoInternalCode"`), strings.Index(text, `"extensions"`)
	assert.True(t, k < i && i < j, "unknown members last and sorted")
}

func TestWriteDeterministic(t *testing.T) {
	for _, path := range fixtures(t, validDir) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			in, err := os.ReadFile(path)
			require.NoError(t, err)
			doc, _ := readBytes(t, in)
			first := write(t, doc)
			for range 10 {
				assert.Equal(t, first, write(t, doc))
			}
			m, err := asset.Marshal(doc)
			require.NoError(t, err)
			assert.Equal(t, first, m, "Write writes what Marshal returns")
		})
	}
	t.Run("maps built in code", func(t *testing.T) {
		a := asset.Asset{
			ID: asset.DeriveID("test", "maps"), Kind: asset.KindCourse, License: "CC-BY-4.0",
			Title:      asset.LangString{},
			Keywords:   asset.LangList{},
			Extensions: map[string]json.RawMessage{},
			Unknown:    map[string]json.RawMessage{},
		}
		for _, tag := range []string{"en", "fr", "de", "es", "it", "pt", "nl", "pl", "sv", "fi", "et", "lv"} {
			a.Title[tag] = "Title " + tag
			a.Keywords[tag] = []string{"k1-" + tag, "k2-" + tag}
			a.Extensions["https://example.org/ext/"+tag] = json.RawMessage(`{"b":1,"a":2}`)
			a.Unknown["x-"+tag] = json.RawMessage(`"` + tag + `"`)
		}
		doc := asset.NewDocument(a)
		first := write(t, doc)
		for range 20 {
			require.Equal(t, string(first), string(write(t, doc)))
		}
		assert.Less(t, strings.Index(string(first), `"de": "Title de"`), strings.Index(string(first), `"en": "Title en"`), "map keys sorted")
	})
}

func TestWriteFormat(t *testing.T) {
	in, err := os.ReadFile(filepath.Join(validDir, "git-for-official-statistics.ota.json"))
	require.NoError(t, err)
	doc, _ := readBytes(t, in)
	out := string(write(t, doc))

	require.True(t, strings.HasSuffix(out, "}\n"), "ends with a newline")
	assert.False(t, strings.HasSuffix(out, "\n\n"), "exactly one final newline")
	assert.NotContains(t, out, "\t")
	assert.NotContains(t, out, "\r")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	assert.Equal(t, "{", lines[0])
	assert.Equal(t, `  "ota": "1.0",`, lines[1], "the format version comes first, indented by two spaces")
	assert.Equal(t, `  "$schema": "https://metaacademy.github.io/ota/schema/asset-1.0.json",`, lines[2])
	assert.Equal(t, `  "id": "https://academy.unece.org/ota/git-for-official-statistics",`, lines[3])
	assert.Equal(t, "}", lines[len(lines)-1])
	depth := 0
	for i, l := range lines {
		trimmed := strings.TrimLeft(l, " ")
		indent := len(l) - len(trimmed)
		if strings.HasPrefix(trimmed, "}") || strings.HasPrefix(trimmed, "]") {
			depth--
		}
		require.Equal(t, 2*depth, indent, "line %d %q: two spaces per level", i+1, l)
		if strings.HasSuffix(trimmed, "{") || strings.HasSuffix(trimmed, "[") {
			depth++
		}
	}
	assert.Contains(t, out, `"en": "Merge requests & code review"`, "no HTML escaping")

	// Members follow the order of the format, not of the input.
	order := []string{`"ota"`, `"$schema"`, `"id"`, `"version"`, `"kind"`, `"title"`, `"description"`, `"keywords"`, `"languages"`,
		`"contributors"`, `"license"`, `"audience"`, `"level"`, `"duration"`, `"deliveryModes"`, `"accessibility"`,
		`"objectives"`, `"alignments"`, `"parts"`, `"created"`, `"modified"`, `"published"`}
	last := -1
	for _, key := range order {
		i := strings.Index(out, "\n  "+key+":")
		require.GreaterOrEqual(t, i, 0, key)
		assert.Greater(t, i, last, "%s out of order", key)
		last = i
	}
}

func TestWriteError(t *testing.T) {
	doc := asset.NewDocument(asset.Asset{ID: asset.NewID(), Kind: asset.KindLesson, Title: asset.LangString{"en": "x"}})
	err := asset.Write(failingWriter{}, doc)
	assert.ErrorIs(t, err, errDiskFull)

	// A value the format cannot hold is refused, not written.
	doc.Asset.Duration = asset.Duration{Minutes: -5}
	assert.Error(t, asset.Write(&bytes.Buffer{}, doc))
}

var errDiskFull = errors.New("disk full")

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestDocumentMarshalJSON(t *testing.T) {
	in, err := os.ReadFile(filepath.Join(validDir, "single-activity.ota.json"))
	require.NoError(t, err)
	doc, _ := readBytes(t, in)

	compact, err := json.Marshal(doc)
	require.NoError(t, err)
	var indented bytes.Buffer
	require.NoError(t, json.Indent(&indented, compact, "", "  "))
	indented.WriteByte('\n')
	assert.Equal(t, string(write(t, doc)), indented.String(), "encoding/json gives the canonical form, compact")

	var back asset.Document
	require.NoError(t, json.Unmarshal(compact, &back))
	assert.Equal(t, *doc, back)
}
