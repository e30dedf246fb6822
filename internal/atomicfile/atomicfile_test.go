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

// TestCleanup: Cleanup removes the temporary file of a Write in progress,
// which then fails without leaving anything, and refuses later Writes.
func TestCleanup(t *testing.T) {
	defer func() { live.Lock(); live.closed = false; live.Unlock() }()
	dir := t.TempDir()
	p := filepath.Join(dir, "out.zip")
	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- Write(p, 0o644, func(w io.Writer) error {
			_, _ = w.Write([]byte("half"))
			close(started)
			<-release
			return nil
		})
	}()
	<-started
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "the temporary file exists while fill runs")
	require.Equal(t, 1, Cleanup())
	entries, err = os.ReadDir(dir)
	require.NoError(t, err)
	require.Empty(t, entries, "Cleanup removed it")
	close(release)
	require.ErrorIs(t, <-done, ErrShutdown)
	require.NoFileExists(t, p)
	require.ErrorIs(t, WriteFile(p, []byte("x"), 0o644), ErrShutdown)
	entries, err = os.ReadDir(dir)
	require.NoError(t, err)
	require.Empty(t, entries)
}

// TestWriteChecked: a failing check leaves nothing; a passing one sees
// the whole file from its start.
func TestWriteChecked(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.json")
	errTooBig := errors.New("too big")
	err := WriteChecked(p, 0o644, func(w io.Writer) error {
		_, err := w.Write([]byte("0123456789"))
		return err
	}, func(f *os.File) error {
		b, err := io.ReadAll(f)
		require.NoError(t, err)
		require.Equal(t, "0123456789", string(b))
		return errTooBig
	})
	require.ErrorIs(t, err, errTooBig)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Empty(t, entries)
	require.NoError(t, WriteChecked(p, 0o644, func(w io.Writer) error {
		_, err := w.Write([]byte("ok"))
		return err
	}, func(*os.File) error { return nil }))
	got, err := os.ReadFile(p)
	require.NoError(t, err)
	require.Equal(t, "ok", string(got))
}
