package xapi

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/metaacademy/ota/internal/jsontree"
)

// ErrWriterClosed is returned by a [Writer] used after Close.
var ErrWriterClosed = errors.New("xapi: write to a closed stream writer")

// Writer writes statements as a stream: NDJSON, a JSON array or a
// StatementResult object ({"statements": […]}). The output is
// deterministic: every statement is written as [Statement.MarshalJSON]
// writes it, one statement per line. An array is written as "[", a line
// per statement with a comma at the end of all but the last, and "]"; a
// StatementResult the same way inside {"statements": …}. Close writes the
// end of an array or object, so a stream is complete only once it is
// closed.
//
// Writer buffers its output; Close (or Flush) writes it out. It does not
// validate: use [Statement.Check] first where that matters. A Writer must
// not be used by several goroutines at once.
type Writer struct {
	w      *bufio.Writer
	format StreamFormat
	n      int
	enc    encoder
	tmp    bytes.Buffer
	err    error
	closed bool
}

// NewWriter returns a Writer of the given layout: [StreamNDJSON] (also
// for [StreamAuto]), [StreamArray] or [StreamStatements]. Any other
// layout gives a Writer whose every call fails with [ErrStreamOptions].
func NewWriter(w io.Writer, format StreamFormat) *Writer {
	sw := &Writer{w: bufio.NewWriterSize(w, 64<<10), format: format}
	switch format {
	case StreamAuto:
		sw.format = StreamNDJSON
	case StreamNDJSON, StreamArray, StreamStatements:
	default:
		sw.err = fmt.Errorf("%w: a Writer writes %q, %q or %q, not %q", ErrStreamOptions, StreamNDJSON, StreamArray, StreamStatements, format)
	}
	return sw
}

// Count returns the number of statements written.
func (w *Writer) Count() int { return w.n }

// Write writes one statement. It fails when the statement cannot be
// written as JSON (see [Statement.MarshalJSON]), leaving the stream as it
// was, or when writing fails.
func (w *Writer) Write(s *Statement) error {
	if err := w.usable(); err != nil {
		return err
	}
	if s == nil {
		return errors.New("xapi: Writer.Write of a nil statement")
	}
	w.enc.buf.Reset()
	w.enc.err = nil
	w.enc.statement(s)
	data, err := w.enc.result()
	if err != nil {
		return err
	}
	return w.record(data)
}

// WriteRaw writes one statement given as JSON text, such as
// [Record].Raw, with its insignificant white space removed so that it
// takes one line. It fails when data is not a JSON object.
func (w *Writer) WriteRaw(data []byte) error {
	if err := w.usable(); err != nil {
		return err
	}
	w.tmp.Reset()
	if err := jsontree.Compact(&w.tmp, data); err != nil {
		return fmt.Errorf("%w: %w", ErrSyntax, err)
	}
	if b := w.tmp.Bytes(); len(b) == 0 || b[0] != '{' {
		return fmt.Errorf("%w: a statement is a JSON object", ErrNotObject)
	}
	return w.record(w.tmp.Bytes())
}

func (w *Writer) usable() error {
	if w.closed {
		return ErrWriterClosed
	}
	return w.err
}

// record writes one compact statement with what goes before it.
func (w *Writer) record(data []byte) error {
	switch {
	case w.format == StreamNDJSON:
	case w.n > 0:
		w.w.WriteString(",\n")
	case w.format == StreamArray:
		w.w.WriteString("[\n")
	default:
		w.w.WriteString("{\"statements\":[\n")
	}
	w.w.Write(data)
	if w.format == StreamNDJSON {
		w.w.WriteByte('\n')
	}
	// bufio.Writer keeps the first write error and returns it from then
	// on; surface it with this statement.
	if _, err := w.w.Write(nil); err != nil {
		w.err = err
		return err
	}
	w.n++
	return nil
}

// Flush writes any buffered output. An array or StatementResult stays
// open.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	if err := w.w.Flush(); err != nil {
		w.err = err
	}
	return w.err
}

// Close ends the array or StatementResult object ("[]" or
// {"statements":[]} when nothing was written) and flushes. It does not
// close the underlying writer. Closing twice does nothing more.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	if w.err != nil {
		return w.err
	}
	switch {
	case w.format == StreamNDJSON:
	case w.n == 0 && w.format == StreamArray:
		w.w.WriteString("[]\n")
	case w.n == 0:
		w.w.WriteString("{\"statements\":[]}\n")
	case w.format == StreamArray:
		w.w.WriteString("\n]\n")
	default:
		w.w.WriteString("\n]}\n")
	}
	if err := w.w.Flush(); err != nil {
		w.err = err
	}
	return w.err
}
