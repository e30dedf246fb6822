package xapi

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkRoundTrip decodes doc, writes it, decodes the result and writes it
// again, and checks that nothing changed on the way: the model, the bytes
// and the issues found (apart from their lines).
func checkRoundTrip(t *testing.T, doc []byte, v Version) {
	t.Helper()
	opts := ValidateOptions{Version: v}
	s1, rep1, err := Decode(doc, opts)
	if err != nil {
		return // not a JSON object: nothing to round-trip
	}
	out1, err := s1.MarshalJSON()
	require.NoError(t, err)
	s2, rep2, err := Decode(out1, opts)
	require.NoError(t, err, "%s", out1)
	assert.Equal(t, s1, s2, "decode → encode → decode changed the model; encoded: %s", out1)
	out2, err := s2.MarshalJSON()
	require.NoError(t, err)
	assert.Equal(t, string(out1), string(out2), "encoding is not stable")
	assert.Equal(t, rep1.HasErrors(), rep2.HasErrors(), "writing the statement changed its verdict: %v\n%v\n%s", rep1.Issues, rep2.Issues, out1)
}

func TestRoundTripCorpus(t *testing.T) {
	corpus := xapiCorpus(t)
	for _, d := range []struct {
		dir string
		v   Version
	}{{"v1_0_3", Version103}, {"v2_0", Version200}} {
		t.Run(d.dir, func(t *testing.T) {
			for _, cs := range loadCases(t, filepath.Join(corpus, "lrs-conformance", d.dir)) {
				t.Run(cs.Case, func(t *testing.T) { checkRoundTrip(t, cs.Document, d.v) })
			}
		})
	}
}
