package scorm

import (
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/packaging/xmlnode"
)

// versionFromSchema maps a schemaversion value onto a Version.
func versionFromSchema(s string) Version {
	switch strings.ToLower(strings.Join(strings.Fields(s), " ")) {
	case "1.2":
		return Version12
	case "cam 1.3", "2004 2nd edition", "1.3":
		return Version2004Ed2
	case "2004 3rd edition":
		return Version2004Ed3
	case "2004 4th edition":
		return Version2004Ed4
	}
	return VersionUnknown
}

// nsFacts are what the namespaces and elements used say about the version.
type nsFacts struct {
	is12, is2004 bool
	ed4Feature   string // a 4th edition feature found, "" when none
}

// scan walks the tree once for namespaces and 4th edition features.
func scan(root *xmlnode.Node) nsFacts {
	var f nsFacts
	var walk func(n *xmlnode.Node, depth int)
	walk = func(n *xmlnode.Node, depth int) {
		switch n.Space {
		case NSCP12, NSADLCP12:
			f.is12 = true
		case NSCP2004, NSADLCP2004, NSIMSSS, NSADLSeq, NSADLNav:
			f.is2004 = true
		}
		if f.ed4Feature == "" {
			switch {
			case n.Space == NSADLCP2004 && n.Local == "data":
				f.ed4Feature = "adlcp:data"
			case n.Space == NSADLSeq && n.Local == "objectives":
				f.ed4Feature = "adlseq:objectives"
			case n.Space == NSADLCP2004 && n.Local == "completionThreshold" && len(n.Attrs) > 0:
				f.ed4Feature = "adlcp:completionThreshold attributes"
			}
		}
		for _, a := range n.Attrs {
			switch a.Space {
			case NSADLCP12:
				f.is12 = true
			case NSADLCP2004:
				f.is2004 = true
				if a.Local == "sharedDataGlobalToSystem" && f.ed4Feature == "" {
					f.ed4Feature = "adlcp:sharedDataGlobalToSystem"
				}
			}
		}
		for _, c := range n.Children {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	return f
}

// detectVersion sets pkg.Version from schemaversion and the namespaces,
// warning when they disagree.
func (p *parser) detectVersion(root *xmlnode.Node) {
	var declared string
	if m := findMetadata(root); m != nil {
		if sv := m.Child(m.Space, "schemaversion"); sv != nil {
			declared = sv.Text
		} else {
			for _, c := range m.Children {
				if c.Local == "schemaversion" {
					declared = c.Text
				}
			}
		}
	}
	f := scan(root)
	byNS := VersionUnknown
	switch {
	case f.is12 && !f.is2004:
		byNS = Version12
	case f.is2004 && f.ed4Feature != "":
		byNS = Version2004Ed4
	case f.is2004:
		byNS = Version2004Ed3
	}
	v := versionFromSchema(declared)
	const ptr = "manifest/metadata[0]/schemaversion[0]"
	switch {
	case v == VersionUnknown && declared != "":
		p.add(ptr, "scorm.version.unknown-schemaversion", ota.Warning, "schemaversion %q is not 1.2, CAM 1.3, 2004 3rd Edition or 2004 4th Edition; the version is guessed from the namespaces", declared)
	case v == VersionUnknown:
		p.add(ptr, "scorm.version.missing-schemaversion", ota.Warning, "no schemaversion; the version is guessed from the namespaces")
	}
	switch {
	case v == VersionUnknown && byNS == VersionUnknown:
		p.add("manifest", "scorm.version.unknown", ota.Warning, "neither schemaversion nor the namespaces say which SCORM version this is; read as SCORM 1.2")
		v = Version12
	case v == VersionUnknown:
		v = byNS
	case v == Version12 && f.is2004 && !f.is12:
		p.add(ptr, "scorm.version.mismatch", ota.Warning, "schemaversion says 1.2 but the manifest uses SCORM 2004 namespaces; read as 1.2")
	case v.Is2004() && f.is12 && !f.is2004:
		p.add(ptr, "scorm.version.mismatch", ota.Warning, "schemaversion says %s but the manifest uses SCORM 1.2 namespaces; read as %s", declared, v)
	case (v == Version2004Ed2 || v == Version2004Ed3) && f.ed4Feature != "":
		p.add(ptr, "scorm.version.edition-mismatch", ota.Warning, "schemaversion says %s but the manifest uses %s, a 4th edition feature; the %s XSDs reject it", declared, f.ed4Feature, v)
	}
	if f.is12 && f.is2004 {
		p.add("manifest", "scorm.version.mixed-namespaces", ota.Warning, "the manifest mixes SCORM 1.2 and SCORM 2004 namespaces; read as %s", v)
	}
	p.pkg.Version = v
}

// findMetadata returns the manifest's own metadata element.
func findMetadata(root *xmlnode.Node) *xmlnode.Node {
	for _, c := range root.Children {
		if c.Local == "metadata" && (c.Space == root.Space || isCP(c)) {
			return c
		}
	}
	return nil
}
