package cli_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Shapes of fuzz input: how FuzzCommand turns the bytes into a file.
const (
	asFile     = iota // the bytes are the file (a zip, a document…)
	asManifest        // imsmanifest.xml of a SCORM zip
	asCourse          // cmi5.xml of a cmi5 zip
	asAsset           // the asset document of an OTA bundle
	asDocument        // an OTA document beside a file it may name
	shapes
)

// fuzzFile writes the fuzz input as a file of the given shape in dir and
// returns its path.
func fuzzFile(t *testing.T, dir string, shape uint8, data []byte) string {
	t.Helper()
	zipOf := func(name string, entries ...[2]string) string {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for i, e := range entries {
			h := &zip.FileHeader{Name: e[0], Method: zip.Deflate}
			if i == 0 && e[0] == "mimetype" {
				h.Method = zip.Store
			}
			w, err := zw.CreateHeader(h)
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte(e[1]))
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	page := [2]string{"index.html", "<!doctype html><title>x</title>"}
	switch shape % shapes {
	case asManifest:
		return zipOf("p.zip", [2]string{"imsmanifest.xml", string(data)}, page)
	case asCourse:
		return zipOf("c.zip", [2]string{"cmi5.xml", string(data)}, page)
	case asAsset:
		sum := sha256.Sum256(data)
		manifest := fmt.Sprintf(`{"format":"1.0","assets":[{"path":"assets/0001.ota.json"}],"files":[{"path":"assets/0001.ota.json","size":%d,"mediaType":"application/vnd.ota+json","sha256":%q}]}`,
			len(data), hex.EncodeToString(sum[:]))
		return zipOf("b.ota", [2]string{"mimetype", "application/vnd.ota.bundle+zip"},
			[2]string{"assets/0001.ota.json", string(data)}, [2]string{"manifest.json", manifest})
	case asDocument:
		if err := os.WriteFile(filepath.Join(dir, page[0]), []byte(page[1]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(dir, "input")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// FuzzCommand runs the command's whole path — detection, opening,
// conversion into the model, asset.Check, and writing every output
// format — on fuzzed packages and documents. Nothing may panic, and every
// run ends with an exit code of the contract.
func FuzzCommand(f *testing.F) {
	for _, s := range []struct {
		shape uint8
		data  string
	}{
		{asManifest, `<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"><organizations/><resources><resource identifier="r" type="webcontent" href="index.html"><file href="index.html"/></resource></resources></manifest>`},
		{asManifest, `<manifest identifier="m" xmlns="urn:wrong"><organizations default="o"><organization identifier="o"><title>t</title><item identifier="i" identifierref="r"><title>x</title></item></organization></organizations><resources><resource identifier="r" type="webcontent" href="index.html"/></resources></manifest>`},
		{asManifest, `<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"><organizations default="o"><organization identifier="o"><title>t</title><item identifier="i" identifierref="r"><title>x</title></item></organization></organizations><resources><resource identifier="r" type="webcontent" adlcp:scormtype="sco" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2" href="index.html"><file href="index.html"/><file href="imsmanifest.xml"/></resource></resources></manifest>`},
		{asCourse, `<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"><course id="https://e.org/c"><title><langstring lang="en">C</langstring></title><description><langstring lang="en">d</langstring></description></course><au id="https://e.org/a"><title><langstring lang="en">A</langstring></title><description><langstring lang="en">d</langstring></description><url>index.html</url></au></courseStructure>`},
		{asAsset, `{"ota":"1.0","id":"urn:x:c","kind":"course","title":{"en":"C"},"license":"CC-BY-4.0","parts":[{"id":"urn:x:p","kind":"lesson","title":{"en":"P"}}]}`},
		{asDocument, `{"ota":"1.0","id":"urn:x:c","kind":"course","title":{"en":"C"},"license":"CC-BY-4.0","resources":[{"path":"index.html","mediaType":"text/html","role":"launch"}]}`},
		{asDocument, `{"CFDocument":{"identifier":"11111111-1111-4111-8111-111111111111","uri":"https://e.org/d","title":"F","creator":"E","lastChangeDateTime":"2024-01-01T00:00:00+00:00"},"CFItems":[]}`},
		{asFile, "PK\x05\x06" + strings.Repeat("\x00", 18)},
	} {
		for c := range uint8(7) {
			f.Add(s.shape+c*shapes, []byte(s.data))
		}
	}
	f.Fuzz(func(t *testing.T, shape uint8, data []byte) {
		dir := t.TempDir()
		in := fuzzFile(t, dir, shape, data)
		// validate, and one more command chosen by the high bits of
		// shape, keep each input cheap enough to fuzz.
		more := [][]string{
			{"inspect", in},
			{"inspect", "--format", "json", in},
			{"validate", "--format", "json", in},
			{"convert", in, filepath.Join(dir, "out.json")},
			{"convert", in, filepath.Join(dir, "out.ota")},
			{"convert", in, filepath.Join(dir, "out12.zip"), "--to", "scorm12"},
			{"convert", in, filepath.Join(dir, "out2004.zip"), "--to", "scorm2004-4"},
			{"convert", in, filepath.Join(dir, "outcmi5.zip"), "--to", "cmi5"},
		}
		for _, args := range [][]string{{"validate", in}, more[int(shape/shapes)%len(more)]} {
			r := run(t, nil, args...) // fails the test on a recovered panic
			if r.code < 0 || r.code > 2 {
				t.Fatalf("exit code %d outside the contract\n%s", r.code, r)
			}
			if r.code == 2 && strings.TrimSpace(r.stdout+r.stderr) == "" {
				t.Fatalf("exit 2 without a message: ota %s", strings.Join(args, " "))
			}
			if args[0] == "validate" && args[1] == "--format" && !json.Valid([]byte(r.stdout)) {
				t.Fatalf("ota %s wrote no JSON value:\n%s", strings.Join(args, " "), r.stdout)
			}
		}
	})
}
