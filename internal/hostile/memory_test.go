package hostile

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// shape is a large input the default limits accept (or just refuse),
// with the commands to run on it.
type shape struct {
	name string
	make func(t testing.TB, dir string) string // writes the input, returns its path
	runs [][]string                            // argument lists; "IN" and "OUT" are replaced
}

func bigShapes() []shape {
	std := [][]string{{"validate", "IN"}, {"inspect", "IN"}, {"convert", "IN", "OUT.json"}, {"convert", "IN", "OUT.ota"}, {"convert", "IN", "OUT.zip", "--to", "scorm12"}}
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
		{"SCORM zip, manifest at the cap", func(t testing.TB, dir string) string {
			p := filepath.Join(dir, "capmanifest.zip")
			scormZipFlat(t, p, bytesOf(32<<20-4096))
			return p
		}, std},
		{"OTA JSON, 300k parts", stream("parts.json", func(w io.Writer) { otaWithParts(w, items(300_000)) }), std},
		{"OTA JSON, parts at the cap", stream("cap.json", func(w io.Writer) { otaWithParts(w, bytesOf(64<<20-1024)) }), std},
		{"OTA JSON, one string at the cap", stream("str.json", func(w io.Writer) {
			io.WriteString(w, otaHead+`,"description":{"en":"`)
			io.WriteString(w, strings.Repeat("a", 64<<20-1024))
			io.WriteString(w, `"}}`)
		}), std},
		{"bundle, asset at the cap", func(t testing.TB, dir string) string {
			var b bytes.Buffer
			otaWithParts(&b, bytesOf(64<<20-1024))
			p := filepath.Join(dir, "cap.ota")
			writeBundle(t, p, []bundleFile{{path: "assets/0001.ota.json", data: b.Bytes()}}, bundleOpts{})
			return p
		}, std},
		{"cmi5.xml, elements at the cap", stream("cmi5.xml", func(w io.Writer) { cmi5Many(w, items(200_000/6-10)) }), std},
		{"CASE, at the cap", stream("case.json", func(w io.Writer) { caseDoc(w, bytesOf(64<<20-1024)) }),
			[][]string{{"validate", "IN"}, {"inspect", "IN"}}},
		{"xAPI NDJSON, 200 MiB", stream("s.ndjson", func(w io.Writer) {
			fill(w, bytesOf(200<<20), "", statement, "\n", "\n")
		}), [][]string{{"validate", "IN"}}},
		{"xAPI array, 200 MiB", stream("s.json", func(w io.Writer) {
			fill(w, bytesOf(200<<20), "[", statement, ",", "]")
		}), [][]string{{"validate", "IN"}}},
	}
}

// TestMeasureShapes prints the peak RSS of every run on the large
// shapes. It measures only; set OTA_MEASURE=1 to run it.
func TestMeasureShapes(t *testing.T) {
	if os.Getenv("OTA_MEASURE") == "" {
		t.Skip("set OTA_MEASURE=1 to measure")
	}
	for _, s := range bigShapes() {
		t.Run(s.name, func(t *testing.T) {
			dir := t.TempDir()
			in := s.make(t, dir)
			fi, _ := os.Stat(in)
			for _, args := range s.runs {
				args = subst(args, in, filepath.Join(dir, "out"))
				r := runOTA(t, dir, 10*time.Minute, args...)
				fmt.Printf("%-28s %9d B  %-40s exit %d  peak RSS %4d MiB  %v\n", s.name, fi.Size(), args[0]+" "+filepath.Ext(args[len(args)-1]), r.code, r.maxRSS>>20, r.elapsed.Round(time.Millisecond))
				if r.code != 0 {
					fmt.Printf("    %s\n", firstLine(r.stderr+r.stdout))
				}
				os.Remove(filepath.Join(dir, "out.json"))
				os.Remove(filepath.Join(dir, "out.ota"))
				os.Remove(filepath.Join(dir, "out.zip"))
			}
		})
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
