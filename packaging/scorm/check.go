package scorm

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/packaging/archive"
)

// checker resolves launch URLs and files and makes the reference checks.
type checker struct {
	*parser
	a      *archive.Archive
	root   string // folder of the manifest, "." for the root
	opts   Options
	listed map[string]bool // files named by the manifest, relative to root
}

func (c *checker) run() {
	c.listed = map[string]bool{path.Base(c.pkg.ManifestPath): true}
	c.inventory()
	c.identifiers()
	c.resourceRefs()
	c.organizationRefs()
	c.sequencingRefs()
	c.metadataFiles()
	c.unlisted()
}

// inventory lists the package's files and reports junk.
func (c *checker) inventory() {
	for _, e := range c.a.Entries() {
		if e.IsDir {
			continue
		}
		if rel, ok := isUnderRoot(e.Name, c.root); ok {
			c.pkg.Files = append(c.pkg.Files, FileEntry{Name: rel, Size: e.Size})
		}
	}
	var junk []string
	for _, e := range c.a.Skipped() {
		if archive.IsJunk(e.Name) {
			junk = append(junk, e.Name)
		}
	}
	if len(junk) > 0 {
		c.add("", "scorm.package.junk", ota.Warning, "%d operating-system entries (%s) were left out; zip without __MACOSX/ and .DS_Store", len(junk), sample(junk))
	}
}

func sample(names []string) string {
	if len(names) <= 3 {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:3], ", ") + ", …"
}

// identifiers reports identifiers used more than once.
func (c *checker) identifiers() {
	seen := map[string]string{}
	check := func(id, ptr string) {
		if id == "" {
			return
		}
		if first, dup := seen[id]; dup {
			c.add(ptr, "scorm.identifier.duplicate", ota.Error, "identifier %q is already used at %s; identifiers must be unique in the manifest", id, first)
			return
		}
		seen[id] = ptr
	}
	check(c.pkg.Identifier, "manifest")
	for _, o := range c.pkg.Organizations {
		check(o.Identifier, o.Pointer)
		o.Walk(func(it *Item) { check(it.Identifier, it.Pointer) })
	}
	for _, r := range c.pkg.Resources {
		check(r.Identifier, r.Pointer)
	}
}

// resourceRefs resolves resource URLs and files, and checks dependencies.
func (c *checker) resourceRefs() {
	pkg := c.pkg
	for _, r := range pkg.Resources {
		if r.Href != "" {
			r.URL = resolveChain(r.Href, pkg.Base, pkg.ResourcesBase, r.Base)
			if !hasScheme(r.URL) {
				if name, ok := c.file(r.URL, r.Pointer, "scorm.resource.href-missing-file", "the launch file"); ok {
					c.listed[name] = true
				}
			}
		}
		for i, f := range r.Files {
			if f.Href == "" {
				continue
			}
			u := resolveChain(f.Href, pkg.Base, pkg.ResourcesBase, r.Base)
			if hasScheme(u) {
				continue
			}
			if name, ok := c.file(u, fmt.Sprintf("%s/file[%d]", r.Pointer, i), "scorm.file.missing", "the file"); ok {
				f.Path = name
				c.listed[name] = true
			}
		}
		for i, d := range r.Dependencies {
			ptr := fmt.Sprintf("%s/dependency[%d]", r.Pointer, i)
			switch {
			case d == "":
				c.add(ptr, "scorm.dependency.identifierref", ota.Error, "dependency has no identifierref")
			case pkg.Resource(d) == nil:
				c.add(ptr, "scorm.dependency.unresolved", ota.Error, "dependency names resource %q, which does not exist", d)
			}
		}
	}
}

// file finds the package file a relative URL names, trying the
// URL-decoded and the literal form, exactly and then ignoring case. It
// reports a missing file with code, and a case mismatch as a warning.
func (c *checker) file(u, ptr, code, what string) (string, bool) {
	decoded, literal := filePart(u)
	var tried []string
	for _, cand := range []string{decoded, literal} {
		if cand == "" || contains(tried, cand) {
			continue
		}
		tried = append(tried, cand)
		rel := path.Clean(cand)
		if rel == ".." || strings.HasPrefix(rel, "../") || strings.HasPrefix(rel, "/") {
			c.add(ptr, "scorm.file.outside", ota.Error, "%s %q lies outside the package", what, u)
			return "", false
		}
		full := rel
		if c.root != "." {
			full = c.root + "/" + rel
		}
		real, ok := c.a.Lookup(full)
		if !ok {
			continue
		}
		if st, err := fs.Stat(c.a, real); err != nil || st.IsDir() {
			continue
		}
		name, _ := isUnderRoot(real, c.root)
		if real != full {
			c.add(ptr, "scorm.file.case", ota.Warning, "%s %q matches %q only when case is ignored; LMSs on case-sensitive systems will not find it", what, u, name)
		}
		return name, true
	}
	c.add(ptr, code, ota.Error, "%s %q is not in the package", what, u)
	return "", false
}

// organizationRefs checks the default organization and every item's
// identifierref, and computes launch URLs.
func (c *checker) organizationRefs() {
	pkg := c.pkg
	switch {
	case len(pkg.Organizations) == 0:
		c.add("manifest/organizations[0]", "scorm.organizations.empty", ota.Warning, "the package has no organization, so an LMS has nothing to launch")
	case pkg.DefaultOrganization == "":
		c.add("manifest/organizations[0]", "scorm.organizations.default-missing", ota.Warning, "organizations has no default; the first organization is used")
	case pkg.Organization(pkg.DefaultOrganization) == nil:
		c.add("manifest/organizations[0]", "scorm.organizations.default-unresolved", ota.Error, "the default organization %q does not exist; set default to an organization's identifier", pkg.DefaultOrganization)
	}
	for _, o := range pkg.Organizations {
		o.Walk(func(it *Item) {
			if it.IdentifierRef == "" {
				if len(it.Items) == 0 {
					c.add(it.Pointer, "scorm.item.empty", ota.Warning, "item %q has neither child items nor an identifierref", it.Identifier)
				}
				return
			}
			r := pkg.Resource(it.IdentifierRef)
			switch {
			case r == nil:
				c.add(it.Pointer, "scorm.item.missing-resource", ota.Error, "identifierref %q names no resource; add the resource or fix the reference", it.IdentifierRef)
			case r.Href == "":
				c.add(it.Pointer, "scorm.item.resource-without-href", ota.Error, "item %q launches resource %q, which has no href", it.Identifier, r.Identifier)
			default:
				it.LaunchURL = AppendParameters(r.URL, it.Parameters)
			}
			if len(it.Items) > 0 {
				c.add(it.Pointer, "scorm.item.aggregation-launch", ota.Warning, "item %q has child items and an identifierref; SCORM launches only leaf items", it.Identifier)
			}
		})
	}
}

// sequencingRefs checks that every sequencing IDRef resolves.
func (c *checker) sequencingRefs() {
	for _, o := range c.pkg.Organizations {
		o.Walk(func(it *Item) {
			if it.Sequencing == nil {
				return
			}
			ref, ok := it.Sequencing.Attr("", "IDRef")
			if !ok {
				return
			}
			if shared, _ := c.pkg.SequencingOf(it); shared == nil {
				c.add(it.Pointer+"/sequencing[0]", "scorm.sequencing.idref", ota.Error, "IDRef %q names no sequencing in imsss:sequencingCollection", ref)
			}
		})
	}
}

// metadataFiles reads the LOM files that adlcp:location names.
func (c *checker) metadataFiles() {
	pkg := c.pkg
	var all []*Metadata
	all = append(all, pkg.Metadata)
	for _, o := range pkg.Organizations {
		all = append(all, o.Metadata)
		o.Walk(func(it *Item) { all = append(all, it.Metadata) })
	}
	for _, r := range pkg.Resources {
		all = append(all, r.Metadata)
		for _, f := range r.Files {
			all = append(all, f.Metadata)
		}
	}
	for _, m := range all {
		if m == nil {
			continue
		}
		for _, loc := range m.Locations {
			c.location(m, loc)
		}
	}
}

func (c *checker) location(m *Metadata, loc string) {
	if hasScheme(loc) {
		c.add(m.Pointer, "scorm.metadata.external", ota.Info, "metadata location %q is an absolute URL; it is kept and not opened", loc)
		return
	}
	name, ok := c.file(loc, m.Pointer, "scorm.metadata.location-missing", "the metadata file")
	if !ok {
		return
	}
	c.listed[name] = true
	full := name
	if c.root != "." {
		full = c.root + "/" + name
	}
	n, _, err := parseFile(c.a, full, c.opts)
	if err != nil {
		c.add(m.Pointer, "scorm.metadata.unreadable", ota.Warning, "metadata file %s cannot be read: %v", name, err)
		return
	}
	if n.Local != "lom" {
		c.add(m.Pointer, "scorm.metadata.unreadable", ota.Warning, "metadata file %s holds %s, not a LOM record", name, n.Local)
		return
	}
	m.LOM = mergeLOM(m.LOM, lomOf(n))
}

// unlisted warns about files the manifest does not name, leaving out the
// control documents (XSDs and DTDs) that packages ship.
func (c *checker) unlisted() {
	var names []string
	for _, f := range c.pkg.Files {
		if c.listed[f.Name] {
			continue
		}
		switch strings.ToLower(path.Ext(f.Name)) {
		case ".xsd", ".dtd":
			continue
		}
		names = append(names, f.Name)
	}
	if len(names) > 0 {
		c.add("manifest/resources[0]", "scorm.file.unlisted", ota.Warning, "%d files are in the package but not listed by any resource (%s); list them with <file href> so that exports keep them", len(names), sample(names))
	}
}
