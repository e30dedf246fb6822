package xapi

import (
	"path/filepath"
	"testing"

	"github.com/metaacademy/ota"
)

// FuzzValidate feeds arbitrary bytes to the validator and the decoder, in
// both versions. It checks that nothing panics, that every issue is
// complete, and that decoding, writing and decoding again keeps the model
// and the verdict (see checkRoundTrip). Seeds are the package's own
// statements and, when ../shared/reference is present, every case of the
// ADL conformance corpus.
func FuzzValidate(f *testing.F) {
	for _, data := range ownStatements(f) {
		f.Add(data)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"actor":null}`))
	if ref := referenceDir(); ref != "" {
		for _, dir := range []string{"v1_0_3", "v2_0"} {
			for _, cs := range loadCases(f, filepath.Join(ref, "xapi", "lrs-conformance", dir)) {
				f.Add([]byte(cs.Document))
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, v := range []Version{Version103, Version200} {
			rep := Validate(data, ValidateOptions{Version: v})
			for _, is := range rep.Issues {
				if is.Code == "" || is.Message == "" || is.Line < 0 || !is.Severity.Valid() || is.Severity == ota.Ignore {
					t.Fatalf("incomplete issue %#v", is)
				}
			}
			checkRoundTrip(t, data, v)
		}
	})
}
