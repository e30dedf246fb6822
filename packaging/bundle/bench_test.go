package bundle

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/metaacademy/ota/asset"
)

// BenchmarkBundle writes, then opens and verifies, a bundle of 10,000
// files generated on the fly (a quarter incompressible "images", the rest
// compressible "HTML"), at two total sizes ten times apart, and times zip
// -r and unzip -t on the same tree when they are installed. Run one size
// per process under /usr/bin/time -v to see peak memory:
//
//	go test -c -o /tmp/bundle.test ./packaging/bundle
//	/usr/bin/time -v /tmp/bundle.test -test.run '^$' -test.bench 'Bundle/2GB' -test.benchtime 1x -test.benchmem
//
// Nothing is committed and nothing runs under -short.
func BenchmarkBundle(b *testing.B) {
	if testing.Short() {
		b.Skip("generates up to 2 GB on disk (6 GB with the zip comparison); not under -short")
	}
	for _, size := range []struct {
		name  string
		total int64
	}{{"200MB", 200 << 20}, {"2GB", 2 << 30}} {
		b.Run(size.name, func(b *testing.B) { benchBundle(b, 10_000, size.total) })
	}
}

func benchBundle(b *testing.B, files int, total int64) {
	dir := b.TempDir()
	tree := filepath.Join(dir, "tree")
	doc := generateTree(b, tree, files, total/int64(files))
	out := filepath.Join(dir, "course.ota")
	ctx := context.Background()
	b.SetBytes(total)
	b.ResetTimer()
	var writeTime, verifyTime time.Duration
	for b.Loop() {
		_ = os.Remove(out)
		start := time.Now()
		err := WriteFile(ctx, out, WriterOptions{}, func(w *Writer) error {
			if err := w.AddAsset(doc); err != nil {
				return err
			}
			return w.AddFS(ctx, os.DirFS(tree))
		})
		if err != nil {
			b.Fatal(err)
		}
		writeTime += time.Since(start)
		start = time.Now()
		bd, err := OpenFile(out, ReadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if rep := bd.Verify(ctx); len(rep.Issues) > 0 {
			b.Fatal(rep.Issues[0])
		}
		_ = bd.Close()
		verifyTime += time.Since(start)
	}
	b.StopTimer()
	mb := float64(total) / (1 << 20) * float64(b.N)
	b.ReportMetric(mb/writeTime.Seconds(), "write-MB/s")
	b.ReportMetric(mb/verifyTime.Seconds(), "verify-MB/s")
	if fi, err := os.Stat(out); err == nil {
		b.ReportMetric(float64(fi.Size())/(1<<20), "bundle-MB")
	}
	compareZip(b, tree, filepath.Join(dir, "tree.zip"), total)
}

// compareZip times zip -r and unzip -t on the tree, when installed.
func compareZip(b *testing.B, tree, out string, total int64) {
	if _, err := exec.LookPath("zip"); err != nil {
		b.Log("zip not installed: no comparison")
		return
	}
	start := time.Now()
	cmd := exec.Command("zip", "-r", "-q", out, ".")
	cmd.Dir = tree
	if err := cmd.Run(); err != nil {
		b.Fatal(err)
	}
	mb := float64(total) / (1 << 20)
	b.ReportMetric(mb/time.Since(start).Seconds(), "zip-r-MB/s")
	if _, err := exec.LookPath("unzip"); err != nil {
		return
	}
	start = time.Now()
	if err := exec.Command("unzip", "-t", "-q", out).Run(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(mb/time.Since(start).Seconds(), "unzip-t-MB/s")
}

// generateTree writes files of about each bytes under dir and returns a
// document naming them all.
func generateTree(b *testing.B, dir string, files int, each int64) *asset.Document {
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"statistics ", "census ", "survey ", "estimate ", "sample ", "<p>", "</p>\n", "GSBPM ", "data ", "quality "}
	buf := make([]byte, each)
	a := asset.Asset{ID: "urn:uuid:00000000-0000-4000-8000-000000000001", Kind: "course", Title: asset.LangString{"en": "Benchmark"}}
	for i := range files {
		name := fmt.Sprintf("m%02d/l%03d/f%05d.html", i%50, i%500, i)
		if i%4 == 0 {
			name = fmt.Sprintf("m%02d/l%03d/f%05d.png", i%50, i%500, i)
			for j := range buf {
				buf[j] = byte(rng.Uint32())
			}
		} else {
			n := 0
			for n < len(buf) {
				n += copy(buf[n:], words[rng.IntN(len(words))])
			}
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, buf, 0o644); err != nil {
			b.Fatal(err)
		}
		a.Resources = append(a.Resources, asset.Resource{Path: name})
	}
	return asset.NewDocument(a)
}
