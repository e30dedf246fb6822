package cmi5

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/interop"
	"github.com/metaacademy/ota/internal/xmltree"
	"github.com/metaacademy/ota/packaging/xmlnode"
)

const vendorNS = "urn:example:vendor"

// roundTripFiles are the course structures that parse without an error:
// the reference ones and those of testdata.
func roundTripFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.xml"))
	require.NoError(t, err)
	ref := referenceDir(t)
	for _, glob := range []string{"spec-examples/*cmi5.xml", "catapult-course-examples/*.xml", "catapult-lts/*.xml"} {
		more, err := filepath.Glob(filepath.Join(ref, glob))
		require.NoError(t, err)
		files = append(files, more...)
	}
	return files
}

// asJSON is the course as JSON: Node lines and the unexported pointers
// left out, as a course read twice must compare.
func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	require.NoError(t, err)
	return string(b)
}

// TestExtensionPlaces reads extensions at every place the XML Schema
// allows them and checks that each is kept on its element.
func TestExtensionPlaces(t *testing.T) {
	c, rep, err := openCourse(filepath.Join("testdata", "extensions.cmi5.xml"), Options{})
	require.NoError(t, err)
	for _, is := range rep.Issues {
		assert.Equal(t, ota.Info, is.Severity, "%v", is)
	}
	attr := func(e *Extensions, local string) string {
		if e == nil {
			return "<no extensions>"
		}
		for _, a := range e.Attrs {
			if a.Space == vendorNS && a.Local == local {
				return a.Value
			}
		}
		return "<missing>"
	}
	names := func(e *Extensions) []string {
		var out []string
		if e != nil {
			for _, n := range e.Elements {
				out = append(out, n.Local)
			}
		}
		return out
	}
	root := c.StructureExtra
	assert.Equal(t, "editor 2.1", attr(root, "generator"))
	assert.Equal(t, []string{"keywords"}, names(root))
	objs := root.Part("objectives")
	assert.Equal(t, "core", attr(objs, "set"))
	assert.Equal(t, []string{"framework"}, names(objs))
	obj := objs.Part(objectivePart("https://example.org/ext/obj/1"))
	assert.Equal(t, "1", attr(obj.Part("title"), "x"))
	assert.Equal(t, "2", attr(obj.Part("title").Part(langstringPart("en")), "y"))
	assert.Equal(t, []string{"hint"}, names(obj.Part("description")))

	assert.Equal(t, "GEO-101", attr(c.Extra, "code"))
	assert.Equal(t, []string{"level", "owner"}, names(c.Extra))
	assert.Equal(t, "catalogue", attr(c.Extra.Part("title"), "source"))
	assert.Equal(t, "2024-01-02", attr(c.Extra.Part("title").Part(langstringPart("en")), "reviewed"))
	assert.Nil(t, c.Extra.Part("title").Part(langstringPart("fr")))
	assert.Equal(t, []string{"note"}, names(c.Extra.Part("title")))
	owner := c.Extra.Elements[1]
	assert.Equal(t, "https://example.org/w", owner.Space)
	assert.Equal(t, []xmlnode.Attr{{Space: "https://example.org/w", Local: "team", Value: "geo"}, {Space: xmltree.NSXML, Local: "lang", Value: "en"}}, owner.Attrs)

	b := c.Blocks()[0]
	assert.Equal(t, "green", attr(b.Extra, "colour"))
	assert.Equal(t, []string{"afterItems"}, names(b.Extra))
	assert.Equal(t, "1", attr(b.Extra.Part("objectives"), "weight"))
	assert.Equal(t, []string{"why"}, names(b.Extra.Part("objectives")))

	aus := c.AUs()
	assert.Equal(t, "PT10M", attr(aus[0].Extra, "duration"))
	assert.Equal(t, []string{"keyword", "keyword"}, names(aus[0].Extra))
	assert.Equal(t, "1", attr(aus[0].Extra.Part("description"), "d"))
	assert.Nil(t, aus[1].Extra, "an AU without extensions has none")
}

// TestExtensionsNotAllowed: elements and attributes in other namespaces
// where the XML Schema allows none, and those in no namespace or in
// cmi5's, are reported and left out, so that what Write writes stays
// valid.
func TestExtensionsNotAllowed(t *testing.T) {
	doc := `<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd" xmlns:v="urn:example:vendor" colour="red">
<course id="https://e.org/c" size="2"><title><langstring lang="en">C</langstring></title><stray/><plain xmlns=""/></course>
<objectives><objective id="https://e.org/o" v:x="1"><title><langstring lang="en">O</langstring></title><v:inside/></objective></objectives>
<au id="https://e.org/a"><title><langstring lang="en">A</langstring><langstring lang="de" v:k="1"></langstring></title>
<objectives><objective idref="https://e.org/o" v:y="2"><v:z/></objective></objectives>
<url v:u="1">a.html<v:in-url/></url><launchParameters><v:p/></launchParameters></au>
</courseStructure>`
	c, rep, err := Parse(strings.NewReader(doc), Options{})
	require.NoError(t, err)
	assert.Empty(t, rep.Errors())
	for _, want := range []struct{ code, ptr string }{
		{"cmi5.attribute.unknown", "courseStructure"},
		{"cmi5.attribute.unknown", "courseStructure/course"},
		{"cmi5.element.unknown", "courseStructure/course/stray[0]"},
		{"cmi5.element.unknown", "courseStructure/course/plain[0]"},
		{"cmi5.extension.misplaced", "courseStructure/objectives[0]/objective[0]"},
		{"cmi5.extension.misplaced", "courseStructure/objectives[0]/objective[0]/inside[0]"},
		{"cmi5.extension.dropped", "courseStructure/au[0]/title[0]/langstring[1]"},
		{"cmi5.extension.misplaced", "courseStructure/au[0]/objectives[0]/objective[0]"},
		{"cmi5.extension.misplaced", "courseStructure/au[0]/objectives[0]/objective[0]/z[0]"},
		{"cmi5.extension.misplaced", "courseStructure/au[0]/url[0]"},
		{"cmi5.extension.misplaced", "courseStructure/au[0]/url[0]/in-url[0]"},
		{"cmi5.extension.misplaced", "courseStructure/au[0]/launchParameters[0]/p[0]"},
	} {
		assert.True(t, hasIssue(rep, want.code, want.ptr), "no %s at %s in %v", want.code, want.ptr, rep.Issues)
	}
	assert.Nil(t, c.Extra)
	assert.Nil(t, c.StructureExtra)
	assert.Nil(t, c.AUs()[0].Extra)

	// An objectives element without an objective is not written back
	// (the XML Schema requires one), so neither are its extensions.
	empty := head + `<objectives xmlns:v="urn:example:vendor"><v:a/></objectives>` +
		au("https://e.org/a", `xmlns:v="urn:example:vendor"`, `<objectives v:b="1"><v:c/></objectives><url>a.html</url>`) + `</courseStructure>`
	c, rep, err = Parse(strings.NewReader(empty), Options{})
	require.NoError(t, err)
	assert.True(t, hasIssue(rep, "cmi5.extension.dropped", "courseStructure/objectives[0]"), "%v", rep.Issues)
	assert.True(t, hasIssue(rep, "cmi5.extension.dropped", "courseStructure/au[0]/objectives[0]"), "%v", rep.Issues)
	assert.Nil(t, c.StructureExtra)
	assert.Nil(t, c.AUs()[0].Extra)
}

// TestWriteRoundTrip: every course structure that parses gives the same
// course — extensions included, at their places — when written and
// parsed again, and the written cmi5.xml is the same when written again.
func TestWriteRoundTrip(t *testing.T) {
	ref := referenceDir(t)
	for _, file := range roundTripFiles(t) {
		name, _ := filepath.Rel(ref, file)
		if strings.HasPrefix(name, "..") {
			name = file
		}
		t.Run(filepath.ToSlash(name), func(t *testing.T) {
			c, _, err := openCourse(file, Options{})
			require.NoError(t, err)
			c.Base = ""
			var buf bytes.Buffer
			require.NoError(t, c.Write(&buf))
			back, rep, err := Parse(bytes.NewReader(buf.Bytes()), Options{})
			require.NoError(t, err)
			assert.Empty(t, rep.Errors())
			assert.Equal(t, asJSON(t, c), asJSON(t, back), "cmi5 → Course → cmi5 → Course changed the course:\n%s", buf.Bytes())
			var again bytes.Buffer
			require.NoError(t, back.Write(&again))
			assert.Equal(t, buf.String(), again.String())
		})
	}
}

// placedExtensions lists the extensions of a course by element, in
// document order, as JSON.
func placedExtensions(t *testing.T, c *Course) []string {
	out := []string{asJSON(t, c.StructureExtra), asJSON(t, c.Extra)}
	walk(c.Items, func(it Item) {
		switch {
		case it.Block != nil:
			out = append(out, "block "+it.Block.ID+" "+asJSON(t, it.Block.Extra))
		case it.AU != nil:
			out = append(out, "au "+it.AU.ID+" "+asJSON(t, it.AU.Extra))
		}
	})
	return out
}

// TestAssetRoundTripExtensions: cmi5 → asset → FromAsset → Write →
// Parse keeps every extension on its element, with nothing reported
// lost, and the asset carries them as JSON in the cmi5 extension.
func TestAssetRoundTripExtensions(t *testing.T) {
	for _, file := range roundTripFiles(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			c, _, err := openCourse(file, Options{})
			require.NoError(t, err)
			a, arep := c.Asset()
			for _, l := range arep.Losses {
				assert.NotContains(t, l.What, "extension")
			}
			// Through JSON, as an OTA document would carry the asset.
			data, err := json.Marshal(a)
			require.NoError(t, err)
			var decoded asset.Asset
			require.NoError(t, json.Unmarshal(data, &decoded))
			back, exp := FromAsset(&decoded, ExportOptions{})
			require.Empty(t, exp.Errors())
			for _, l := range exp.Losses {
				assert.NotContains(t, l.What, "extension", "%v", l)
			}
			var buf bytes.Buffer
			require.NoError(t, back.Write(&buf))
			again, rep, err := Parse(&buf, Options{})
			require.NoError(t, err)
			require.Empty(t, rep.Errors())
			assert.Equal(t, placedExtensions(t, c), placedExtensions(t, again))
		})
	}
}

// TestExportExtensionLosses: extensions that cmi5.xml cannot hold — in
// cmi5's namespace or none, with a name XML cannot carry, or of a part the
// exported course no longer has — are reported as losses and left out;
// the rest is written, valid.
func TestExportExtensionLosses(t *testing.T) {
	c, _, err := openCourse(filepath.Join("testdata", "extensions.cmi5.xml"), Options{})
	require.NoError(t, err)
	a, _ := c.Asset()
	// The course's English title is now British English: the attributes
	// of its en langstring have nowhere to go.
	a.Title = asset.LangString{"en-GB": "Extensions everywhere", "fr": "Extensions partout"}
	// Hand-edited extensions of the first AU.
	au := &a.Parts[0].Parts[0]
	e := extOf(au)
	require.NotNil(t, e)
	e.Extra.Elements = append(e.Extra.Elements,
		&xmlnode.Node{Space: Namespace, Local: "title"},
		&xmlnode.Node{Local: "plain"},
		&xmlnode.Node{Space: vendorNS, Local: "bad name"},
		nil)
	e.Extra.Attrs = append(e.Extra.Attrs, xmlnode.Attr{Local: "moveOn", Value: "Passed"}, xmlnode.Attr{Space: vendorNS, Local: "ok", Value: "1"})
	setExt(au, *e)
	// courseStructure extensions on a block's asset have no place.
	be := extOf(&a.Parts[0])
	be.StructureExtra = &Extensions{Elements: []*xmlnode.Node{{Space: vendorNS, Local: "lost"}}}
	setExt(&a.Parts[0], *be)

	back, rep := FromAsset(a, ExportOptions{})
	require.Empty(t, rep.Errors())
	var lost []string
	for _, l := range rep.Losses {
		lost = append(lost, l.Pointer+": "+l.What)
	}
	assert.Contains(t, lost, `/extensions: cmi5 extension 1 attributes of title/langstring[en]`)
	assert.Contains(t, lost, `/parts/0/parts/0/extensions: cmi5 extension element "title" of the element`)
	assert.Contains(t, lost, `/parts/0/parts/0/extensions: cmi5 extension element "plain" of the element`)
	assert.Contains(t, lost, `/parts/0/parts/0/extensions: cmi5 extension element "bad name" of the element`)
	assert.Contains(t, lost, `/parts/0/parts/0/extensions: cmi5 extension attribute "moveOn" of the element`)
	assert.Contains(t, lost, `/parts/0/extensions: cmi5 extensions of the courseStructure element`)

	var buf bytes.Buffer
	require.NoError(t, back.Write(&buf))
	again, prep, err := Parse(bytes.NewReader(buf.Bytes()), Options{})
	require.NoError(t, err)
	require.Empty(t, prep.Errors())
	got := again.AUs()[0].Extra
	require.NotNil(t, got)
	assert.Equal(t, []xmlnode.Attr{{Space: vendorNS, Local: "duration", Value: "PT10M"}, {Space: vendorNS, Local: "ok", Value: "1"}}, got.Attrs)
	assert.Len(t, got.Elements, 2)
	assert.Equal(t, MoveOnCompleted, again.AUs()[0].MoveOn, "a moveOn in no namespace is not an extension")
	interop.RequireXMLLint(t)
	name := filepath.Join(t.TempDir(), "cmi5.xml")
	require.NoError(t, os.WriteFile(name, buf.Bytes(), 0o644))
	if err := interop.XMLLint(interop.CMI5Schema(t), "", name); err != nil {
		t.Errorf("%v\n%s", err, buf.Bytes())
	}
}

// TestWriteBadExtension: Write refuses a hand-made extension whose name
// XML cannot carry rather than write a broken document.
func TestWriteBadExtension(t *testing.T) {
	c := &Course{ID: "https://e.org/c", Title: asset.LangString{"en": "C"},
		Items: []Item{{AU: &AU{ID: "https://e.org/a", Title: asset.LangString{"en": "A"}, URL: "a.html",
			Extra: &Extensions{Elements: []*xmlnode.Node{{Space: vendorNS, Local: "x><y"}}}}}}}
	var buf bytes.Buffer
	err := c.Write(&buf)
	require.Error(t, err)
	assert.True(t, errors.Is(err, xmltree.ErrName), "%v", err)
	assert.Zero(t, buf.Len())
}
