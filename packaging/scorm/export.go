package scorm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/atomicfile"
	"github.com/metaacademy/ota/internal/zipw"
	"github.com/metaacademy/ota/packaging/xmlnode"
)

// ErrContent is matched by the error of [Export] when a file the asset
// tree names cannot be read from the content file system.
var ErrContent = errors.New("scorm: content file")

// singleSCO makes the whole course one SCO: every launchable leaf in order
// becomes a page of this package's launch page, which navigates between
// them and reports progress over all of them.
func (b *builder) singleSCO(root *asset.Asset, o *Organization) {
	for ptr, x := range root.All() {
		if len(x.Parts) > 0 && x != root {
			if launchOf(x) != nil {
				leaf := *x
				leaf.Parts = nil
				b.launch(&Item{}, &leaf, nil, ptr)
			}
			continue
		}
		if x == root && len(x.Parts) > 0 {
			if launchOf(x) != nil {
				leaf := *x
				leaf.Parts = nil
				b.launch(&Item{}, &leaf, nil, ptr)
			}
			continue
		}
		b.launch(&Item{}, x, itemExtOf(x), ptr)
	}
	if len(b.pages) == 0 {
		return
	}
	b.wrapped = true
	r := &Resource{Identifier: b.ident("", "RES", root.ID), Type: "webcontent", ScormType: "sco",
		Href: playerLaunch + "?course=1&v=" + b.apiVersion(), Dependencies: []string{playerResource}}
	files := b.fileList()
	for _, f := range files {
		r.Files = append(r.Files, &File{Href: hrefOf(f), Path: f})
	}
	b.p.Resources = append(b.p.Resources, r)
	it := &Item{Identifier: b.ident("", "ITEM", asset.DeriveID("scorm-export-single", root.ID)), Title: display(root.Title), IdentifierRef: r.Identifier}
	if ms, ok := masteryOf(root); ok {
		if b.v.Is2004() {
			pct := ms * 100
			it.Sequencing = &xmlnode.Node{Space: NSIMSSS, Local: "sequencing", Children: []*xmlnode.Node{objectivesNode(nil, &pct)}}
		} else {
			it.MasteryScore = percent(ms)
		}
	}
	b.p.player = &playerData{Pages: b.pages}
	o.Items = append(o.Items, it)
}

// playerData is what the single-SCO launch page needs: the pages in
// order.
type playerData struct {
	Pages []page `json:"pages"`
}

// courseScript is ota-scorm/course.js: the pages of a single-SCO course.
func (pd *playerData) courseScript() []byte {
	data, _ := json.Marshal(pd) // plain strings: cannot fail
	// Escape "</" so that the JSON cannot end a script element, and
	// U+2028/2029, which older JavaScript engines reject in strings.
	s := strings.NewReplacer("</", `<\/`, "\u2028", `\u2028`, "\u2029", `\u2029`).Replace(string(data))
	return []byte("window.OTA_COURSE = " + s + ";\n")
}

// Export writes the asset tree a as a SCORM package to w: a zip with
// imsmanifest.xml first, then every file, sorted by path. Content files
// are read from content, an fs.FS whose paths are the resources' paths
// (for an OTA document, the folder it is in; for an imported package, the
// package itself). The launch page wrapping content that is not already a
// SCO is written under "ota-scorm/". The output is deterministic: the same
// tree and content give the same bytes.
//
// ExportOptions.Schemas, when set, adds the control documents (XSDs).
//
// The report holds what could not be carried over. An error is returned
// when the tree cannot be packaged (the report says why), when a content
// file is missing ([ErrContent]), or when writing fails. Export is
// [ExportContext] with context.Background().
func Export(w io.Writer, a *asset.Asset, content fs.FS, opts ExportOptions) (ota.Report, error) {
	return ExportContext(context.Background(), w, a, content, opts)
}

// ExportContext is [Export] with a context that cancels the copying of
// the content; w then holds a partial zip.
func ExportContext(ctx context.Context, w io.Writer, a *asset.Asset, content fs.FS, opts ExportOptions) (ota.Report, error) {
	schemas := opts.Schemas
	p, rep := FromAsset(a, opts)
	if p == nil {
		return rep, rep.Err()
	}
	files := p.fileNames()
	locs := map[string]string{}
	var schemaFiles []string
	if schemas != nil {
		var err error
		schemaFiles, locs, err = controlDocuments(schemas, p.Version.Is2004())
		if err != nil {
			return rep, err
		}
	}
	var manifest bytes.Buffer
	if err := p.WriteManifest(&manifest, locs); err != nil {
		return rep, err
	}
	zw := zipw.NewWriter(w)
	if _, err := zw.Copy(ctx, "imsmanifest.xml", &manifest, false, nil); err != nil {
		return rep, err
	}
	type entry struct {
		name string
		from fs.FS
		data []byte
	}
	var entries []entry
	for _, f := range files {
		switch f {
		case playerLaunch:
			entries = append(entries, entry{name: f, data: playerHTML})
		case playerScript:
			entries = append(entries, entry{name: f, data: playerJS})
		case adapterLaunch:
			entries = append(entries, entry{name: f, data: adapterHTML})
		case adapterScript:
			entries = append(entries, entry{name: f, data: adapterJS})
		case playerCourse:
			entries = append(entries, entry{name: f, data: p.player.courseScript()})
		default:
			entries = append(entries, entry{name: f, from: content})
		}
	}
	for _, f := range schemaFiles {
		if !slices.ContainsFunc(entries, func(e entry) bool { return strings.EqualFold(e.name, f) }) {
			entries = append(entries, entry{name: f, from: schemas})
		}
	}
	slices.SortFunc(entries, func(x, y entry) int { return strings.Compare(x.name, y.name) })
	for _, e := range entries {
		store := zipw.Compressed(zipw.MediaType(e.name))
		if e.from == nil {
			if _, err := zw.Copy(ctx, e.name, bytes.NewReader(e.data), store, nil); err != nil {
				return rep, err
			}
			continue
		}
		if err := copyFile(ctx, zw, e.from, e.name, store); err != nil {
			return rep, err
		}
	}
	return rep, zw.Close()
}

func copyFile(ctx context.Context, zw *zipw.Writer, fsys fs.FS, name string, store bool) error {
	if fsys == nil {
		return fmt.Errorf("%w %s: no content file system given", ErrContent, name)
	}
	f, err := fsys.Open(name)
	if err != nil {
		return fmt.Errorf("%w %s: %w", ErrContent, name, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return fmt.Errorf("%w %s: is a folder", ErrContent, name)
	}
	_, err = zw.Copy(ctx, name, f, store, nil)
	return err
}

// ExportFile writes the package [ExportContext] writes to path atomically:
// to a temporary file beside it, renamed over path only when everything
// succeeded; otherwise path is left as it was.
func ExportFile(ctx context.Context, path string, a *asset.Asset, content fs.FS, opts ExportOptions) (ota.Report, error) {
	var rep ota.Report
	err := atomicfile.Write(path, 0o644, func(w io.Writer) error {
		var err error
		rep, err = ExportContext(ctx, w, a, content, opts)
		return err
	})
	return rep, err
}

// fileNames returns the package's files, sorted.
func (p *Package) fileNames() []string {
	out := make([]string, 0, len(p.Files))
	for _, f := range p.Files {
		out = append(out, f.Name)
	}
	slices.Sort(out)
	return out
}

// controlDocuments lists the files of schemas to ship (every file, LOM
// folders included) and the schemaLocation of each standard namespace
// whose document is at its root.
func controlDocuments(schemas fs.FS, is2004 bool) ([]string, map[string]string, error) {
	var files []string
	err := fs.WalkDir(schemas, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("scorm: reading the control documents: %w", err)
	}
	locs := map[string]string{}
	for _, sf := range schemaFiles[is2004] {
		if slices.Contains(files, sf[1]) {
			locs[sf[0]] = sf[1]
		}
	}
	return files, locs, nil
}
