package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// corpusCase is one archive of the hostile corpus and what must become of
// it.
type corpusCase struct {
	name  string
	build func(t testing.TB) []byte
	opts  Limits
	// open lists the classes Open must report; empty means Open succeeds.
	open []error
	// read is the class reading the files (and extracting) must report;
	// nil means every file reads and the archive extracts.
	read error
	// files, when not nil, is the exact list of files the archive shows.
	files []string
	// check makes further assertions on an accepted archive.
	check func(t *testing.T, a *Archive)
	// big marks archives too large to seed the fuzzer with.
	big bool
	// headers marks archives rejected by the layout check, which reads
	// the local headers (never the data) before the central directory.
	headers bool
}

// corpus is the hostile corpus: every archive is built here, in memory.
func corpus() []corpusCase {
	var all []corpusCase
	all = append(all, nameCases()...)
	all = append(all, typeCases()...)
	all = append(all, sizeCases()...)
	all = append(all, dataCases()...)
	all = append(all, structureCases()...)
	all = append(all, layoutCases()...)
	return all
}

func TestCorpus(t *testing.T) {
	cases := corpus()
	require.GreaterOrEqual(t, len(cases), 30)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.build(t)
			rec := &recordingReaderAt{r: bytes.NewReader(data)}
			a, err := Open(rec, int64(len(data)), tc.opts)
			if len(tc.open) > 0 {
				require.Error(t, err)
				require.Nil(t, a)
				for _, want := range tc.open {
					assert.ErrorIs(t, err, want)
				}
				assertTyped(t, data, err)
				if !tc.headers {
					assertNoDataRead(t, data, rec)
				}
				t.Log(firstLine(err.Error()))
				return
			}
			require.NoError(t, err)
			if tc.files != nil {
				assert.Equal(t, tc.files, fileNames(t, a))
			}
			if tc.check != nil {
				tc.check(t, a)
			}
			if tc.big {
				return // reading and extracting 100,000 entries proves nothing more
			}
			_, rerr := readAll(a)
			if derr := a.CheckData(context.Background()); tc.read != nil {
				require.ErrorIs(t, derr, tc.read, "CheckData finds what reading finds")
			} else {
				require.NoError(t, derr)
			}
			if tc.read != nil {
				require.ErrorIs(t, rerr, tc.read)
				t.Log(rerr)
			} else {
				require.NoError(t, rerr)
				require.NoError(t, fstest.TestFS(a, allNames(t, a)...))
			}
			checkExtract(t, a, tc.read)
		})
	}
}

// assertTyped checks that every problem is an *Error of a known class
// naming the right entry.
func assertTyped(t *testing.T, data []byte, err error) {
	t.Helper()
	var first *Error
	require.ErrorAs(t, err, &first)
	var ce *CheckError
	if !errors.As(err, &ce) {
		assert.Equal(t, -1, first.Index)
		return
	}
	zr, zerr := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	for _, p := range ce.Problems {
		assert.NotNil(t, p.Kind)
		if p.Index < 0 {
			assert.Empty(t, p.Name)
			continue
		}
		if zerr == nil {
			require.Less(t, p.Index, len(zr.File))
			assert.Equal(t, zr.File[p.Index].Name, p.Name, "problem %v", p)
		}
	}
}

// recordingReaderAt records the reads made through it.
type recordingReaderAt struct {
	r     io.ReaderAt
	n     int64 // bytes read
	reads []span
}

type span struct{ off, end int64 }

func (r *recordingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	r.n += int64(len(p))
	r.reads = append(r.reads, span{off, off + int64(len(p))})
	return r.r.ReadAt(p, off)
}

// assertNoDataRead checks that a rejected archive had no read confined to
// the part before the central directory: only the end-record search (which
// runs to the end of the input) and the directory were read.
func assertNoDataRead(t *testing.T, data []byte, rec *recordingReaderAt) {
	t.Helper()
	if len(data) < eocdLen || !bytes.Equal(data[len(data)-eocdLen:][:4], []byte("PK\x05\x06")) {
		return // not a plain end record: the reader never found the directory
	}
	off, count := centralDir(t, data)
	if off == 0xffffffff || count == 0xffff {
		return // zip64: the real offset is elsewhere
	}
	for _, s := range rec.reads {
		assert.False(t, s.end <= int64(off), "read [%d,%d) lies before the central directory at %d", s.off, s.end, off)
	}
}

// fileNames lists the files (not folders) of a, in walk order.
func fileNames(t *testing.T, a *Archive) []string {
	t.Helper()
	names := []string{}
	require.NoError(t, fs.WalkDir(a, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, p)
		}
		return err
	}))
	return names
}

// allNames lists the files and folders of a, root excluded, in walk order.
func allNames(t *testing.T, a *Archive) []string {
	t.Helper()
	var names []string
	require.NoError(t, fs.WalkDir(a, ".", func(p string, d fs.DirEntry, err error) error {
		if p != "." {
			names = append(names, p)
		}
		return err
	}))
	return names
}

// readAll reads every file of a and returns the bytes read and the first
// error.
func readAll(a *Archive) (int64, error) {
	var total int64
	err := fs.WalkDir(a, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := a.ReadFile(p)
		total += int64(len(b))
		return err
	})
	return total, err
}

// checkExtract extracts a below two fresh folders and checks that nothing
// appears outside the target, that the target holds exactly the archive's
// tree with sane permissions, or, when wantErr is set, that extraction
// fails with it and leaves everything as it was.
func checkExtract(t *testing.T, a *Archive, wantErr error) {
	t.Helper()
	base := t.TempDir()
	parent := filepath.Join(base, "p")
	require.NoError(t, os.Mkdir(parent, 0o755))
	target := filepath.Join(parent, "out")
	before := snapshot(t, base)
	err := Extract(context.Background(), a, target, ExtractOptions{})
	after := snapshot(t, base)
	if wantErr != nil {
		require.ErrorIs(t, err, wantErr)
		assert.Equal(t, before, after, "a failed extraction must leave nothing behind")
		return
	}
	require.NoError(t, err)
	var outside, inside []string
	for p, mode := range after {
		rel, ok := strings.CutPrefix(p, "p/out/")
		switch {
		case p == "p/out":
		case !ok:
			if _, was := before[p]; !was {
				outside = append(outside, p)
			}
		default:
			inside = append(inside, rel)
			assert.True(t, mode.IsRegular() || mode.IsDir(), "%s has mode %v", p, mode)
			assert.Zero(t, mode.Perm()&^0o755, "%s has mode %v", p, mode)
		}
	}
	assert.Empty(t, outside, "written outside the target")
	slices.Sort(inside)
	want := allNames(t, a)
	slices.Sort(want)
	assert.Equal(t, want, inside)
	for _, name := range fileNames(t, a) {
		got, err := os.ReadFile(filepath.Join(target, filepath.FromSlash(name)))
		require.NoError(t, err)
		exp, err := a.ReadFile(name)
		require.NoError(t, err)
		assert.Equal(t, exp, got, name)
	}
}

// snapshot lists every path under dir, relative and slash-separated, with
// its type and permissions, without following links.
func snapshot(t *testing.T, dir string) map[string]fs.FileMode {
	t.Helper()
	m := map[string]fs.FileMode{}
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		m[filepath.ToSlash(rel)] = info.Mode()
		return nil
	}))
	return m
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
