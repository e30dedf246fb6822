package xapi

import (
	"bytes"
	"testing"
	"testing/iotest"
)

// FuzzStream feeds arbitrary bytes to the stream reader in several
// layouts and limits. It checks that nothing panics, that reading ends,
// that the counts add up (every record is counted once, as valid or
// invalid, in order), that lines and issues are complete, that what is
// found does not depend on how the bytes arrive nor on how many workers
// validate the records, and that the records a
// Writer copies read back with the same verdicts. Seeds are the streams
// under testdata/streams.
func FuzzStream(f *testing.F) {
	for _, data := range streamFiles(f) {
		f.Add(data)
	}
	f.Add([]byte("[{},\n{}]"))
	f.Add([]byte("{\"statements\":[{}],\"more\":\"x\"}"))
	f.Add([]byte("{\n}\n{}"))
	f.Add([]byte("{\r")) // a lone CR ends a line for the parser, not for the stream
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, opts := range []StreamOptions{
			{},
			{MaxRecordBytes: 64, MaxDepth: 3},
			{Format: StreamArray, Decode: true},
			{Format: StreamStatements},
			{Format: StreamSingle, MaxRecordBytes: 200},
		} {
			recs, x, err := readAll(t, bytes.NewReader(data), opts)
			if err != nil {
				t.Fatalf("%+v: %v", opts, err)
			}
			checkStream(t, data, recs, x, opts)
			half, y, err := readAll(t, iotest.HalfReader(bytes.NewReader(data)), opts)
			if err != nil {
				t.Fatalf("%+v: %v", opts, err)
			}
			if a, b := describeStream(recs, x), describeStream(half, y); a != b {
				t.Fatalf("%+v: reading half at a time differs:\n%s\n---\n%s", opts, a, b)
			}
			for _, workers := range []int{1, 3} {
				o := opts
				o.Concurrency = workers
				other, z, err := readAll(t, bytes.NewReader(data), o)
				if err != nil {
					t.Fatalf("%+v: %v", o, err)
				}
				if a, b := describeStream(recs, x), describeStream(other, z); a != b {
					t.Fatalf("%+v: reading with %d workers differs:\n%s\n---\n%s", opts, workers, a, b)
				}
			}
			checkCopy(t, recs)
		}
	})
}

// checkStream checks the invariants of what a Reader read.
func checkStream(t *testing.T, data []byte, recs []Record, x *Reader, opts StreamOptions) {
	t.Helper()
	valid, invalid := x.Counts()
	if valid+invalid != len(recs) {
		t.Fatalf("%+v: %d valid + %d invalid, but %d records", opts, valid, invalid, len(recs))
	}
	if len(recs) > len(data)+1 {
		t.Fatalf("%+v: %d records from %d bytes", opts, len(recs), len(data))
	}
	maxRec := opts.MaxRecordBytes
	if maxRec == 0 {
		maxRec = DefaultMaxRecordBytes
	}
	lines := bytes.Count(data, []byte("\n")) + 1
	nv, line := 0, 1
	for i, r := range recs {
		if r.Index != i {
			t.Fatalf("record %d has index %d", i, r.Index)
		}
		if r.Line < line || r.Line > lines {
			t.Fatalf("record %d on line %d, after line %d, of %d", i, r.Line, line, lines)
		}
		line = r.Line
		if len(r.Raw) > maxRec {
			t.Fatalf("record %d has %d bytes, over the limit of %d", i, len(r.Raw), maxRec)
		}
		if r.Valid() {
			nv++
		}
		for _, is := range r.Report.Issues {
			if is.Code == "" || is.Message == "" || !is.Severity.Valid() || is.Line < r.Line || is.Line > lines {
				t.Fatalf("record %d (line %d): bad issue %#v", i, r.Line, is)
			}
		}
		if opts.Decode && r.Statement == nil && len(r.Raw) > 0 && r.Raw[0] == '{' && r.Valid() {
			t.Fatalf("record %d is a valid object without a model", i)
		}
	}
	if nv != valid {
		t.Fatalf("%d records are valid, the reader counted %d", nv, valid)
	}
	for _, is := range x.Report().Issues {
		if is.Code != "xapi.stream.syntax" || is.Message == "" || is.Line < 1 || is.Line > lines {
			t.Fatalf("bad stream issue %#v", is)
		}
	}
}

// checkCopy writes the records a Writer accepts as NDJSON, reads them
// back and compares the verdicts.
func checkCopy(t *testing.T, recs []Record) {
	t.Helper()
	var out bytes.Buffer
	w := NewWriter(&out, StreamNDJSON)
	var want []bool
	for _, r := range recs {
		if r.Raw != nil && w.WriteRaw(r.Raw) == nil {
			want = append(want, r.Valid())
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	back, x, err := readAll(t, &out, StreamOptions{Format: StreamNDJSON})
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(want) {
		t.Fatalf("wrote %d records, read back %d:\n%s", len(want), len(back), out.Bytes())
	}
	for i, r := range back {
		if r.Valid() != want[i] {
			t.Fatalf("record %d: valid %v before the copy, %v after: %v\n%s", i, want[i], r.Valid(), r.Report.Issues, r.Raw)
		}
	}
	if len(x.Report().Issues) > 0 {
		t.Fatalf("a copy has stream issues: %v", x.Report().Issues)
	}
}
