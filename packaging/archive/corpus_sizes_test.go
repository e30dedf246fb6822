package archive

import (
	"archive/zip"
	"bytes"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// bomb builds an archive with one entry of mib MiB of zeros, compressed
// about 1000:1.
func bomb(mib int) func(testing.TB) []byte {
	return func(t testing.TB) []byte {
		stream, crc := zeroBomb(t, mib)
		return buildZip(t, zent{name: "zeros.bin", raw: &rawEntry{
			method: zip.Deflate, crc: crc, csize: uint64(len(stream)), usize: uint64(mib) << 20, data: stream,
		}})
	}
}

// manyCache keeps the archives built by manyEntries, which several tests
// share: building 100,000 entries takes seconds under the race detector.
var manyCache sync.Map // int → []byte

// manyEntries builds an archive of n empty stored files, quickly: raw
// headers need no compressor and no data descriptor.
func manyEntries(n int) func(testing.TB) []byte {
	return func(t testing.TB) []byte {
		if b, ok := manyCache.Load(n); ok {
			return b.([]byte)
		}
		var buf bytes.Buffer
		buf.Grow(n * 96)
		zw := zip.NewWriter(&buf)
		for i := range n {
			_, err := zw.CreateRaw(&zip.FileHeader{Name: fmt.Sprintf("f/%06d", i), Method: zip.Store})
			require.NoError(t, err)
		}
		require.NoError(t, zw.Close())
		manyCache.Store(n, buf.Bytes())
		return buf.Bytes()
	}
}

// sizeCases are archives that are too big in some way.
func sizeCases() []corpusCase {
	return []corpusCase{
		{name: "zip bomb 1000:1, 100 MiB of zeros", build: bomb(100), open: []error{ErrRatio}, big: true},
		{name: "zip bomb with the ratio check off hits the entry limit", build: bomb(100),
			opts: Limits{MaxRatio: -1, MaxEntrySize: 1 << 20}, open: []error{ErrEntryTooLarge}, big: true},
		{name: "many small bombs below the floor", build: func(t testing.TB) []byte {
			stream, crc := zeroBomb(t, 1)
			ents := make([]zent, 64)
			for i := range ents {
				ents[i] = zent{name: fmt.Sprintf("z%02d", i), raw: &rawEntry{method: zip.Deflate, crc: crc, csize: uint64(len(stream)), usize: 1 << 20, data: stream}}
			}
			return buildZip(t, ents...)
		}, opts: Limits{RatioFloor: 2 << 20}, open: []error{ErrRatio}},
		{name: "declared size beyond the entry limit and the archive", build: func(t testing.TB) []byte {
			return buildZip(t, zent{name: "huge.bin", raw: &rawEntry{method: zip.Store, csize: 2 << 30, usize: 2 << 30, data: []byte("x")}})
		}, open: []error{ErrEntryTooLarge, ErrCorrupt}},
		{name: "total declared size beyond the limit", build: func(t testing.TB) []byte {
			k := bytes.Repeat([]byte("abcdefgh"), 128)
			return buildZip(t, zent{name: "a", data: k}, zent{name: "b", data: k}, zent{name: "c", data: k})
		}, opts: Limits{MaxTotalSize: 2048}, open: []error{ErrTooLarge}},
		{name: "100k entries", build: manyEntries(100_000), open: []error{ErrTooManyEntries}, big: true},
		{name: "100k entries stopped early by the directory budget", build: manyEntries(100_000), opts: Limits{MaxEntries: 10},
			open: []error{ErrTooManyEntries}, big: true},
		{name: "100k entries with the limit raised", build: manyEntries(100_000), opts: Limits{MaxEntries: 200_000}, big: true,
			check: func(t *testing.T, a *Archive) {
				if testing.Short() {
					t.Skip("parsing is covered by the other 100k cases")
				}
				require.Len(t, a.Entries(), 100_000)
			}},
		{name: "overlapping entries share one body", build: func(t testing.TB) []byte {
			data := bytes.Repeat([]byte("0123456789abcdef"), 1024)
			b := buildZip(t, zent{name: "a", data: data, store: true})
			h := centralHeaders(t, b)[0]
			return withCentral(t, b, [][]byte{h, renamed(t, h, "b"), renamed(t, h, "c")})
		}, open: []error{ErrCorrupt}},
	}
}

func TestDirectoryBudgetStopsEarly(t *testing.T) {
	data := manyEntries(100_000)(t)
	rec := &recordingReaderAt{r: bytes.NewReader(data)}
	_, err := Open(rec, int64(len(data)), Limits{MaxEntries: 10})
	require.ErrorIs(t, err, ErrTooManyEntries)
	require.Less(t, rec.n, int64(256<<10), "read %d of %d bytes", rec.n, len(data))
}
