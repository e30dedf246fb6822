package archive

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openBytes opens an in-memory archive.
func openBytes(t testing.TB, data []byte, opts Limits) *Archive {
	t.Helper()
	a, err := Open(bytes.NewReader(data), int64(len(data)), opts)
	require.NoError(t, err)
	return a
}

// packageZip is a small package shaped like a SCORM export.
func packageZip(t testing.TB) []byte {
	long := strings.Repeat("0123456789", 10_000)
	return buildZip(t,
		zf("imsmanifest.xml", "<manifest/>"),
		zf("shared/LaunchPage.html", "<html/>"),
		zf("shared/long.txt", long),
		zent{name: "shared/stored.txt", data: []byte(long), store: true},
		zent{name: "media/"},
		zf("media/Intro Video.mp4", "video"),
	)
}

func TestLookup(t *testing.T) {
	a := openBytes(t, packageZip(t), Limits{})
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"imsmanifest.xml", "imsmanifest.xml", true},
		{"IMSManifest.XML", "imsmanifest.xml", true},
		{"shared/launchpage.html", "shared/LaunchPage.html", true},
		{"./shared//LaunchPage.html", "shared/LaunchPage.html", true},
		{"Shared", "shared", true},
		{"media/intro video.MP4", "media/Intro Video.mp4", true},
		{"shared/../imsmanifest.xml", "imsmanifest.xml", true},
		{"../imsmanifest.xml", "", false},
		{"/imsmanifest.xml", "", false},
		{"missing.html", "", false},
		{".", ".", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := a.Lookup(tt.in)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestFindFile(t *testing.T) {
	tests := []struct {
		name    string
		entries []zent
		want    string
		err     error
	}{
		{name: "at the root", entries: []zent{zf("imsmanifest.xml", "m"), zf("sub/imsmanifest.xml", "n")}, want: "imsmanifest.xml"},
		{name: "in one folder", entries: []zent{zf("course/imsmanifest.xml", "m"), zf("course/a/imsmanifest.xml", "n")}, want: "course/imsmanifest.xml"},
		{name: "case differs", entries: []zent{zf("IMSManifest.xml", "m")}, want: "IMSManifest.xml"},
		{name: "in two folders", entries: []zent{zf("a/imsmanifest.xml", "m"), zf("b/imsmanifest.xml", "n")}, err: ErrAmbiguous},
		{name: "too deep", entries: []zent{zf("a/b/imsmanifest.xml", "m")}, err: fs.ErrNotExist},
		{name: "a folder of that name", entries: []zent{zf("imsmanifest.xml/x", "m")}, err: fs.ErrNotExist},
		{name: "only in junk", entries: []zent{zf("__MACOSX/imsmanifest.xml", "m")}, err: fs.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := openBytes(t, buildZip(t, tt.entries...), Limits{})
			got, err := a.FindFile("imsmanifest.xml")
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	a := openBytes(t, packageZip(t), Limits{})
	for _, bad := range []string{"", ".", "..", "a/b", `a\b`} {
		_, err := a.FindFile(bad)
		assert.ErrorIs(t, err, fs.ErrInvalid, bad)
	}
}

func TestOpenErrors(t *testing.T) {
	a := openBytes(t, packageZip(t), Limits{})
	tests := []struct {
		name string
		err  error
	}{
		{"missing.html", fs.ErrNotExist},
		{"IMSMANIFEST.XML", fs.ErrNotExist},
		{"../x", fs.ErrInvalid},
		{"/imsmanifest.xml", fs.ErrInvalid},
		{"shared/", fs.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := a.Open(tt.name)
			assert.ErrorIs(t, err, tt.err)
			var pe *fs.PathError
			assert.ErrorAs(t, err, &pe)
			_, err = a.Stat(tt.name)
			assert.ErrorIs(t, err, tt.err)
			_, err = a.ReadFile(tt.name)
			assert.ErrorIs(t, err, tt.err)
		})
	}
	_, err := a.ReadFile("shared")
	assert.Error(t, err)
	_, err = a.ReadDir("imsmanifest.xml")
	assert.Error(t, err)
}

func TestSeek(t *testing.T) {
	a := openBytes(t, packageZip(t), Limits{})
	want, err := a.ReadFile("shared/long.txt")
	require.NoError(t, err)
	for _, name := range []string{"shared/long.txt", "shared/stored.txt"} {
		t.Run(name, func(t *testing.T) {
			f, err := a.Open(name)
			require.NoError(t, err)
			defer f.Close()
			s := f.(io.ReadSeeker)
			steps := []struct {
				off    int64
				whence int
				pos    int64
			}{
				{50_000, io.SeekStart, 50_000},
				{-10, io.SeekEnd, int64(len(want)) - 10},
				{10, io.SeekStart, 10},
				{5, io.SeekCurrent, 25},
			}
			for _, st := range steps {
				pos, err := s.Seek(st.off, st.whence)
				require.NoError(t, err)
				require.Equal(t, st.pos, pos)
				buf := make([]byte, 10)
				n, err := io.ReadFull(s, buf)
				require.NoError(t, err)
				assert.Equal(t, want[pos:pos+int64(n)], buf[:n])
			}
			_, err = s.Seek(-1, io.SeekStart)
			assert.Error(t, err)
			_, err = s.Seek(0, 42)
			assert.Error(t, err)
			_, err = s.Seek(10, io.SeekEnd)
			require.NoError(t, err)
			n, err := s.Read(make([]byte, 4))
			assert.Zero(t, n)
			assert.Equal(t, io.EOF, err)
		})
	}
}

func TestServeHTTP(t *testing.T) {
	a := openBytes(t, packageZip(t), Limits{})
	srv := httptest.NewServer(http.FileServerFS(a))
	defer srv.Close()
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/shared/long.txt", nil)
	require.NoError(t, err)
	req.Header.Set("Range", "bytes=99990-")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusPartialContent, resp.StatusCode)
	assert.Equal(t, "0123456789", string(body))
}

func TestClosedFile(t *testing.T) {
	a := openBytes(t, packageZip(t), Limits{})
	f, err := a.Open("imsmanifest.xml")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	_, err = f.Read(make([]byte, 1))
	assert.ErrorIs(t, err, fs.ErrClosed)
	assert.ErrorIs(t, f.Close(), fs.ErrClosed)
	d, err := a.Open("shared")
	require.NoError(t, err)
	_, err = d.Read(make([]byte, 1))
	assert.Error(t, err)
	require.NoError(t, d.Close())
	_, err = d.(fs.ReadDirFile).ReadDir(-1)
	assert.ErrorIs(t, err, fs.ErrClosed)
}

func TestStatWithoutReading(t *testing.T) {
	data := packageZip(t)
	rec := &recordingReaderAt{r: bytes.NewReader(data)}
	a, err := Open(rec, int64(len(data)), Limits{})
	require.NoError(t, err)
	reads := len(rec.reads)
	fi, err := a.Stat("shared/long.txt")
	require.NoError(t, err)
	assert.Equal(t, int64(100_000), fi.Size())
	assert.Equal(t, fs.FileMode(0o444), fi.Mode())
	e, ok := fi.Sys().(*Entry)
	require.True(t, ok)
	assert.Equal(t, "shared/long.txt", e.Name)
	di, err := a.Stat("shared")
	require.NoError(t, err)
	assert.True(t, di.IsDir())
	assert.Nil(t, di.Sys(), "shared has no entry of its own")
	f, err := a.Open("shared/long.txt")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	assert.Equal(t, reads, len(rec.reads), "Stat and Open read nothing")
}

func TestConcurrentReads(t *testing.T) {
	a := openBytes(t, packageZip(t), Limits{})
	want, err := a.ReadFile("shared/long.txt")
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Go(func() {
			got, err := a.ReadFile("shared/long.txt")
			if err == nil && !bytes.Equal(got, want) {
				err = errors.New("different bytes")
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
}

func TestRunningTotal(t *testing.T) {
	// Reading the same file again does not count twice; the total across
	// entries is held to MaxTotalSize even if the declared sizes were
	// accepted.
	a := openBytes(t, packageZip(t), Limits{})
	for range 3 {
		_, err := a.ReadFile("shared/long.txt")
		require.NoError(t, err)
	}
	assert.Equal(t, int64(100_000), a.total.Load())
	a.opts.MaxTotalSize = 150_000 // as if the headers had understated the sizes
	_, err := a.ReadFile("shared/stored.txt")
	assert.ErrorIs(t, err, ErrTooLarge)
}
