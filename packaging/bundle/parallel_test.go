package bundle

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// bigTree is a course naming files of many sizes, some larger than the
// writer's 1 MiB pieces, compressible and not.
func bigTree() (*asset.Document, fstest.MapFS) {
	rng := rand.New(rand.NewPCG(3, 4))
	words := []string{"census ", "survey ", "<p>", "</p>\n", "estimate ", "quality "}
	fsys := fstest.MapFS{}
	a := asset.Asset{ID: "urn:uuid:6b1e6d0e-7a43-4a8a-9d0f-00000000b16b", Kind: "course", Title: asset.LangString{"en": "Big"}}
	for i, n := range []int{0, 10, 5000, 1 << 20, 1<<20 + 1, 3<<20 + 12345, 70000, 2 << 20} {
		var data []byte
		name := fmt.Sprintf("f%02d.html", i)
		if i%3 == 2 {
			name = fmt.Sprintf("f%02d.png", i)
			data = make([]byte, n)
			for j := range data {
				data[j] = byte(rng.Uint32())
			}
		} else {
			var b strings.Builder
			for b.Len() < n {
				b.WriteString(words[rng.IntN(len(words))])
			}
			data = []byte(b.String()[:n])
		}
		fsys[name] = &fstest.MapFile{Data: data}
		a.Resources = append(a.Resources, asset.Resource{Path: name})
	}
	return asset.NewDocument(a), fsys
}

// TestGolden holds the writer's output to committed bytes: the test tree
// as a whole bundle (open it with unzip), and the digest of a bundle of
// files larger than a piece. Run with -update after a deliberate change
// of the writer, and say so.
func TestGolden(t *testing.T) {
	doc, fsys := bigTree()
	big := sha256.Sum256(writeBundle(t, fsys, doc))
	for _, g := range []struct {
		file string
		data []byte
	}{
		{"testtree.ota", writeTestBundle(t)},
		{"bigtree.ota.sha256", []byte(hex.EncodeToString(big[:]) + "\n")},
	} {
		t.Run(g.file, func(t *testing.T) {
			path := filepath.Join("testdata", "golden", g.file)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, g.data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(g.data, want) {
				t.Errorf("the writer's output differs from %s; if the change is deliberate, run go test -update", path)
			}
		})
	}
}

// TestParallelSameResults writes and verifies, with 1, 2 and 8 cores, a
// bundle whose files span several pieces, then one with files tampered
// with: the bytes and the issues (in manifest order) must not depend on
// the number of cores.
func TestParallelSameResults(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	doc, fsys := bigTree()
	var firstBundle []byte
	var firstIssues []ota.Issue
	for _, procs := range []int{1, 2, 8} {
		runtime.GOMAXPROCS(procs)
		data := writeBundle(t, fsys, doc)
		if firstBundle == nil {
			firstBundle = data
		} else if !bytes.Equal(data, firstBundle) {
			t.Fatalf("GOMAXPROCS=%d writes other bytes than GOMAXPROCS=1", procs)
		}
		b, err := openBytes(data)
		if err != nil {
			t.Fatal(err)
		}
		if rep := b.Verify(context.Background()); len(rep.Issues) > 0 {
			t.Fatalf("GOMAXPROCS=%d: %v", procs, rep.Issues)
		}
		bad := edit(t, data, func(es []entry) []entry {
			for i := range es {
				if strings.HasPrefix(es[i].name, "content/") && len(es[i].data) > 0 && i%2 == 0 {
					es[i].data = bytes.Clone(es[i].data)
					es[i].data[len(es[i].data)/2] ^= 1
				}
			}
			return es
		})
		b, err = openBytes(bad)
		if err != nil {
			t.Fatal(err)
		}
		issues := b.Verify(context.Background()).Issues
		if len(issues) < 3 {
			t.Fatalf("GOMAXPROCS=%d: %d issues for the tampered bundle: %v", procs, len(issues), issues)
		}
		last := -1
		for _, is := range issues {
			n, err := strconv.Atoi(strings.TrimPrefix(is.Pointer, "/files/"))
			if err != nil || n <= last || is.Code != "bundle.file.digest-mismatch" {
				t.Errorf("GOMAXPROCS=%d: issues not one digest mismatch a file, in manifest order: %v", procs, issues)
				break
			}
			last = n
		}
		if firstIssues == nil {
			firstIssues = issues
		} else if !slices.Equal(issues, firstIssues) {
			t.Errorf("GOMAXPROCS=%d: issues %v, with 1 core %v", procs, issues, firstIssues)
		}
	}
}
