package publish_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/metaacademy/ota/platform/publish"
)

func ExamplePublishDir() {
	out, err := os.MkdirTemp("", "site")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(out)
	res, err := publish.PublishDir(context.Background(), "testdata/catalogue", out, publish.Options{BaseURL: "https://training.example.org/"})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d pages of %d asset trees\n", res.Pages, res.Trees)
	_ = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(out, p)
			fmt.Println(filepath.ToSlash(rel))
		}
		return err
	})
	// Output:
	// 4 pages of 2 asset trees
	// assets/adjust-f8c5f053.html
	// assets/decompose-7da78004.html
	// assets/serie-storiche-bd206525.html
	// assets/time-series-f7b36f43.html
	// coverage/digcomp.svg
	// coverage/gsbpm.svg
	// downloads/serie-storiche-bd206525.ota
	// downloads/time-series-f7b36f43.cmi5.zip
	// downloads/time-series-f7b36f43.ota
	// downloads/time-series-f7b36f43.scorm12.zip
	// downloads/time-series-f7b36f43.scorm2004.zip
	// feed.json
	// index.html
	// sitemap.xml
	// style.css
}
