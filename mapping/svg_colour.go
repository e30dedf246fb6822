package mapping

import (
	"fmt"
	"math"
	"strconv"
)

// colourBins returns the upper bounds of up to five colour classes over
// (0, maxV]: one class per count when counts are small, otherwise equal
// steps rounded up (to whole numbers for counts).
func colourBins(maxV float64, integer bool) []float64 {
	if maxV <= 0 {
		return nil
	}
	const classes = 5
	if integer && maxV <= classes {
		out := make([]float64, int(maxV))
		for i := range out {
			out[i] = float64(i + 1)
		}
		return out
	}
	out := make([]float64, 0, classes)
	for i := 1; i <= classes; i++ {
		b := maxV * float64(i) / classes
		if integer {
			b = math.Ceil(b)
		} else {
			b = niceCeil(b)
		}
		if len(out) > 0 && b <= out[len(out)-1] {
			continue
		}
		out = append(out, b)
	}
	out[len(out)-1] = math.Max(out[len(out)-1], maxV)
	return out
}

// niceCeil rounds v up to two significant digits.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(v))-1)
	r, _ := strconv.ParseFloat(strconv.FormatFloat(math.Ceil(v/p)*p, 'g', 12, 64), 64)
	return r
}

// class returns the colour class of v, or -1 for zero.
func (s *svgWriter) class(v float64) int {
	if v <= 0 || len(s.bins) == 0 {
		return -1
	}
	for i, b := range s.bins {
		if v <= b+1e-9 {
			return i
		}
	}
	return len(s.bins) - 1
}

// ramp anchors: a light, a middle and a dark tone of a blue-green scale.
var rampAnchors = [3][3]float64{{234, 246, 212}, {68, 166, 178}, {27, 49, 122}}

// classColour returns the fill of class k of n classes, light to dark.
func classColour(k, n int) (fill string, dark bool) {
	t := 0.6
	if n > 1 {
		t = 0.12 + 0.88*float64(k)/float64(n-1)
	}
	var a, b [3]float64
	var u float64
	if t <= 0.5 {
		a, b, u = rampAnchors[0], rampAnchors[1], t/0.5
	} else {
		a, b, u = rampAnchors[1], rampAnchors[2], (t-0.5)/0.5
	}
	var rgb [3]int
	for i := range rgb {
		rgb[i] = int(math.Round(a[i] + (b[i]-a[i])*u))
	}
	lum := (0.2126*float64(rgb[0]) + 0.7152*float64(rgb[1]) + 0.0722*float64(rgb[2])) / 255
	return fmt.Sprintf("#%02x%02x%02x", rgb[0], rgb[1], rgb[2]), lum < 0.5
}

func (s *svgWriter) printf(format string, args ...any) { fmt.Fprintf(s.w, format, args...) }

func (s *svgWriter) draw() {
	c := s.c
	s.printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	s.printf(`<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" role="img" aria-labelledby="title">`+"\n",
		f1(s.width), f1(s.height), f1(s.width), f1(s.height))
	title := s.titleText()
	s.printf("<title id=\"title\">%s</title>\n", esc(title))
	s.printf(`<defs><pattern id="gap-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
		`<rect width="8" height="8" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="8" stroke="#f3d3cf" stroke-width="3"/></pattern></defs>` + "\n")
	s.printf(`<rect width="100%%" height="100%%" fill="#ffffff"/>` + "\n")
	s.printf(`<g font-family="%s" fill="#1d2733">`+"\n", esc(svgFont))
	s.printf(`<text x="%s" y="%s" font-size="20" font-weight="bold">%s</text>`+"\n", f1(svgMargin), f1(svgMargin+18), esc(title))
	s.printf(`<text x="%s" y="%s" font-size="12.5" fill="#4a5866">%s</text>`+"\n", f1(svgMargin), f1(svgMargin+40), esc(s.summaryText()))
	for _, b := range s.boxes {
		s.box(b)
	}
	if s.hasBand {
		label := "Overarching processes"
		if c.Framework != nil && c.Framework.Key == KeyGSBPM && CompareVersions(c.Framework.Version, "5.2") >= 0 {
			label = "Overarching activities"
		}
		s.printf(`<text x="%s" y="%s" font-size="12.5" font-weight="bold" fill="#33475b">%s</text>`+"\n",
			f1(svgMargin), f1(s.bandY+12), esc(label))
	}
	s.legend()
	s.printf("</g>\n</svg>\n")
}

func (s *svgWriter) titleText() string {
	c := s.c
	name := "Framework"
	if c.Framework != nil {
		name = frameworkLabel(c.Framework)
	}
	return name + " coverage"
}
