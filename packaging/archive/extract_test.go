package archive

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExtractTarget(t *testing.T) {
	a := openBytes(t, packageZip(t), Limits{})
	tests := []struct {
		name    string
		prepare func(t *testing.T, dir string)
		err     error
	}{
		{name: "missing folder is created", prepare: func(*testing.T, string) {}},
		{name: "empty folder is used", prepare: func(t *testing.T, dir string) { require.NoError(t, os.Mkdir(dir, 0o755)) }},
		{name: "non-empty folder is refused", prepare: func(t *testing.T, dir string) {
			require.NoError(t, os.Mkdir(dir, 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "keep"), nil, 0o644))
		}, err: ErrTargetNotEmpty},
		{name: "a file is refused", prepare: func(t *testing.T, dir string) {
			require.NoError(t, os.WriteFile(dir, nil, 0o644))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			tt.prepare(t, dir)
			before := snapshot(t, filepath.Dir(dir))
			err := Extract(context.Background(), a, dir, ExtractOptions{})
			switch {
			case tt.err != nil:
				require.ErrorIs(t, err, tt.err)
				assert.Equal(t, before, snapshot(t, filepath.Dir(dir)))
			case tt.name == "a file is refused":
				require.Error(t, err)
				assert.Equal(t, before, snapshot(t, filepath.Dir(dir)))
			default:
				require.NoError(t, err)
				got, err := os.ReadFile(filepath.Join(dir, "shared", "LaunchPage.html"))
				require.NoError(t, err)
				assert.Equal(t, "<html/>", string(got))
			}
		})
	}
}

func TestExtractCleansUpExistingFolder(t *testing.T) {
	data := patchCentral(t, packageZip(t), 5, func(h []byte) { put32(h, cdCRC, 0xdeadbeef) })
	a := openBytes(t, data, Limits{})
	dir := t.TempDir()
	err := Extract(context.Background(), a, dir, ExtractOptions{})
	require.ErrorIs(t, err, ErrChecksum)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "the folder existed, so it stays, empty")
}

func TestExtractCancelled(t *testing.T) {
	a := openBytes(t, packageZip(t), Limits{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := filepath.Join(t.TempDir(), "out")
	err := Extract(ctx, a, dir, ExtractOptions{})
	require.ErrorIs(t, err, context.Canceled)
	assert.NoDirExists(t, dir)
}

func TestExtractPermissions(t *testing.T) {
	a := openBytes(t, buildZip(t,
		zent{name: "bin/run.sh", data: []byte("#!/bin/sh"), mode: 0o4777},
		zent{name: "open/", mode: 0o777 | 0o1000},
	), Limits{})
	dir := filepath.Join(t.TempDir(), "out")
	require.NoError(t, Extract(context.Background(), a, dir, ExtractOptions{FilePerm: 0o600, DirPerm: 0o700}))
	fi, err := os.Stat(filepath.Join(dir, "bin", "run.sh"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode(), "no setuid, no execute: archive modes are ignored")
	assert.Equal(t, fixedTime, fi.ModTime().UTC())
	di, err := os.Stat(filepath.Join(dir, "open"))
	require.NoError(t, err)
	assert.Equal(t, os.ModeDir|0o700, di.Mode())
}

func TestExtractFolderArchive(t *testing.T) {
	src := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(src, "a", "b"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(src, "a", "b", "c.txt"), []byte("c"), 0o644))
	a, err := OpenFolder(src, Limits{})
	require.NoError(t, err)
	defer a.Close()
	dir := filepath.Join(t.TempDir(), "out")
	require.NoError(t, Extract(context.Background(), a, dir, ExtractOptions{}))
	got, err := os.ReadFile(filepath.Join(dir, "a", "b", "c.txt"))
	require.NoError(t, err)
	assert.Equal(t, "c", string(got))
}
