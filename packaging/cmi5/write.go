package cmi5

import (
	"bufio"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/metaacademy/ota/asset"
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
// [Course.CustomExtensions] and [Course.Extra] are not written: their
// places in the document are not kept.
//
// Write does not check the course; parse the output, or build the course
// with [CourseFromAsset], for that.
func (c *Course) Write(w io.Writer) error {
	x := &xmlWriter{w: bufio.NewWriter(w)}
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.start("courseStructure", "xmlns", Namespace)
	x.start("course", "id", c.ID)
	x.texts(c.Title, c.Description)
	x.end("course")
	if len(c.Objectives) > 0 {
		x.start("objectives")
		for _, o := range c.Objectives {
			x.start("objective", "id", o.ID)
			x.texts(o.Title, o.Description)
			x.end("objective")
		}
		x.end("objectives")
	}
	x.items(c.Items)
	x.end("courseStructure")
	if x.err == nil {
		x.err = x.w.Flush()
	}
	return x.err
}

func (x *xmlWriter) items(items []Item) {
	for _, it := range items {
		switch {
		case it.Block != nil:
			b := it.Block
			x.start("block", "id", b.ID)
			x.texts(b.Title, b.Description)
			x.refs(b.Objectives)
			x.items(b.Items)
			x.end("block")
		case it.AU != nil:
			x.au(it.AU)
		}
	}
}

func (x *xmlWriter) au(a *AU) {
	moveOn, launch := a.MoveOn, a.LaunchMethod
	if moveOn == "" {
		moveOn = MoveOnNotApplicable
	}
	if launch == "" {
		launch = LaunchAnyWindow
	}
	attrs := []string{"id", a.ID, "moveOn", moveOn}
	if a.MasteryScore != nil {
		attrs = append(attrs, "masteryScore", formatScore(*a.MasteryScore))
	}
	attrs = append(attrs, "launchMethod", launch)
	if a.ActivityType != "" {
		attrs = append(attrs, "activityType", a.ActivityType)
	}
	x.start("au", attrs...)
	x.texts(a.Title, a.Description)
	x.refs(a.Objectives)
	x.leaf("url", a.URL)
	if a.LaunchParameters != "" {
		x.leaf("launchParameters", a.LaunchParameters)
	}
	if a.EntitlementKey != "" {
		x.leaf("entitlementKey", a.EntitlementKey)
	}
	x.end("au")
}

// formatScore writes a mastery score as an xs:decimal: no exponent.
func formatScore(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// texts writes a title and a description.
func (x *xmlWriter) texts(title, description asset.LangString) {
	fallback := "und"
	if tags := sortedTags(title); len(tags) > 0 {
		fallback = tags[0]
	}
	x.langs("title", title, fallback)
	x.langs("description", description, fallback)
}

// langs writes a textType element: one langstring per language, sorted by
// tag, or one empty langstring in language fallback when s is empty.
func (x *xmlWriter) langs(name string, s asset.LangString, fallback string) {
	x.start(name)
	tags := sortedTags(s)
	if len(tags) == 0 {
		x.leaf("langstring", "", "lang", fallback)
	}
	for _, tag := range tags {
		x.leaf("langstring", s[tag], "lang", tag)
	}
	x.end(name)
}

func sortedTags(s asset.LangString) []string {
	tags := make([]string, 0, len(s))
	for tag := range s {
		tags = append(tags, tag)
	}
	slices.Sort(tags)
	return tags
}

// refs writes the objectives element of a block or AU.
func (x *xmlWriter) refs(ids []string) {
	if len(ids) == 0 {
		return
	}
	x.start("objectives")
	for _, id := range ids {
		x.leaf("objective", "", "idref", id)
	}
	x.end("objectives")
}

// xmlWriter writes indented XML token by token. Names are written as
// given (they are this package's constants); attribute values and text
// are escaped. The first error is sticky.
type xmlWriter struct {
	w     *bufio.Writer
	depth int
	err   error
}

func (x *xmlWriter) raw(s string) {
	if x.err == nil {
		_, x.err = x.w.WriteString(s)
	}
}

func (x *xmlWriter) indent() { x.raw(strings.Repeat("  ", x.depth)) }

// tag writes "<name" and the attributes, given as name, value pairs.
func (x *xmlWriter) tag(name string, attrs []string) {
	x.indent()
	x.raw("<" + name)
	for i := 0; i+1 < len(attrs); i += 2 {
		x.raw(" " + attrs[i] + `="`)
		x.escape(attrs[i+1], true)
		x.raw(`"`)
	}
}

// start opens an element whose content is elements.
func (x *xmlWriter) start(name string, attrs ...string) {
	x.tag(name, attrs)
	x.raw(">\n")
	x.depth++
}

// end closes the element start opened.
func (x *xmlWriter) end(name string) {
	x.depth--
	x.indent()
	x.raw("</" + name + ">\n")
}

// leaf writes an element whose content is text, on one line; an empty one
// as an empty-element tag.
func (x *xmlWriter) leaf(name, text string, attrs ...string) {
	x.tag(name, attrs)
	if text == "" {
		x.raw("/>\n")
		return
	}
	x.raw(">")
	x.escape(text, false)
	x.raw("</" + name + ">\n")
}

// escape writes s as character data or, with attr, as an attribute value
// in double quotes. Characters XML 1.0 cannot hold become U+FFFD; white
// space an XML parser would normalise (CR everywhere, tab and line feed in
// attributes) is written as character references so that it reads back
// unchanged.
func (x *xmlWriter) escape(s string, attr bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"' && attr:
			b.WriteString("&quot;")
		case r == '\r':
			b.WriteString("&#xD;")
		case (r == '\n' || r == '\t') && attr:
			b.WriteString("&#x" + strconv.FormatInt(int64(r), 16) + ";")
		case !xmlChar(r):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	x.raw(b.String())
}

// xmlChar reports whether r is a character XML 1.0 allows (production
// [2] Char). An invalid UTF-8 byte arrives as U+FFFD, which is allowed.
func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
