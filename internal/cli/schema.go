package cli

import (
	"fmt"

	"github.com/metaacademy/ota/docs/schema"
)

func init() {
	register(&command{
		name:    "schema",
		summary: "print an embedded JSON Schema, or list them",
		usage:   "schema [NAME]",
		help:    `With no NAME, lists the embedded schemas. With a NAME (such as "asset"), prints that JSON Schema (draft 2020-12).`,
		run: func(env *Env, _ any, args []string) int {
			switch len(args) {
			case 0:
				for _, n := range schema.Names() {
					fmt.Fprintln(env.Stdout, n)
				}
				return ExitOK
			case 1:
				b, ok := schema.Get(args[0])
				if !ok {
					fmt.Fprintf(env.Stderr, "ota schema: no schema named %q; 'ota schema' lists them\n", args[0])
					return ExitUsage
				}
				_, _ = env.Stdout.Write(b)
				return ExitOK
			}
			fmt.Fprintln(env.Stderr, "ota schema: takes at most one NAME")
			return ExitUsage
		},
	})
}
