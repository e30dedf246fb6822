package mapping

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/framework"
	"github.com/metaacademy/ota/internal/iri"
)

// The issue codes of [Registry.CheckAlignments].
const (
	// CodeUnknownFramework: the alignment names a framework that is not
	// registered. An error for a short key (keys must be registered), a
	// warning for an IRI (the framework may be real, but cannot be checked).
	CodeUnknownFramework = "mapping.alignment.unknown-framework"
	// CodeUnknownVersion: the framework is registered, but not in that
	// version (error).
	CodeUnknownVersion = "mapping.alignment.unknown-version"
	// CodeUnknownCode: the framework has no node with that code (error).
	CodeUnknownCode = "mapping.alignment.unknown-code"
	// CodeUnknownLevel: the level is on none of the framework's scales
	// (error). Not checked for frameworks without a scale.
	CodeUnknownLevel = "mapping.alignment.unknown-level"
	// CodeUnofficialCode: the code was assigned by OTA, not by the
	// framework's publisher, so other tools may not know it (warning).
	CodeUnofficialCode = "mapping.alignment.unofficial-code"
	// CodeUnconfirmedNode: the node's name could not be confirmed against
	// the publisher's text (info).
	CodeUnconfirmedNode = "mapping.alignment.unconfirmed-node"
	// CodeNameChanged: the alignment states no version and the node was
	// renamed between versions, so which name is meant is unclear
	// (warning).
	CodeNameChanged = "mapping.alignment.name-changed"
)

// CheckAlignments resolves every alignment in the tree rooted at root — the
// assets' own and their objectives' — against the registry and returns the
// issues found, in tree order, each with a JSON Pointer relative to the
// root in the style of asset.Check ("/parts/0/objectives/1/alignments/0/code").
// Alignments without a framework or a code are skipped: asset.Check reports
// them. The issue codes are the Code… constants of this package.
func (r *Registry) CheckAlignments(root *asset.Asset) ota.Report {
	var rep ota.Report
	if root == nil {
		return rep
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	for ptr, a := range root.All() {
		for j := range a.Objectives {
			o := &a.Objectives[j]
			for i := range o.Alignments {
				r.checkAlignment(&rep, &o.Alignments[i], func() string {
					return ptr + "/objectives/" + strconv.Itoa(j) + "/alignments/" + strconv.Itoa(i)
				})
			}
		}
		for i := range a.Alignments {
			r.checkAlignment(&rep, &a.Alignments[i], func() string { return ptr + "/alignments/" + strconv.Itoa(i) })
		}
	}
	return rep
}

// CheckAlignment checks one alignment whose JSON Pointer is ptr, as
// [Registry.CheckAlignments] does for each alignment of a tree. It makes a
// Registry an asset.AlignmentChecker, so that
//
//	asset.Check(a, asset.CheckOptions{Frameworks: mapping.Default()})
//
// validates alignments together with the rest of the asset.
func (r *Registry) CheckAlignment(al asset.Alignment, ptr string) []ota.Issue {
	var rep ota.Report
	r.mu.RLock()
	defer r.mu.RUnlock()
	r.checkAlignment(&rep, &al, func() string { return ptr })
	return rep.Issues
}

var _ asset.AlignmentChecker = (*Registry)(nil)

// CheckAlignments checks root's alignments against the built-in
// frameworks; see [Registry.CheckAlignments].
func CheckAlignments(root *asset.Asset) ota.Report { return shared().CheckAlignments(root) }

// checkAlignment checks one alignment; ptr builds its JSON Pointer, only
// when there is something to report.
func (r *Registry) checkAlignment(rep *ota.Report, al *asset.Alignment, ptr func() string) {
	if al.Framework == "" || strings.TrimSpace(al.Code) == "" {
		return
	}
	add := func(suffix, code string, sev ota.Severity, format string, args ...any) {
		rep.Add(ota.Issue{Pointer: ptr() + suffix, Code: code, Severity: sev, Message: fmt.Sprintf(format, args...)})
	}
	f := r.family(al.Framework)
	if f == nil {
		if iri.HasScheme(al.Framework) {
			add("/framework", CodeUnknownFramework, ota.Warning,
				"framework %s is not registered, so its codes cannot be checked; register it (mapping.Registry.Add) or use a built-in key: %s",
				al.Framework, r.keyList())
		} else {
			add("/framework", CodeUnknownFramework, ota.Error,
				"framework key %q is not registered; use one of %s, or name the framework by its IRI", al.Framework, r.keyList())
		}
		return
	}
	e := f.find(al.Version)
	if e == nil {
		add("/version", CodeUnknownVersion, ota.Error,
			"%s has no version %q; known versions: %s (leave the version out for the newest)", f.label, al.Version, strings.Join(f.versionList(), ", "))
		return
	}
	label := f.label + " " + e.fw.Version
	n := e.idx.Node(al.Code)
	if n == nil {
		msg := fmt.Sprintf("code %q is not a node of %s", al.Code, label)
		if s := suggest(e.fw, al.Code); len(s) > 0 {
			msg += "; did you mean " + s + "?"
		} else {
			msg += "; use a code the framework defines, such as " + exampleCodes(e.fw)
		}
		add("/code", CodeUnknownCode, ota.Error, "%s", msg)
		return
	}
	if al.Level != "" && len(e.fw.Scales) > 0 {
		found := false
		for i := range e.fw.Scales {
			if e.fw.Scales[i].Level(al.Level) != nil {
				found = true
				break
			}
		}
		if !found {
			add("/level", CodeUnknownLevel, ota.Error, "level %q is not on the scale of %s; use one of %s",
				al.Level, label, levelList(&e.fw.Scales[0]))
		}
	}
	name := nodeName(e.fw, n)
	if n.Unofficial {
		add("/code", CodeUnofficialCode, ota.Warning,
			"code %q (%s) was assigned by OTA because %s gives this node no code; tools that do not use OTA's codes will not recognise it",
			n.Code, name, f.label)
	}
	if n.Unconfirmed {
		also := ""
		if len(n.AltNames) > 0 {
			also = "; it is also known as " + quoteList(n.AltNames)
		}
		add("/code", CodeUnconfirmedNode, ota.Info,
			"the name of %s %s, %q, could not be confirmed against the publisher's text%s", label, n.Code, name, also)
	}
	if al.Version == "" && len(f.versions) > 1 {
		if old := renamedFrom(f, n.Code); old != nil {
			add("/version", CodeNameChanged, ota.Warning,
				"%s %s is %q in %s %s but %q in %s %s, and the alignment states no version; add \"version\" to say which one you mean",
				f.label, n.Code, name, f.label, e.fw.Version, old.name, f.label, old.version)
		}
	}
}

type oldName struct{ name, version string }

// renamedFrom returns the most recent earlier name of the node with the
// given code in f, when its name in the newest version differs from it by
// more than letter case.
func renamedFrom(f *family, code string) *oldName {
	newest := f.versions[len(f.versions)-1].idx.Node(code)
	if newest == nil {
		return nil
	}
	cur := nodeName(f.versions[len(f.versions)-1].fw, newest)
	for i := len(f.versions) - 2; i >= 0; i-- {
		e := f.versions[i]
		n := e.idx.Node(code)
		if n == nil {
			return nil
		}
		if old := nodeName(e.fw, n); !strings.EqualFold(old, cur) {
			return &oldName{old, e.fw.Version}
		}
	}
	return nil
}

func (r *Registry) keyList() string {
	var keys []string
	for k := range r.families {
		if !iri.HasScheme(k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return quoteList(keys)
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = strconv.Quote(x)
	}
	return strings.Join(q, ", ")
}

func levelList(s *framework.Scale) string {
	c := make([]string, len(s.Levels))
	for i, l := range s.Levels {
		c[i] = l.Code
	}
	return strings.Join(c, ", ")
}

func exampleCodes(fw *framework.Framework) string {
	var c []string
	for _, n := range fw.Nodes {
		c = append(c, strconv.Quote(n.Code))
		if len(c) == 3 {
			break
		}
	}
	return strings.Join(c, ", ")
}

// suggest names up to three codes of fw close to code, each with its name:
// a node whose code or name equals code once spaces and letter case are set
// aside; the nearest ancestor when code is deeper than any code of the
// framework ("5.3.2" → "5.3", GSBPM's tasks are not modelled); then the one
// or two codes at the smallest edit distance, numerically nearest first
// ("5.9" → "5.8").
func suggest(fw *framework.Framework, code string) string {
	var picks []*framework.Node
	pick := func(n *framework.Node) {
		if n != nil && !slices.Contains(picks, n) && len(picks) < 3 {
			picks = append(picks, n)
		}
	}
	trimmed := strings.TrimSpace(code)
	maxDots := 0
	for i := range fw.Nodes {
		n := &fw.Nodes[i]
		maxDots = max(maxDots, strings.Count(n.Code, "."))
		if strings.EqualFold(n.Code, trimmed) || strings.EqualFold(nodeName(fw, n), trimmed) {
			pick(n)
		}
	}
	if strings.Count(trimmed, ".") > maxDots {
		for p := trimmed; ; {
			i := strings.LastIndexByte(p, '.')
			if i <= 0 {
				break
			}
			p = p[:i]
			if n := fw.Node(p); n != nil {
				pick(n)
				break
			}
		}
	}
	// Edit distance, ignoring case; only plausible slips.
	type cand struct {
		n       *framework.Node
		d, diff int
	}
	var near []cand
	lower := strings.ToLower(trimmed)
	for i := range fw.Nodes {
		n := &fw.Nodes[i]
		if d := editDistance(lower, strings.ToLower(n.Code)); d <= 2 && d <= len(trimmed)/2+1 {
			near = append(near, cand{n, d, numericGap(trimmed, n.Code)})
		}
	}
	slices.SortStableFunc(near, func(a, b cand) int { return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.diff, b.diff)) })
	for i, c := range near {
		if i == 2 || c.d != near[0].d {
			break
		}
		pick(c.n)
	}
	if len(picks) == 0 {
		return ""
	}
	s := make([]string, len(picks))
	for i, n := range picks {
		s[i] = fmt.Sprintf("%q (%s)", n.Code, nodeName(fw, n))
	}
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// numericGap measures how far apart two dotted codes are numerically: the
// absolute difference of the first components that differ, when both are
// numbers, and a large value otherwise.
func numericGap(a, b string) int {
	const far = 1 << 30
	for {
		pa, ra, _ := strings.Cut(a, ".")
		pb, rb, _ := strings.Cut(b, ".")
		if pa != pb {
			na, ea := strconv.Atoi(pa)
			nb, eb := strconv.Atoi(pb)
			if ea != nil || eb != nil {
				return far
			}
			return max(na-nb, nb-na)
		}
		if ra == "" && rb == "" {
			return 0
		}
		a, b = ra, rb
	}
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// nodeName returns the node's name in the framework's language, or in
// English, or the best substitute; the common cases avoid parsing tags.
func nodeName(fw *framework.Framework, n *framework.Node) string {
	if s, ok := n.Name[fw.Language]; ok {
		return s
	}
	if s, ok := n.Name["en"]; ok {
		return s
	}
	return n.Name.String()
}
