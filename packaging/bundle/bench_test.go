package bundle

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/benchproc"
)

// BenchmarkBundle writes, then opens and verifies, a bundle of 10,000
// files generated on the fly (a quarter incompressible "images", the rest
// compressible "HTML"), and sets it beside zip -r -q and unzip -tq on the
// same tree in the same run. Every command runs as its own process (the
// bundle side re-runs this test binary, see TestBundleBenchChild), in
// turn, OTA_BENCH_ROUNDS times (3); the medians of wall time, CPU time and
// peak resident memory are reported, with the ratios (above 1: OTA is
// faster). Sizes come from OTA_BENCH_SIZES_MB (default 200; the issue's
// sizes are 200,2048):
//
//	OTA_BENCH_SIZES_MB=200,2048 go test -run '^$' -bench 'Bundle' -benchtime 1x ./packaging/bundle
//
// The tree, the bundle and the zip are written under the temporary
// folder (about 5 GB at 2048 MB). Nothing is committed and nothing runs
// under -short.
func BenchmarkBundle(b *testing.B) {
	if testing.Short() {
		b.Skip("generates large trees on disk; not under -short")
	}
	sizes, err := benchproc.Sizes(200)
	if err != nil {
		b.Fatal(err)
	}
	for _, total := range sizes {
		b.Run(fmt.Sprintf("%dMB", total>>20), func(b *testing.B) { benchBundle(b, 10_000, total) })
	}
}

func benchBundle(b *testing.B, files int, total int64) {
	for _, tool := range []string{"zip", "unzip"} {
		if _, err := exec.LookPath(tool); err != nil {
			b.Skipf("%s is not installed: no anchor to compare with", tool)
		}
	}
	dir := b.TempDir()
	tree := filepath.Join(dir, "tree")
	doc := generateTree(b, tree, files, total/int64(files))
	docPath := filepath.Join(dir, "doc.ota.json")
	data, err := asset.Marshal(doc)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(docPath, data, 0o644); err != nil {
		b.Fatal(err)
	}
	out, zipOut := filepath.Join(dir, "course.ota"), filepath.Join(dir, "tree.zip")
	env := []string{"OTA_BENCH_TREE=" + tree, "OTA_BENCH_DOC=" + docPath, "OTA_BENCH_OUT=" + out}
	run := func(cmd *exec.Cmd) benchproc.Result {
		r, err := benchproc.Run(cmd)
		if err != nil {
			b.Fatal(err)
		}
		return r
	}
	var write, zip, verify, unzip []benchproc.Result
	b.ResetTimer()
	for range benchproc.Rounds(3) {
		_ = os.Remove(out)
		_ = os.Remove(zipOut)
		write = append(write, run(benchproc.Self("TestBundleBenchChild", "write", env...)))
		zipCmd := exec.Command("zip", "-r", "-q", zipOut, ".")
		zipCmd.Dir = tree
		zip = append(zip, run(zipCmd))
		verify = append(verify, run(benchproc.Self("TestBundleBenchChild", "verify", env...)))
		unzip = append(unzip, run(exec.Command("unzip", "-tq", zipOut)))
	}
	b.StopTimer()
	w, z, v, u := benchproc.Median(write), benchproc.Median(zip), benchproc.Median(verify), benchproc.Median(unzip)
	mb := float64(total) / (1 << 20)
	b.ReportMetric(mb/w.Wall.Seconds(), "write-MB/s")
	b.ReportMetric(mb/z.Wall.Seconds(), "zip-MB/s")
	b.ReportMetric(z.Wall.Seconds()/w.Wall.Seconds(), "write/zip")
	b.ReportMetric(mb/v.Wall.Seconds(), "verify-MB/s")
	b.ReportMetric(mb/u.Wall.Seconds(), "unzip-t-MB/s")
	b.ReportMetric(u.Wall.Seconds()/v.Wall.Seconds(), "verify/unzip-t")
	b.ReportMetric(float64(w.MaxRSS)/(1<<20), "write-maxRSS-MB")
	b.ReportMetric(float64(v.MaxRSS)/(1<<20), "verify-maxRSS-MB")
	bundleMB, zipMB := fileMB(out), fileMB(zipOut)
	b.Logf("%s; %d files, %.0f MB; medians of %d rounds", benchproc.Cores(), files, mb, len(write))
	b.Logf("%-26s %9s %9s %10s %9s", "command", "wall s", "CPU s", "maxRSS MB", "out MB")
	for _, row := range []struct {
		name string
		r    benchproc.Result
		out  float64
	}{{"bundle write (OTA)", w, bundleMB}, {"zip -r -q", z, zipMB}, {"bundle open+verify (OTA)", v, 0}, {"unzip -tq", u, 0}} {
		b.Logf("%-26s %9.2f %9.2f %10.1f %9.1f", row.name, row.r.Wall.Seconds(), row.r.CPU.Seconds(), float64(row.r.MaxRSS)/(1<<20), row.out)
	}
	b.Logf("write: %.2fx zip -r -q (CPU %.2fx); verify: %.2fx unzip -tq (CPU %.2fx)",
		z.Wall.Seconds()/w.Wall.Seconds(), z.CPU.Seconds()/w.CPU.Seconds(),
		u.Wall.Seconds()/v.Wall.Seconds(), u.CPU.Seconds()/v.CPU.Seconds())
}

func fileMB(name string) float64 {
	fi, err := os.Stat(name)
	if err != nil {
		return 0
	}
	return float64(fi.Size()) / (1 << 20)
}

// TestBundleBenchChild is BenchmarkBundle's measured process: it writes
// the bundle of a tree, or opens and verifies it, as OTA_BENCH_CHILD says.
// Without that variable it does nothing.
func TestBundleBenchChild(t *testing.T) {
	job := os.Getenv(benchproc.ChildEnv)
	if job == "" {
		t.Skip("run by BenchmarkBundle only")
	}
	ctx := context.Background()
	out := os.Getenv("OTA_BENCH_OUT")
	switch job {
	case "write":
		data, err := os.ReadFile(os.Getenv("OTA_BENCH_DOC"))
		if err != nil {
			t.Fatal(err)
		}
		doc, _, err := asset.Read(bytes.NewReader(data), asset.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// A plain file, as zip writes: WriteFile would add an fsync.
		f, err := os.Create(out)
		if err != nil {
			t.Fatal(err)
		}
		w := NewWriter(f, WriterOptions{})
		if err := w.AddAsset(doc); err != nil {
			t.Fatal(err)
		}
		if err := w.AddFS(ctx, os.DirFS(os.Getenv("OTA_BENCH_TREE"))); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	case "verify":
		bd, _, err := OpenFile(out, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if rep := bd.Verify(ctx); len(rep.Issues) > 0 {
			t.Fatal(rep.Issues[0])
		}
		_ = bd.Close()
	default:
		t.Fatalf("%s=%q: want write or verify", benchproc.ChildEnv, job)
	}
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
