package asset

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/metaacademy/ota"
	docschema "github.com/metaacademy/ota/docs/schema"
)

// The published schema is checked with an independent validator,
// github.com/santhosh-tekuri/jsonschema, against every example the project
// ships.

var (
	schemaTestOnce     sync.Once
	schemaTestCompiled *jsonschema.Schema
	schemaTestErr      error
)

// schemaTestSchema compiles the committed schema, docs/schema/asset.schema.json.
func schemaTestSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	schemaTestOnce.Do(func() {
		b, ok := docschema.Get("asset")
		if !ok {
			schemaTestErr = errors.New(`docs/schema has no "asset" schema`)
			return
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			schemaTestErr = fmt.Errorf("parsing docs/schema/asset.schema.json: %w", err)
			return
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		if err := c.AddResource(SchemaURI, doc); err != nil {
			schemaTestErr = err
			return
		}
		schemaTestCompiled, schemaTestErr = c.Compile(SchemaURI)
	})
	if schemaTestErr != nil {
		t.Fatalf("compiling the asset schema: %v", schemaTestErr)
	}
	return schemaTestCompiled
}

// schemaTestValidate validates a JSON text against the schema. It returns
// an error when the text is not JSON at all.
func schemaTestValidate(t *testing.T, data []byte) (valid bool, detail string, err error) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return false, "", err
	}
	if verr := schemaTestSchema(t).Validate(inst); verr != nil {
		return false, verr.Error(), nil
	}
	return true, "", nil
}

func TestSchemaValidatesFixtures(t *testing.T) {
	schemaTestSchema(t)
	t.Run("docs", func(t *testing.T) {
		err := filepath.WalkDir("../docs", func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && filepath.Clean(path) == filepath.Join("..", "docs", "schema") {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".json") {
				return nil
			}
			t.Run(filepath.ToSlash(path), func(t *testing.T) { schemaTestWantValid(t, path, true) })
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	for _, dir := range []string{"valid", "golden"} {
		t.Run(dir, func(t *testing.T) {
			files, err := filepath.Glob(filepath.Join("testdata", dir, "*.ota.json"))
			if err != nil {
				t.Fatal(err)
			}
			if len(files) == 0 {
				t.Logf("no testdata/%s/*.ota.json files yet", dir)
			}
			for _, f := range files {
				t.Run(filepath.Base(f), func(t *testing.T) { schemaTestWantValid(t, f, false) })
			}
		})
	}
	t.Run("invalid", schemaTestInvalidFixtures)
}

// schemaTestWantValid checks that the file at path passes the schema. With
// others set, a file that names another schema in "$schema" is skipped:
// docs/ may hold examples of other formats.
func schemaTestWantValid(t *testing.T, path string, others bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if others {
		var head struct {
			Schema string `json:"$schema"`
		}
		if json.Unmarshal(data, &head) == nil && head.Schema != "" && head.Schema != SchemaURI {
			t.Skipf("names the schema %s, not the OTA asset schema", head.Schema)
		}
	}
	ok, detail, err := schemaTestValidate(t, data)
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if !ok {
		t.Errorf("the schema rejects it:\n%s", detail)
	}
}

// schemaTestExpectation is one line of testdata/invalid/expect.tsv.
type schemaTestExpectation struct {
	line                          int
	file, code, pointer, severity string
	schema                        bool
}

// schemaTestReadExpect reads expect.tsv: FILE CODE POINTER SEVERITY SCHEMA,
// tab-separated, with '#' comments and blank lines.
func schemaTestReadExpect(path string) ([]schemaTestExpectation, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []schemaTestExpectation
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 5 {
			return nil, fmt.Errorf("%s:%d: %d tab-separated columns, want 5 (FILE CODE POINTER SEVERITY SCHEMA)", path, n, len(cols))
		}
		e := schemaTestExpectation{line: n, file: cols[0], code: cols[1], pointer: cols[2], severity: cols[3]}
		switch strings.TrimSpace(cols[4]) {
		case "yes":
			e.schema = true
		case "no":
		default:
			return nil, fmt.Errorf("%s:%d: SCHEMA column is %q, want yes or no", path, n, cols[4])
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

func schemaTestInvalidFixtures(t *testing.T) {
	dir := filepath.Join("testdata", "invalid")
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		t.Skip("testdata/invalid does not exist yet; nothing to check")
	}
	exps, err := schemaTestReadExpect(filepath.Join(dir, "expect.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	// A file may have several lines; it must be rejected if any says yes.
	var files []string
	yes := map[string][]int{}
	for _, e := range exps {
		if _, seen := yes[e.file]; !seen {
			files = append(files, e.file)
			yes[e.file] = nil
		}
		if e.schema {
			yes[e.file] = append(yes[e.file], e.line)
		}
	}
	for _, name := range files {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			ok, _, err := schemaTestValidate(t, data)
			switch {
			case len(yes[name]) == 0:
				// Not asserted: the schema may or may not see the problem.
				t.Logf("not asserted; the schema accepts it: %v", ok)
			case err != nil:
				t.Logf("not JSON, so no schema accepts it: %v", err)
			case ok:
				t.Errorf("expect.tsv lines %v say the schema rejects %s, but it passes", yes[name], name)
			}
		})
	}
}

// TestSpecExamples checks the JSON examples of docs/spec/asset.md. Each
// ```json block is preceded by a marker comment:
//
//	<!-- example: valid -->                  Read with Validate finds no error, and the schema accepts it
//	<!-- example: invalid CODE POINTER -->   Read with Validate reports CODE at POINTER ("/" is the root)
//	<!-- example: fragment -->               well-formed JSON only
func TestSpecExamples(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "docs", "spec", "asset.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := schemaTestSpecBlocks(string(src))
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, b := range blocks {
		counts[b.kind]++
		t.Run(fmt.Sprintf("line-%d-%s", b.line, b.kind), func(t *testing.T) {
			data := []byte(b.text)
			if !json.Valid(data) {
				t.Fatalf("docs/spec/asset.md:%d: the example is not well-formed JSON", b.line)
			}
			switch b.kind {
			case "fragment":
				return
			case "valid":
				_, rep, err := Read(bytes.NewReader(data), ReadOptions{Validate: true})
				if err != nil {
					t.Fatalf("docs/spec/asset.md:%d: %v", b.line, err)
				}
				for _, is := range rep.Errors() {
					t.Errorf("docs/spec/asset.md:%d: %v", b.line, is)
				}
				ok, detail, err := schemaTestValidate(t, data)
				if err != nil || !ok {
					t.Errorf("docs/spec/asset.md:%d: the schema rejects the example: %v%s", b.line, err, detail)
				}
			case "invalid":
				_, rep, err := Read(bytes.NewReader(data), ReadOptions{Validate: true})
				if err != nil {
					t.Fatalf("docs/spec/asset.md:%d: %v", b.line, err)
				}
				ptr := b.pointer
				if ptr == "/" {
					ptr = ""
				}
				found := slices.ContainsFunc(rep.Issues, func(is ota.Issue) bool { return is.Code == b.code && is.Pointer == ptr })
				if !found {
					t.Errorf("docs/spec/asset.md:%d: want %s at %s; got %v", b.line, b.code, b.pointer, rep.Issues)
				}
			}
		})
	}
	for _, kind := range []string{"valid", "invalid"} {
		if counts[kind] == 0 {
			t.Errorf("docs/spec/asset.md has no %s example", kind)
		}
	}
}

type schemaTestSpecBlock struct {
	line                int // of the opening fence
	kind, code, pointer string
	text                string
}

var schemaTestMarker = regexp.MustCompile(`^<!--\s*example:\s*(.*?)\s*-->$`)

// schemaTestSpecBlocks extracts the ```json blocks of a Markdown text with
// their markers.
func schemaTestSpecBlocks(md string) ([]schemaTestSpecBlock, error) {
	lines := strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n")
	var out []schemaTestSpecBlock
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "```json" {
			continue
		}
		b := schemaTestSpecBlock{line: i + 1}
		marker := ""
		for j := i - 1; j >= 0; j-- {
			if s := strings.TrimSpace(lines[j]); s != "" {
				marker = s
				break
			}
		}
		m := schemaTestMarker.FindStringSubmatch(marker)
		if m == nil {
			return nil, fmt.Errorf("docs/spec/asset.md:%d: a ```json block needs a marker before it: <!-- example: valid -->, <!-- example: invalid CODE POINTER --> or <!-- example: fragment -->", i+1)
		}
		f := strings.Fields(m[1])
		switch {
		case len(f) == 1 && (f[0] == "valid" || f[0] == "fragment"):
			b.kind = f[0]
		case len(f) == 3 && f[0] == "invalid":
			b.kind, b.code, b.pointer = f[0], f[1], f[2]
		default:
			return nil, fmt.Errorf("docs/spec/asset.md:%d: bad example marker %q", i+1, marker)
		}
		var text []string
		closed := false
		for i++; i < len(lines); i++ {
			if strings.TrimSpace(lines[i]) == "```" {
				closed = true
				break
			}
			text = append(text, lines[i])
		}
		if !closed {
			return nil, fmt.Errorf("docs/spec/asset.md:%d: the ```json block is not closed", b.line)
		}
		b.text = strings.Join(text, "\n")
		out = append(out, b)
	}
	return out, nil
}

// schemaTestDoc returns a valid document with the members of extra (a JSON
// object) added or replacing those of the base document.
func schemaTestDoc(t *testing.T, extra string) []byte {
	t.Helper()
	m := map[string]any{
		"ota":     "1.0",
		"id":      "urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
		"kind":    "course",
		"title":   map[string]any{"en": "Sampling"},
		"license": "CC-BY-4.0",
	}
	if err := json.Unmarshal([]byte("{"+extra+"}"), &m); err != nil {
		t.Fatalf("bad test case %s: %v", extra, err)
	}
	for k, v := range m {
		if v == nil {
			delete(m, k)
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSchemaAgreesWithCheck compares the schema with Check member by
// member. Where they disagree the case says so: schema:false, check:true
// marks a value Check lets through that the format forbids (see the
// comment of the case), and schema:true, check:false a rule a schema cannot
// express.
func TestSchemaAgreesWithCheck(t *testing.T) {
	long := strings.Repeat("a", 64)
	cases := []struct {
		name          string
		extra         string
		schema, check bool
	}{
		{"base", ``, true, true},
		{"ota/1.1", `"ota": "1.1"`, true, true},
		{"ota/01.0", `"ota": "01.0"`, false, false},
		{"ota/1", `"ota": "1"`, false, false},
		{"ota/missing", `"ota": null`, false, false},
		{"id/missing", `"id": null`, false, false},
		{"id/empty", `"id": ""`, false, false},
		{"id/relative", `"id": "course-1"`, false, false},
		{"id/space", `"id": "https://example.org/a b"`, false, false},
		{"id/percent", `"id": "https://example.org/%zz"`, false, false},
		{"id/percent-ok", `"id": "https://example.org/caf%C3%A9"`, true, true},
		{"id/unicode", `"id": "https://example.org/été"`, true, true},
		{"id/urn-uuid-bad", `"id": "urn:uuid:1234"`, false, false},
		{"id/urn-uuid-upper", `"id": "URN:UUID:6BA7B810-9DAD-11D1-80B4-00C04FD430C8"`, true, true},
		{"id/http-no-host", `"id": "https:///x"`, false, false},
		{"id/http-port-only", `"id": "http://user@:80/x"`, false, false},
		{"id/http-userinfo", `"id": "https://user@example.org:8080/x"`, true, true},
		{"id/tag", `"id": "tag:example.org,2024:course-1"`, true, true},
		{"id/scheme-only", `"id": "urn:"`, false, false},
		{"kind/unknown", `"kind": "chapter"`, false, false},
		{"kind/missing", `"kind": null`, false, false},
		{"title/empty", `"title": {}`, false, false},
		{"title/missing", `"title": null`, false, false},
		{"title/bad-tag", `"title": {"en_GB": "Sampling"}`, false, false},
		{"description/blank", `"description": {"en": " "}`, false, false},
		{"keywords/blank", `"keywords": {"en": ["sampling", ""]}`, false, false},
		// An empty language map or keyword list has no meaning; Check lets
		// it through and writers drop it.
		{"description/empty", `"description": {}`, false, false},
		{"keywords/empty-list", `"keywords": {"en": []}`, false, false},
		{"version/ok", `"version": "1.2.3-rc.1+build.5"`, true, true},
		{"version/two-parts", `"version": "1.2"`, false, false},
		{"version/leading-zero", `"version": "1.02.3"`, false, false},
		{"version/pre-leading-zero", `"version": "1.2.3-01"`, false, false},
		{"version/pre-alnum-zero", `"version": "1.2.3-0a"`, true, true},
		{"version/empty-pre", `"version": "1.2.3-"`, false, false},
		// Writers leave out members without a value; Check treats an
		// empty string as absent.
		{"version/empty", `"version": ""`, false, false},
		{"languages/ok", `"languages": ["en", "fr-CA", "zh-Hant"]`, true, true},
		{"languages/underscore", `"languages": ["en_US"]`, false, false},
		// The pattern is only the shape of a tag; the registry is Check's.
		{"languages/unknown", `"languages": ["xx-QQQ"]`, true, false},
		// Duplicates are a warning.
		{"languages/duplicate", `"languages": ["en", "EN"]`, true, true},
		{"license/empty-root", `"license": ""`, false, false},
		{"license/blank", `"license": " "`, false, false},
		{"license/not-spdx", `"license": "Public domain"`, true, false},
		{"level/ok", `"level": "expert"`, true, true},
		{"level/unknown", `"level": "beginner"`, false, false},
		{"deliveryModes/unknown", `"deliveryModes": ["online"]`, false, false},
		{"duration/ok", `"duration": "PT1.5S"`, true, true},
		{"duration/fraction-minutes", `"duration": "PT1.5M"`, false, false},
		{"created/date", `"created": "2024-02-29"`, true, true},
		{"created/not-leap", `"created": "2023-02-29"`, false, false},
		{"created/century", `"created": "1900-02-29"`, false, false},
		{"created/leap-century", `"created": "2000-02-29"`, true, true},
		{"created/april-31", `"created": "2024-04-31"`, false, false},
		{"created/date-time", `"created": "2024-05-01T09:30:00.25+02:00"`, true, true},
		{"created/zulu", `"created": "2024-05-01T23:59:59Z"`, true, true},
		{"created/lower-t", `"created": "2024-05-01t09:30:00Z"`, false, false},
		{"created/no-zone", `"created": "2024-05-01T09:30:00"`, false, false},
		{"created/hour-24", `"created": "2024-05-01T24:00:00Z"`, false, false},
		{"created/leap-second", `"created": "2024-05-01T23:59:60Z"`, false, false},
		// Go's time.Parse accepts these beyond RFC 3339; the format does not.
		{"created/one-digit-hour", `"created": "2024-05-01T9:30:00Z"`, false, false},
		{"created/comma", `"created": "2024-05-01T09:30:00,5Z"`, false, false},
		{"created/offset-24", `"created": "2024-05-01T09:30:00+24:00"`, false, false},
		{"created/slash", `"created": "2024/05/01"`, false, false},
		{"extensions/iri", `"extensions": {"https://example.org/ext/x": {"a": 1}}`, true, true},
		{"extensions/key", `"extensions": {"x-note": 1}`, false, false},
		{"prerequisites/iri", `"prerequisites": ["https://example.org/course/basics"]`, true, true},
		{"prerequisites/relative", `"prerequisites": ["basics"]`, false, false},
		{"prerequisites/empty", `"prerequisites": [""]`, false, false},
		{"contributors/ok", `"contributors": [{"name": "Statistics Norway", "type": "organization", "roles": ["publisher"], "id": "https://ror.org/02e2c7k09", "email": "training@example.org"}]`, true, true},
		{"contributors/blank-name", `"contributors": [{"name": "  "}]`, false, false},
		{"contributors/nbsp-name", `"contributors": [{"name": "\u00a0"}]`, false, false},
		{"contributors/type", `"contributors": [{"name": "A", "type": "team"}]`, false, false},
		{"contributors/role", `"contributors": [{"name": "A", "roles": ["writer"]}]`, false, false},
		{"contributors/email", `"contributors": [{"name": "A", "email": "a@localhost"}]`, false, false},
		{"contributors/email-at", `"contributors": [{"name": "A", "email": "a@b@example.org"}]`, true, true},
		{"contributors/id", `"contributors": [{"name": "A", "id": "0000-0002-1825-0097"}]`, false, false},
		{"objectives/ok", `"objectives": [{"id": "obj-1", "text": {"en": "Draw a sample"}}]`, true, true},
		{"objectives/space-id", `"objectives": [{"id": "obj 1", "text": {"en": "Draw a sample"}}]`, false, false},
		{"objectives/no-text", `"objectives": [{"id": "obj-1"}]`, false, false},
		// Unique objective IDs are a rule across array items.
		{"objectives/duplicate", `"objectives": [{"id": "o", "text": {"en": "A"}}, {"id": "o", "text": {"en": "B"}}]`, true, false},
		{"alignments/key", `"alignments": [{"framework": "gsbpm", "version": "5.1", "code": "5.3"}]`, true, true},
		{"alignments/iri", `"alignments": [{"framework": "https://example.org/fw", "code": "A1", "relation": "assesses"}]`, true, true},
		{"alignments/bad-key", `"alignments": [{"framework": "GSBPM", "code": "5.3"}]`, false, false},
		{"alignments/blank-code", `"alignments": [{"framework": "gsbpm", "code": " "}]`, false, false},
		{"alignments/empty-version", `"alignments": [{"framework": "gsbpm", "version": "", "code": "5.3"}]`, false, false},
		{"alignments/relation", `"alignments": [{"framework": "gsbpm", "code": "5.3", "relation": "covers"}]`, false, false},
		{"resources/ok", `"resources": [{"path": "lessons/01/index.html", "mediaType": "text/html; charset=utf-8", "size": 10, "sha256": "` + strings.Repeat("0a", 32) + `", "role": "launch"}]`, true, true},
		{"resources/absolute", `"resources": [{"path": "/index.html"}]`, false, false},
		{"resources/drive", `"resources": [{"path": "C:/index.html"}]`, false, false},
		{"resources/url", `"resources": [{"path": "https://example.org/index.html"}]`, false, false},
		{"resources/backslash", `"resources": [{"path": "lessons\\index.html"}]`, false, false},
		{"resources/dotdot", `"resources": [{"path": "lessons/../index.html"}]`, false, false},
		{"resources/dot", `"resources": [{"path": "./index.html"}]`, false, false},
		{"resources/dots-in-name", `"resources": [{"path": "a/..b/c..d/..."}]`, true, true},
		{"resources/colon-later", `"resources": [{"path": "a/b:c.txt"}]`, true, true},
		{"resources/trailing-slash", `"resources": [{"path": "lessons/"}]`, false, false},
		{"resources/double-slash", `"resources": [{"path": "lessons//a"}]`, false, false},
		{"resources/query", `"resources": [{"path": "a.html?x=1"}]`, false, false},
		{"resources/space", `"resources": [{"path": "my lesson/a.html"}]`, true, true},
		{"resources/media-type", `"resources": [{"path": "a", "mediaType": "html"}]`, false, false},
		{"resources/media-type-space", `"resources": [{"path": "a", "mediaType": "text /html"}]`, false, false},
		{"resources/size-negative", `"resources": [{"path": "a", "size": -1}]`, false, false},
		{"resources/size-fraction", `"resources": [{"path": "a", "size": 1.5}]`, false, false},
		{"resources/sha-upper", `"resources": [{"path": "a", "sha256": "` + strings.ToUpper(long) + `"}]`, false, false},
		{"resources/sha-short", `"resources": [{"path": "a", "sha256": "abc"}]`, false, false},
		{"resources/role", `"resources": [{"path": "a", "role": "main"}]`, false, false},
		// Duplicate paths are a warning.
		{"resources/duplicate", `"resources": [{"path": "a"}, {"path": "a"}]`, true, true},
		{"relations/ok", `"relations": [{"type": "isTranslationOf", "target": "https://example.org/course/en"}]`, true, true},
		{"relations/type", `"relations": [{"type": "translates", "target": "https://example.org/x"}]`, false, false},
		{"relations/target", `"relations": [{"type": "isBasedOn", "target": "other-course"}]`, false, false},
		// Unknown members are kept, with a warning.
		{"unknown-member", `"colour": "blue"`, true, true},
		// A prerequisite that names the asset itself needs the tree.
		{"prerequisites/self", `"prerequisites": ["urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8"]`, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := schemaTestDoc(t, c.extra)
			ok, detail, err := schemaTestValidate(t, data)
			if err != nil {
				t.Fatal(err)
			}
			if ok != c.schema {
				t.Errorf("schema accepts %s: %v, want %v\n%s", data, ok, c.schema, detail)
			}
			_, rep, err := Unmarshal(data, ReadOptions{Validate: true})
			checkOK := err == nil && !rep.HasErrors()
			if checkOK != c.check {
				t.Errorf("Check accepts %s: %v, want %v (%v %v)", data, checkOK, c.check, err, rep.Errors())
			}
		})
	}
}

// TestSpecIssueCodes checks that the table of issue codes in
// docs/spec/asset.md lists exactly the codes check.go and decode.go report,
// with their default severities.
func TestSpecIssueCodes(t *testing.T) {
	src := map[string]string{} // code -> severity ("" when not in the same call)
	codeRe := regexp.MustCompile(`^asset\.[a-z0-9-]+\.[a-z0-9-]+$`)
	for _, file := range []string{"check.go", "check_cycles.go", "decode.go", "decode_parts.go"} {
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				code, sev := "", ""
				for _, a := range n.Args {
					switch a := a.(type) {
					case *ast.BasicLit:
						if v, err := strconv.Unquote(a.Value); err == nil && a.Kind == token.STRING && codeRe.MatchString(v) {
							code = v
						}
					case *ast.SelectorExpr:
						if x, ok := a.X.(*ast.Ident); ok && x.Name == "ota" && (a.Sel.Name == "Error" || a.Sel.Name == "Warning") {
							sev = strings.ToLower(a.Sel.Name)
						}
					}
				}
				if code != "" && sev != "" {
					src[code] = sev
				}
			case *ast.BasicLit:
				if v, err := strconv.Unquote(n.Value); err == nil && n.Kind == token.STRING && codeRe.MatchString(v) {
					if _, ok := src[v]; !ok {
						src[v] = ""
					}
				}
			}
			return true
		})
	}
	md, err := os.ReadFile(filepath.Join("..", "docs", "spec", "asset.md"))
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `(asset\\.[a-z0-9.-]+)` \\| (error|warning) \\|")
	spec := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(string(md), -1) {
		if _, dup := spec[m[1]]; dup {
			t.Errorf("docs/spec/asset.md lists %s twice", m[1])
		}
		spec[m[1]] = m[2]
	}
	for code, sev := range src {
		switch got, ok := spec[code]; {
		case !ok:
			t.Errorf("%s is reported by the code but missing from the table in docs/spec/asset.md", code)
		case sev != "" && got != sev:
			t.Errorf("%s: the table says %s, the code reports %s", code, got, sev)
		}
	}
	for code := range spec {
		if _, ok := src[code]; !ok {
			t.Errorf("docs/spec/asset.md lists %s, which neither check*.go nor decode*.go reports", code)
		}
	}
}

// TestSpecDeriveIDExample checks the worked example of section 8 of the
// specification.
func TestSpecDeriveIDExample(t *testing.T) {
	md, err := os.ReadFile(filepath.Join("..", "docs", "spec", "asset.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"`5:scorm;20:com.example.sampling;6:item-1;`",
		"`" + DeriveID("scorm", "com.example.sampling", "item-1") + "`",
		"`" + Namespace.String() + "`",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("docs/spec/asset.md does not contain %s", want)
		}
	}
}

// schemaPattern returns the string at path below the definition def of the
// published schema, docs/schema/asset.schema.json; it panics when there is
// none, as the schema is part of the build.
func schemaPattern(def string, path ...string) string {
	b, ok := docschema.Get("asset")
	if !ok {
		panic(`docs/schema has no "asset" schema`)
	}
	var s struct {
		Defs map[string]any `json:"$defs"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		panic(err)
	}
	v := s.Defs[def]
	for _, p := range path {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	str, ok := v.(string)
	if !ok {
		panic(fmt.Sprintf("the schema has no string at $defs/%s/%s", def, strings.Join(path, "/")))
	}
	return str
}
