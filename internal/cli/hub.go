package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/metaacademy/ota/platform/harvest"
	"github.com/metaacademy/ota/platform/hub"
	"github.com/metaacademy/ota/platform/store"
	"github.com/metaacademy/ota/platform/store/postgres"
	"github.com/metaacademy/ota/platform/store/sqlite"
)

// defaultDB is the hub database when --db is not given.
const defaultDB = "hub.db"

// adminTokenEnv names the environment variable holding the admin token of
// `ota serve` (never a flag: flags show in process lists).
const adminTokenEnv = "OTA_HUB_ADMIN_TOKEN"

// openHubStore opens the hub database: a postgres:// or postgresql:// URL
// is PostgreSQL, anything else a SQLite file (an optional sqlite:// or
// file: prefix is dropped).
func openHubStore(ctx context.Context, db string) (store.Store, error) {
	switch {
	case strings.HasPrefix(db, "postgres://"), strings.HasPrefix(db, "postgresql://"):
		return postgres.Open(ctx, db, postgres.Options{})
	default:
		path := strings.TrimPrefix(strings.TrimPrefix(db, "sqlite://"), "file:")
		return sqlite.Open(ctx, path, sqlite.Options{})
	}
}

type harvestOpts struct {
	db           string
	allowPrivate bool
	only         []string
	skipOverlaps bool
	timeout      time.Duration
}

type serveOpts struct {
	db, addr, title, baseURL, sources string
	allowPrivate                      bool
}

func init() {
	register(&command{
		name:     "harvest",
		graceful: true,
		summary:  "harvest the publishers of a sources file into a hub database",
		usage:    "harvest SOURCES.json [--db PATH|URL] [--source NAME]... [--skip-overlaps]",
		help: `Reads SOURCES.json — the hub's federation: each publisher's name, feed,
OAI-PMH endpoint and signed bundles, and the public keys the hub trusts it to
sign with (see docs/platform.md) — makes the database's trust list match it,
then harvests every publisher (or those named with --source): only bundles
signed by a trusted key of their publisher are accepted, feeds and OAI-PMH
lists are read incrementally, withdrawn assets are removed, and the overlaps
of what changed are recomputed. One line per publisher goes to stdout, each
rejected entry to stderr.

--db is a SQLite file (default hub.db, created when absent) or a
postgres:// URL. Addresses that are not public (loopback, private ranges)
are refused unless --allow-private.

Exit codes: 0 every publisher harvested; 1 a publisher failed or an entry
was rejected; 2 usage error, unreadable sources file or database.`,
		flags: func(fs *pflag.FlagSet) any {
			o := &harvestOpts{}
			fs.StringVar(&o.db, "db", defaultDB, "hub database: SQLite file or postgres:// URL")
			fs.BoolVar(&o.allowPrivate, "allow-private", false, "allow loopback and private addresses (tests, an internal network)")
			fs.StringArrayVar(&o.only, "source", nil, "harvest only this publisher (repeatable)")
			fs.BoolVar(&o.skipOverlaps, "skip-overlaps", false, "do not recompute overlaps")
			fs.DurationVar(&o.timeout, "timeout", harvest.DefaultTimeout, "timeout of each request")
			return o
		},
		run: runHarvest,
	})
	register(&command{
		name:     "serve",
		graceful: true,
		summary:  "serve a hub database: search, asset pages, gaps, overlaps, OAI-PMH",
		usage:    "serve [--db PATH|URL] [--addr HOST:PORT] [--title TEXT] [--base-url URL] [--sources SOURCES.json]",
		help: `Serves the hub database (--db: a SQLite file, default hub.db, or a
postgres:// URL) over HTTP at --addr (default 127.0.0.1:8080): search with
filters, asset pages with schema.org JSON-LD, the gap, overlap and lineage
views, downloads, and the OAI-PMH endpoint at /oai. The pages are read-only.

With --sources and the environment variable OTA_HUB_ADMIN_TOKEN set, a POST
to /admin/harvest with "Authorization: Bearer TOKEN" harvests the sources
now. Stop the server with Ctrl-C (SIGINT) or SIGTERM.

Exit codes: 0 stopped cleanly; 2 usage error, unreadable database, or the
address cannot be listened on.`,
		flags: func(fs *pflag.FlagSet) any {
			o := &serveOpts{}
			fs.StringVar(&o.db, "db", defaultDB, "hub database: SQLite file or postgres:// URL")
			fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on")
			fs.StringVar(&o.title, "title", "OTA hub", "the hub's name in its pages")
			fs.StringVar(&o.baseURL, "base-url", "", "the hub's public address, for links in JSON-LD and OAI-PMH (default: from each request)")
			fs.StringVar(&o.sources, "sources", "", "sources file for /admin/harvest")
			fs.BoolVar(&o.allowPrivate, "allow-private", false, "let /admin/harvest reach loopback and private addresses")
			return o
		},
		run: runServe,
	})
}

func readSourcesFile(path string) (*harvest.Sources, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := harvest.ReadSources(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

func runHarvest(env *Env, o any, args []string) int {
	opts := o.(*harvestOpts)
	if len(args) != 1 {
		fmt.Fprintln(env.Stderr, "ota harvest: give one SOURCES.json; run 'ota help harvest'")
		return ExitUsage
	}
	sources, err := readSourcesFile(args[0])
	if err != nil {
		fmt.Fprintf(env.Stderr, "ota harvest: %v\n", err)
		return ExitUsage
	}
	if len(opts.only) > 0 {
		var kept []harvest.Source
		for _, name := range opts.only {
			found := false
			for _, s := range sources.Sources {
				if s.Name == name {
					kept, found = append(kept, s), true
				}
			}
			if !found {
				fmt.Fprintf(env.Stderr, "ota harvest: --source %q: %s lists no such publisher\n", name, args[0])
				return ExitUsage
			}
		}
		sources = &harvest.Sources{Sources: kept}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := openHubStore(ctx, opts.db)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ota harvest: %v\n", err)
		return ExitUsage
	}
	defer st.Close()
	return harvestInto(ctx, st, sources, harvest.Options{AllowPrivate: opts.allowPrivate, SkipOverlaps: opts.skipOverlaps, Timeout: opts.timeout}, env.Stdout, env.Stderr)
}

// harvestInto harvests and reports; it returns the exit code.
func harvestInto(ctx context.Context, st store.Store, sources *harvest.Sources, hopts harvest.Options, stdout, stderr io.Writer) int {
	// Each source's result is printed as soon as it is done and then
	// dropped, so a harvest of a large federation does not hold them all.
	code := ExitOK
	done := 0
	err := harvest.New(st, hopts).HarvestEach(ctx, sources, func(r *harvest.Result) {
		done++
		fmt.Fprintln(stdout, r)
		for _, rej := range r.Rejected {
			fmt.Fprintf(stderr, "ota harvest: %s: rejected: %v\n", r.Source, rej)
			code = ExitInvalid
		}
	})
	if err != nil {
		fmt.Fprintf(stderr, "ota harvest: %v\n", err)
		code = ExitInvalid
		if done == 0 {
			code = ExitUsage
		}
	}
	return code
}

func runServe(env *Env, o any, args []string) int {
	opts := o.(*serveOpts)
	if len(args) > 0 {
		fmt.Fprintln(env.Stderr, "ota serve: takes no arguments; run 'ota help serve'")
		return ExitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := openHubStore(ctx, opts.db)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ota serve: %v\n", err)
		return ExitUsage
	}
	defer st.Close()
	hopts := hub.Options{Title: opts.title, BaseURL: opts.baseURL}
	if opts.sources != "" {
		token := os.Getenv(adminTokenEnv)
		if len(token) < 16 {
			fmt.Fprintf(env.Stderr, "ota serve: --sources needs an admin token of at least 16 characters in %s\n", adminTokenEnv)
			return ExitUsage
		}
		if _, err := readSourcesFile(opts.sources); err != nil {
			fmt.Fprintf(env.Stderr, "ota serve: %v\n", err)
			return ExitUsage
		}
		hopts.AdminToken = token
		hopts.Harvest = func(ctx context.Context, w io.Writer) error {
			sources, err := readSourcesFile(opts.sources)
			if err != nil {
				return err
			}
			if code := harvestInto(ctx, st, sources, harvest.Options{AllowPrivate: opts.allowPrivate}, w, w); code != ExitOK {
				return errors.New("the harvest had problems; see above")
			}
			return nil
		}
	}
	h, err := hub.New(st, hopts)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ota serve: %v\n", err)
		return ExitUsage
	}
	ln, err := net.Listen("tcp", opts.addr)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ota serve: %v\n", err)
		return ExitUsage
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 2 * time.Minute,
		IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	fmt.Fprintf(env.Stderr, "ota serve: serving %s on http://%s/\n", opts.db, ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintf(env.Stderr, "ota serve: %v\n", err)
		return ExitUsage
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		fmt.Fprintf(env.Stderr, "ota serve: %v\n", err)
		return ExitUsage
	}
	return ExitOK
}
