package cli

import (
	"fmt"
	"io"

	"github.com/metaacademy/ota/framework/casepkg"

	"github.com/metaacademy/ota/framework"
	"github.com/metaacademy/ota/internal/atomicfile"
)

// A CASE competency framework converts to OTA's framework JSON, the form
// 'ota inspect --format json' prints.
func init() { caseKind.convert = convertCASE }

func convertCASE(env *Env, in *input, out, to string, opts *convertOpts, ro *readOpts) int {
	src := displayPath(in.path)
	if to != "json" {
		fmt.Fprintf(env.Stderr, "ota convert: %s is a CASE competency framework, not an asset tree; it converts to OTA's framework JSON only (--to json, or an OUT ending in .json)\n", src)
		return ExitUsage
	}
	fw, rep, err := casepkg.Read(in.body, casepkg.ReadOptions{Policy: ro.policy})
	if err != nil {
		printIssues(env.Stderr, nil, src, rep.Issues, ro.verbose)
		fmt.Fprintf(env.Stderr, "ota convert: %s: %v\n", src, err)
		return ExitUsage
	}
	printIssues(env.Stderr, nil, src, rep.Issues, ro.verbose)
	if rep.HasErrors() {
		fmt.Fprintf(env.Stderr, "ota convert: %s has errors; nothing is written\n", src)
		return ExitInvalid
	}
	printLosses(env.Stderr, src, rep.Losses, opts.losses == "all")
	write := func(w io.Writer) error { return framework.Write(w, fw) }
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
