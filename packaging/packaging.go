// Package packaging opens any input OTA reads as a package — a SCORM
// package, a cmi5 course, an OTA bundle or a lesson, zipped or as a folder
// — without the caller knowing which: Detect tells the kind from the
// content, and Open hands the input to the codec of that kind. An LMS
// upload handler is one call:
//
//	pkg, report, err := packaging.Open(r, size, packaging.Options{})
//	// pkg.Kind, pkg.Asset(), pkg.Content(), report.Issues
//
// Every zip and folder is checked as hostile input by package
// [archive] before anything in it is read; its error classes
// (archive.ErrSymlink, archive.ErrRatio…) are what errors.Is finds in the
// error. The codecs themselves (packaging/scorm, packaging/cmi5,
// packaging/bundle, packaging/lesson) offer the same Open, OpenFS and
// OpenFile with their own options, for a caller who knows the kind.
package packaging

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"

	"github.com/metaacademy/ota/packaging/archive"
	"github.com/metaacademy/ota/packaging/bundle"
)

// Kind is the kind of a package.
type Kind string

// The kinds of package Detect tells apart.
const (
	// KindUnknown is no kind OTA reads.
	KindUnknown Kind = ""
	// KindSCORM is a SCORM 1.2 or 2004 content package: imsmanifest.xml
	// at the root or in a single top-level folder.
	KindSCORM Kind = "scorm"
	// KindCMI5 is a cmi5 course: a package with cmi5.xml at the root or
	// in a single top-level folder, or a lone course structure.
	KindCMI5 Kind = "cmi5"
	// KindBundle is an OTA bundle (.ota): a zip whose first entry is a
	// stored "mimetype" holding bundle.MediaType, or such a bundle
	// unpacked.
	KindBundle Kind = "bundle"
	// KindLesson is a Carpentries Workbench lesson (config.yaml or an
	// episodes folder) or a folder of Markdown files.
	KindLesson Kind = "lesson"
)

// String names the kind as messages do: "SCORM package", "cmi5 course",
// "OTA bundle", "lesson", or "unknown".
func (k Kind) String() string {
	switch k {
	case KindSCORM:
		return "SCORM package"
	case KindCMI5:
		return "cmi5 course"
	case KindBundle:
		return "OTA bundle"
	case KindLesson:
		return "lesson"
	}
	return "unknown"
}

// ErrUnknown means the input is none of the kinds of package OTA reads.
var ErrUnknown = errors.New("packaging: not a SCORM package, cmi5 course, OTA bundle or lesson")

// sniffLen is how much of an input Detect reads to tell a zip, a bundle or
// a lone course structure.
const sniffLen = 4096

// Detect tells the kind of the package in r, which holds size bytes. A zip
// archive is opened through the hostile-archive checks with the default
// limits (only its central directory is read); when they refuse it the
// error is the archive's own (see package [archive]). A zip that starts
// as an OTA bundle does (a stored mimetype entry first) is one, without
// further reading. In any other zip a cmi5 course wins over a bundle whose
// entries are out of order (mimetype and manifest.json elsewhere), which
// wins over a SCORM package (a cmi5 package may carry a SCORM manifest
// for LMSs that read only SCORM), which wins over a lesson; a zip holding
// none of them is [ErrUnknown]. Input
// that is not a zip is a cmi5 course when it is a course structure;
// otherwise the error is [ErrUnknown].
func Detect(r io.ReaderAt, size int64) (Kind, error) {
	head := make([]byte, min(size, sniffLen))
	n, err := r.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return KindUnknown, err
	}
	head = head[:n]
	switch {
	case bundle.Sniff(head):
		return KindBundle, nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		a, err := archive.Open(r, size, archive.Limits{KeepJunk: true})
		if err != nil {
			return KindUnknown, err
		}
		if k := zipKind(a); k != KindUnknown {
			return k, nil
		}
		return KindUnknown, ErrUnknown
	case bytes.Contains(head, []byte("<courseStructure")):
		return KindCMI5, nil
	}
	return KindUnknown, ErrUnknown
}

// zipKind tells the kind of package a checked zip holds.
func zipKind(a *archive.Archive) Kind {
	found := func(base string) bool {
		_, err := a.FindFile(base)
		return err == nil || errors.Is(err, archive.ErrAmbiguous)
	}
	_, errM := a.Stat("mimetype")
	_, errJ := a.Stat("manifest.json")
	switch {
	case found("cmi5.xml"):
		return KindCMI5
	case errM == nil && errJ == nil:
		return KindBundle
	case found("imsmanifest.xml"):
		return KindSCORM
	case isLesson(a):
		return KindLesson
	}
	return KindUnknown
}

// DetectFS tells the kind of the package in the folder tree fsys: a cmi5
// course (cmi5.xml at the root), a SCORM package (imsmanifest.xml at the
// root or in a top-level folder), an unpacked OTA bundle (a mimetype file
// holding bundle.MediaType, and manifest.json) or a lesson (config.yaml,
// an episodes folder of Markdown files, or Markdown files at the root), in
// that order. Only names are looked at, and the mimetype file; the error
// is [ErrUnknown] when it is none of them.
func DetectFS(fsys fs.FS) (Kind, error) {
	if fi, err := fs.Stat(fsys, "cmi5.xml"); err == nil && !fi.IsDir() {
		return KindCMI5, nil
	}
	for _, p := range []string{"imsmanifest.xml", "*/imsmanifest.xml"} {
		if m, _ := fs.Glob(fsys, p); len(m) > 0 {
			return KindSCORM, nil
		}
	}
	if isUnpackedBundle(fsys) {
		return KindBundle, nil
	}
	if isLesson(fsys) {
		return KindLesson, nil
	}
	return KindUnknown, ErrUnknown
}

// isUnpackedBundle reports whether fsys holds a bundle's mimetype file and
// manifest.
func isUnpackedBundle(fsys fs.FS) bool {
	if _, err := fs.Stat(fsys, "manifest.json"); err != nil {
		return false
	}
	f, err := fsys.Open("mimetype")
	if err != nil {
		return false
	}
	defer f.Close()
	buf := make([]byte, len(bundle.MediaType)+1)
	n, _ := io.ReadFull(f, buf)
	return string(buf[:n]) == bundle.MediaType
}

// isLesson reports whether fsys looks like a lesson: config.yaml, or
// Markdown files at the root or in episodes/.
func isLesson(fsys fs.FS) bool {
	if _, err := fs.Stat(fsys, "config.yaml"); err == nil {
		return true
	}
	for _, dir := range []string{".", "episodes"} {
		entries, _ := fs.ReadDir(fsys, dir)
		for _, e := range entries {
			if !e.IsDir() && path.Ext(e.Name()) == ".md" {
				return true
			}
		}
	}
	return false
}

// DetectFile tells the kind of the package at path: a folder as
// [DetectFS] does, anything else as [Detect] does.
func DetectFile(path string) (Kind, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return KindUnknown, err
	}
	if fi.IsDir() {
		return DetectFS(os.DirFS(path))
	}
	f, err := os.Open(path)
	if err != nil {
		return KindUnknown, err
	}
	defer f.Close()
	return Detect(f, fi.Size())
}
