package cli

import (
	"bytes"
	"errors"
	"io"
	"os"
	"runtime/debug"
	"slices"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/xapi"
)

// The xapi input kind: xAPI statements, validated record by record.
func init() {
	kinds = append([]*kind{{
		name:   "xapi",
		detect: isStatements,
		load: func(*input, *readOpts) (*asset.Document, ota.Report, error) {
			return nil, ota.Report{}, errors.New("the input holds xAPI statements, which are learner records, not an asset tree; check them with 'ota validate'")
		},
		records: validateStatements,
	}}, kinds...)
}

// isStatements reports whether the input holds xAPI statements: a JSON
// object with an "actor", "verb" or "object" member, a JSON array whose
// first element is one, a StatementResult ({"statements": […]}), or NDJSON
// (a JSON object alone on the first line and another object on the next).
// An object with the "ota" member or the members of an asset ("kind",
// "title", "parts") stays an OTA document.
func isStatements(in *input) bool {
	format, keys := xapi.Sniff(in.head)
	for _, k := range keys {
		switch k {
		case "ota", "kind", "title", "parts":
			return false
		}
	}
	statementLike := slices.ContainsFunc(keys, func(k string) bool { return k == "actor" || k == "verb" || k == "object" })
	switch format {
	case xapi.StreamStatements:
		return true
	case xapi.StreamArray, xapi.StreamSingle:
		return statementLike
	case xapi.StreamNDJSON:
		return statementLike || firstByte(in.head) == '{' && objectOnNextLine(in.head)
	}
	return false
}

// objectOnNextLine reports whether, after the first line of head, the
// next line that is not blank starts with '{'.
func objectOnNextLine(head []byte) bool {
	i := bytes.IndexByte(head, '\n')
	if i < 0 {
		return false
	}
	rest := bytes.TrimLeft(head[i+1:], " \t\r\n")
	return len(rest) > 0 && rest[0] == '{'
}

// streamGCPercent is the garbage collector's pace (runtime/debug's
// SetGCPercent) while a record stream is validated, unless GOGC sets
// another. A stream's live heap is a few MiB whatever its length (each
// record is validated and dropped), so at the default 100 the collector
// runs every few MiB allocated; at 400 it runs a quarter as often, which
// saves about a sixth of the CPU time of validating 200,000 statements for
// about 10 MiB more resident memory (docs/performance.md). The process's
// soft memory limit still holds.
const streamGCPercent = 400

// validateStatements reads the statements of in one record at a time and
// validates each, passing issues to o.emit as they are found (or
// collecting them in r), and counts the records. Problems with the layout
// of the stream (an array never closed) come after the records'. A read
// error stops the reading with exit code 2.
func validateStatements(in *input, o *readOpts, r *fileResult) {
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(streamGCPercent))
	}
	emit := func(is ota.Issue) {
		if o.emit != nil {
			o.emit(r, is)
			return
		}
		r.Issues = append(r.Issues, toJSONIssue(is))
	}
	x := xapi.NewReader(in.body, xapi.StreamOptions{Validate: xapi.ValidateOptions{Version: o.xapiVersion, Policy: o.policy}})
	var readErr error
	for {
		rec, err := x.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			readErr = err
			break
		}
		for _, is := range rec.Report.Issues {
			emit(is)
		}
	}
	layout := x.Report()
	for _, is := range layout.Issues {
		emit(is)
	}
	valid, invalid := x.Counts()
	n := valid + invalid
	r.valid, r.bad, r.Records = valid, invalid, &n
	r.Valid = invalid == 0 && !layout.HasErrors() && readErr == nil
	switch {
	case readErr != nil:
		emit(ota.Issue{Code: "ota.input.unreadable", Severity: ota.Error, Message: readErr.Error()})
		r.code = ExitUsage
	case !r.Valid:
		r.code = ExitInvalid
	}
}
