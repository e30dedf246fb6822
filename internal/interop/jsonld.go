package interop

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"

	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// ambContextURL is the JSON-LD context of the AMB profile, which OTA's
// published JSON-LD names; its local copy is in the reference material.
const ambContextURL = "https://w3id.org/kim/amb/context.jsonld"

// JSONLDResult is the expansion of one document by [ExpandJSONLD]: the
// expanded form (a list of node objects), or why it could not be expanded.
type JSONLDResult struct {
	Expanded []map[string]any `json:"expanded"`
	Error    string           `json:"error"`
}

// ExpandJSONLD expands JSON-LD documents with the npm jsonld package
// (jsonld.js) in "safe" mode, which fails on any term or value it would
// drop, using jsonld-expand.mjs of this folder. Remote contexts are served
// offline: the AMB profile's context from ../shared/reference/amb, and no
// other (a document naming another remote context does not expand).
// OTA's JSON-LD needs no more, since AMB's context maps every other term to
// schema.org through its "@vocab". One result per document, in order.
//
// The test is skipped under -short and when node, the jsonld package (npm
// ci in internal/interop) or the reference material is missing; under CI a
// missing tool fails it.
func ExpandJSONLD(t testing.TB, docs ...[]byte) []JSONLDResult {
	t.Helper()
	if testing.Short() {
		t.Skip("skipped under -short: the JSON-LD expansion runs Node")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		unavailable(t, "node is not on PATH: the JSON-LD tests need Node.js (apt-get install nodejs npm; see internal/interop/README.md)")
	}
	dir, err := interopDir()
	if err != nil {
		t.Fatalf("interop.ExpandJSONLD: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "jsonld", "package.json")); err != nil {
		unavailable(t, "internal/interop/node_modules/jsonld is absent: run `PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts` in internal/interop")
	}
	ctxFile := Reference(t, "amb/context.jsonld")
	var in bytes.Buffer
	in.WriteByte('[')
	for i, d := range docs {
		if i > 0 {
			in.WriteByte(',')
		}
		in.Write(d)
	}
	in.WriteByte(']')
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(dir, "jsonld-expand.mjs"), "--context", ambContextURL+"="+ctxFile, "-")
	cmd.Dir = dir
	cmd.Stdin = &in
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		t.Fatalf("jsonld-expand.mjs: %v: %s", err, stderr.String())
	}
	var out []JSONLDResult
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil || len(out) != len(docs) {
		t.Fatalf("jsonld-expand.mjs: cannot read its output (%v): %.500s", err, stdout.String())
	}
	return out
}

// ExpandedValues returns the values of property (a full IRI such as
// "http://schema.org/name") of the node objects of an expansion whose @id
// is id ("" for any), flattened: "@value"s and "@id"s as strings, other
// objects as they are.
func ExpandedValues(expanded []map[string]any, id, property string) []any {
	var out []any
	for _, n := range expanded {
		if id != "" && n["@id"] != id {
			continue
		}
		vals, _ := n[property].([]any)
		for _, v := range vals {
			m, ok := v.(map[string]any)
			switch {
			case !ok:
				out = append(out, v)
			case m["@value"] != nil:
				out = append(out, m["@value"])
			case m["@id"] != nil && len(m) == 1:
				out = append(out, m["@id"])
			default:
				out = append(out, m)
			}
		}
	}
	return out
}
