package xapi

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/metaacademy/ota"
)

// cutRecord is a record cut from a stream, not yet validated.
type cutRecord struct {
	raw      []byte // nil for a record over a limit
	line     int    // the line it starts on
	index    int
	prefix   string // pointer prefix of the stream's records ("/", "/statements/")
	tooLarge bool
	tooDeep  bool
}

// finish validates a cut record with v and returns it. tooLarge and
// tooDeep records are not validated. It uses nothing of x that changes
// while the stream is read, so the goroutines of a pipeline may call it
// at once, each with its own Validator.
func (x *Reader) finish(v *Validator, cr cutRecord) Record {
	raw, line := cr.raw, cr.line
	rec := Record{Index: cr.index, Line: line, Raw: raw}
	switch {
	case cr.tooLarge:
		rec.Raw = nil
		rec.Report.Add(ota.Issue{Code: "xapi.stream.record-too-large", Severity: ota.Error,
			Message: fmt.Sprintf("the record is larger than %d bytes, the limit of this reader; a statement is a few kilobytes at most, so check that records are separated (one statement per line in NDJSON); a program reading the stream can raise the limit", x.maxRec)})
		rec.Report.Apply(x.opts.Validate.Policy)
	case cr.tooDeep:
		rec.Raw = nil
		rec.Report.Add(ota.Issue{Code: "xapi.json.too-deep", Severity: ota.Error,
			Message: fmt.Sprintf("the record nests arrays and objects deeper than %d levels, the limit of this reader; flatten the extension values that nest this deep", x.maxDepth)})
		rec.Report.Apply(x.opts.Validate.Policy)
	case x.opts.Decode:
		rec.Statement, rec.Report, _ = v.Decode(raw)
	default:
		rec.Report = v.Validate(raw)
	}
	if len(rec.Report.Issues) == 0 {
		return rec
	}
	ptr := ""
	if cr.prefix != "" {
		ptr = cr.prefix + strconv.Itoa(cr.index)
	}
	last := line + bytes.Count(raw, []byte{'\n'}) // the record's last line
	for i := range rec.Report.Issues {
		is := &rec.Report.Issues[i]
		if is.Line > 0 {
			// Lines within the record count from 1; the parser also ends
			// lines at a lone "\r", which the stream does not, so keep
			// the line within the record.
			is.Line = min(is.Line+line-1, last)
			if line > 1 && strings.HasPrefix(is.Code, "xapi.json.") && strings.Contains(is.Message, "line ") {
				is.Message = shiftLines(is.Message, line-1, last)
			}
		} else {
			is.Line = line
		}
		is.Pointer = ptr + is.Pointer
	}
	return rec
}

// lineRE finds the line numbers in the parser's messages ("at line 3,
// column 7", "(line 3, column 7)").
var lineRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\bline (\d+)`) })

// shiftLines adds delta to the line numbers of a parser's message about a
// record, so that they are lines of the stream, at most last.
func shiftLines(msg string, delta, last int) string {
	return lineRE().ReplaceAllStringFunc(msg, func(m string) string {
		n, err := strconv.Atoi(m[len("line "):])
		if err != nil {
			return m
		}
		return "line " + strconv.Itoa(min(n+delta, last))
	})
}

// The pipeline of a Reader with more than one worker: the goroutine that
// calls Next cuts the stream into batches of records, copying each
// record's bytes into the batch, and starts a goroutine per batch that
// validates its records; Next hands out the records of the oldest batch
// once it is done. A few batches are in flight at once, so memory stays
// bounded. No goroutine outlives its batch: a Reader that is dropped
// half-way leaves nothing running once the batches in flight are done.
type pipeline struct {
	inflight []*batch        // oldest first
	cur      *batch          // the batch Next hands out records from
	pos      int             // the next record of cur
	free     []*batch        // batches to reuse
	idle     chan *Validator // validators not in use; one per worker
	end      error           // the error that ends the stream, once cut
	cutDone  bool
}

// batch is a run of records cut from the stream.
type batch struct {
	buf  []byte      // the records' bytes, back to back
	cuts []cutRecord // the records, raw set after cutting (see cut)
	offs []int       // where each record's bytes start in buf
	recs []Record
	err  error // the error that ends the stream after these records
	done chan struct{}
}

// A batch ends after batchRecords records or once it holds batchBytes.
const (
	batchRecords = 512
	batchBytes   = 128 << 10
)

// nextParallel returns the next record from the pipeline.
func (x *Reader) nextParallel() (Record, error) {
	p := &x.pipe
	for {
		if b := p.cur; b != nil {
			if p.pos < len(b.recs) {
				rec := b.recs[p.pos]
				p.pos++
				return rec, nil
			}
			if b.err != nil {
				p.end = b.err
			}
			p.cur = nil
			p.free = append(p.free, b)
		}
		if len(p.inflight) == 0 {
			if p.end != nil {
				return Record{}, p.end
			}
			x.fillPipeline()
			if len(p.inflight) == 0 {
				return Record{}, io.EOF
			}
		}
		b := p.inflight[0]
		p.inflight = p.inflight[1:]
		<-b.done
		p.cur, p.pos = b, 0
		// Start the next batches before handing out this one's records.
		x.fillPipeline()
	}
}

// fillPipeline cuts batches and starts their validation until enough are
// in flight or the stream is cut to its end.
func (x *Reader) fillPipeline() {
	p := &x.pipe
	if p.idle == nil {
		// All made at once, so that nothing here depends on timing.
		p.idle = make(chan *Validator, x.workers)
		for range x.workers {
			p.idle <- NewValidator(x.opts.Validate)
		}
	}
	for !p.cutDone && len(p.inflight) < 2*x.workers {
		b := x.cutBatch()
		p.inflight = append(p.inflight, b)
		go x.validateBatch(b)
	}
}

// cutBatch cuts the next batch of records.
func (x *Reader) cutBatch() *batch {
	p := &x.pipe
	var b *batch
	if n := len(p.free); n > 0 {
		b = p.free[n-1]
		p.free = p.free[:n-1]
		b.cuts, b.offs, b.recs, b.err = b.cuts[:0], b.offs[:0], b.recs[:0], nil
	} else {
		b = &batch{}
	}
	if cap(b.buf) == 0 || cap(b.buf) > 2*batchBytes {
		// A new batch, or one grown for a large record: do not keep that.
		b.buf = make([]byte, 0, batchBytes+batchBytes/4)
	}
	b.buf = b.buf[:0]
	b.done = make(chan struct{})
	for len(b.cuts) < batchRecords && len(b.buf) < batchBytes {
		cr, err := x.cut()
		if err != nil {
			b.err, p.cutDone = err, true
			break
		}
		b.offs = append(b.offs, len(b.buf))
		b.buf = append(b.buf, cr.raw...)
		b.cuts = append(b.cuts, cr)
	}
	for i := range b.cuts {
		if b.cuts[i].raw != nil {
			end := len(b.buf)
			if i+1 < len(b.offs) {
				end = b.offs[i+1]
			}
			b.cuts[i].raw = b.buf[b.offs[i]:end:end]
		}
	}
	return b
}

// validateBatch validates the records of b with an idle validator.
func (x *Reader) validateBatch(b *batch) {
	v := <-x.pipe.idle
	for _, cr := range b.cuts {
		b.recs = append(b.recs, x.finish(v, cr))
	}
	x.pipe.idle <- v
	close(b.done)
}
