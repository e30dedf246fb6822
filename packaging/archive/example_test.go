package archive_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io/fs"

	"github.com/metaacademy/ota/packaging/archive"
)

// zipOf builds a small archive in memory.
func zipOf(files map[string]string, order ...string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range order {
		w, _ := zw.Create(name)
		_, _ = w.Write([]byte(files[name]))
	}
	_ = zw.Close()
	return buf.Bytes()
}

func ExampleOpen() {
	data := zipOf(map[string]string{
		"course/imsmanifest.xml":   "<manifest/>",
		"course/Shared/Index.html": "<html/>",
		"__MACOSX/course/._x":      "junk",
	}, "course/imsmanifest.xml", "course/Shared/Index.html", "__MACOSX/course/._x")

	a, err := archive.Open(bytes.NewReader(data), int64(len(data)), archive.Limits{})
	if err != nil {
		fmt.Println(err)
		return
	}
	manifest, _ := a.FindFile("imsmanifest.xml")
	fmt.Println("manifest:", manifest)
	page, _ := a.Lookup("course/shared/index.html")
	fmt.Println("page:", page)
	b, _ := fs.ReadFile(a, manifest)
	fmt.Println(string(b))
	fmt.Println("skipped:", a.Skipped()[0].Name)
	// Output:
	// manifest: course/imsmanifest.xml
	// page: course/Shared/Index.html
	// <manifest/>
	// skipped: __MACOSX/course/._x
}

func ExampleCheckError() {
	data := zipOf(map[string]string{"../../etc/cron.d/x": "evil", "a.html": "a", "A.HTML": "b"},
		"../../etc/cron.d/x", "a.html", "A.HTML")

	_, err := archive.Open(bytes.NewReader(data), int64(len(data)), archive.Limits{})
	fmt.Println(errors.Is(err, archive.ErrPathEscape), errors.Is(err, archive.ErrCaseCollision))
	var ce *archive.CheckError
	if errors.As(err, &ce) {
		for _, p := range ce.Problems {
			fmt.Println(p.Index, p.Name)
		}
	}
	fmt.Println(err)
	// Output:
	// true true
	// 0 ../../etc/cron.d/x
	// 2 A.HTML
	// archive: rejected: 2 problems
	// archive: entry 0 "../../etc/cron.d/x": path leaves the root: ".." segment
	// archive: entry 2 "A.HTML": names differ only in case: "A.HTML" and "a.html" (from entry 1) are one name on case-insensitive file systems
}
