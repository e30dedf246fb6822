package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/mapping"
)

// fwCoverage is what the course covers of one framework.
type fwCoverage struct {
	label string // "GSBPM 5.2"
	nodes string // what the framework's leaf nodes are called
	file  string // the heatmap's file name
	cov   *mapping.Coverage
}

// coverages computes the course's coverage of GSBPM 5.2 and DigComp 2.2.
// Teaches and assesses count as covering a node (the default), and each
// alignment counts once wherever it is in the tree.
func coverages(reg *mapping.Registry, course *asset.Asset) ([]fwCoverage, error) {
	entries := []mapping.Entry{{Asset: course}}
	var out []fwCoverage
	for _, f := range []struct{ key, version, nodes string }{
		{"gsbpm", "5.2", "sub-processes and overarching processes"},
		{"digcomp", "2.2", "competences"},
	} {
		c, err := reg.Coverage(f.key, f.version, entries, mapping.CoverageOptions{})
		if err != nil {
			return nil, err
		}
		out = append(out, fwCoverage{label: reg.Label(f.key, f.version), nodes: f.nodes, file: f.key + "-coverage.svg", cov: c})
	}
	return out, nil
}

// printCoverage prints, for each framework, how many of its nodes the
// course covers and, for each node it covers, the alignments by relation.
func printCoverage(w io.Writer, covs []fwCoverage) {
	for _, fc := range covs {
		c := fc.cov
		fmt.Fprintf(w, "\n%s: the course covers %d of %d %s (alignments by relation)\n", fc.label, c.LeavesCovered, c.Leaves, fc.nodes)
		for i := range c.Nodes {
			n := &c.Nodes[i]
			if n.Direct.Sum() == 0 {
				continue
			}
			var counts []string
			for _, x := range []struct {
				rel string
				v   float64
			}{{"teaches", n.Direct.Teaches}, {"assesses", n.Direct.Assesses}, {"requires", n.Direct.Requires}} {
				if x.v > 0 {
					counts = append(counts, fmt.Sprintf("%s %g", x.rel, x.v))
				}
			}
			fmt.Fprintf(w, "  %-6s %-52s %s\n", n.Code, n.Name, strings.Join(counts, ", "))
		}
	}
}
