package cmi5

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/xmltree"
	"github.com/metaacademy/ota/packaging/xmlnode"
)

// Write writes the course structure as cmi5.xml: UTF-8, the cmi5
// namespace as the default namespace of the root element, two-space
// indentation, elements in the order the XML Schema requires, every AU
// attribute written out (moveOn and launchMethod too when they have their
// default values), and langstrings sorted by language tag. The same
// course gives the same bytes.
//
// The XML Schema requires a title and a description with at least one
// langstring on the course, every block, AU and objective; an empty one is
// written as a single empty langstring in the language of the first title
// ("und" without one), which [Parse] reads back as no text.
//
// Extensions ([Course.Extra], [Course.StructureExtra], [Block.Extra],
// [AU.Extra]) are written where the XML Schema allows them: attributes on
// their element, elements after its cmi5 children. Their namespaces are
// declared on the root element with the prefixes ns1, ns2… (xsi for XML
// Schema instances), in the order of their URIs. Only attributes and
// elements in other namespaces than cmi5's are written, and the
// extensions of a part the course does not have (a langstring in a
// language the title no longer has, an objectives element of a block
// without objectives) are not: [FromAsset] reports those as losses.
//
// Write fails, writing nothing, when an extension element or attribute
// has a name XML cannot carry (which only a hand-made tree can have:
// [FromAsset] leaves those out). It does not check the course
// otherwise; parse the output, or build the course with
// [FromAsset], for that.
func (c *Course) Write(w io.Writer) error {
	cw := c.write()
	if err := cw.x.Err(); err != nil {
		return fmt.Errorf("cmi5: Write: an extension cannot be written: %w", err)
	}
	_, err := w.Write(cw.x.Bytes())
	return err
}

// courseWriter writes a course structure and records which extensions it
// wrote.
type courseWriter struct {
	x *xmltree.Writer
	// attrsDone and elemsDone hold the extensions whose attributes and
	// elements were written.
	attrsDone, elemsDone map[*Extensions]bool
}

// write writes the course into a buffer.
func (c *Course) write() *courseWriter {
	cw := &courseWriter{x: xmltree.NewWriter(c.prefixes()), attrsDone: map[*Extensions]bool{}, elemsDone: map[*Extensions]bool{}}
	root := c.StructureExtra
	cw.start("courseStructure", root)
	cw.start("course", c.Extra, a("id", c.ID))
	cw.texts(c.Title, c.Description, c.Extra)
	cw.end(c.Extra)
	if len(c.Objectives) > 0 {
		oe := root.Part("objectives")
		cw.start("objectives", oe)
		for _, o := range c.Objectives {
			cw.x.Start(Namespace, "objective", a("id", o.ID))
			cw.texts(o.Title, o.Description, oe.Part(objectivePart(o.ID)))
			cw.x.End()
		}
		cw.end(oe)
	}
	cw.items(c.Items)
	cw.end(root)
	return cw
}

// a builds an attribute without a namespace.
func a(local, value string) xmlnode.Attr { return xmlnode.Attr{Local: local, Value: value} }

// start opens a cmi5 element with its attributes and those of ext in
// other namespaces.
func (cw *courseWriter) start(name string, ext *Extensions, attrs ...xmlnode.Attr) {
	if ext != nil && len(ext.Attrs) > 0 {
		for _, at := range ext.Attrs {
			if foreign(at.Space) {
				attrs = append(attrs, at)
			}
		}
		cw.attrsDone[ext] = true
	}
	cw.x.Start(Namespace, name, attrs...)
}

// end writes the elements of ext in other namespaces and closes the
// element start opened.
func (cw *courseWriter) end(ext *Extensions) {
	if ext != nil && len(ext.Elements) > 0 {
		for _, n := range ext.Elements {
			if n != nil && foreign(n.Space) {
				cw.x.Node(n, nil)
			}
		}
		cw.elemsDone[ext] = true
	}
	cw.x.End()
}

func (cw *courseWriter) items(items []Item) {
	for _, it := range items {
		switch {
		case it.Block != nil:
			b := it.Block
			cw.start("block", b.Extra, a("id", b.ID))
			cw.texts(b.Title, b.Description, b.Extra)
			cw.refs(b.Objectives, b.Extra.Part("objectives"))
			cw.items(b.Items)
			cw.end(b.Extra)
		case it.AU != nil:
			cw.au(it.AU)
		}
	}
}

func (cw *courseWriter) au(au *AU) {
	moveOn, launch := au.MoveOn, au.LaunchMethod
	if moveOn == "" {
		moveOn = MoveOnNotApplicable
	}
	if launch == "" {
		launch = LaunchAnyWindow
	}
	attrs := []xmlnode.Attr{a("id", au.ID), a("moveOn", moveOn)}
	if au.MasteryScore != nil {
		attrs = append(attrs, a("masteryScore", formatScore(*au.MasteryScore)))
	}
	attrs = append(attrs, a("launchMethod", launch))
	if au.ActivityType != "" {
		attrs = append(attrs, a("activityType", au.ActivityType))
	}
	cw.start("au", au.Extra, attrs...)
	cw.texts(au.Title, au.Description, au.Extra)
	cw.refs(au.Objectives, au.Extra.Part("objectives"))
	cw.x.Leaf(Namespace, "url", au.URL)
	if au.LaunchParameters != "" {
		cw.x.Leaf(Namespace, "launchParameters", au.LaunchParameters)
	}
	if au.EntitlementKey != "" {
		cw.x.Leaf(Namespace, "entitlementKey", au.EntitlementKey)
	}
	cw.end(au.Extra)
}

// formatScore writes a mastery score as an xs:decimal: no exponent.
func formatScore(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// texts writes a title and a description, with the extensions parent
// keeps for them.
//
// cmi5.xml requires a description with at least one langstring: an
// element without one gets its title as description, never an empty
// langstring (the importer reads a description equal to the title as
// none).
func (cw *courseWriter) texts(title, description asset.LangString, parent *Extensions) {
	if len(description) == 0 {
		description = title
	}
	fallback := "und"
	if tags := sortedTags(title); len(tags) > 0 {
		fallback = tags[0]
	}
	cw.langs("title", title, parent.Part("title"), fallback)
	cw.langs("description", description, parent.Part("description"), fallback)
}

// langs writes a textType element: one langstring per language, sorted by
// tag, or one empty langstring in language fallback when s is empty.
func (cw *courseWriter) langs(name string, s asset.LangString, ext *Extensions, fallback string) {
	cw.start(name, ext)
	tags := sortedTags(s)
	if len(tags) == 0 {
		cw.x.Leaf(Namespace, "langstring", "", a("lang", fallback))
	}
	for _, tag := range tags {
		le := ext.Part(langstringPart(tag))
		attrs := []xmlnode.Attr{a("lang", tag)}
		if le != nil && len(le.Attrs) > 0 {
			for _, at := range le.Attrs {
				if foreign(at.Space) {
					attrs = append(attrs, at)
				}
			}
			cw.attrsDone[le] = true
		}
		cw.x.Leaf(Namespace, "langstring", s[tag], attrs...)
	}
	cw.end(ext)
}

func sortedTags(s asset.LangString) []string {
	tags := make([]string, 0, len(s))
	for tag := range s {
		tags = append(tags, tag)
	}
	slices.Sort(tags)
	return tags
}

// refs writes the objectives element of a block or AU; the XML Schema
// requires at least one objective in it, so without any it is left out,
// and so are its extensions.
func (cw *courseWriter) refs(ids []string, ext *Extensions) {
	if len(ids) == 0 {
		return
	}
	cw.start("objectives", ext)
	for _, id := range ids {
		cw.x.Leaf(Namespace, "objective", "", a("idref", id))
	}
	cw.end(ext)
}

// descriptionOf returns the description as the model keeps it: none when
// it only repeats the title, which is what [Course.Write] writes for an
// element without a description (the XML Schema requires one), so that
// writing and reading give the same course.
func descriptionOf(title, desc asset.LangString) asset.LangString {
	if len(title) > 0 && maps.Equal(title, desc) {
		return nil
	}
	return desc
}
