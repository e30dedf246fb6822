package xapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"runtime"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mixedRecords returns n NDJSON-ready records (compact, one line each)
// cycling over valid and invalid statements and lines that are not JSON.
func mixedRecords(t *testing.T, n int) [][]byte {
	t.Helper()
	var pool [][]byte
	for _, d := range differentialInputs(t) {
		var c bytes.Buffer
		if err := jsonCompact(&c, d); err == nil && c.Len() > 0 {
			pool = append(pool, c.Bytes())
		}
	}
	pool = append(pool, []byte(`{"actor":`), []byte(`not json`), []byte(`[1,2]`))
	out := make([][]byte, n)
	for i := range out {
		out[i] = pool[i%len(pool)]
	}
	return out
}

// layouts returns the records as NDJSON (with a blank line and CRLFs
// here and there), as an array and as a StatementResult.
func layouts(recs [][]byte) map[string][]byte {
	var nd, arr, sr bytes.Buffer
	arr.WriteString("[\n")
	sr.WriteString(`{"more": "/next", "statements": [`)
	for i, r := range recs {
		nd.Write(r)
		switch i % 7 {
		case 3:
			nd.WriteString("\r\n")
		case 5:
			nd.WriteString("\n\n")
		default:
			nd.WriteByte('\n')
		}
		if i > 0 {
			arr.WriteString(",\n")
			sr.WriteString(", ")
		}
		arr.Write(r)
		sr.Write(r)
	}
	arr.WriteString("\n]\n")
	sr.WriteString("]}")
	return map[string][]byte{"ndjson": nd.Bytes(), "array": arr.Bytes(), "statements": sr.Bytes()}
}

// TestStreamConcurrency checks that reading with several workers gives
// exactly what reading with one does: the same records, in the same
// order, with the same indexes, lines, bytes, reports and models, the
// same counts and the same layout problems.
func TestStreamConcurrency(t *testing.T) {
	recs := mixedRecords(t, 3*batchRecords+17)
	for name, data := range layouts(recs) {
		for _, decode := range []bool{false, true} {
			serial, x1, err := readAll(t, bytes.NewReader(data), StreamOptions{Concurrency: 1, Decode: decode})
			require.NoError(t, err)
			want := describeStream(serial, x1)
			for _, workers := range []int{2, 3, 8} {
				for _, src := range []io.Reader{bytes.NewReader(data), iotest.HalfReader(bytes.NewReader(data))} {
					got, x, err := readAll(t, src, StreamOptions{Concurrency: workers, Decode: decode})
					require.NoError(t, err)
					require.Equal(t, want, describeStream(got, x), "%s, %d workers", name, workers)
					require.Equal(t, len(serial), len(got))
					for i := range got {
						require.Equal(t, serial[i].Raw, got[i].Raw, "record %d", i)
						require.Equal(t, serial[i].Report, got[i].Report, "record %d", i)
						require.Equal(t, serial[i].Statement, got[i].Statement, "record %d", i)
					}
					assert.Equal(t, x1.More(), x.More())
				}
			}
		}
	}
}

// TestStreamConcurrencyReadError checks that a read error in the middle
// of a stream comes after every record before it, with several workers.
func TestStreamConcurrencyReadError(t *testing.T) {
	boom := errors.New("boom")
	data := layouts(mixedRecords(t, 2*batchRecords))["ndjson"]
	cut := bytes.LastIndexByte(data[:len(data)/2], '\n') + 1
	whole, _, err := readAll(t, bytes.NewReader(data[:cut]), StreamOptions{Concurrency: 1})
	require.NoError(t, err)
	want := len(whole)
	x := NewReader(io.MultiReader(bytes.NewReader(data[:cut]), iotest.ErrReader(boom)), StreamOptions{Concurrency: 3})
	n := 0
	for {
		_, err := x.Next()
		if err != nil {
			require.ErrorIs(t, err, boom)
			break
		}
		n++
	}
	assert.Equal(t, want, n)
	_, err = x.Next()
	require.ErrorIs(t, err, boom, "the error is sticky")
}

// TestStreamAbandoned checks that a Reader dropped half-way leaves no
// goroutine running.
func TestStreamAbandoned(t *testing.T) {
	before := runtime.NumGoroutine()
	data := layouts(mixedRecords(t, 20*batchRecords))["ndjson"]
	x := NewReader(bytes.NewReader(data), StreamOptions{Concurrency: 4})
	for range 10 {
		_, err := x.Next()
		require.NoError(t, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before, "goroutines left running by an abandoned Reader")
}

// jsonCompact writes src to dst on one line: as it is when it has no line
// end, compacted when it is JSON; it fails otherwise.
func jsonCompact(dst *bytes.Buffer, src []byte) error {
	if !bytes.ContainsAny(src, "\r\n") {
		dst.Write(src)
		return nil
	}
	return json.Compact(dst, src)
}
