package lesson

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGolden compares rendered pages of the workbench fixture with the
// files under testdata/golden; go test -run TestGolden -update rewrites
// them.
func TestGolden(t *testing.T) {
	l, _ := openDir(t, "workbench", Options{})
	tests := []struct {
		name string
		ep   int
		ch   int // challenge number, 0 for the whole episode
	}{
		{"01-first-look.html", 0, 0},
		{"02-cleaning-challenge-1.html", 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := l.Episodes[tt.ep]
			var b *Block
			if tt.ch > 0 {
				b = ep.challenges[tt.ch-1]
			}
			got, err := l.render(ep, b)
			require.NoError(t, err)
			golden := filepath.Join("testdata", "golden", tt.name)
			if *update {
				require.NoError(t, os.WriteFile(golden, got, 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -run TestGolden -update to create it")
			assert.Equal(t, string(want), string(got))
		})
	}
}
