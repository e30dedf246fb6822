package asset_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
)

// codeList knows one framework and its codes.
type codeList map[string]bool

func (c codeList) CheckAlignment(al asset.Alignment, ptr string) []ota.Issue {
	if al.Framework == "gsbpm" && !c[al.Code] {
		return []ota.Issue{{Pointer: ptr + "/code", Code: "test.unknown-code", Severity: ota.Error, Message: "no such code"}}
	}
	return nil
}

func TestCheckCallsAlignmentChecker(t *testing.T) {
	doc := `{"ota":"1.0","id":"urn:x:c","kind":"course","title":{"en":"c"},"license":"CC-BY-4.0",
"alignments":[{"framework":"gsbpm","code":"5.3"},{"framework":"gsbpm","code":"9.9"}],
"objectives":[{"id":"o1","text":{"en":"t"},"alignments":[{"framework":"gsbpm","code":"0.1"}]}]}`
	_, rep, err := asset.Read(strings.NewReader(doc), asset.ReadOptions{Validate: true, Check: asset.CheckOptions{Frameworks: codeList{"5.3": true}}})
	require.NoError(t, err)
	var got []string
	for _, is := range rep.Issues {
		got = append(got, is.Code+" "+is.Pointer)
		assert.Positive(t, is.Line, "lines are resolved for checker issues too")
	}
	assert.ElementsMatch(t, []string{"test.unknown-code /objectives/0/alignments/0/code", "test.unknown-code /alignments/1/code"}, got)

	_, rep, err = asset.Read(strings.NewReader(doc), asset.ReadOptions{Validate: true})
	require.NoError(t, err)
	assert.Empty(t, rep.Issues, "without a checker, alignments are checked for form only")
}
