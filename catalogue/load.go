package catalogue

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
)

// LoadOptions configure [LoadFS]. The zero value reads every OTA document
// with the default limits and leaves invalid documents out.
type LoadOptions struct {
	// Publisher, when set, is the publisher of every asset loaded,
	// whatever the documents say.
	Publisher string
	// Read configures the reading of each document. Validation is always
	// on: Read.Validate is ignored. Read.Check.Policy changes the severity
	// of issues, and so also which documents count as invalid.
	Read asset.ReadOptions
	// KeepInvalid adds documents that have error-severity issues to the
	// catalogue anyway. By default they are left out, with an error
	// "framework.catalogue.document.skipped" besides their own issues.
	KeepInvalid bool
}

// LoadFS reads every OTA document under fsys into a new catalogue: each file
// whose name ends in ".json" (so also ".ota.json"), in lexical path order,
// skipping files and folders whose names start with a dot. Each is decoded
// and validated as [asset.Read] does, within its limits.
//
// A document that cannot be read is reported and skipped; it is never
// fatal. A ".json" file that is not an OTA document — a JSON value other
// than an object, or an object without the "ota" member — is skipped with
// an info issue "framework.catalogue.document.not-ota"; for a ".ota.json"
// file these are errors. A document with error-severity issues is left out
// unless LoadOptions.KeepInvalid is set. Duplicated asset IDs are reported
// as [Catalogue.Merge] reports them.
//
// Every issue's Pointer is "PATH#POINTER": the document's slash-separated
// path in fsys, then "#" and the JSON Pointer within it
// ("insee/sa.ota.json#/title"), or PATH alone for an issue with the whole
// document; the Line is kept.
//
// The publisher of each asset is, in this order:
//
//  1. LoadOptions.Publisher when set;
//  2. else the name of the first contributor with the role publisher on
//     the asset, or on its nearest ancestor that has one;
//  3. else the name of the top folder of the document's path ("statcan"
//     for "statcan/courses/sa.ota.json"), so that a catalogue laid out as
//     one folder per office needs no metadata;
//  4. else nothing: a document at the root of fsys without a publisher
//     contributor has an unknown (empty) publisher, reported as a warning
//     "framework.catalogue.publisher.unknown".
//
// The error is non-nil only when fsys cannot be walked at all.
func LoadFS(fsys fs.FS, opts LoadOptions) (*Catalogue, ota.Report, error) {
	c := &Catalogue{}
	var rep ota.Report
	err := walk(fsys, opts, &rep, func(path string, root *asset.Asset, rep *ota.Report) error {
		rep.Add(c.AddDocument(opts.Publisher, path, root).Issues...)
		return nil
	})
	if err != nil {
		return nil, rep, err
	}
	return c, rep, nil
}

// Walk reads the OTA documents under fsys one at a time, as [LoadFS] does
// (the same files, order, limits and checks), and calls fn with the path
// and asset tree of each document LoadFS would add to its catalogue, so
// that a large catalogue can be processed without holding every tree (Walk
// holds one document at a time and, of the folders on its way, their
// entries' names only). The
// report has the issues of reading the documents; the unknown publishers
// and duplicated IDs LoadFS also reports are [Catalogue.AddDocument]'s (or
// [DocumentEntries]' and [DuplicateIssue]'s, for a caller that holds no
// catalogue):
// fn is given the walk's report so that it can add them (or any other
// issue about the document) in the place LoadFS has them, after the
// document's own.
//
// The error is non-nil when fsys cannot be walked at all or fn returns an
// error, which stops the walk.
func Walk(fsys fs.FS, opts LoadOptions, fn func(path string, root *asset.Asset, rep *ota.Report) error) (ota.Report, error) {
	var rep ota.Report
	err := walk(fsys, opts, &rep, fn)
	return rep, err
}

// walk is [Walk] reporting into rep.
func walk(fsys fs.FS, opts LoadOptions, rep *ota.Report, fn func(path string, root *asset.Asset, rep *ota.Report) error) error {
	err := walkFiles(fsys, ".", func(path string, dir bool, err error) error {
		if err != nil {
			if path == "." {
				return err
			}
			rep.Add(ota.Issue{Pointer: path, Code: "framework.catalogue.document.unreadable", Severity: ota.Error,
				Message: fmt.Sprintf("cannot read %s: %v", path, err)})
			return nil
		}
		if name := path[strings.LastIndexByte(path, '/')+1:]; path != "." && strings.HasPrefix(name, ".") {
			if dir {
				return fs.SkipDir
			}
			return nil
		}
		if dir || !strings.HasSuffix(strings.ToLower(path), ".json") {
			return nil
		}
		if root := readDocument(fsys, path, opts, rep); root != nil {
			return fn(path, root, rep)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("framework: loading catalogue: %w", err)
	}
	return nil
}

// readDocument reads one document, reporting into rep, and returns its
// tree, or nil when the document is left out.
func readDocument(fsys fs.FS, path string, opts LoadOptions, rep *ota.Report) *asset.Asset {
	otaName := strings.HasSuffix(strings.ToLower(path), ".ota.json")
	f, err := fsys.Open(path)
	if err != nil {
		rep.Add(ota.Issue{Pointer: path, Code: "framework.catalogue.document.unreadable", Severity: ota.Error,
			Message: fmt.Sprintf("cannot open %s: %v", path, err)})
		return nil
	}
	ro := opts.Read
	ro.Validate = true
	if ro.MaxBytes <= 0 {
		ro.MaxBytes = asset.DefaultMaxBytes
	}
	data, err := readAtMost(f, ro.MaxBytes)
	_ = f.Close()
	var doc *asset.Document
	var drep ota.Report
	if err == nil {
		doc, drep, err = asset.Unmarshal(data, ro)
	}
	if err != nil {
		if errors.Is(err, asset.ErrNotDocument) && !otaName {
			rep.Add(ota.Issue{Pointer: path, Code: "framework.catalogue.document.not-ota", Severity: ota.Info,
				Message: "the file is JSON but not an OTA document; it was skipped"})
			return nil
		}
		var se *asset.SyntaxError
		is := ota.Issue{Pointer: path, Code: "framework.catalogue.document.unreadable", Severity: ota.Error,
			Message: fmt.Sprintf("%v; the document was skipped", err)}
		if errors.As(err, &se) {
			is.Pointer, is.Line = locate(path, se.Pointer), se.Line
		}
		rep.Add(is)
		return nil
	}
	if !otaName && hasCode(drep, "asset.format.missing") {
		rep.Add(ota.Issue{Pointer: path, Code: "framework.catalogue.document.not-ota", Severity: ota.Info,
			Message: `the file is JSON but has no "ota" member, so it is not an OTA document; it was skipped (name OTA documents *.ota.json to have such files reported as errors)`})
		return nil
	}
	for _, is := range drep.Issues {
		is.Pointer = locate(path, is.Pointer)
		rep.Add(is)
	}
	if drep.HasErrors() && !opts.KeepInvalid {
		rep.Add(ota.Issue{Pointer: path, Code: "framework.catalogue.document.skipped", Severity: ota.Error,
			Message: "the document has errors and was left out of the catalogue; fix them, or load with KeepInvalid"})
		return nil
	}
	return &doc.Asset
}

// AddDocument adds the tree rooted at a, read from the document at path (a
// slash-separated path in the file system the catalogue is read from), as
// [LoadFS] adds each document: the entries are [DocumentEntries]'. The
// report has a warning for an unknown publisher and one for each ID
// already in the catalogue, as LoadFS reports them. A nil a adds nothing.
func (c *Catalogue) AddDocument(publisher, path string, a *asset.Asset) ota.Report {
	added, rep := DocumentEntries(publisher, path, a)
	if len(added) == 0 {
		return rep
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range added {
		e.pos = int32(len(c.entries))
		c.entries = append(c.entries, e)
	}
	rep.Add(c.duplicatesAmong(len(c.entries) - len(added))...)
	return rep
}

// DocumentEntries makes the entries of the tree rooted at a, read from the
// document at path, as [LoadFS] and [Catalogue.AddDocument] make them —
// Source is path, and the publisher is publisher (LoadOptions.Publisher)
// when set, else the asset's or its nearest ancestor's contributor with the
// role publisher, else the document's top folder — without adding them to
// a catalogue. The report has LoadFS's warning when no publisher is known.
// Entries of [Walk]'s documents can so be processed one document at a time;
// [DuplicateIssue] words the warning for IDs seen before. A nil a has no
// entries.
func DocumentEntries(publisher, path string, a *asset.Asset) ([]*Entry, ota.Report) {
	var rep ota.Report
	if a == nil {
		return nil, rep
	}
	top, _, inFolder := strings.Cut(path, "/")
	if !inFolder {
		top = ""
	}
	entries := entriesOf(publisher, top, path, a)
	for _, e := range entries {
		if e.Publisher == "" {
			rep.Add(ota.Issue{Pointer: e.Location(), Code: "framework.catalogue.publisher.unknown", Severity: ota.Warning,
				Message: "no publisher is known for the asset: give it a contributor with the role publisher, put the document in a folder named after its publisher, or set LoadOptions.Publisher"})
			break
		}
	}
	return entries, rep
}

// readAtMost reads all of f when it holds at most limit bytes, with a
// buffer of the file's size when the file system tells it (asset.Read
// starts from a 64 KiB buffer, which dominates the cost of small
// documents), and fails with asset.ErrTooLarge otherwise.
func readAtMost(f fs.File, limit int64) ([]byte, error) {
	size := int64(512)
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
		if info.Size() > limit {
			return nil, fmt.Errorf("%w: %d bytes, larger than the limit of %d bytes (ReadOptions.MaxBytes)", asset.ErrTooLarge, info.Size(), limit)
		}
		size = info.Size() + 1
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	n, err := buf.ReadFrom(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("asset: reading document: %w", err)
	}
	if n > limit {
		return nil, fmt.Errorf("%w: larger than the limit of %d bytes (ReadOptions.MaxBytes)", asset.ErrTooLarge, limit)
	}
	return buf.Bytes(), nil
}

func hasCode(r ota.Report, code string) bool {
	for _, is := range r.Issues {
		if is.Code == code {
			return true
		}
	}
	return false
}

// LoadDir reads the catalogue in the folder dir, as [LoadFS] does with
// os.DirFS(dir).
func LoadDir(dir string, opts LoadOptions) (*Catalogue, ota.Report, error) {
	return LoadFS(os.DirFS(dir), opts)
}
