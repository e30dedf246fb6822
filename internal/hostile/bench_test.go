package hostile

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkPeakRSS reports the peak resident memory of the ota command
// (metric peak-MiB, the highest of the iterations) on inputs of two
// sizes ten times apart, generated once per size: memory grows with the
// input only up to what the default limits allow, and not at all for the
// inputs that are streamed. It is not run in CI: run it with
//
//	go test ./internal/hostile -run '^$' -bench PeakRSS -benchtime 3x
//
// and compare the two sizes of each input measured in the same run; the
// larger streamed inputs (xAPI, bundle content) take 500 MiB of disk.
func BenchmarkPeakRSS(b *testing.B) {
	type input struct {
		name string
		args []string
		make func(b *testing.B, dir string, n int) string
		ns   [2]int
	}
	inputs := []input{
		{"SCORM-items", []string{"convert", "IN", "OUT.json"}, func(b *testing.B, dir string, n int) string {
			p := filepath.Join(dir, "p.zip")
			scormZipFlat(b, p, items(n))
			return p
		}, [2]int{800, 8_000}},
		{"OTA-parts", []string{"convert", "IN", "OUT.ota"}, func(b *testing.B, dir string, n int) string {
			p := filepath.Join(dir, "d.json")
			streamFile(b, p, func(w *bufio.Writer) { otaWithParts(w, items(n)) })
			return p
		}, [2]int{900, 9_000}},
		{"xAPI-NDJSON-MiB", []string{"validate", "IN"}, func(b *testing.B, dir string, n int) string {
			p := filepath.Join(dir, "s.ndjson")
			streamFile(b, p, func(w *bufio.Writer) { fill(w, bytesOf(int64(n)<<20), "", statement, "\n", "\n") })
			return p
		}, [2]int{50, 500}},
		{"bundle-content-MiB", []string{"validate", "IN"}, func(b *testing.B, dir string, n int) string {
			data := make([]byte, n<<20)
			for i := range data {
				data[i] = byte(i*7 + i>>9) // compresses, but not past the ratio limit
			}
			p := filepath.Join(dir, "b.ota")
			writeBundle(b, p, []bundleFile{{path: "assets/0001.ota.json", data: []byte(otaDoc(`[` + resource("big.bin", "data") + `]`))},
				{path: "content/big.bin", data: data}}, bundleOpts{})
			return p
		}, [2]int{50, 500}},
	}
	for _, in := range inputs {
		for _, n := range in.ns {
			b.Run(in.name+"="+strconv.Itoa(n), func(b *testing.B) {
				dir := b.TempDir()
				path := in.make(b, dir, n)
				fi, err := os.Stat(path)
				if err != nil {
					b.Fatal(err)
				}
				var peak int64
				for b.Loop() {
					r := runOTA(b, dir, deadline, subst(in.args, path, filepath.Join(dir, "out"))...)
					if r.code != 0 && r.code != 1 {
						b.Fatalf("%s", r)
					}
					peak = max(peak, r.maxRSS)
					for _, ext := range []string{".json", ".ota"} {
						os.Remove(filepath.Join(dir, "out"+ext))
					}
				}
				b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
				b.ReportMetric(float64(fi.Size())/(1<<20), "input-MiB")
			})
		}
	}
}
