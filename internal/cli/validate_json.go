package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
)

// jsonOut writes validate's --format json object as validation goes, so
// that the issues of a record stream are written as they are found instead
// of being held until the end: a stream of millions of invalid statements
// validates in the memory of one. The object is the one the command's
// contract gives, indented by two spaces as encoding/json's indenting
// encoder writes it, with one difference that JSON does not see: a file's
// "valid" member comes after its issues, when it is known.
//
// Write errors are left to the bufio.Writer validate writes through,
// whose Flush reports the first one.
type jsonOut struct {
	w io.Writer
	// files is the number of files begun; issues the number of issues of
	// the current file written; header whether its path and kind are.
	files, issues int
	header        bool
	buf           bytes.Buffer
}

// Indentation of a file's object (inside "files") and of an issue's
// (inside the file's "issues").
const (
	jsonFileIndent  = "    "
	jsonIssueIndent = "        "
)

func newJSONOut(w io.Writer) *jsonOut {
	io.WriteString(w, "{\n  \"files\": [")
	return &jsonOut{w: w}
}

// beginFile starts the object of the next file. Its header (path and
// kind) is written with the first issue or at endFile, once the kind is
// known.
func (j *jsonOut) beginFile() {
	j.issues, j.header = 0, false
}

// writeHeader writes the start of r's object up to its issues' "[".
func (j *jsonOut) writeHeader(r *fileResult) {
	if j.header {
		return
	}
	j.header = true
	if j.files > 0 {
		io.WriteString(j.w, ",")
	}
	j.files++
	io.WriteString(j.w, "\n"+jsonFileIndent+"{\n"+jsonFileIndent+"  \"path\": ")
	j.value(r.Path, "")
	io.WriteString(j.w, ",\n"+jsonFileIndent+"  \"kind\": ")
	j.value(r.Kind, "")
	io.WriteString(j.w, ",\n"+jsonFileIndent+"  \"issues\": [")
}

// issue writes one issue of r, the file begun last.
func (j *jsonOut) issue(r *fileResult, is jsonIssue) {
	j.writeHeader(r)
	if j.issues > 0 {
		io.WriteString(j.w, ",")
	}
	j.issues++
	io.WriteString(j.w, "\n"+jsonIssueIndent)
	j.value(is, jsonIssueIndent)
}

// endFile writes r's issues not written yet (those of a document, which
// its reader returns together), then the rest of its object.
func (j *jsonOut) endFile(r *fileResult) {
	j.writeHeader(r)
	for _, is := range r.Issues {
		j.issue(r, is)
	}
	if j.issues > 0 {
		io.WriteString(j.w, "\n"+jsonFileIndent+"  ")
	}
	io.WriteString(j.w, "],\n"+jsonFileIndent+"  \"valid\": "+strconv.FormatBool(r.Valid))
	if r.Records != nil {
		io.WriteString(j.w, ",\n"+jsonFileIndent+"  \"records\": "+strconv.Itoa(*r.Records))
	}
	io.WriteString(j.w, "\n"+jsonFileIndent+"}")
}

// end closes the object with the counts of every file.
func (j *jsonOut) end(valid, invalid int) {
	if j.files > 0 {
		io.WriteString(j.w, "\n  ")
	}
	io.WriteString(j.w, "],\n  \"valid\": "+strconv.Itoa(valid)+",\n  \"invalid\": "+strconv.Itoa(invalid)+"\n}\n")
}

// value writes v as indented JSON whose first line is already indented by
// prefix, without HTML escaping, as validate's encoder always did.
func (j *jsonOut) value(v any, prefix string) {
	j.buf.Reset()
	enc := json.NewEncoder(&j.buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		// Strings, booleans and issues of strings and numbers always
		// encode; should one not, the output says so in JSON.
		io.WriteString(j.w, strconv.Quote("cannot encode: "+err.Error()))
		return
	}
	j.w.Write(bytes.TrimSuffix(j.buf.Bytes(), []byte("\n")))
}
