package scorm

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
)

// The files and resources of an exported package: launch URLs, the
// launch page, the resources restored from an imported package and the
// course's own files.

// hrefOf writes a package path as a relative URL: each segment
// percent-encoded where a URL needs it (spaces, '#', '?', '%').
func hrefOf(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// isPlayerHref reports whether href is one of this package's own pages,
// which are rebuilt rather than restored.
func isPlayerHref(href string) bool {
	f, _, _ := strings.Cut(href, "?")
	return f == playerLaunch || f == adapterLaunch
}

// playerResource adds the asset resource holding the launch page files.
func (b *builder) playerResource() {
	r := &Resource{Identifier: playerResource, Type: "webcontent", ScormType: "asset", Files: b.playerFiles()}
	b.ids[playerResource] = true
	b.p.Resources = append(b.p.Resources, r)
}

// playerFiles lists the files of this package's own pages the package
// needs.
func (b *builder) playerFiles() []*File {
	var names []string
	if b.wrapped {
		names = append(names, playerLaunch, playerScript)
		if b.opts.SingleSCO {
			names = append(names, playerCourse)
		}
	}
	if b.adapted {
		names = append(names, adapterLaunch, adapterScript)
	}
	files := make([]*File, len(names))
	for i, n := range names {
		files[i] = &File{Href: n, Path: n}
	}
	return files
}

// restoredResources writes back the resources of the source package that
// items or other restored resources use, with files and dependencies.
func (b *builder) restoredResources() {
	if b.src == nil {
		return
	}
	// Follow dependencies, so that shared resources come along.
	queue := make([]string, 0, len(b.used))
	for id := range b.used {
		queue = append(queue, id)
	}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if re, ok := b.res[id]; ok {
			for _, d := range re.Dependencies {
				if _, ok := b.res[d]; ok && !b.used[d] {
					b.used[d] = true
					queue = append(queue, d)
				}
			}
		}
	}
	var out []*Resource
	for _, re := range b.src.Resources {
		if !b.used[re.Identifier] {
			continue
		}
		b.ids[re.Identifier] = true
		r := &Resource{Identifier: re.Identifier, Type: re.Type, ScormType: re.ScormType, Href: re.Href, Base: re.Base}
		for _, d := range re.Dependencies {
			if b.used[d] {
				r.Dependencies = append(r.Dependencies, d)
			}
		}
		for i, f := range re.Files {
			file := &File{Href: f}
			if m := re.FileMetadata[strconv.Itoa(i)]; m != nil {
				if b.sameFamily() {
					file.Metadata = m
				} else {
					b.loss("scorm.lost.file-metadata", "/extensions", "", "the metadata of file "+f+" of resource "+re.Identifier,
						"LOM is bound differently in SCORM 1.2 and 2004, and a file has no asset to make a new record from")
				}
			}
			r.Files = append(r.Files, file)
		}
		if !b.sameFamily() {
			b.flatten(r)
		}
		if b.sameFamily() {
			r.Metadata = re.Metadata
			r.Extra = re.Extra
		}
		out = append(out, r)
	}
	b.p.Resources = append(out, b.p.Resources...)
}

// flatten resolves a restored resource's xml:base into its hrefs (a
// package of the other SCORM family is written without xml:base) and
// sends a SCO through the API adapter, which offers it the API of the
// version it was written for.
func (b *builder) flatten(r *Resource) {
	bases := []string{b.src.Base, b.src.ResourcesBase, r.Base}
	for _, f := range r.Files {
		f.Href = resolveChain(f.Href, bases...)
	}
	if r.Href != "" {
		r.Href = resolveChain(r.Href, bases...)
	}
	r.Base = ""
	if r.ScormType == "sco" && r.Href != "" && !hasScheme(r.Href) {
		b.adapted = true
		r.Href = adapterLaunch + "?sco=" + url.QueryEscape(r.Href) + "&v=" + b.apiVersion()
		r.Dependencies = append(r.Dependencies, playerResource)
		b.rep.Add(ota.Issue{Code: "scorm.export.adapter", Severity: ota.Info,
			Message: fmt.Sprintf("resource %q is a SCO written for SCORM %s; it runs through OTA's API adapter, which offers it that API on top of the LMS's SCORM %s API", r.Identifier, b.src.Version, b.v)})
	}
}

// courseFiles adds the root asset's resources: files the source package
// did not list stay unlisted; others are listed in an asset resource of
// their own so that an LMS keeps them.
func (b *builder) courseFiles(root *asset.Asset) {
	if len(root.Parts) == 0 {
		return // a leaf root's files belong to its item
	}
	unlisted := map[string]bool{}
	if b.src != nil {
		for _, f := range b.src.Unlisted {
			unlisted[f] = true
		}
	}
	var listed []*File
	dropped := 0
	for _, r := range root.Resources {
		if b.files[r.Path] {
			continue
		}
		if unlisted[r.Path] && b.controlDocOfOtherVersion(r.Path) {
			dropped++
			continue
		}
		b.files[r.Path] = true
		if !unlisted[r.Path] && r.Role != asset.RoleLaunch {
			listed = append(listed, &File{Href: hrefOf(r.Path), Path: r.Path})
		}
	}
	if dropped > 0 {
		b.loss("scorm.lost.control-documents", "/resources", root.ID, fmt.Sprintf("%d control documents (XSD, DTD) of SCORM %s", dropped, b.src.Version), "they describe the source version, not "+string(b.v)+"; the target's are shipped when they are given (ota convert --schemas DIR)")
	}
	if len(listed) > 0 {
		b.p.Resources = append(b.p.Resources, &Resource{Identifier: b.ident("", "RES", asset.DeriveID("scorm-export-files", root.ID)),
			Type: "webcontent", ScormType: "asset", Files: listed})
	}
}

// controlDocOfOtherVersion reports whether p is an XSD or DTD of the
// source package's version (or a file of the LOM schema folders) while the
// target is another family, so that it would only mislead.
func (b *builder) controlDocOfOtherVersion(p string) bool {
	if b.sameFamily() || b.src == nil {
		return false
	}
	ext := strings.ToLower(path.Ext(p))
	return ext == ".xsd" || ext == ".dtd"
}

// Files lists every file a built package holds, sorted: the content the
// asset tree names and the launch page's files.
func (b *builder) fileList() []string {
	out := make([]string, 0, len(b.files)+3)
	for f := range b.files {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}
