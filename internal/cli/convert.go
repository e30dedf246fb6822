package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/atomicfile"
)

type convertOpts struct {
	to     string
	as     string
	strict bool
}

func init() {
	register(&command{
		name:    "convert",
		summary: "convert an input to another format",
		usage:   "convert SRC OUT [--to FORMAT] [--as KIND] [--strict]",
		help: `Reads SRC, converts it through the OTA model and writes OUT atomically (a
half-written OUT is never left behind). OUT "-" writes to standard output.
FORMAT may be left out when OUT ends in .json. Formats this version writes:
json (canonical OTA JSON). What could not be carried over is printed to
standard error; it changes the exit code only with --strict.

Exit codes: 0 converted; 1 SRC has errors (nothing is written), or --strict and
something was lost; 2 usage error or unreadable SRC.`,
		flags: func(fs *pflag.FlagSet) any {
			o := &convertOpts{}
			fs.StringVar(&o.to, "to", "", "output format: json")
			fs.StringVar(&o.as, "as", "", "read SRC as this kind instead of detecting it ("+kindNames()+")")
			fs.BoolVar(&o.strict, "strict", false, "exit 1 when anything could not be carried over")
			return o
		},
		run: runConvert,
	})
}

func runConvert(env *Env, o any, args []string) int {
	opts := o.(*convertOpts)
	if len(args) != 2 {
		fmt.Fprintln(env.Stderr, "ota convert: needs SRC and OUT; run 'ota help convert'")
		return ExitUsage
	}
	src, out := args[0], args[1]
	to := opts.to
	if to == "" && strings.HasSuffix(strings.ToLower(out), ".json") {
		to = "json"
	}
	switch to {
	case "json":
	case "":
		fmt.Fprintln(env.Stderr, "ota convert: give --to FORMAT (OUT does not end in .json)")
		return ExitUsage
	case "ota", "scorm12", "scorm2004-3", "scorm2004-4", "cmi5":
		fmt.Fprintf(env.Stderr, "ota convert: --to %s is not supported by this version of ota; it writes json\n", to)
		return ExitUsage
	default:
		fmt.Fprintf(env.Stderr, "ota convert: --to %q is not a format; use json\n", to)
		return ExitUsage
	}
	doc, rep, code := loadDocument(env, "convert", src, opts.as, &readOpts{validate: true})
	if code != ExitOK {
		return code
	}
	for _, l := range rep.Losses {
		fmt.Fprintf(env.Stderr, "%s: lost %s\n", displayPath(src), l)
	}
	write := func(w io.Writer) error { return asset.Write(w, doc) }
	var err error
	if out == "-" {
		err = write(env.Stdout)
	} else {
		err = atomicfile.Write(out, 0o644, write)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "ota convert: writing %s: %v\n", out, err)
		return ExitUsage
	}
	if opts.strict && len(rep.Losses) > 0 {
		return ExitInvalid
	}
	return ExitOK
}
