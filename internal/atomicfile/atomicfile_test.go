package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

var errFill = errors.New("fill failed")

func TestWriteReplacesWhole(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.json")
	require.NoError(t, WriteFile(p, []byte("old"), 0o644))
	require.NoError(t, WriteFile(p, []byte("new content"), 0o644))
	got, err := os.ReadFile(p)
	require.NoError(t, err)
	require.Equal(t, "new content", string(got))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary file may be left behind")
}

func TestWriteFailureLeavesOldFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.json")
	require.NoError(t, WriteFile(p, []byte("old"), 0o644))
	err := Write(p, 0o644, func(w io.Writer) error {
		_, _ = w.Write([]byte("half"))
		return errFill
	})
	require.ErrorIs(t, err, errFill)
	got, err := os.ReadFile(p)
	require.NoError(t, err)
	require.Equal(t, "old", string(got))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "the temporary file must be removed")
}

func TestWriteMissingDir(t *testing.T) {
	err := WriteFile(filepath.Join(t.TempDir(), "no", "such", "dir", "f"), []byte("x"), 0o644)
	require.Error(t, err)
}
