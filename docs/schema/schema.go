// Package schema embeds the published JSON Schemas (draft 2020-12) of the
// OTA formats, so that programs and the ota command can hand them out.
// The files beside this one are generated from the Go types; see
// internal/schemagen (run by `go generate ./...`).
package schema

import (
	"embed"
	"slices"
	"strings"
)

//go:embed *.schema.json
var files embed.FS

// Names lists the embedded schemas ("asset", …), sorted.
func Names() []string {
	entries, _ := files.ReadDir(".")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".schema.json"))
	}
	slices.Sort(names)
	return names
}

// Get returns the schema called name, and whether there is one.
func Get(name string) ([]byte, bool) {
	b, err := files.ReadFile(name + ".schema.json")
	if err != nil {
		return nil, false
	}
	return b, true
}
