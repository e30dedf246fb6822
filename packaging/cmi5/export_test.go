package cmi5

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/imported"
	"github.com/metaacademy/ota/internal/interop"
	"github.com/metaacademy/ota/packaging/xapi"
)

// testTree is a small course built in code, with the content its
// resources name: a module with a lesson (launch page, stylesheet, image)
// and a quiz imported from SCORM with a mastery score of 80, a leaf with
// nothing to launch, a module whose only part has nothing to launch, and
// a lesson whose file name has a space.
func testTree() (*asset.Asset, fstest.MapFS) {
	dur, _ := asset.ParseDuration("PT20M")
	a := &asset.Asset{
		ID: "https://example.org/courses/sdc", Kind: asset.KindCourse, License: "CC-BY-4.0",
		Title:       asset.LangString{"fr": "Contrôle de la divulgation", "en": "Statistical disclosure control"},
		Description: asset.LangString{"en": `Tables & "microdata" <basics>`},
		Objectives:  []asset.Objective{{ID: "https://example.org/objectives/suppress", Text: asset.LangString{"en": "Suppress cells"}}},
		Parts: []asset.Asset{
			{
				ID: "https://example.org/courses/sdc/m1", Kind: asset.KindModule, Title: asset.LangString{"en": "Risk"},
				Objectives: []asset.Objective{{ID: "obj-1", Text: asset.LangString{"en": "Explain disclosure risk"},
					Alignments: []asset.Alignment{{Framework: "gsbpm", Version: "5.1", Code: "6.4"}}}},
				Parts: []asset.Asset{
					{
						ID: "https://example.org/courses/sdc/m1/intro", Kind: asset.KindLesson, Title: asset.LangString{"en": "Introduction"},
						Duration:   dur,
						Objectives: []asset.Objective{{ID: "https://example.org/objectives/suppress", Text: asset.LangString{"en": "Suppress cells"}}},
						Resources: []asset.Resource{
							{Path: "m1/intro/index.html", Role: asset.RoleLaunch, MediaType: "text/html"},
							{Path: "m1/intro/style.css", Role: asset.RoleSupporting},
							{Path: "m1/intro/chart.png", Role: asset.RoleMedia},
						},
					},
					{
						ID: "urn:uuid:6f1c7a53-3c4e-4b0b-9a53-0f6f6c1f4a10", Kind: asset.KindAssessment, Title: asset.LangString{"en": "Quiz"},
						Resources:  []asset.Resource{{Path: "m1/quiz/index.html", Role: asset.RoleLaunch}},
						Extensions: map[string]json.RawMessage{imported.SCORMExtension: json.RawMessage(`{"identifier":"quiz","masteryScore":"80","scormType":"sco"}`)},
					},
				},
			},
			{ID: "https://example.org/courses/sdc/reading", Kind: asset.KindResource, Title: asset.LangString{"en": "Reading list"}},
			{
				ID: "https://example.org/courses/sdc/m2", Kind: asset.KindModule, Title: asset.LangString{"en": "Later"},
				Parts: []asset.Asset{{ID: "https://example.org/courses/sdc/m2/x", Kind: asset.KindActivity, Title: asset.LangString{"en": "Workshop"}}},
			},
			{
				ID: "https://example.org/courses/sdc/summary", Kind: asset.KindLesson, Title: asset.LangString{"en": "Summary"},
				Resources: []asset.Resource{{Path: "summary/page one.html", Role: asset.RoleLaunch}},
			},
		},
	}
	content := fstest.MapFS{
		"m1/intro/index.html":   {Data: []byte("<!DOCTYPE html><title>Intro</title><p>Hello")},
		"m1/intro/style.css":    {Data: []byte("p { color: navy }")},
		"m1/intro/chart.png":    {Data: []byte("\x89PNG\r\n\x1a\nnot really")},
		"m1/quiz/index.html":    {Data: []byte("<!DOCTYPE html><title>Quiz</title>")},
		"summary/page one.html": {Data: []byte("<!DOCTYPE html><title>Summary</title>")},
		"unrelated.txt":         {Data: []byte("not named by any resource")},
	}
	return a, content
}

// exportZip exports a with Export and returns the zip.
func exportZip(t *testing.T, a *asset.Asset, content fs.FS, opts ExportOptions) ([]byte, ota.Report) {
	t.Helper()
	var buf bytes.Buffer
	rep, err := Export(&buf, a, content, opts)
	require.NoError(t, err)
	return buf.Bytes(), rep
}

// zipEntries returns the entry names of a zip in order, and their content.
func zipEntries(t *testing.T, data []byte) ([]string, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	var names []string
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		names = append(names, f.Name)
		files[f.Name] = b
	}
	return names, files
}

// reimport reads an exported package back with OpenFile, requiring no
// error issue, and maps it to an asset tree.
func reimport(t *testing.T, data []byte) (*Course, *asset.Asset) {
	t.Helper()
	name := filepath.Join(t.TempDir(), "course.zip")
	require.NoError(t, os.WriteFile(name, data, 0o644))
	c, rep, err := openCourse(name, Options{})
	require.NoError(t, err)
	assert.Empty(t, rep.Errors(), "the exported package reads back with errors")
	a, _ := c.Asset()
	return c, a
}

func TestExport(t *testing.T) {
	a, content := testTree()
	tests := []struct {
		name     string
		opts     ExportOptions
		urls     []string
		moveOn   []string
		method   string
		withPage bool
	}{
		{
			name:     "defaults",
			urls:     []string{LaunchPage + "?content=m1/intro/index.html", LaunchPage + "?content=m1/quiz/index.html", LaunchPage + "?content=summary/page+one.html"},
			moveOn:   []string{MoveOnCompleted, MoveOnPassed, MoveOnCompleted},
			method:   LaunchAnyWindow,
			withPage: true,
		},
		{
			name:   "direct, own window",
			opts:   ExportOptions{Direct: true, LaunchMethod: LaunchOwnWindow},
			urls:   []string{"m1/intro/index.html", "m1/quiz/index.html", "summary/page%20one.html"},
			moveOn: []string{MoveOnCompleted, MoveOnPassed, MoveOnCompleted},
			method: LaunchOwnWindow,
		},
		{
			name:     "moveOn given",
			opts:     ExportOptions{MoveOn: MoveOnCompletedOrPassed},
			urls:     []string{LaunchPage + "?content=m1/intro/index.html", LaunchPage + "?content=m1/quiz/index.html", LaunchPage + "?content=summary/page+one.html"},
			moveOn:   []string{MoveOnCompletedOrPassed, MoveOnCompletedOrPassed, MoveOnCompletedOrPassed},
			method:   LaunchAnyWindow,
			withPage: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, rep := exportZip(t, a, content, tt.opts)
			names, files := zipEntries(t, data)
			want := []string{"cmi5.xml", "m1/intro/chart.png", "m1/intro/index.html", "m1/intro/style.css", "m1/quiz/index.html"}
			if tt.withPage {
				want = append(want, LaunchPage, LaunchScript)
			}
			want = append(want, "summary/page one.html")
			assert.Equal(t, want, names, "cmi5.xml first, then the files sorted by name")

			c, back := reimport(t, data)
			assert.Equal(t, "https://example.org/courses/sdc", c.ID)
			aus := c.AUs()
			require.Len(t, aus, 3)
			for i, au := range aus {
				assert.Equal(t, tt.urls[i], au.URL, "AU %d url", i)
				assert.Equal(t, tt.moveOn[i], au.MoveOn, "AU %d moveOn", i)
				assert.Equal(t, tt.method, au.LaunchMethod, "AU %d launchMethod", i)
			}
			derived, _, err := xapi.ActivityID(&asset.Asset{ID: "urn:uuid:6f1c7a53-3c4e-4b0b-9a53-0f6f6c1f4a10"}, xapi.ActivityOptions{})
			require.NoError(t, err)
			assert.Equal(t, []string{"https://example.org/courses/sdc/m1/intro", derived, "https://example.org/courses/sdc/summary"},
				[]string{aus[0].ID, aus[1].ID, aus[2].ID}, "AU ids are the xAPI activity IDs of the assets: an http(s) asset ID, or one derived from it")
			assert.Nil(t, aus[0].MasteryScore)
			require.NotNil(t, aus[1].MasteryScore)
			assert.InDelta(t, 0.8, *aus[1].MasteryScore, 1e-12)
			assert.Equal(t, activityAssessment, aus[1].ActivityType)
			assert.Equal(t, "http://adlnet.gov/expapi/activities/lesson", aus[0].ActivityType)

			// The objectives: the IRI one under its own id, the token one
			// under an id derived from its asset's.
			require.Len(t, c.Objectives, 2)
			assert.Equal(t, "https://example.org/objectives/suppress", c.Objectives[0].ID)
			assert.Equal(t, asset.DeriveID("cmi5", "https://example.org/courses/sdc/m1", "obj-1"), c.Objectives[1].ID)
			require.Len(t, c.Blocks(), 1, "the module with nothing to launch is left out")
			assert.Equal(t, []string{c.Objectives[1].ID}, c.Blocks()[0].Objectives)
			assert.Equal(t, []string{c.Objectives[0].ID}, aus[0].Objectives)

			// Text, escaped on the way out, comes back.
			assert.Equal(t, a.Title, back.Title)
			assert.Equal(t, a.Description, back.Description)
			assert.Nil(t, back.Parts[0].Description, "an absent description comes back absent")

			// What cmi5 cannot carry is reported.
			losses := map[string][]string{}
			for _, l := range rep.Losses {
				assert.NotEmpty(t, l.Code, "every loss has a code: %v", l)
				assert.NotEmpty(t, l.AssetID, "every loss here is about an asset: %v", l)
				losses[l.Pointer] = append(losses[l.Pointer], l.Code)
			}
			assert.Contains(t, losses["/license"], "cmi5.lost.license")
			assert.Contains(t, losses["/parts/0/objectives/0/alignments"], "cmi5.lost.objective-alignments")
			assert.Contains(t, losses["/parts/0/parts/0/duration"], "cmi5.lost.duration")
			assert.Contains(t, losses["/parts/1"], "cmi5.lost.unlaunchable")
			assert.Contains(t, losses["/parts/2"], "cmi5.lost.unlaunchable")
			assert.Contains(t, losses["/parts/0/parts/1/extensions"], "cmi5.lost.extension")
			if !tt.opts.Direct {
				assert.Contains(t, losses["/parts/0/parts/1"], "cmi5.lost.scorm-runtime")
			}
			assert.Empty(t, rep.Errors())
			if tt.withPage {
				page, err := LaunchPageFile(LaunchPage)
				require.NoError(t, err)
				assert.Equal(t, page, files[LaunchPage])
			}
		})
	}
}

func TestExportDeterministic(t *testing.T) {
	a, content := testTree()
	first, _ := exportZip(t, a, content, ExportOptions{})
	for range 3 {
		again, _ := exportZip(t, a.Clone(), content, ExportOptions{})
		require.True(t, bytes.Equal(first, again), "the same tree gave a different zip")
	}
}

func TestExportFile(t *testing.T) {
	a, content := testTree()
	want, _ := exportZip(t, a, content, ExportOptions{})
	name := filepath.Join(t.TempDir(), "out.zip")
	_, err := ExportFile(context.Background(), name, a, content, ExportOptions{})
	require.NoError(t, err)
	got, err := os.ReadFile(name)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	// A failed export leaves the file as it was.
	delete(content, "m1/quiz/index.html")
	_, err = ExportFile(context.Background(), name, a, content, ExportOptions{})
	require.Error(t, err)
	got, err = os.ReadFile(name)
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

func TestExportErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func(*asset.Asset, fstest.MapFS)
		opts   ExportOptions
		want   string
		is     error
	}{
		{"missing file", func(_ *asset.Asset, c fstest.MapFS) { delete(c, "m1/intro/style.css") }, ExportOptions{}, `"m1/intro/style.css"`, fs.ErrNotExist},
		{"size mismatch", func(a *asset.Asset, _ fstest.MapFS) { a.Parts[0].Parts[0].Resources[1].Size = 5 }, ExportOptions{}, "has 17 bytes", ErrExport},
		{"sha256 mismatch", func(a *asset.Asset, _ fstest.MapFS) {
			a.Parts[0].Parts[0].Resources[1].SHA256 = strings.Repeat("0", 64)
		}, ExportOptions{}, "sha256", ErrExport},
		{"nothing to launch", func(a *asset.Asset, _ fstest.MapFS) {
			a.Parts = a.Parts[1:3]
		}, ExportOptions{}, "cmi5.export.empty", ErrExport},
		{"bad launch method", nil, ExportOptions{LaunchMethod: "Popup"}, "Popup", ErrExport},
		{"bad moveOn", nil, ExportOptions{MoveOn: "Done"}, "Done", ErrExport},
		{"launch page name taken", func(a *asset.Asset, c fstest.MapFS) {
			a.Parts[3].Resources = append(a.Parts[3].Resources, asset.Resource{Path: LaunchScript})
			c[LaunchScript] = &fstest.MapFile{Data: []byte("x")}
		}, ExportOptions{}, "ota-cmi5/au.js", ErrExport},
		{"path leaving the package", func(a *asset.Asset, _ fstest.MapFS) {
			a.Parts[3].Resources[0].Path = "../outside.html"
		}, ExportOptions{}, "outside.html", ErrExport},
		{"no content", nil, ExportOptions{}, "no content", ErrExport},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, content := testTree()
			var c fs.FS = content
			if tt.change != nil {
				tt.change(a, content)
			} else if tt.opts == (ExportOptions{}) {
				c = nil
			}
			_, err := Export(io.Discard, a, c, tt.opts)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, errors.Is(err, tt.is), "%v is not %v", err, tt.is)
		})
	}
}

// TestExportLeafRoot exports a single lesson: a course holding one AU,
// the AU having the lesson's xAPI activity ID.
func TestExportLeafRoot(t *testing.T) {
	a := &asset.Asset{ID: "urn:uuid:0b7f9f3e-8d5c-4a44-9a3b-6f0f1d2b9c11", Kind: asset.KindLesson, Title: asset.LangString{"en": "One page"},
		Resources: []asset.Resource{{Path: "index.html", Role: asset.RoleLaunch}}}
	data, rep := exportZip(t, a, fstest.MapFS{"index.html": {Data: []byte("<p>hi")}}, ExportOptions{})
	assert.Empty(t, rep.Issues)
	c, _ := reimport(t, data)
	require.Len(t, c.AUs(), 1)
	want, _, err := xapi.ActivityID(a, xapi.ActivityOptions{})
	require.NoError(t, err)
	assert.Equal(t, want, c.AUs()[0].ID)
	assert.Equal(t, asset.DeriveID("cmi5", "course", a.ID), c.ID)
	assert.Equal(t, a.Title, c.Title)
}

// TestWriteEscaping checks that text and attributes come back as written,
// characters XML cannot hold excepted (they are dropped).
func TestWriteEscaping(t *testing.T) {
	odd := "a & b < c > d \"e\" 'f'\tg\r\nh ]]> \x01"
	ms := 0.75
	c := &Course{ID: "https://example.org/c?a=1&b=2", Title: asset.LangString{"en": odd},
		Items: []Item{{AU: &AU{ID: "https://example.org/au", Title: asset.LangString{"en": "AU"}, URL: "x.html?p=1&q=2",
			MasteryScore: &ms, LaunchParameters: `{"a": "<b>&"}`, EntitlementKey: "k&y"}}}}
	var buf bytes.Buffer
	require.NoError(t, c.Write(&buf))
	back, rep, err := Parse(&buf, Options{})
	require.NoError(t, err)
	assert.Empty(t, rep.Errors())
	assert.Equal(t, c.ID, back.ID)
	assert.Equal(t, strings.TrimSpace(strings.ReplaceAll(odd, "\x01", "")), back.Title["en"])
	au := back.AUs()[0]
	assert.Equal(t, "x.html?p=1&q=2", au.URL)
	assert.Equal(t, `{"a": "<b>&"}`, au.LaunchParameters)
	assert.Equal(t, "k&y", au.EntitlementKey)
	assert.Equal(t, 0.75, *au.MasteryScore)
	assert.Equal(t, MoveOnNotApplicable, au.MoveOn)
}

// referenceFiles lists the course structures of the reference material.
func referenceFiles(t *testing.T) []string {
	t.Helper()
	ref := referenceDir(t)
	var out []string
	for _, glob := range []string{"spec-examples/*cmi5.xml", "catapult-course-examples/*.xml", "catapult-lts/*.xml"} {
		files, err := filepath.Glob(filepath.Join(ref, glob))
		require.NoError(t, err)
		out = append(out, files...)
	}
	require.NotEmpty(t, out)
	return out
}

// emptyLangstring matches a langstring element without text.
var emptyLangstring = regexp.MustCompile(`<langstring[^>]*/>|<langstring[^>]*>\s*</langstring>`)

// TestObjectiveDescriptions: the description of a cmi5 objective is kept
// through the asset model (no loss reported) and written back; an
// objective, course or AU without a description gets its title as
// description (cmi5.xml requires one), never an empty langstring, and
// reads back as having none.
func TestObjectiveDescriptions(t *testing.T) {
	file := filepath.Join(referenceDir(t), "spec-examples", "complex-cmi5.xml")
	c, _, err := openCourse(file, Options{})
	require.NoError(t, err)
	require.NotEmpty(t, c.Objectives)
	require.NotEmpty(t, c.Objectives[0].Description, "the reference objective has a description")
	a, rep := c.Asset()
	for _, l := range rep.Losses {
		assert.NotContains(t, l.What, "description", "the objective description is kept, not lost")
	}
	content := fstest.MapFS{}
	for _, x := range a.All() {
		for _, r := range x.Resources {
			content[r.Path] = &fstest.MapFile{Data: []byte("<!DOCTYPE html><title>stand-in</title>")}
		}
	}
	data, _ := exportZip(t, a, content, ExportOptions{})
	_, files := zipEntries(t, data)
	xml := string(files["cmi5.xml"])
	assert.NotRegexp(t, emptyLangstring, xml)
	assert.Contains(t, xml, "Knowledge about basic terms, theories and applications of geology.")
	back, _ := reimport(t, data)
	for i, o := range c.Objectives {
		assert.Equal(t, o.Description, back.Objectives[i].Description, "objective %s", o.ID)
	}

	// An OTA objective has one text: it is the title, and the description
	// repeats it rather than being empty.
	tree := &asset.Asset{ID: "https://example.org/c", Kind: asset.KindCourse, Title: asset.LangString{"en": "C"},
		Parts: []asset.Asset{{ID: "https://example.org/c/l", Kind: asset.KindLesson, Title: asset.LangString{"en": "L"},
			Objectives: []asset.Objective{{ID: "https://example.org/o/1", Text: asset.LangString{"en": "Read a table"}}},
			Resources:  []asset.Resource{{Path: "l.html", Role: asset.RoleLaunch}}}}}
	data, _ = exportZip(t, tree, fstest.MapFS{"l.html": {Data: []byte("<p>l</p>")}}, ExportOptions{})
	_, files = zipEntries(t, data)
	xml = string(files["cmi5.xml"])
	assert.NotRegexp(t, emptyLangstring, xml)
	assert.Equal(t, 2, strings.Count(xml, `<langstring lang="en">Read a table</langstring>`), "title and description:\n%s", xml)
	back, again := reimport(t, data)
	assert.Nil(t, back.Objectives[0].Description, "a description that repeats the title reads back as none")
	assert.Nil(t, again.Description)
	assert.Nil(t, again.Parts[0].Description)
}

// TestReferenceRoundTrip imports every reference course structure,
// exports the model as a package (with stand-in files for the AUs'
// relative URLs), imports that again and requires the same model, no
// loss, and the same package when the second model is exported.
func TestReferenceRoundTrip(t *testing.T) {
	ref := referenceDir(t)
	for _, file := range referenceFiles(t) {
		rel, _ := filepath.Rel(ref, file)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			c, rep, err := openCourse(file, Options{})
			require.NoError(t, err)
			require.Empty(t, rep.Errors())
			first, _ := c.Asset()
			content := fstest.MapFS{}
			for _, x := range first.All() {
				for _, r := range x.Resources {
					content[r.Path] = &fstest.MapFile{Data: []byte("<!DOCTYPE html><title>stand-in</title>")}
				}
			}
			data, exp := exportZip(t, first, content, ExportOptions{})
			assert.Empty(t, exp.Issues)
			assert.Empty(t, exp.Losses, "an imported cmi5 course loses nothing on export")
			_, files := zipEntries(t, data)
			assert.NotContains(t, files, LaunchPage, "imported AUs are not wrapped")

			assert.NotRegexp(t, emptyLangstring, string(files["cmi5.xml"]), "no element is written empty")

			back, second := reimport(t, data)
			assert.Equal(t, first, second, "cmi5 → model → cmi5 → model changed the model")
			assert.Equal(t, c.Objectives, back.Objectives, "objectives keep their titles and descriptions")
			assert.Equal(t, len(c.AUs()), len(back.AUs()))
			again, _ := exportZip(t, second, content, ExportOptions{})
			assert.True(t, bytes.Equal(data, again), "exporting the re-imported model gave another package")
		})
	}
}

// TestExportSchema validates the cmi5.xml of exports with xmllint against
// the official XML Schema: the test tree with each set of options, a
// single lesson, and every course structure of the reference material and
// of testdata, extensions included, re-exported from its asset and
// written back directly.
func TestExportSchema(t *testing.T) {
	interop.RequireXMLLint(t)
	schema := interop.CMI5Schema(t)
	type export struct {
		name string
		a    *asset.Asset
		opts ExportOptions
		// c, when set, is written as it is, without a.
		c *Course
	}
	tree, _ := testTree()
	exports := []export{
		{name: "tree", a: tree},
		{name: "tree, direct", a: tree, opts: ExportOptions{Direct: true, LaunchMethod: LaunchOwnWindow, MoveOn: MoveOnCompletedAndPassed}},
		{name: "single lesson", a: &asset.Asset{ID: "urn:uuid:0b7f9f3e-8d5c-4a44-9a3b-6f0f1d2b9c11", Kind: asset.KindLesson,
			Resources: []asset.Resource{{Path: "a b/ü.html", Role: asset.RoleLaunch}}}},
	}
	for _, file := range roundTripFiles(t) {
		c, _, err := openCourse(file, Options{})
		require.NoError(t, err)
		a, _ := c.Asset()
		name := filepath.Base(filepath.Dir(file)) + "/" + filepath.Base(file)
		exports = append(exports, export{name: name, a: a}, export{name: name + ", written directly", c: c})
	}
	for _, e := range exports {
		t.Run(e.name, func(t *testing.T) {
			c := e.c
			if c == nil {
				var rep ota.Report
				c, rep = FromAsset(e.a, e.opts)
				require.Empty(t, rep.Errors())
			}
			name := filepath.Join(t.TempDir(), "cmi5.xml")
			var buf bytes.Buffer
			require.NoError(t, c.Write(&buf))
			require.NoError(t, os.WriteFile(name, buf.Bytes(), 0o644))
			if err := interop.XMLLint(schema, "", name); err != nil {
				t.Errorf("%v\n%s", err, buf.Bytes())
			}
		})
	}
}

// TestExportOwnContent: an asset with parts and a page of its own (a
// course's front page, an episode with exercises) keeps its page as the
// first AU of its block, so that no content is left unlaunched.
func TestExportOwnContent(t *testing.T) {
	a := &asset.Asset{ID: "https://example.org/c", Kind: asset.KindCourse, Title: asset.LangString{"en": "C"},
		Resources: []asset.Resource{{Path: "index.html", Role: asset.RoleLaunch}},
		Parts: []asset.Asset{{ID: "https://example.org/c/ep1", Kind: asset.KindLesson, Title: asset.LangString{"en": "Episode"},
			Resources: []asset.Resource{{Path: "ep1.html", Role: asset.RoleLaunch}},
			Parts: []asset.Asset{{ID: "https://example.org/c/ep1/ch1", Kind: asset.KindActivity, Title: asset.LangString{"en": "Challenge"},
				Resources: []asset.Resource{{Path: "ch1.html", Role: asset.RoleLaunch}}}}}}}
	c, rep := FromAsset(a, ExportOptions{})
	require.False(t, rep.HasErrors(), "%v", rep.Issues)
	var urls []string
	for _, au := range c.AUs() {
		urls = append(urls, au.URL)
	}
	assert.Equal(t, []string{LaunchPage + "?content=index.html", LaunchPage + "?content=ep1.html", LaunchPage + "?content=ch1.html"}, urls)
	require.NotNil(t, c.Items[1].Block)
	assert.Equal(t, "https://example.org/c/ep1", c.Items[1].Block.ID)
	assert.Equal(t, "Episode", c.Items[1].Block.Items[0].AU.Title["en"])
	for _, l := range rep.Losses {
		assert.NotContains(t, l.Why, "no AU launches them")
	}
}
