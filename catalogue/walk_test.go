package catalogue

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// openOnly hides a MapFS's ReadDir and Stat, so that folders are read
// through Open, a batch at a time, and breaks the folders named in broken:
// reading them gives their first entry and then an error.
type openOnly struct {
	m      fstest.MapFS
	broken map[string]bool
}

func (o openOnly) Open(name string) (fs.File, error) {
	f, err := o.m.Open(name)
	if err != nil || !o.broken[name] {
		return f, err
	}
	return &brokenDir{File: f}, nil
}

type brokenDir struct {
	fs.File
	done bool
}

func (b *brokenDir) ReadDir(n int) ([]fs.DirEntry, error) {
	if b.done {
		return nil, errors.New("disk on fire")
	}
	b.done = true
	es, err := b.File.(fs.ReadDirFile).ReadDir(1)
	if err != nil {
		return nil, err
	}
	if n <= 0 { // everything that can be read, and the error
		return es, errors.New("disk on fire")
	}
	return es, nil
}

// TestWalkFilesAsWalkDir: walkFiles visits what fs.WalkDir visits, in the
// same order, with the same errors, and honours SkipDir (from a folder and
// from a file) and SkipAll as it does.
func TestWalkFilesAsWalkDir(t *testing.T) {
	m := fstest.MapFS{}
	for _, p := range []string{"b/2.json", "b/10.json", "a/x/deep.json", "a/.hidden/h.json", "a/skip/s.json", "a/y.json",
		"c/1.json", "c/2.json", "c/stop/3.json", "c/4.json", "d/z.json", "e/broken/1.json", "e/broken/2.json", "e/broken/3.json", "top.json"} {
		m[p] = &fstest.MapFile{Data: []byte("{}")}
	}
	for _, tc := range []struct {
		name   string
		fsys   fs.FS
		decide func(path string, dir bool) error
	}{
		{"everything, read whole", m, func(string, bool) error { return nil }},
		{"everything, in batches", openOnly{m: m}, func(string, bool) error { return nil }},
		{"a broken folder", openOnly{m: m, broken: map[string]bool{"e/broken": true}}, func(string, bool) error { return nil }},
		{"skip a folder", m, func(p string, dir bool) error {
			if dir && strings.HasSuffix(p, "skip") {
				return fs.SkipDir
			}
			return nil
		}},
		{"skip the rest of a folder from a file", openOnly{m: m}, func(p string, _ bool) error {
			if p == "c/2.json" {
				return fs.SkipDir
			}
			return nil
		}},
		{"stop", m, func(p string, _ bool) error {
			if p == "c/stop" {
				return fs.SkipAll
			}
			return nil
		}},
		{"fail", m, func(p string, _ bool) error {
			if p == "d/z.json" {
				return errors.New("stop here")
			}
			return nil
		}},
		{"missing root", fstest.MapFS{}, func(string, bool) error { return nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := "."
			if tc.name == "missing root" {
				root = "nowhere"
			}
			var want, got []string
			wantErr := fs.WalkDir(tc.fsys, root, func(p string, d fs.DirEntry, err error) error {
				dir := d != nil && d.IsDir()
				want = append(want, fmt.Sprintf("%s dir=%v err=%v", p, dir, err))
				if err != nil {
					return nil
				}
				return tc.decide(p, dir)
			})
			gotErr := walkFiles(tc.fsys, root, func(p string, dir bool, err error) error {
				got = append(got, fmt.Sprintf("%s dir=%v err=%v", p, dir, err))
				if err != nil {
					return nil
				}
				return tc.decide(p, dir)
			})
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("walkFiles visits\n%s\nfs.WalkDir visits\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Errorf("error %v, fs.WalkDir's %v", gotErr, wantErr)
			}
			if len(want) < 2 && tc.name != "missing root" {
				t.Errorf("only %d visits: the fixture no longer exercises the walk", len(want))
			}
		})
	}
}
