// Command genschema writes the JSON Schemas generated from the Go types to
// docs/schema. It is run by `go generate ./...` from the asset package.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/metaacademy/ota/asset"
)

func main() {
	b, err := asset.GenerateSchema()
	if err != nil {
		fmt.Fprintln(os.Stderr, "genschema:", err)
		os.Exit(1)
	}
	out := filepath.Join("..", "docs", "schema", "asset.schema.json")
	if err := os.WriteFile(out, b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "genschema:", err)
		os.Exit(1)
	}
}
