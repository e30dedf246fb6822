package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/spf13/pflag"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/packaging/bundle"
	"github.com/metaacademy/ota/platform/feed"
	"github.com/metaacademy/ota/platform/publish"
)

type publishOpts struct {
	baseURL, key, title, publisher, publisherID, language string
	feedPage                                              int
	verbose                                               bool
}

func init() {
	register(&command{
		name:    "publish",
		summary: "write a catalogue as a static web site: pages with JSON-LD, feed, sitemap, downloads",
		usage:   "publish CATALOGUE_DIR OUT_DIR [--base-url URL] [--key KEY] [--title T] [--publisher NAME]",
		help: `Reads every OTA document under CATALOGUE_DIR (one folder per publisher, as
'ota coverage' reads them) and writes into OUT_DIR a static site any web server
can host: index.html with a coverage heatmap per framework, one page per asset
with its schema.org JSON-LD (the AMB profile OER harvesters read), feed.json
(the machine feed hubs harvest, with tombstones for assets removed since the
last publication in OUT_DIR), sitemap.xml, and downloads of every asset tree as
an OTA bundle (signed with --key), SCORM 1.2, SCORM 2004 4th Edition and cmi5.
The same catalogue gives the same bytes.

--base-url is the address the site will be served at; without it the JSON-LD
cannot name the pages and downloads and no sitemap is written. Links in the
catalogue folder are refused. Files of OUT_DIR that ota publish did not write
are left alone, but assets/, downloads/ and coverage/ are its own.

Problems are printed to stderr. Exit codes: 0 done (warnings allowed); 1 a
document had errors (it is left out, the rest is published); 2 usage error,
unreadable catalogue or unwritable output.`,
		flags: func(fs *pflag.FlagSet) any {
			o := &publishOpts{}
			fs.StringVar(&o.baseURL, "base-url", "", "absolute URL the site is served at")
			fs.StringVar(&o.key, "key", "", "private key file (ota keygen) to sign the OTA bundles with")
			fs.StringVar(&o.title, "title", "", "site title")
			fs.StringVar(&o.publisher, "publisher", "", "publisher name for the feed (default: the catalogue's)")
			fs.StringVar(&o.publisherID, "publisher-id", "", "publisher IRI for the feed (ROR ID, home page)")
			fs.StringVar(&o.language, "language", "en", "preferred language of the pages' texts")
			fs.IntVar(&o.feedPage, "feed-page-size", feed.DefaultPageSize, "entries per feed page")
			fs.BoolVarP(&o.verbose, "verbose", "v", false, "also list the info messages and what the SCORM and cmi5 packages could not carry")
			return o
		},
		run: runPublish,
	})
}

func runPublish(env *Env, o any, args []string) int {
	opts := o.(*publishOpts)
	if len(args) != 2 {
		fmt.Fprintln(env.Stderr, "ota publish: want CATALOGUE_DIR and OUT_DIR; run 'ota help publish'")
		return ExitUsage
	}
	if st, err := os.Stat(args[0]); err != nil || !st.IsDir() {
		fmt.Fprintf(env.Stderr, "ota publish: %s is not a folder\n", args[0])
		return ExitUsage
	}
	if opts.feedPage <= 0 {
		fmt.Fprintln(env.Stderr, "ota publish: --feed-page-size must be positive")
		return ExitUsage
	}
	po := publish.Options{
		BaseURL: opts.baseURL, Title: opts.title, Language: opts.language, FeedPageSize: opts.feedPage,
		Publisher: feed.Publisher{Name: opts.publisher, ID: opts.publisherID},
	}
	if opts.baseURL != "" && !isAbsoluteHTTP(opts.baseURL) {
		fmt.Fprintf(env.Stderr, "ota publish: --base-url %q is not an absolute http(s) URL\n", opts.baseURL)
		return ExitUsage
	}
	if opts.key != "" {
		priv, err := bundle.ReadPrivateKeyFile(opts.key)
		if err != nil {
			fmt.Fprintf(env.Stderr, "ota publish: --key: %v\n", err)
			return ExitUsage
		}
		po.Key = priv
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := publish.PublishDir(ctx, args[0], args[1], po)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ota publish: %v\n", err)
		return ExitUsage
	}
	infos := 0
	for _, is := range res.Report.Issues {
		if is.Severity == ota.Info && !opts.verbose {
			infos++
			continue
		}
		fmt.Fprintf(env.Stderr, "%s: %s %s: %s\n", orWhole(is.Pointer), is.Severity, is.Code, is.Message)
	}
	lost := 0
	for _, c := range res.LossCounts {
		lost += c.Count
	}
	if opts.verbose {
		printPublishLosses(env.Stderr, res)
	}
	fmt.Fprintf(env.Stderr, "wrote %d pages of %d asset trees, %d files, to %s", res.Pages, res.Trees, res.Files, args[1])
	if res.Withdrawn > 0 {
		fmt.Fprintf(env.Stderr, "; %d withdrawn assets in the feed", res.Withdrawn)
	}
	fmt.Fprintln(env.Stderr)
	if !opts.verbose && (infos > 0 || lost > 0) {
		fmt.Fprintf(env.Stderr, "(%d notes and %d things the SCORM and cmi5 packages could not carry not shown; --verbose lists them)\n", infos, lost)
	}
	if res.Report.HasErrors() {
		return ExitInvalid
	}
	return ExitOK
}

// printPublishLosses prints the losses a publication keeps as examples,
// grouped by code, each group followed by how many more it had.
func printPublishLosses(w io.Writer, res *publish.Result) {
	for _, c := range res.LossCounts {
		shown := 0
		for _, l := range res.Report.Losses {
			if l.Code == c.Code {
				fmt.Fprintf(w, "loss: %s\n", l)
				shown++
			}
		}
		if c.Count > shown {
			fmt.Fprintf(w, "loss: … and %d more %s\n", c.Count-shown, c.Code)
		}
	}
}

func orWhole(p string) string {
	if p == "" {
		return "(site)"
	}
	return p
}

func isAbsoluteHTTP(s string) bool {
	return (len(s) > 8 && s[:8] == "https://") || (len(s) > 7 && s[:7] == "http://")
}
