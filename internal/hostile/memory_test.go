package hostile

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/metaacademy/ota/framework/casepkg"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/bundle"
	"github.com/metaacademy/ota/packaging/lesson"
	"github.com/metaacademy/ota/packaging/scorm"
)

// shape is a large input the default limits accept (or just refuse),
// with the commands to run on it.
type shape struct {
	name string
	make func(t testing.TB, dir string) string // writes the input, returns its path
	runs [][]string                            // argument lists; "IN" and "OUT" are replaced
}

// slow reports whether the shape is hundreds of megabytes, measured only
// on demand (TestMeasureShapes).
func (s shape) slow() bool { return strings.Contains(s.name, "200 MiB") }

func bigShapes() []shape {
	std := [][]string{{"validate", "IN"}, {"inspect", "IN"}, {"convert", "IN", "OUT.json"}, {"convert", "IN", "OUT.ota"}, {"convert", "IN", "OUT.zip", "--to", "scorm12"}}
	read := [][]string{{"validate", "IN"}, {"inspect", "IN"}}
	stream := func(name string, gen func(w io.Writer)) func(t testing.TB, dir string) string {
		return func(t testing.TB, dir string) string {
			p := filepath.Join(dir, name)
			streamFile(t, p, func(w *bufio.Writer) { gen(w) })
			return p
		}
	}
	return []shape{
		{"SCORM zip, 100k flat items", func(t testing.TB, dir string) string {
			p := filepath.Join(dir, "flat.zip")
			scormZipFlat(t, p, items(100_000))
			return p
		}, std},
		{"SCORM zip, elements at the cap", func(t testing.TB, dir string) string {
			p := filepath.Join(dir, "capmanifest.zip")
			scormZipFlat(t, p, items(scorm.DefaultMaxManifestElements/2-20))
			return p
		}, std},
		{"SCORM zip, manifest bytes at the cap", func(t testing.TB, dir string) string {
			p := filepath.Join(dir, "capbytes.zip")
			streamFile(t, p, func(w *bufio.Writer) {
				zw := zip.NewWriter(w)
				mw, _ := zw.CreateHeader(&zip.FileHeader{Name: "imsmanifest.xml", Method: zip.Store})
				io.WriteString(mw, manifest12(`<organizations default="o"><organization identifier="o"><title>`+strings.Repeat("t", scorm.DefaultMaxManifestSize-2048)+`</title>`+
					`<item identifier="i1" identifierref="r1"><title>Lesson</title></item></organization></organizations>`,
					`<resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html"><file href="index.html"/></resource></resources>`))
				iw, _ := zw.Create("index.html")
				io.WriteString(iw, "<!doctype html><title>x</title>")
				zw.Close()
			})
			return p
		}, std},
		{"OTA JSON, 300k parts", stream("parts.json", func(w io.Writer) { otaWithParts(w, items(300_000)) }), std},
		{"OTA JSON, parts at the cap", stream("cap.json", func(w io.Writer) { otaWithParts(w, items(asset.DefaultMaxAssets-1)) }), std},
		{"OTA JSON, parts of many values at the caps", stream("capvalues.json", func(w io.Writer) {
			per := (asset.DefaultMaxValues-10)/(asset.DefaultMaxAssets-1) - 7
			fill(w, items(asset.DefaultMaxAssets-1), otaHead+`,"parts":[`, func(i int) string {
				return fmt.Sprintf(`{"id":"urn:example:p%d","kind":"lesson","title":{"en":"Part %d"},"keywords":{"en":[%s]}}`, i, i, strings.TrimSuffix(strings.Repeat(`"k",`, per), ","))
			}, ",", "]}")
		}), std},
		{"OTA JSON, keywords at the value cap", stream("keywords.json", func(w io.Writer) {
			fill(w, items(asset.DefaultMaxValues-20), otaHead+`,"keywords":{"en":[`, func(i int) string { return fmt.Sprintf(`"k%d"`, i) }, ",", "]}}")
		}), std},
		{"OTA JSON, unknown members at the value cap", stream("unknown.json", func(w io.Writer) {
			fill(w, items(asset.DefaultMaxValues-20), otaHead+`,`, func(i int) string { return fmt.Sprintf(`"u%d":0`, i) }, ",", "}")
		}), std},
		{"OTA JSON, one string at the byte cap", stream("str.json", func(w io.Writer) {
			io.WriteString(w, otaHead+`,"description":{"en":"`)
			io.WriteString(w, strings.Repeat("a", asset.DefaultMaxBytes-1024))
			io.WriteString(w, `"}}`)
		}), std},
		{"bundle, asset at the cap", func(t testing.TB, dir string) string {
			var b bytes.Buffer
			otaWithParts(&b, items(asset.DefaultMaxAssets-1))
			p := filepath.Join(dir, "cap.ota")
			writeBundle(t, p, []bundleFile{{path: "assets/0001.ota.json", data: b.Bytes()}}, bundleOpts{})
			return p
		}, std},
		{"bundle, 40 assets at the cap", func(t testing.TB, dir string) string {
			var b bytes.Buffer
			otaWithParts(&b, items(asset.DefaultMaxAssets-1))
			var files []bundleFile
			for i := range 40 {
				files = append(files, bundleFile{path: fmt.Sprintf("assets/%04d.ota.json", i+1), data: bytes.Replace(b.Bytes(), []byte("urn:example:"), []byte(fmt.Sprintf("urn:example%d:", i)), -1)})
			}
			p := filepath.Join(dir, "many.ota")
			writeBundle(t, p, files, bundleOpts{})
			return p
		}, std},
		{"bundle, manifest at the cap listing missing files", func(t testing.TB, dir string) string {
			var b bytes.Buffer
			otaWithParts(&b, items(10))
			doc := b.Bytes()
			sum := sha256.Sum256(doc)
			var m bytes.Buffer
			fill(&m, bytesOf(bundle.DefaultMaxManifestSize-1024), `{"format":"1.0","assets":[{"path":"assets/0001.ota.json"}],"files":[`+
				fmt.Sprintf(`{"path":"assets/0001.ota.json","size":%d,"mediaType":"application/vnd.ota+json","sha256":%q}`, len(doc), hex.EncodeToString(sum[:])),
				func(i int) string {
					return fmt.Sprintf(`,{"path":"content/f%07d.bin","size":1,"mediaType":"application/octet-stream","sha256":"%064d"}`, i, i)
				}, "", "]}")
			p := filepath.Join(dir, "manifest.ota")
			writeBundle(t, p, []bundleFile{{path: "assets/0001.ota.json", data: doc}}, bundleOpts{manifest: m.Bytes()})
			return p
		}, read},
		{"cmi5.xml, elements at the cap", stream("cmi5.xml", func(w io.Writer) { cmi5Many(w, items(60_000/6-10)) }), std},
		{"CASE, values at the cap", stream("case.json", func(w io.Writer) { caseDoc(w, items(casepkg.DefaultMaxValues/8-10)) }), read},
		{"CASE, one string at the byte cap", stream("casestr.json", func(w io.Writer) {
			io.WriteString(w, `{"CFDocument":{"identifier":"11111111-1111-4111-8111-111111111111","uri":"https://example.org/case/doc","title":"`)
			io.WriteString(w, strings.Repeat("t", casepkg.DefaultMaxBytes-1024))
			io.WriteString(w, `","creator":"Example","lastChangeDateTime":"2024-01-01T00:00:00+00:00"},"CFItems":[]}`)
		}), read},
		{"lesson, pages at the cap", func(t testing.TB, dir string) string {
			eps := map[string]string{}
			for i := range lesson.DefaultMaxPages - 10 {
				eps[fmt.Sprintf("e%05d.md", i)] = episode(fmt.Sprintf("Episode %d", i), "Some text with a [link](e00000.md) and *emphasis*.")
			}
			d := filepath.Join(dir, "lesson")
			workbench(t, d, eps)
			return d
		}, std},
		{"lesson, dense Markdown at the total cap", func(t testing.TB, dir string) string {
			eps := map[string]string{}
			para := strings.Repeat("Words and *more* words, with `code` and [links](https://example.org). ", 20) + "\n\n"
			n := int(lesson.DefaultMaxMarkdownSize / lesson.DefaultMaxFileSize)
			for i := range n {
				eps[fmt.Sprintf("e%02d.md", i)] = episode(fmt.Sprintf("Episode %d", i), strings.Repeat(para, (lesson.DefaultMaxFileSize-4096)/len(para)))
			}
			d := filepath.Join(dir, "lesson")
			workbench(t, d, eps)
			return d
		}, std},
		{"lesson, paragraphs at the element cap", func(t testing.TB, dir string) string {
			eps := map[string]string{}
			for i := range int(lesson.DefaultMaxMarkdownSize / lesson.DefaultMaxFileSize) {
				eps[fmt.Sprintf("e%02d.md", i)] = episode(fmt.Sprintf("Episode %d", i), strings.Repeat("a\n\n", (lesson.DefaultMaxFileSize-4096)/3))
			}
			d := filepath.Join(dir, "lesson")
			workbench(t, d, eps)
			return d
		}, std},
		{"xAPI NDJSON, 200 MiB", stream("s.ndjson", func(w io.Writer) {
			fill(w, bytesOf(200<<20), "", statement, "\n", "\n")
		}), [][]string{{"validate", "IN"}}},
		{"xAPI array, 200 MiB", stream("s.json", func(w io.Writer) {
			fill(w, bytesOf(200<<20), "[", statement, ",", "]")
		}), [][]string{{"validate", "IN"}}},
		{"xAPI NDJSON, 20 MiB", stream("s.ndjson", func(w io.Writer) {
			fill(w, bytesOf(20<<20), "", statement, "\n", "\n")
		}), [][]string{{"validate", "IN"}}},
	}
}

// TestMemoryAtTheCaps runs the command on inputs just under each default
// limit (and on some just over) and checks that its peak RSS stays under
// maxRSS: the limits bound memory, not only bytes.
func TestMemoryAtTheCaps(t *testing.T) {
	if testing.Short() {
		t.Skip("generates inputs of up to 16 MiB and runs the command some 90 times; skipped under -short")
	}
	for _, s := range bigShapes() {
		if s.slow() {
			continue
		}
		t.Run(s.name, func(t *testing.T) {
			s.each(t, deadline, func(args []string, r run) {
				t.Logf("ota %s %s → exit %d, peak RSS %d MiB", args[0], filepath.Ext(args[len(args)-1]), r.code, r.maxRSS>>20)
				switch {
				case r.timedOut:
					t.Errorf("hung\n%s", r)
				case r.maxRSS >= maxRSS:
					t.Errorf("peak RSS %d MiB, over %d MiB\n%s", r.maxRSS>>20, maxRSS>>20, r)
				case strings.Contains(r.stdout+r.stderr, "panic"):
					t.Errorf("panicked\n%s", r)
				}
			})
		})
	}
}

// TestMeasureShapes prints the peak RSS of every run on the large
// shapes. It measures only; set OTA_MEASURE=1 to run it, and
// OTA_MEASURE_ONLY to a part of a shape's name to run only some.
func TestMeasureShapes(t *testing.T) {
	if os.Getenv("OTA_MEASURE") == "" {
		t.Skip("set OTA_MEASURE=1 to measure")
	}
	only := os.Getenv("OTA_MEASURE_ONLY")
	for _, s := range bigShapes() {
		if only != "" && !strings.Contains(s.name, only) {
			continue
		}
		t.Run(s.name, func(t *testing.T) {
			s.each(t, 10*time.Minute, func(args []string, r run) {
				fmt.Printf("%-28s %-40s exit %d  peak RSS %4d MiB  %v\n", s.name, args[0]+" "+filepath.Ext(args[len(args)-1]), r.code, r.maxRSS>>20, r.elapsed.Round(time.Millisecond))
				if r.code != 0 {
					fmt.Printf("    %s\n", firstLine(r.stderr+r.stdout))
				}
			})
		})
	}
}

// each makes the shape's input and runs each of its commands on it,
// removing the outputs after each.
func (s shape) each(t *testing.T, limit time.Duration, check func(args []string, r run)) {
	dir := t.TempDir()
	in := s.make(t, dir)
	for _, args := range s.runs {
		args = subst(args, in, filepath.Join(dir, "out"))
		check(args, runOTA(t, dir, limit, args...))
		for _, ext := range []string{".json", ".ota", ".zip"} {
			os.Remove(filepath.Join(dir, "out"+ext))
		}
	}
}

func subst(args []string, in, out string) []string {
	res := make([]string, len(args))
	for i, a := range args {
		switch {
		case a == "IN":
			res[i] = in
		case len(a) > 3 && a[:3] == "OUT":
			res[i] = out + a[3:]
		default:
			res[i] = a
		}
	}
	return res
}

func firstLine(s string) string {
	for i := range len(s) {
		if s[i] == '\n' {
			s = s[:i]
			break
		}
	}
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
