package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/metaacademy/ota/asset"
)

func versionLine() string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	return fmt.Sprintf("ota %s (OTA format %s, %s)", v, asset.FormatVersion, runtime.Version())
}
