package asset

import (
	"fmt"
	"mime"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/github/go-spdx/v2/spdxexp"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/internal/iri"
	"github.com/metaacademy/ota/internal/jsontree"
	"github.com/metaacademy/ota/internal/otadate"
)

// CheckOptions configure [Check] and [Validate]. The zero value applies
// every rule with its default severity.
type CheckOptions struct {
	// Policy changes the severity of issues by code, or drops them (see
	// [ota.Policy]). For example {"asset.license.missing": ota.Error}
	// makes a missing licence an error.
	Policy ota.Policy
	// Frameworks, when set, also checks every alignment against the
	// frameworks it knows (unknown framework, version, code or level).
	// mapping.Default() gives one that knows the built-in frameworks.
	Frameworks AlignmentChecker
}

// AlignmentChecker checks one alignment against the frameworks it knows.
// ptr is the alignment's JSON Pointer; the issues it returns should point
// at or below it.
type AlignmentChecker interface {
	CheckAlignment(al Alignment, ptr string) []ota.Issue
}

// Validate checks the tree rooted at a against every rule of the format. It
// returns nil when no issue has error severity, and otherwise a
// *[ota.ValidationError] holding every issue found, warnings included.
func Validate(a *Asset, opts CheckOptions) error {
	return Check(a, opts).Err()
}

// Check applies every rule of the format to the tree rooted at a and
// returns all the issues found, in tree order, each with a JSON Pointer
// relative to the root and a stable code. The codes are listed in
// docs/spec/asset.md.
func Check(a *Asset, opts CheckOptions) ota.Report {
	c := &checker{ids: map[string]string{}, tags: map[string]error{}, frameworks: opts.Frameworks}
	// First pass: collect IDs so that references can be resolved.
	for ptr, x := range a.All() {
		if x.ID == "" {
			continue
		}
		if first, dup := c.ids[x.ID]; dup {
			c.add(ptr+"/id", "asset.id.duplicate", ota.Error,
				fmt.Sprintf("ID %q is already used by the asset at %s; every asset in a tree needs its own ID", x.ID, orRoot(first)))
			continue
		}
		c.ids[x.ID] = ptr
	}
	_ = a.Walk(func(x *Asset, ptr string, parent *Asset) error {
		c.asset(x, ptr, parent)
		return nil
	})
	c.cycles(a)
	rep := ota.Report{Issues: c.issues}
	rep.Apply(opts.Policy)
	return rep
}

func orRoot(ptr string) string {
	if ptr == "" {
		return "the root"
	}
	return ptr
}

type checker struct {
	ids        map[string]string // asset ID -> pointer of its first holder
	tags       map[string]error  // language tag -> CheckTag's verdict, so each tag is parsed once
	frameworks AlignmentChecker  // nil: alignments are checked for form only
	issues     []ota.Issue
}

func (c *checker) add(ptr, code string, sev ota.Severity, msg string) {
	c.issues = append(c.issues, ota.Issue{Pointer: ptr, Code: code, Severity: sev, Message: msg})
}

func (c *checker) asset(a *Asset, ptr string, parent *Asset) {
	// Identity.
	switch {
	case a.ID == "":
		c.add(ptr+"/id", "asset.id.missing", ota.Error, `the asset has no "id"; give it an absolute IRI such as "urn:uuid:" followed by a new UUID`)
	case !iri.HasScheme(a.ID):
		c.add(ptr+"/id", "asset.id.not-absolute", ota.Error,
			fmt.Sprintf("ID %q is not an absolute IRI; prefix it with a scheme, e.g. \"https://example.org/%s\" or use a urn:uuid: ID", a.ID, a.ID))
	default:
		if err := iri.CheckAbsolute(a.ID); err != nil {
			c.add(ptr+"/id", "asset.id.invalid-iri", ota.Error, fmt.Sprintf("ID %q %v", a.ID, err))
		}
	}
	if a.Version != "" && !validSemver(a.Version) {
		c.add(ptr+"/version", "asset.version.invalid", ota.Error,
			fmt.Sprintf("version %q is not a semantic version; write MAJOR.MINOR.PATCH such as \"1.0.0\"", a.Version))
	}
	switch {
	case a.Kind == "":
		c.add(ptr+"/kind", "asset.kind.missing", ota.Error, `the asset has no "kind"; use one of `+kindList())
	case !a.Kind.Valid():
		c.add(ptr+"/kind", "asset.kind.unknown", ota.Error, fmt.Sprintf("kind %q is not defined; use one of %s", a.Kind, kindList()))
	case parent != nil && parent.Kind.Valid() && kindRank(a.Kind) < kindRank(parent.Kind):
		c.add(ptr+"/kind", "asset.kind.nesting", ota.Warning,
			fmt.Sprintf("a %s is a part of a %s; parts are usually smaller than their parent — check the kinds", a.Kind, parent.Kind))
	}

	// Text.
	if len(a.Title) == 0 {
		c.add(ptr+"/title", "asset.title.missing", ota.Error, `the asset has no "title"; give it one in at least one language, e.g. {"en": "…"}`)
	}
	c.langString(a.Title, ptr+"/title")
	c.langString(a.Description, ptr+"/description")
	c.langString(a.Audience, ptr+"/audience")
	c.langString(a.Accessibility, ptr+"/accessibility")
	c.keywords(a.Keywords, ptr+"/keywords")
	seenLang := map[string]int{}
	for i, l := range a.Languages {
		p := ptr + "/languages/" + strconv.Itoa(i)
		if err := c.checkTag(l); err != nil {
			c.add(p, "asset.languages.invalid-tag", ota.Error, err.Error())
			continue
		}
		if j, dup := seenLang[strings.ToLower(l)]; dup {
			c.add(p, "asset.languages.duplicate", ota.Warning, fmt.Sprintf("language %q is already listed at index %d; list each language once", l, j))
			continue
		}
		seenLang[strings.ToLower(l)] = i
	}

	// Rights and people.
	switch {
	case a.License == "" && parent == nil:
		c.add(ptr+"/license", "asset.license.missing", ota.Warning,
			`the root asset has no "license"; say how others may reuse it with an SPDX expression such as "CC-BY-4.0"`)
	case a.License != "":
		c.license(a.License, ptr+"/license")
	}
	for i, ct := range a.Contributors {
		c.contributor(ct, ptr+"/contributors/"+strconv.Itoa(i))
	}

	// Learning design.
	if a.Level != "" && !a.Level.Valid() {
		c.add(ptr+"/level", "asset.level.unknown", ota.Error,
			fmt.Sprintf("level %q is not defined; use basic, intermediate, advanced or expert", a.Level))
	}
	for i, m := range a.DeliveryModes {
		if !m.Valid() {
			c.add(ptr+"/deliveryModes/"+strconv.Itoa(i), "asset.delivery-mode.unknown", ota.Error,
				fmt.Sprintf("delivery mode %q is not defined; use self-paced, online-live, in-person or blended", m))
		}
	}
	if !a.Duration.IsZero() && len(a.Parts) > 0 {
		var sum Duration
		for i := range a.Parts {
			sum = sum.Add(a.Parts[i].TotalDuration())
		}
		if a.Duration.Compare(sum) < 0 {
			c.add(ptr+"/duration", "asset.duration.shorter-than-parts", ota.Warning,
				fmt.Sprintf("duration %s is shorter than the %s its parts add up to; correct one or the other", a.Duration, sum))
		}
	}
	objIDs := map[string]int{}
	for i, o := range a.Objectives {
		p := ptr + "/objectives/" + strconv.Itoa(i)
		switch {
		case o.ID == "":
			c.add(p+"/id", "asset.objective.id-missing", ota.Error, `the objective has no "id"; give it a short token such as "obj-1" or an IRI`)
		case strings.ContainsFunc(o.ID, func(r rune) bool { return r <= ' ' || r == 0x7F }):
			c.add(p+"/id", "asset.objective.id-invalid", ota.Error, fmt.Sprintf("objective ID %q contains spaces or control characters", o.ID))
		default:
			if j, dup := objIDs[o.ID]; dup {
				c.add(p+"/id", "asset.objective.id-duplicate", ota.Error,
					fmt.Sprintf("objective ID %q is already used by objective %d of this asset", o.ID, j))
			}
			objIDs[o.ID] = i
		}
		if len(o.Text) == 0 {
			c.add(p+"/text", "asset.objective.text-missing", ota.Error, `the objective has no "text"; state it in at least one language`)
		}
		c.langString(o.Text, p+"/text")
		for j, al := range o.Alignments {
			c.alignment(al, p+"/alignments/"+strconv.Itoa(j))
		}
	}
	for i, al := range a.Alignments {
		c.alignment(al, ptr+"/alignments/"+strconv.Itoa(i))
	}
	seenPre := map[string]int{}
	for i, pre := range a.Prerequisites {
		p := ptr + "/prerequisites/" + strconv.Itoa(i)
		j, dup := seenPre[pre]
		if !dup {
			seenPre[pre] = i
		}
		switch {
		case dup && pre != "":
			c.add(p, "asset.prerequisite.duplicate", ota.Warning, fmt.Sprintf("prerequisite %q is already listed at index %d; list each once", pre, j))
		case pre == "":
			c.add(p, "asset.prerequisite.empty", ota.Error, "the prerequisite is empty; give an asset ID")
		case pre == a.ID:
			c.add(p, "asset.prerequisite.self", ota.Error, "the asset names itself as a prerequisite; remove it")
		default:
			c.reference(pre, p, "asset.prerequisite.unresolved", "prerequisite")
		}
	}

	// Files and links.
	paths := map[string]int{}
	launch := -1
	for i, r := range a.Resources {
		p := ptr + "/resources/" + strconv.Itoa(i)
		c.resource(r, p)
		if r.Role == RoleLaunch {
			if launch >= 0 {
				c.add(p+"/role", "asset.resource.launch-multiple", ota.Warning,
					fmt.Sprintf("resource %d is already this asset's launch file; an asset has one launch file — make this one a part of its own, or give it another role", launch))
			} else {
				launch = i
			}
		}
		if r.Path != "" {
			if j, dup := paths[r.Path]; dup {
				c.add(p+"/path", "asset.resource.path-duplicate", ota.Warning,
					fmt.Sprintf("path %q is already listed as resource %d of this asset; list each file once", r.Path, j))
			}
			paths[r.Path] = i
		}
	}
	for i, rel := range a.Relations {
		p := ptr + "/relations/" + strconv.Itoa(i)
		switch {
		case rel.Type == "":
			c.add(p+"/type", "asset.relation.type-missing", ota.Error, `the relation has no "type"; use isBasedOn, isTranslationOf, isVersionOf, replaces or another defined type`)
		case !rel.Type.Valid():
			c.add(p+"/type", "asset.relation.type-unknown", ota.Error,
				fmt.Sprintf("relation type %q is not defined; use one of %s", rel.Type, relationList()))
		}
		switch {
		case rel.Target == "":
			c.add(p+"/target", "asset.relation.target-missing", ota.Error, `the relation has no "target"; give the related asset's ID or IRI`)
		case rel.Target == a.ID:
			c.add(p+"/target", "asset.relation.self", ota.Warning, "the relation points at the asset itself; point it at the asset this one relates to")
		default:
			c.reference(rel.Target, p+"/target", "asset.relation.target-unresolved", "relation target")
		}
	}
	c.dates(a, ptr)
	for _, k := range sortedKeys(a.Extensions) {
		if err := iri.CheckAbsolute(k); err != nil {
			c.add(jsontree.AppendPointerToken(ptr+"/extensions", k), "asset.extension.key-not-iri", ota.Error,
				fmt.Sprintf("extension key %q %v; key extensions by an absolute IRI you control, such as \"https://example.org/ota/ext/%s\"", k, err, k))
		}
	}
}

// reference checks that ref names an asset of the tree or is an absolute IRI.
func (c *checker) reference(ref, ptr, code, what string) {
	if _, ok := c.ids[ref]; ok {
		return
	}
	if !iri.HasScheme(ref) {
		c.add(ptr, code, ota.Error,
			fmt.Sprintf("%s %q is not the ID of an asset in this tree, nor an absolute IRI; use the target's full ID", what, ref))
		return
	}
	if err := iri.CheckAbsolute(ref); err != nil {
		c.add(ptr, code, ota.Error, fmt.Sprintf("%s %q %v", what, ref, err))
	}
}

// checkTag is CheckTag, remembered per tag: a tree repeats the same few
// tags in every language map.
func (c *checker) checkTag(tag string) error {
	if err, ok := c.tags[tag]; ok {
		return err
	}
	err := CheckTag(tag)
	c.tags[tag] = err
	return err
}

func (c *checker) langString(s LangString, ptr string) {
	if s != nil && len(s) == 0 && !strings.HasSuffix(ptr, "/title") && !strings.HasSuffix(ptr, "/text") {
		c.add(ptr, "asset.langstring.empty", ota.Error, "the language map has no entries; leave the member out, or add a text")
	}
	tags := sortedKeys(s)
	c.duplicateTags(tags, ptr)
	for _, tag := range tags {
		p := jsontree.AppendPointerToken(ptr, tag)
		if err := c.checkTag(tag); err != nil {
			c.add(p, "asset.langstring.invalid-tag", ota.Error, err.Error())
		}
		if strings.TrimSpace(s[tag]) == "" {
			c.add(p, "asset.langstring.empty", ota.Error, fmt.Sprintf("the %q text is empty; remove the entry or write the text", tag))
		}
	}
}

func (c *checker) keywords(l LangList, ptr string) {
	if l != nil && len(l) == 0 {
		c.add(ptr, "asset.keywords.empty", ota.Error, "the keyword map has no entries; leave the member out, or add keywords")
	}
	c.duplicateTags(sortedKeys(l), ptr)
	for _, tag := range sortedKeys(l) {
		if len(l[tag]) == 0 {
			c.add(jsontree.AppendPointerToken(ptr, tag), "asset.keywords.empty", ota.Error, fmt.Sprintf("the %q keyword list is empty; remove the entry or add keywords", tag))
		}
		p := jsontree.AppendPointerToken(ptr, tag)
		if err := c.checkTag(tag); err != nil {
			c.add(p, "asset.langstring.invalid-tag", ota.Error, err.Error())
		}
		for i, k := range l[tag] {
			if strings.TrimSpace(k) == "" {
				c.add(p+"/"+strconv.Itoa(i), "asset.keywords.empty", ota.Error, "the keyword is empty; remove it")
			}
		}
	}
}

// duplicateTags warns about tags of one map that differ only in case:
// readers would pick one of them arbitrarily.
func (c *checker) duplicateTags(tags []string, ptr string) {
	seen := make(map[string]string, len(tags))
	for _, tag := range tags {
		low := strings.ToLower(tag)
		if first, dup := seen[low]; dup {
			c.add(jsontree.AppendPointerToken(ptr, tag), "asset.langstring.duplicate-tag", ota.Warning,
				fmt.Sprintf("language tags %q and %q differ only in case and name the same language; merge them", first, tag))
			continue
		}
		seen[low] = tag
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (c *checker) license(expr, ptr string) {
	if ok, bad := spdxexp.ValidateLicenses([]string{expr}); !ok {
		msg := fmt.Sprintf("license %q is not a valid SPDX expression", expr)
		if len(bad) > 0 && bad[0] != expr {
			msg += fmt.Sprintf(" (%s is not an SPDX licence identifier)", strings.Join(bad, ", "))
		}
		c.add(ptr, "asset.license.invalid", ota.Error, msg+`; use identifiers from spdx.org/licenses such as "CC-BY-4.0", or "LicenseRef-" and your own name`)
		return
	}
	if ok, _ := spdxexp.ValidateLicensesWithOptions([]string{expr}, spdxexp.ValidateLicensesOptions{FailDeprecatedLicenses: true}); !ok {
		c.add(ptr, "asset.license.deprecated", ota.Warning,
			fmt.Sprintf("license %q uses a deprecated SPDX identifier; use its current identifier", expr))
	}
}

func (c *checker) contributor(ct Contributor, ptr string) {
	if strings.TrimSpace(ct.Name) == "" {
		c.add(ptr+"/name", "asset.contributor.name-missing", ota.Error, `the contributor has no "name"`)
	}
	if ct.Type != "" && !ct.Type.Valid() {
		c.add(ptr+"/type", "asset.contributor.type-unknown", ota.Error,
			fmt.Sprintf("contributor type %q is not defined; use person or organization", ct.Type))
	}
	for i, r := range ct.Roles {
		if !r.Valid() {
			c.add(ptr+"/roles/"+strconv.Itoa(i), "asset.contributor.role-unknown", ota.Error,
				fmt.Sprintf("role %q is not defined; use author, publisher, translator, reviewer, editor, instructor, funder or maintainer", r))
		}
	}
	if ct.ID != "" {
		if err := iri.CheckAbsolute(ct.ID); err != nil {
			c.add(ptr+"/id", "asset.contributor.id-invalid", ota.Error,
				fmt.Sprintf("contributor ID %q %v; use an absolute IRI such as an ORCID or ROR URL", ct.ID, err))
		}
	}
	if ct.Email != "" && !validEmail(ct.Email) {
		c.add(ptr+"/email", "asset.contributor.email-invalid", ota.Error,
			fmt.Sprintf("email %q is not an address of the form name@domain", ct.Email))
	}
}

var frameworkKey = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

func (c *checker) alignment(al Alignment, ptr string) {
	switch {
	case al.Framework == "":
		c.add(ptr+"/framework", "asset.alignment.framework-missing", ota.Error,
			`the alignment names no "framework"; use a registered key such as "gsbpm" or the framework's IRI`)
	case iri.HasScheme(al.Framework):
		if err := iri.CheckAbsolute(al.Framework); err != nil {
			c.add(ptr+"/framework", "asset.alignment.framework-invalid", ota.Error, fmt.Sprintf("framework IRI %q %v", al.Framework, err))
		}
	case !frameworkKey.MatchString(al.Framework):
		c.add(ptr+"/framework", "asset.alignment.framework-invalid", ota.Error,
			fmt.Sprintf("framework %q is neither a registered key (lowercase letters, digits and hyphens, such as \"gsbpm\") nor an absolute IRI", al.Framework))
	}
	if strings.TrimSpace(al.Code) == "" {
		c.add(ptr+"/code", "asset.alignment.code-missing", ota.Error,
			`the alignment has no "code"; give the node's code as its publisher writes it, such as "5.3"`)
	}
	if al.Relation != "" && !al.Relation.Valid() {
		c.add(ptr+"/relation", "asset.alignment.relation-unknown", ota.Error,
			fmt.Sprintf("alignment relation %q is not defined; use teaches, assesses or requires", al.Relation))
	}
	if c.frameworks != nil && al.Framework != "" && al.Code != "" {
		c.issues = append(c.issues, c.frameworks.CheckAlignment(al, ptr)...)
	}
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (c *checker) resource(r Resource, ptr string) {
	if r.Path == "" {
		c.add(ptr+"/path", "asset.resource.path-missing", ota.Error, `the resource has no "path"; give the file's path relative to the document`)
	} else if code, msg := checkPath(r.Path); code != "" {
		c.add(ptr+"/path", code, ota.Error, msg)
	}
	if r.MediaType != "" {
		mt, _, err := mime.ParseMediaType(r.MediaType)
		if err != nil || !strings.Contains(mt, "/") || strings.HasPrefix(mt, "/") || strings.HasSuffix(mt, "/") || strings.Count(mt, "/") != 1 {
			c.add(ptr+"/mediaType", "asset.resource.media-type-invalid", ota.Error,
				fmt.Sprintf("media type %q is not of the form type/subtype, such as \"text/html\"", r.MediaType))
		}
	}
	if r.Size < 0 {
		c.add(ptr+"/size", "asset.resource.size-invalid", ota.Error, fmt.Sprintf("size %d is negative", r.Size))
	}
	if r.SHA256 != "" && !sha256Hex.MatchString(r.SHA256) {
		msg := fmt.Sprintf("sha256 %q is not 64 lowercase hexadecimal digits", r.SHA256)
		if sha256Hex.MatchString(strings.ToLower(r.SHA256)) {
			msg += "; write it in lowercase"
		}
		c.add(ptr+"/sha256", "asset.resource.sha256-invalid", ota.Error, msg)
	}
	if r.Role != "" && !r.Role.Valid() {
		c.add(ptr+"/role", "asset.resource.role-unknown", ota.Error,
			fmt.Sprintf("resource role %q is not defined; use launch, supporting, media, data or metadata", r.Role))
	}
	c.langString(r.Title, ptr+"/title")
}

// checkPath returns a code and message when p is not a clean relative path
// that stays inside the document's folder.
func checkPath(p string) (code, msg string) {
	switch {
	case strings.ContainsRune(p, '\\'):
		return "asset.resource.path-backslash", fmt.Sprintf("path %q contains a backslash; separate folders with '/'", p)
	case strings.HasPrefix(p, "/"):
		return "asset.resource.path-absolute", fmt.Sprintf("path %q is absolute; write it relative to the document, without the leading '/'", p)
	case len(p) >= 2 && p[1] == ':' && (p[0] >= 'a' && p[0] <= 'z' || p[0] >= 'A' && p[0] <= 'Z'):
		return "asset.resource.path-absolute", fmt.Sprintf("path %q starts with a drive letter; write it relative to the document", p)
	case iri.HasScheme(p):
		return "asset.resource.path-absolute", fmt.Sprintf("path %q is a URL; resources are files inside the package — link to external pages with a relation instead", p)
	case strings.ContainsAny(p, "?#"):
		return "asset.resource.path-unclean", fmt.Sprintf("path %q holds a query or fragment; a resource path names a file only", p)
	case strings.ContainsFunc(p, func(r rune) bool { return r < ' ' || r == 0x7F }):
		return "asset.resource.path-unclean", fmt.Sprintf("path %q contains control characters", p)
	}
	for seg := range strings.SplitSeq(p, "/") {
		switch seg {
		case "..":
			return "asset.resource.path-escapes", fmt.Sprintf("path %q contains \"..\"; a resource must stay inside the document's folder", p)
		case ".", "":
			return "asset.resource.path-unclean", fmt.Sprintf("path %q has an empty or \".\" segment; write it in clean form (no \"./\", \"//\" or trailing '/')", p)
		}
	}
	return "", ""
}

func (c *checker) dates(a *Asset, ptr string) {
	parsed := map[string]time.Time{}
	for _, d := range []struct{ name, v string }{{"created", a.Created}, {"modified", a.Modified}, {"published", a.Published}} {
		if d.v == "" {
			continue
		}
		t, ok := parseDate(d.v)
		if !ok {
			c.add(ptr+"/"+d.name, "asset.date.invalid", ota.Error,
				fmt.Sprintf("%s %q is not an RFC 3339 date or date-time; write \"2024-05-01\" or \"2024-05-01T09:30:00Z\"", d.name, d.v))
			continue
		}
		parsed[d.name] = t
	}
	if cr, ok := parsed["created"]; ok {
		if m, ok := parsed["modified"]; ok && m.Before(cr) {
			c.add(ptr+"/modified", "asset.date.order", ota.Warning,
				fmt.Sprintf("modified %s is before created %s; check the dates", a.Modified, a.Created))
		}
		if p, ok := parsed["published"]; ok && p.Before(cr) {
			c.add(ptr+"/published", "asset.date.order", ota.Warning,
				fmt.Sprintf("published %s is before created %s; check the dates", a.Published, a.Created))
		}
	}
}

// parseDate parses an OTA date: an RFC 3339 full-date or date-time.
func parseDate(s string) (time.Time, bool) { return otadate.Parse(s) }
