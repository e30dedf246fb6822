package xapi

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/metaacademy/ota"
)

// trickyStatements are inputs that exercise what the single-pass
// validator has to get right beyond the corpora: an objectType that comes
// after the members it decides about, a context read before the object
// it depends on, escapes in keys and values, duplicate keys that only
// decoding reveals, nesting at the limit, and broken JSON after issues.
var trickyStatements = []string{
	// objectType after the members.
	`{"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},"object":{"id":"6f1e0c3e-9b7d-4c1a-8e2f-3a5b7c9d1e0f","objectType":"StatementRef"}}`,
	`{"actor":{"member":[{"mbox":"mailto:a@example.org"}],"objectType":"Group"},"verb":{"id":"http://x.org/v"},"object":{"id":"http://x.org/a"}}`,
	`{"actor":{"member":[{"mbox":"mailto:a@example.org","objectType":"Group"}],"objectType":"group"},"verb":{"id":"http://x.org/v"},"object":{"id":"http://x.org/a"}}`,
	`{"actor":{"member":[],"name":3,"objectType":"Group"},"verb":{"id":"http://x.org/v"},"object":{"id":"http://x.org/a"}}`,
	`{"actor":{"mbox":"mailto:a@example.org","objectType":"agent"},"verb":{"id":"http://x.org/v"},"object":{"mbox":"mailto:b@example.org","name":1,"objectType":"Agent"}}`,
	`{"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://x.org/v"},"object":{"actor":{"mbox":"mailto:b@example.org"},"verb":{"id":"http://x.org/v"},"object":{"id":"http://x.org/a"},"objectType":"SubStatement","id":"x"}}`,
	`{"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://x.org/v"},"object":{"objectType":"substatement","actor":{"mbox":"mailto:b@example.org"},"verb":{"id":"http://x.org/v"},"object":{"objectType":"SubStatement"}}}`,
	`{"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://x.org/v"},"object":{"id":"http://x.org/a","definition":{"choices":[{"id":"a"},{"id":"a"}]},"objectType":"Thing"}}`,
	`{"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://x.org/v"},"object":{"id":"http://x.org/a","objectType":7}}`,
	`{"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://x.org/v"},"object":{"id":"http://x.org/a","objectType":"activity"}}`,
	`{"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://x.org/v"},"object":{"id":"http://x.org/a","objectType":"Activity","definition":{"type":"x"}}}`,
	// The context before the object.
	`{"context":{"platform":"x","revision":"y","instructor":{"name":"n","objectType":"Group"}},"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://x.org/v"},"object":{"mbox":"mailto:b@example.org","objectType":"Agent"}}`,
	`{"context":{"revision":"y","team":{"mbox":"mailto:t@example.org"}},"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://x.org/v"},"object":{"id":"6f1e0c3e-9b7d-4c1a-8e2f-3a5b7c9d1e0f","objectType":"StatementRef","extra":1}}`,
	`{"context":{"platform":"x"},"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://x.org/v"}}`,
	`{"context":{"platform":"x"},"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://x.org/v"},"object":"string"}`,
	// Escapes.
	`{"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://x.org/v","display":{"en\u002dUS":"d\u00e9j\u00e0 \ud83d\ude00 \ud800 \udc00x"}},"obj\u0065ct":{"id":"http://x.org/\u0061","objectType":"Agen\u0074"}}`,
	`{"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://x.org/v"},"object":{"id":"http://x.org/a"},"ext\/ra~":{"a/b~c":[1,2,{"\"":null}]}}`,
	// Duplicates.
	`{"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://x.org/v"},"object":{"id":"http://x.org/a"},"verb":1}`,
	`{"actor":{"mbox":"mailto:a@example.org","mbo\u0078":"y"},"verb":{"id":"http://x.org/v"},"object":{"id":"http://x.org/a"}}`,
	`{"a":{"\ud800":1,"\udc00":2}}`,
	`{"result":{"extensions":{"http://x.org/e":{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k17":17,"k3":18}}}}`,
	`{"result":{"extensions":{"http://x.org/e":{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k17":17,"k18":{"k0":1,"k0":2}}}}}`,
	// Issues, then broken JSON.
	`{"actor":1,"verb":2,"object":3,`,
	`{"actor":1,"verb":2,"object":3} x`,
	"{\"actor\":{\"mbox\":\"mailto:a\xff@example.org\"}}",
	"{\n\"actor\": {\n\"mbox\": \"x\"},\r\n\"verb\":\r\"y\"\n}",
	// Other values at the top.
	`[]`, `"x"`, `12`, `-0.5e+3`, `true`, `null`, ``, ` `, `{}`, `{"a":01}`, `[1,]`, `{"a":1,}`, `{"a" 1}`, `{"a":tru}`, `{"a":"\u12G4"}`,
	// Scores, attachments, versions, durations.
	`{"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://x.org/v"},"object":{"id":"http://x.org/a"},"result":{"score":{"raw":5,"min":10,"max":1,"scaled":1e400},"duration":"P1W2D"},"version":"1.0.x","attachments":[{"usageType":"http://x.org/u","display":{"en":"a"},"contentType":"text/plain; charset=utf-8","length":1.5,"sha2":""},{},3]}`,
	// Component ids, context activities, context agents.
	`{"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://x.org/v"},"object":{"id":"http://x.org/a","definition":{"interactionType":"likert","choices":[{"id":"a b"},{"id":"a b"},1,{"id":1},{"description":{}}],"scale":[]}},"context":{"contextActivities":{"Parent":[],"parents":[],"other":{"id":"http://x.org/o","objectType":"activity"}},"contextAgents":[{"objectType":"contextAgent","agent":{"objectType":"Group","member":[]},"relevantTypes":[]}],"contextGroups":[{"group":{"mbox":"mailto:g@example.org"}},7]}}`,
	`{"authority":{"objectType":"Group","member":[{"mbox":"mailto:a@example.org"}]},"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://x.org/v"},"object":{"id":"http://x.org/a"},"context":{"contextActivities":{}}}`,
}

// scribble is validated between a validation and the check of its
// report: its escaped strings overwrite the validator's scratch buffer.
const scribble = `{"a\u0062":"\u0063\u0064\u0065\u0066\u0067","x":{"\u0068":1},"actor":{"mbox":"\u006dailto:zz@example.org","objectType":"Gr\u006fup"}}`

// deepStatement returns a statement whose extension value nests depth
// arrays in the statement's depth (the statement, result and extensions
// objects count 3).
func deepStatement(depth int) string {
	return `{"result":{"extensions":{"http://x.org/e":` + strings.Repeat("[", depth-3) + strings.Repeat("]", depth-3) + `}}}`
}

// nestedGroups returns a statement whose actor is a Group of a Group of
// … n deep, each giving its objectType after its members: each is read
// as an Agent first and again as a Group, which must not make the work
// grow exponentially with n.
func nestedGroups(n int) string {
	return `{"actor":` + strings.Repeat(`{"member":[`, n) + `{"mbox":"mailto:a@example.org"}` +
		strings.Repeat(`],"objectType":"Group"}`, n) + `,"verb":{"id":"http://x.org/v"},"object":{"id":"http://x.org/a"}}`
}

// sameAsOracle checks that the production validator reports exactly what
// the former one (oracle_test.go) does on data, with v (reused across
// inputs) and with a fresh validator, and that the report does not share
// memory with data or with the validator.
func sameAsOracle(t *testing.T, v *Validator, data []byte, opts ValidateOptions) {
	t.Helper()
	want := oracleValidate(data, opts)
	buf := bytes.Clone(data)
	got := v.Validate(buf)
	for i := range buf {
		buf[i] = '#' // the report must not see this
	}
	v.Validate([]byte(scribble)) // nor this, which overwrites the validator's buffers
	if d := diffIssues(want.Issues, got.Issues); d != "" {
		t.Fatalf("version %s: the validator differs from the oracle on %q:\n%s", opts.Version, data, d)
	}
	if fresh := NewValidator(opts).Validate(data); diffIssues(want.Issues, fresh.Issues) != "" {
		t.Fatalf("version %s: a fresh validator differs from a reused one on %q", opts.Version, data)
	}
}

// diffIssues describes how got differs from want, or returns "".
func diffIssues(want, got []ota.Issue) string {
	var b strings.Builder
	for i := range max(len(want), len(got)) {
		var w, g ota.Issue
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			fmt.Fprintf(&b, "issue %d:\n  want %+v\n  got  %+v\n", i, w, g)
		}
	}
	return b.String()
}

// differentialInputs returns every statement the package's tests know:
// its own, the tricky ones, the records of its streams, and, when
// ../shared/reference is present, the ADL corpus and the specification's
// examples.
func differentialInputs(t testing.TB) [][]byte {
	var docs [][]byte
	for _, d := range ownStatements(t) {
		docs = append(docs, d)
	}
	for _, s := range trickyStatements {
		docs = append(docs, []byte(s))
	}
	for _, d := range []int{MaxDepth, MaxDepth + 1} {
		docs = append(docs, []byte(deepStatement(d)))
	}
	docs = append(docs, []byte(nestedGroups(MaxDepth/2-1)), []byte(nestedGroups(MaxDepth/2)))
	for _, data := range streamFiles(t) {
		for line := range bytes.SplitSeq(data, []byte("\n")) {
			docs = append(docs, line)
		}
		docs = append(docs, data)
	}
	if ref := referenceDir(); ref != "" {
		for _, dir := range []string{"v1_0_3", "v2_0"} {
			for _, cs := range loadCases(t, filepath.Join(ref, "xapi", "lrs-conformance", dir)) {
				docs = append(docs, cs.Document)
			}
		}
		specDir := filepath.Join(ref, "xapi", "spec-1.0.3-examples")
		files, _ := filepath.Glob(filepath.Join(specDir, "*.json"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			docs = append(docs, data)
		}
	}
	return docs
}

func TestValidateDifferential(t *testing.T) {
	docs := differentialInputs(t)
	for _, version := range []Version{Version103, Version200} {
		t.Run(version.String(), func(t *testing.T) {
			opts := ValidateOptions{Version: version}
			v := NewValidator(opts)
			for _, d := range docs {
				sameAsOracle(t, v, d, opts)
			}
		})
	}
	t.Run("policy", func(t *testing.T) {
		opts := ValidateOptions{Policy: ota.Policy{"xapi.uuid": ota.Ignore, "xapi.json.unknown-property": ota.Warning}}
		v := NewValidator(opts)
		for _, d := range docs {
			sameAsOracle(t, v, d, opts)
		}
	})
	t.Run("bad-version", func(t *testing.T) {
		opts := ValidateOptions{Version: "9.9.9"}
		sameAsOracle(t, NewValidator(opts), []byte(`{}`), opts)
	})
}

// FuzzValidateDifferential checks that the single-pass validator reports
// exactly what the former tree-walking validator (the oracle) reports,
// issue for issue, on any input, in both versions. Seeds are the inputs
// of TestValidateDifferential.
func FuzzValidateDifferential(f *testing.F) {
	for _, d := range differentialInputs(f) {
		f.Add(d)
	}
	v103 := NewValidator(ValidateOptions{Version: Version103})
	v200 := NewValidator(ValidateOptions{Version: Version200})
	f.Fuzz(func(t *testing.T, data []byte) {
		sameAsOracle(t, v103, data, ValidateOptions{Version: Version103})
		sameAsOracle(t, v200, data, ValidateOptions{Version: Version200})
	})
}
