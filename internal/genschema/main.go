// Command genschema writes the JSON Schemas generated from the Go types to
// docs/schema. It is run by `go generate ./...` from the asset package, whose source
// directory it must run in (schemagen.Asset reads the doc comments there).
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/metaacademy/ota/internal/schemagen"
)

func main() {
	for name, gen := range map[string]func() ([]byte, error){
		"asset":           schemagen.Asset,
		"bundle-manifest": schemagen.BundleManifest,
		"feed":            schemagen.Feed,
	} {
		b, err := gen()
		if err != nil {
			fmt.Fprintln(os.Stderr, "genschema:", name+":", err)
			os.Exit(1)
		}
		out := filepath.Join("..", "docs", "schema", name+".schema.json")
		if err := os.WriteFile(out, b, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "genschema:", err)
			os.Exit(1)
		}
	}
}
