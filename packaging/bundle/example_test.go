package bundle_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"testing/fstest"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/bundle"
)

// Example writes a bundle of one lesson and its page, reads it back,
// verifies it, signs it and checks the signature.
func Example() {
	ctx := context.Background()
	doc := asset.NewDocument(asset.Asset{
		ID:        "urn:uuid:6b1e6d0e-7a43-4a8a-9d0f-1c2a3b4c5d6e",
		Kind:      "lesson",
		Title:     asset.LangString{"en": "Seasonal adjustment"},
		Resources: []asset.Resource{{Path: "index.html", Role: asset.RoleLaunch}},
	})
	files := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>Seasonal adjustment</title>")}}

	var buf bytes.Buffer
	w := bundle.NewWriter(&buf, bundle.WriterOptions{})
	if err := w.AddAsset(doc); err != nil {
		panic(err)
	}
	if err := w.AddFS(ctx, files); err != nil {
		panic(err)
	}
	if err := w.Close(); err != nil {
		panic(err)
	}

	pub, priv, err := bundle.GenerateKey()
	if err != nil {
		panic(err)
	}
	var signed bytes.Buffer
	if err := bundle.Sign(ctx, &signed, bytes.NewReader(buf.Bytes()), int64(buf.Len()), priv, bundle.Options{}); err != nil {
		panic(err)
	}

	b, _, err := bundle.Open(bytes.NewReader(signed.Bytes()), int64(signed.Len()), bundle.Options{})
	if err != nil {
		panic(err)
	}
	for _, f := range b.Manifest().Files {
		fmt.Println(f.Path, f.Size, f.MediaType)
	}
	fmt.Println("title:", b.Assets()[0].Asset.Title["en"])
	fmt.Println("issues:", len(b.Verify(ctx).Issues))
	fmt.Println("signature:", b.VerifySignature(pub))
	// Output:
	// assets/0001.ota.json 231 application/vnd.ota.asset+json
	// content/index.html 49 text/html
	// title: Seasonal adjustment
	// issues: 0
	// signature: <nil>
}

// ExampleOpenFS reads an unpacked bundle: here the entries of a bundle
// that Export wrote, seen through archive/zip as a file system, as an
// unpacked folder (os.DirFS) would be.
func ExampleOpenFS() {
	course := &asset.Asset{
		ID:        "urn:uuid:0c6f3b1e-2d4a-4e8b-9f1a-7b2c3d4e5f60",
		Kind:      asset.KindLesson,
		Title:     asset.LangString{"en": "Sampling frames"},
		Resources: []asset.Resource{{Path: "frames.html", Role: asset.RoleLaunch}},
	}
	content := fstest.MapFS{"frames.html": {Data: []byte("<!doctype html><title>Sampling frames</title>")}}
	var buf bytes.Buffer
	if _, err := bundle.Export(&buf, course, content, bundle.ExportOptions{}); err != nil {
		fmt.Println(err)
		return
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		fmt.Println(err)
		return
	}
	b, report, err := bundle.OpenFS(zr, bundle.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()
	fmt.Println(b.Asset().Title["en"], len(report.Issues))
	page, _ := fs.ReadFile(b.Content(), "frames.html")
	fmt.Println(string(page))
	fmt.Println("verify:", len(b.Verify(context.Background()).Issues), "issues")
	// Output:
	// Sampling frames 0
	// <!doctype html><title>Sampling frames</title>
	// verify: 0 issues
}
