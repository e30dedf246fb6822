package hostile

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// sandbox is the folder one hostile case runs in:
//
//	base/secret.txt   a file outside the input, which no output may hold
//	base/in/…         the input
//	base/out/         where convert writes
type sandbox struct {
	base, in, out string
	// secret is the secret file's unique content.
	secret string
}

func newSandbox(t *testing.T) *sandbox {
	t.Helper()
	base := t.TempDir()
	s := &sandbox{base: base, in: filepath.Join(base, "in"), out: filepath.Join(base, "out")}
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	s.secret = "OTA-SECRET-" + hex.EncodeToString(b[:])
	for _, d := range []string{s.in, s.out} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, base, "secret.txt", s.secret+"\n")
	writeFile(t, base, "secret.md", "---\ntitle: "+s.secret+"\n---\n\n"+s.secret+"\n")
	writeFile(t, base, "secret.html", "<!doctype html><title>"+s.secret+"</title>")
	return s
}

// snapshot lists every file of the sandbox outside out/ with its size,
// to find files a run created, removed or changed there.
func (s *sandbox) snapshot(t *testing.T) map[string]int64 {
	t.Helper()
	m := map[string]int64{}
	err := filepath.WalkDir(s.base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == s.out {
			return fs.SkipDir
		}
		if d.Type()&fs.ModeSymlink != 0 || d.Type()&fs.ModeNamedPipe != 0 {
			m[p] = -1
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if !d.IsDir() {
			m[p] = info.Size()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// outputs returns the files in out/ (recursively).
func (s *sandbox) outputs(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(s.out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// holdsSecret reports whether data, or any entry of data read as a zip
// archive, holds the secret.
func (s *sandbox) holdsSecret(data []byte) bool {
	if bytes.Contains(data, []byte(s.secret)) {
		return true
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(io.LimitReader(rc, 64<<20))
		rc.Close()
		if bytes.Contains(b, []byte(s.secret)) {
			return true
		}
	}
	return false
}

// clean empties out/ between runs.
func (s *sandbox) clean(t *testing.T) {
	t.Helper()
	if err := os.RemoveAll(s.out); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(s.out, 0o755); err != nil {
		t.Fatal(err)
	}
}

// Zip surgery: the hostile zips are written with archive/zip and then
// patched where a writer would never go.

// centralRecords returns the central directory records of a zip (slices
// into data).
func centralRecords(t *testing.T, data []byte) [][]byte {
	t.Helper()
	end := bytes.LastIndex(data, []byte("PK\x05\x06"))
	if end < 0 {
		t.Fatal("no end of central directory record")
	}
	n := int(binary.LittleEndian.Uint16(data[end+10:]))
	off := int(binary.LittleEndian.Uint32(data[end+16:]))
	var recs [][]byte
	for range n {
		h := data[off:]
		size := 46 + int(binary.LittleEndian.Uint16(h[28:])) + int(binary.LittleEndian.Uint16(h[30:])) + int(binary.LittleEndian.Uint16(h[32:]))
		recs = append(recs, h[:size])
		off += size
	}
	return recs
}

// storedZip is a zip of stored entries, with local headers that carry the
// sizes and CRCs (no data descriptors), so that patches show.
func storedZip(t *testing.T, entries ...zipEntry) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Store}
		h.CRC32 = crcOf(e.data)
		h.CompressedSize64 = uint64(len(e.data))
		h.UncompressedSize64 = uint64(len(e.data))
		w, err := zw.CreateRaw(h)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, e.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// localOffset is the local header offset a central record names.
func localOffset(rec []byte) int { return int(binary.LittleEndian.Uint32(rec[42:])) }

// put32 writes a little-endian uint32.
func put32(b []byte, off int, v uint32) { binary.LittleEndian.PutUint32(b[off:], v) }
