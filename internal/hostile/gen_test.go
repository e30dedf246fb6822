package hostile

import (
	"archive/zip"
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Generators of inputs. Every input of the suite is made here, in the
// test, from a few lines of text: nothing is committed as a blob.

// zipEntry is one entry of a generated zip.
type zipEntry struct {
	name string
	data string
	// store writes the entry uncompressed.
	store bool
	// mode, when non-zero, is the Unix mode recorded in the entry.
	mode os.FileMode
}

// writeZip writes entries as a zip archive at path.
func writeZip(t testing.TB, path string, entries ...zipEntry) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.store {
			h.Method = zip.Store
		}
		if e.mode != 0 {
			h.SetMode(e.mode)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeFile writes data at dir/name, creating folders, and returns the
// path.
func writeFile(t testing.TB, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// streamFile writes the file at path with fill, buffered, and returns
// its size.
func streamFile(t testing.TB, path string, fill func(w *bufio.Writer)) int64 {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fill(w)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// SCORM manifests.

const (
	ns12   = `xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"`
	meta12 = `<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>`
)

// manifest12 is a SCORM 1.2 manifest with the given organizations and
// resources elements.
func manifest12(orgs, resources string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<manifest identifier="m" version="1" ` + ns12 + `>` + meta12 + orgs + resources + `</manifest>`
}

// simpleManifest is a valid one-SCO SCORM 1.2 manifest launching href.
func simpleManifest(href string, files ...string) string {
	var fs strings.Builder
	for _, f := range append([]string{href}, files...) {
		fmt.Fprintf(&fs, `<file href=%q/>`, f)
	}
	return manifest12(
		`<organizations default="o"><organization identifier="o"><title>Course</title>`+
			`<item identifier="i1" identifierref="r1"><title>Lesson</title></item></organization></organizations>`,
		`<resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href=`+fmt.Sprintf("%q", href)+`>`+fs.String()+`</resource></resources>`)
}

// size is how much of an input a generator writes: a count of items, or,
// when bytes is set, as many items as fit in that many bytes.
type size struct {
	items int
	bytes int64
}

func items(n int) size     { return size{items: n} }
func bytesOf(n int64) size { return size{bytes: n} }

// fill writes head, then items made by item separated by sep, then tail,
// as many as s asks for, and returns the number of items.
func fill(w io.Writer, s size, head string, item func(i int) string, sep, tail string) int {
	io.WriteString(w, head)
	written := int64(len(head) + len(tail))
	n := 0
	for ; s.bytes > 0 || n < s.items; n++ {
		it := item(n)
		if n > 0 {
			it = sep + it
		}
		if s.bytes > 0 && written+int64(len(it)) > s.bytes {
			break
		}
		io.WriteString(w, it)
		written += int64(len(it))
	}
	io.WriteString(w, tail)
	return n
}

// flatManifest streams a SCORM 1.2 manifest with items at one level, all
// launching one resource.
func flatManifest(w io.Writer, s size) {
	fill(w, s, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<manifest identifier="m" version="1" `+ns12+`>`+meta12+
		`<organizations default="o"><organization identifier="o"><title>Course</title>`,
		func(i int) string {
			return fmt.Sprintf(`<item identifier="i%d" identifierref="r1"><title>Item %d</title></item>`, i, i)
		}, "",
		`</organization></organizations><resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html"><file href="index.html"/></resource></resources></manifest>`)
}

// scormZipFlat writes a SCORM zip whose manifest has flat items.
func scormZipFlat(t testing.TB, path string, s size) int64 {
	t.Helper()
	return streamFile(t, path, func(w *bufio.Writer) {
		zw := zip.NewWriter(w)
		mw, err := zw.Create("imsmanifest.xml")
		if err != nil {
			t.Fatal(err)
		}
		flatManifest(mw, s)
		iw, err := zw.Create("index.html")
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(iw, "<!doctype html><title>x</title><p>x</p>")
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
	})
}

// OTA documents.

// otaHead starts an OTA document (a course) without closing it.
const otaHead = `{"ota":"1.0","id":"urn:example:course","kind":"course","title":{"en":"Course"},"license":"CC-BY-4.0"`

// otaWithParts streams an OTA document of flat parts.
func otaWithParts(w io.Writer, s size) {
	fill(w, s, otaHead+`,"parts":[`, func(i int) string {
		return fmt.Sprintf(`{"id":"urn:example:p%d","kind":"lesson","title":{"en":"Part %d"}}`, i, i)
	}, ",", "]}")
}

// otaDoc returns a small OTA document whose root has the given resources
// (a JSON array, or "" for none).
func otaDoc(resources string) string {
	if resources == "" {
		return otaHead + "}"
	}
	return otaHead + `,"resources":` + resources + "}"
}

// resource is the JSON of one resource.
func resource(path, role string) string {
	return fmt.Sprintf(`{"path":%q,"mediaType":"text/html","role":%q}`, path, role)
}

// cmi5 course structures.

const cmi5NS = `xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"`

// cmi5XML is a one-AU course structure launching url.
func cmi5XML(url string) string {
	return `<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<courseStructure ` + cmi5NS + `>` +
		`<course id="https://example.org/course"><title><langstring lang="en-US">Course</langstring></title>` +
		`<description><langstring lang="en-US">A course</langstring></description></course>` +
		`<au id="https://example.org/au1"><title><langstring lang="en-US">AU</langstring></title>` +
		`<description><langstring lang="en-US">An AU</langstring></description><url>` + url + `</url></au></courseStructure>`
}

// cmi5Many streams a course structure of AUs.
func cmi5Many(w io.Writer, s size) {
	fill(w, s, `<?xml version="1.0" encoding="utf-8"?>`+"\n"+`<courseStructure `+cmi5NS+`>`+
		`<course id="https://example.org/course"><title><langstring lang="en-US">Course</langstring></title>`+
		`<description><langstring lang="en-US">A course</langstring></description></course>`,
		func(i int) string {
			return fmt.Sprintf(`<au id="https://example.org/au%d"><title><langstring lang="en-US">AU %d</langstring></title>`+
				`<description><langstring lang="en-US">d</langstring></description><url>https://example.org/au%d.html</url></au>`, i, i, i)
		}, "", `</courseStructure>`)
}

// CASE frameworks.

// caseDoc streams a CASE package of items.
func caseDoc(w io.Writer, s size) {
	fill(w, s, `{"CFDocument":{"identifier":"11111111-1111-4111-8111-111111111111","uri":"https://example.org/case/doc","title":"Framework","creator":"Example","lastChangeDateTime":"2024-01-01T00:00:00+00:00"},"CFItems":[`,
		func(i int) string {
			return fmt.Sprintf(`{"identifier":"22222222-2222-4222-8222-%012d","uri":"https://example.org/case/i%d","fullStatement":"Competence %d","humanCodingScheme":"C%d","lastChangeDateTime":"2024-01-01T00:00:00+00:00"}`, i, i, i, i)
		}, ",", `]}`)
}

// xAPI statements.

// statement is one valid xAPI statement with the given id suffix.
func statement(i int) string {
	return fmt.Sprintf(`{"id":"6f1c5e2a-0000-4000-8000-%012d","actor":{"mbox":"mailto:a@example.org","objectType":"Agent"},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed","display":{"en-US":"completed"}},"object":{"id":"https://example.org/activity/%d","objectType":"Activity"},"timestamp":"2024-01-01T00:00:00Z"}`, i, i)
}

// Lessons.

// episode is a Workbench episode page.
func episode(title, body string) string {
	return "---\ntitle: " + title + "\nteaching: 5\nexercises: 5\n---\n\n" + body + "\n"
}

// workbench writes a minimal Workbench lesson into dir with the given
// episodes (file name to content).
func workbench(t testing.TB, dir string, episodes map[string]string) {
	t.Helper()
	writeFile(t, dir, "config.yaml", "carpentry: 'incubator'\ntitle: 'A lesson'\nlife_cycle: 'alpha'\nlicense: 'CC-BY 4.0'\nsource: 'https://github.com/example/lesson'\nbranch: 'main'\ncontact: 'a@example.org'\n")
	writeFile(t, dir, "index.md", "---\nsite: sandpaper::sandpaper_site\n---\n\nA lesson about things.\n")
	for name, body := range episodes {
		writeFile(t, dir, "episodes/"+name, body)
	}
}

// Bundles.

// bundleFile is one file of a generated bundle.
type bundleFile struct {
	path string // entry name, under assets/ or content/
	data []byte
	// size and digest, when set, are what the manifest claims instead of
	// the truth.
	size   *int64
	digest string
}

// bundleOpts tunes writeBundle.
type bundleOpts struct {
	// manifest, when set, is written instead of the generated manifest.
	manifest []byte
	// extra entries are added after the files, unlisted.
	extra []zipEntry
	// signature, when set, is written as META-INF/signature.json.
	signature []byte
}

// writeBundle writes an OTA bundle at path: the stored mimetype entry,
// the files, and a manifest listing them (assets are the files under
// assets/).
func writeBundle(t testing.TB, path string, files []bundleFile, o bundleOpts) []byte {
	t.Helper()
	manifest := o.manifest
	if manifest == nil {
		manifest = bundleManifest(files)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "application/vnd.ota.bundle+zip")
	for _, bf := range files {
		w, err := zw.Create(bf.path)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(bf.data)
	}
	for _, e := range o.extra {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, e.data)
	}
	if o.signature != nil {
		w, err := zw.Create("META-INF/signature.json")
		if err != nil {
			t.Fatal(err)
		}
		w.Write(o.signature)
	}
	w, err = zw.Create("manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	w.Write(manifest)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return manifest
}

// bundleManifest is the manifest listing files, with their true sizes and
// digests unless a file says otherwise.
func bundleManifest(files []bundleFile) []byte {
	var assets, list []string
	for _, bf := range files {
		if strings.HasPrefix(bf.path, "assets/") {
			assets = append(assets, fmt.Sprintf(`{"path":%q}`, bf.path))
		}
		size := int64(len(bf.data))
		if bf.size != nil {
			size = *bf.size
		}
		digest := bf.digest
		if digest == "" {
			sum := sha256.Sum256(bf.data)
			digest = hex.EncodeToString(sum[:])
		}
		list = append(list, fmt.Sprintf(`{"path":%q,"size":%d,"mediaType":"application/octet-stream","sha256":%q}`, bf.path, size, digest))
	}
	return []byte(`{"format":"1.0","assets":[` + strings.Join(assets, ",") + `],"files":[` + strings.Join(list, ",") + `]}`)
}
