package cli_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
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
			defer course.Close()
			aus := course.Course.AUs()
			require.Len(t, aus, len(items), "one AU per launched item")
			for i, au := range aus {
				u, err := url.Parse(au.URL)
				require.NoError(t, err)
				assert.Equal(t, cmi5.LaunchPage, u.Path, "AU %d", i)
				assert.Equal(t, want[i], u.Query().Get("content"), "AU %d (item %s): the content it shows", i, items[i].Identifier)
			}

			// Directly: the AU url is the item's launch URL.
			tree := p.Asset()
			zr, err := zip.OpenReader(pkgPath)
			require.NoError(t, err)
			defer zr.Close()
			var buf bytes.Buffer
			_, err = cmi5.Export(&buf, tree, zr, cmi5.ExportOptions{Direct: true})
			require.NoError(t, err)
			direct := filepath.Join(t.TempDir(), "direct.zip")
			require.NoError(t, os.WriteFile(direct, buf.Bytes(), 0o644))
			course, _, err = cmi5.OpenFile(direct, cmi5.Options{})
			require.NoError(t, err)
			defer course.Close()
			aus = course.Course.AUs()
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

// TestRoundTripKeepsEverything: every SCORM package, converted to an OTA
// bundle and from it back to its own family, keeps every file byte for
// byte and every element and attribute of its manifest (compared by
// namespace URI, attributes in any order, white space around text
// ignored), or the conversion reports what it lost. Back to its own
// version nothing is lost, nothing is added, and items, resources and
// files keep their order; to the other 2004 edition, what changes is
// converted or reported.
func TestRoundTripKeepsEverything(t *testing.T) {
	targets := map[scorm.Version]string{scorm.Version12: "scorm12", scorm.Version2004Ed3: "scorm2004-3", scorm.Version2004Ed4: "scorm2004-4"}
	other := map[scorm.Version]string{scorm.Version2004Ed3: "scorm2004-4", scorm.Version2004Ed4: "scorm2004-3"}
	for name, pkgPath := range parameterPackages(t) {
		p, _, err := scorm.OpenFile(pkgPath, scorm.Options{})
		require.NoError(t, err)
		require.Contains(t, targets, p.Version)
		t.Run(name, func(t *testing.T) {
			want, got, losses := roundTrip(t, pkgPath, targets[p.Version])
			missing, extra := multisetDiff(want, got)
			assert.Empty(t, missing, "lost")
			assert.Empty(t, extra, "the round trip added manifest content")
			// Items, resources and files keep their order; the order of an
			// item's ADL and IMS SS elements among themselves is free (the
			// XML Schema allows them in any order).
			assert.Equal(t, cpLines(want), cpLines(got), "the content-packaging elements are in another order")
			assert.Empty(t, losses, "a package loses nothing on its way back to its own version")
		})
		if to, ok := other[p.Version]; ok {
			t.Run(name+" to "+to, func(t *testing.T) {
				want, got, losses := roundTrip(t, pkgPath, to)
				missing, _ := multisetDiff(want, got)
				for _, m := range missing {
					if elementName(m) == "schemaversion" {
						continue // the target's version, by design
					}
					assert.True(t, reportedLine(losses, m), "lost without a loss: %s", m)
				}
			})
		}
	}
}

// roundTrip converts a package to an OTA bundle and the bundle to the
// SCORM version to, checks that every file of the package is in the result
// byte for byte (or that a loss names it), and returns the lines of both
// manifests (see manifestLines) and every loss line printed.
func roundTrip(t *testing.T, pkgPath, to string) (want, got, losses []string) {
	t.Helper()
	dir := t.TempDir()
	bundle := filepath.Join(dir, "c.ota")
	r := run(t, nil, "convert", pkgPath, bundle, "--losses", "all")
	require.Equal(t, cli.ExitOK, r.code, r)
	losses = lossLines(r.stderr)
	out := filepath.Join(dir, "back.zip")
	r = run(t, nil, "convert", bundle, out, "--to", to, "--losses", "all")
	require.Equal(t, cli.ExitOK, r.code, r)
	losses = append(losses, lossLines(r.stderr)...)

	src, err := zip.OpenReader(pkgPath)
	require.NoError(t, err)
	defer src.Close()
	back, err := zip.OpenReader(out)
	require.NoError(t, err)
	defer back.Close()
	for _, f := range src.File {
		if f.FileInfo().IsDir() || f.Name == "imsmanifest.xml" {
			continue
		}
		data, err := fs.ReadFile(back, f.Name)
		if err != nil {
			assert.True(t, reported(losses, f.Name), "%s is missing from the round trip and no loss says so", f.Name)
			continue
		}
		assert.True(t, bytes.Equal(readZipFile(t, &src.Reader, f.Name), data), "%s changed", f.Name)
	}
	want = manifestLines(t, readZipFile(t, &src.Reader, "imsmanifest.xml"))
	got = manifestLines(t, readZipFile(t, &back.Reader, "imsmanifest.xml"))
	t.Logf("%d manifest elements compared, %d files; %d losses", len(want), len(src.File), len(losses))
	return want, got, losses
}

// lossLines returns the loss lines of a convert's standard error.
func lossLines(stderr string) []string {
	var out []string
	for _, l := range strings.Split(stderr, "\n") {
		if strings.Contains(l, ": lost ") {
			out = append(out, l)
		}
	}
	return out
}

// reported reports whether a loss line mentions what (a file name, or a
// manifest line's element name).
func reported(losses []string, what string) bool {
	for _, l := range losses {
		if strings.Contains(l, what) {
			return true
		}
	}
	return false
}

// prefixes are the usual prefixes of the SCORM namespaces, as losses name
// elements ("adlseq:objectives").
var prefixes = map[string]string{
	"http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp", "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp",
	"http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq", "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav",
	"http://www.imsglobal.org/xsd/imsss": "imsss", "http://ltsc.ieee.org/xsd/LOM": "lom",
	"http://www.w3.org/2001/XMLSchema-instance": "xsi",
}

// structural are the elements a loss never names by themselves: a loss
// about something inside them names that thing.
var structural = map[string]bool{"manifest": true, "organizations": true, "organization": true, "item": true,
	"resources": true, "resource": true, "file": true, "metadata": true}

// attrName matches the names of the attributes of a manifest line.
var attrName = regexp.MustCompile(`@\{([^}]*)\}([\w.-]+)=`)

// reportedLine reports whether a loss line names the element of a
// manifest line or one of its ancestors (other than the structural ones),
// as prefix:name or as a name not preceded by another prefix, or one of
// the attributes of a structural element's line.
func reportedLine(losses []string, line string) bool {
	names := func(ns, local string) []string {
		if p, ok := prefixes[ns]; ok {
			return []string{p + ":" + local, local}
		}
		return []string{local}
	}
	named := func(name string) bool {
		bare := regexp.MustCompile(`(^|[^:\w])` + regexp.QuoteMeta(name) + `\b`)
		for _, l := range losses {
			if strings.Contains(name, ":") && strings.Contains(l, name) || bare.MatchString(l) {
				return true
			}
		}
		return false
	}
	path, _, _ := strings.Cut(line, " ")
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/{")
	for _, seg := range segs {
		ns, local, _ := strings.Cut(strings.TrimPrefix(seg, "{"), "}")
		if structural[local] {
			continue
		}
		for _, n := range names(ns, local) {
			if named(n) {
				return true
			}
		}
	}
	if _, last, _ := strings.Cut(segs[len(segs)-1], "}"); structural[last] {
		for _, m := range attrName.FindAllStringSubmatch(line, -1) {
			for _, n := range names(m[1], m[2]) {
				if named(n) {
					return true
				}
			}
		}
	}
	return false
}

// elementName returns the local name of the element of a manifest line.
func elementName(line string) string {
	path, _, _ := strings.Cut(line, " ")
	return path[strings.LastIndexByte(path, '}')+1:]
}

func readZipFile(t *testing.T, zr *zip.Reader, name string) []byte {
	t.Helper()
	data, err := fs.ReadFile(zr, name)
	require.NoError(t, err)
	return data
}

// manifestLines flattens a manifest to one line per element, in document
// order: its path of namespace-qualified names, its attributes sorted (by
// namespace URI; namespace declarations left out; white space in values
// collapsed), and its own text trimmed.
func manifestLines(t *testing.T, data []byte) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	type open struct {
		path string
		line int
		text strings.Builder
	}
	var stack []*open
	var lines []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		switch tk := tok.(type) {
		case xml.StartElement:
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1].path
			}
			var attrs []string
			for _, a := range tk.Attr {
				if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" && a.Name.Space == "" {
					continue
				}
				attrs = append(attrs, "@{"+a.Name.Space+"}"+a.Name.Local+"="+strings.Join(strings.Fields(a.Value), " "))
			}
			slices.Sort(attrs)
			o := &open{path: parent + "/{" + tk.Name.Space + "}" + tk.Name.Local, line: len(lines)}
			lines = append(lines, o.path+" "+strings.Join(attrs, " "))
			stack = append(stack, o)
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(tk)
			}
		case xml.EndElement:
			o := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if txt := strings.TrimSpace(o.text.String()); txt != "" {
				lines[o.line] += " text=" + txt
			}
		}
	}
	return lines
}

// cpLines returns the lines of content-packaging elements (the root's
// namespace), in order.
func cpLines(lines []string) []string {
	if len(lines) == 0 {
		return nil
	}
	ns := lines[0][:strings.IndexByte(lines[0], '}')+1] // "/{namespace}"
	var out []string
	for _, l := range lines {
		path, _, _ := strings.Cut(l, " ")
		if strings.HasPrefix(path[strings.LastIndex(path, "/{"):], ns) {
			out = append(out, l)
		}
	}
	return out
}

// multisetDiff returns the lines of want that got lacks and those of got
// that want lacks, counting repeats.
func multisetDiff(want, got []string) (missing, extra []string) {
	n := map[string]int{}
	for _, l := range want {
		n[l]++
	}
	for _, l := range got {
		n[l]--
	}
	for _, l := range want {
		if n[l] > 0 {
			missing = append(missing, l)
			n[l]--
		}
	}
	for l, c := range n {
		for ; c < 0; c++ {
			extra = append(extra, l)
		}
	}
	slices.Sort(extra)
	return missing, extra
}
