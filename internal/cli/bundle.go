package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"

	"github.com/spf13/pflag"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/packaging/bundle"
)

func init() {
	register(&command{
		name:    "keygen",
		summary: "write an ed25519 key pair for signing OTA bundles",
		usage:   "keygen PREFIX",
		help: `Writes PREFIX.key (the private key, PEM PKCS#8, mode 0600) and PREFIX.pub (the
public key, PEM PKIX). Existing files are never overwritten. Publish the .pub
file where those who receive your bundles can get it from you; keep the .key
file secret. A signature proves who holds the private key, not who they are:
how a public key is trusted is up to the people exchanging bundles.`,
		run: runKeygen,
	})
	register(&command{
		name:    "sign",
		summary: "sign an OTA bundle with a private key",
		usage:   "sign BUNDLE --key PRIV",
		help: `Checks every size and digest of BUNDLE, then rewrites it atomically with an
ed25519 signature over its manifest's digest (META-INF/signature.json; see
docs/spec/bundle.md). Exit codes: 0 signed; 1 the bundle failed verification;
2 usage error or unreadable input.`,
		flags: func(fs *pflag.FlagSet) any {
			key := new(string)
			fs.StringVar(key, "key", "", "the private key file (from ota keygen)")
			return key
		},
		run: runSign,
	})
	register(&command{
		name:    "verify",
		summary: "check every file of an OTA bundle, and its signature",
		usage:   "verify BUNDLE... [--key PUB] [--require-signature]",
		help: `Checks every file of each BUNDLE against the size and SHA-256 digest its
manifest lists, and reports every mismatch, missing file and unlisted file, one
line each in the validate format. With --key, also checks the signature against
that public key; with --require-signature, an unsigned bundle fails. Exit codes:
0 intact (and signed, when asked); 1 a mismatch or a bad or missing signature;
2 usage error or unreadable input.`,
		flags: func(fs *pflag.FlagSet) any {
			o := &verifyOpts{}
			fs.StringVar(&o.key, "key", "", "the public key file to check the signature with")
			fs.BoolVar(&o.require, "require-signature", false, "fail when a bundle is not signed")
			return o
		},
		run: runVerify,
	})
}

type verifyOpts struct {
	key     string
	require bool
}

// interruptible returns a context cancelled on Ctrl-C, so that long work
// stops cleanly (and atomic writes leave nothing behind).
func interruptible() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}

func runKeygen(env *Env, _ any, args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(env.Stderr, "ota keygen: needs PREFIX; run 'ota help keygen'")
		return ExitUsage
	}
	pub, priv, err := bundle.GenerateKey()
	if err == nil {
		err = bundle.WriteKeyFiles(args[0], pub, priv)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "ota keygen: %v\n", err)
		return ExitUsage
	}
	fmt.Fprintf(env.Stdout, "wrote %s.key (keep it secret) and %s.pub (key id %s)\n", args[0], args[0], bundle.KeyID(pub))
	return ExitOK
}

func runSign(env *Env, o any, args []string) int {
	key := *(o.(*string))
	if len(args) != 1 || key == "" {
		fmt.Fprintln(env.Stderr, "ota sign: needs BUNDLE and --key PRIV; run 'ota help sign'")
		return ExitUsage
	}
	priv, err := bundle.ReadPrivateKeyFile(key)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ota sign: %v\n", err)
		return ExitUsage
	}
	ctx, stop := interruptible()
	defer stop()
	if err := bundle.SignFile(ctx, args[0], priv, bundle.Options{}); err != nil {
		fmt.Fprintf(env.Stderr, "ota sign: %s: %v\n", args[0], err)
		if issues := ota.IssuesOf(err); len(issues) > 0 || errors.Is(err, bundle.ErrDigestMismatch) {
			writeIssues(env.Stderr, args[0], issues)
			return ExitInvalid
		}
		return ExitUsage
	}
	fmt.Fprintf(env.Stdout, "signed %s\n", args[0])
	return ExitOK
}

func runVerify(env *Env, o any, args []string) int {
	opts := o.(*verifyOpts)
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "ota verify: no BUNDLE given; run 'ota help verify'")
		return ExitUsage
	}
	var pub []byte
	if opts.key != "" {
		k, err := bundle.ReadPublicKeyFile(opts.key)
		if err != nil {
			fmt.Fprintf(env.Stderr, "ota verify: %v\n", err)
			return ExitUsage
		}
		pub = k
	}
	env = withIssueCap(env, args)
	defer env.Stdout.(*diagWriter).Close()
	ctx, stop := interruptible()
	defer stop()
	code := ExitOK
	good, bad := 0, 0
	for _, path := range args {
		c := verifyOne(ctx, env, path, pub, opts.require)
		code = max(code, c)
		if c == ExitOK {
			good++
		} else {
			bad++
		}
	}
	fmt.Fprintf(env.Stdout, "%d valid, %d invalid\n", good, bad)
	return code
}

func verifyOne(ctx context.Context, env *Env, path string, pub []byte, require bool) int {
	b, rep, err := bundle.OpenFile(path, bundle.Options{})
	if err != nil {
		fmt.Fprintln(env.Stdout, issueLine(path, ota.Issue{Code: "bundle.unreadable", Severity: ota.Error, Message: err.Error()}))
		return ExitUsage
	}
	defer b.Close()
	rep.Merge(b.Verify(ctx))
	code := ExitOK
	if rep.HasErrors() {
		code = ExitInvalid
	}
	for _, is := range signatureIssues(b, pub, require) {
		rep.Add(is)
		if is.Severity == ota.Error {
			code = ExitInvalid
		}
	}
	writeIssues(env.Stdout, path, rep.Issues)
	return code
}
