package hostile

import (
	"bufio"
	"bytes"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/metaacademy/ota/asset"
)

// hostileCase is one crafted input and what the command must do with it.
type hostileCase struct {
	name string
	// kind is the input kind, for the coverage count.
	kind string
	// build writes the input into the sandbox and returns its path.
	build func(t *testing.T, s *sandbox) string
	// runs are the argument lists run on it ("IN" is the input, "OUT…" a
	// file in out/); nil means defaultRuns.
	runs [][]string
	// benign marks inputs that are odd but legitimate: exit 0 is allowed.
	// Every other case must exit 1 or 2 on every run.
	benign bool
	// validate, when not 0, is the exact exit code of validate, and
	// convert that of every convert run.
	validate, convert int
	// says are substrings the output of the first run must hold (the
	// clear message).
	says []string
	// not are substrings no output may hold.
	not []string
}

// defaultRuns read the input every way the command can.
var defaultRuns = [][]string{
	{"validate", "IN"},
	{"inspect", "IN"},
	{"convert", "IN", "OUT.json"},
	{"convert", "IN", "OUT.ota"},
	{"convert", "IN", "OUT.zip", "--to", "scorm12"},
}

var withCMI5 = append(append([][]string(nil), defaultRuns...), []string{"convert", "IN", "OUTc.zip", "--to", "cmi5"})

// packagingRuns are the runs that read the files beside a document (the
// others read the document only).
var packagingRuns = [][]string{
	{"convert", "IN", "OUT.ota"},
	{"convert", "IN", "OUT.zip", "--to", "scorm12"},
	{"convert", "IN", "OUTc.zip", "--to", "cmi5"},
}

// checkRuns read a document with its checks, without printing its tree.
var checkRuns = [][]string{{"validate", "IN"}, {"convert", "IN", "OUT.ota"}, {"convert", "IN", "OUT.zip", "--to", "scorm12"}}

func crcOf(s string) uint32 { return crc32.ChecksumIEEE([]byte(s)) }

// Builders.

func inFile(name, data string) func(t *testing.T, s *sandbox) string {
	return func(t *testing.T, s *sandbox) string { return writeFile(t, s.in, name, data) }
}

func zipIn(name string, entries ...zipEntry) func(t *testing.T, s *sandbox) string {
	return func(t *testing.T, s *sandbox) string { return writeZip(t, filepath.Join(s.in, name), entries...) }
}

// folder writes files (name to content) into in/NAME and then runs extra
// (links, FIFOs) with the folder's path.
func folder(name string, files map[string]string, extra func(t *testing.T, s *sandbox, dir string)) func(t *testing.T, s *sandbox) string {
	return func(t *testing.T, s *sandbox) string {
		dir := filepath.Join(s.in, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for n, data := range files {
			writeFile(t, dir, n, data)
		}
		if extra != nil {
			extra(t, s, dir)
		}
		return dir
	}
}

func link(t *testing.T, target, at string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(at), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, at); err != nil {
		t.Fatal(err)
	}
}

func fifo(t *testing.T, at string) {
	t.Helper()
	_ = os.Remove(at)
	if err := os.MkdirAll(filepath.Dir(at), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(at, 0o644); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
}

// The inputs.

const page = "<!doctype html><title>p</title><p>p</p>"

// scormFiles is a valid SCORM package's files.
func scormFiles() map[string]string {
	return map[string]string{"imsmanifest.xml": simpleManifest("index.html", "img/a.png"), "index.html": page, "img/a.png": "PNG"}
}

// otaWith is an OTA document beside the files its resources name.
func otaWith(paths ...string) string {
	var rs []string
	for i, p := range paths {
		role := "supporting"
		if i == 0 {
			role = "launch"
		}
		rs = append(rs, resource(p, role))
	}
	return otaDoc("[" + strings.Join(rs, ",") + "]")
}

// lessonFiles is a valid Workbench lesson.
func lessonFiles() map[string]string {
	return map[string]string{
		"config.yaml":         "title: 'A lesson'\nlicense: 'CC-BY 4.0'\nsource: 'https://github.com/example/lesson'\n",
		"index.md":            "---\nsite: sandpaper::sandpaper_site\n---\n\nA lesson about things.\n",
		"episodes/intro.md":   episode("Intro", "Some text.\n\n![a figure](fig/a.png)\n"),
		"episodes/fig/a.png":  "PNG",
		"learners/setup.md":   episode("Setup", "Install things."),
		"instructors/note.md": episode("Notes", "Teach things."),
	}
}

func caseHead() string {
	return `{"CFDocument":{"identifier":"11111111-1111-4111-8111-111111111111","uri":"https://example.org/case/doc","title":"F","creator":"E","lastChangeDateTime":"2024-01-01T00:00:00+00:00"},"CFItems":[`
}

// bomb is a stored-name entry of n MiB of zeros, deflated.
func bomb(n int) zipEntry {
	return zipEntry{name: "zeros.bin", data: strings.Repeat("\x00", n<<20)}
}

func hostileCases() []hostileCase {
	var cs []hostileCase
	cs = append(cs, scormZipCases()...)
	cs = append(cs, scormFolderCases()...)
	cs = append(cs, cmi5Cases()...)
	cs = append(cs, otaCases()...)
	cs = append(cs, bundleCases()...)
	cs = append(cs, lessonCases()...)
	cs = append(cs, caseCases()...)
	cs = append(cs, xapiCases()...)
	return cs
}

func scormZipCases() []hostileCase {
	k := "SCORM zip"
	m := simpleManifest("index.html")
	return []hostileCase{
		{name: "zip-slip ../../secret.txt", kind: k, build: zipIn("p.zip", zipEntry{name: "imsmanifest.xml", data: m}, zipEntry{name: "index.html", data: page},
			zipEntry{name: "../../secret.txt", data: "overwrite"}), validate: 2, says: []string{"path leaves the root"}, not: []string{"scorm:"}},
		{name: "absolute entry name", kind: k, build: zipIn("p.zip", zipEntry{name: "imsmanifest.xml", data: m}, zipEntry{name: "index.html", data: page},
			zipEntry{name: "/etc/cron.d/x", data: "x"}), validate: 2, says: []string{"absolute path"}},
		{name: "symlink entry to the secret", kind: k, build: func(t *testing.T, s *sandbox) string {
			return writeZip(t, filepath.Join(s.in, "p.zip"), zipEntry{name: "imsmanifest.xml", data: simpleManifest("index.html", "s.txt")},
				zipEntry{name: "index.html", data: page}, zipEntry{name: "s.txt", data: filepath.Join(s.base, "secret.txt"), mode: os.ModeSymlink | 0o777})
		}, validate: 2, says: []string{"symbolic link"}},
		{name: "zip bomb 1000:1", kind: k, build: zipIn("p.zip", zipEntry{name: "imsmanifest.xml", data: m}, zipEntry{name: "index.html", data: page}, bomb(64)),
			validate: 2, says: []string{"compression ratio"}},
		{name: "central directory lies about a size", kind: k, build: func(t *testing.T, s *sandbox) string {
			data := storedZip(t, zipEntry{name: "imsmanifest.xml", data: m}, zipEntry{name: "index.html", data: page})
			put32(centralRecords(t, data)[1], 24, 5) // uncompressed size
			put32(centralRecords(t, data)[1], 20, 5)
			return writeFile(t, s.in, "p.zip", string(data))
		}, validate: 2, says: []string{"local header says"}},
		{name: "two names for one entry's bytes", kind: k, build: func(t *testing.T, s *sandbox) string {
			data := storedZip(t, zipEntry{name: "imsmanifest.xml", data: m}, zipEntry{name: "index.html", data: page}, zipEntry{name: "other.html", data: page})
			recs := centralRecords(t, data)
			put32(recs[2], 42, uint32(localOffset(recs[1])))
			return writeFile(t, s.in, "p.zip", string(data))
		}, validate: 2, says: []string{"local header names"}},
		{name: "local header offset past the end", kind: k, build: func(t *testing.T, s *sandbox) string {
			data := storedZip(t, zipEntry{name: "imsmanifest.xml", data: m}, zipEntry{name: "index.html", data: page})
			put32(centralRecords(t, data)[1], 42, 0x7fff0000)
			return writeFile(t, s.in, "p.zip", string(data))
		}, validate: 2, says: []string{"past the data"}},
		{name: "CRC of the data wrong in both headers", kind: k, build: func(t *testing.T, s *sandbox) string {
			data := storedZip(t, zipEntry{name: "imsmanifest.xml", data: m}, zipEntry{name: "index.html", data: page})
			rec := centralRecords(t, data)[1]
			bad := crcOf(page) ^ 1
			put32(rec, 16, bad)
			put32(data, localOffset(rec)+14, bad)
			return writeFile(t, s.in, "p.zip", string(data))
		}, validate: 1, says: []string{"scorm.package.corrupt", "checksum"}},
		{name: "XXE reading the secret", kind: k, build: func(t *testing.T, s *sandbox) string {
			x := `<?xml version="1.0"?><!DOCTYPE manifest [<!ENTITY s SYSTEM "file://` + filepath.Join(s.base, "secret.txt") + `">]>` +
				strings.TrimPrefix(manifest12(`<organizations default="o"><organization identifier="o"><title>&s;</title><item identifier="i" identifierref="r"><title>&s;</title></item></organization></organizations>`,
					`<resources><resource identifier="r" type="webcontent" href="index.html"><file href="index.html"/></resource></resources>`), `<?xml version="1.0" encoding="UTF-8"?>`+"\n")
			return writeZip(t, filepath.Join(s.in, "p.zip"), zipEntry{name: "imsmanifest.xml", data: x}, zipEntry{name: "index.html", data: page})
		}, validate: 2, says: []string{"entit"}},
		{name: "billion laughs", kind: k, build: zipIn("p.zip", zipEntry{name: "imsmanifest.xml", data: `<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><manifest identifier="m">&c;</manifest>`},
			zipEntry{name: "index.html", data: page}), validate: 2},
		{name: "items nested 5000 deep", kind: k, build: zipIn("p.zip", zipEntry{name: "imsmanifest.xml", data: manifest12(`<organizations default="o"><organization identifier="o"><title>t</title>`+
			strings.Repeat(`<item identifier="i">`, 5000)+strings.Repeat(`</item>`, 5000)+`</organization></organizations>`, `<resources/>`)},
			zipEntry{name: "index.html", data: page}), validate: 2, says: []string{"limit"}},
		{name: "100k flat items", kind: k, build: func(t *testing.T, s *sandbox) string {
			p := filepath.Join(s.in, "p.zip")
			scormZipFlat(t, p, items(100_000))
			return p
		}, validate: 2, says: []string{"limit"}},
		{name: "manifest names itself", kind: k, build: zipIn("p.zip", zipEntry{name: "imsmanifest.xml", data: simpleManifest("imsmanifest.xml")}),
			benign: true, runs: [][]string{{"convert", "IN", "OUT.zip", "--to", "scorm12"}, {"validate", "IN"}}, convert: 1, says: []string{"imsmanifest.xml"}},
		{name: "resource file outside the package", kind: k, build: zipIn("p.zip", zipEntry{name: "imsmanifest.xml", data: simpleManifest("index.html", "../../secret.txt")},
			zipEntry{name: "index.html", data: page}), benign: true},
		{name: "empty organizations", kind: k, build: zipIn("p.zip", zipEntry{name: "imsmanifest.xml", data: manifest12(`<organizations/>`,
			`<resources><resource identifier="r" type="webcontent" href="index.html"><file href="index.html"/></resource></resources>`)},
			zipEntry{name: "index.html", data: page}), benign: true},
		{name: "manifest in a wrong namespace", kind: k, build: zipIn("p.zip", zipEntry{name: "imsmanifest.xml", data: strings.Replace(m, "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "urn:wrong", 1)},
			zipEntry{name: "index.html", data: page}), benign: true},
		{name: "more items than an OTA document may hold", kind: k, build: func(t *testing.T, s *sandbox) string {
			p := filepath.Join(s.in, "p.zip")
			scormZipFlat(t, p, items(asset.DefaultMaxAssets+100))
			return p
		}, runs: [][]string{{"convert", "IN", "OUT.json"}, {"convert", "IN", "OUT.ota"}}, convert: 1, says: []string{"would not read back", "JSON values"}},
		{name: "encrypted entry", kind: k, build: func(t *testing.T, s *sandbox) string {
			data := storedZip(t, zipEntry{name: "imsmanifest.xml", data: m}, zipEntry{name: "index.html", data: page})
			rec := centralRecords(t, data)[1]
			rec[8] |= 1
			data[localOffset(rec)+6] |= 1
			return writeFile(t, s.in, "p.zip", string(data))
		}, validate: 2, says: []string{"encrypted"}},
		{name: "not a zip past its signature", kind: k, build: inFile("p.zip", "PK\x03\x04"+strings.Repeat("\xa5", 4096)), validate: 2, says: []string{"zip"}},
	}
}

func scormFolderCases() []hostileCase {
	k := "SCORM folder"
	return []hostileCase{
		{name: "resource file links to the secret", kind: k, build: folder("pkg", scormFiles(), func(t *testing.T, s *sandbox, dir string) {
			_ = os.Remove(filepath.Join(dir, "img", "a.png"))
			link(t, filepath.Join(s.base, "secret.txt"), filepath.Join(dir, "img", "a.png"))
		}), validate: 2, says: []string{"symbolic link"}},
		{name: "linked folder leading out", kind: k, build: folder("pkg", scormFiles(), func(t *testing.T, s *sandbox, dir string) {
			link(t, s.base, filepath.Join(dir, "up"))
		}), validate: 2, says: []string{"symbolic link"}},
		{name: "the manifest is a link", kind: k, build: folder("pkg", map[string]string{"index.html": page}, func(t *testing.T, s *sandbox, dir string) {
			writeFile(t, s.base, "m.xml", simpleManifest("index.html"))
			link(t, filepath.Join(s.base, "m.xml"), filepath.Join(dir, "imsmanifest.xml"))
		}), validate: 2, says: []string{"symbolic link"}},
		{name: "a FIFO as a resource file", kind: k, build: folder("pkg", scormFiles(), func(t *testing.T, s *sandbox, dir string) {
			fifo(t, filepath.Join(dir, "img", "a.png"))
		}), validate: 2, says: []string{"special file"}},
		{name: "--follow-links and a link inside", kind: k, build: folder("pkg", scormFiles(), func(t *testing.T, s *sandbox, dir string) {
			link(t, "index.html", filepath.Join(dir, "again.html"))
		}), benign: true, runs: [][]string{{"validate", "--follow-links", "IN"}, {"convert", "--follow-links", "IN", "OUT.ota"}}},
		{name: "--follow-links and a link leading out", kind: k, build: folder("pkg", scormFiles(), func(t *testing.T, s *sandbox, dir string) {
			_ = os.Remove(filepath.Join(dir, "img", "a.png"))
			link(t, "../../../secret.txt", filepath.Join(dir, "img", "a.png"))
		}), runs: [][]string{{"validate", "--follow-links", "IN"}, {"convert", "--follow-links", "IN", "OUT.ota"}}, validate: 2, says: []string{"outside"}},
	}
}

func cmi5Cases() []hostileCase {
	k := "cmi5"
	return []hostileCase{
		{name: "cmi5.xml: the AU file links to the secret", kind: k + " xml", build: func(t *testing.T, s *sandbox) string {
			link(t, filepath.Join(s.base, "secret.html"), filepath.Join(s.in, "au.html"))
			return writeFile(t, s.in, "cmi5.xml", cmi5XML("au.html"))
		}, runs: packagingRuns, says: []string{"symbolic link"}},
		{name: "cmi5.xml: the AU folder links out", kind: k + " xml", build: func(t *testing.T, s *sandbox) string {
			link(t, s.base, filepath.Join(s.in, "au"))
			return writeFile(t, s.in, "cmi5.xml", cmi5XML("au/secret.html"))
		}, runs: packagingRuns, says: []string{"symbolic link"}},
		{name: "cmi5.xml: the AU file is a FIFO", kind: k + " xml", build: func(t *testing.T, s *sandbox) string {
			fifo(t, filepath.Join(s.in, "au.html"))
			return writeFile(t, s.in, "cmi5.xml", cmi5XML("au.html"))
		}, runs: packagingRuns, says: []string{"special file"}},
		{name: "cmi5.xml: the AU file is not beside it", kind: k + " xml", build: inFile("cmi5.xml", cmi5XML("missing/au.html")),
			runs: [][]string{{"convert", "IN", "OUT.zip", "--to", "cmi5"}, {"convert", "IN", "OUT.ota"}, {"convert", "IN", "OUT12.zip", "--to", "scorm12"}}, convert: 1, says: []string{"no such file"}},
		{name: "cmi5.xml: the AU url leaves the folder", kind: k + " xml", build: inFile("cmi5.xml", cmi5XML("../secret.html")), runs: withCMI5, benign: true},
		{name: "cmi5.xml: XXE", kind: k + " xml", build: func(t *testing.T, s *sandbox) string {
			x := strings.Replace(cmi5XML("https://example.org/au"), "?>\n", `?><!DOCTYPE courseStructure [<!ENTITY s SYSTEM "file://`+filepath.Join(s.base, "secret.txt")+`">]>`+"\n", 1)
			x = strings.Replace(x, ">Course<", ">&s;<", 1)
			return writeFile(t, s.in, "cmi5.xml", x)
		}, validate: 2, says: []string{"cmi5"}},
		{name: "cmi5.xml: more elements than the limit", kind: k + " xml", build: func(t *testing.T, s *sandbox) string {
			var b bytes.Buffer
			cmi5Many(&b, items(20_000))
			return writeFile(t, s.in, "cmi5.xml", b.String())
		}, validate: 2, says: []string{"limit"}},
		{name: "cmi5 zip: zip-slip", kind: k + " zip", build: zipIn("c.zip", zipEntry{name: "cmi5.xml", data: cmi5XML("au.html")}, zipEntry{name: "au.html", data: page},
			zipEntry{name: "../evil.html", data: page}), validate: 2, says: []string{"zip archive is rejected"}, not: []string{"scorm:"}},
		{name: "cmi5 zip: the AU file is missing", kind: k + " zip", build: zipIn("c.zip", zipEntry{name: "cmi5.xml", data: cmi5XML("au.html")}),
			validate: 1, says: []string{"cmi5.au.url.file"}, not: []string{"scorm"}},
		{name: "cmi5 zip: cmi5.xml is not XML", kind: k + " zip", build: zipIn("c.zip", zipEntry{name: "cmi5.xml", data: "<courseStructure"}, zipEntry{name: "au.html", data: page}),
			validate: 2, says: []string{"cmi5"}, not: []string{"scorm:"}},
		{name: "cmi5 folder: the AU file links to the secret", kind: k + " folder", build: folder("course", map[string]string{"cmi5.xml": cmi5XML("au.html")}, func(t *testing.T, s *sandbox, dir string) {
			link(t, filepath.Join(s.base, "secret.html"), filepath.Join(dir, "au.html"))
		}), validate: 2, says: []string{"symbolic link"}},
		{name: "cmi5 folder: a FIFO", kind: k + " folder", build: folder("course", map[string]string{"cmi5.xml": cmi5XML("au.html")}, func(t *testing.T, s *sandbox, dir string) {
			fifo(t, filepath.Join(dir, "au.html"))
		}), validate: 2, says: []string{"special file"}},
	}
}

func otaCases() []hostileCase {
	k := "OTA document"
	return []hostileCase{
		{name: "a resource links to the secret", kind: k, build: func(t *testing.T, s *sandbox) string {
			link(t, filepath.Join(s.base, "secret.html"), filepath.Join(s.in, "page.html"))
			return writeFile(t, s.in, "doc.json", otaWith("page.html"))
		}, runs: packagingRuns, says: []string{"symbolic link"}},
		{name: "a resource in a linked folder", kind: k, build: func(t *testing.T, s *sandbox) string {
			link(t, s.base, filepath.Join(s.in, "files"))
			return writeFile(t, s.in, "doc.json", otaWith("files/secret.html"))
		}, runs: packagingRuns, says: []string{"symbolic link"}},
		{name: "a resource is a FIFO", kind: k, build: func(t *testing.T, s *sandbox) string {
			writeFile(t, s.in, "page.html", page)
			fifo(t, filepath.Join(s.in, "data.csv"))
			return writeFile(t, s.in, "doc.json", otaWith("page.html", "data.csv"))
		}, runs: packagingRuns, says: []string{"special file"}},
		{name: "a resource links to /dev/zero", kind: k, build: func(t *testing.T, s *sandbox) string {
			writeFile(t, s.in, "page.html", page)
			link(t, "/dev/zero", filepath.Join(s.in, "zero.bin"))
			return writeFile(t, s.in, "doc.json", otaWith("page.html", "zero.bin"))
		}, runs: packagingRuns, says: []string{"symbolic link"}},
		{name: "--follow-links: a resource links to /dev/zero", kind: k, build: func(t *testing.T, s *sandbox) string {
			writeFile(t, s.in, "page.html", page)
			link(t, "/dev/zero", filepath.Join(s.in, "zero.bin"))
			return writeFile(t, s.in, "doc.json", otaWith("page.html", "zero.bin"))
		}, runs: [][]string{{"convert", "--follow-links", "IN", "OUT.ota"}}, says: []string{"outside"}},
		{name: "the PATH is a FIFO", kind: k, build: func(t *testing.T, s *sandbox) string {
			p := filepath.Join(s.in, "doc.json")
			fifo(t, p)
			return p
		}, validate: 2, says: []string{"not a regular file"}},
		{name: "coverage of a folder holding a FIFO", kind: k, build: func(t *testing.T, s *sandbox) string {
			writeFile(t, s.in, "docs/a.json", otaDoc(""))
			fifo(t, filepath.Join(s.in, "docs", "b.json"))
			return filepath.Join(s.in, "docs")
		}, runs: [][]string{{"coverage", "IN", "--framework", "gsbpm"}}, says: []string{"not a regular file"}},
		{name: "a resource path climbs out", kind: k, build: inFile("doc.json", otaWith("../secret.html")), runs: checkRuns, validate: 1, says: []string{"/resources/0/path"}},
		{name: "a resource path is absolute", kind: k, build: inFile("doc.json", otaWith("/etc/passwd")), runs: checkRuns, validate: 1, says: []string{"/resources/0/path"}},
		{name: "a resource is a folder", kind: k, build: func(t *testing.T, s *sandbox) string {
			writeFile(t, s.in, "dir/x.html", page)
			return writeFile(t, s.in, "doc.json", otaWith("dir"))
		}, runs: packagingRuns, says: []string{"folder"}},
		{name: "300k parts", kind: k, build: func(t *testing.T, s *sandbox) string {
			p := filepath.Join(s.in, "doc.json")
			streamFile(t, p, func(w *bufio.Writer) { otaWithParts(w, items(300_000)) })
			return p
		}, validate: 2, says: []string{"too large"}},
		{name: "more parts than the limit", kind: k, build: func(t *testing.T, s *sandbox) string {
			var b bytes.Buffer
			otaWithParts(&b, items(asset.DefaultMaxAssets+1))
			return writeFile(t, s.in, "doc.json", b.String())
		}, validate: 2, says: []string{"more than 10000 assets"}, not: []string{"MaxAssets"}},
		{name: "more values than the limit", kind: k, build: func(t *testing.T, s *sandbox) string {
			return writeFile(t, s.in, "doc.json", otaHead+`,"extensions":{"urn:x":[`+strings.Repeat("0,", asset.DefaultMaxValues)+"0]}}")
		}, validate: 2, says: []string{"JSON values"}},
		{name: "a million-digit number", kind: k, build: inFile("doc.json", otaDoc(`[{"path":"a.html","mediaType":"text/html","size":`+strings.Repeat("9", 1_000_000)+`}]`)),
			validate: 1, says: []string{"bytes)"}},
		{name: "a million unknown members' worth of bytes", kind: k, build: func(t *testing.T, s *sandbox) string {
			var b strings.Builder
			b.WriteString(otaHead)
			for i := range 50_000 {
				fmt.Fprintf(&b, `,"member%d":%q`, i, strings.Repeat("v", 200))
			}
			return writeFile(t, s.in, "doc.json", b.String()+"}")
		}, benign: true, runs: [][]string{{"validate", "IN"}}, says: []string{"more issues not shown"}},
		{name: "nesting 100k deep", kind: k, build: inFile("doc.json", otaHead+`,"extensions":{"urn:x":`+strings.Repeat("[", 100_000)+strings.Repeat("]", 100_000)+"}}"),
			validate: 2, says: []string{"depth"}},
	}
}

func bundleCases() []hostileCase {
	k := "bundle"
	doc := otaDoc("")
	withVerify := append([][]string{{"verify", "IN"}}, defaultRuns...)
	return []hostileCase{
		{name: "signature over another manifest", kind: k, build: func(t *testing.T, s *sandbox) string {
			sig := `{"algorithm":"ed25519","manifestSha256":"` + strings.Repeat("ab", 32) + `","keyId":"0011223344556677","signature":"` + strings.Repeat("A", 86) + `=="}`
			p := filepath.Join(s.in, "b.ota")
			writeBundle(t, p, []bundleFile{{path: "assets/0001.ota.json", data: []byte(doc)}}, bundleOpts{signature: []byte(sig)})
			return p
		}, runs: withVerify[:2], validate: 1, says: []string{"signature invalid"}},
		{name: "signature not JSON", kind: k, build: func(t *testing.T, s *sandbox) string {
			p := filepath.Join(s.in, "b.ota")
			writeBundle(t, p, []bundleFile{{path: "assets/0001.ota.json", data: []byte(doc)}}, bundleOpts{signature: []byte("{{{")})
			return p
		}, runs: withVerify[:2], validate: 1, says: []string{"signature invalid"}},
		{name: "mimetype not first", kind: k, build: func(t *testing.T, s *sandbox) string {
			return writeZip(t, filepath.Join(s.in, "b.ota"), zipEntry{name: "manifest.json", data: string(bundleManifest([]bundleFile{{path: "assets/0001.ota.json", data: []byte(doc)}}))},
				zipEntry{name: "mimetype", data: "application/vnd.ota.bundle+zip", store: true}, zipEntry{name: "assets/0001.ota.json", data: doc})
		}, runs: withVerify[:2], validate: 2, says: []string{"bundle"}, not: []string{"imsmanifest"}},
		{name: "a digest that does not match", kind: k, build: func(t *testing.T, s *sandbox) string {
			p := filepath.Join(s.in, "b.ota")
			writeBundle(t, p, []bundleFile{{path: "assets/0001.ota.json", data: []byte(doc)}, {path: "content/a.html", data: []byte(page), digest: strings.Repeat("0", 64)}}, bundleOpts{})
			return p
		}, runs: withVerify[:2], validate: 1, says: []string{"digest-mismatch"}},
		{name: "zip-slip entry", kind: k, build: func(t *testing.T, s *sandbox) string {
			p := filepath.Join(s.in, "b.ota")
			writeBundle(t, p, []bundleFile{{path: "assets/0001.ota.json", data: []byte(doc)}}, bundleOpts{extra: []zipEntry{{name: "../../evil", data: "x"}}})
			return p
		}, runs: withVerify, validate: 2, says: []string{"path leaves the root"}},
		{name: "documents over the bundle's budget", kind: k, build: func(t *testing.T, s *sandbox) string {
			var b bytes.Buffer
			otaWithParts(&b, items(asset.DefaultMaxAssets/2))
			var files []bundleFile
			for i := range 3 {
				files = append(files, bundleFile{path: fmt.Sprintf("assets/%04d.ota.json", i+1), data: bytes.ReplaceAll(b.Bytes(), []byte("urn:example:"), []byte(fmt.Sprintf("urn:e%d:", i)))})
			}
			p := filepath.Join(s.in, "b.ota")
			writeBundle(t, p, files, bundleOpts{})
			return p
		}, validate: 2, says: []string{"the bundle's documents together"}},
		{name: "manifest lists 50k missing files", kind: k, build: func(t *testing.T, s *sandbox) string {
			files := []bundleFile{{path: "assets/0001.ota.json", data: []byte(doc)}}
			var list []string
			for i := range 50_000 {
				list = append(list, fmt.Sprintf(`{"path":"content/f%d.bin","size":1,"mediaType":"application/octet-stream","sha256":"%064d"}`, i, i))
			}
			m := bytes.Replace(bundleManifest(files), []byte(`"files":[`), []byte(`"files":[`+strings.Join(list, ",")+","), 1)
			p := filepath.Join(s.in, "b.ota")
			writeBundle(t, p, files, bundleOpts{manifest: m})
			return p
		}, runs: withVerify[:2], validate: 1, says: []string{"more issues not shown"}},
	}
}

func lessonCases() []hostileCase {
	k := "lesson"
	return []hostileCase{
		{name: "episodes is a link outside", kind: k, build: folder("lesson", lessonFiles(), func(t *testing.T, s *sandbox, dir string) {
			if err := os.RemoveAll(filepath.Join(dir, "episodes")); err != nil {
				t.Fatal(err)
			}
			writeFile(t, s.base, "eps/intro.md", episode("Intro", "![x](../../secret.txt)"))
			link(t, filepath.Join(s.base, "eps"), filepath.Join(dir, "episodes"))
		}), validate: 2, says: []string{"symbolic link"}},
		{name: "a linked folder in episodes", kind: k, build: folder("lesson", lessonFiles(), func(t *testing.T, s *sandbox, dir string) {
			link(t, s.base, filepath.Join(dir, "episodes", "data"))
		}), validate: 2, says: []string{"symbolic link"}},
		{name: "an episode links to the secret", kind: k, build: folder("lesson", lessonFiles(), func(t *testing.T, s *sandbox, dir string) {
			link(t, filepath.Join(s.base, "secret.md"), filepath.Join(dir, "episodes", "secret.md"))
		}), validate: 2, says: []string{"symbolic link"}},
		{name: "a figure links to the secret", kind: k, build: folder("lesson", lessonFiles(), func(t *testing.T, s *sandbox, dir string) {
			_ = os.Remove(filepath.Join(dir, "episodes", "fig", "a.png"))
			link(t, filepath.Join(s.base, "secret.txt"), filepath.Join(dir, "episodes", "fig", "a.png"))
		}), validate: 2, says: []string{"symbolic link"}},
		{name: "an episode is a FIFO", kind: k, build: folder("lesson", lessonFiles(), func(t *testing.T, s *sandbox, dir string) {
			fifo(t, filepath.Join(dir, "episodes", "wait.md"))
		}), validate: 2, says: []string{"regular file"}},
		{name: "a figure is a FIFO", kind: k, build: folder("lesson", lessonFiles(), func(t *testing.T, s *sandbox, dir string) {
			fifo(t, filepath.Join(dir, "episodes", "fig", "a.png"))
		}), validate: 2, says: []string{"special file"}},
		{name: "config.yaml links to the secret", kind: k, build: folder("lesson", lessonFiles(), func(t *testing.T, s *sandbox, dir string) {
			_ = os.Remove(filepath.Join(dir, "config.yaml"))
			link(t, filepath.Join(s.base, "secret.txt"), filepath.Join(dir, "config.yaml"))
		}), validate: 2, says: []string{"symbolic link"}},
		{name: "HTML that compresses past the bundle reader's ratio", kind: k, build: folder("lesson", lessonFiles(), func(t *testing.T, s *sandbox, dir string) {
			writeFile(t, dir, "episodes/same.md", episode("Same", "```\n"+strings.Repeat("&", 400_000)+"\n```"))
		}), runs: [][]string{{"convert", "IN", "OUT.ota"}}, convert: 1, says: []string{"would not read back", "compression ratio"}},
		{name: "a page over the size limit", kind: k, build: folder("lesson", lessonFiles(), func(t *testing.T, s *sandbox, dir string) {
			writeFile(t, dir, "episodes/big.md", episode("Big", strings.Repeat("word ", 300_000)))
		}), validate: 1, says: []string{"lesson.page.too-large"}},
		{name: "Markdown folder: a page links to the secret", kind: "Markdown folder", build: folder("notes", map[string]string{"a.md": episode("A", "text")}, func(t *testing.T, s *sandbox, dir string) {
			link(t, filepath.Join(s.base, "secret.md"), filepath.Join(dir, "b.md"))
		}), validate: 2, says: []string{"symbolic link"}},
		{name: "Markdown folder: a FIFO page", kind: "Markdown folder", build: folder("notes", map[string]string{"a.md": episode("A", "text")}, func(t *testing.T, s *sandbox, dir string) {
			fifo(t, filepath.Join(dir, "b.md"))
		}), validate: 2, says: []string{"regular file"}},
		{name: "Markdown folder: an image links out", kind: "Markdown folder", build: folder("notes", map[string]string{"a.md": episode("A", "![x](img/s.png)")}, func(t *testing.T, s *sandbox, dir string) {
			link(t, s.base, filepath.Join(dir, "img"))
		}), validate: 2, says: []string{"symbolic link"}},
		{name: "Markdown folder: image climbs out", kind: "Markdown folder", build: folder("notes", map[string]string{"a.md": episode("A", "![x](../../secret.txt)")}, nil),
			benign: true},
	}
}

func caseCases() []hostileCase {
	k := "CASE"
	valid := caseHead() + `]}`
	return []hostileCase{
		{name: "convert to a SCORM package", kind: k, build: inFile("case.json", valid), runs: [][]string{{"convert", "IN", "OUT.zip", "--to", "scorm12"}}, convert: 2, says: []string{"CASE competency framework", "framework JSON only"}},
		{name: "convert to a cmi5 course", kind: k, build: inFile("case.json", valid), runs: [][]string{{"convert", "IN", "OUT.zip", "--to", "cmi5"}}, convert: 2, says: []string{"CASE competency framework", "framework JSON only"}},
		{name: "convert to a bundle", kind: k, build: inFile("case.json", valid), runs: [][]string{{"convert", "IN", "OUT.ota"}}, convert: 2, says: []string{"CASE competency framework", "framework JSON only"}},
		{name: "nesting 100k deep", kind: k, build: inFile("case.json", `{"CFDocument":{"x":`+strings.Repeat("[", 100_000)+strings.Repeat("]", 100_000)+`}}`),
			runs: [][]string{{"validate", "IN"}, {"inspect", "IN"}}, validate: 2},
		{name: "more values than the limit", kind: k, build: inFile("case.json", caseHead()+strings.Repeat("0,", 250_000)+"0]}"),
			runs: [][]string{{"validate", "IN"}, {"inspect", "IN"}}, validate: 2, says: []string{"JSON values"}},
	}
}

func xapiCases() []hostileCase {
	k := "xAPI"
	bad := `{"actor":{"mbox":"nope"},"verb":{"id":"x"},"object":{"id":"y"}}`
	return []hostileCase{
		{name: "NDJSON: a million-digit score", kind: k + " NDJSON", build: inFile("s.ndjson", statement(1)+"\n"+strings.Replace(statement(2), `"timestamp"`, `"result":{"score":{"scaled":`+strings.Repeat("9", 1_000_000)+`}},"timestamp"`, 1)+"\n"),
			runs: [][]string{{"validate", "IN"}}, validate: 1, says: []string{"bytes)"}},
		{name: "array: 20k invalid statements", kind: k + " array", build: inFile("s.json", "["+strings.TrimSuffix(strings.Repeat(bad+",", 20_000), ",")+"]"),
			runs: [][]string{{"validate", "IN"}}, validate: 1, says: []string{"more issues not shown", "0 valid, 20000 invalid"}},
		{name: "NDJSON: a line over the record limit", kind: k + " NDJSON", build: inFile("s.ndjson", statement(1)+"\n"+`{"actor":{"name":"`+strings.Repeat("a", 2<<20)+`"}}`+"\n"),
			runs: [][]string{{"validate", "IN"}}, validate: 1},
		{name: "array nested 10k deep", kind: k + " array", build: inFile("s.json", `[{"actor":`+strings.Repeat("[", 10_000)+strings.Repeat("]", 10_000)+`}]`),
			runs: [][]string{{"validate", "IN"}}, validate: 1},
		{name: "NDJSON: an XML bomb in a string", kind: k + " NDJSON", build: inFile("s.ndjson", strings.Replace(statement(1), `"timestamp"`, `"context":{"extensions":{"https://e.org/x":"<!DOCTYPE a [<!ENTITY a \"aaaa\">]>&a;"}},"timestamp"`, 1)+"\n"),
			runs: [][]string{{"validate", "IN"}}, benign: true},
	}
}
