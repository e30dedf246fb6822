package cli

import (
	"errors"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/packaging/archive"
)

// checkArchiveData reads every file of a package once (validate, inspect,
// convert to JSON: commands that would otherwise not read them) and
// reports each that an extraction would trip on — a CRC-32 or a size
// that does not match the data — as an error issue of code
// KIND.package.corrupt.
func checkArchiveData(arc *archive.Archive, kind string, rep *ota.Report) {
	ctx, stop := interruptible()
	defer stop()
	err := arc.CheckData(ctx)
	if err == nil {
		return
	}
	var ce *archive.CheckError
	if !errors.As(err, &ce) {
		rep.Add(ota.Issue{Code: kind + ".package.corrupt", Severity: ota.Error, Message: err.Error()})
		return
	}
	for _, p := range ce.Problems {
		rep.Add(ota.Issue{Pointer: p.Name, Code: kind + ".package.corrupt", Severity: ota.Error, Message: p.Error()})
	}
	if ce.Omitted > 0 {
		rep.Add(ota.Issue{Code: kind + ".package.corrupt", Severity: ota.Error, Message: plural(ce.Omitted, "more file") + " cannot be read either"})
	}
}
