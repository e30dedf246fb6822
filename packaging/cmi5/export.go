package cmi5

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/imported"
	"github.com/metaacademy/ota/packaging/xapi"
)

// ExportOptions configure [FromAsset], [Export] and [ExportFile].
// The zero value selects the defaults.
type ExportOptions struct {
	// LaunchMethod is the launchMethod of the AUs the export makes
	// (those not imported from cmi5, whose own is kept): AnyWindow or
	// OwnWindow; "" means AnyWindow.
	LaunchMethod string
	// MoveOn, when set, is the moveOn of the AUs the export makes,
	// instead of the default: Completed for an asset without a mastery
	// score, Passed for one with.
	MoveOn string
	// Direct launches each launch resource itself as the AU, without the
	// launch page, for content that does the AU's part of cmi5 on its
	// own. By default content that is not already an AU is wrapped in
	// the launch page (see [LaunchPage]).
	Direct bool
	// ActivityIDBase is the IRI prefix of the ids made for assets whose
	// ID is not an http(s) IRI, as [xapi.ActivityOptions.IDBase]; "" means
	// xapi.DefaultActivityIDBase. The course, block and AU ids are then
	// the activity IDs packaging/xapi gives the same assets.
	ActivityIDBase string
}

// ErrExport is matched by the errors of an export that cannot be made:
// invalid options, an asset tree with nothing to launch, a content file
// that is missing or does not match its resource.
var ErrExport = errors.New("cmi5: cannot export")

func (o ExportOptions) check() error {
	switch o.LaunchMethod {
	case "", LaunchAnyWindow, LaunchOwnWindow:
	default:
		return fmt.Errorf("%w: launch method %q is not AnyWindow or OwnWindow", ErrExport, o.LaunchMethod)
	}
	switch o.MoveOn {
	case "", MoveOnPassed, MoveOnCompleted, MoveOnCompletedAndPassed, MoveOnCompletedOrPassed, MoveOnNotApplicable:
	default:
		return fmt.Errorf("%w: moveOn %q is not one of Passed, Completed, CompletedAndPassed, CompletedOrPassed, NotApplicable", ErrExport, o.MoveOn)
	}
	return nil
}

// FromAsset maps an asset tree to a cmi5 course structure, the
// reverse of [Course.Asset]:
//
//   - the root becomes the course, an asset with parts a block, and a
//     leaf with a launch resource ([asset.RoleLaunch]) an AU. A leaf
//     root becomes a course holding one AU. Leaves with nothing to launch,
//     and blocks left empty, are left out (reported as losses).
//   - IDs: the cmi5 IRI kept in the [Ext] of an imported asset; otherwise
//     the asset ID, which is an absolute IRI; otherwise, or when that IRI
//     is taken, a urn:uuid derived from it with [asset.DeriveID].
//   - An AU imported from cmi5 gets back what its Ext kept: URL, moveOn,
//     masteryScore, launchMethod, activityType, launchParameters,
//     entitlementKey. Any other AU launches the launch page with its
//     launch resource as content (unless [ExportOptions.Direct]), its
//     activityType is the xAPI type of its kind, its masteryScore the
//     cmi5 Ext's or the SCORM extension's (masteryScore/100), and its
//     moveOn Completed without a mastery score (the launch page sends
//     completed when the content has loaded) and Passed with one (the
//     score is what the author asked for; CompletedOrPassed would let a
//     mere visit satisfy it).
//   - Objectives of every asset are declared at course level (the IRI
//     ones once, under their own ID; the others under an ID derived from
//     the asset's and the objective's) and referenced by the blocks and
//     AUs that carry them.
//   - The extensions an Ext keeps ([Ext.Extra]) go back on the element
//     the asset becomes, and those of the courseStructure element
//     ([Ext.StructureExtra]) on the root's. Extensions cmi5.xml cannot
//     hold are left out and reported as losses: those in no namespace or
//     in cmi5's, those whose names XML cannot carry, and those of a part
//     the exported course does not have (a title language the asset no
//     longer has, an objective whose ID changed).
//
// The report lists as losses what cmi5.xml cannot carry (durations,
// licences, contributors, alignments, resources of assets with parts…:
// an OTA bundle keeps them), and as issues the IDs it had to derive. It
// has an error issue, code cmi5.export.empty, when nothing is launchable.
func FromAsset(a *asset.Asset, opts ExportOptions) (*Course, ota.Report) {
	c, rep, _ := fromAsset(a, opts)
	return c, rep
}

func newBuilder(opts ExportOptions) *builder {
	return &builder{opts: opts, ids: map[string]string{}, objIDs: map[string]string{}}
}

func (b *builder) build(a *asset.Asset) *Course {
	b.course = &Course{}
	if err := b.opts.check(); err != nil {
		b.rep.Add(ota.Issue{Code: "cmi5.export.options", Severity: ota.Error, Message: err.Error()})
		return b.course
	}
	if a == nil {
		b.rep.Add(ota.Issue{Code: "cmi5.export.empty", Severity: ota.Error, Message: "no asset to export"})
		return b.course
	}
	b.course.Title, b.course.Description = titleOf(a), cloneLS(a.Description)
	e := extOf(a)
	if e != nil {
		b.objDesc = e.ObjectiveDescriptions
	}
	if len(a.Parts) == 0 {
		b.course.ID = b.id(asset.DeriveID("cmi5", "course", a.ID), "", "")
		b.losses(a, "", nil) // the kind is kept by neither the course nor the AU
		if it, ok := b.leaf(a, e, ""); ok {
			b.course.Items = []Item{it}
		}
	} else {
		b.course.ID = b.assetID(a, e, "")
		b.course.Extra = b.extra(e, "", true)
		if e != nil {
			b.course.StructureExtra = b.checkExt(e.StructureExtra, "", "courseStructure")
		}
		b.objectives(a, "")
		b.losses(a, "", []asset.Kind{asset.KindCourse})
		b.nonLeafResources(a, "")
		if it, ok := b.ownContent(a, ""); ok {
			b.course.Items = append(b.course.Items, it)
		}
		for i := range a.Parts {
			if it, ok := b.item(&a.Parts[i], "/parts/"+strconv.Itoa(i)); ok {
				b.course.Items = append(b.course.Items, it)
			}
		}
	}
	if len(b.course.AUs()) == 0 {
		b.rep.Add(ota.Issue{Code: "cmi5.export.empty", Severity: ota.Error,
			Message: "no asset in the tree has a launch resource (role launch) or an absolute cmi5 URL; a cmi5 course needs at least one AU"})
	}
	b.unplaced()
	return b.course
}

// extra returns the extensions kept in the Ext of an asset, for the
// course, block or AU element it becomes (all three allow the same
// extensions), with those that cannot be written reported and left out.
// Those of the courseStructure element are reported unless the asset
// becomes the course (which takes them itself).
func (b *builder) extra(e *Ext, ptr string, course bool) *Extensions {
	if e == nil {
		return nil
	}
	if !course && !e.StructureExtra.empty() {
		b.rep.AddLoss(ota.Loss{Code: "cmi5.lost.structure-extensions", Pointer: ptr + "/extensions", What: "cmi5 extensions of the courseStructure element",
			Why: "the asset is not the root of the exported tree, so it is not the course"})
	}
	return b.checkExt(e.Extra, ptr, "")
}

// checkExt returns e without the attributes and elements that cmi5.xml
// cannot hold — in no namespace or in cmi5's (the XML Schema allows
// extensions in other namespaces only), or with a name XML cannot carry —
// and reports those as losses. path names the part e is of.
func (b *builder) checkExt(e *Extensions, ptr, path string) *Extensions {
	if e == nil {
		return nil
	}
	at := func(sub string) string {
		if path == "" {
			return sub
		}
		if sub == "" {
			return path
		}
		return path + "/" + sub
	}
	lose := func(what string, err error) {
		where := at("")
		if where == "" {
			where = "the element"
		}
		b.rep.AddLoss(ota.Loss{Code: "cmi5.lost.extension-xml", Pointer: ptr + "/extensions", What: fmt.Sprintf("cmi5 extension %s of %s", what, where), Why: err.Error()})
	}
	out := &Extensions{}
	for _, a := range e.Attrs {
		switch err := a.Check(); {
		case err != nil:
			lose(fmt.Sprintf("attribute %q", a.Local), err)
		case !foreign(a.Space):
			lose(fmt.Sprintf("attribute %q", a.Local), errNotForeign)
		default:
			out.Attrs = append(out.Attrs, a)
		}
	}
	for _, n := range e.Elements {
		if n == nil {
			continue
		}
		switch err := n.Check(); {
		case err != nil:
			lose(fmt.Sprintf("element %q", n.Local), err)
		case !foreign(n.Space):
			lose(fmt.Sprintf("element %q", n.Local), errNotForeign)
		default:
			out.Elements = append(out.Elements, n)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(e.Parts)) {
		out.setPart(name, b.checkExt(e.Parts[name], ptr, at(name)))
	}
	return out.orNil()
}

var errNotForeign = errors.New("the XML Schema allows extensions only in other namespaces than cmi5's")

// unplaced reports the extensions the course holds that Write leaves
// out: those of a part the course no longer has (a title language, an
// objective, objective references), or where the XML Schema allows none.
func (b *builder) unplaced() {
	cw := b.course.write()
	b.course.extensions(func(e *Extensions, ptr, path string) {
		where := path
		if where == "" {
			where = "the element"
		}
		var what []string
		if len(e.Attrs) > 0 && !cw.attrsDone[e] {
			what = append(what, fmt.Sprintf("%d attributes", len(e.Attrs)))
		}
		if len(e.Elements) > 0 && !cw.elemsDone[e] {
			what = append(what, fmt.Sprintf("%d elements", len(e.Elements)))
		}
		if len(what) > 0 {
			b.rep.AddLoss(ota.Loss{Code: "cmi5.lost.extension-xml", Pointer: ptr + "/extensions", What: "cmi5 extension " + strings.Join(what, " and ") + " of " + where,
				Why: "the exported course structure has no such element to hold them (or the XML Schema allows no extension there)"})
		}
	})
}

// builder holds the state of one FromAsset.
type builder struct {
	opts   ExportOptions
	rep    ota.Report
	course *Course
	// ids maps every cmi5 IRI used so far to the pointer of its asset.
	ids map[string]string
	// objIDs maps "assetID\x00objectiveID" to the objective's cmi5 IRI.
	objIDs map[string]string
	// wrapped reports whether an AU launches the launch page.
	wrapped bool
	// objDesc are the objective descriptions an imported course kept,
	// by objective IRI.
	objDesc map[string]asset.LangString
}

// extOf returns the cmi5 facts an imported asset keeps, or nil.
func extOf(a *asset.Asset) *Ext {
	raw, ok := a.Extensions[ExtensionIRI]
	if !ok {
		return nil
	}
	var e Ext
	if json.Unmarshal(raw, &e) != nil {
		return nil
	}
	return &e
}

// assetID returns the cmi5 IRI of an asset: its Ext's, or its own.
func (b *builder) assetID(a *asset.Asset, e *Ext, ptr string) string {
	if e != nil && e.ID != "" && checkIRI(e.ID) == nil {
		if _, taken := b.ids[e.ID]; !taken {
			return b.id(e.ID, a.ID, ptr)
		}
	}
	// The same activity ID packaging/xapi gives the asset, so that
	// statements built for the asset match the AU an LMS launches: an
	// http(s) asset ID itself, otherwise one derived from it.
	id, _, err := xapi.ActivityID(a, xapi.ActivityOptions{IDBase: b.opts.ActivityIDBase})
	if err != nil {
		b.rep.Add(ota.Issue{Pointer: ptr, Code: "cmi5.export.id", Severity: ota.Warning,
			Message: fmt.Sprintf("no activity ID can be made from the asset ID %q (%v); the cmi5 id is derived from it", a.ID, err)})
		return b.id(asset.DeriveID("cmi5", a.ID), a.ID, ptr)
	}
	return b.id(id, a.ID, ptr)
}

// id records and returns want, or an IRI derived from it and source when
// want is already used.
func (b *builder) id(want, source, ptr string) string {
	if prev, taken := b.ids[want]; taken {
		derived := asset.DeriveID("cmi5", source, ptr, want)
		b.rep.Add(ota.Issue{Pointer: ptr, Code: "cmi5.export.id", Severity: ota.Warning,
			Message: fmt.Sprintf("the cmi5 id %q is already used by %q; %s is used instead", want, prev, derived)})
		want = derived
	}
	b.ids[want] = ptr
	return want
}

// item maps a part of the tree to a block or an AU.
func (b *builder) item(a *asset.Asset, ptr string) (Item, bool) {
	e := extOf(a)
	if len(a.Parts) == 0 {
		b.losses(a, ptr, []asset.Kind{asset.KindLesson, asset.KindAssessment})
		return b.leaf(a, e, ptr)
	}
	blk := &Block{ID: b.assetID(a, e, ptr), Title: titleOf(a), Description: cloneLS(a.Description), Extra: b.extra(e, ptr, false), ptr: ptr}
	blk.Objectives = b.objectives(a, ptr)
	b.losses(a, ptr, []asset.Kind{asset.KindModule})
	b.nonLeafResources(a, ptr)
	if it, ok := b.ownContent(a, ptr); ok {
		blk.Items = append(blk.Items, it)
	}
	for i := range a.Parts {
		if it, ok := b.item(&a.Parts[i], ptr+"/parts/"+strconv.Itoa(i)); ok {
			blk.Items = append(blk.Items, it)
		}
	}
	if len(blk.Items) == 0 {
		b.rep.AddLoss(ota.Loss{Code: "cmi5.lost.unlaunchable", Pointer: ptr, AssetID: a.ID, What: "the asset", Why: "none of its parts has anything to launch, and a cmi5 block needs an AU"})
		return Item{}, false
	}
	return Item{Block: blk}, true
}

// leaf maps a leaf asset to an AU.
func (b *builder) leaf(a *asset.Asset, e *Ext, ptr string) (Item, bool) {
	launch := launchResource(a)
	// An AU imported from cmi5 had a URL of its own; an extension without
	// one only carries facts such as the mastery score.
	fromCMI5 := e != nil && e.Type == "au" && e.URL != ""
	au := &AU{Title: titleOf(a), Description: cloneLS(a.Description), ptr: ptr}
	switch {
	case fromCMI5:
		rel, relative := relativePath(e.URL)
		switch {
		case !relative:
			au.URL = e.URL
		case launch == nil:
			b.rep.AddLoss(ota.Loss{Code: "cmi5.lost.unlaunchable", Pointer: ptr, AssetID: a.ID, What: "the AU", Why: fmt.Sprintf("its cmi5 url %q is relative but the asset has no launch resource", e.URL)})
			return Item{}, false
		case rel == path.Clean(launch.Path):
			au.URL = e.URL
		case rel == LaunchPage && !b.opts.Direct:
			au.URL = LaunchPage + "?content=" + contentParam(launch.Path+imported.LaunchQuery(a))
			b.wrapped = true
		default:
			au.URL = withQuery(escapePath(launch.Path), e.URL)
		}
	case launch == nil:
		b.rep.AddLoss(ota.Loss{Code: "cmi5.lost.unlaunchable", Pointer: ptr, AssetID: a.ID, What: "the asset", Why: "it has no launch resource (role launch), so it cannot be a cmi5 AU"})
		return Item{}, false
	case b.opts.Direct:
		au.URL = escapePath(launch.Path) + imported.LaunchQuery(a)
	default:
		au.URL = LaunchPage + "?content=" + contentParam(launch.Path+imported.LaunchQuery(a))
		b.wrapped = true
	}
	au.ID = b.assetID(a, e, ptr)
	au.Objectives = b.objectives(a, ptr)
	au.Extra = b.extra(e, ptr, false)
	if fromCMI5 {
		au.LaunchMethod, au.MoveOn, au.MasteryScore = e.LaunchMethod, e.MoveOn, e.MasteryScore
		au.ActivityType, au.LaunchParameters, au.EntitlementKey = e.ActivityType, e.LaunchParameters, e.EntitlementKey
	} else {
		au.LaunchMethod = orDefault(b.opts.LaunchMethod, LaunchAnyWindow)
		au.MasteryScore = b.masteryScore(a, e, ptr)
		au.MoveOn = MoveOnCompleted
		if au.MasteryScore != nil {
			au.MoveOn = MoveOnPassed
		}
		au.MoveOn = orDefault(b.opts.MoveOn, au.MoveOn)
		au.ActivityType = xapi.ActivityType(a.Kind)
		if !b.opts.Direct && imported.WasSCO(a) {
			b.rep.AddLoss(ota.Loss{Code: "cmi5.lost.scorm-runtime", Pointer: ptr, AssetID: a.ID, What: "SCORM run-time data", Why: "the SCO finds no SCORM API in the cmi5 launch page, which records completion when the content has loaded"})
		}
	}
	au.LaunchMethod = orDefault(au.LaunchMethod, LaunchAnyWindow)
	au.MoveOn = orDefault(au.MoveOn, MoveOnNotApplicable)
	return Item{AU: au}, true
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// launchResource returns the asset's first launch resource, or nil.
func launchResource(a *asset.Asset) *asset.Resource {
	for i := range a.Resources {
		if a.Resources[i].Role == asset.RoleLaunch {
			return &a.Resources[i]
		}
	}
	return nil
}

// escapePath writes a package path as a relative URL.
func escapePath(p string) string {
	u := url.URL{Path: p}
	s := u.EscapedPath()
	if strings.Contains(strings.SplitN(s, "/", 2)[0], ":") {
		s = "./" + s // a first segment with a colon would read as a scheme
	}
	return s
}

// contentParam escapes a package path for the launch page's content
// query parameter, keeping the slashes readable.
func contentParam(p string) string {
	return strings.ReplaceAll(url.QueryEscape(p), "%2F", "/")
}

// withQuery appends the query and fragment of the URL raw to u.
func withQuery(u, raw string) string {
	v, err := url.Parse(raw)
	if err != nil {
		return u
	}
	if v.RawQuery != "" {
		u += "?" + v.RawQuery
	}
	if v.Fragment != "" {
		u += "#" + v.EscapedFragment()
	}
	return u
}

// masteryScore returns the mastery score of an asset the export makes
// an AU of: its cmi5 Ext's, or its SCORM extension's divided by 100.
func (b *builder) masteryScore(a *asset.Asset, e *Ext, ptr string) *float64 {
	if e != nil && e.MasteryScore != nil {
		return e.MasteryScore
	}
	f, ok, err := imported.MasteryScore(a)
	if err != nil {
		b.rep.Add(ota.Issue{Pointer: ptr + "/extensions", Code: "cmi5.export.masteryScore", Severity: ota.Warning,
			Message: err.Error() + "; the AU gets none"})
	}
	if !ok {
		return nil
	}
	return &f
}

// objectives declares the asset's objectives at course level, when not
// declared yet, and returns their cmi5 IRIs.
func (b *builder) objectives(a *asset.Asset, ptr string) []string {
	var refs []string
	for i, o := range a.Objectives {
		optr := ptr + "/objectives/" + strconv.Itoa(i)
		key := o.ID
		if checkIRI(o.ID) != nil {
			key = a.ID + "\x00" + o.ID
		}
		id, ok := b.objIDs[key]
		if !ok {
			want := o.ID
			if checkIRI(o.ID) != nil {
				want = asset.DeriveID("cmi5", a.ID, o.ID)
			}
			id = b.id(want, a.ID, optr)
			b.objIDs[key] = id
			title := cloneLS(o.Text)
			if len(title) == 0 {
				title = asset.LangString{"und": o.ID}
			}
			b.course.Objectives = append(b.course.Objectives, Objective{ID: id, Title: title, Description: cloneLS(b.objDesc[id])})
		}
		if len(o.Alignments) > 0 {
			b.rep.AddLoss(ota.Loss{Code: "cmi5.lost.objective-alignments", Pointer: optr + "/alignments", AssetID: a.ID, What: "objective alignments", Why: "a cmi5 objective has only an id, a title and a description"})
		}
		if !slices.Contains(refs, id) {
			refs = append(refs, id)
		}
	}
	return refs
}

// titleOf returns the asset's title, or its ID when it has none (the
// XML Schema requires one).
func titleOf(a *asset.Asset) asset.LangString {
	if len(a.Title) == 0 {
		return asset.LangString{"und": a.ID}
	}
	return cloneLS(a.Title)
}

// nonLeafResources reports the resources of an asset with parts, which
// cmi5 cannot attach to a course or block.
func (b *builder) nonLeafResources(a *asset.Asset, ptr string) {
	if len(a.Resources) > 0 && launchResource(a) == nil {
		b.rep.AddLoss(ota.Loss{Code: "cmi5.lost.resources", Pointer: ptr + "/resources", AssetID: a.ID, What: fmt.Sprintf("%d resources", len(a.Resources)),
			Why: "a cmi5 course or block has no content of its own and none of them is a launch resource; the files are in the package, but no AU launches them"})
	}
}

// ownContent returns an AU for the launch resource of an asset that also
// has parts (a course's front page, an episode with exercises): a cmi5
// course or block launches nothing itself, so its own content becomes its
// first AU. ok is false when the asset has no launch resource.
func (b *builder) ownContent(a *asset.Asset, ptr string) (Item, bool) {
	if launchResource(a) == nil {
		return Item{}, false
	}
	leaf := *a
	leaf.Parts, leaf.Extensions = nil, nil
	leaf.ID = asset.DeriveID("cmi5-own-content", a.ID)
	leaf.Objectives = nil // they stay with the block
	b.rep.Add(ota.Issue{Pointer: ptr, Code: "cmi5.export.own-content", Severity: ota.Info,
		Message: "the asset has parts and a launch resource of its own; a cmi5 block launches nothing, so its own content is its first AU"})
	return b.leaf(&leaf, nil, ptr)
}

// losses reports, one loss per member, the members of a that cmi5.xml has
// no place for. kinds are those the asset's cmi5 element reads back as;
// nil skips the kind.
func (b *builder) losses(a *asset.Asset, ptr string, kinds []asset.Kind) {
	const why = "cmi5.xml has no place for it; an OTA bundle keeps it"
	add := func(present bool, code, member, what string) {
		if present {
			p := ptr
			if member != "" {
				p += "/" + member
			}
			b.rep.AddLoss(ota.Loss{Code: code, Pointer: p, AssetID: a.ID, What: what, Why: why})
		}
	}
	add(kinds != nil && !slices.Contains(kinds, a.Kind), "cmi5.lost.kind", "kind", "kind "+string(a.Kind))
	add(a.Version != "", "cmi5.lost.version", "version", "version")
	add(len(a.Keywords) > 0, "cmi5.lost.keywords", "keywords", "keywords")
	add(len(a.Languages) > 0, "cmi5.lost.languages", "languages", "languages")
	add(len(a.Contributors) > 0, "cmi5.lost.contributors", "contributors", "contributors")
	add(a.License != "", "cmi5.lost.license", "license", "licence")
	add(len(a.Audience) > 0, "cmi5.lost.audience", "audience", "audience")
	add(a.Level != "", "cmi5.lost.level", "level", "level")
	add(!a.Duration.IsZero(), "cmi5.lost.duration", "duration", "duration")
	add(len(a.DeliveryModes) > 0, "cmi5.lost.delivery-modes", "deliveryModes", "delivery modes")
	add(len(a.Accessibility) > 0, "cmi5.lost.accessibility", "accessibility", "accessibility notes")
	add(len(a.Alignments) > 0, "cmi5.lost.alignments", "alignments", "alignments")
	add(len(a.Prerequisites) > 0, "cmi5.lost.prerequisites", "prerequisites", "prerequisites")
	add(a.Created != "" || a.Modified != "" || a.Published != "", "cmi5.lost.dates", "created", "dates")
	add(len(a.Unknown) > 0, "cmi5.lost.unknown-members", "", "members OTA does not define")
	e := extOf(a)
	for _, r := range a.Relations {
		if r.Type == asset.References && e != nil && r.Target == e.URL {
			continue // the AU's absolute URL, which cmi5.xml keeps
		}
		add(true, "cmi5.lost.relations", "relations", "relations")
		break
	}
	for _, k := range slices.Sorted(maps.Keys(a.Extensions)) {
		if k != ExtensionIRI {
			b.rep.AddLoss(ota.Loss{Code: "cmi5.lost.extension", Pointer: ptr + "/extensions", AssetID: a.ID, What: "extension " + k, Why: why})
		}
	}
}
