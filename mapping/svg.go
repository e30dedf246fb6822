package mapping

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/metaacademy/ota/framework"
)

// Layout of the heatmap, in SVG user units (CSS pixels).
const (
	svgMargin    = 20.0
	svgGap       = 5.0
	svgTitleH    = 58.0
	svgHeaderH   = 58.0
	svgCellH     = 66.0
	svgBandGap   = 14.0
	svgBandLabel = 18.0
	svgLegendH   = 46.0
	svgGridW     = 1250.0 // width the columns share
	svgMinColW   = 148.0
	svgMaxColW   = 240.0
	svgFont      = "'Helvetica Neue', Helvetica, Arial, sans-serif"
	svgCharW     = 0.54 // average glyph width as a share of the font size
	svgHeaderBG  = "#33475b"
	svgInnerBG   = "#5b7086"
	svgGapStroke = "#c0392b"
)

// svgBox is one drawn node.
type svgBox struct {
	x, y, w, h float64
	node       int
	header     bool // a node with children, drawn as a column or group header
}

// WriteSVG draws the coverage as a self-contained SVG heatmap. Top-level
// nodes with children are columns with a header cell (code and name), the
// nodes below them are cells stacked underneath, indented by depth; for
// the GSBPM these are the eight phases and their sub-processes, its
// familiar grid. Top-level overarching nodes (GSBPM's overarching
// processes) form a band across the bottom. Leaf cells are coloured on a
// sequential scale by the number of assets covering them (by hours when
// the coverage is weighted), with the count in the cell; a node nothing
// covers is white with a red dashed border and the word "gap". Headers show
// their rolled-up counts. A title, a summary and a legend complete the
// picture; every cell has a tooltip. The SVG uses no external fonts, images
// or scripts.
func (c *Coverage) WriteSVG(w io.Writer) error {
	bw := bufio.NewWriter(w)
	s := &svgWriter{w: bw, c: c}
	s.layout()
	s.draw()
	return bw.Flush()
}

type svgWriter struct {
	w        *bufio.Writer
	c        *Coverage
	boxes    []svgBox
	width    float64
	height   float64
	colW     float64
	bandY    float64
	legendY  float64
	hasBand  bool
	maxValue float64
	bins     []float64 // upper bounds of the colour classes
}

// value is what colours a node: covering assets, or covering hours.
func (s *svgWriter) value(i int) float64 {
	n := &s.c.Nodes[i]
	if !s.c.Weighted {
		return float64(n.Assets)
	}
	return coveringSum(n.Total, s.c)
}

func coveringSum(t Counts, c *Coverage) float64 {
	var v float64
	for _, r := range c.Covering {
		switch r {
		case "teaches":
			v += t.Teaches
		case "assesses":
			v += t.Assesses
		case "requires":
			v += t.Requires
		}
	}
	return v
}

func (s *svgWriter) layout() {
	c := s.c
	// Children by parent index, in hierarchy order.
	kids := make([][]int, len(c.Nodes))
	var cols, band []int
	for i := range c.Nodes {
		n := &c.Nodes[i]
		if n.Depth == 0 {
			if n.Kind == framework.KindOverarching && n.Leaf {
				band = append(band, i)
			} else {
				cols = append(cols, i)
			}
			continue
		}
		if p := c.NodeIndex(n.Parent); p >= 0 {
			kids[p] = append(kids[p], i)
		}
	}
	ncol := max(len(cols), 1)
	s.colW = min(svgMaxColW, max(svgMinColW, (svgGridW-svgGap*float64(ncol-1))/float64(ncol)))
	gridW := s.colW*float64(ncol) + svgGap*float64(ncol-1)
	s.width = gridW
	top := svgMargin + svgTitleH
	bottom := top
	for ci, root := range cols {
		x := svgMargin + float64(ci)*(s.colW+svgGap)
		s.boxes = append(s.boxes, svgBox{x: x, y: top, w: s.colW, h: svgHeaderH, node: root, header: !c.Nodes[root].Leaf})
		y := top + svgHeaderH + svgGap
		var place func(i int, indent float64)
		place = func(i int, indent float64) {
			for _, k := range kids[i] {
				s.boxes = append(s.boxes, svgBox{x: x + indent, y: y, w: s.colW - indent, h: svgCellH, node: k, header: !c.Nodes[k].Leaf})
				y += svgCellH + svgGap
				place(k, indent+10)
			}
		}
		place(root, 0)
		bottom = max(bottom, y)
	}
	if len(cols) == 0 {
		bottom = top + svgHeaderH + svgGap
	}
	if len(band) > 0 {
		s.hasBand = true
		s.bandY = bottom - svgGap + svgBandGap
		y := s.bandY + svgBandLabel
		bw := (gridW - svgGap*float64(len(band)-1)) / float64(len(band))
		for bi, i := range band {
			s.boxes = append(s.boxes, svgBox{x: svgMargin + float64(bi)*(bw+svgGap), y: y, w: bw, h: svgCellH - 8, node: i})
		}
		bottom = y + svgCellH - 8 + svgGap
	}
	s.legendY = bottom - svgGap + svgBandGap
	s.height = math.Ceil(s.legendY + svgLegendH + svgMargin)

	// Colour classes over the leaf values.
	for _, b := range s.boxes {
		if !b.header {
			s.maxValue = max(s.maxValue, s.value(b.node))
		}
	}
	s.bins = colourBins(s.maxValue, !c.Weighted)
	// Wide enough for the grid, the summary and the legend.
	s.width = math.Ceil(max(s.width, s.legendWidth(), textWidth(s.summaryText(), 12.5), textWidth(s.titleText(), 20)) + 2*svgMargin)
}

// textWidth estimates the width of text at font size fs.
func textWidth(text string, fs float64) float64 {
	return float64(len([]rune(text))) * fs * svgCharW
}

const svgLegendNote = "T / A / R: alignments that teach, assess or require the node (headers include the nodes below)"

// swatchWidth is the width of the legend swatch for label.
func swatchWidth(label string) float64 { return max(58, textWidth(label, 11)+14) }

func (s *svgWriter) legendWidth() float64 {
	w := swatchWidth("0 gap") + 4
	lo := 0.0
	for _, hi := range s.bins {
		w += swatchWidth(s.binLabel(lo, hi)) + 4
		lo = hi
	}
	w += 14 + textWidth(s.legendNote(), 11)
	return max(w, textWidth("Colour: "+s.measure(), 12)*1.1)
}

// legendNote explains the small print of the cells.
func (s *svgWriter) legendNote() string {
	note := svgLegendNote
	for i := range s.c.Nodes {
		if s.c.Nodes[i].Unconfirmed {
			return note + " · * name not confirmed against the publisher's text"
		}
	}
	return note
}

// frameworkLabel is a short display name: the abbreviation of a built-in
// framework, or the title, with the version.
func frameworkLabel(fw *framework.Framework) string {
	name := ""
	if files, err := loadData(); err == nil && fw.Key != "" {
		for _, d := range files {
			if d.Key == fw.Key {
				name = d.Abbreviation
			}
		}
	}
	if name == "" {
		name = fw.Title.String()
	}
	if name == "" {
		name = cmpOr(fw.Key, fw.ID)
	}
	if fw.Version != "" {
		name += " " + fw.Version
	}
	return name
}

func (s *svgWriter) summaryText() string {
	c := s.c
	pubs := 0
	for _, p := range c.Publishers {
		if p.Publisher != "" {
			pubs++
		}
	}
	var b strings.Builder
	b.WriteString(plural(c.AssetCount(), "asset", "assets"))
	if pubs > 0 {
		b.WriteString(" from " + plural(pubs, "publisher", "publishers"))
	}
	fmt.Fprintf(&b, " · %d of %d leaf nodes covered (%d%%)", c.LeavesCovered, c.Leaves, int(math.Round(100*c.Fraction())))
	if n := len(c.Gaps.Parents); n > 0 {
		one, many := "group", "groups"
		kind := framework.NodeKind("")
		for _, code := range c.Gaps.Parents {
			k := c.Nodes[c.NodeIndex(code)].Kind
			if kind != "" && k != kind {
				kind = ""
				break
			}
			kind = k
		}
		switch kind {
		case framework.KindPhase:
			one, many = "phase", "phases"
		case framework.KindArea:
			one, many = "area", "areas"
		}
		fmt.Fprintf(&b, " · %s with nothing covered", plural(n, one, many))
	}
	return b.String()
}

// measure says what the colour and the big number in a cell count.
func (s *svgWriter) measure() string {
	verbs := map[string]string{"teaches": "teach", "assesses": "assess", "requires": "require"}
	rels := make([]string, len(s.c.Covering))
	for i, r := range s.c.Covering {
		rels[i] = cmpOr(verbs[string(r)], string(r))
	}
	how := strings.Join(rels, " or ")
	if s.c.Weighted {
		return "hours of assets that " + how + " the node"
	}
	return "assets that " + how + " the node"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func (s *svgWriter) valueText(v float64) string {
	if s.c.Weighted {
		return num(math.Round(v*10)/10) + " h"
	}
	return plural(int(v), "asset", "assets")
}

func (s *svgWriter) box(b svgBox) {
	c := s.c
	n := &c.Nodes[b.node]
	v := s.value(b.node)
	gap := n.Gap()
	fill, dark := "", false
	switch {
	case b.header && n.Depth == 0:
		fill, dark = svgHeaderBG, true
	case b.header:
		fill, dark = svgInnerBG, true
	case gap:
		fill = "url(#gap-hatch)"
	default:
		fill, dark = classColour(s.class(v), len(s.bins))
	}
	text, sub := "#1d2733", "#3b4a58"
	if dark {
		text, sub = "#ffffff", "#e3ebf2"
	}
	s.printf(`<g>`)
	tip := fmt.Sprintf("%s %s — %s; direct alignments: teaches %s, assesses %s, requires %s",
		n.Code, n.Name, s.valueText(v), num(n.Direct.Teaches), num(n.Direct.Assesses), num(n.Direct.Requires))
	if b.header {
		tip += fmt.Sprintf("; with the nodes below: teaches %s, assesses %s, requires %s", num(n.Total.Teaches), num(n.Total.Assesses), num(n.Total.Requires))
	}
	if gap {
		tip += "; gap: no asset covers it"
	}
	if n.Unofficial {
		tip += "; the code is OTA's, the publisher gives none"
	}
	if n.Unconfirmed {
		tip += "; the name could not be confirmed against the publisher's text"
	}
	s.printf(`<title>%s</title>`, esc(tip))
	stroke := `stroke="#ffffff" stroke-width="1"`
	if gap {
		stroke = `stroke="` + svgGapStroke + `" stroke-width="1.6" stroke-dasharray="5 3"`
	}
	s.printf(`<rect x="%s" y="%s" width="%s" height="%s" rx="4" fill="%s" %s/>`, f1(b.x+0.8), f1(b.y+0.8), f1(b.w-1.6), f1(b.h-1.6), fill, stroke)

	// Code and name, wrapped to the box.
	fs := 11.0
	if b.header && n.Depth == 0 {
		fs = 12.5
	}
	pad := 7.0
	maxLines := int((b.h - 22) / (fs + 2))
	code := n.Code
	if n.Unconfirmed {
		code += "*"
	}
	lines := wrap(code+" "+n.Name, b.w-2*pad, fs, maxLines)
	weight := "normal"
	if b.header {
		weight = "bold"
	}
	for li, l := range lines {
		y := b.y + pad + fs + float64(li)*(fs+2)
		if li == 0 {
			// The code in bold, the rest of the first line after it.
			code, rest, _ := strings.Cut(l, " ")
			s.printf(`<text x="%s" y="%s" font-size="%s" fill="%s" font-weight="%s"><tspan font-weight="bold">%s</tspan> %s</text>`,
				f1(b.x+pad), f1(y), f1(fs), text, weight, esc(code), esc(rest))
			continue
		}
		s.printf(`<text x="%s" y="%s" font-size="%s" fill="%s" font-weight="%s">%s</text>`, f1(b.x+pad), f1(y), f1(fs), text, weight, esc(l))
	}

	// The count line.
	y := b.y + b.h - pad
	if gap {
		col := svgGapStroke
		if dark {
			col = "#ffb4a8"
		}
		s.printf(`<text x="%s" y="%s" font-size="11" font-style="italic" font-weight="bold" fill="%s">gap</text>`, f1(b.x+pad), f1(y), col)
	} else {
		s.printf(`<text x="%s" y="%s" font-size="11" font-weight="bold" fill="%s">%s</text>`, f1(b.x+pad), f1(y), text, esc(s.valueText(v)))
	}
	t := n.Direct
	if b.header {
		t = n.Total
	}
	if t.Sum() > 0 {
		s.printf(`<text x="%s" y="%s" font-size="10" text-anchor="end" fill="%s">T%s A%s R%s</text>`,
			f1(b.x+b.w-pad), f1(y), sub, numShort(t.Teaches), numShort(t.Assesses), numShort(t.Requires))
	}
	s.printf("</g>\n")
}

func (s *svgWriter) legend() {
	y := s.legendY
	x := svgMargin
	s.printf(`<text x="%s" y="%s" font-size="12" font-weight="bold">%s</text>`+"\n", f1(x), f1(y+12), esc("Colour: "+s.measure()))
	y += 20
	const sh = 18.0
	sw := swatchWidth("0 gap")
	// The gap swatch.
	s.printf(`<rect x="%s" y="%s" width="%s" height="%s" rx="3" fill="url(#gap-hatch)" stroke="%s" stroke-width="1.6" stroke-dasharray="5 3"/>`,
		f1(x), f1(y), f1(sw), f1(sh), svgGapStroke)
	s.printf(`<text x="%s" y="%s" font-size="11" text-anchor="middle" font-style="italic" font-weight="bold" fill="%s">0 gap</text>`+"\n",
		f1(x+sw/2), f1(y+13), svgGapStroke)
	x += sw + 4
	lo := 0.0
	for k, hi := range s.bins {
		fill, dark := classColour(k, len(s.bins))
		col := "#1d2733"
		if dark {
			col = "#ffffff"
		}
		label := s.binLabel(lo, hi)
		sw := swatchWidth(label)
		s.printf(`<rect x="%s" y="%s" width="%s" height="%s" rx="3" fill="%s"/>`, f1(x), f1(y), f1(sw), f1(sh), fill)
		s.printf(`<text x="%s" y="%s" font-size="11" text-anchor="middle" fill="%s">%s</text>`+"\n", f1(x+sw/2), f1(y+13), col, esc(label))
		x += sw + 4
		lo = hi
	}
	x += 14
	s.printf(`<text x="%s" y="%s" font-size="11" fill="#4a5866">%s</text>`+"\n", f1(x), f1(y+13),
		esc(s.legendNote()))
}

func (s *svgWriter) binLabel(lo, hi float64) string {
	if !s.c.Weighted {
		a, b := int(lo)+1, int(hi)
		if a >= b {
			return strconv.Itoa(b)
		}
		return strconv.Itoa(a) + "–" + strconv.Itoa(b)
	}
	if lo == 0 {
		return "≤ " + numShort(hi) + " h"
	}
	return numShort(lo) + "–" + numShort(hi) + " h"
}

// wrap breaks text into lines of at most width units at font size fs,
// estimating glyph widths, and ends the last allowed line with "…" when
// the text does not fit.
func wrap(text string, width, fs float64, maxLines int) []string {
	maxChars := max(4, int(width/(fs*svgCharW)))
	maxLines = max(1, maxLines)
	var lines []string
	cur := ""
	for _, word := range strings.Fields(text) {
		switch {
		case cur == "":
			cur = word
		case len([]rune(cur))+1+len([]rune(word)) <= maxChars:
			cur += " " + word
		default:
			lines = append(lines, cur)
			cur = word
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	for i, l := range lines {
		if r := []rune(l); len(r) > maxChars {
			lines[i] = string(r[:maxChars-1]) + "…"
		}
	}
	if len(lines) > maxLines {
		last := []rune(lines[maxLines-1])
		if len(last) > maxChars-1 {
			last = last[:maxChars-1]
		}
		lines = append(lines[:maxLines-1], strings.TrimRight(string(last), " ,")+"…")
	}
	return lines
}

func f1(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// numShort formats a tally for the small T/A/R line: whole numbers as they
// are, hours with one decimal.
func numShort(v float64) string { return num(math.Round(v*10) / 10) }

// esc escapes text for XML character data and attribute values.
func esc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&apos;")
		default:
			// Drop characters XML 1.0 cannot hold.
			if r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r != 0xFFFE && r != 0xFFFF && !(r >= 0xD800 && r <= 0xDFFF)) {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}
