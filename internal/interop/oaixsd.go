package interop

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

// oaiXSDEnv names the environment variable holding the folder with the
// official OAI-PMH schemas: OAI-PMH.xsd, oai_dc.xsd and
// simpledc20021212.xsd. They are not in the reference material and not in
// the repository (their licence is not stated); .ci/run fetches them from
// openarchives.org and dublincore.org.
const oaiXSDEnv = "OTA_OAI_XSD_DIR"

// OAISchema returns an XSD and an XML catalog for [XMLLint] that validate
// an OAI-PMH 2.0 response together with its metadata: the official
// OAI-PMH and oai_dc schemas (from the folder $OTA_OAI_XSD_DIR names), IEEE
// LOM's lom.xsd from the SCORM 2004 4th Edition reference schemas, and
// OTA's docs/schema/ota-oai.xsd. The OAI-PMH schema validates metadata
// strictly (processContents="strict"), so every record is checked against
// its own format's schema. The driver schema and the catalog are written
// to a temporary folder of the test. The test is skipped (failed under CI)
// when the folder is not set or lacks a file.
func OAISchema(t testing.TB) (schema, catalog string) {
	t.Helper()
	dir := os.Getenv(oaiXSDEnv)
	if dir == "" {
		unavailable(t, fmt.Sprintf("%s is not set: point it at a folder holding the official OAI-PMH.xsd, oai_dc.xsd and simpledc20021212.xsd (.ci/run unpacks them from Debian's python3-gavo package)", oaiXSDEnv))
	}
	for _, f := range []string{"OAI-PMH.xsd", "oai_dc.xsd", "simpledc20021212.xsd"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			unavailable(t, fmt.Sprintf("%s: %s is missing", oaiXSDEnv, f))
		}
	}
	dir, _ = filepath.Abs(dir)
	lom := Reference(t, "xsd/scorm2004-4th/lom.xsd")
	xmlXSD := Reference(t, "xsd/scorm2004-4th/xml.xsd")
	root, err := repoRoot()
	if err != nil {
		t.Fatalf("interop.OAISchema: %v", err)
	}
	ota := filepath.Join(root, "docs", "schema", "ota-oai.xsd")
	tmp := t.TempDir()
	schema = filepath.Join(tmp, "oai-driver.xsd")
	driver := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="http://www.openarchives.org/OAI/2.0/" schemaLocation="%s"/>
  <xs:import namespace="http://www.openarchives.org/OAI/2.0/oai_dc/" schemaLocation="%s"/>
  <xs:import namespace="http://ltsc.ieee.org/xsd/LOM" schemaLocation="%s"/>
  <xs:import namespace="https://w3id.org/ota/oai/1.0" schemaLocation="%s"/>
</xs:schema>
`, fileURL(filepath.Join(dir, "OAI-PMH.xsd")), fileURL(filepath.Join(dir, "oai_dc.xsd")), fileURL(lom), fileURL(ota))
	if err := os.WriteFile(schema, []byte(driver), 0o644); err != nil {
		t.Fatal(err)
	}
	catalog = filepath.Join(tmp, "catalog.xml")
	simpledc := fileURL(filepath.Join(dir, "simpledc20021212.xsd"))
	cat := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
  <system systemId="http://dublincore.org/schemas/xmls/simpledc20021212.xsd" uri="%[1]s"/>
  <uri name="http://dublincore.org/schemas/xmls/simpledc20021212.xsd" uri="%[1]s"/>
  <system systemId="http://vo.ari.uni-heidelberg.de/docs/schemata/simpledc20021212.xsd" uri="%[1]s"/>
  <uri name="http://vo.ari.uni-heidelberg.de/docs/schemata/simpledc20021212.xsd" uri="%[1]s"/>
  <system systemId="http://www.w3.org/2001/03/xml.xsd" uri="%[2]s"/>
  <uri name="http://www.w3.org/2001/03/xml.xsd" uri="%[2]s"/>
  <system systemId="http://www.w3.org/2001/xml.xsd" uri="%[2]s"/>
  <uri name="http://www.w3.org/2001/xml.xsd" uri="%[2]s"/>
</catalog>
`, simpledc, fileURL(xmlXSD))
	if err := os.WriteFile(catalog, []byte(cat), 0o644); err != nil {
		t.Fatal(err)
	}
	return schema, catalog
}

// fileURL returns the file: URL of an absolute path.
func fileURL(p string) string { return (&url.URL{Scheme: "file", Path: filepath.ToSlash(p)}).String() }
