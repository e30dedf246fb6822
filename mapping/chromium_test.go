package mapping

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// chromiumPath is where Debian's chromium package installs the browser;
// .ci/run installs it.
const chromiumPath = "/usr/bin/chromium"

// TestSVGInChromium renders the golden GSBPM heatmap in headless Chromium
// and checks the screenshot: it must exist, have the window's size, and
// show the drawing (the dark phase headers and the light cells), not a
// blank or single-colour page.
func TestSVGInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the Chromium rendering test in -short mode")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("Chromium not found at %s (apt-get install chromium); skipping the rendering test", chromiumPath)
	}
	for _, weighted := range []bool{false, true} {
		name := "counts"
		if weighted {
			name = "hours"
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			svgPath := filepath.Join(dir, "coverage.svg")
			pngPath := filepath.Join(dir, "coverage.png")
			if err := os.WriteFile(svgPath, render(t, handCoverage(t, weighted), (*Coverage).WriteSVG), 0o644); err != nil {
				t.Fatal(err)
			}
			const w, h = 1400, 900
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, chromiumPath,
				"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--user-data-dir="+filepath.Join(dir, "profile"),
				"--screenshot="+pngPath, "--window-size=1400,900", svgPath)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("chromium: %v\n%s", err, out)
			}
			b, err := os.ReadFile(pngPath)
			if err != nil {
				t.Fatalf("no screenshot: %v", err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("screenshot is not a PNG: %v", err)
			}
			if got := img.Bounds().Size(); got != (image.Point{w, h}) {
				t.Errorf("screenshot is %v, want %dx%d", got, w, h)
			}
			colours := map[color.RGBA]int{}
			var header, gapRed int
			bounds := img.Bounds()
			for y := bounds.Min.Y; y < bounds.Max.Y; y += 2 {
				for x := bounds.Min.X; x < bounds.Max.X; x += 2 {
					r, g, b, _ := img.At(x, y).RGBA()
					c := color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255}
					colours[c]++
					if near(c, 0x33, 0x47, 0x5b) {
						header++
					}
					if near(c, 0xc0, 0x39, 0x2b) {
						gapRed++
					}
				}
			}
			if len(colours) < 8 {
				t.Errorf("screenshot has %d colours; the SVG did not render", len(colours))
			}
			// Eight header cells of about 148×57 pixels, sampled every other
			// pixel in both directions.
			if header < 8*148*57/4/2 {
				t.Errorf("only %d sampled pixels of the header colour; the grid did not render", header)
			}
			if gapRed == 0 {
				t.Error("no gap borders visible")
			}
		})
	}
}

func near(c color.RGBA, r, g, b uint8) bool {
	d := func(x, y uint8) int {
		if x > y {
			return int(x - y)
		}
		return int(y - x)
	}
	return d(c.R, r) < 6 && d(c.G, g) < 6 && d(c.B, b) < 6
}
