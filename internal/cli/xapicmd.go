package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/metaacademy/ota/packaging/xapi/lrs"
	"github.com/metaacademy/ota/packaging/xapi/scormprofile"

	"github.com/spf13/pflag"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/scorm"
	"github.com/metaacademy/ota/packaging/xapi"
)

func init() {
	register(&command{
		name:    "xapi",
		summary: "turn SCORM run-time data into xAPI statements, and send statements to an LRS",
		usage:   "xapi from-scorm|send [FLAGS] [ARGS]",
		help: `Subcommands (run 'ota xapi SUBCOMMAND --help' for their flags):

  ota xapi from-scorm --package PKG.zip --item ITEM_ID --cmi SNAPSHOT.json
        [--actor mailto:ADDRESS | --home-page URL] [--version 1.2|2004]
    Writes, as NDJSON on standard output, the statements an LMS sends for one
    session of the SCO of item ITEM_ID (its identifier in imsmanifest.xml),
    following ADL's xAPI SCORM profile. SNAPSHOT.json (or - for standard input)
    is one JSON object mapping CMI element names to their values as the LMS
    stores them, as strings: {"cmi.core.lesson_status": "passed",
    "cmi.core.score.raw": "85", "cmi.interactions.0.id": "q1", ...}. The data
    model version defaults to the package's. Without --actor, the learner is the
    account cmi.learner_id (cmi.core.student_id) on --home-page. Invalid CMI
    values are reported on standard error, one line each in the validate
    format, and left out. Exit codes: 0 done; 1 some CMI values were invalid;
    2 usage error or unreadable input.

  ota xapi send --endpoint URL [--user U --password P] [--xapi-version V] FILE|-
    Reads a statement stream (NDJSON, a JSON array, a StatementResult or one
    statement), validates each record and sends the valid ones to the LRS at
    URL in batches (POST statements). Invalid records are not sent: each of
    their issues is written on standard output in the validate format. Progress
    goes to standard error when it is a terminal; a summary line "N sent, M
    invalid" ends the run. Exit codes: 0 every record sent; 1 some records were
    invalid (the valid ones were sent); 2 usage error, unreadable input, or the
    LRS unreachable or refusing a batch.`,
		flags: func(fs *pflag.FlagSet) any {
			// The subcommand and its flags are parsed by runXAPI.
			fs.SetInterspersed(false)
			return nil
		},
		run: runXAPI,
	})
}

func runXAPI(env *Env, _ any, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "ota xapi: needs a subcommand, from-scorm or send; run 'ota help xapi'")
		return ExitUsage
	}
	switch args[0] {
	case "from-scorm":
		return runFromSCORM(env, args[1:])
	case "send":
		return runSend(env, args[1:])
	}
	fmt.Fprintf(env.Stderr, "ota xapi: unknown subcommand %q; use from-scorm or send\n", args[0])
	return ExitUsage
}

// subFlags parses the flags of a subcommand; it returns the exit code to
// stop with, or -1 to go on.
func subFlags(env *Env, name string, fs *pflag.FlagSet, args []string) int {
	fs.SetOutput(io.Discard)
	help := fs.BoolP("help", "h", false, "show help for this subcommand")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(env.Stderr, "ota xapi %s: %v\nRun 'ota xapi %s --help' for details.\n", name, err, name)
		return ExitUsage
	}
	if *help {
		fmt.Fprintf(env.Stdout, "Usage: ota xapi %s\n\nFlags:\n", name)
		fs.SetOutput(env.Stdout)
		fs.PrintDefaults()
		return ExitOK
	}
	return -1
}

type fromSCORMOpts struct {
	pkg, item, cmi, actor, homePage, version string
	registration, attempt, timestamp, xv     string
}

func runFromSCORM(env *Env, args []string) int {
	var o fromSCORMOpts
	fs := pflag.NewFlagSet("ota xapi from-scorm", pflag.ContinueOnError)
	fs.StringVar(&o.pkg, "package", "", "the SCORM package (zip)")
	fs.StringVar(&o.item, "item", "", "the identifier of the SCO's item in imsmanifest.xml")
	fs.StringVar(&o.cmi, "cmi", "", "the CMI snapshot: a JSON object of element name to value (- for standard input)")
	fs.StringVar(&o.actor, "actor", "", "the learner, as mailto:ADDRESS")
	fs.StringVar(&o.homePage, "home-page", "", "the LMS account home page for a learner taken from the snapshot")
	fs.StringVar(&o.version, "version", "", "the SCORM run-time data model, 1.2 or 2004 (default: the package's)")
	fs.StringVar(&o.registration, "registration", "", "the registration UUID")
	fs.StringVar(&o.attempt, "attempt", "", "the attempt identifier (default: the registration, or a new UUID)")
	fs.StringVar(&o.timestamp, "timestamp", "", "when the session started, ISO 8601 (default: now)")
	fs.StringVar(&o.xv, "xapi-version", "1.0.3", "the xAPI version the statements must conform to: 1.0.3 or 2.0.0")
	if code := subFlags(env, "from-scorm --package PKG.zip --item ITEM_ID --cmi SNAPSHOT.json [FLAGS]", fs, args); code >= 0 {
		return code
	}
	usage := func(format string, a ...any) int {
		fmt.Fprintf(env.Stderr, "ota xapi from-scorm: "+format+"\n", a...)
		return ExitUsage
	}
	if fs.NArg() > 0 {
		return usage("unexpected argument %q", fs.Arg(0))
	}
	if o.pkg == "" || o.item == "" || o.cmi == "" {
		return usage("needs --package, --item and --cmi; run 'ota xapi from-scorm --help'")
	}
	opts := scormprofile.Options{HomePage: o.homePage, Registration: o.registration, AttemptID: o.attempt}
	xv, err := xapi.ParseVersion(o.xv)
	if err != nil {
		return usage("--xapi-version %q: use 1.0.3 or 2.0.0", o.xv)
	}
	opts.Version = xv
	if o.actor != "" {
		if !strings.HasPrefix(o.actor, "mailto:") || len(o.actor) == len("mailto:") {
			return usage("--actor %q: write mailto:ADDRESS", o.actor)
		}
		opts.Actor = &xapi.Actor{Mbox: o.actor}
	}
	if o.timestamp != "" {
		t, err := xapi.ParseTimestamp(o.timestamp)
		if err != nil {
			return usage("--timestamp: %v", err)
		}
		opts.Timestamp = t
	}

	pkg, rep, err := scorm.OpenFile(o.pkg, scorm.Options{})
	if err != nil || pkg == nil {
		if err == nil {
			err = errors.New("not a SCORM package")
		}
		for _, is := range rep.Errors() {
			fmt.Fprintln(env.Stderr, issueLine(o.pkg, is))
		}
		return usage("%s: %v", o.pkg, err)
	}
	var version scormprofile.CMIVersion
	switch {
	case o.version != "":
		if version, err = scormprofile.ParseCMIVersion(o.version); err != nil {
			return usage("--version %q: use 1.2 or 2004", o.version)
		}
	case pkg.Version == scorm.Version12:
		version = scormprofile.CMI12
	case pkg.Version.Is2004():
		version = scormprofile.CMI2004
	default:
		return usage("%s: the SCORM version is unknown; give --version 1.2 or 2004", o.pkg)
	}
	defer pkg.Close()
	root := pkg.Asset()
	if root == nil {
		return usage("%s: the package has no organization to take the SCO from", o.pkg)
	}
	sco := findItem(root, pkg.Identifier, o.item)
	if sco == nil {
		return usage("%s: no item with identifier %q", o.pkg, o.item)
	}
	opts.Root = root

	snap, err := readSnapshot(env, o.cmi)
	if err != nil {
		return usage("%v", err)
	}
	stmts, crep := scormprofile.FromCMI(snap, version, sco, opts)
	for _, is := range crep.Issues {
		fmt.Fprintln(env.Stderr, issueLine(o.cmi, is))
	}
	w := xapi.NewWriter(env.Stdout, xapi.StreamNDJSON)
	for _, s := range stmts {
		if err := w.Write(s); err != nil {
			return usage("%v", err)
		}
	}
	if err := w.Close(); err != nil {
		return usage("%v", err)
	}
	if crep.HasErrors() {
		return ExitInvalid
	}
	return ExitOK
}

// findItem returns the asset of the item with identifier item: the
// converter derives its ID from the manifest's and the item's
// identifiers.
func findItem(root *asset.Asset, manifest, item string) *asset.Asset {
	id := asset.DeriveID("scorm", manifest, item)
	var found *asset.Asset
	stop := errors.New("found")
	_ = root.Walk(func(a *asset.Asset, _ string, _ *asset.Asset) error {
		if a.ID == id {
			found = a
			return stop
		}
		return nil
	})
	return found
}

func readSnapshot(env *Env, path string) (map[string]string, error) {
	var r io.Reader = env.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	snap, err := scormprofile.ReadCMISnapshot(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return snap, nil
}

type sendOpts struct {
	endpoint, user, password, xv string
	batch                        int
}

func runSend(env *Env, args []string) int {
	var o sendOpts
	fs := pflag.NewFlagSet("ota xapi send", pflag.ContinueOnError)
	fs.StringVar(&o.endpoint, "endpoint", "", "the LRS's xAPI endpoint URL")
	fs.StringVar(&o.user, "user", "", "the user name for HTTP Basic authentication")
	fs.StringVar(&o.password, "password", "", "the password for HTTP Basic authentication")
	fs.StringVar(&o.xv, "xapi-version", "1.0.3", "the xAPI version to validate and send: 1.0.3 or 2.0.0")
	fs.IntVar(&o.batch, "batch-size", lrs.DefaultBatchSize, "the most statements one POST carries")
	if code := subFlags(env, "send --endpoint URL [--user U --password P] [--xapi-version V] FILE|-", fs, args); code >= 0 {
		return code
	}
	usage := func(format string, a ...any) int {
		fmt.Fprintf(env.Stderr, "ota xapi send: "+format+"\n", a...)
		return ExitUsage
	}
	if fs.NArg() != 1 {
		return usage("needs one FILE (or - for standard input); run 'ota xapi send --help'")
	}
	if o.endpoint == "" {
		return usage("needs --endpoint URL")
	}
	if (o.user == "") != (o.password == "") && o.user == "" {
		return usage("--password needs --user")
	}
	xv, err := xapi.ParseVersion(o.xv)
	if err != nil {
		return usage("--xapi-version %q: use 1.0.3 or 2.0.0", o.xv)
	}
	if o.batch < 1 {
		return usage("--batch-size %d: it must be at least 1", o.batch)
	}
	copts := []lrs.Option{lrs.WithVersion(xv), lrs.WithBatchSize(o.batch)}
	if o.user != "" {
		copts = append(copts, lrs.WithBasicAuth(o.user, o.password))
	}
	client, err := lrs.New(o.endpoint, copts...)
	if err != nil {
		return usage("%v", err)
	}
	path := fs.Arg(0)
	var src io.Reader = env.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return usage("%v", err)
		}
		defer f.Close()
		src = f
	}
	ctx, cancel := interruptible()
	defer cancel()

	progress := isTerminal(env.Stderr)
	x := xapi.NewReader(src, xapi.StreamOptions{Validate: xapi.ValidateOptions{Version: xv}, Decode: true})
	sent, invalid := 0, 0
	var batch []*xapi.Statement
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		ids, err := client.PostStatements(ctx, batch)
		sent += len(ids)
		batch = batch[:0]
		if progress {
			fmt.Fprintf(env.Stderr, "\rsent %d, invalid %d", sent, invalid)
		}
		return err
	}
	finish := func(code int) int {
		if progress {
			fmt.Fprintln(env.Stderr)
		}
		fmt.Fprintf(env.Stderr, "%d sent, %d invalid\n", sent, invalid)
		return code
	}
	for {
		rec, err := x.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintf(env.Stderr, "ota xapi send: %s: %v\n", path, err)
			return finish(ExitUsage)
		}
		if !rec.Valid() || rec.Statement == nil {
			invalid++
			for _, is := range rec.Report.Issues {
				fmt.Fprintln(env.Stdout, issueLine(path, is))
			}
			continue
		}
		batch = append(batch, rec.Statement)
		if len(batch) >= o.batch {
			if err := flush(); err != nil {
				fmt.Fprintf(env.Stderr, "ota xapi send: %v\n", err)
				return finish(ExitUsage)
			}
		}
	}
	if err := flush(); err != nil {
		fmt.Fprintf(env.Stderr, "ota xapi send: %v\n", err)
		return finish(ExitUsage)
	}
	layout := x.Report()
	for _, is := range layout.Issues {
		fmt.Fprintln(env.Stdout, issueLine(path, is))
	}
	if invalid > 0 || layout.HasErrors() {
		return finish(ExitInvalid)
	}
	return finish(ExitOK)
}

// isTerminal reports whether w is a character device, such as a
// terminal.
func isTerminal(w io.Writer) bool {
	for {
		u, ok := w.(interface{ Unwrap() io.Writer })
		if !ok {
			break
		}
		w = u.Unwrap()
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
