package scorm

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/benchproc"
)

// benchFiles is the number of content files in the synthetic package.
const benchFiles = 10_000

// writeSyntheticPackage writes a SCORM 2004 package of benchFiles stored
// (uncompressed), incompressible files adding up to about total bytes,
// listed by 100 SCO resources of 100 files each.
func writeSyntheticPackage(tb testing.TB, name string, total int64) {
	tb.Helper()
	f, err := os.Create(name)
	if err != nil {
		tb.Fatal(err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w := zip.NewWriter(bw)
	var m strings.Builder
	m.WriteString(`<?xml version="1.0"?><manifest identifier="bench" xmlns="` + NSCP2004 + `" xmlns:adlcp="` + NSADLCP2004 + `"><metadata><schema>ADL SCORM</schema><schemaversion>2004 3rd Edition</schemaversion></metadata><organizations default="o"><organization identifier="o"><title>Bench</title>`)
	for r := range 100 {
		fmt.Fprintf(&m, `<item identifier="i%d" identifierref="r%d"><title>Item %d</title></item>`, r, r, r)
	}
	m.WriteString(`</organization></organizations><resources>`)
	for r := range 100 {
		fmt.Fprintf(&m, `<resource identifier="r%d" type="webcontent" adlcp:scormType="sco" href="sco%d/f0.bin">`, r, r)
		for i := range 100 {
			fmt.Fprintf(&m, `<file href="sco%d/f%d.bin"/>`, r, i)
		}
		m.WriteString(`</resource>`)
	}
	m.WriteString(`</resources></manifest>`)
	mw, err := w.Create("imsmanifest.xml")
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := io.WriteString(mw, m.String()); err != nil {
		tb.Fatal(err)
	}
	per := total / benchFiles
	rng := rand.NewChaCha8([32]byte{1})
	buf := make([]byte, per)
	for i := range benchFiles {
		h := &zip.FileHeader{Name: fmt.Sprintf("sco%d/f%d.bin", i/100, i%100), Method: zip.Store}
		fw, err := w.CreateHeader(h)
		if err != nil {
			tb.Fatal(err)
		}
		_, _ = rng.Read(buf)
		if _, err := fw.Write(buf); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

// countingReaderAt counts the bytes read through it.
type countingReaderAt struct {
	r io.ReaderAt
	n atomic.Int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// BenchmarkOpenLarge opens a synthetic package of 10,000 files at two
// content sizes ten times apart. Only the central directory and the
// manifest are read, so the time and the bytes read (reported as
// readbytes/op) do not depend on the content size. Set
// OTA_BENCH_SIZES_MB (e.g. "200,2000") to choose the sizes; the default
// is 20 MB and 200 MB. Skipped with -short.
func BenchmarkOpenLarge(b *testing.B) {
	if testing.Short() {
		b.Skip("generates large packages; not run with -short")
	}
	sizes := []int64{20, 200}
	if s := os.Getenv("OTA_BENCH_SIZES_MB"); s != "" {
		sizes = nil
		for _, f := range strings.Split(s, ",") {
			var mb int64
			if _, err := fmt.Sscan(f, &mb); err != nil {
				b.Fatalf("OTA_BENCH_SIZES_MB: %v", err)
			}
			sizes = append(sizes, mb)
		}
	}
	dir := b.TempDir()
	for _, mb := range sizes {
		name := filepath.Join(dir, fmt.Sprintf("pkg-%dMB.zip", mb))
		writeSyntheticPackage(b, name, mb<<20)
		b.Run(fmt.Sprintf("content=%dMB", mb), func(b *testing.B) {
			f, err := os.Open(name)
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			st, _ := f.Stat()
			cr := &countingReaderAt{r: f}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				p, rep, err := Open(cr, st.Size(), Options{})
				if err != nil || rep.HasErrors() || len(p.Files) != benchFiles+1 {
					b.Fatalf("open: %v %v", err, rep.Errors())
				}
			}
			b.ReportMetric(float64(cr.n.Load())/float64(b.N), "readbytes/op")
		})
	}
}

// BenchmarkSCORMImport opens a synthetic SCORM 2004 package of 10,000
// files (see writeSyntheticPackage) and sets it beside unzip -l on the
// package plus xmllint --noout on its manifest (already extracted), the
// two commands' times added, in the same run. Open runs in a child
// process (TestSCORMImportBenchChild: scorm.OpenFile, startup included),
// each command OTA_BENCH_ROUNDS times (5), in turn; the medians are
// reported with the ratio (below 1: OTA is faster than the anchor), and
// the in-process time of Open alone. Sizes come from OTA_BENCH_SIZES_MB
// (default 200; the sizes are 200,2048):
//
//	OTA_BENCH_SIZES_MB=200,2048 go test -run '^$' -bench 'SCORMImport' -benchtime 1x ./packaging/scorm
//
// Skipped with -short and when unzip or xmllint is missing.
func BenchmarkSCORMImport(b *testing.B) {
	if testing.Short() {
		b.Skip("generates large packages; not run with -short")
	}
	for _, tool := range []string{"unzip", "xmllint"} {
		if _, err := exec.LookPath(tool); err != nil {
			b.Skipf("%s is not installed: no anchor to compare with", tool)
		}
	}
	sizes, err := benchproc.Sizes(200)
	if err != nil {
		b.Fatal(err)
	}
	for _, total := range sizes {
		b.Run(fmt.Sprintf("%dMB", total>>20), func(b *testing.B) { benchImport(b, total) })
	}
}

func benchImport(b *testing.B, total int64) {
	dir := b.TempDir()
	pkg := filepath.Join(dir, "pkg.zip")
	writeSyntheticPackage(b, pkg, total)
	if err := exec.Command("unzip", "-q", pkg, "imsmanifest.xml", "-d", dir).Run(); err != nil {
		b.Fatal(err)
	}
	manifest := filepath.Join(dir, "imsmanifest.xml")
	run := func(cmd *exec.Cmd) benchproc.Result {
		r, err := benchproc.Run(cmd)
		if err != nil {
			b.Fatal(err)
		}
		return r
	}
	var open, list, lint []benchproc.Result
	b.ResetTimer()
	for range benchproc.Rounds(5) {
		open = append(open, run(benchproc.Self("TestSCORMImportBenchChild", pkg)))
		list = append(list, run(exec.Command("unzip", "-l", pkg)))
		lint = append(lint, run(exec.Command("xmllint", "--noout", manifest)))
	}
	var inproc []benchproc.Result
	for range benchproc.Rounds(5) {
		start := time.Now()
		p, rep, err := OpenFile(pkg, Options{})
		if err != nil || rep.HasErrors() || len(p.Files) != benchFiles+1 {
			b.Fatalf("open: %v %v", err, rep.Errors())
		}
		inproc = append(inproc, benchproc.Result{Wall: time.Since(start)})
	}
	b.StopTimer()
	o, l, x, in := benchproc.Median(open), benchproc.Median(list), benchproc.Median(lint), benchproc.Median(inproc)
	anchor := l.Wall + x.Wall
	b.ReportMetric(o.Wall.Seconds()*1000, "import-ms")
	b.ReportMetric(in.Wall.Seconds()*1000, "open-inprocess-ms")
	b.ReportMetric(anchor.Seconds()*1000, "anchor-ms")
	b.ReportMetric(o.Wall.Seconds()/anchor.Seconds(), "import/anchor")
	b.ReportMetric(float64(o.MaxRSS)/(1<<20), "import-maxRSS-MB")
	b.Logf("%s; %d files, %d MB; medians of %d rounds", benchproc.Cores(), benchFiles, total>>20, len(open))
	b.Logf("%-34s %9s %9s %10s", "command", "wall ms", "CPU ms", "maxRSS MB")
	for _, row := range []struct {
		name string
		r    benchproc.Result
	}{{"scorm.OpenFile (OTA, own process)", o}, {"unzip -l", l}, {"xmllint --noout imsmanifest.xml", x}} {
		b.Logf("%-34s %9.1f %9.1f %10.1f", row.name, row.r.Wall.Seconds()*1000, row.r.CPU.Seconds()*1000, float64(row.r.MaxRSS)/(1<<20))
	}
	b.Logf("import: %.2fx the anchor's time (unzip -l + xmllint = %.1f ms); Open alone in process: %.1f ms",
		o.Wall.Seconds()/anchor.Seconds(), anchor.Seconds()*1000, in.Wall.Seconds()*1000)
}

// TestSCORMImportBenchChild is BenchmarkSCORMImport's measured process:
// it opens the package named by OTA_BENCH_CHILD. Without that variable it
// does nothing.
func TestSCORMImportBenchChild(t *testing.T) {
	name := os.Getenv(benchproc.ChildEnv)
	if name == "" {
		t.Skip("run by BenchmarkSCORMImport only")
	}
	p, rep, err := OpenFile(name, Options{})
	if err != nil || rep.HasErrors() || len(p.Files) != benchFiles+1 {
		t.Fatalf("open: %v %v", err, rep.Errors())
	}
}

// benchCourse builds a course of 50 lessons with 10 files each (500 files
// of about 20 KB: an HTML page, 3 images, 6 data files), in memory.
func benchCourse() (*asset.Asset, fstest.MapFS) {
	fsys := fstest.MapFS{}
	rnd := rand.New(rand.NewPCG(1, 2))
	course := &asset.Asset{ID: "urn:uuid:7e57c0de-0000-4000-8000-000000000000", Kind: asset.KindCourse, Title: asset.LangString{"en": "Bench"}}
	for l := range 50 {
		lesson := asset.Asset{ID: fmt.Sprintf("urn:uuid:7e57c0de-0000-4000-8000-%012d", l+1), Kind: asset.KindLesson, Title: asset.LangString{"en": fmt.Sprintf("Lesson %d", l)}}
		for f := range 10 {
			var name string
			var data []byte
			switch {
			case f == 0:
				name = fmt.Sprintf("l%02d/index.html", l)
				data = []byte(strings.Repeat("<p>Seasonal adjustment of a monthly series.</p>\n", 400))
			case f < 4:
				name = fmt.Sprintf("l%02d/img%d.png", l, f)
				data = make([]byte, 20<<10)
				for i := range data {
					data[i] = byte(rnd.Uint32())
				}
			default:
				name = fmt.Sprintf("l%02d/data%d.csv", l, f)
				data = []byte(strings.Repeat("region,month,value\nPT11,2024-01,1234.5\n", 500))
			}
			fsys[name] = &fstest.MapFile{Data: data}
			role := asset.RoleData
			if f == 0 {
				role = asset.RoleLaunch
			} else if f < 4 {
				role = asset.RoleMedia
			}
			lesson.Resources = append(lesson.Resources, asset.Resource{Path: name, Role: role})
		}
		course.Parts = append(course.Parts, lesson)
	}
	return course, fsys
}

// BenchmarkExport500 exports a 500-file course to SCORM 2004 4th Edition
// (multi-SCO); bytes/op is the content size.
func BenchmarkExport500(b *testing.B) {
	course, fsys := benchCourse()
	var size int64
	for _, f := range fsys {
		size += int64(len(f.Data))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Export(io.Discard, course, fsys, ExportOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
