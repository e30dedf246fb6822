package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/atomicfile"
	"github.com/metaacademy/ota/packaging/bundle"
	"github.com/metaacademy/ota/packaging/cmi5"
	"github.com/metaacademy/ota/packaging/scorm"
)

type convertOpts struct {
	to        string
	as        string
	strict    bool
	singleSCO bool
	schemas   string
	losses    string
	report    reportFlags
	// followLinks is --follow-links.
	followLinks bool
}

// scormTargets maps the SCORM formats of --to onto versions.
var scormTargets = map[string]scorm.Version{
	"scorm12": scorm.Version12, "scorm2004-3": scorm.Version2004Ed3, "scorm2004-4": scorm.Version2004Ed4,
}

func init() {
	register(&command{
		name:    "convert",
		summary: "convert an input to another format",
		usage:   "convert SRC OUT [--to FORMAT] [--as KIND] [--strict] [--single-sco] [--schemas DIR] [--losses grouped|all] [--severity CODE=SEVERITY]... [--verbose]",
		help: `Reads SRC, converts it through the OTA model and writes OUT atomically (a
half-written OUT is never left behind). OUT "-" writes to standard output.
FORMAT may be left out when OUT ends in .json or .ota. Formats:

  json          canonical OTA JSON
  ota           an OTA bundle: the document and every file its resources
                name, with their digests (docs/spec/bundle.md)
  scorm12       a SCORM 1.2 package
  scorm2004-3   a SCORM 2004 3rd Edition package
  scorm2004-4   a SCORM 2004 4th Edition package
  cmi5          a cmi5 course package (cmi5.xml and the content)

SCORM packages have one SCO per launchable lesson, cmi5 packages one AU;
content that is not already a SCO or AU is wrapped in OTA's launch page,
which reports completion (and a score the content posts) to the LMS. --single-sco makes the whole course
one SCO with its own navigation, for LMSs that handle only one. --schemas
DIR copies the XSDs in DIR (the target version's control documents) into
the package root and names them in xsi:schemaLocation.

SRC may be an OTA document, an OTA bundle, a SCORM package, a cmi5 course
(zip or folder), a lesson folder, or a CASE framework (which converts to
OTA's framework JSON only). An OTA document's files are read from the
folder it is in; when they are not there, convert says so and writes
nothing (convert the .ota bundle holding them instead). Converting a
package, bundle or lesson to json writes the asset tree without its files,
and says how many were left out.

What could not be carried over is printed to standard error, grouped by
loss code (docs/losses.md) with a count and a few examples; --losses all
prints one line per loss. Losses change the exit code only with --strict.
Issues found while reading are printed as validate prints them (info lines
only with --verbose); --severity changes a code's severity as in validate.
A file a SCORM manifest lists but the package lacks is a warning here
(scorm.file.missing): the content still launches, so it is converted.

Exit codes: 0 converted; 1 SRC has errors (nothing is written), or --strict and
something was lost; 2 usage error, unreadable SRC, or files SRC names that
cannot be read.`,
		flags: func(fs *pflag.FlagSet) any {
			o := &convertOpts{}
			fs.StringVar(&o.to, "to", "", "output format: json, ota, scorm12, scorm2004-3, scorm2004-4 or cmi5")
			fs.BoolVar(&o.singleSCO, "single-sco", false, "SCORM: package the whole course as one SCO")
			fs.StringVar(&o.schemas, "schemas", "", "SCORM: a folder of control documents (XSDs) to ship in the package")
			fs.StringVar(&o.as, "as", "", "read SRC as this kind instead of detecting it ("+kindNames()+")")
			fs.BoolVar(&o.strict, "strict", false, "exit 1 when anything could not be carried over")
			fs.StringVar(&o.losses, "losses", "grouped", "how losses are printed: grouped (one line per kind, with a count and examples) or all (one line each)")
			o.report.register(fs)
			fs.BoolVar(&o.followLinks, "follow-links", false, followLinksHelp)
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
	_, toSCORM := scormTargets[to]
	switch {
	case to == "json", to == "ota", toSCORM:
	case to == "":
		fmt.Fprintln(env.Stderr, "ota convert: give --to FORMAT (OUT ends neither in .json nor in .ota)")
		return ExitUsage
	case to == "cmi5":
	default:
		fmt.Fprintf(env.Stderr, "ota convert: --to %q is not a format; use json, ota, scorm12, scorm2004-3, scorm2004-4 or cmi5\n", to)
		return ExitUsage
	}
	if (to == "ota" || to == "cmi5" || toSCORM) && out == "-" {
		fmt.Fprintln(env.Stderr, "ota convert: a package is written to a file; give OUT")
		return ExitUsage
	}
	if err := checkOutDir(out); err != nil {
		fmt.Fprintf(env.Stderr, "ota convert: %v\n", err)
		return ExitUsage
	}
	if (opts.singleSCO || opts.schemas != "") && !toSCORM {
		fmt.Fprintln(env.Stderr, "ota convert: --single-sco and --schemas apply to SCORM formats only")
		return ExitUsage
	}
	if opts.losses != "grouped" && opts.losses != "all" {
		fmt.Fprintf(env.Stderr, "ota convert: --losses %q: use grouped or all\n", opts.losses)
		return ExitUsage
	}
	policy, err := opts.report.policy(inspectDefaults)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ota convert: %v\n", err)
		return ExitUsage
	}
	ro := &readOpts{validate: true, policy: policy, verbose: opts.report.verbose, followLinks: opts.followLinks, checkData: to == "json"}
	if code, done := convertSpecial(env, src, out, to, opts, ro); done {
		return code
	}
	doc, rep, code, in := openDocument(env, "convert", src, opts.as, ro)
	if in != nil {
		defer in.Close()
	}
	if code != ExitOK {
		return code
	}
	if doc == nil {
		return notAnAssetTree(env, src, in, to)
	}
	all := opts.losses == "all"
	printLosses(env.Stderr, displayPath(src), rep.Losses, all)
	if to != "json" && in.kind != nil && in.kind.name == "ota" && in.content != nil {
		if msg := missingFiles(src, doc, in.content); msg != "" {
			fmt.Fprintf(env.Stderr, "ota convert: %s\n", msg)
			return ExitUsage
		}
	}
	var lost ota.Report
	switch {
	case toSCORM, to == "cmi5":
		if toSCORM {
			lost, err = writeSCORM(out, doc, in.content, opts, scormTargets[to])
		} else {
			lost, err = writeCMI5(out, doc, in.content)
		}
		// The export's errors come back as err.
		lost.Issues = slices.DeleteFunc(lost.Issues, func(is ota.Issue) bool { return is.Severity == ota.Error })
	case to == "ota":
		err = writeBundle(out, doc, in.content)
	case out == "-":
		err = writeJSON(env.Stdout, doc)
	default:
		err = atomicfile.WriteChecked(out, 0o644, func(w io.Writer) error { return asset.Write(w, doc) }, readBack("json"))
	}
	if err != nil {
		return exportFailed(env, out, err)
	}
	if to == "json" {
		if l, ok := filesNotWritten(src, out, doc, in); ok {
			lost.AddLoss(l)
		}
	}
	printIssues(env.Stderr, nil, displayPath(out), lost.Issues, opts.report.verbose)
	printLosses(env.Stderr, displayPath(out), lost.Losses, all)
	if opts.strict && len(rep.Losses)+len(lost.Losses) > 0 {
		return ExitInvalid
	}
	return ExitOK
}

// writeBundle writes doc and the files its resources name, read from
// content, as an OTA bundle at out, atomically; Ctrl-C leaves nothing.
func writeBundle(out string, doc *asset.Document, content fs.FS) error {
	ctx, stop := interruptible()
	defer stop()
	return atomicfile.WriteChecked(out, 0o644, func(f io.Writer) error {
		w := bundle.NewWriter(f, bundle.WriterOptions{Generator: versionLine()})
		if err := w.AddAsset(doc); err != nil {
			return err
		}
		if content == nil && hasResources(&doc.Asset) {
			return errors.New("the document's files cannot be found from standard input; give its path")
		}
		if content != nil {
			if err := w.AddFS(ctx, content); err != nil {
				return err
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		return w.Close()
	}, readBack("ota"))
}

func hasResources(a *asset.Asset) bool {
	for _, x := range a.All() {
		if len(x.Resources) > 0 {
			return true
		}
	}
	return false
}

// writeSCORM exports doc as a SCORM package at out, atomically.
func writeSCORM(out string, doc *asset.Document, content fs.FS, opts *convertOpts, v scorm.Version) (ota.Report, error) {
	ctx, stop := interruptible()
	defer stop()
	if content == nil && hasResources(&doc.Asset) {
		return ota.Report{}, errors.New("the document's files cannot be found from standard input; give its path")
	}
	var schemas fs.FS
	if opts.schemas != "" {
		st, err := os.Stat(opts.schemas)
		if err != nil {
			return ota.Report{}, fmt.Errorf("--schemas: %w", err)
		}
		if !st.IsDir() {
			return ota.Report{}, fmt.Errorf("--schemas: %s is not a folder", opts.schemas)
		}
		schemas = os.DirFS(opts.schemas)
	}
	var rep ota.Report
	err := atomicfile.WriteChecked(out, 0o644, func(w io.Writer) error {
		var err error
		rep, err = scorm.ExportContext(ctx, w, &doc.Asset, content, scorm.ExportOptions{Version: v, SingleSCO: opts.singleSCO, Schemas: schemas})
		return err
	}, readBack("scorm"))
	return rep, err
}

// writeCMI5 exports doc as a cmi5 course package at out, atomically.
func writeCMI5(out string, doc *asset.Document, content fs.FS) (ota.Report, error) {
	ctx, stop := interruptible()
	defer stop()
	if content == nil && hasResources(&doc.Asset) {
		return ota.Report{}, errors.New("the document's files cannot be found from standard input; give its path")
	}
	var rep ota.Report
	err := atomicfile.WriteChecked(out, 0o644, func(w io.Writer) error {
		var err error
		rep, err = cmi5.ExportContext(ctx, w, &doc.Asset, content, cmi5.ExportOptions{})
		return err
	}, readBack("cmi5"))
	return rep, err
}
