package scorm

import (
	"archive/zip"
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/metaacademy/ota/asset"
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
		if _, err := Export(context.Background(), io.Discard, course, fsys, nil, ExportOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
