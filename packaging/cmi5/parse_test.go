package cmi5

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
)

const head = `<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
<course id="https://e.org/c"><title><langstring lang="en">C</langstring></title></course>`

func au(id, attrs, body string) string {
	return `<au id="` + id + `" ` + attrs + `><title><langstring lang="en">A</langstring></title>` + body + `</au>`
}

// TestParseIssues checks each rule the XSD cannot express on a small
// course structure that breaks it.
func TestParseIssues(t *testing.T) {
	okURL := `<url>index.html</url>`
	tests := []struct {
		name, xml, code, ptr string
	}{
		{"duplicate AU id", head + au("https://e.org/a", "", okURL) + au("https://e.org/a", "", okURL) + `</courseStructure>`,
			"cmi5.id.duplicate", "courseStructure/au[1]"},
		{"AU id equals course id", head + au("https://e.org/c", "", okURL) + `</courseStructure>`,
			"cmi5.id.duplicate", "courseStructure/au[0]"},
		{"relative AU id", head + au("a1", "", okURL) + `</courseStructure>`,
			"cmi5.id.invalid", "courseStructure/au[0]"},
		{"IRI with space", head + au("https://e.org/a b", "", okURL) + `</courseStructure>`,
			"cmi5.id.invalid", "courseStructure/au[0]"},
		{"missing AU id", head + au("", "", okURL) + `</courseStructure>`,
			"cmi5.id.missing", "courseStructure/au[0]"},
		{"bad moveOn", head + au("https://e.org/a", `moveOn="Done"`, okURL) + `</courseStructure>`,
			"cmi5.au.moveOn", "courseStructure/au[0]"},
		{"bad launchMethod", head + au("https://e.org/a", `launchMethod="Popup"`, okURL) + `</courseStructure>`,
			"cmi5.au.launchMethod", "courseStructure/au[0]"},
		{"masteryScore above 1", head + au("https://e.org/a", `masteryScore="1.5"`, okURL) + `</courseStructure>`,
			"cmi5.au.masteryScore", "courseStructure/au[0]"},
		{"masteryScore negative", head + au("https://e.org/a", `masteryScore="-0.1"`, okURL) + `</courseStructure>`,
			"cmi5.au.masteryScore", "courseStructure/au[0]"},
		{"masteryScore NaN", head + au("https://e.org/a", `masteryScore="NaN"`, okURL) + `</courseStructure>`,
			"cmi5.au.masteryScore", "courseStructure/au[0]"},
		{"masteryScore exponent", head + au("https://e.org/a", `masteryScore="1e-1"`, okURL) + `</courseStructure>`,
			"cmi5.au.masteryScore", "courseStructure/au[0]"},
		{"bad activityType", head + au("https://e.org/a", `activityType="lesson"`, okURL) + `</courseStructure>`,
			"cmi5.au.activityType", "courseStructure/au[0]"},
		{"url with space", head + au("https://e.org/a", "", `<url>my page.html</url>`) + `</courseStructure>`,
			"cmi5.au.url", "courseStructure/au[0]/url[0]"},
		{"url bad escape", head + au("https://e.org/a", "", `<url>page%zz.html</url>`) + `</courseStructure>`,
			"cmi5.au.url", "courseStructure/au[0]/url[0]"},
		{"url empty", head + au("https://e.org/a", "", `<url/>`) + `</courseStructure>`,
			"cmi5.au.url", "courseStructure/au[0]/url[0]"},
		{"url leaving the package", head + au("https://e.org/a", "", `<url>../x/index.html</url>`) + `</courseStructure>`,
			"cmi5.au.url.escape", "courseStructure/au[0]/url[0]"},
		{"url rooted", head + au("https://e.org/a", "", `<url>/x/index.html</url>`) + `</courseStructure>`,
			"cmi5.au.url.rooted", "courseStructure/au[0]/url[0]"},
		{"url with launch parameter", head + au("https://e.org/a", "", `<url>https://x.org/a?fetch=1</url>`) + `</courseStructure>`,
			"cmi5.au.url.reserved", "courseStructure/au[0]/url[0]"},
		{"url missing", head + au("https://e.org/a", "", ``) + `</courseStructure>`,
			"cmi5.au.url.missing", "courseStructure/au[0]"},
		{"unresolved objective", head + au("https://e.org/a", "", `<objectives><objective idref="https://e.org/o"/></objectives>`+okURL) + `</courseStructure>`,
			"cmi5.objective.unresolved", "courseStructure/au[0]/objectives[0]/objective[0]"},
		{"duplicate objective", head + `<objectives><objective id="https://e.org/o"><title><langstring lang="en">O</langstring></title></objective><objective id="https://e.org/o"><title><langstring lang="en">O</langstring></title></objective></objectives>` + au("https://e.org/a", "", okURL) + `</courseStructure>`,
			"cmi5.id.duplicate", "courseStructure/objectives[0]/objective[1]"},
		{"duplicate block id", head + `<block id="https://e.org/b"><title><langstring lang="en">B</langstring></title>` + au("https://e.org/a", "", okURL) + `</block><block id="https://e.org/b"><title><langstring lang="en">B</langstring></title>` + au("https://e.org/a2", "", okURL) + `</block></courseStructure>`,
			"cmi5.id.duplicate", "courseStructure/block[1]"},
		{"nested AU pointer", head + `<block id="https://e.org/b"><title><langstring lang="en">B</langstring></title>` + au("https://e.org/a", "", okURL) + au("https://e.org/a2", `moveOn="x"`, okURL) + `</block></courseStructure>`,
			"cmi5.au.moveOn", "courseStructure/block[0]/au[1]"},
		{"empty block", head + `<block id="https://e.org/b"><title><langstring lang="en">B</langstring></title></block>` + au("https://e.org/a", "", okURL) + `</courseStructure>`,
			"cmi5.block.empty", "courseStructure/block[0]"},
		{"bad lang tag", head + `<au id="https://e.org/a"><title><langstring lang="english language">A</langstring></title>` + okURL + `</au></courseStructure>`,
			"cmi5.langstring.lang", "courseStructure/au[0]/title[0]/langstring[0]"},
		{"missing title", head + `<au id="https://e.org/a">` + okURL + `</au></courseStructure>`,
			"cmi5.title.missing", "courseStructure/au[0]"},
		{"no course", `<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">` + au("https://e.org/a", "", okURL) + `</courseStructure>`,
			"cmi5.course.missing", "courseStructure"},
		{"no AU", head + `</courseStructure>`, "cmi5.au.missing", "courseStructure"},
		{"wrong namespace", `<courseStructure xmlns="urn:x"><course id="https://e.org/c"><title><langstring lang="en">C</langstring></title></course>` + au("https://e.org/a", "", okURL) + `</courseStructure>`,
			"cmi5.namespace", "courseStructure"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, rep, err := Parse(strings.NewReader(tt.xml), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !hasIssue(rep, tt.code, tt.ptr) {
				t.Errorf("no %s at %s; got %v", tt.code, tt.ptr, rep.Issues)
			}
		})
	}
}

func hasIssue(rep ota.Report, code, ptr string) bool {
	for _, is := range rep.Issues {
		if is.Code == code && is.Pointer == ptr {
			return true
		}
	}
	return false
}

// TestParseErrors checks the inputs refused outright.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, xml string
		opts      Options
		want      error
	}{
		{"not XML", "hello", Options{}, ErrSyntax},
		{"wrong root", `<manifest/>`, Options{}, ErrSyntax},
		{"unclosed", `<courseStructure>`, Options{}, ErrSyntax},
		{"entities", `<!DOCTYPE x [<!ENTITY a "aaaa">]><courseStructure>&a;</courseStructure>`, Options{}, ErrEntities},
		{"too deep", `<a><a><a><a></a></a></a></a>`, Options{MaxStructureDepth: 3}, ErrLimit},
		{"too many elements", `<a><b/><b/><b/></a>`, Options{MaxStructureElements: 3}, ErrLimit},
		{"too large", head + strings.Repeat(" ", 1000) + `</courseStructure>`, Options{MaxStructureSize: 200}, ErrLimit},
		{"unknown encoding", `<?xml version="1.0" encoding="EBCDIC"?><courseStructure/>`, Options{}, ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, err := Parse(strings.NewReader(tt.xml), tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if c != nil {
				t.Error("a course was returned with the error")
			}
		})
	}
}

// TestParseTestdata reads the course structures of testdata and checks
// the model and the asset mapping in detail.
func TestParseTestdata(t *testing.T) {
	c, rep, err := openCourse(filepath.Join("testdata", "blocks.cmi5.xml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.HasErrors() {
		t.Fatalf("unexpected errors: %v", rep.Errors())
	}
	aus := c.AUs()
	if len(aus) != 2 || len(c.Blocks()) != 2 {
		t.Fatalf("got %d AUs and %d blocks, want 2 and 2", len(aus), len(c.Blocks()))
	}
	q := aus[0]
	if q.MoveOn != MoveOnCompletedAndPassed || q.LaunchMethod != LaunchOwnWindow || q.MasteryScore == nil || *q.MasteryScore != 0.8 ||
		q.LaunchParameters != `{"a":1}` || q.EntitlementKey != "key" || q.URL != "https://quiz.example.org/start" {
		t.Errorf("quiz AU = %+v", q)
	}
	if r := aus[1]; r.MoveOn != MoveOnNotApplicable || r.LaunchMethod != LaunchAnyWindow || r.MasteryScore != nil {
		t.Errorf("defaults not applied: %+v", r)
	}
	// The pre-Quartz customExtensions wrapper's elements are the course's
	// own extensions; x:tag stays on its AU.
	if c.Extra == nil || len(c.Extra.Elements) != 1 || c.Extra.Elements[0].Local != "note" || c.Extra.Elements[0].Text != "kept" {
		t.Errorf("course extensions = %+v", c.Extra)
	}
	if !hasIssue(rep, "cmi5.customExtensions", "courseStructure/course/customExtensions[0]") {
		t.Error("the customExtensions wrapper is not reported")
	}
	if e := aus[1].Extra; e == nil || len(e.Elements) != 1 || e.Elements[0].Space != "urn:example:ext" || e.Elements[0].Local != "tag" {
		t.Errorf("AU extensions = %+v", e)
	}
	if c.Title["fr"] != "Cours" {
		t.Errorf("title = %v", c.Title)
	}

	a, arep := c.Asset()
	if len(arep.Losses) != 0 {
		t.Errorf("extensions travel in the cmi5 extension; losses: %v", arep.Losses)
	}
	var cext Ext
	if err := json.Unmarshal(a.Extensions[ExtensionIRI], &cext); err != nil || cext.Extra == nil || cext.Extra.Elements[0].Local != "note" {
		t.Errorf("course extension = %+v %v", cext, err)
	}
	if a.ID != asset.DeriveID("cmi5", "https://example.org/c") || a.Kind != asset.KindCourse || len(a.Objectives) != 1 {
		t.Errorf("course asset = %+v", a)
	}
	quiz := a.Parts[0].Parts[0].Parts[0]
	if quiz.Kind != asset.KindAssessment || quiz.ID != asset.DeriveID("cmi5", "https://example.org/c", "https://example.org/c/au1") {
		t.Errorf("quiz asset = %+v", quiz)
	}
	if len(quiz.Relations) != 1 || quiz.Relations[0].Target != "https://quiz.example.org/start" || len(quiz.Resources) != 0 {
		t.Errorf("absolute URL should be a relation: %+v %+v", quiz.Relations, quiz.Resources)
	}
	var ext Ext
	if err := json.Unmarshal(quiz.Extensions[ExtensionIRI], &ext); err != nil {
		t.Fatal(err)
	}
	if ext.MoveOn != MoveOnCompletedAndPassed || ext.ID != "https://example.org/c/au1" || *ext.MasteryScore != 0.8 {
		t.Errorf("extension = %+v", ext)
	}
	read := a.Parts[1]
	if read.Kind != asset.KindLesson || len(read.Resources) != 1 || read.Resources[0].Path != "read/index.html" || read.Resources[0].Role != asset.RoleLaunch {
		t.Errorf("read asset = %+v", read)
	}
	if errs := asset.Check(a, asset.CheckOptions{}).Errors(); len(errs) > 0 {
		t.Errorf("asset check: %v", errs)
	}
}

// TestOpenPackage reads cmi5.xml from a zip and a folder, at the root and
// in a single top-level folder, and checks the AU file check.
func TestOpenPackage(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "minimal.cmi5.xml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		files    map[string]string
		wantBase string
		wantFile bool // whether cmi5.au.url.file is expected
		wantErr  error
	}{
		{"root", map[string]string{"cmi5.xml": string(src), "index.html": "<p>"}, ".", false, nil},
		{"nested", map[string]string{"pkg/cmi5.xml": string(src), "pkg/index.html": "<p>"}, "pkg", false, nil},
		{"missing launch file", map[string]string{"cmi5.xml": string(src)}, ".", true, nil},
		{"no cmi5.xml", map[string]string{"index.html": "<p>"}, "", false, ErrNoCourseStructure},
	}
	for _, tt := range tests {
		for _, kind := range []string{"zip", "folder"} {
			t.Run(tt.name+"/"+kind, func(t *testing.T) {
				dir := t.TempDir()
				name := filepath.Join(dir, "pkg.zip")
				if kind == "zip" {
					writeZip(t, name, tt.files)
				} else {
					name = filepath.Join(dir, "pkg")
					for p, body := range tt.files {
						full := filepath.Join(name, filepath.FromSlash(p))
						if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
							t.Fatal(err)
						}
						if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
							t.Fatal(err)
						}
					}
				}
				c, rep, err := openCourse(name, Options{})
				if tt.wantErr != nil {
					if !errors.Is(err, tt.wantErr) {
						t.Fatalf("err = %v, want %v", err, tt.wantErr)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if c.Base != tt.wantBase {
					t.Errorf("base = %q, want %q", c.Base, tt.wantBase)
				}
				if got := hasIssue(rep, "cmi5.au.url.file", "courseStructure/au[0]/url[0]"); got != tt.wantFile {
					t.Errorf("cmi5.au.url.file reported = %v, want %v (%v)", got, tt.wantFile, rep.Issues)
				}
				a, _ := c.Asset()
				want := "index.html"
				if tt.wantBase != "." {
					want = tt.wantBase + "/index.html"
				}
				if got := a.Parts[0].Resources[0].Path; got != want {
					t.Errorf("launch path = %q, want %q", got, want)
				}
			})
		}
	}
}

func writeZip(t *testing.T, name string, files map[string]string) {
	t.Helper()
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for p, body := range files {
		w, err := zw.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestParseLexical checks encodings, DOCTYPEs, white space and foreign
// attributes.
func TestParseLexical(t *testing.T) {
	tests := []struct {
		name, xml, wantTitle, wantURL string
		wantIssues                    int
	}{
		{"latin-1", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" + strings.Replace(head, ">C<", ">Caf\xe9<", 1) + au("https://e.org/a", "", "<url>a.html</url>") + "</courseStructure>", "Café", "a.html", 0},
		{"plain DOCTYPE", "<!DOCTYPE courseStructure>" + head + au("https://e.org/a", "", "<url>a.html</url>") + "</courseStructure>", "C", "a.html", 0},
		{"url white space", head + au("https://e.org/a", "", "<url>\n   https://x.org/a  \n</url>") + "</courseStructure>", "C", "https://x.org/a", 0},
		{"foreign attribute", head + `<au xmlns:v="urn:v" v:x="1" id="https://e.org/a"><title><langstring lang="en">A</langstring></title><url>a.html</url></au></courseStructure>`, "C", "a.html", 1}, // kept: an info
		{"unknown attribute", head + `<au id="https://e.org/a" colour="red"><title><langstring lang="en">A</langstring></title><url>a.html</url></au></courseStructure>`, "C", "a.html", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rep, err := Parse(strings.NewReader(tt.xml), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if c.Title["en"] != tt.wantTitle || c.AUs()[0].URL != tt.wantURL || len(rep.Issues) != tt.wantIssues {
				t.Errorf("title %q url %q issues %v", c.Title["en"], c.AUs()[0].URL, rep.Issues)
			}
		})
	}
}

// TestOpenHostile checks that a package failing the archive checks is
// refused with ErrArchive, and that a missing path fails.
func TestOpenHostile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "evil.zip")
	writeZip(t, name, map[string]string{"cmi5.xml": "<x/>", "../evil.html": "x"})
	if _, _, err := openCourse(name, Options{}); !errors.Is(err, ErrArchive) {
		t.Errorf("zip-slip: err = %v, want ErrArchive", err)
	}
	if _, _, err := openCourse(filepath.Join(dir, "absent.zip"), Options{}); err == nil {
		t.Error("missing file: no error")
	}
}
