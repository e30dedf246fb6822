package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/mapping"
	"golang.org/x/text/language"
)

// Limits of what Prepare indexes of one document, so that one hostile
// record costs a bounded amount of index.
const (
	// MaxDocBytes is the largest document a store accepts.
	MaxDocBytes = 8 << 20
	// maxText is the most bytes of folded text indexed per field.
	maxText = 64 << 10
	// maxTitleTerms is the most title terms kept for overlap candidates.
	maxTitleTerms = 32
)

// Prepared is what a store indexes of one record: the columns and rows
// every implementation derives the same way from the record's document.
type Prepared struct {
	// Asset is the decoded tree.
	Asset *asset.Asset
	// Kind, Level and License are the root's (License lower-cased for
	// matching is in LicenseKey).
	Kind, Level, License, LicenseKey string
	// Languages are the primary language subtags the tree teaches in
	// (the root's Languages, or its parts', or its title's tags), sorted.
	Languages []string
	// DurationSeconds is the tree's total duration (0 when unknown).
	DurationSeconds int64
	// Title and Description are the root's, as JSON language maps.
	Title, Description []byte
	// Modified is the root's modified date as the publisher gave it.
	Modified string
	// TitleText is the folded text of the titles in every language;
	// BodyText that of the descriptions, objectives, keywords and parts'
	// titles and descriptions. Both are what full-text search matches.
	TitleText, BodyText string
	// IDs lists every asset ID of the tree with its JSON Pointer.
	IDs []TreeID
	// Nodes lists the framework nodes the tree covers or is aligned to.
	Nodes []NodeRow
	// Relations lists the tree's lineage relations.
	Relations []RelationRow
	// Terms are the overlap-candidate keys: folded title words of the
	// root and "@framework:code" for each directly aligned node.
	Terms []string
}

// TreeID is one asset of a tree: its ID and JSON Pointer.
type TreeID struct{ ID, Pointer string }

// NodeRow is one framework node a tree touches. Framework is the
// registered key of a built-in framework, or the IRI an alignment gives.
type NodeRow struct {
	Framework, Code string
	// Direct: an alignment of the tree names the node itself.
	Direct bool
	// Covers: the tree teaches or assesses the node or a node below it
	// (built-in frameworks only, whose hierarchy is known).
	Covers bool
}

// RelationRow is one lineage relation of a tree: the asset FromID (at
// Pointer) derives from Target.
type RelationRow struct{ FromID, Pointer, Type, Target string }

// lineageTypes are the relations lineage follows.
var lineageTypes = []asset.RelationType{asset.IsBasedOn, asset.IsTranslationOf, asset.IsVersionOf}

// Prepare decodes a record's document and derives what a store indexes.
// Coverage of built-in frameworks is computed with mapping's coverage
// analysis, one tree at a time, so that a node counts the same way in the
// hub's gap view as in `ota coverage`.
func Prepare(r *Record, reg *mapping.Registry) (*Prepared, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if len(r.Doc) > MaxDocBytes {
		return nil, fmt.Errorf("%w: record %s: document of %d bytes is larger than %d", ErrInvalid, r.Key(), len(r.Doc), MaxDocBytes)
	}
	doc, _, err := asset.Unmarshal(r.Doc, asset.ReadOptions{MaxBytes: MaxDocBytes})
	if err != nil {
		return nil, fmt.Errorf("%w: record %s: %w", ErrInvalid, r.Key(), err)
	}
	a := &doc.Asset
	if a.ID != r.ID {
		return nil, fmt.Errorf("%w: record %s holds an asset with ID %q", ErrInvalid, r.Key(), a.ID)
	}
	p := &Prepared{
		Asset: a, Kind: string(a.Kind), Level: string(a.Level), License: a.License,
		LicenseKey: strings.ToLower(a.License), Modified: a.Modified,
		DurationSeconds: int64(a.TotalDuration().Approx().Seconds()),
	}
	if p.Title, err = json.Marshal(orEmpty(a.Title)); err != nil {
		return nil, err
	}
	if p.Description, err = json.Marshal(orEmpty(a.Description)); err != nil {
		return nil, err
	}
	p.Languages = treeLanguages(a)

	var title, body textBuf
	for _, tag := range a.Title.Tags() {
		title.add(a.Title[tag])
	}
	for ptr, x := range a.All() {
		p.IDs = append(p.IDs, TreeID{ID: x.ID, Pointer: ptr})
		if ptr != "" {
			for _, tag := range x.Title.Tags() {
				body.add(x.Title[tag])
			}
		}
		for _, tag := range x.Description.Tags() {
			body.add(x.Description[tag])
		}
		for _, o := range x.Objectives {
			for _, tag := range o.Text.Tags() {
				body.add(o.Text[tag])
			}
		}
		for _, kw := range x.Keywords.All() {
			body.add(kw)
		}
		for _, rel := range x.Relations {
			if slices.Contains(lineageTypes, rel.Type) && rel.Target != "" && rel.Target != x.ID {
				p.Relations = append(p.Relations, RelationRow{FromID: x.ID, Pointer: ptr, Type: string(rel.Type), Target: rel.Target})
			}
		}
	}
	p.TitleText, p.BodyText = title.String(), body.String()
	p.Nodes = treeNodes(a, r.Source, reg)
	p.Terms = candidateTerms(p.TitleText, p.Nodes)
	return p, nil
}

func orEmpty(s asset.LangString) asset.LangString {
	if s == nil {
		return asset.LangString{}
	}
	return s
}

// textBuf gathers folded text up to maxText bytes.
type textBuf struct{ strings.Builder }

func (b *textBuf) add(s string) {
	if s == "" || b.Len() >= maxText {
		return
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	f := Fold(s)
	if b.Len()+len(f) > maxText {
		f = f[:maxText-b.Len()]
		for len(f) > 0 && !validEnd(f) {
			f = f[:len(f)-1]
		}
	}
	b.WriteString(f)
}

// validEnd reports whether s does not end inside a UTF-8 sequence.
func validEnd(s string) bool {
	last := s[len(s)-1]
	return last < 0x80
}

// treeLanguages returns the primary subtags the tree teaches in.
func treeLanguages(a *asset.Asset) []string {
	tags := a.Languages
	if len(tags) == 0 {
		for _, x := range a.All() {
			tags = append(tags, x.Languages...)
		}
	}
	if len(tags) == 0 {
		tags = a.Title.Tags()
	}
	var out []string
	for _, t := range tags {
		if b := LanguageBase(t); b != "" && !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	slices.Sort(out)
	return out
}

// LanguageBase returns the lower-case primary language subtag of a BCP 47
// tag ("pt-BR" → "pt"), or "" when the tag cannot be parsed.
func LanguageBase(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return ""
	}
	b, _ := t.Base()
	if b.String() == "und" {
		return ""
	}
	return b.String()
}

// treeNodes lists the nodes the tree's alignments name, and for built-in
// frameworks every node the tree covers, rolled up the hierarchy.
func treeNodes(a *asset.Asset, source string, reg *mapping.Registry) []NodeRow {
	direct := map[[2]string]bool{}
	var order [][2]string
	for _, x := range a.All() {
		visit := func(al asset.Alignment) {
			k := [2]string{al.Framework, al.Code}
			if al.Framework == "" || al.Code == "" || direct[k] {
				return
			}
			direct[k] = true
			order = append(order, k)
		}
		for _, al := range x.Alignments {
			visit(al)
		}
		for _, o := range x.Objectives {
			for _, al := range o.Alignments {
				visit(al)
			}
		}
	}
	if len(order) == 0 {
		return nil
	}
	rows := map[[2]string]int{} // index in out
	var out []NodeRow
	add := func(fw, code string, isDirect, covers bool) {
		k := [2]string{fw, code}
		if i, ok := rows[k]; ok {
			out[i].Direct = out[i].Direct || isDirect
			out[i].Covers = out[i].Covers || covers
			return
		}
		rows[k] = len(out)
		out = append(out, NodeRow{Framework: fw, Code: code, Direct: isDirect, Covers: covers})
	}
	// Built-in frameworks: coverage of this one tree.
	known := map[string]bool{}
	if reg != nil {
		for _, fw := range reg.List() {
			key := fw.Key
			if key == "" || known[key] {
				continue
			}
			named := false
			for _, k := range order {
				if k[0] == key || k[0] == fw.ID {
					named = true
					break
				}
			}
			if !named {
				continue
			}
			known[key] = true
			cov, err := reg.Coverage(key, "", []mapping.Entry{{Asset: a, Publisher: source}}, mapping.CoverageOptions{})
			if err != nil {
				continue
			}
			for _, n := range cov.Nodes {
				if n.Assets > 0 || n.Direct.Sum() > 0 {
					add(key, n.Code, n.Direct.Sum() > 0, n.Assets > 0)
				}
			}
		}
	}
	for _, k := range order {
		fw := k[0]
		if reg != nil {
			if f, _, err := reg.Resolve(asset.Alignment{Framework: k[0], Code: k[1]}); err == nil && f.Key != "" {
				fw = f.Key
			}
		}
		if known[fw] {
			// The coverage above already has it if the code resolves;
			// an unresolved code is kept as a direct alignment.
			if _, ok := rows[[2]string{fw, k[1]}]; ok {
				continue
			}
		}
		add(fw, k[1], true, false)
	}
	slices.SortFunc(out, func(x, y NodeRow) int {
		return strings.Compare(x.Framework+"\x00"+x.Code, y.Framework+"\x00"+y.Code)
	})
	return out
}

// candidateTerms returns the folded title words and "@framework:code" keys
// used to find overlap candidates.
func candidateTerms(title string, nodes []NodeRow) []string {
	var out []string
	for _, w := range strings.Fields(title) {
		if len([]rune(w)) < 3 || stopWords[w] || slices.Contains(out, w) {
			continue
		}
		out = append(out, w)
		if len(out) == maxTitleTerms {
			break
		}
	}
	for _, n := range nodes {
		if n.Direct {
			out = append(out, "@"+n.Framework+":"+n.Code)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// stopWords are words too common in training titles to find candidates by,
// in the languages of the Meta Academy's members.
var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`the and for with from into introduction intro course module lesson part unit basic basics advanced
		des les une pour avec dans sur aux par cours introduction
		los las del con para por una curso introduccion
		der die das und mit fur von zur zum ein eine kurs einfuhrung
		dei della delle con per una corso
		dos das com para uma curso introducao
		van het een voor met cursus inleiding`) {
		stopWords[w] = true
	}
}

// Fold returns s in the form full-text search indexes and matches: lower
// case, without the diacritics of Latin, Greek and Cyrillic letters (é → e;
// other scripts keep their marks, which carry meaning there), with every
// run of characters that are not letters, digits or marks turned into one
// space. It is how every store normalises text, so that "Éducation" and
// "education" match in SQLite and PostgreSQL alike.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	stripMarks := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			stripMarks = foldable(r)
			if stripMarks {
				for _, f := range foldRune(r) {
					b.WriteRune(f)
				}
			} else {
				b.WriteRune(unicode.ToLower(r))
			}
			space = false
		case unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me):
			if !stripMarks && !space {
				b.WriteRune(r)
			}
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
			stripMarks = false
		}
	}
	return strings.TrimRight(b.String(), " ")
}
