package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
)

type inspectOpts struct {
	format string
	as     string
	lang   string
	report reportFlags
	// followLinks is --follow-links.
	followLinks bool
}

func init() {
	register(&command{
		name:    "inspect",
		summary: "print the asset tree read from a document",
		usage:   "inspect [--format text|json] [--as KIND] [--lang TAG] [--severity CODE=SEVERITY]... [--verbose] PATH...",
		help: `Prints a readable tree: each asset's kind, title, duration and ID, with its
resources, alignments and objectives counted. With --format json it prints the
canonical OTA JSON of the asset tree read from PATH, whatever its format.

Issues found while reading (members of the wrong type, unknown members) go to
standard error, one line each as validate writes them; info lines only with
--verbose. --severity changes the severity of a code as in validate. A file
a SCORM manifest lists but the package lacks is a warning here
(scorm.file.missing; validate makes it an error): the content still
launches. Exit codes: 0 read; 1 read, but with errors; 2 unreadable.`,
		flags: func(fs *pflag.FlagSet) any {
			o := &inspectOpts{}
			fs.StringVar(&o.format, "format", "text", "output format: text or json")
			fs.StringVar(&o.as, "as", "", "read PATH as this kind instead of detecting it ("+kindNames()+")")
			fs.StringVar(&o.lang, "lang", "en", "preferred language of titles (BCP 47 tag)")
			o.report.register(fs)
			fs.BoolVar(&o.followLinks, "follow-links", false, followLinksHelp)
			return o
		},
		run: runInspect,
	})
}

// loadDocument opens path, detects its kind and reads it into the model.
// Problems are written to stderr; the exit code says how it went.
func loadDocument(env *Env, cmd, path, as string, ro *readOpts) (*asset.Document, ota.Report, int) {
	doc, rep, code, in := openDocument(env, cmd, path, as, ro)
	if in != nil {
		in.Close()
	}
	return doc, rep, code
}

// openDocument is loadDocument that leaves the input open, so that the
// files of the document can still be read from in.content; the caller
// closes in when it is not nil.
func openDocument(env *Env, cmd, path, as string, ro *readOpts) (*asset.Document, ota.Report, int, *input) {
	in, err := openInput(env, path)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ota %s: %v\n", cmd, err)
		return nil, ota.Report{}, ExitUsage, nil
	}
	k, err := detect(in, as)
	if err != nil {
		in.Close()
		if errors.Is(err, errUsage) {
			fmt.Fprintf(env.Stderr, "ota %s: %v\n", cmd, err)
		} else {
			fmt.Fprintf(env.Stderr, "ota %s: %s %v\n", cmd, displayPath(path), err)
		}
		return nil, ota.Report{}, ExitUsage, nil
	}
	in.kind = k
	doc, rep, err := k.load(in, ro)
	if err != nil {
		in.Close()
		printIssues(env.Stderr, k, displayPath(path), rep.Issues, ro.verbose)
		fmt.Fprintln(env.Stderr, issueLine(displayPath(path), readErrorIssue(err)))
		return nil, rep, ExitUsage, nil
	}
	printIssues(env.Stderr, k, displayPath(path), rep.Issues, ro.verbose)
	if rep.HasErrors() {
		return doc, rep, ExitInvalid, in
	}
	return doc, rep, ExitOK, in
}

func displayPath(p string) string {
	if p == "-" {
		return "standard input"
	}
	return p
}

func runInspect(env *Env, o any, args []string) int {
	opts := o.(*inspectOpts)
	if opts.format != "text" && opts.format != "json" {
		fmt.Fprintf(env.Stderr, "ota inspect: --format %q: use text or json\n", opts.format)
		return ExitUsage
	}
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "ota inspect: no PATH given; run 'ota help inspect'")
		return ExitUsage
	}
	policy, err := opts.report.policy(inspectDefaults)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ota inspect: %v\n", err)
		return ExitUsage
	}
	code := ExitOK
	for _, path := range args {
		if c, done := inspectSpecial(env, path, opts, policy); done {
			code = max(code, c)
			continue
		}
		doc, _, c := loadDocument(env, "inspect", path, opts.as, &readOpts{policy: policy, verbose: opts.report.verbose, followLinks: opts.followLinks, checkData: true})
		code = max(code, c)
		if doc == nil {
			continue
		}
		if opts.format == "json" {
			if err := asset.Write(env.Stdout, doc); err != nil {
				fmt.Fprintf(env.Stderr, "ota inspect: %v\n", err)
				code = ExitUsage
			}
			continue
		}
		if len(args) > 1 {
			fmt.Fprintf(env.Stdout, "%s:\n", path)
		}
		printTree(env.Stdout, &doc.Asset, opts.lang)
	}
	return code
}

// printTree writes the asset tree with box-drawing branches.
func printTree(w io.Writer, root *asset.Asset, lang string) {
	var rec func(a *asset.Asset, prefix, branch string, depth int)
	rec = func(a *asset.Asset, prefix, branch string, depth int) {
		fmt.Fprintf(w, "%s%s%s\n", prefix, branch, describe(a, lang))
		var child string
		switch branch {
		case "├── ":
			child = prefix + "│   "
		case "└── ":
			child = prefix + "    "
		default:
			child = prefix
		}
		if depth > 200 {
			fmt.Fprintf(w, "%s└── … (%d more levels not shown)\n", child, depth)
			return
		}
		for i := range a.Parts {
			b := "├── "
			if i == len(a.Parts)-1 {
				b = "└── "
			}
			rec(&a.Parts[i], child, b, depth+1)
		}
	}
	rec(root, "", "", 0)
	total := "unknown (no asset gives one)"
	if d := root.TotalDuration(); !d.IsZero() {
		total = d.String()
	}
	fmt.Fprintf(w, "\n%d assets, %d leaves, total duration %s\n", root.Count(), root.CountLeaves(), total)
	if root.License != "" {
		fmt.Fprintf(w, "license %s\n", root.License)
	}
}

func describe(a *asset.Asset, lang string) string {
	title, _, ok := a.Title.Best(lang)
	if !ok {
		title = "(untitled)"
	}
	parts := []string{string(a.Kind), fmt.Sprintf("%q", title)}
	if !a.Duration.IsZero() {
		parts = append(parts, a.Duration.String())
	}
	var extra []string
	if n := len(a.Resources); n > 0 {
		extra = append(extra, plural(n, "resource"))
	}
	if n := len(a.Objectives); n > 0 {
		extra = append(extra, plural(n, "objective"))
	}
	if n := len(a.Alignments); n > 0 {
		extra = append(extra, plural(n, "alignment"))
	}
	s := strings.Join(parts, " ")
	if len(extra) > 0 {
		s += " [" + strings.Join(extra, ", ") + "]"
	}
	return s + "  " + a.ID
}

func plural(n int, s string) string {
	if n == 1 {
		return "1 " + s
	}
	return fmt.Sprintf("%d %ss", n, s)
}

// inspectSpecial prints inputs whose kind has its own inspect (inputs that
// are not asset trees, such as CASE frameworks). done is false for every
// other input, which the caller then reads as an asset tree.
func inspectSpecial(env *Env, path string, opts *inspectOpts, policy ota.Policy) (code int, done bool) {
	if path == "-" {
		return 0, false // standard input can be read once only
	}
	in := openSpecial(env, path, opts.as, func(k *kind) bool { return k.inspect != nil })
	if in == nil {
		return 0, false
	}
	defer in.Close()
	return in.kind.inspect(env, in, &readOpts{policy: policy, verbose: opts.report.verbose}, opts.format), true
}

// openSpecial opens path and returns it when its kind is one special
// says has its own way of being read (and in.kind is that kind), or nil;
// the caller closes what it returns.
func openSpecial(env *Env, path, as string, special func(*kind) bool) *input {
	in, err := openInput(env, path)
	if err != nil {
		return nil
	}
	k, err := detect(in, as)
	if err != nil || !special(k) {
		in.Close()
		return nil
	}
	in.kind = k
	return in
}
