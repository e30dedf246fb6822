package cli

import (
	"context"

	"github.com/metaacademy/ota"
)

// verifyData reads every file of a package once (validate, inspect,
// convert to JSON: commands that would otherwise not read them) through
// the package's Verify, which reports each file an extraction would trip
// on — a CRC-32 or a size that does not match the data — as an error
// issue of code KIND.package.corrupt.
func verifyData(verify func(context.Context) ota.Report, rep *ota.Report) {
	ctx, stop := interruptible()
	defer stop()
	rep.Merge(verify(ctx))
}
