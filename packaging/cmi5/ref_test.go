package cmi5

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/metaacademy/ota/asset"
)

// TestReferenceCourses imports every course structure of the reference
// material and checks its block, AU and objective counts (counted from the
// files by hand) and that it has no error issue.
func TestReferenceCourses(t *testing.T) {
	ref := referenceDir(t)
	tests := []struct {
		file              string
		blocks, aus, objs int
		topItems          int
	}{
		{"spec-examples/complex-cmi5.xml", 6, 14, 4, 4},
		{"spec-examples/extended-cmi5.xml", 0, 1, 0, 1},
		{"spec-examples/simple-cmi5.xml", 0, 1, 0, 1},
		{"catapult-course-examples/masteryscore_framed.cmi5.xml", 0, 1, 0, 1},
		{"catapult-course-examples/masteryscore_responsive.cmi5.xml", 0, 1, 0, 1},
		{"catapult-course-examples/multi_au_framed.cmi5.xml", 0, 8, 0, 8},
		{"catapult-course-examples/pre_post_test_framed.cmi5.xml", 2, 6, 0, 2},
		{"catapult-course-examples/single_au_basic_framed.cmi5.xml", 0, 1, 0, 1},
		{"catapult-course-examples/single_au_basic_responsive.cmi5.xml", 0, 1, 0, 1},
		{"catapult-lts/001-essentials.cmi5.xml", 1, 1, 0, 1},
		{"catapult-lts/002-allowed.cmi5.xml", 0, 1, 0, 1},
		{"catapult-lts/003-launchMethod-OwnWindow.cmi5.xml", 0, 1, 0, 1},
		{"catapult-lts/004-1-moveOn-Completed.cmi5.xml", 1, 1, 0, 1},
		{"catapult-lts/004-2-moveOn-CompletedOrPassed.cmi5.xml", 1, 1, 0, 1},
		{"catapult-lts/004-3-moveOn-Passed.cmi5.xml", 1, 1, 0, 1},
		{"catapult-lts/004-4-moveOn-CompletedOrPassed.cmi5.xml", 1, 1, 0, 1},
		{"catapult-lts/004-5-moveOn-NotApplicable.cmi5.xml", 1, 1, 0, 1},
		{"catapult-lts/005-1-invalid-au.cmi5.xml", 0, 1, 0, 1},
		{"catapult-lts/005-2-invalid-au.cmi5.xml", 0, 1, 0, 1},
		{"catapult-lts/006-launchMode.cmi5.xml", 0, 1, 0, 1},
		{"catapult-lts/007-1-multi-session.cmi5.xml", 0, 1, 0, 1},
		{"catapult-lts/007-2-multi-session.cmi5.xml", 0, 1, 0, 1},
		{"catapult-lts/008-1-abandoned.cmi5.xml", 0, 1, 0, 1},
		{"catapult-lts/009-1-waived.cmi5.xml", 0, 1, 0, 1},
	}
	// Every .xml course structure in the reference folder must be listed.
	listed := map[string]bool{}
	for _, tt := range tests {
		listed[tt.file] = true
	}
	for _, glob := range []string{"spec-examples/*cmi5.xml", "catapult-course-examples/*.xml", "catapult-lts/*.xml"} {
		files, err := filepath.Glob(filepath.Join(ref, glob))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			rel, _ := filepath.Rel(ref, f)
			if !listed[filepath.ToSlash(rel)] {
				t.Errorf("%s is not in the table; count its blocks and AUs and add it", rel)
			}
		}
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c, rep, err := openCourse(filepath.Join(ref, filepath.FromSlash(tt.file)), Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, is := range rep.Errors() {
				t.Errorf("unexpected error issue: %v", is)
			}
			if got := len(c.Blocks()); got != tt.blocks {
				t.Errorf("blocks = %d, want %d", got, tt.blocks)
			}
			if got := len(c.AUs()); got != tt.aus {
				t.Errorf("AUs = %d, want %d", got, tt.aus)
			}
			if got := len(c.Objectives); got != tt.objs {
				t.Errorf("objectives = %d, want %d", got, tt.objs)
			}
			if got := len(c.Items); got != tt.topItems {
				t.Errorf("top-level items = %d, want %d", got, tt.topItems)
			}
			a, _ := c.Asset()
			modules, lessons := countKinds(a)
			if modules != tt.blocks || lessons != tt.aus {
				t.Errorf("asset has %d modules and %d lessons/assessments, want %d and %d", modules, lessons, tt.blocks, tt.aus)
			}
			for _, is := range asset.Check(a, asset.CheckOptions{}).Errors() {
				t.Errorf("asset check: %v", is)
			}
		})
	}
}

func countKinds(a *asset.Asset) (modules, lessons int) {
	for i := range a.Parts {
		p := &a.Parts[i]
		switch p.Kind {
		case asset.KindModule:
			modules++
		case asset.KindLesson, asset.KindAssessment:
			lessons++
		}
		m, l := countKinds(p)
		modules += m
		lessons += l
	}
	return modules, lessons
}

// TestReferenceDeterministic checks that importing twice gives the same
// IDs.
func TestReferenceDeterministic(t *testing.T) {
	ref := referenceDir(t)
	name := filepath.Join(ref, "spec-examples", "complex-cmi5.xml")
	if _, err := os.Stat(name); err != nil {
		t.Skip("skipping: complex-cmi5.xml absent")
	}
	ids := func() []string {
		c, _, err := openCourse(name, Options{})
		if err != nil {
			t.Fatal(err)
		}
		a, _ := c.Asset()
		var out []string
		var rec func(*asset.Asset)
		rec = func(x *asset.Asset) {
			out = append(out, x.ID)
			for i := range x.Parts {
				rec(&x.Parts[i])
			}
		}
		rec(a)
		return out
	}
	a, b := ids(), ids()
	if len(a) != 21 {
		t.Fatalf("got %d assets, want 21 (course, 6 blocks, 14 AUs)", len(a))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("ID %d differs between imports: %s vs %s", i, a[i], b[i])
		}
	}
}
