package cli

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging"
)

// detected is the package kind of a zip or folder input, told once by
// packaging.DetectFile (zips through the archive checks).
type detected struct {
	err  error // the zip was rejected by the archive checks
	kind packaging.Kind
}

// isZip reports whether the input is a zip file (not standard input,
// which cannot be read as one).
func (in *input) isZip() bool {
	return !in.dir && in.path != "-" && (bytes.HasPrefix(in.head, []byte("PK\x03\x04")) || bytes.HasPrefix(in.head, []byte("PK\x05\x06")))
}

// pkg says which package a zip or folder input holds: a SCORM package
// (imsmanifest.xml), a cmi5 course (cmi5.xml), an OTA bundle (a mimetype
// entry and manifest.json, wherever the mimetype entry is), a lesson.
func (in *input) pkg() *detected {
	if in.detected != nil {
		return in.detected
	}
	d := &detected{}
	in.detected = d
	kind, err := packaging.DetectFile(in.path)
	if err != nil && !errors.Is(err, packaging.ErrUnknown) && in.isZip() {
		d.err = err
	}
	d.kind = kind
	return d
}

// rejectedZipKind reads a zip file the archive checks refuse, before any
// package kind could say what it holds: its messages name the archive,
// not a package format it may not be.
var rejectedZipKind = &kind{
	name:   "zip",
	detect: func(in *input) bool { return in.isZip() && in.pkg().err != nil },
	load: func(in *input, _ *readOpts) (*asset.Document, ota.Report, error) {
		if !in.isZip() || in.pkg().err == nil {
			return nil, ota.Report{}, errors.New("--as zip reads only zip archives the archive checks refuse; use --as scorm, cmi5 or bundle")
		}
		return nil, ota.Report{}, fmt.Errorf("the zip archive is rejected: %w", in.pkg().err)
	},
}

func init() { kinds = append(kinds, rejectedZipKind) }
