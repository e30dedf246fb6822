package cli

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/pflag"

	"github.com/metaacademy/ota/framework"
)

type frameworksOpts struct{ format string }

func init() {
	register(&command{
		name:    "frameworks",
		summary: "list the built-in competency and capability frameworks",
		usage:   "frameworks [--format text|json]",
		help: `Lists the frameworks built into ota, which alignments can name by key:
key, version, title and number of nodes. With --format json, an array of
objects with "id", "version", "title" and "nodes" ("id" is the key), plus
"iri" and "unconfirmed" (nodes whose name could not be confirmed).`,
		flags: func(fs *pflag.FlagSet) any {
			o := &frameworksOpts{}
			fs.StringVar(&o.format, "format", "text", "output format: text or json")
			return o
		},
		run: runFrameworks,
	})
}

type frameworkRow struct {
	ID          string `json:"id"`
	Version     string `json:"version"`
	Title       string `json:"title"`
	Nodes       int    `json:"nodes"`
	IRI         string `json:"iri"`
	Unconfirmed int    `json:"unconfirmed"`
}

func runFrameworks(env *Env, o any, args []string) int {
	opts := o.(*frameworksOpts)
	if len(args) > 0 {
		fmt.Fprintln(env.Stderr, "ota frameworks: takes no arguments")
		return ExitUsage
	}
	var rows []frameworkRow
	for _, fw := range frameworks().List() {
		title, _, _ := fw.Title.Best("en")
		rows = append(rows, frameworkRow{
			ID: fw.Key, Version: fw.Version, Title: title, Nodes: len(fw.Nodes), IRI: fw.ID, Unconfirmed: unconfirmed(fw),
		})
	}
	switch opts.format {
	case "json":
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rows); err != nil {
			fmt.Fprintf(env.Stderr, "ota frameworks: %v\n", err)
			return ExitUsage
		}
	case "text":
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "KEY\tVERSION\tNODES\tTITLE")
		for _, r := range rows {
			note := ""
			if r.Unconfirmed > 0 {
				note = fmt.Sprintf(" (%d node names unconfirmed)", r.Unconfirmed)
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s%s\n", r.ID, r.Version, r.Nodes, r.Title, note)
		}
		_ = tw.Flush()
	default:
		fmt.Fprintf(env.Stderr, "ota frameworks: --format %q: use text or json\n", opts.format)
		return ExitUsage
	}
	return ExitOK
}

func unconfirmed(fw *framework.Framework) int {
	n := 0
	for _, nd := range fw.Nodes {
		if nd.Unconfirmed {
			n++
		}
	}
	return n
}
