package xapi

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testStatements(t *testing.T) []*Statement {
	t.Helper()
	recs, _, err := readAll(t, bytes.NewReader(streamFiles(t)["valid.ndjson"]), StreamOptions{Decode: true})
	require.NoError(t, err)
	var out []*Statement
	for _, r := range recs {
		require.True(t, r.Valid())
		out = append(out, r.Statement)
	}
	return out
}

func TestWriterLayouts(t *testing.T) {
	sts := testStatements(t)[:2]
	a, err := sts[0].MarshalJSON()
	require.NoError(t, err)
	b, err := sts[1].MarshalJSON()
	require.NoError(t, err)
	for _, tc := range []struct {
		format      StreamFormat
		want, empty string
	}{
		{StreamNDJSON, string(a) + "\n" + string(b) + "\n", ""},
		{StreamAuto, string(a) + "\n" + string(b) + "\n", ""},
		{StreamArray, "[\n" + string(a) + ",\n" + string(b) + "\n]\n", "[]\n"},
		{StreamStatements, "{\"statements\":[\n" + string(a) + ",\n" + string(b) + "\n]}\n", "{\"statements\":[]}\n"},
	} {
		var out bytes.Buffer
		w := NewWriter(&out, tc.format)
		for _, s := range sts {
			require.NoError(t, w.Write(s))
		}
		require.NoError(t, w.Close())
		require.NoError(t, w.Close(), "closing twice is fine")
		assert.Equal(t, tc.want, out.String(), tc.format)
		assert.Equal(t, 2, w.Count())
		require.ErrorIs(t, w.Write(sts[0]), ErrWriterClosed)

		// What was written reads back as the same statements.
		recs, x, err := readAll(t, &out, StreamOptions{Decode: true})
		require.NoError(t, err)
		require.Len(t, recs, 2)
		assert.Empty(t, x.Report().Issues)
		for i, r := range recs {
			assert.True(t, r.Valid())
			assert.Equal(t, sts[i], r.Statement)
		}

		out.Reset()
		w = NewWriter(&out, tc.format)
		require.NoError(t, w.Close())
		assert.Equal(t, tc.empty, out.String())
	}
}

func TestWriterRaw(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out, StreamNDJSON)
	require.NoError(t, w.WriteRaw(streamFiles(t)["single.json"]))
	require.ErrorIs(t, w.WriteRaw([]byte(`[1]`)), ErrNotObject)
	require.ErrorIs(t, w.WriteRaw([]byte(`{"a":`)), ErrSyntax)
	require.NoError(t, w.Flush())
	assert.Equal(t, 1, strings.Count(out.String(), "\n"), "a pretty-printed statement is written on one line")
	recs, _, err := readAll(t, &out, StreamOptions{})
	require.NoError(t, err)
	require.Len(t, recs, 1)
	assert.True(t, recs[0].Valid())
}

func TestWriterErrors(t *testing.T) {
	w := NewWriter(&bytes.Buffer{}, StreamSingle)
	require.ErrorIs(t, w.Write(&Statement{}), ErrStreamOptions)
	require.ErrorIs(t, w.Close(), ErrStreamOptions)

	w = NewWriter(&bytes.Buffer{}, StreamNDJSON)
	require.Error(t, w.Write(nil))
	require.Error(t, w.Write(&Statement{Object: Object{Activity: &Activity{}, Actor: &Actor{}}}), "an unencodable statement")
	assert.Equal(t, 0, w.Count())

	boom := errors.New("boom")
	w = NewWriter(errWriter{boom}, StreamArray)
	sts := testStatements(t)
	var err error
	for i := 0; i < 2000 && err == nil; i++ {
		err = w.Write(sts[i%len(sts)])
	}
	require.ErrorIs(t, err, boom, "a write error surfaces while writing")
	require.ErrorIs(t, w.Close(), boom)
}

type errWriter struct{ err error }

func (e errWriter) Write([]byte) (int, error) { return 0, e.err }
