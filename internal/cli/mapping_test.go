package cli_test

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota/internal/cli"
)

func TestFrameworks(t *testing.T) {
	r := run(t, nil, "frameworks")
	require.Equal(t, cli.ExitOK, r.code, r)
	for _, want := range []string{"gsbpm", "5.1", "5.2", "gamso", "digcomp", "un-bigdata"} {
		assert.Contains(t, r.stdout, want)
	}

	r = run(t, nil, "frameworks", "--format", "json")
	require.Equal(t, cli.ExitOK, r.code, r)
	var rows []struct {
		ID, Version, Title string
		Nodes              int
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rows))
	counts := map[string]int{}
	for _, row := range rows {
		assert.NotEmpty(t, row.Title)
		counts[row.ID+"@"+row.Version] = row.Nodes
	}
	// 8 phases + 44 sub-processes + 6 overarching processes.
	assert.Equal(t, 58, counts["gsbpm@5.1"])
	assert.Equal(t, 58, counts["gsbpm@5.2"])
	// 5 areas + 21 competences.
	assert.Equal(t, 26, counts["digcomp@2.2"])

	assert.Equal(t, cli.ExitUsage, run(t, nil, "frameworks", "--format", "yaml").code)
	assert.Equal(t, cli.ExitUsage, run(t, nil, "frameworks", "extra").code)
}

func TestValidateChecksAlignments(t *testing.T) {
	doc := `{"ota":"1.0","id":"urn:x:c","kind":"course","title":{"en":"c"},"license":"CC-BY-4.0",
"alignments":[{"framework":"gsbpm","version":"5.1","code":"9.9"},{"framework":"gsbpm","version":"4.0","code":"5.3"},{"framework":"digcomp","code":"3.4","level":"9"}]}`
	r := run(t, strings.NewReader(doc), "validate", "-")
	require.Equal(t, cli.ExitInvalid, r.code, r)
	assert.Contains(t, r.stdout, "error mapping.alignment.unknown-code at /alignments/0/code")
	assert.Contains(t, r.stdout, "error mapping.alignment.unknown-version at /alignments/1/version")
	assert.Contains(t, r.stdout, "error mapping.alignment.unknown-level at /alignments/2/level")
}

func TestCoverage(t *testing.T) {
	dir := t.TempDir()
	write := func(name, publisher string, codes ...string) {
		var als []string
		for _, c := range codes {
			als = append(als, `{"framework":"gsbpm","version":"5.1","code":"`+c+`"}`)
		}
		doc := `{"ota":"1.0","id":"https://example.org/` + name + `","kind":"course","title":{"en":"` + name + `"},"license":"CC-BY-4.0",
"contributors":[{"name":"` + publisher + `","type":"organization","roles":["publisher"]}],"alignments":[` + strings.Join(als, ",") + `]}`
		require.NoError(t, os.WriteFile(filepath.Join(dir, name+".ota.json"), []byte(doc), 0o644))
	}
	write("seasonal-adjustment", "Statistics Canada", "5.3", "6.2")
	write("editing", "INSEE", "5.3", "5.4")
	write("dissemination", "INSEE", "7.2")

	svg := filepath.Join(t.TempDir(), "cov.svg")
	r := run(t, nil, "coverage", dir, "--svg", svg, "--version", "5.1")
	require.Equal(t, cli.ExitOK, r.code, r)
	// 4 of GSBPM's 50 leaves (44 sub-processes and 6 overarching processes).
	assert.Contains(t, r.stdout, "3 assets, 4 of 50 leaf nodes covered (8%)")
	assert.Contains(t, r.stdout, "Statistics Canada")
	assert.Regexp(t, `(?m)^\s+5\.3\s+Review and validate\s+2 assets$`, r.stdout)
	assert.Regexp(t, `(?m)^\s+1\.1\s+Identify needs\s+0 assets  gap$`, r.stdout)
	f, err := os.Open(svg)
	require.NoError(t, err)
	defer f.Close()
	dec := xml.NewDecoder(f)
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "the SVG must be well-formed XML")
	}

	r = run(t, nil, "coverage", "--format", "csv", dir)
	require.Equal(t, cli.ExitOK, r.code, r)
	records, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	require.NoError(t, err)
	assert.Greater(t, len(records), 58, "a header and one row per node")

	r = run(t, nil, "coverage", "--format", "json", "--framework", "digcomp", dir)
	require.Equal(t, cli.ExitOK, r.code, r)
	assert.True(t, json.Valid([]byte(r.stdout)))

	assert.Equal(t, cli.ExitUsage, run(t, nil, "coverage", "--framework", "nope", dir).code)
	assert.Equal(t, cli.ExitUsage, run(t, nil, "coverage").code)
	assert.Equal(t, cli.ExitUsage, run(t, nil, "coverage", "--format", "xml", dir).code)
}
