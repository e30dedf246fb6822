package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/internal/zipw"
	"github.com/metaacademy/ota/packaging/archive"
	"github.com/metaacademy/ota/packaging/bundle"
	"github.com/metaacademy/ota/packaging/scorm"
)

// targetNames names the output formats in messages.
var targetNames = map[string]string{
	"json": "an OTA document", "ota": "an OTA bundle", "cmi5": "a cmi5 course",
	"scorm12": "a SCORM package", "scorm2004-3": "a SCORM package", "scorm2004-4": "a SCORM package",
}

// kindNames names the input kinds in messages.
var kindTitles = map[string]string{
	"case": "a CASE framework", "ota": "an OTA document", "bundle": "an OTA bundle", "scorm": "a SCORM package",
	"cmi5": "a cmi5 course", "lesson": "a lesson", "xapi": "xAPI statements",
}

// notAnAssetTree refuses to convert an input that was read but holds no
// asset tree (a CASE framework): exit 2, one line saying so.
func notAnAssetTree(env *Env, src string, in *input, to string) int {
	what := "the input"
	if in != nil && in.kind != nil {
		what = kindTitles[in.kind.name]
	}
	fmt.Fprintf(env.Stderr, "ota convert: %s: %s cannot become %s; it holds no asset tree\n",
		displayPath(src), capitalised(what), targetNames[to])
	return ExitUsage
}

func capitalised(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// exportFailed reports why OUT could not be written. What the input holds
// — a tree with nothing to launch, a file it names that is not there, a
// path a package cannot hold — is the input found wanting: its issues are
// printed and the exit code is 1. Anything else (a folder that cannot be
// written, an input that cannot be read) exits 2.
func exportFailed(env *Env, out string, err error) int {
	if issues := ota.IssuesOf(err); len(issues) > 0 {
		for _, is := range issues {
			fmt.Fprintln(env.Stderr, issueLine(displayPath(out), is))
		}
		fmt.Fprintf(env.Stderr, "ota convert: %s not written: the input cannot become this format\n", displayPath(out))
		return ExitInvalid
	}
	fmt.Fprintf(env.Stderr, "ota convert: writing %s: %v\n", displayPath(out), err)
	if contentError(err) {
		return ExitInvalid
	}
	return ExitUsage
}

// contentError reports whether an export failed on what the input holds:
// a file it names that does not exist, a path no package can hold (one
// the package writes itself, such as imsmanifest.xml, or a duplicate), or
// more than the output format's reader accepts.
func contentError(err error) bool {
	if errors.Is(err, archive.ErrSymlink) || errors.Is(err, archive.ErrSpecialFile) || errors.Is(err, archive.ErrPathEscape) {
		return false // a refused file: the input cannot be read, as when a package is refused
	}
	return errors.Is(err, errUnreadableOutput) || errors.Is(err, fs.ErrNotExist) || errors.Is(err, zipw.ErrName) || errors.Is(err, bundle.ErrPath) ||
		errors.Is(err, scorm.ErrContent) && !errors.Is(err, fs.ErrPermission)
}

// checkOutDir checks that OUT's folder exists, so that a failure to write
// there is not taken for a missing input file.
func checkOutDir(out string) error {
	if out == "-" {
		return nil
	}
	dir := filepath.Dir(out)
	fi, err := os.Stat(dir)
	switch {
	case err != nil:
		return fmt.Errorf("cannot write %s: %w", out, err)
	case !fi.IsDir():
		return fmt.Errorf("cannot write %s: %s is not a folder", out, dir)
	}
	return nil
}
