package xapi

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCodesDocumented checks that every issue code the package can report
// is listed in docs/xapi-versions.md.
func TestCodesDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "xapi-versions.md"))
	require.NoError(t, err)
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	code := regexp.MustCompile(`"(xapi\.[a-z0-9-]+\.[a-z0-9.-]*[a-z0-9])"`)
	codes := map[string]bool{
		// Built by concatenation in check_context.go.
		"xapi.context.revision-not-activity": true, "xapi.context.platform-not-activity": true,
		"xapi.context.agent-missing": true, "xapi.context.group-missing": true,
	}
	// Built from cmiCodePrefix in cmi.go, whose doc comment lists them.
	for _, c := range []string{"version", "sco", "actor", "number", "range", "timespan", "timeinterval", "time",
		"vocabulary", "missing", "index", "identifier", "unknown-element", "statement"} {
		codes["xapi.cmi."+c] = true
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range code.FindAllStringSubmatch(string(src), -1) {
			codes[m[1]] = true
		}
	}
	require.Greater(t, len(codes), 50)
	for c := range codes {
		assert.Contains(t, string(doc), "`"+c+"`", "code %s is not documented", c)
	}
}
