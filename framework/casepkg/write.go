package casepkg

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/metaacademy/ota/framework"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/iri"
	"github.com/metaacademy/ota/internal/jsontree"
)

// The CASE 1.1 package as written. Field order follows the CASE 1.1
// JSON binding; members that are empty are left out unless CASE requires
// them.
type (
	casePackageOut struct {
		CFDocument     caseDocumentOut     `json:"CFDocument"`
		CFItems        []caseItemOut       `json:"CFItems"`
		CFAssociations []caseAssocOut      `json:"CFAssociations"`
		CFDefinitions  *caseDefinitionsOut `json:"CFDefinitions,omitempty"`
	}
	caseLinkOut struct {
		Title      string `json:"title"`
		Identifier string `json:"identifier"`
		URI        string `json:"uri"`
	}
	caseDocumentOut struct {
		Identifier         string                     `json:"identifier"`
		URI                string                     `json:"uri"`
		CaseVersion        string                     `json:"caseVersion"`
		Creator            string                     `json:"creator"`
		Title              string                     `json:"title"`
		LastChangeDateTime string                     `json:"lastChangeDateTime"`
		OfficialSourceURL  string                     `json:"officialSourceURL,omitempty"`
		Publisher          string                     `json:"publisher,omitempty"`
		Description        string                     `json:"description,omitempty"`
		Language           string                     `json:"language,omitempty"`
		Version            string                     `json:"version,omitempty"`
		LicenseURI         *caseLinkOut               `json:"licenseURI,omitempty"`
		Notes              string                     `json:"notes,omitempty"`
		Extensions         map[string]json.RawMessage `json:"extensions,omitempty"`
	}
	caseItemOut struct {
		Identifier           string                     `json:"identifier"`
		FullStatement        string                     `json:"fullStatement"`
		AlternativeLabel     string                     `json:"alternativeLabel,omitempty"`
		CFItemType           string                     `json:"CFItemType,omitempty"`
		URI                  string                     `json:"uri"`
		HumanCodingScheme    string                     `json:"humanCodingScheme,omitempty"`
		AbbreviatedStatement string                     `json:"abbreviatedStatement,omitempty"`
		Language             string                     `json:"language,omitempty"`
		CFItemTypeURI        *caseLinkOut               `json:"CFItemTypeURI,omitempty"`
		LastChangeDateTime   string                     `json:"lastChangeDateTime"`
		Extensions           map[string]json.RawMessage `json:"extensions,omitempty"`
	}
	caseAssocOut struct {
		Identifier         string                     `json:"identifier"`
		AssociationType    string                     `json:"associationType"`
		SequenceNumber     int                        `json:"sequenceNumber,omitempty"`
		URI                string                     `json:"uri"`
		OriginNodeURI      caseLinkOut                `json:"originNodeURI"`
		DestinationNodeURI caseLinkOut                `json:"destinationNodeURI"`
		LastChangeDateTime string                     `json:"lastChangeDateTime"`
		Extensions         map[string]json.RawMessage `json:"extensions,omitempty"`
	}
	caseDefinitionsOut struct {
		CFLicenses  []caseLicenseOut  `json:"CFLicenses,omitempty"`
		CFItemTypes []caseItemTypeOut `json:"CFItemTypes,omitempty"`
	}
	caseItemTypeOut struct {
		Identifier         string `json:"identifier"`
		URI                string `json:"uri"`
		Title              string `json:"title"`
		Description        string `json:"description"`
		HierarchyCode      string `json:"hierarchyCode"`
		TypeCode           string `json:"typeCode,omitempty"`
		LastChangeDateTime string `json:"lastChangeDateTime"`
	}
	caseLicenseOut struct {
		Identifier         string `json:"identifier"`
		URI                string `json:"uri"`
		Title              string `json:"title"`
		LicenseText        string `json:"licenseText"`
		LastChangeDateTime string `json:"lastChangeDateTime"`
	}
)

// The item types Write gives proficiency scales and levels.
const (
	scaleItemType = "Proficiency Scale"
	levelItemType = "Proficiency Level"
)

// epoch is the lastChangeDateTime written for a framework without Modified.
const epoch = "1970-01-01T00:00:00Z"

// Write writes f to w as a CASE 1.1 package (the JSON of a CFPackage),
// indented, with the members of each object in the order of the CASE 1.1
// JSON binding.
//
// The output is deterministic: identifiers are UUIDs derived from the
// framework ID, node codes and scale and level codes (see [asset.DeriveID]),
// or the identifiers kept under [ExtCASE] when f was read from CASE, and
// every lastChangeDateTime is f.Modified. Writing the same framework twice
// gives the same bytes.
//
// A framework that fails [framework.Framework.Check] is not written: the report holds
// Check's issues and the error is an *[ota.ValidationError]. Otherwise the
// report holds what CASE cannot carry (texts in languages other than the
// document's, unofficial codes, unconfirmed names, previous names, further
// alternative names, close, broad and narrow matches, references to nodes of
// registered frameworks) as losses — each is also kept in the [ExtOTA]
// extension, so that [Read] gets the framework back — and warnings for
// values CASE requires that f lacks (a publisher, a modification date),
// for which placeholders are written.
func Write(w io.Writer, f *framework.Framework) (ota.Report, error) {
	if rep := f.Check(); rep.HasErrors() {
		return rep, rep.Err()
	}
	cw := &caseWriter{f: f, idx: f.Index(), usedIDs: map[string]string{}, counter: map[string]int{}}
	pkg := cw.build()
	rep := ota.Report{Issues: cw.issues, Losses: cw.losses.list()}
	if err := rep.Err(); err != nil {
		return rep, err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(pkg); err != nil {
		return rep, fmt.Errorf("framework: writing CASE package: %w", err)
	}
	return rep, nil
}

type caseWriter struct {
	f       *framework.Framework
	idx     *framework.Index
	issues  []ota.Issue
	losses  lossList
	lang    string // the document's language tag
	modTime string
	docID   string
	usedIDs map[string]string // identifier → pointer of the value it was given to
	counter map[string]int
	items   map[string]caseLinkOut // node code → link to its item
	types   []caseItemTypeOut
}

func (w *caseWriter) add(ptr, code string, sev ota.Severity, msg string) {
	w.issues = append(w.issues, ota.Issue{Pointer: ptr, Code: code, Severity: sev, Message: msg})
}

// claim records that identifier id is given to the value at ptr and
// reports a clash with an earlier one.
func (w *caseWriter) claim(id, ptr string) {
	if first, dup := w.usedIDs[id]; dup {
		w.add(ptr, "case.write.identifier-duplicate", ota.Error,
			fmt.Sprintf("the CASE identifier %q is also the one of %s; change the identifier kept under %s or the node ID", id, first, ExtCASE))
		return
	}
	w.usedIDs[id] = ptr
}

func readCASEFacts(ext map[string]json.RawMessage) caseFacts {
	var c caseFacts
	if raw, ok := ext[ExtCASE]; ok {
		if json.Unmarshal(raw, &c) != nil {
			return caseFacts{}
		}
	}
	return c
}

// caseExtensions returns the extensions to write for a value: its own,
// without ExtCASE and ExtOTA (which are reserved; see checkReserved), and
// the OTA facts under ExtOTA when there are any.
func caseExtensions(ext map[string]json.RawMessage, facts otaFacts) map[string]json.RawMessage {
	var out map[string]json.RawMessage
	for k, v := range ext {
		if k == ExtCASE || k == ExtOTA {
			continue
		}
		if out == nil {
			out = map[string]json.RawMessage{}
		}
		out[k] = v
	}
	if !factsEmpty(facts) {
		raw, _ := json.Marshal(facts)
		if out == nil {
			out = map[string]json.RawMessage{}
		}
		out[ExtOTA] = raw
	}
	return out
}

func factsEmpty(f otaFacts) bool {
	raw, _ := json.Marshal(f)
	return string(raw) == "{}"
}

// langKey returns the key of ls that equals tag ignoring case.
func langKey(ls asset.LangString, tag string) (string, bool) {
	if _, ok := ls[tag]; ok {
		return tag, true
	}
	for _, k := range ls.Tags() {
		if strings.EqualFold(k, tag) {
			return k, true
		}
	}
	return "", false
}

// texts chooses the name and description written for a value: the name in
// the document's language (or the best substitute), and the description in
// the same language. Texts in other languages go into facts and are
// reported as lost at ptr. A description equal to the name also goes into
// facts, since CASE would read it back as no description.
func (w *caseWriter) texts(name, desc asset.LangString, ptr string, facts *otaFacts) (nameText, descText, tag string) {
	pick := func(ls asset.LangString) string {
		if k, ok := langKey(ls, w.lang); ok {
			return k
		}
		_, k, _ := ls.Best(w.lang, "en")
		return k
	}
	switch {
	case len(name) > 0:
		tag = pick(name)
	case len(desc) > 0:
		tag = pick(desc)
	default:
		return "", "", ""
	}
	nameText = name[tag]
	if d, ok := desc[tag]; ok && d != nameText {
		descText = d
	}
	lost := false
	for _, t := range name.Tags() {
		if t != tag {
			facts.Name = facts.Name.Set(t, name[t])
			lost = true
		}
	}
	for _, t := range desc.Tags() {
		if t != tag {
			facts.Description = facts.Description.Set(t, desc[t])
			lost = true
		} else if desc[t] == nameText {
			facts.Description = facts.Description.Set(t, desc[t])
		}
	}
	if lost {
		w.losses.add("case.lost.languages", ptr, "texts in languages other than the one written", "a CASE item or document has one language; the others are kept in the OTA extension only")
	}
	return nameText, descText, tag
}

// checkReserved reports an extension keyed ExtOTA, which Write
// reserves for the OTA facts it writes, as lost.
func (w *caseWriter) checkReserved(ext map[string]json.RawMessage, ptr string) {
	if _, ok := ext[ExtOTA]; ok {
		w.losses.add("case.lost.reserved-extension", jsontree.AppendPointerToken(ptr, ExtOTA), "an extension keyed "+ExtOTA, "Write reserves this key for the OTA facts it writes")
	}
}

func (w *caseWriter) build() casePackageOut {
	f := w.f
	w.checkReserved(f.Extensions, "/extensions")
	for i := range f.Nodes {
		w.checkReserved(f.Nodes[i].Extensions, "/nodes/"+strconv.Itoa(i)+"/extensions")
	}
	for i := range f.Associations {
		w.checkReserved(f.Associations[i].Extensions, "/associations/"+strconv.Itoa(i)+"/extensions")
	}
	for i, s := range f.Scales {
		w.checkReserved(s.Extensions, "/scales/"+strconv.Itoa(i)+"/extensions")
		for j := range s.Levels {
			w.checkReserved(s.Levels[j].Extensions, "/scales/"+strconv.Itoa(i)+"/levels/"+strconv.Itoa(j)+"/extensions")
		}
	}
	var pkg casePackageOut
	w.document(&pkg.CFDocument)
	w.items = make(map[string]caseLinkOut, len(f.Nodes))
	// Item identifiers first, so that links can be written in any order.
	ids := make([]string, len(f.Nodes))
	for i := range f.Nodes {
		n := &f.Nodes[i]
		id := readCASEFacts(n.Extensions).Identifier
		if id == "" {
			id = deriveItemID(f.ID, n.ID, n.Code)
		}
		ids[i] = id
		w.claim(id, "/nodes/"+strconv.Itoa(i))
	}
	for i := range f.Nodes {
		item := w.node(i, ids[i])
		pkg.CFItems = append(pkg.CFItems, item)
	}
	// The hierarchy.
	seq := map[string]int{}
	for i := range f.Nodes {
		n := &f.Nodes[i]
		seq[n.Parent]++
		dest := w.docLink(&pkg.CFDocument)
		if n.Parent != "" {
			dest = w.items[n.Parent]
		}
		origin := w.items[n.Code]
		pkg.CFAssociations = append(pkg.CFAssociations, w.assoc("isChildOf", seq[n.Parent], origin, dest, caseFacts{}, nil, otaFacts{}))
	}
	// Scales and levels.
	for k := range f.Scales {
		w.scale(&pkg, k, seq[""]+k+1)
	}
	// The other associations.
	for j, a := range f.Associations {
		w.association(&pkg, j, a)
	}
	defs := &caseDefinitionsOut{CFItemTypes: w.types}
	if f.License != "" {
		lic := w.license()
		pkg.CFDocument.LicenseURI = &caseLinkOut{Title: lic.Title, Identifier: lic.Identifier, URI: lic.URI}
		defs.CFLicenses = []caseLicenseOut{lic}
	}
	if len(defs.CFItemTypes) > 0 || len(defs.CFLicenses) > 0 {
		pkg.CFDefinitions = defs
	}
	if pkg.CFItems == nil {
		pkg.CFItems = []caseItemOut{}
	}
	if pkg.CFAssociations == nil {
		pkg.CFAssociations = []caseAssocOut{}
	}
	return pkg
}

func (w *caseWriter) docLink(d *caseDocumentOut) caseLinkOut {
	return caseLinkOut{Title: d.Title, Identifier: d.Identifier, URI: d.URI}
}

func (w *caseWriter) document(d *caseDocumentOut) {
	f := w.f
	var facts otaFacts
	d.Identifier = readCASEFacts(f.Extensions).Identifier
	if d.Identifier == "" {
		d.Identifier = deriveDocID(f.ID)
	}
	w.docID = d.Identifier
	w.claim(d.Identifier, "/id")
	d.URI = f.ID
	d.CaseVersion = "1.1"
	w.lang = f.Language
	if w.lang == "" {
		_, tag, _ := f.Title.Best("en")
		w.lang = tag
		facts.Omitted = append(facts.Omitted, "language")
	}
	d.Language = w.lang
	d.Title, d.Description, _ = w.texts(f.Title, f.Description, "/title", &facts)
	d.Creator = f.Publisher
	d.Publisher = f.Publisher
	if f.Publisher == "" {
		d.Creator = "Unknown"
		facts.Omitted = append(facts.Omitted, "publisher")
		w.add("/publisher", "case.write.publisher-missing", ota.Warning, `CASE requires a creator and the framework has no publisher; "Unknown" is written`)
	}
	switch {
	case f.Modified == "":
		w.modTime = epoch
		facts.Omitted = append(facts.Omitted, "modified")
		w.add("/modified", "case.write.modified-missing", ota.Warning, "CASE requires a lastChangeDateTime and the framework has no modified date; "+epoch+" is written")
	case len(f.Modified) == len("2006-01-02"):
		w.modTime = f.Modified + "T00:00:00Z"
		facts.Modified = f.Modified
	default:
		w.modTime = f.Modified
	}
	d.LastChangeDateTime = w.modTime
	d.OfficialSourceURL = f.Source
	d.Version = f.Version
	if len(f.Notes) > 0 {
		d.Notes = strings.Join(f.Notes, "\n\n")
		if len(f.Notes) > 1 || strings.Contains(f.Notes[0], "\n\n") {
			facts.Notes = f.Notes
		}
	}
	facts.Key = f.Key
	if f.Key != "" {
		w.losses.add("case.lost.key", "/key", "the framework's registered key", "CASE has no member for it; it is kept in the OTA extension only")
	}
	d.Extensions = caseExtensions(f.Extensions, facts)
}

func (w *caseWriter) license() caseLicenseOut {
	f := w.f
	l := caseLicenseOut{
		Identifier:         caseUUID("license", f.License),
		Title:              f.License,
		LicenseText:        f.License,
		LastChangeDateTime: w.modTime,
	}
	switch {
	case iri.IsAbsolute(f.License):
		l.URI = f.License
	case isSPDXToken(f.License):
		l.URI = "https://spdx.org/licenses/" + f.License + ".html"
	default:
		l.URI = "urn:uuid:" + l.Identifier
	}
	return l
}

// isSPDXToken reports whether s looks like a single SPDX licence
// identifier ("CC-BY-4.0").
func isSPDXToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == '+') {
			return false
		}
	}
	return true
}

// itemType returns the link to the CFItemType definition of title and
// typeCode, adding the definition on first use.
func (w *caseWriter) itemType(title, typeCode string) *caseLinkOut {
	id := caseUUID("item-type", title, typeCode)
	for _, t := range w.types {
		if t.Identifier == id {
			return &caseLinkOut{Title: t.Title, Identifier: t.Identifier, URI: t.URI}
		}
	}
	t := caseItemTypeOut{
		Identifier:         id,
		URI:                "urn:uuid:" + id,
		Title:              title,
		Description:        fmt.Sprintf("Items of the OTA kind %q.", typeCode),
		HierarchyCode:      typeCode,
		TypeCode:           typeCode,
		LastChangeDateTime: w.modTime,
	}
	w.types = append(w.types, t)
	return &caseLinkOut{Title: t.Title, Identifier: t.Identifier, URI: t.URI}
}

func (w *caseWriter) node(i int, id string) caseItemOut {
	n := &w.f.Nodes[i]
	ptr := "/nodes/" + strconv.Itoa(i)
	cf := readCASEFacts(n.Extensions)
	var facts otaFacts
	it := caseItemOut{Identifier: id, URI: n.ID, LastChangeDateTime: w.modTime}
	if it.URI == "" {
		it.URI = "urn:uuid:" + id
	}
	full, desc, tag := w.texts(n.Name, n.Description, ptr+"/name", &facts)
	if desc != "" {
		it.AbbreviatedStatement, it.FullStatement = full, desc
	} else {
		it.FullStatement = full
	}
	if tag != "" && tag != w.lang {
		it.Language = tag
	}
	switch {
	case cf.HumanCodingScheme != "":
		it.HumanCodingScheme = cf.HumanCodingScheme
	case n.Unofficial && n.Code == id:
		// The code is the identifier: the item has no code of its own.
	default:
		it.HumanCodingScheme = n.Code
	}
	if n.Unofficial && it.HumanCodingScheme != "" {
		facts.Unofficial = true
		w.losses.add("case.lost.unofficial", ptr+"/unofficial", "unofficial flags of codes", "CASE cannot say that a humanCodingScheme was assigned by someone other than the publisher; the flag is kept in the OTA extension only")
	}
	if n.Unconfirmed {
		facts.Unconfirmed = true
		w.losses.add("case.lost.unconfirmed", ptr+"/unconfirmed", "unconfirmed flags of names", "CASE cannot say that a statement was not confirmed against the publisher's text; the flag is kept in the OTA extension only")
	}
	if len(n.AltNames) > 0 {
		it.AlternativeLabel = n.AltNames[0]
		if len(n.AltNames) > 1 {
			facts.AltNames = n.AltNames[1:]
			w.losses.add("case.lost.alt-names", ptr+"/altNames", "alternative names after the first", "CASE has one alternativeLabel per item; the others are kept in the OTA extension only")
		}
	}
	if n.PreviousName != "" {
		facts.PreviousName = n.PreviousName
		w.losses.add("case.lost.previous-name", ptr+"/previousName", "previous names", "CASE has no member for a node's name in the previous version; it is kept in the OTA extension only")
	}
	title := cf.ItemType
	if title == "" {
		title = kindTitle(n.Kind)
	}
	it.CFItemType = title
	it.CFItemTypeURI = w.itemType(title, string(n.Kind))
	it.Extensions = caseExtensions(n.Extensions, facts)
	w.items[n.Code] = caseLinkOut{Title: it.FullStatement, Identifier: it.Identifier, URI: it.URI}
	return it
}
