package scorm

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/interop"
	"github.com/metaacademy/ota/packaging/xmlnode"
)

// targets are the versions Export writes.
var targets = []Version{Version12, Version2004Ed3, Version2004Ed4}

// source is something to export: an asset tree and where its files are.
type source struct {
	name    string
	tree    *asset.Asset
	content fs.FS
	version Version // the version it was read from; "" for an OTA document
}

// exportSources returns the reference packages (imported) and the OTA
// fixtures of testdata/export.
func exportSources(t *testing.T) []source {
	t.Helper()
	var out []source
	data, err := os.ReadFile(filepath.Join("testdata", "export", "course", "course.ota.json"))
	require.NoError(t, err)
	doc, _, err := asset.Unmarshal(data, asset.ReadOptions{})
	require.NoError(t, err)
	out = append(out, source{name: "course", tree: &doc.Asset, content: os.DirFS(filepath.Join("testdata", "export", "course"))})
	p, _, err := OpenFS(os.DirFS(filepath.Join("testdata", "export", "sco12")), Options{})
	require.NoError(t, err)
	tree, _ := p.convert()
	out = append(out, source{name: "sco12", tree: tree, content: os.DirFS(filepath.Join("testdata", "export", "sco12")), version: p.Version})
	if _, err := os.Stat(refDir); err != nil {
		t.Logf("reference packages absent (%s): only the project's own fixtures are exported", refDir)
		return out
	}
	for _, ref := range refPackages {
		zr, err := zip.OpenReader(filepath.Join(refDir, ref))
		require.NoError(t, err)
		t.Cleanup(func() { zr.Close() })
		p, _, err := OpenFS(zr, Options{})
		require.NoError(t, err)
		tree, _ := p.convert()
		out = append(out, source{name: strings.TrimSuffix(ref, ".zip"), tree: tree, content: zr, version: p.Version})
	}
	return out
}

const refDir = "../../../shared/reference/packages"

var refPackages = []string{
	"golf_scorm12_multisco_onefilepersco.zip",
	"golf_scorm2004_3rd_metadata.zip",
	"golf_scorm2004_3rd_runtimebasiccalls.zip",
	"golf_scorm2004_4th_posttestrollup.zip",
}

// export runs Export and returns the zip.
func export(t testing.TB, s source, opts ExportOptions) ([]byte, ota.Report) {
	t.Helper()
	var buf bytes.Buffer
	rep, err := Export(&buf, s.tree, s.content, opts)
	require.NoError(t, err, "report: %v", rep.Issues)
	return buf.Bytes(), rep
}

// TestExportValidates exports every source to every target, both layouts
// where the source allows, and validates each manifest with xmllint
// against the official XSDs; the package must also import again with no
// error.
func TestExportValidates(t *testing.T) {
	interop.RequireXMLLint(t)
	for _, s := range exportSources(t) {
		for _, v := range targets {
			for _, single := range []bool{false, true} {
				if single && s.version != "" {
					continue // imported SCOs cannot be merged; see TestExportSingleSCORefusesSCOs
				}
				name := s.name + "/" + string(v)
				if single {
					name += "/single-sco"
				}
				t.Run(name, func(t *testing.T) {
					data, _ := export(t, s, ExportOptions{Version: v, SingleSCO: single})
					dir := interop.Unzip(t, data)
					schema, catalog := interop.SCORMSchema(t, string(v))
					require.NoError(t, interop.XMLLint(schema, catalog, filepath.Join(dir, "imsmanifest.xml")))
					p, rep, err := OpenFile(dir, Options{})
					require.NoError(t, err)
					assert.Empty(t, rep.Errors(), "the export imports with errors")
					assert.Equal(t, v, p.Version)
				})
			}
		}
	}
}

// TestExportRoundTrip: import → export to the same version → import gives
// the same asset tree, sequencing, metadata records and identifiers
// included.
func TestExportRoundTrip(t *testing.T) {
	for _, s := range exportSources(t) {
		if s.version == "" {
			continue
		}
		t.Run(s.name, func(t *testing.T) {
			data, _ := export(t, s, ExportOptions{Version: s.version})
			p, _, err := Open(bytes.NewReader(data), int64(len(data)), Options{})
			require.NoError(t, err)
			back, _ := p.convert()
			want, err := asset.Marshal(asset.NewDocument(*s.tree))
			require.NoError(t, err)
			got, err := asset.Marshal(asset.NewDocument(*back))
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got))
		})
	}
}

// TestExportOTARoundTrip: an OTA course exported and imported again keeps
// its structure, titles, metadata and files; the launch page is seen
// through, so the lessons launch their own pages again.
func TestExportOTARoundTrip(t *testing.T) {
	src := exportSources(t)[0]
	for _, v := range targets {
		t.Run(string(v), func(t *testing.T) {
			data, _ := export(t, src, ExportOptions{Version: v})
			p, rep, err := Open(bytes.NewReader(data), int64(len(data)), Options{})
			require.NoError(t, err)
			require.Empty(t, rep.Errors())
			back, _ := p.convert()
			assert.Equal(t, src.tree.Title, back.Title, "the title in all its languages comes back through LOM")
			assert.Equal(t, src.tree.Description, back.Description)
			assert.Equal(t, src.tree.Keywords, back.Keywords)
			assert.Equal(t, "CC-BY-4.0", back.License)
			assert.Equal(t, src.tree.Duration, back.Duration)
			assert.Equal(t, src.tree.Alignments, back.Alignments, "alignments travel as LOM classifications")
			assert.Equal(t, src.tree.Parts[0].Parts[1].Alignments, back.Parts[0].Parts[1].Alignments)
			require.Len(t, back.Contributors, 2)
			assert.Equal(t, asset.Organization, back.Contributors[0].Type)
			assert.Equal(t, "Statistics Portugal", back.Contributors[1].Affiliation)
			require.Len(t, back.Parts, 2)
			require.Len(t, back.Parts[0].Parts, 2)
			leaf := back.Parts[0].Parts[0]
			assert.Equal(t, "Why version control", leaf.Title.String())
			require.NotEmpty(t, leaf.Resources)
			assert.Equal(t, asset.Resource{Path: "lessons/intro/index.html", MediaType: "text/html", Size: leaf.Resources[0].Size, Role: asset.RoleLaunch}, leaf.Resources[0])
			assert.Equal(t, "media/diagram one.svg", leaf.Resources[1].Path)
			for _, x := range back.All() {
				for _, r := range x.Resources {
					assert.False(t, strings.HasPrefix(r.Path, playerDir), "%s: the launch page's files are not content", r.Path)
				}
			}
			assert.True(t, hasResource(back, "media/syllabus.txt"), "the course's own file is kept")
		})
	}
}

func hasResource(a *asset.Asset, p string) bool {
	for _, x := range a.All() {
		for _, r := range x.Resources {
			if r.Path == p {
				return true
			}
		}
	}
	return false
}

// TestExportDeterministic: the same input gives the same bytes; entries
// are sorted after the manifest and carry the fixed timestamp.
func TestExportDeterministic(t *testing.T) {
	for _, s := range exportSources(t) {
		t.Run(s.name, func(t *testing.T) {
			a, _ := export(t, s, ExportOptions{})
			b, _ := export(t, s, ExportOptions{})
			require.Equal(t, a, b)
			zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
			require.NoError(t, err)
			require.Equal(t, "imsmanifest.xml", zr.File[0].Name)
			for i, f := range zr.File {
				assert.Equal(t, "1980-01-01", f.Modified.Format("2006-01-02"))
				if i > 1 {
					assert.Less(t, zr.File[i-1].Name, f.Name)
				}
			}
		})
	}
}

// TestExportKeepsEveryFile: every file of a reference package is in its
// export to the same version, byte for byte.
func TestExportKeepsEveryFile(t *testing.T) {
	for _, s := range exportSources(t) {
		if s.version == "" {
			continue
		}
		t.Run(s.name, func(t *testing.T) {
			data, _ := export(t, s, ExportOptions{Version: s.version})
			out, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			require.NoError(t, err)
			err = fs.WalkDir(s.content, ".", func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() || p == "imsmanifest.xml" {
					return err
				}
				want, err := fs.ReadFile(s.content, p)
				require.NoError(t, err)
				got, err := fs.ReadFile(out, p)
				if assert.NoError(t, err, "%s is missing from the export", p) {
					assert.True(t, bytes.Equal(want, got), "%s changed", p)
				}
				return nil
			})
			require.NoError(t, err)
		})
	}
}

func TestExportSingleSCORefusesSCOs(t *testing.T) {
	for _, s := range exportSources(t) {
		if s.name != "sco12" {
			continue
		}
		_, rep := FromAsset(s.tree, ExportOptions{SingleSCO: true})
		assert.Contains(t, issueCodes(rep, ota.Error), "scorm.export.single-sco")
		_, err := Export(io.Discard, s.tree, s.content, ExportOptions{SingleSCO: true})
		var ve *ota.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Contains(t, err.Error(), "cannot be merged")
	}
}

func TestExportErrors(t *testing.T) {
	leaf := func(p string) *asset.Asset {
		return &asset.Asset{ID: "urn:uuid:11111111-2222-4333-8444-555555555555", Kind: asset.KindLesson, Title: asset.LangString{"en": "L"},
			Resources: []asset.Resource{{Path: p, Role: asset.RoleLaunch, MediaType: "text/html"}}}
	}
	t.Run("missing content", func(t *testing.T) {
		_, err := Export(io.Discard, leaf("a/index.html"), fstest.MapFS{}, ExportOptions{})
		require.ErrorIs(t, err, ErrContent)
		assert.Contains(t, err.Error(), "a/index.html")
	})
	t.Run("2nd edition", func(t *testing.T) {
		_, rep := FromAsset(leaf("a.html"), ExportOptions{Version: Version2004Ed2})
		assert.Contains(t, issueCodes(rep, ota.Error), "scorm.export.version")
	})
	t.Run("nothing to launch", func(t *testing.T) {
		a := &asset.Asset{ID: "urn:uuid:11111111-2222-4333-8444-555555555555", Kind: asset.KindCourse, Title: asset.LangString{"en": "C"},
			Parts: []asset.Asset{{ID: "urn:uuid:11111111-2222-4333-8444-555555555556", Kind: asset.KindLesson, Title: asset.LangString{"en": "Empty"}}}}
		p, rep := FromAsset(a, ExportOptions{})
		assert.Nil(t, p)
		assert.Contains(t, issueCodes(rep, ota.Error), "scorm.export.nothing")
		require.NotEmpty(t, rep.Losses, "the empty lesson is reported as lost")
	})
	t.Run("nil", func(t *testing.T) {
		_, rep := FromAsset(nil, ExportOptions{})
		assert.Contains(t, issueCodes(rep, ota.Error), "scorm.export.empty")
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := ExportContext(ctx, io.Discard, leaf("a.html"), fstest.MapFS{"a.html": {Data: []byte("<p>x")}}, ExportOptions{})
		require.ErrorIs(t, err, context.Canceled)
	})
	t.Run("atomic file", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "p.zip")
		require.NoError(t, os.WriteFile(out, []byte("old"), 0o644))
		_, err := ExportFile(context.Background(), out, leaf("missing.html"), fstest.MapFS{}, ExportOptions{})
		require.ErrorIs(t, err, ErrContent)
		b, _ := os.ReadFile(out)
		assert.Equal(t, "old", string(b), "a failed export leaves the old file")
		entries, _ := os.ReadDir(filepath.Dir(out))
		assert.Len(t, entries, 1, "no temporary file is left behind")
	})
}

// TestExportIdentifiers: identifiers derive from asset IDs, are valid
// xs:IDs and unique, and stay the same from run to run; identifiers kept
// from an imported package are reused unless they clash or are invalid.
func TestExportIdentifiers(t *testing.T) {
	course := &asset.Asset{ID: "https://example.org/courses/7", Kind: asset.KindCourse, Title: asset.LangString{"en": "C"}, Parts: []asset.Asset{
		{ID: "urn:uuid:AAAAAAAA-2222-4333-8444-555555555555", Kind: asset.KindLesson, Title: asset.LangString{"en": "A"}, Resources: []asset.Resource{{Path: "a.html", Role: asset.RoleLaunch}}},
		{ID: "https://example.org/lessons/b c", Kind: asset.KindLesson, Title: asset.LangString{"en": "B"}, Resources: []asset.Resource{{Path: "b.html", Role: asset.RoleLaunch}},
			Extensions: map[string]json.RawMessage{ExtensionIRI: json.RawMessage(`{"identifier":"1-not-an-ncname"}`)}},
		{ID: "urn:x:c", Kind: asset.KindLesson, Title: asset.LangString{"en": "C"}, Resources: []asset.Resource{{Path: "c.html", Role: asset.RoleLaunch}},
			Extensions: map[string]json.RawMessage{ExtensionIRI: json.RawMessage(`{"identifier":"kept_id"}`)}},
		{ID: "urn:x:d", Kind: asset.KindLesson, Title: asset.LangString{"en": "D"}, Resources: []asset.Resource{{Path: "d.html", Role: asset.RoleLaunch}},
			Extensions: map[string]json.RawMessage{ExtensionIRI: json.RawMessage(`{"identifier":"kept_id"}`)}},
	}}
	p, rep := FromAsset(course, ExportOptions{})
	require.NotNil(t, p, "%v", rep.Issues)
	ids := map[string]bool{p.Identifier: true}
	var items []string
	p.Organizations[0].Walk(func(it *Item) { items = append(items, it.Identifier) })
	for _, id := range append(items, p.Organizations[0].Identifier) {
		assert.Regexp(t, ncName, id)
		assert.False(t, ids[id] && id != p.Identifier, "duplicate %s", id)
		ids[id] = true
	}
	assert.Equal(t, "ITEM-aaaaaaaa-2222-4333-8444-555555555555", items[0], "a urn:uuid ID gives its UUID")
	assert.Regexp(t, `^ITEM-[0-9a-f-]{36}$`, items[1], "an invalid kept identifier is replaced")
	assert.Equal(t, "kept_id", items[2])
	assert.NotEqual(t, "kept_id", items[3], "a clashing kept identifier is replaced")
	p2, _ := FromAsset(course, ExportOptions{})
	var items2 []string
	p2.Organizations[0].Walk(func(it *Item) { items2 = append(items2, it.Identifier) })
	assert.Equal(t, items, items2)
}

// TestExportBadKeptXML: a hand-edited SCORM extension whose kept XML has
// a name XML cannot carry loses that tree, with a loss, and the package
// still writes and validates.
func TestExportBadKeptXML(t *testing.T) {
	src := exportSources(t)[1] // sco12, imported
	tree := src.tree.Clone()
	var ie itemExt
	require.NoError(t, json.Unmarshal(tree.Parts[0].Extensions[ExtensionIRI], &ie))
	ie.Sequencing = &xmlnode.Node{Space: NSIMSSS, Local: "bad name", Children: []*xmlnode.Node{{Space: NSIMSSS, Local: "controlMode"}}}
	raw, err := json.Marshal(ie)
	require.NoError(t, err)
	tree.Parts[0].Extensions[ExtensionIRI] = raw
	var buf bytes.Buffer
	rep, err := Export(&buf, tree, src.content, ExportOptions{Version: Version2004Ed4})
	require.NoError(t, err)
	found := false
	for _, l := range rep.Losses {
		found = found || strings.Contains(l.What, "sequencing") && strings.Contains(l.Why, "cannot be written as XML")
	}
	assert.True(t, found, "losses: %v", rep.Losses)
	_, prep, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), Options{})
	require.NoError(t, err)
	assert.Empty(t, prep.Errors())
}
