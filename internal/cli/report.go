package cli

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/metaacademy/ota"
)

// What the reading commands (validate, inspect, convert) share in how they
// report: --severity, --verbose, and for convert --losses.

// reportFlags are the flags every reading command has.
type reportFlags struct {
	severity []string
	verbose  bool
}

func (r *reportFlags) register(fs *pflag.FlagSet) {
	fs.StringArrayVar(&r.severity, "severity", nil, "change the severity of an issue code: CODE=error|warning|info|ignore (repeatable)")
	fs.BoolVar(&r.verbose, "verbose", false, "also print info lines (remarks that need no action)")
}

// policy parses --severity, with the command's defaults added for the
// codes the user says nothing about.
func (r *reportFlags) policy(defaults ota.Policy) (ota.Policy, error) {
	p, err := parsePolicy(r.severity)
	if err != nil {
		return nil, err
	}
	return withDefaults(p, defaults), nil
}

// inspectDefaults are the severities inspect and convert give by default:
// a file the manifest lists that is missing does not stop the content from
// launching, so it does not stop reading or converting a package either.
// validate keeps the format's own severities.
var inspectDefaults = ota.Policy{"scorm.file.missing": ota.Warning}

// importDefaults are the severities of the checks of the asset model on a
// tree imported from SCORM or cmi5: those formats have no licence field,
// so a missing licence is a remark, not something the package could fix.
var importDefaults = ota.Policy{"asset.license.missing": ota.Info}

// withDefaults returns p with each default added whose code p does not
// already cover (by the code or a dotted prefix of it), so that what the
// user asks for always wins. p is not modified; nil means no defaults.
func withDefaults(p, defaults ota.Policy) ota.Policy {
	if len(defaults) == 0 {
		return p
	}
	out := make(ota.Policy, len(p)+len(defaults))
	for k, s := range defaults {
		if p.SeverityOf(k, "") == "" {
			out[k] = s
		}
	}
	for k, s := range p {
		out[k] = s
	}
	return out
}

// shown reports whether an issue line is printed: info lines only with
// --verbose.
func shown(is ota.Issue, verbose bool) bool { return verbose || is.Severity != ota.Info }

// printIssues writes the contract's line for each issue shown, each at
// the path where it is: the file of a lesson folder for a lesson's issues.
func printIssues(w io.Writer, k *kind, path string, issues []ota.Issue, verbose bool) {
	for _, is := range issues {
		if shown(is, verbose) {
			fmt.Fprintln(w, issueLine(issuePath(k, path, is), is))
		}
	}
}

// issuePath returns the path an issue line names: PATH, or for kinds
// whose issues point at a file inside PATH (lessons), that file, so that
// PATH:LINE leads to the line.
func issuePath(k *kind, path string, is ota.Issue) string {
	if k == nil || !k.fileIssues || path == "-" || is.Pointer == "" || strings.HasPrefix(is.Pointer, "/") {
		return path
	}
	return filepath.Join(path, filepath.FromSlash(is.Pointer))
}

// lossExamples is how many losses of a code a grouped report shows.
const lossExamples = 3

// printLosses writes the losses of a conversion to w, each line starting
// "PATH: lost". Grouped (the default), there is one line per code with the
// count and a few examples; all writes one line per loss.
func printLosses(w io.Writer, path string, losses []ota.Loss, all bool) {
	if all {
		for _, l := range losses {
			fmt.Fprintf(w, "%s: lost %s\n", oneLine(path), oneLine(l.String()))
		}
		return
	}
	for _, g := range (ota.Report{Losses: losses}).LossGroups() {
		first := g.Losses[0]
		if len(g.Losses) == 1 {
			fmt.Fprintf(w, "%s: lost %s\n", oneLine(path), oneLine(first.String()))
			continue
		}
		code := g.Code
		if code == "" {
			code = "(no code)"
		}
		sameWhat := true
		for _, l := range g.Losses[1:] {
			sameWhat = sameWhat && l.What == first.What
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%s: lost %s ×%d: ", path, code, len(g.Losses))
		if sameWhat {
			b.WriteString(first.What + ": " + first.Why + " — at ")
		} else {
			b.WriteString(first.Why + " — e.g. ")
		}
		n := min(len(g.Losses), lossExamples)
		for i, l := range g.Losses[:n] {
			if i > 0 {
				if sameWhat {
					b.WriteString(", ")
				} else {
					b.WriteString("; ")
				}
			}
			p := l.Pointer
			if p == "" {
				p = "/"
			}
			if sameWhat {
				b.WriteString(p)
			} else {
				b.WriteString(l.What + " at " + p)
			}
		}
		if more := len(g.Losses) - n; more > 0 {
			b.WriteString(" and " + strconv.Itoa(more) + " more (--losses all lists each)")
		}
		fmt.Fprintln(w, oneLine(b.String()))
	}
}
