package xapi

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden reports under testdata/golden")

// ownStatements returns the statements under testdata/statements, written
// for this package; a name starting with "v2-" is an xAPI 2.0 statement.
func ownStatements(t testing.TB) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "statements", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	out := map[string][]byte{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = data
	}
	return out
}

func versionOf(name string) Version {
	if strings.HasPrefix(name, "v2-") {
		return Version200
	}
	return Version103
}

// TestGoldenReports validates the package's own statements and compares
// the reports, one issue per line, with testdata/golden/NAME.txt. Run with
// -update to rewrite them after a deliberate change.
func TestGoldenReports(t *testing.T) {
	for name, data := range ownStatements(t) {
		t.Run(name, func(t *testing.T) {
			rep := Validate(data, ValidateOptions{Version: versionOf(name)})
			var b strings.Builder
			for _, is := range rep.Issues {
				b.WriteString(is.Error())
				b.WriteByte('\n')
			}
			golden := filepath.Join("testdata", "golden", name+".txt")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				require.NoError(t, os.WriteFile(golden, []byte(b.String()), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -run TestGoldenReports -update to create it")
			require.Equal(t, string(want), b.String())
			if strings.HasPrefix(name, "invalid") {
				require.True(t, rep.HasErrors())
			} else {
				require.False(t, rep.HasErrors(), "%v", rep.Issues)
			}
			checkRoundTrip(t, data, versionOf(name))
		})
	}
}
