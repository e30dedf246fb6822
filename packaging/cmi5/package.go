package cmi5

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"slices"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/atomicfile"
	"github.com/metaacademy/ota/internal/zipw"
)

// The launch page: what the export writes into the package for content
// that is not already a cmi5 AU (see [ExportOptions.Direct]).
//
// Its AU url is LaunchPage + "?content=" + the content's package path. The
// page does the AU's part of cmi5 for the content, with no dependencies:
// it reads the launch parameters (endpoint, fetch, actor, registration,
// activityId) the LMS appends to the url, POSTs to the fetch URL once for
// the auth token, reads the LMS.LaunchData state document (context
// template, launch mode, moveOn, mastery score, return URL), sends
// initialized, shows the content in a frame, sends completed when the
// content has loaded (in Normal launch mode, and not when the
// registration already has a completed), and terminated, with the
// session's duration, when the learner presses Done or leaves the page.
//
// Content that knows its score tells the page with
//
//	window.parent.postMessage({type: "ota-score", scaled: 0.8}, "*")
//
// where scaled is the score from 0 to 1; an optional success (true or
// false) judges it when the AU has no mastery score. The page then sends
// passed or failed (once per session, in Normal mode): against the
// mastery score when there is one, otherwise by success, and not at all
// with neither. Only messages from the content frame, from the page's own
// origin, are read.
//
// The page exposes its progress as window.otaCmi5: state ("starting",
// "running", "terminated" or "error"), sent (the verbs of the statements
// the LRS acknowledged, in order) and error (a message, or null).
const (
	// LaunchPage is the package path of the launch page.
	LaunchPage = "ota-cmi5/au.html"
	// LaunchScript is the package path of the launch page's script.
	LaunchScript = "ota-cmi5/au.js"
)

//go:embed launch/au.html launch/au.js
var launchFiles embed.FS

// launchPageFiles maps the package paths of the launch page's files to
// their embedded names.
var launchPageFiles = map[string]string{LaunchPage: "launch/au.html", LaunchScript: "launch/au.js"}

// LaunchPageFile returns the content of a launch page file, by package
// path ([LaunchPage] or [LaunchScript]), for LMSs and tests that serve the
// page themselves.
func LaunchPageFile(name string) ([]byte, error) {
	src, ok := launchPageFiles[name]
	if !ok {
		return nil, fmt.Errorf("cmi5: %q is not a launch page file: %w", name, fs.ErrNotExist)
	}
	return launchFiles.ReadFile(src)
}

// Export writes a cmi5 package of the asset tree a to w: a zip holding
// cmi5.xml (made by [FromAsset] and [Course.Write]) as its first
// entry, then every file the tree's resources name, read from content at
// the resource's Path, and the launch page when an AU uses it, sorted by
// name. The zip is deterministic: the same tree, content and options give
// the same bytes. A file whose size or sha256 differs from its resource's
// is refused, as is a missing one (errors name the file).
//
// The report holds FromAsset's findings and losses. When it has an
// error (nothing to launch) Export writes nothing and returns an error
// matching [ErrExport]; w holds a partial zip after any other error.
//
// Export is [ExportContext] with context.Background().
func Export(w io.Writer, a *asset.Asset, content fs.FS, opts ExportOptions) (ota.Report, error) {
	return ExportContext(context.Background(), w, a, content, opts)
}

// ExportContext is [Export] with a context that cancels the copying of
// the content; w then holds a partial zip.
func ExportContext(ctx context.Context, w io.Writer, a *asset.Asset, content fs.FS, opts ExportOptions) (ota.Report, error) {
	if a == nil {
		return ota.Report{}, fmt.Errorf("%w: no asset", ErrExport)
	}
	if err := opts.check(); err != nil {
		return ota.Report{}, err
	}
	c, rep, wrapped := fromAsset(a, opts)
	if rep.HasErrors() {
		return rep, fmt.Errorf("%w: %w", ErrExport, rep.Err())
	}
	files, err := packageFiles(a, wrapped)
	if err != nil {
		return rep, err
	}
	if len(files) > 0 && content == nil && !onlyLaunchPage(files) {
		return rep, fmt.Errorf("%w: the tree names files but no content was given", ErrExport)
	}
	var xml bytes.Buffer
	if err := c.Write(&xml); err != nil {
		return rep, err
	}
	zw := zipw.NewWriter(w)
	if _, err := zw.Copy(ctx, "cmi5.xml", &xml, false, nil); err != nil {
		return rep, err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if err := copyFile(ctx, zw, content, name, files[name]); err != nil {
			return rep, err
		}
	}
	return rep, zw.Close()
}

// fromAsset is FromAsset, also reporting whether an AU
// launches the launch page.
func fromAsset(a *asset.Asset, opts ExportOptions) (*Course, ota.Report, bool) {
	b := newBuilder(opts)
	c := b.build(a)
	return c, b.rep, b.wrapped
}

// packageFiles lists the files of the package but cmi5.xml: the first
// resource naming each path, and the launch page's files (nil resources).
func packageFiles(a *asset.Asset, wrapped bool) (map[string]*asset.Resource, error) {
	files := map[string]*asset.Resource{}
	var names zipw.Names
	if err := names.Add("cmi5.xml"); err != nil {
		return nil, err
	}
	add := func(name string, r *asset.Resource, where string) error {
		if _, dup := files[name]; dup {
			return nil
		}
		if err := names.Add(name); err != nil {
			return fmt.Errorf("%w: %s: %w", ErrExport, where, err)
		}
		files[name] = r
		return nil
	}
	if wrapped {
		for _, name := range []string{LaunchPage, LaunchScript} {
			if err := add(name, nil, "the launch page"); err != nil {
				return nil, err
			}
		}
	}
	for ptr, x := range a.All() {
		for i := range x.Resources {
			r := &x.Resources[i]
			if err := add(r.Path, r, fmt.Sprintf("%s/resources/%d", ptr, i)); err != nil {
				return nil, err
			}
			if _, own := launchPageFiles[r.Path]; own && wrapped {
				return nil, fmt.Errorf("%w: the resource %q has the name of the launch page's file", ErrExport, r.Path)
			}
		}
	}
	return files, nil
}

func onlyLaunchPage(files map[string]*asset.Resource) bool {
	for _, r := range files {
		if r != nil {
			return false
		}
	}
	return true
}

// copyFile writes one file into the zip: a launch page file when r is
// nil, else the resource's file from content, checked against its size
// and sha256.
func copyFile(ctx context.Context, zw *zipw.Writer, content fs.FS, name string, r *asset.Resource) error {
	if r == nil {
		data, err := LaunchPageFile(name)
		if err != nil {
			return err
		}
		_, err = zw.Copy(ctx, name, bytes.NewReader(data), false, nil)
		return err
	}
	f, err := content.Open(name)
	if err != nil {
		return fmt.Errorf("%w: the file %q: %w", ErrExport, name, err)
	}
	defer f.Close()
	mt := r.MediaType
	if mt == "" {
		mt = zipw.MediaType(name)
	}
	var h hash.Hash
	if r.SHA256 != "" {
		h = sha256.New()
	}
	n, err := zw.Copy(ctx, name, f, zipw.Compressed(mt), teeOf(h))
	if err != nil {
		if errors.Is(err, fs.ErrInvalid) || errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%w: the file %q: %w", ErrExport, name, err)
		}
		return err
	}
	if r.Size > 0 && n != r.Size {
		return fmt.Errorf("%w: the file %q has %d bytes; its resource says %d", ErrExport, name, n, r.Size)
	}
	if h != nil {
		if sum := hex.EncodeToString(h.Sum(nil)); sum != r.SHA256 {
			return fmt.Errorf("%w: the file %q has sha256 %s; its resource says %s", ErrExport, name, sum, r.SHA256)
		}
	}
	return nil
}

func teeOf(h hash.Hash) io.Writer {
	if h == nil {
		return nil
	}
	return h
}

// ExportFile writes the cmi5 package of the asset tree a to the file at
// path, as [ExportContext] does, atomically: the file is replaced only once the
// whole package is written, and left as it was on error.
func ExportFile(ctx context.Context, path string, a *asset.Asset, content fs.FS, opts ExportOptions) (ota.Report, error) {
	var rep ota.Report
	err := atomicfile.Write(path, 0o644, func(w io.Writer) error {
		var err error
		rep, err = ExportContext(ctx, w, a, content, opts)
		return err
	})
	return rep, err
}
