package cli

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/archive"
)

// zipInfo is what a zip input holds, for detection: read once, through the
// archive's checks.
type zipInfo struct {
	err                 error // the archive was rejected
	scorm, cmi5, bundle bool
}

// isZip reports whether the input is a zip file (not standard input,
// which cannot be read as one).
func (in *input) isZip() bool {
	return !in.dir && in.path != "-" && (bytes.HasPrefix(in.head, []byte("PK\x03\x04")) || bytes.HasPrefix(in.head, []byte("PK\x05\x06")))
}

// zip opens the zip input once and says which package it holds: a SCORM
// package (imsmanifest.xml), a cmi5 course (cmi5.xml), an OTA bundle (a
// mimetype entry and manifest.json, wherever the mimetype entry is).
func (in *input) zip() *zipInfo {
	if in.zipInfo != nil {
		return in.zipInfo
	}
	zi := &zipInfo{}
	in.zipInfo = zi
	a, err := archive.OpenFile(in.path, archive.Limits{KeepJunk: true})
	if err != nil {
		zi.err = err
		return zi
	}
	defer a.Close()
	_, err = a.FindFile("imsmanifest.xml")
	zi.scorm = err == nil || errors.Is(err, archive.ErrAmbiguous)
	_, err = a.FindFile("cmi5.xml")
	zi.cmi5 = err == nil || errors.Is(err, archive.ErrAmbiguous)
	_, errM := a.Stat("mimetype")
	_, errJ := a.Stat("manifest.json")
	zi.bundle = errM == nil && errJ == nil
	return zi
}

// rejectedZipKind reads a zip file the archive checks refuse, before any
// package kind could say what it holds: its messages name the archive,
// not a package format it may not be.
var rejectedZipKind = &kind{
	name:   "zip",
	detect: func(in *input) bool { return in.isZip() && in.zip().err != nil },
	load: func(in *input, _ *readOpts) (*asset.Document, ota.Report, error) {
		if !in.isZip() || in.zip().err == nil {
			return nil, ota.Report{}, errors.New("--as zip reads only zip archives the archive checks refuse; use --as scorm, cmi5 or bundle")
		}
		return nil, ota.Report{}, fmt.Errorf("the zip archive is rejected: %w", in.zip().err)
	},
}

func init() { kinds = append(kinds, rejectedZipKind) }
