package bundle_test

import (
	"bytes"
	"context"
	"fmt"
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
	if err := bundle.Sign(ctx, &signed, bytes.NewReader(buf.Bytes()), int64(buf.Len()), priv, bundle.ReadOptions{}); err != nil {
		panic(err)
	}

	b, err := bundle.Open(bytes.NewReader(signed.Bytes()), int64(signed.Len()), bundle.ReadOptions{})
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
