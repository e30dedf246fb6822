package interop

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// RequireXMLLint skips the test with a message when xmllint (Debian's
// libxml2-utils) is not on PATH; under CI, where .ci/run installs it, the
// test fails instead.
func RequireXMLLint(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		unavailable(t, "xmllint is not on PATH: install libxml2-utils (apt-get install libxml2-utils) to validate against the XSDs")
	}
}

// LintError is the error [XMLLint] returns when a file does not validate (or
// xmllint cannot load the schema): xmllint's exit status and its messages,
// without the known ims_xml.xsd warning.
type LintError struct {
	File     string   // the file validated
	Schema   string   // the schema it was validated with
	ExitCode int      // xmllint's exit status (3 or 4: invalid; 5: the schema did not compile)
	Messages []string // xmllint's messages, one a line
}

// Error returns the messages after a line naming the file and schema.
func (e *LintError) Error() string {
	return fmt.Sprintf("xmllint: %s does not validate with %s (exit status %d):\n%s",
		e.File, filepath.Base(e.Schema), e.ExitCode, strings.Join(e.Messages, "\n"))
}

// XMLLint validates file against the XSD schema with `xmllint --noout
// --nonet --schema SCHEMA FILE`, with XML_CATALOG_FILES=catalog when catalog
// is not empty (SCORM 2004 4th Edition needs one, see [SCORMSchema]). It
// returns nil when the file validates, and otherwise a *[LintError] holding
// xmllint's messages. The harmless warning libxml2 prints about SCORM 1.2's
// ims_xml.xsd ("xml namespace URI cannot be the default namespace") is left
// out of them.
func XMLLint(schema, catalog, file string) error {
	cmd := exec.Command("xmllint", "--noout", "--nonet", "--schema", schema, file)
	cmd.Env = os.Environ()
	if catalog != "" {
		cmd.Env = append(cmd.Env, "XML_CATALOG_FILES="+catalog)
	}
	out, err := cmd.CombinedOutput()
	if err == nil {
		return nil
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		return fmt.Errorf("xmllint: %w", err)
	}
	return &LintError{File: file, Schema: schema, ExitCode: exit.ExitCode(), Messages: lintMessages(string(out), file)}
}

// imsXMLWarning is the start of libxml2's complaint about SCORM 1.2's
// ims_xml.xsd, which declares the xml namespace as its default namespace.
const imsXMLWarning = "xml namespace URI cannot be the default namespace"

// lintMessages returns xmllint's output lines without the "FILE validates"
// line and without the ims_xml.xsd warning, which libxml2 prints on three
// lines: the message, the schema's source line, and a caret under the spot.
func lintMessages(out, file string) []string {
	lines := strings.Split(strings.ReplaceAll(out, "\r\n", "\n"), "\n")
	var msgs []string
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.Contains(l, imsXMLWarning) {
			for j := i + 1; j < len(lines) && j <= i+2; j++ {
				if strings.TrimSpace(lines[j]) == "^" {
					i = j
					break
				}
			}
			continue
		}
		if strings.TrimSpace(l) == "" || l == file+" validates" {
			continue
		}
		msgs = append(msgs, l)
	}
	return msgs
}

// SCORMSchema returns the XSD (and, for 4th Edition, the XML catalog) to
// validate a SCORM manifest with, from the reference material's driver
// schemas: version is "1.2", "2004 3rd Edition" or "2004 4th Edition" (the
// manifest's <schemaversion>; "CAM 1.3" and "2004 2nd Edition" take the 3rd
// Edition set, which validates them). The SCORM 2004 drivers are the
// _with_lom ones, so inline LOM metadata is validated too. catalog is "" but
// for 4th Edition, whose imscp_v1p1.xsd imports xml.xsd from w3.org. The test
// is skipped when the reference material is absent, and fails on an unknown
// version.
func SCORMSchema(t testing.TB, version string) (schema, catalog string) {
	t.Helper()
	switch version {
	case "1.2":
		return Reference(t, "xsd/scorm12/scorm12_validate.xsd"), ""
	case "2004 3rd Edition", "2004 2nd Edition", "CAM 1.3":
		return Reference(t, "xsd/scorm2004-3rd/scorm2004_validate_with_lom.xsd"), ""
	case "2004 4th Edition":
		return Reference(t, "xsd/scorm2004-4th/scorm2004_validate_with_lom.xsd"), Reference(t, "xsd/scorm2004-4th/catalog.xml")
	}
	t.Fatalf("interop.SCORMSchema: unknown SCORM version %q (want 1.2, 2004 3rd Edition or 2004 4th Edition)", version)
	return "", ""
}

// CMI5Schema returns the cmi5 course structure XSD (CourseStructure.xsd) of
// the reference material; it needs no catalog. The test is skipped when the
// reference material is absent.
func CMI5Schema(t testing.TB) string {
	t.Helper()
	return Reference(t, "xsd/cmi5/CourseStructure.xsd")
}
