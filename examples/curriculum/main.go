// Curriculum models a small "data science for official statistics"
// curriculum in code: a competency framework of its own, a dozen assets
// aligned to GSBPM and DigComp, and two learner pathways. It prints each
// pathway's order and durations, the GSBPM coverage of the catalogue and its
// gaps, and writes the coverage heatmap as SVG.
//
//	go run ./examples/curriculum              # writes the SVG in a temporary folder
//	go run ./examples/curriculum -svg out.svg
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/metaacademy/ota/catalogue"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/framework"
	"github.com/metaacademy/ota/mapping"
)

func main() {
	svg := flag.String("svg", "", "where to write the GSBPM heatmap (default: a new temporary folder)")
	flag.Parse()
	if err := run(*svg); err != nil {
		fmt.Fprintln(os.Stderr, "curriculum:", err)
		os.Exit(1)
	}
}

func run(svgPath string) error {
	reg := mapping.Default()
	competencies := competencyFramework()
	if err := reg.Add(competencies); err != nil {
		return err
	}

	// The catalogue: assets from two publishers, each checked against the
	// format and against the frameworks it aligns to.
	cat := &catalogue.Catalogue{}
	for _, a := range courses() {
		if err := asset.Validate(a.asset, asset.CheckOptions{Frameworks: reg}); err != nil {
			return fmt.Errorf("%s: %w", a.asset.Title["en"], err)
		}
		cat.Add(a.publisher, a.asset)
	}
	fmt.Printf("Catalogue: %d assets from %d publishers\n\n", cat.Len(), len(cat.Publishers()))

	for _, p := range pathways() {
		plan := p.Resolve(cat.Lookup)
		steps, err := plan.Order()
		if err != nil {
			return err
		}
		fmt.Printf("Pathway %q (%s)\n", p.Title["en"], p.Profile)
		for i, s := range steps {
			need := "required"
			if !s.Required {
				need = "optional"
			}
			fmt.Printf("  %2d. %-45s %-8s %s\n", i+1, s.Asset.Title["en"], s.Duration, need)
		}
		fmt.Printf("  total %s, required steps %s\n", plan.Duration(), plan.RequiredDuration())
		var covered []string
		for _, c := range plan.Covers(competencies) {
			if c.Framework == competencies.Key {
				covered = append(covered, c.Code+levelSuffix(c.Level))
			}
		}
		fmt.Printf("  competencies: %s\n\n", strings.Join(covered, ", "))
	}

	var entries []mapping.Entry
	for _, e := range cat.Query(catalogue.Query{RootsOnly: true}) {
		entries = append(entries, mapping.Entry{Asset: e.Asset, Publisher: e.Publisher})
	}
	cov, err := reg.Coverage(mapping.KeyGSBPM, "5.2", entries, mapping.CoverageOptions{})
	if err != nil {
		return err
	}
	fmt.Printf("GSBPM 5.2 coverage: %d of %d sub-processes and overarching processes (%.0f%%)\n",
		cov.LeavesCovered, cov.Leaves, 100*cov.Fraction())
	for _, n := range cov.Nodes {
		if n.Depth == 0 && n.Kind == framework.KindPhase {
			fmt.Printf("  phase %s %-14s %d %s\n", n.Code, n.Name, n.Assets, map[bool]string{true: "asset", false: "assets"}[n.Assets == 1])
		}
	}
	fmt.Printf("  gaps: %s\n", strings.Join(cov.Gaps.Leaves, " "))

	if svgPath == "" {
		dir, err := os.MkdirTemp("", "ota-curriculum-")
		if err != nil {
			return err
		}
		svgPath = filepath.Join(dir, "gsbpm-coverage.svg")
	}
	f, err := os.Create(svgPath)
	if err != nil {
		return err
	}
	if err := cov.WriteSVG(f); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Printf("\nwrote the heatmap to %s (open it in a browser)\n", svgPath)
	return nil
}

func levelSuffix(level string) string {
	if level == "" {
		return ""
	}
	return "@" + level
}
