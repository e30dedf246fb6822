package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/bundle"
	"github.com/metaacademy/ota/packaging/cmi5"
	"github.com/metaacademy/ota/packaging/scorm"
)

// errUnreadableOutput marks an output that its own reader, with its
// default limits, refuses: convert does not write it.
var errUnreadableOutput = errors.New("the output would not read back")

// readBack returns the last check of an output written to a temporary
// file: the file is read again by the reader of its format with that
// reader's default limits, as validate, verify and inspect would read it,
// and is kept only if it reads. So convert never writes a file that ota
// itself refuses, whatever the input's size: it refuses instead, naming
// the limit. format is json, ota, scorm or cmi5.
func readBack(format string) func(f *os.File) error {
	return func(f *os.File) error {
		fi, err := f.Stat()
		if err != nil {
			return err
		}
		switch format {
		case "json":
			_, _, err = asset.Read(f, asset.ReadOptions{})
		case "ota":
			_, _, err = bundle.Open(f, fi.Size(), bundle.Options{})
		case "cmi5":
			_, _, err = cmi5.Open(f, fi.Size(), cmi5.Options{})
		default:
			_, _, err = scorm.Open(f, fi.Size(), scorm.Options{})
		}
		if err != nil {
			return fmt.Errorf("%w with the default limits of its reader (%d bytes written): %w; nothing is written", errUnreadableOutput, fi.Size(), err)
		}
		return nil
	}
}

// writeJSON writes doc as canonical JSON to w, once it has read back from
// memory as it would from a file.
func writeJSON(w io.Writer, doc *asset.Document) error {
	data, err := asset.Marshal(doc)
	if err != nil {
		return err
	}
	if _, _, err := asset.Unmarshal(data, asset.ReadOptions{MaxBytes: asset.DefaultMaxBytes}); err != nil {
		return fmt.Errorf("%w with the default limits of its reader (%d bytes): %w; nothing is written", errUnreadableOutput, len(data), err)
	}
	_, err = io.Copy(w, bytes.NewReader(data))
	return err
}
