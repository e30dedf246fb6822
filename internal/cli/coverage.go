package cli

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/metaacademy/ota/catalogue"

	"github.com/spf13/pflag"

	"github.com/metaacademy/ota/internal/atomicfile"
	"github.com/metaacademy/ota/mapping"
)

type coverageOpts struct {
	framework string
	version   string
	format    string
	svg       string
	weighted  bool
}

func init() {
	register(&command{
		name:    "coverage",
		summary: "show which nodes of a framework a set of assets covers, and the gaps",
		usage:   "coverage [--framework KEY] [--version V] [--format text|json|csv] [--svg FILE] [--weighted] PATH...",
		help: `Reads OTA documents (files, or folders searched for *.json files) and measures
how they cover a framework: for every node, the assets that teach, assess or
require it (rolled up to parent nodes), the gaps no asset touches, and each
publisher's share. The framework defaults to gsbpm, the version to the newest
built in ('ota frameworks' lists them). --weighted counts hours instead of
alignments. --svg also writes a heatmap (GSBPM as its grid of phases and
sub-processes).

A document's publisher is its first contributor with the role publisher.
Exit codes: 0 done; 1 a document had errors (it is left out, the rest is
measured); 2 usage error or unreadable input.`,
		flags: func(fs *pflag.FlagSet) any {
			o := &coverageOpts{}
			fs.StringVar(&o.framework, "framework", mapping.KeyGSBPM, "framework key or IRI")
			fs.StringVar(&o.version, "version", "", "framework version (default: the newest built in)")
			fs.StringVar(&o.format, "format", "text", "output format: text, json or csv")
			fs.StringVar(&o.svg, "svg", "", "also write an SVG heatmap to this file")
			fs.BoolVar(&o.weighted, "weighted", false, "weight by duration (hours) instead of counting alignments")
			return o
		},
		run: runCoverage,
	})
}

func runCoverage(env *Env, o any, args []string) int {
	opts := o.(*coverageOpts)
	if opts.format != "text" && opts.format != "json" && opts.format != "csv" {
		fmt.Fprintf(env.Stderr, "ota coverage: --format %q: use text, json or csv\n", opts.format)
		return ExitUsage
	}
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "ota coverage: no PATH given; run 'ota help coverage'")
		return ExitUsage
	}
	code := ExitOK
	cat := &catalogue.Catalogue{}
	for _, path := range args {
		files, err := documentFiles(path)
		if err != nil {
			fmt.Fprintf(env.Stderr, "ota coverage: %v\n", err)
			code = max(code, ExitUsage)
			continue
		}
		for _, f := range files {
			doc, _, c := loadDocument(env, "coverage", f, "", &readOpts{validate: true})
			code = max(code, c)
			if doc == nil || c != ExitOK {
				continue
			}
			cat.Add("", &doc.Asset) // the catalogue's publisher rule: the contributor with role publisher
		}
	}
	var entries []mapping.Entry
	for _, e := range cat.Query(catalogue.Query{RootsOnly: true}) {
		entries = append(entries, mapping.Entry{Asset: e.Asset, Publisher: e.Publisher})
	}
	cov, err := frameworks().Coverage(opts.framework, opts.version, entries, mapping.CoverageOptions{Weighted: opts.weighted})
	if err != nil {
		fmt.Fprintf(env.Stderr, "ota coverage: %v\n", err)
		return ExitUsage
	}
	switch opts.format {
	case "json":
		err = cov.WriteJSON(env.Stdout)
	case "csv":
		err = cov.WriteCSV(env.Stdout)
	default:
		writeCoverageText(env.Stdout, cov)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "ota coverage: %v\n", err)
		return ExitUsage
	}
	if opts.svg != "" {
		if err := atomicfile.Write(opts.svg, 0o644, cov.WriteSVG); err != nil {
			fmt.Fprintf(env.Stderr, "ota coverage: writing %s: %v\n", opts.svg, err)
			return ExitUsage
		}
		fmt.Fprintf(env.Stderr, "wrote %s\n", opts.svg)
	}
	return code
}

// documentFiles returns path itself, or the *.json files below a folder in
// lexical order.
func documentFiles(path string) ([]string, error) {
	if path == "-" {
		return []string{path}, nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	var files []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch typ := d.Type(); {
		case typ&fs.ModeSymlink != 0:
			return fmt.Errorf("%s is a symbolic link; links are not followed in a folder of documents", p)
		case !typ.IsDir() && !typ.IsRegular():
			return fmt.Errorf("%s %w", p, errNotRegular)
		}
		if !d.IsDir() && strings.HasSuffix(strings.ToLower(d.Name()), ".json") {
			files = append(files, p)
		}
		return nil
	})
	return files, err
}

func writeCoverageText(w io.Writer, cov *mapping.Coverage) {
	title, _, _ := cov.Framework.Title.Best("en")
	unit := "assets"
	if cov.Weighted {
		unit = "hours"
	}
	fmt.Fprintf(w, "%s %s: %d assets, %d of %d leaf nodes covered (%.0f%%)\n\n",
		title, cov.Framework.Version, cov.AssetCount(), cov.LeavesCovered, cov.Leaves, 100*cov.Fraction())
	for _, n := range cov.Nodes {
		mark := ""
		if n.Gap() {
			mark = "  gap"
		}
		value := plural(n.Assets, "asset")
		if cov.Weighted {
			value = fmt.Sprintf("%.1f %s", n.Total.Teaches+n.Total.Assesses, unit)
		}
		fmt.Fprintf(w, "%s%-7s %-50s %s%s\n", strings.Repeat("  ", n.Depth), n.Code, truncate(n.Name, 50-2*n.Depth), value, mark)
	}
	if len(cov.Publishers) > 0 {
		fmt.Fprintln(w, "\nPublishers:")
		for _, p := range cov.Publishers {
			name := p.Publisher
			if name == "" {
				name = "(no publisher)"
			}
			fmt.Fprintf(w, "  %-40s %d assets, %d of %d leaves (%.0f%%)\n", name, p.Assets, len(p.Covered), p.Leaves, 100*p.Fraction)
		}
	}
	fmt.Fprintf(w, "\nGaps: %d leaf nodes", len(cov.Gaps.Leaves))
	if len(cov.Gaps.Leaves) > 0 {
		fmt.Fprintf(w, " (%s)", strings.Join(cov.Gaps.Leaves, ", "))
	}
	fmt.Fprintln(w)
	if cov.Unresolved > 0 {
		fmt.Fprintf(w, "%d alignments name codes this framework does not have; 'ota validate' says which\n", cov.Unresolved)
	}
}

func truncate(s string, n int) string {
	if n < 4 || len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
