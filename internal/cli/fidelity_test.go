package cli_test

import (
	"archive/zip"
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota/internal/cli"
	"github.com/metaacademy/ota/packaging/cmi5"
	"github.com/metaacademy/ota/packaging/scorm"
)

// referencePackages are the SCORM packages of ../shared/reference/packages.
var referencePackages = []string{
	"golf_scorm12_multisco_onefilepersco.zip",
	"golf_scorm2004_3rd_metadata.zip",
	"golf_scorm2004_3rd_runtimebasiccalls.zip",
	"golf_scorm2004_4th_posttestrollup.zip",
}

// xmlBasePackage writes a SCORM 2004 package of our own whose launch URLs
// go through an xml:base chain (manifest, resources, resource) and whose
// items have parameters of every form the CAM allows: joined with "&" to a
// query, starting a query, and replacing the fragment.
func xmlBasePackage(t *testing.T) string {
	t.Helper()
	manifest := `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="BASES" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xml:base="course/">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="ORG"><organization identifier="ORG"><title>Bases</title>
    <item identifier="I1" identifierref="R1" parameters="&amp;b=2#top"><title>Query joined</title></item>
    <item identifier="I2" identifierref="R2" parameters="?x=y"><title>Query started</title></item>
    <item identifier="I3" identifierref="R1" parameters="#part-2"><title>Fragment</title></item>
    <item identifier="I4" identifierref="R2"><title>No parameters</title></item>
  </organization></organizations>
  <resources xml:base="unit1/">
    <resource identifier="R1" type="webcontent" adlcp:scormType="asset" xml:base="lesson/" href="page.html?a=1"><file href="page.html"/></resource>
    <resource identifier="R2" type="webcontent" adlcp:scormType="asset" href="other.html"><file href="other.html"/></resource>
  </resources>
</manifest>`
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"imsmanifest.xml":               manifest,
		"course/unit1/lesson/page.html": "<!DOCTYPE html><title>Page</title>",
		"course/unit1/other.html":       "<!DOCTYPE html><title>Other</title>",
	} {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write([]byte(body))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	p := filepath.Join(t.TempDir(), "bases.zip")
	require.NoError(t, os.WriteFile(p, buf.Bytes(), 0o644))
	return p
}

// wantLaunch computes, independently of the importer, the URL an LMS
// launches for an item: the resource href resolved against the xml:base
// chain (relative folders here, so resolving is joining), then the item's
// parameters as the IMS CP and SCORM CAM join them: "#…" replaces the
// fragment; otherwise a leading "?" or "&" is dropped and the rest joined
// to the query with "&", or starts one with "?", before the fragment.
func wantLaunch(p *scorm.Package, it *scorm.Item) string {
	r := p.Resource(it.IdentifierRef)
	u := p.Base + p.ResourcesBase + r.Base + r.Href
	params := it.Parameters
	if params == "" {
		return u
	}
	base, frag, _ := strings.Cut(u, "#")
	if strings.HasPrefix(params, "#") {
		return base + params
	}
	params = strings.TrimLeft(params, "?&")
	q, pfrag, hasPFrag := strings.Cut(params, "#")
	if hasPFrag {
		frag = pfrag
	}
	if strings.Contains(base, "?") {
		base += "&" + q
	} else {
		base += "?" + q
	}
	if frag != "" {
		base += "#" + frag
	}
	return base
}

// launchedItems returns the items of the default organization that launch
// something, in document order, with the URL each must launch.
func launchedItems(t *testing.T, pkgPath string) (*scorm.Package, []*scorm.Item, []string) {
	t.Helper()
	p, rep, err := scorm.OpenFile(pkgPath, scorm.Options{})
	require.NoError(t, err)
	require.Empty(t, rep.Errors())
	var items []*scorm.Item
	var want []string
	p.Default().Walk(func(it *scorm.Item) {
		if it.IdentifierRef != "" {
			items = append(items, it)
			want = append(want, wantLaunch(p, it))
		}
	})
	require.NotEmpty(t, items)
	return p, items, want
}

// parameterPackages are the reference packages (skipped when absent) and
// the package of our own with xml:base chains.
func parameterPackages(t *testing.T) map[string]string {
	out := map[string]string{"xml:base chain": xmlBasePackage(t)}
	for _, name := range referencePackages {
		p := filepath.Join("..", "..", "..", "shared", "reference", "packages", name)
		if _, err := os.Stat(p); err != nil {
			t.Logf("reference package %s absent: %v", name, err)
			continue
		}
		out[name] = p
	}
	return out
}

// TestSCORMParametersReachCMI5: every SCORM package exported to cmi5 gives
// one AU per launched item, and each AU launches exactly the item's
// resolved href with its parameters: as the content of OTA's launch page
// (the default), and as the AU url itself when the content is launched
// directly.
func TestSCORMParametersReachCMI5(t *testing.T) {
	withParams := 0
	for name, pkgPath := range parameterPackages(t) {
		t.Run(name, func(t *testing.T) {
			p, items, want := launchedItems(t, pkgPath)
			for _, it := range items {
				if it.Parameters != "" || strings.ContainsAny(p.Resource(it.IdentifierRef).Href, "?#") {
					withParams++
				}
			}

			// Through the command: the AU launches OTA's launch page, whose
			// content parameter is the item's launch URL.
			out := filepath.Join(t.TempDir(), "c.zip")
			r := run(t, nil, "convert", pkgPath, out, "--to", "cmi5")
			require.Equal(t, cli.ExitOK, r.code, r)
			course, rep, err := cmi5.OpenFile(out, cmi5.Options{})
			require.NoError(t, err)
			require.Empty(t, rep.Errors())
			aus := course.AUs()
			require.Len(t, aus, len(items), "one AU per launched item")
			for i, au := range aus {
				u, err := url.Parse(au.URL)
				require.NoError(t, err)
				assert.Equal(t, cmi5.LaunchPage, u.Path, "AU %d", i)
				assert.Equal(t, want[i], u.Query().Get("content"), "AU %d (item %s): the content it shows", i, items[i].Identifier)
			}

			// Directly: the AU url is the item's launch URL.
			tree, _ := p.Asset()
			zr, err := zip.OpenReader(pkgPath)
			require.NoError(t, err)
			defer zr.Close()
			var buf bytes.Buffer
			_, err = cmi5.Export(context.Background(), &buf, tree, zr, cmi5.ExportOptions{Direct: true})
			require.NoError(t, err)
			direct := filepath.Join(t.TempDir(), "direct.zip")
			require.NoError(t, os.WriteFile(direct, buf.Bytes(), 0o644))
			course, _, err = cmi5.OpenFile(direct, cmi5.Options{})
			require.NoError(t, err)
			aus = course.AUs()
			require.Len(t, aus, len(items))
			for i, au := range aus {
				assert.Equal(t, want[i], au.URL, "AU %d (item %s)", i, items[i].Identifier)
			}
		})
	}
	if _, err := os.Stat(filepath.Join("..", "..", "..", "shared", "reference", "packages")); err == nil {
		assert.Greater(t, withParams, 8, "the reference packages launch items with parameters and queries")
	}
}

// TestSCORMParametersReachOtherFamily: exported to the other SCORM family
// (1.2 ↔ 2004), through an OTA bundle, every item still launches its
// resolved href with its parameters; a SCO runs behind OTA's API adapter,
// which shows the SCO its sco parameter names with the item's parameters.
func TestSCORMParametersReachOtherFamily(t *testing.T) {
	for name, pkgPath := range parameterPackages(t) {
		t.Run(name, func(t *testing.T) {
			p, items, want := launchedItems(t, pkgPath)
			to := "scorm12"
			if !p.Version.Is2004() {
				to = "scorm2004-4"
			}
			dir := t.TempDir()
			bundle := filepath.Join(dir, "c.ota")
			r := run(t, nil, "convert", pkgPath, bundle)
			require.Equal(t, cli.ExitOK, r.code, r)
			out := filepath.Join(dir, "c.zip")
			r = run(t, nil, "convert", bundle, out, "--to", to)
			require.Equal(t, cli.ExitOK, r.code, r)
			_, backItems, _ := launchedItems(t, out)
			require.Len(t, backItems, len(items))
			for i, it := range backItems {
				assert.Equal(t, want[i], effectiveLaunch(t, it.LaunchURL), "item %s", items[i].Identifier)
			}
		})
	}
}

// effectiveLaunch sees through OTA's API adapter: the URL it shows is its
// sco parameter with the parameters it forwards (all but sco and v).
func effectiveLaunch(t *testing.T, launch string) string {
	u, err := url.Parse(launch)
	require.NoError(t, err)
	if u.Path != "ota-scorm/adapter.html" {
		return launch
	}
	q := u.Query()
	sco := q.Get("sco")
	q.Del("sco")
	q.Del("v")
	if extra := q.Encode(); extra != "" {
		return scorm.AppendParameters(sco, "?"+extra)
	}
	return sco
}

// TestCMI5QueryReachesSCORM: an AU launched with a query keeps it in a
// SCORM package: OTA's launch page shows the AU's page with its query.
func TestCMI5QueryReachesSCORM(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cmi5.xml"), []byte(`<?xml version="1.0" encoding="UTF-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://example.org/c"><title><langstring lang="en">C</langstring></title><description><langstring lang="en">C</langstring></description></course>
  <au id="https://example.org/c/au"><title><langstring lang="en">AU</langstring></title><description><langstring lang="en">AU</langstring></description>
    <url>pages/quiz.html?questions=Playing#start</url></au>
</courseStructure>`), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "pages"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "pages", "quiz.html"), []byte("<!DOCTYPE html><title>Quiz</title>"), 0o644))
	for _, to := range []string{"scorm12", "scorm2004-4"} {
		t.Run(to, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "s.zip")
			r := run(t, nil, "convert", dir, out, "--to", to)
			require.Equal(t, cli.ExitOK, r.code, r)
			_, items, _ := launchedItems(t, out)
			require.Len(t, items, 1)
			u, err := url.Parse(items[0].LaunchURL)
			require.NoError(t, err)
			assert.Equal(t, "ota-scorm/launch.html", u.Path)
			assert.Equal(t, "pages/quiz.html?questions=Playing#start", u.Query().Get("content"))
		})
	}
}
