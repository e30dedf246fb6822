package main

import (
	"bufio"
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/mapping"
	"github.com/metaacademy/ota/packaging/bundle"
	"github.com/metaacademy/ota/packaging/cmi5"
	"github.com/metaacademy/ota/packaging/scorm"
	"github.com/metaacademy/ota/packaging/xapi"
)

// outputs are the files run writes.
var outputs = []string{docFile, bundleFile, scorm12File, scorm2004File, cmi5File, xapiFile,
	"gsbpm-coverage.svg", "digcomp-coverage.svg"}

// runInto runs the example on lessonDir into a new folder and returns the
// folder and what it printed.
func runInto(t *testing.T, lessonDir string) (dir, stdout string) {
	t.Helper()
	dir = t.TempDir()
	var out, errs bytes.Buffer
	require.NoError(t, run(context.Background(), config{Lesson: lessonDir, Out: dir, Stdout: &out, Stderr: &errs}))
	t.Logf("stderr:\n%s", errs.String())
	return dir, out.String()
}

func TestDefaultLesson(t *testing.T) {
	dir, stdout := runInto(t, "")
	for _, name := range outputs {
		assert.FileExists(t, filepath.Join(dir, name))
		assert.Contains(t, stdout, name, "the listing names every file")
	}
	doc := checkOutputs(t, dir, stdout)

	course := &doc.Asset
	assert.Equal(t, "Git for a Statistical Production Team", course.Title["en"])
	assert.Len(t, course.Parts, 3)
	assert.Equal(t, "PT55M", course.Duration.String())
	aligned := codes(course)
	for _, want := range []string{"gsbpm 3.2", "gsbpm 3.7", "gsbpm 8.1", "digcomp 1.3", "digcomp 2.2", "digcomp 2.4", "digcomp 3.4"} {
		assert.Contains(t, aligned, want)
	}
	assert.Len(t, aligned, 7)
	// Every challenge assesses what its episode teaches.
	for _, ep := range course.Parts {
		require.Len(t, ep.Parts, 1, ep.Title["en"])
		require.NotEmpty(t, ep.Parts[0].Alignments)
		for i, al := range ep.Parts[0].Alignments {
			assert.Equal(t, asset.Assesses, al.Relation)
			assert.Equal(t, ep.Alignments[i].Code, al.Code)
		}
	}
	assert.Contains(t, stdout, "GSBPM 5.2: the course covers 3 of 50 sub-processes")
	assert.Contains(t, stdout, "DigComp 2.2: the course covers 4 of 21 competences")
	assert.Regexp(t, `(?m)^  1\.3 +Managing data, information and digital content +teaches 2, assesses 2$`, stdout)

	// 3 episodes: launched, initialized, answered, passed, progressed,
	// completed; course progress after the first two; course completed.
	assert.Contains(t, stdout, "21 xAPI 1.0.3 statements")
	first, _ := os.ReadFile(filepath.Join(dir, xapiFile))
	assert.Contains(t, string(first), `"timestamp":"2025-03-03T09:00:00.000Z"`)
	assert.Contains(t, string(first), `"name":"learner-0001"`)

	// The same lesson gives the same bytes, file for file.
	again, _ := runInto(t, "")
	for _, name := range outputs {
		a, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(again, name))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(a, b), "%s differs between two runs", name)
	}
}

// reference returns the path of rel in the reference material,
// ../shared/reference beside the repository root (two folders above this
// one), and skips the test when the material is not there.
func reference(t *testing.T, rel string) string {
	t.Helper()
	base := filepath.Join("..", "..", "..", "shared", "reference")
	if st, err := os.Stat(base); err != nil || !st.IsDir() {
		t.Skipf("the reference material is absent: %s is not there", base)
	}
	p := filepath.Join(base, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("%s is not in the reference material: %v", rel, err)
	}
	return p
}

// TestGitLesson runs the example on the ModernStats Git lesson the
// Meta Academy published.
func TestGitLesson(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	dir, stdout := runInto(t, reference(t, "lessons/ModernStats_Git"))
	doc := checkOutputs(t, dir, stdout)
	assert.Equal(t, "Git for Official Statistics", doc.Asset.Title["en"])
	assert.Len(t, doc.Asset.Parts, 13)
	assert.Contains(t, codes(&doc.Asset), "digcomp 2.4")
	assert.Contains(t, codes(&doc.Asset), "digcomp 3.3")
	assert.Contains(t, stdout, "3.3    Copyright and licences")
}

// checkOutputs reads back every file run wrote in dir, and checks that the
// coverage summary names every aligned node. It returns the OTA document.
func checkOutputs(t *testing.T, dir, stdout string) *asset.Document {
	t.Helper()
	ctx := context.Background()

	f, err := os.Open(filepath.Join(dir, docFile))
	require.NoError(t, err)
	defer f.Close()
	doc, rep, err := asset.Read(f, asset.ReadOptions{Validate: true})
	require.NoError(t, err)
	assert.False(t, rep.HasErrors(), "%v", rep.Errors())
	assert.False(t, mapping.CheckAlignments(&doc.Asset).HasErrors())

	b, _, err := bundle.OpenFile(filepath.Join(dir, bundleFile), bundle.Options{})
	require.NoError(t, err)
	defer b.Close()
	assert.Empty(t, b.Verify(ctx).Issues)
	require.Len(t, b.Assets(), 1)
	assert.Equal(t, doc.Asset.ID, b.Assets()[0].Asset.ID)

	// The document's files are beside it, the same bytes as in the bundle,
	// so that the document converts where it is.
	for _, a := range doc.Asset.All() {
		for _, r := range a.Resources {
			beside, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(r.Path)))
			if assert.NoError(t, err, "%s is not beside %s", r.Path, docFile) {
				inBundle, err := fs.ReadFile(b.Content(), r.Path)
				require.NoError(t, err)
				assert.True(t, bytes.Equal(inBundle, beside), "%s differs from the bundle's", r.Path)
			}
		}
	}

	for file, v := range map[string]scorm.Version{scorm12File: scorm.Version12, scorm2004File: scorm.Version2004Ed4} {
		p, rep, err := scorm.OpenFile(filepath.Join(dir, file), scorm.Options{})
		require.NoError(t, err, file)
		assert.False(t, rep.HasErrors(), "%s: %v", file, rep.Errors())
		assert.Equal(t, v, p.Version, file)
	}

	c, rep, err := cmi5.OpenFile(filepath.Join(dir, cmi5File), cmi5.Options{})
	require.NoError(t, err)
	assert.False(t, rep.HasErrors(), "%v", rep.Errors())
	defer c.Close()
	assert.NotEmpty(t, c.Course.AUs())

	nd, err := os.Open(filepath.Join(dir, xapiFile))
	require.NoError(t, err)
	defer nd.Close()
	sc := bufio.NewScanner(nd)
	sc.Buffer(nil, 1<<20)
	lines := 0
	for sc.Scan() {
		lines++
		rep := xapi.Validate(sc.Bytes(), xapi.ValidateOptions{})
		assert.Empty(t, rep.Issues, "statement %d", lines)
	}
	require.NoError(t, sc.Err())
	assert.Positive(t, lines)

	// The coverage summary has a line for every aligned node, with its
	// code and name.
	reg := mapping.Default()
	for _, a := range doc.Asset.All() {
		for _, al := range a.Alignments {
			_, node, err := reg.Resolve(al)
			require.NoError(t, err)
			assert.Regexp(t, `(?m)^  `+regexp.QuoteMeta(al.Code)+` +`+regexp.QuoteMeta(node.Name["en"])+` +(teaches|assesses) [0-9]`, stdout)
		}
	}
	return doc
}

// codes lists the "framework code" pairs the tree is aligned to, once
// each.
func codes(root *asset.Asset) []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range root.All() {
		for _, al := range a.Alignments {
			k := al.Framework + " " + al.Code
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out
}
