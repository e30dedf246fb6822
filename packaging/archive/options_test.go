package archive

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openData opens an in-memory archive.
func openData(data []byte, opts Limits) (*Archive, error) {
	return Open(bytes.NewReader(data), int64(len(data)), opts)
}

func TestOptionsResolve(t *testing.T) {
	got := Limits{}.resolve()
	assert.Equal(t, DefaultLimits(), got, "DefaultLimits spells out the zero value")
	assert.Equal(t, Limits{
		MaxEntries:    DefaultMaxEntries,
		MaxTotalSize:  DefaultMaxTotalSize,
		MaxEntrySize:  DefaultMaxEntrySize,
		MaxRatio:      DefaultMaxRatio,
		RatioFloor:    DefaultRatioFloor,
		MaxNameLength: DefaultMaxNameLength,
		MaxDepth:      DefaultMaxDepth,
	}, got)
	neg := Limits{MaxEntries: -5, MaxTotalSize: -1, MaxEntrySize: -1, MaxRatio: -1, RatioFloor: -1, MaxNameLength: -1, MaxDepth: -1}.resolve()
	assert.Equal(t, noLimit, neg.MaxEntries)
	assert.Equal(t, int64(noLimit), neg.MaxTotalSize)
	set := Limits{MaxEntries: 7, MaxRatio: 3}.resolve()
	assert.Equal(t, 7, set.MaxEntries)
	assert.Equal(t, 3, set.MaxRatio)
}

func TestRatio(t *testing.T) {
	tests := []struct {
		name         string
		usize, csize uint64
		opts         Limits
		tooHigh      bool
	}{
		{"ordinary text", 10 << 20, 2 << 20, Limits{}, false},
		{"at the limit", 200 << 20, 1 << 20, Limits{}, false},
		{"just over", 200<<20 + 1, 1 << 20, Limits{}, true},
		{"below the floor", 1<<20 - 1, 1, Limits{}, false},
		{"nothing compressed", 2 << 20, 0, Limits{}, true},
		{"floor off", 1000, 1, Limits{RatioFloor: -1}, true},
		{"ratio off", 1 << 40, 1, Limits{MaxRatio: -1}, false},
		{"huge compressed size does not overflow", 1 << 63, 1 << 62, Limits{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.tooHigh, ratioTooHigh(tt.usize, tt.csize, tt.opts.resolve()))
		})
	}
}

func TestNoLimits(t *testing.T) {
	data := bomb(10)(t)
	_, err := openData(data, Limits{})
	require.ErrorIs(t, err, ErrRatio)
	a, err := Open(bytes.NewReader(data), int64(len(data)), Limits{MaxRatio: -1, MaxEntries: -1, MaxTotalSize: -1, MaxEntrySize: -1})
	require.NoError(t, err)
	n, err := readAll(a)
	require.NoError(t, err)
	assert.Equal(t, int64(10<<20), n)
}

func TestNoLimitsHugeDeclaredSize(t *testing.T) {
	// With every limit off, a deflated entry may declare 2^62 bytes; reading
	// it must not allocate by the declaration, only fail when the data ends.
	r := rawDeflated(t, []byte("tiny"))
	r.usize = 1 << 62
	data := buildZip(t, zent{name: "huge", raw: r})
	a, err := openData(data, Limits{MaxRatio: -1, MaxEntrySize: -1, MaxTotalSize: -1})
	require.NoError(t, err)
	_, err = a.ReadFile("huge")
	assert.ErrorIs(t, err, ErrCorrupt)
}

func TestInsecurePathGodebug(t *testing.T) {
	// With GODEBUG=zipinsecurepath=0 archive/zip flags names itself; Open
	// still reports its own classes, and accepts what its options allow.
	t.Setenv("GODEBUG", "zipinsecurepath=0")
	_, err := openData(buildZip(t, zf("../evil", "x")), Limits{})
	assert.ErrorIs(t, err, ErrPathEscape)
	a, err := openData(buildZip(t, zf(`a\b.txt`, "x")), Limits{AllowBackslashes: true})
	require.NoError(t, err)
	b, err := a.ReadFile("a/b.txt")
	require.NoError(t, err)
	assert.Equal(t, "x", string(b))
}
