// Package cli implements the ota command. Its contract — subcommands, exit
// codes and output lines — is fixed by DESIGN.md and relied on by scripts:
// 0 success (warnings allowed), 1 the input was read and found wanting, 2
// usage error, unreadable or unsupported input, or internal failure. With
// several inputs the highest code wins.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/spf13/pflag"
)

// Exit codes of the ota command.
const (
	ExitOK      = 0 // success; warnings allowed
	ExitInvalid = 1 // the input was read and found wanting
	ExitUsage   = 2 // usage error, unreadable or unsupported input, internal failure
)

// memoryLimit is the soft memory limit of the ota process (runtime/debug's
// SetMemoryLimit) unless GOMEMLIMIT sets another: the collector works
// harder as the heap nears it. The readers' default limits keep the live
// heap well below it.
const memoryLimit = 192 << 20

// Env is what a run of the command reads and writes. Tests supply buffers.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

type command struct {
	name    string
	summary string
	usage   string // the line after "Usage: ota "
	help    string // paragraphs after the flags
	flags   func(fs *pflag.FlagSet) any
	run     func(env *Env, opts any, args []string) int
	// graceful commands stop themselves on SIGINT and SIGTERM (a server
	// drains its connections, a harvest commits what it has), so the
	// process-wide handler that removes partial outputs and ends the
	// process at once is not installed for them.
	graceful bool
}

var commands []*command

func register(c *command) { commands = append(commands, c) }

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// Main runs the command with the process's arguments and streams, and
// returns the exit code.
func Main() int {
	if os.Getenv("GOMEMLIMIT") == "" {
		// The readers' limits bound the live heap; this keeps garbage from
		// doubling it before the collector runs (docs/security.md).
		debug.SetMemoryLimit(memoryLimit)
	}
	if len(os.Args) < 2 || lookup(os.Args[1]) == nil || !lookup(os.Args[1]).graceful {
		stop := cleanupOnSignal(os.Stderr)
		defer stop()
	}
	return Run(os.Args[1:], &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr})
}

// Run runs the ota command with args (without the program name) and returns
// its exit code. It never panics: an internal failure is reported on stderr
// with exit code 2.
func Run(args []string, env *Env) (code int) {
	// Diagnostics are bounded whatever the input makes the readers say.
	stderr := newDiagWriter(env.Stderr, args, nil, stderrNotice)
	defer stderr.Close()
	env = &Env{Stdin: env.Stdin, Stdout: env.Stdout, Stderr: stderr}
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(env.Stderr, "ota: internal error: %v\n%s", r, debug.Stack())
			code = ExitUsage
		}
	}()
	if len(args) == 0 {
		writeUsage(env.Stderr)
		return ExitUsage
	}
	name := args[0]
	switch name {
	case "-h", "--help":
		writeUsage(env.Stdout)
		return ExitOK
	case "--version", "-v":
		name = "version"
	}
	c := lookup(name)
	if c == nil {
		fmt.Fprintf(env.Stderr, "ota: unknown command %q\n\n", name)
		writeUsage(env.Stderr)
		return ExitUsage
	}
	fs := pflag.NewFlagSet("ota "+c.name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SetInterspersed(true)
	var opts any
	if c.flags != nil {
		opts = c.flags(fs)
	}
	help := fs.BoolP("help", "h", false, "show help for this command")
	if err := fs.Parse(args[1:]); err != nil {
		fmt.Fprintf(env.Stderr, "ota %s: %v\n", c.name, err)
		fmt.Fprintf(env.Stderr, "Usage: ota %s\nRun 'ota help %s' for details.\n", c.usage, c.name)
		return ExitUsage
	}
	if *help {
		writeCommandHelp(env.Stdout, c, fs)
		return ExitOK
	}
	return c.run(env, opts, fs.Args())
}

func writeUsage(w io.Writer) {
	fmt.Fprint(w, `ota works with OTA (Open Training Asset) documents: training assets,
their metadata, alignments to competency frameworks, and their files.

Usage: ota COMMAND [FLAGS] [ARGS]

Commands:
`)
	sorted := append([]*command(nil), commands...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].name < sorted[j].name })
	for _, c := range sorted {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Flags may come before or after the arguments. A PATH of - reads standard input.
Exit codes: 0 success (warnings allowed); 1 the input was read and found
wanting; 2 usage error, unreadable or unsupported input, or internal failure.
With several PATHs the highest code wins.

Run 'ota help COMMAND' for the details of a command.
`)
}

func writeCommandHelp(w io.Writer, c *command, fs *pflag.FlagSet) {
	fmt.Fprintf(w, "ota %s — %s\n\nUsage: ota %s\n", c.name, c.summary, c.usage)
	if fs != nil && fs.HasFlags() {
		fs.SetOutput(w)
		fmt.Fprint(w, "\nFlags:\n")
		fs.PrintDefaults()
	}
	if c.help != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.help))
	}
}

func init() {
	register(&command{
		name:    "help",
		summary: "show help for the command or one of its commands",
		usage:   "help [COMMAND]",
		run: func(env *Env, _ any, args []string) int {
			if len(args) == 0 {
				writeUsage(env.Stdout)
				return ExitOK
			}
			c := lookup(args[0])
			if c == nil {
				fmt.Fprintf(env.Stderr, "ota help: unknown command %q\n", args[0])
				return ExitUsage
			}
			fs := pflag.NewFlagSet("ota "+c.name, pflag.ContinueOnError)
			if c.flags != nil {
				c.flags(fs)
			}
			fs.BoolP("help", "h", false, "show help for this command")
			writeCommandHelp(env.Stdout, c, fs)
			return ExitOK
		},
	})
	register(&command{
		name:    "version",
		summary: "print the version of ota and of the formats it writes",
		usage:   "version",
		run: func(env *Env, _ any, args []string) int {
			if len(args) > 0 {
				fmt.Fprintln(env.Stderr, "ota version: takes no arguments")
				return ExitUsage
			}
			fmt.Fprintln(env.Stdout, versionLine())
			return ExitOK
		},
	})
}

// errUsage marks errors that are the caller's mistake.
var errUsage = errors.New("usage")
