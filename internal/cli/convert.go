package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/spf13/pflag"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/atomicfile"
	"github.com/metaacademy/ota/packaging/bundle"
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
FORMAT may be left out when OUT ends in .json or .ota. Formats this version
writes: json (canonical OTA JSON) and ota (an OTA bundle: the document and
every file its resources name, with their digests; see docs/spec/bundle.md).
SRC may be an OTA document, an OTA bundle or a SCORM package (zip or folder). What could not be carried over is printed to
standard error; it changes the exit code only with --strict.

Exit codes: 0 converted; 1 SRC has errors (nothing is written), or --strict and
something was lost; 2 usage error or unreadable SRC.`,
		flags: func(fs *pflag.FlagSet) any {
			o := &convertOpts{}
			fs.StringVar(&o.to, "to", "", "output format: json or ota")
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
	if to == "" {
		switch low := strings.ToLower(out); {
		case strings.HasSuffix(low, ".json"):
			to = "json"
		case strings.HasSuffix(low, ".ota"):
			to = "ota"
		}
	}
	switch to {
	case "json", "ota":
	case "":
		fmt.Fprintln(env.Stderr, "ota convert: give --to FORMAT (OUT ends neither in .json nor in .ota)")
		return ExitUsage
	case "scorm12", "scorm2004-3", "scorm2004-4", "cmi5":
		fmt.Fprintf(env.Stderr, "ota convert: --to %s is not supported by this version of ota; it writes json and ota\n", to)
		return ExitUsage
	default:
		fmt.Fprintf(env.Stderr, "ota convert: --to %q is not a format; use json or ota\n", to)
		return ExitUsage
	}
	if to == "ota" && out == "-" {
		fmt.Fprintln(env.Stderr, "ota convert: a bundle is written to a file; give OUT")
		return ExitUsage
	}
	doc, rep, code, in := openDocument(env, "convert", src, opts.as, &readOpts{validate: true})
	if in != nil {
		defer in.Close()
	}
	if code != ExitOK {
		return code
	}
	for _, l := range rep.Losses {
		fmt.Fprintf(env.Stderr, "%s: lost %s\n", displayPath(src), l)
	}
	var err error
	switch {
	case to == "ota":
		err = writeBundle(out, doc, in.content)
	case out == "-":
		err = asset.Write(env.Stdout, doc)
	default:
		err = atomicfile.Write(out, 0o644, func(w io.Writer) error { return asset.Write(w, doc) })
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

// writeBundle writes doc and the files its resources name, read from
// content, as an OTA bundle at out, atomically; Ctrl-C leaves nothing.
func writeBundle(out string, doc *asset.Document, content fs.FS) error {
	ctx, stop := interruptible()
	defer stop()
	return bundle.WriteFile(ctx, out, bundle.WriterOptions{Generator: versionLine()}, func(w *bundle.Writer) error {
		if err := w.AddAsset(doc); err != nil {
			return err
		}
		if content == nil {
			if hasResources(&doc.Asset) {
				return errors.New("the document's files cannot be found from standard input; give its path")
			}
			return nil
		}
		return w.AddFS(ctx, content)
	})
}

func hasResources(a *asset.Asset) bool {
	for _, x := range a.All() {
		if len(x.Resources) > 0 {
			return true
		}
	}
	return false
}
